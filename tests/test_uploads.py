"""Adding, replacing, editing and removing documents while the app runs (manage.py, library.py,
jobs.py), in process on the tiny corpus with the fake embedder; each bad file refused with its reason."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from fastapi.testclient import TestClient

from assistant.building import library
from assistant.answering.answer import open_assistant
from assistant.web.app import create_app

LAMPS = ("The Ministry of Lamps announced a plan to replace every street lamp with a glow-worm lantern.\n\n"
         "The Guild of Lamplighters opposes the glow-worm lanterns. We believe the lanterns are too dim for "
         "winter evenings and will leave pavements unsafe.\n")


def make_client(settings, embedder, **changes) -> TestClient:
    settings = settings.model_copy(update={"uploads": True, **changes})
    assistant = open_assistant(settings, embedder=embedder, log=lambda m: None)
    # base_url: the server answers changes only at a loopback name (see manage.allowed)
    return TestClient(create_app(settings, assistant), raise_server_exceptions=False, base_url="http://localhost")


@pytest.fixture
def client(tiny_settings, fake_embedder):
    with make_client(tiny_settings, fake_embedder) as c:
        yield c


def wait(client, job: dict, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = client.get(job["job_url"] if "job_url" in job else f"/api/jobs/{job['id']}").json()
        if state["state"] in ("done", "failed"):
            return state
        time.sleep(0.05)
    raise AssertionError(f"job did not finish: {state}")


def upload(client, name: str, data: bytes, **meta) -> tuple[int, dict]:
    r = client.post("/api/sources", files={"file": (name, data)}, data=meta)
    return r.status_code, r.json()


def quoted_sources(client, question: str) -> set[str]:
    a = client.post("/api/answer", json={"question": question}).json()
    return {q["source_id"] for q in a["quotes"]}


def test_add_edit_replace_and_remove_a_document_without_a_restart(client, tiny_settings):
    status, body = upload(client, "lamps.txt", LAMPS.encode(), publisher="Guild of Lamplighters", title="Lanterns")
    assert status == 202, body
    doc_id = body["id"]
    assert body["job"]["state"] in ("queued", "running", "done")
    done = wait(client, body)
    assert done["state"] == "done" and done["progress"] == 1.0, done
    listed = {s["id"]: s for s in client.get("/api/sources").json()}
    assert listed[doc_id]["publisher"] == "Guild of Lamplighters" and listed[doc_id]["title"] == "Lanterns"
    assert doc_id in quoted_sources(client, "What does the Guild of Lamplighters think of glow-worm lanterns?")
    # the file is stored under its generated id, never its name; the uploads catalog describes it
    stored = list((tiny_settings.sources_dir / "uploads").iterdir())
    assert {p.name for p in stored} == {f"{doc_id}.txt", "catalog.toml"}

    r = client.put(f"/api/sources/{doc_id}", data={"publisher": "Lamplighters' Guild"})
    assert r.status_code == 202 and wait(client, r.json())["state"] == "done"
    assert client.get(f"/api/sources/{doc_id}").json()["publisher"] == "Lamplighters' Guild"

    new_text = LAMPS.replace("too dim", "far too dim and too costly")
    r = client.put(f"/api/sources/{doc_id}", files={"file": ("whatever.bin", new_text.encode())})
    assert r.status_code == 202 and wait(client, r.json())["state"] == "done"
    source = client.get(f"/api/sources/{doc_id}").json()
    assert "far too dim" in source["text"] and source["title"] == "Lanterns"  # metadata kept

    r = client.delete(f"/api/sources/{doc_id}")
    assert r.status_code == 202 and wait(client, r.json())["state"] == "done"
    assert client.get(f"/api/sources/{doc_id}").status_code == 404
    assert doc_id not in quoted_sources(client, "What does the Guild of Lamplighters think of glow-worm lanterns?")
    assert [p.name for p in (tiny_settings.sources_dir / "uploads").iterdir()] == ["catalog.toml"]


def encrypted_pdf() -> bytes:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(200, 200)
    w.encrypt("secret")
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def bomb_docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<w:document/>" + b"\0" * 20_000_000)
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("notes.txt", "hello")
    return out.getvalue()


@pytest.mark.parametrize("name,data,status,reason", [
    ("report.txt", bytes(range(256)) * 8, 422, "binary"),
    ("empty.txt", b"", 422, "empty"),
    ("blank.md", b"   \n\n  ", 422, "empty"),
    ("report.pdf", b"%PDF-1.7\nthis is not really a pdf", 422, "broken PDF"),
    ("locked.pdf", None, 422, "encrypted"),
    ("archive.docx", None, 422, "not a Word document"),
    ("bomb.docx", None, 422, "zip bomb"),
    ("latin1.txt", "caf\xe9 cr\xe8me".encode("latin-1"), 422, "not UTF-8"),
    ("figure.txt", b"1.1125369292536007e-308", 422, "no words"),  # schemathesis' "number" sent as a file
    ("symbols.md", "G\u00a5 -- 42 %\n\n* 7".encode(), 422, "no words"),
])
def test_each_bad_file_is_refused_with_its_reason_and_nothing_changes(client, tiny_settings, name, data, status,
                                                                      reason):
    data = {"locked.pdf": encrypted_pdf, "archive.docx": plain_zip, "bomb.docx": bomb_docx}.get(name, lambda: data)()
    before = sorted(p.relative_to(tiny_settings.sources_dir) for p in tiny_settings.sources_dir.rglob("*"))
    code, body = upload(client, name, data)
    assert code == status, body
    assert reason in str(body["detail"]), body
    after = sorted(p.relative_to(tiny_settings.sources_dir) for p in tiny_settings.sources_dir.rglob("*"))
    assert after == before


def test_an_oversized_file_is_413(tiny_settings, fake_embedder):
    with make_client(tiny_settings, fake_embedder, max_source_mb=0.01) as c:
        code, body = upload(c, "big.txt", b"words and more words. " * 1000)
    assert code == 413 and "limit" in str(body["detail"])


def test_a_duplicate_id_is_409_and_an_unsafe_id_422(client):
    code, body = upload(client, "lamps.txt", LAMPS.encode(), id="alpha")
    assert code == 409 and "duplicate" in body["detail"]
    code, body = upload(client, "lamps.txt", LAMPS.encode(), id="../../etc/passwd")
    assert code == 422


def test_documents_placed_by_hand_are_not_changed_through_the_api(client, tiny_settings):
    before = (tiny_settings.sources_dir / "alpha.md").read_bytes()
    assert client.delete("/api/sources/alpha").status_code == 409
    assert client.put("/api/sources/alpha", data={"title": "x"}).status_code == 409
    assert client.delete("/api/sources/nope").status_code == 404
    assert (tiny_settings.sources_dir / "alpha.md").read_bytes() == before


def test_uploads_are_off_unless_turned_on(tiny_settings, fake_embedder):
    assistant = open_assistant(tiny_settings, embedder=fake_embedder, log=lambda m: None)
    with TestClient(create_app(tiny_settings, assistant), base_url="http://localhost") as c:
        r = c.post("/api/sources", files={"file": ("a.txt", LAMPS.encode())})
        assert r.status_code == 403 and "ASSISTANT_UPLOADS" in r.json()["detail"]
        assert "Add a document" not in c.get("/sources").text


def test_with_an_api_key_every_change_needs_it(tiny_settings, fake_embedder):
    with make_client(tiny_settings, fake_embedder, api_key="k3y") as c:
        r = c.post("/api/sources", files={"file": ("a.txt", LAMPS.encode())})
        assert r.status_code == 401
        r = c.post("/api/sources", files={"file": ("a.txt", LAMPS.encode())}, headers={"X-API-Key": "wrong"})
        assert r.status_code == 401
        page = c.post("/sources/upload", files={"file": ("a.txt", LAMPS.encode())}, data={"key": "wrong"})
        assert page.status_code == 401 and "API key" in page.text
        r = c.post("/api/sources", files={"file": ("a.txt", LAMPS.encode())}, headers={"X-API-Key": "k3y"})
        assert r.status_code == 202


def test_a_change_posted_from_another_site_is_refused(client, tiny_settings):
    r = client.post("/sources/upload", files={"file": ("a.txt", LAMPS.encode())},
                    headers={"Origin": "https://evil.example"}, follow_redirects=False)
    assert r.status_code == 403 and "another site" in r.text
    r = client.post("/api/sources", files={"file": ("a.txt", LAMPS.encode())}, headers={"Origin": "https://evil.example"})
    assert r.status_code == 403
    r = client.post("/api/sources", files={"file": ("a.txt", LAMPS.encode())}, headers={"Origin": "null"})
    assert r.status_code == 403
    assert not (tiny_settings.sources_dir / "uploads").exists()


def test_the_page_form_names_a_refused_file(client):
    """Without JavaScript, a refusal is shown on the documents page with the file's name and the reason."""
    r = client.post("/sources/upload", files={"file": ("minutes.txt", b"")}, follow_redirects=False)
    assert r.status_code == 422 and "minutes.txt was not added: the file is empty." in r.text


def test_the_page_form_adds_a_document_and_shows_its_progress(client):
    r = client.post("/sources/upload", files={"file": ("lamps.md", b"# Lanterns\n\n" + LAMPS.encode())},
                    data={"publisher": "Guild of Lamplighters"}, headers={"Origin": "http://localhost"},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/jobs/")
    job_id = r.headers["location"].rsplit("/", 1)[1]
    done = wait(client, {"id": job_id})
    assert done["state"] == "done" and done["title"] == "Lanterns"
    page = client.get(r.headers["location"]).text
    assert "Done in" in page and "Ask about it" in page
    # The job page is titled with the document's title, not its generated id.
    assert "<h1>Adding “Lanterns”</h1>" in page and done["source_id"] not in page.split("<h1>")[1].split("</h1>")[0]
    assert "<title>Done: Lanterns" in page
    docs = client.get("/sources").text
    assert "Lanterns" in docs and "Remove" in docs and 'id="added-note"' not in docs
    # Back from the upload: said, and its row marked.
    docs = client.get("/sources", params={"added": done["source_id"]}).text
    note = docs.split('id="added-note">')[1].split("</p>")[0]
    assert "Added:" in note and "Lanterns" in note
    row = docs.split(f'id="doc-{done["source_id"]}"')[1].split("</tr>")[0]
    assert row.startswith(' class="new"') and ">New<" in row
    assert docs.count('class="new"') == 1
    assert 'id="added-note"' not in client.get("/sources", params={"added": "no-such-id"}).text


def test_inspect_prefills_metadata_from_the_file(client):
    html = (b"<!doctype html><html><head><title>Lantern policy</title><meta name=author content='Guild'>"
            b"<meta name=date content='2024-05-01'></head><body><h1>Lantern policy</h1><p>" + LAMPS.encode() + b"</p></body></html>")
    r = client.post("/api/sources/inspect", files={"file": ("x.bin", html)})
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["kind"] == "html" and got["title"] == "Lantern policy" and got["publisher"] == "Guild"
    assert got["published"] == "2024-05-01" and got["words"] > 20


def test_inspect_proposes_the_body_a_statement_names_as_itself(client):
    # Issue 24: a statement that states no publisher; the form proposes the body its opening names as itself.
    text = (b"Statement on the meadow decision\n\nThe Thornbury Beekeepers' Association welcomes the council's decision "
            b"to protect Long Meadow. The Association is concerned, however, that the mowing plan will harm wildflowers.\n")
    r = client.post("/api/sources/inspect", files={"file": ("statement.txt", text)})
    assert r.status_code == 200, r.text
    assert r.json()["publisher"] == "Thornbury Beekeepers' Association"
    plain = b"Notes on the meadow\n\nThe meadow was mown in June, earlier than in most years.\n"
    assert client.post("/api/sources/inspect", files={"file": ("notes.txt", plain)}).json()["publisher"] == ""


def test_a_word_document_is_read_with_its_headings(client):
    docx = pytest.importorskip("docx")  # python-docx writes a real .docx for the test, when installed
    d = docx.Document()
    d.core_properties.title = "Lantern review"
    d.add_heading("Guild view", level=1)
    d.add_paragraph(LAMPS.split("\n\n")[1])
    out = io.BytesIO()
    d.save(out)
    # Inspected, it is named as what it is, and python-docx's template date (2013-12-23, the `created`
    # property of every file it writes) is not proposed as the date it was published.
    got = client.post("/api/sources/inspect", files={"file": ("review.docx", out.getvalue())}).json()
    assert got["kind"] == "docx" and got["title"] == "Lantern review" and got["published"] == "", got
    code, body = upload(client, "review.docx", out.getvalue())
    assert code == 202 and wait(client, body)["state"] == "done"
    src = client.get(f"/api/sources/{body['id']}").json()
    assert src["title"] == "Lantern review" and "too dim" in src["text"]
    assert not src.get("published"), src.get("published")


def test_a_failed_build_leaves_sources_and_the_serving_index_as_they_were(client, tiny_settings, monkeypatch):
    import assistant.building.store

    before = sorted(p.name for p in tiny_settings.sources_dir.rglob("*"))
    serving = client.app.state.assistant

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(assistant.building.store, "build_index", broken)
    code, body = upload(client, "lamps.txt", LAMPS.encode())
    assert code == 202
    state = wait(client, body)
    assert state["state"] == "failed" and "disk full" in state["error"]
    assert sorted(p.name for p in tiny_settings.sources_dir.rglob("*")) == before
    assert library.read_uploads(tiny_settings.sources_dir) == {}
    assert client.app.state.assistant is serving


def test_an_unfinished_change_is_undone_on_the_next_start(tiny_settings):
    """A process killed between writing a change and confirming it: the next start puts sources/ back."""
    src = tiny_settings.sources_dir
    prepared = library.Prepared(LAMPS.encode(), ".txt", (), ".txt")
    library.stage_add(src, "lamps-1", prepared, {"title": "Lanterns"})  # never confirmed (done) nor undone
    assert (src / "uploads" / "lamps-1.txt").exists()
    library.clean_leftovers(src)
    assert not (src / "uploads" / "lamps-1.txt").exists()
    assert library.read_uploads(src) == {}
    assert not (src / "uploads").exists()  # the folder the change made is gone too


def test_nothing_is_written_outside_sources_and_index(client, tiny_settings, tmp_path):
    watched = tmp_path.parent
    before = {p for p in watched.rglob("*") if not p.is_relative_to(tmp_path)}
    code, body = upload(client, "lamps.txt", LAMPS.encode())
    assert code == 202 and wait(client, body)["state"] == "done"
    inside = {p for p in tmp_path.rglob("*")}
    assert all(p.is_relative_to(tiny_settings.sources_dir) or p.is_relative_to(tiny_settings.index_dir)
               for p in inside - set(tmp_path.glob("*")))
    after = {p for p in watched.rglob("*") if not p.is_relative_to(tmp_path)}
    assert after == before


def test_uploads_queued_together_cannot_take_one_id(client, tiny_settings):
    """Ids are checked again on the worker, just before writing: the second of two queued uploads
    asking for the same id fails instead of replacing the first."""
    codes = [upload(client, "lamps.txt", LAMPS.encode(), id="lamps") for _ in range(2)]
    states = [wait(client, body)["state"] if code == 202 else code for code, body in codes]
    assert sorted(map(str, states)) in (["409", "done"], ["done", "failed"]), states
    assert (tiny_settings.sources_dir / "uploads" / "lamps.txt").read_bytes() == LAMPS.encode()


def test_a_failed_write_is_undone_and_bad_metadata_never_reaches_the_catalog(client, tiny_settings, monkeypatch):
    code, body = upload(client, "lamps.txt", LAMPS.encode(), title="Lamps\x7fX")
    assert code == 422 and "control characters" in body["detail"]
    code, body = upload(client, "lamps.txt", LAMPS.encode())
    assert wait(client, body)["state"] == "done"
    before = sorted((p.name, p.read_bytes()) for p in (tiny_settings.sources_dir / "uploads").iterdir())
    real = library.os.replace

    def full(src, dst):  # the new catalog cannot be put in place (a rename back from a backup still can)
        if str(dst).endswith("catalog.toml") and str(src).endswith(".tmp"):
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(library.os, "replace", full)
    state = wait(client, client.delete(f"/api/sources/{body['id']}").json())
    monkeypatch.setattr(library.os, "replace", real)
    assert state["state"] == "failed" and "No space" in state["error"]
    after = sorted((p.name, p.read_bytes()) for p in (tiny_settings.sources_dir / "uploads").iterdir())
    assert after == before  # the document's file is back and nothing is left half-written
    assert client.get(f"/api/sources/{body['id']}").status_code == 200


def test_files_that_hold_no_readable_document_are_refused_with_a_reason(client):
    code, body = upload(client, "empty.html", b"<!doctype html><html><body><script>x()</script></body></html>")
    assert code == 422 and "nothing readable" in body["detail"]
    code, body = upload(client, "bad.jsonl", b'{"id": "a", "text": "Fine words here."}\n{"id": "b"}\n')
    assert code == 422 and "cannot be read" in body["detail"]


def test_a_jsonl_upload_is_managed_through_its_documents(client):
    lines = b'{"id": "lamp-plan", "title": "Lamp plan", "text": "The Guild of Lamplighters opposes the lanterns."}\n' \
            b'{"id": "lamp-cost", "title": "Lamp cost", "text": "The lanterns cost more than oil lamps."}\n'
    code, body = upload(client, "bulk.jsonl", lines)
    assert code == 202 and body["id"] == "lamp-plan" and wait(client, body)["state"] == "done"
    assert client.get("/api/sources/lamp-cost").status_code == 200
    assert client.put("/api/sources/lamp-plan", data={"title": "x"}).status_code == 409
    state = wait(client, client.delete("/api/sources/lamp-cost").json())
    assert state["state"] == "done"
    assert client.get("/api/sources/lamp-plan").status_code == 404  # the file goes as a whole


def test_an_id_that_names_a_configuration_file_is_refused(client):
    code, body = upload(client, "readme.md", b"# Notes\n\nSome words about lanterns.\n", id="README")
    assert code == 422 and "configuration file" in body["detail"]


def test_changes_are_taken_only_at_a_loopback_name(client):
    """DNS rebinding: a hostile page whose name now points at 127.0.0.1 sends its own Host and Origin."""
    r = client.post("/api/sources", files={"file": ("a.txt", LAMPS.encode())},
                    headers={"Host": "attacker.example:8000", "Origin": "http://attacker.example:8000"})
    assert r.status_code == 403 and "loopback" in r.json()["detail"]


def test_remove_asks_first_and_an_undo_puts_the_document_back(client):
    status, body = upload(client, "lamps.txt", LAMPS.encode(), publisher="Guild of Lamplighters", title="Lanterns")
    assert status == 202 and wait(client, body)["state"] == "done"
    doc_id, text = body["id"], client.get(f"/api/sources/{body['id']}").json()["text"]
    listing = client.get("/sources").text
    assert f'href="/sources/{doc_id}/remove"' in listing and f'action="/sources/{doc_id}/remove"' not in listing
    ask = client.get(f"/sources/{doc_id}/remove")
    assert ask.status_code == 200 and "Remove “Lanterns”?" in ask.text and f'action="/sources/{doc_id}/remove"' in ask.text
    assert doc_id in {s["id"] for s in client.get("/api/sources").json()}  # asking removed nothing
    gone = client.post(f"/sources/{doc_id}/remove", follow_redirects=False)
    assert gone.status_code == 303
    job_id = gone.headers["location"].rsplit("/", 1)[1]
    assert wait(client, {"id": job_id})["state"] == "done"
    assert doc_id not in {s["id"] for s in client.get("/api/sources").json()}
    assert "Removed: “Lanterns”." in client.get("/sources").text and "Undo" in client.get(f"/jobs/{job_id}").text
    back = client.post(f"/sources/{doc_id}/undo", follow_redirects=False)
    assert back.status_code == 303
    assert wait(client, {"id": back.headers["location"].rsplit("/", 1)[1]})["state"] == "done"
    again = client.get(f"/api/sources/{doc_id}").json()  # under its id, with its text and metadata
    assert again["text"] == text and again["publisher"] == "Guild of Lamplighters" and again["title"] == "Lanterns"
    assert "Removed: “Lanterns”." not in client.get("/sources").text
    twice = client.post(f"/sources/{doc_id}/undo")  # an undo is used once
    assert twice.status_code == 410 and "can no longer be put back" in twice.text


def test_an_undo_past_its_time_is_refused_with_a_reason(client, monkeypatch):
    from assistant.web import manage

    status, body = upload(client, "lamps.txt", LAMPS.encode(), title="Lanterns")
    assert status == 202 and wait(client, body)["state"] == "done"
    gone = client.post(f"/sources/{body['id']}/remove", follow_redirects=False)
    assert wait(client, {"id": gone.headers["location"].rsplit("/", 1)[1]})["state"] == "done"
    monkeypatch.setattr(manage, "UNDO_SECONDS", 0)
    assert "Removed: “Lanterns”." not in client.get("/sources").text
    late = client.post(f"/sources/{body['id']}/undo")
    assert late.status_code == 410 and "10 minutes" not in late.text and "can no longer be put back" in late.text
    assert body["id"] not in {s["id"] for s in client.get("/api/sources").json()}
    assert client.get("/sources/no-such-doc/remove").status_code == 404


@pytest.fixture
def held(client):
    """The job queue held by a job that waits: changes accepted meanwhile stay queued until `release()`."""
    import threading

    gate = threading.Event()
    blocker = client.app.state.jobs.submit("rescan", None, lambda: gate.wait(30) and None)

    def release():
        gate.set()
        wait(client, {"id": blocker.id})

    yield release
    gate.set()


def test_an_accepted_upload_is_served_at_once_and_changed_only_once_indexed(client, held):
    status, body = upload(client, "lamps.txt", LAMPS.encode(), publisher="Guild of Lamplighters", title="Lanterns")
    assert status == 202 and body["job"]["state"] == "queued", body
    doc_id = body["id"]
    early = client.get(f"/api/sources/{doc_id}")
    assert early.status_code == 200, early.text
    early = early.json()
    assert early["state"] == "indexing" and early["job_url"] == body["job_url"] and early["chunks"] == 0
    assert early["title"] == "Lanterns" and "glow-worm lantern" in early["text"]
    assert {s["id"]: s["state"] for s in client.get("/api/sources").json()}[doc_id] == "indexing"
    # it cannot be changed before it is in: a clear 409, not a 404 for a document the API just served
    for r in (client.delete(f"/api/sources/{doc_id}"), client.put(f"/api/sources/{doc_id}", data={"title": "x"})):
        assert r.status_code == 409 and "still being added" in r.json()["detail"], r.text
    held()
    assert wait(client, body)["state"] == "done"
    indexed = client.get(f"/api/sources/{doc_id}").json()
    assert indexed["state"] == "indexed" and indexed["job_url"] is None and indexed["chunks"] > 0
    assert indexed["text"] == early["text"]  # the text quotes will be cut from, served before the job ran


def test_an_accepted_removal_is_gone_at_once_and_back_if_it_fails(client, held, monkeypatch):
    from assistant.building import library

    question = "What does the Guild of Lamplighters think of glow-worm lanterns?"
    held()
    status, body = upload(client, "lamps.txt", LAMPS.encode(), publisher="Guild of Lamplighters")
    assert status == 202 and wait(client, body)["state"] == "done"
    doc_id = body["id"]
    assert doc_id in quoted_sources(client, question)

    def failing(*args, **kwargs):
        raise OSError("disk full")

    gate = __import__("threading").Event()
    blocker = client.app.state.jobs.submit("rescan", None, lambda: gate.wait(30) and None)
    monkeypatch.setattr(library, "stage_remove", failing)
    r = client.delete(f"/api/sources/{doc_id}")
    assert r.status_code == 202 and r.json()["job"]["state"] == "queued"
    gone = client.get(f"/api/sources/{doc_id}")
    assert gone.status_code == 404 and "being removed" in gone.json()["detail"]
    assert doc_id not in {s["id"] for s in client.get("/api/sources").json()}
    assert doc_id not in quoted_sources(client, question)  # the cached answer is not served either
    assert f"/sources/{doc_id}" not in client.get("/sources").text
    again = client.delete(f"/api/sources/{doc_id}")
    assert again.status_code == 404 and "being removed" in again.json()["detail"]
    named = client.post("/api/answer", json={"question": question, "sources": [doc_id]})
    assert named.status_code == 404 and named.json()["detail"][0]["field"] == "sources"
    gate.set()
    wait(client, {"id": blocker.id})
    failed = wait(client, r.json())
    assert failed["state"] == "failed" and "disk full" in failed["error"]
    back = client.get(f"/api/sources/{doc_id}")
    assert back.status_code == 200 and back.json()["state"] == "indexed"
    assert doc_id in quoted_sources(client, question)


def test_a_file_part_is_documented_as_any_bytes(client):
    """`format: binary` beside contentMediaType: a file holding "true" is a file, not a boolean, to any client
    or checker reading the schema (schemathesis took one for a schema-violating request)."""
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    files = [s["properties"]["file"] for s in schemas.values() if "file" in s.get("properties", {})]
    assert len(files) == 3 and all(f.get("format") == "binary" for f in files), files
