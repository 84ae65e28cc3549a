"""Documents changed while a real server runs (`assistant serve` with uploads on, the real model, on a
private copy of the tiny corpus): in the browser, over HTTP while answers keep flowing, with the
process killed half way, and files dropped into sources/ with --watch."""

from __future__ import annotations

import re
import shutil
import signal
import threading
import time
from pathlib import Path

import httpx
import pytest
from conftest import FIXTURES, Server
from playwright.sync_api import expect

from assistant.settings import Settings
from assistant.building.store import index_status

pytestmark = pytest.mark.e2e

LAMPS = ("---\ntitle: Lantern review\npublisher: Guild of Lamplighters\npublished: 2024-05-01\n---\n\n"
         "# Lantern review\n\n## Guild view\n\n"
         "The Guild of Lamplighters opposes the glow-worm lanterns. We believe the lanterns are far too dim for "
         "winter evenings on the canal towpaths.\n")
QUESTION = "What does the Guild of Lamplighters think of the glow-worm lanterns?"


@pytest.fixture
def corpus(tmp_path, seed_settings, seed_assistant):
    """A copy of the tiny corpus and an index folder holding the model's ONNX export already."""
    src, index = tmp_path / "sources", tmp_path / "index"
    shutil.copytree(FIXTURES / "corpus", src)
    models = seed_settings.index_dir / "models"
    if models.exists():
        shutil.copytree(models, index / "models")
    return src, index


@pytest.fixture
def live(corpus):
    src, index = corpus
    srv = Server(src, index, {"ASSISTANT_UPLOADS": "true"}).wait()
    yield srv
    srv.stop()


def wait_job(url: str, job_url: str, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = httpx.get(url + job_url, timeout=10).json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.2)
    raise AssertionError("job did not finish")


def quotes_lamps(url: str) -> bool:
    a = httpx.post(url + "/api/answer", json={"question": QUESTION}, timeout=30).json()
    return a["answered"] and any("glow-worm" in q["text"] for q in a["quotes"])


def axe_serious(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    return [f"{page.url}: {v['id']}" for v in found if v["impact"] in ("serious", "critical")]


def test_upload_in_the_page_ask_it_and_remove_it(browser, live, tmp_path):
    file = tmp_path / "lamps.md"
    file.write_text(LAMPS)
    context = browser.new_context(base_url=live.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto("/sources")
    page.locator("summary", has_text="Add a document").click()
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    page.locator("#file").set_input_files(str(empty))
    # Refused as soon as it is chosen: the file named, the reason in place, Add off until another file.
    expect(page.locator("#upload-status")).to_have_text("empty.txt cannot be added: the file is empty. Choose another file.")
    expect(page.get_by_role("button", name="Add the document")).to_be_disabled()
    page.locator("#file").set_input_files(str(file))
    expect(page.locator("#upload [name=title]")).to_have_value("Lantern review")  # prefilled from the file
    expect(page.locator("#upload-status")).to_have_text(re.compile(r"^A Markdown file of [\d,]+ words\.$"))
    expect(page.get_by_role("button", name="Add the document")).to_be_enabled()
    assert page.locator("#upload [name=publisher]").input_value() == "Guild of Lamplighters"  # prefilled
    page.get_by_role("button", name="Add the document").click()
    page.locator("#upload-progress").wait_for(state="visible")
    page.wait_for_url("**/sources?added=*", timeout=120_000)
    expect(page.locator("#added-note")).to_contain_text("Added: Lantern review")
    row = page.locator("tr", has_text="Lantern review")
    assert "Guild of Lamplighters" in row.inner_text()
    assert row.get_attribute("class") == "new" and page.locator("tr.new").count() == 1
    serious = axe_serious(page)  # the documents page with the new row marked
    row.get_by_role("link", name=re.compile("^Ask about this document")).click()
    page.locator("#question").fill(QUESTION)
    page.get_by_role("button", name="Ask", exact=True).click()
    page.locator("#turn-1 blockquote").first.wait_for()
    assert "glow-worm" in page.locator("#turn-1 blockquote").first.inner_text()

    page.goto("/sources")
    page.locator("tr", has_text="Lantern review").get_by_role("link", name=re.compile("^Remove")).click()
    # Remove asks first; keeping it removes nothing
    expect(page.locator("h1")).to_have_text("Remove “Lantern review”?")
    serious += axe_serious(page)
    page.get_by_role("link", name="Keep it").click()
    assert page.locator("tr", has_text="Lantern review").count() == 1
    page.locator("tr", has_text="Lantern review").get_by_role("link", name=re.compile("^Remove")).click()
    confirm_url = page.url
    page.get_by_role("button", name="Remove it").click()
    page.wait_for_url("**/jobs/*")
    page.locator("#job-state", has_text="Done").wait_for(timeout=120_000)
    job_url = page.url
    # Undo is offered as the job finishes, in place (the page was drawn while the removal ran), not on a reload
    expect(page.get_by_role("button", name="Undo")).to_be_visible()
    assert not quotes_lamps(live.url)
    expect(page.locator("h1")).to_have_text("Removing “Lantern review”")
    serious += axe_serious(page)  # the job page, then the documents page offering Undo, with its upload form open
    page.goto("/sources")
    expect(page.locator("form.undo")).to_contain_text("Removed: “Lantern review”.")
    page.locator("summary", has_text="Add a document").click()
    serious += axe_serious(page)
    assert serious == [], serious
    # The change pages at a phone's width and in the dark scheme too (the documents page with an Undo, the
    # removal's job page, the confirmation, while the document is still out)
    for size, scheme in (({"width": 390, "height": 844}, "light"), ({"width": 1280, "height": 900}, "dark"),
                         ({"width": 390, "height": 844}, "dark")):
        other = browser.new_context(base_url=live.url, viewport=size, color_scheme=scheme).new_page()
        for url in ("/sources", job_url):
            other.goto(url)
            serious += axe_serious(other)
        other.context.close()
    assert serious == [], serious
    page.locator("form.undo").get_by_role("button", name=re.compile("^Undo")).click()  # put it back
    page.wait_for_url("**/jobs/*")
    page.locator("#job-state", has_text="Done").wait_for(timeout=120_000)
    assert quotes_lamps(live.url)
    for size, scheme in (({"width": 390, "height": 844}, "light"), ({"width": 1280, "height": 900}, "dark"),
                         ({"width": 390, "height": 844}, "dark")):
        other = browser.new_context(base_url=live.url, viewport=size, color_scheme=scheme).new_page()
        other.goto(confirm_url)  # the document is back: its confirmation page again
        serious += axe_serious(other)
        other.context.close()
    assert serious == [], serious
    context.close()
    assert not errors, errors


def test_a_statement_uploaded_without_a_publisher_speaks_for_the_body_it_names(browser, live, tmp_path):
    # Issue 24: the form proposes the body the statement names as itself; left empty, the index still reads it
    # from the opening; "the Association" in it is that body, and the line above the quotes names it once.
    file = tmp_path / "meadow.txt"
    file.write_text("Statement on the meadow decision\n\n"
                    "The Thornbury Beekeepers' Association welcomes the council's decision to protect Long Meadow "
                    "from development.\n\nThe Association is concerned, however, that the new mowing plan will "
                    "strip the meadow of wildflowers before the bees can feed.\n", encoding="utf-8")
    context = browser.new_context(base_url=live.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto("/sources")
    page.locator("summary", has_text="Add a document").click()
    page.locator("#file").set_input_files(str(file))
    publisher = page.locator("#upload [name=publisher]")
    expect(publisher).to_have_value("Thornbury Beekeepers' Association")  # proposed from its opening
    publisher.fill("")  # the user leaves it empty: the index reads it from the text all the same
    page.get_by_role("button", name="Add the document").click()
    page.wait_for_url("**/sources?added=*", timeout=120_000)
    assert "Thornbury Beekeepers' Association" in page.locator("tr", has_text="meadow decision").inner_text()
    page.goto("/")
    page.locator("#question").fill("What does the Thornbury Beekeepers' Association think of the mowing plan?")
    page.get_by_role("button", name="Ask", exact=True).click()
    turn = page.locator("#turn-1")
    turn.locator("blockquote").first.wait_for()
    actors = turn.locator("ol.quotes:not(.less-close) .tag.actor").all_inner_texts()  # the close quotes
    assert actors and set(actors) == {"Thornbury Beekeepers' Association"}, actors
    assert len(actors) == 2  # its statement and "The Association is concerned ..." (not a second body)
    assert turn.locator(".stances").inner_text().count("Thornbury Beekeepers' Association") == 1
    context.close()


def test_upload_without_javascript_lands_on_a_job_page_that_refreshes_to_done(browser, live, tmp_path):
    file = tmp_path / "lamps.md"
    file.write_text(LAMPS)
    context = browser.new_context(base_url=live.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/sources")
    page.locator("summary", has_text="Add a document").click()
    page.locator("#file").set_input_files(str(file))
    page.get_by_role("button", name="Add the document").click()
    page.wait_for_url("**/jobs/*")
    # the page refreshes itself (a <noscript> meta refresh) until the change is done
    page.locator("#job-state", has_text="Done").wait_for(timeout=120_000)
    page.get_by_role("link", name="Ask about it").click()
    page.locator("#question").fill(QUESTION)
    page.get_by_role("button", name="Ask", exact=True).click()
    page.wait_for_url("**#turn-1")
    assert "glow-worm" in page.locator("#turn-1 blockquote").first.inner_text()
    context.close()


def test_answers_keep_flowing_while_a_document_is_added(live):
    statuses: list[int] = []
    problems: list[str] = []
    stop = threading.Event()

    def ask_continuously():
        with httpx.Client(base_url=live.url, timeout=30) as http:
            texts: dict[str, str] = {}
            while not stop.is_set():
                r = http.post("/api/answer", json={"question": "What does Beta Council think of the widget fund?"})
                statuses.append(r.status_code)
                if r.status_code != 200:
                    problems.append(r.text[:200])
                    continue
                for q in r.json()["quotes"]:  # every quote verbatim: nothing from a half-built index
                    text = texts.get(q["source_id"]) or http.get(f"/api/sources/{q['source_id']}").json()["text"]
                    texts[q["source_id"]] = text
                    if text[q["start"]:q["end"]] != q["text"]:
                        problems.append(f"not verbatim: {q['text'][:60]}")

    clients = [threading.Thread(target=ask_continuously) for _ in range(3)]
    for c in clients:
        c.start()
    time.sleep(0.5)
    r = httpx.post(live.url + "/api/sources", files={"file": ("lamps.md", LAMPS.encode())}, timeout=30)
    assert r.status_code == 202, r.text
    job = wait_job(live.url, r.json()["job_url"])
    time.sleep(0.5)
    stop.set()
    for c in clients:
        c.join(30)
    assert job["state"] == "done", job
    assert statuses and set(statuses) == {200} and not problems, (set(statuses), problems[:3])
    assert quotes_lamps(live.url)


def test_a_server_killed_while_indexing_an_upload_restarts_on_the_previous_index(corpus):
    src, index = corpus
    srv = Server(src, index, {"ASSISTANT_UPLOADS": "true"}).wait()
    before = sorted(p.relative_to(src).as_posix() for p in src.rglob("*"))
    big = LAMPS + "\n\n".join(f"Paragraph {i}. The guild met again to weigh the lanterns, the towpaths and the "
                              f"costs of lamp oil in the winter of year {i}." for i in range(1500))
    r = httpx.post(srv.url + "/api/sources", files={"file": ("big.md", big.encode())}, timeout=30)
    assert r.status_code == 202
    job_url = r.json()["job_url"]
    deadline = time.monotonic() + 60
    while httpx.get(srv.url + job_url, timeout=10).json()["stage"] in ("queued", "reading") and time.monotonic() < deadline:
        time.sleep(0.1)
    srv.proc.send_signal(signal.SIGKILL)  # half way through parsing and embedding
    srv.proc.wait(10)
    assert index_status(Settings(sources_dir=src, index_dir=index)) != "ok"  # the upload is on disk, unconfirmed
    again = Server(src, index, {"ASSISTANT_UPLOADS": "true"})
    started = time.monotonic()
    again.wait()
    try:
        # The unfinished change was undone: sources/ as before it, the previous build serving as it was.
        assert sorted(p.relative_to(src).as_posix() for p in src.rglob("*")) == before
        assert index_status(Settings(sources_dir=src, index_dir=index)) == "ok"
        assert "building" not in again.log.read_text()  # no rebuild: the previous build serves at once
        assert not quotes_lamps(again.url)
        assert time.monotonic() - started < 60
    finally:
        again.stop()


def test_files_dropped_into_sources_are_indexed_with_watch(corpus):
    src, index = corpus
    srv = Server(src, index, {"ASSISTANT_WATCH": "true"}).wait()
    try:
        assert not quotes_lamps(srv.url)
        (src / "lamps.md").write_text(LAMPS)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and "lamps" not in {s["id"] for s in httpx.get(srv.url + "/api/sources").json()}:
            time.sleep(0.5)
        assert quotes_lamps(srv.url)
        (src / "lamps.md").unlink()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and "lamps" in {s["id"] for s in httpx.get(srv.url + "/api/sources").json()}:
            time.sleep(0.5)
        assert not quotes_lamps(srv.url)
    finally:
        srv.stop()


def test_uploads_are_refused_by_a_server_that_did_not_turn_them_on(corpus):
    src, index = corpus
    srv = Server(src, index).wait()
    try:
        r = httpx.post(srv.url + "/api/sources", files={"file": ("lamps.md", LAMPS.encode())})
        assert r.status_code == 403
        assert not (Path(src) / "uploads").exists()
    finally:
        srv.stop()
