"""The app factory, in process, with an injected assistant on the tiny corpus (no model, no server)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from assistant.actors import load_actors
from assistant.answer import Assistant
from assistant.app import create_app
from assistant.store import build_index, load_index


@pytest.fixture
def client(tiny_settings, fake_embedder):
    build_index(tiny_settings, fake_embedder, progress=False, log=lambda m: None)
    assistant = Assistant(tiny_settings, load_index(tiny_settings, fake_embedder.dim), fake_embedder,
                          load_actors(tiny_settings.actors_path()))
    # raise_server_exceptions=False: see the response a real client would get, not the exception.
    with TestClient(create_app(tiny_settings, assistant), raise_server_exceptions=False) as c:
        yield c


def test_factory_uses_the_injected_assistant(client):
    h = client.get("/healthz").json()
    assert h["sources"] == 2 and h["model"] == "fake"


def test_answer_and_source_round_trip(client):
    a = client.post("/api/answer", json={"question": "What does the Beta Council think of the widget fund decision?"}).json()
    assert a["answered"]
    for q in a["quotes"]:
        text = client.get(f"/api/sources/{q['source_id']}").json()["text"]
        assert text[q["start"]:q["end"]] == q["text"]


def test_unexpected_errors_are_500_json_without_a_trace(client, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(client.app.state.assistant, "ask", boom)
    r = client.post("/api/answer", json={"question": "anything?"})
    assert r.status_code == 500
    assert r.json()["error"] == "internal error"
    assert "secret internals" not in r.text and "Traceback" not in r.text


def test_no_js_form_with_an_empty_question_shows_an_error(client):
    r = client.post("/", data={"question": "  "})
    assert r.status_code == 422 and "Your question is empty" in r.text


def test_viewer_escapes_source_text_and_highlights_the_range(client):
    text = client.get("/api/sources/alpha").json()["text"]
    start = text.index("We welcome")
    r = client.get("/sources/alpha", params={"start": start, "end": start + 10})
    assert '<mark id="quote" tabindex="-1">We welcome</mark>' in r.text
