"""Hostile content in a source is shown as text, in the chat and the viewer, in a real browser:
no script from a document ever runs. Served over real HTTP (uvicorn in a thread) with a fake
embedder: this is about escaping, not retrieval."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from assistant.answering.answer import open_assistant
from assistant.web.app import create_app

from conftest import free_port

EVIL = """---
title: Widget <b>safety</b> notes
publisher: Evil Corp
url: javascript:window.pwned='url'
---

# Widget safety notes

The widget board warns that &lt;script&gt;window.pwned='script'&lt;/script&gt; must never run on the widget page.

Another widget line: &lt;img src=x onerror="window.pwned='img'"&gt; and a [widget link](javascript:window.pwned='link').
"""


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    import uvicorn

    from conftest import FakeEmbedder
    from assistant.settings import Settings

    root = tmp_path_factory.mktemp("hostile")
    (root / "sources").mkdir()
    (root / "sources" / "evil.md").write_text(EVIL)
    settings = Settings(sources_dir=root / "sources", index_dir=root / "index", model="fake")
    emb = FakeEmbedder()
    assistant = open_assistant(settings, embedder=emb, log=lambda m: None)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings, assistant), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            httpx.get(url + "/healthz", timeout=1)
            break
        except httpx.HTTPError:
            time.sleep(0.05)
    yield url
    server.should_exit = True
    thread.join(5)


def test_hostile_text_is_served_verbatim_but_escaped(hostile_server):
    text = httpx.get(hostile_server + "/api/sources/evil").json()["text"]
    assert "<script>window.pwned='script'</script>" in text  # the words are kept, as text
    page = httpx.get(hostile_server + "/sources/evil").text
    assert "<script>window.pwned" not in page and "&lt;script&gt;window.pwned" in page
    assert 'href="javascript:' not in page
    r = httpx.post(hostile_server + "/", data={"question": "What does the widget board warn about the widget page?"},
                   follow_redirects=True)  # the no-JS post redirects to the conversation's page
    assert r.status_code == 200 and r.history and r.history[0].status_code == 303
    assert "<script>window.pwned" not in r.text and "&lt;script&gt;" in r.text


@pytest.mark.e2e
def test_no_script_from_a_source_runs_in_the_browser(browser, hostile_server):
    context = browser.new_context(base_url=hostile_server)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto("/")
    page.get_by_label("Your question").fill("What does the widget board warn about the widget page?")
    page.get_by_role("button", name="Ask").click()
    page.locator("#turn-1 .quote, #turn-1 .abstain").first.wait_for()
    assert "<script>" in page.locator("#turn-1").inner_text()
    assert page.evaluate("window.pwned === undefined")
    page.goto("/sources/evil")
    assert "window.pwned='script'" in page.locator("article").inner_text()
    assert page.evaluate("window.pwned === undefined") and not dialogs
    for link in page.locator("a").all():
        assert not (link.get_attribute("href") or "").lower().startswith("javascript:")
    context.close()
