"""Every ASSISTANT_* setting that concerns the API changes what the API does, and what its OpenAPI says.
In process, on the tiny corpus with the fake embedder: one index, an app per setting."""

from __future__ import annotations

import threading
import time

import pytest
from fastapi.testclient import TestClient

from assistant.answering.answer import Assistant, open_assistant
from assistant.web.app import create_app

QUESTION = "What does the Beta Council think of the widget fund decision?"  # five quotes or more on the tiny corpus


@pytest.fixture
def index_and_embedder(tiny_settings, fake_embedder):
    built = open_assistant(tiny_settings, embedder=fake_embedder, log=lambda m: None)
    return built.index, built.embedder


@pytest.fixture
def client_with(tiny_settings, index_and_embedder):
    """client_with(**settings): a client of an app, and its assistant, with these settings changed."""
    clients = []

    def make(**changes) -> TestClient:
        settings = tiny_settings.model_copy(update=changes)
        client = TestClient(create_app(settings, Assistant(settings, *index_and_embedder)))
        clients.append(client.__enter__())
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def schema_of(client: TestClient, name: str) -> dict:
    return client.get("/openapi.json").json()["components"]["schemas"][name]


def query_param(client: TestClient, path: str, name: str) -> dict:
    [param] = [p for p in client.get("/openapi.json").json()["paths"][path]["get"]["parameters"] if p["name"] == name]
    return param["schema"]


# -- ASSISTANT_TOP_K --------------------------------------------------------------------------------

def test_top_k_is_the_default_number_of_quotes(client_with):
    default = client_with()
    assert len(default.post("/api/answer", json={"question": QUESTION}).json()["quotes"]) == 5
    two = client_with(top_k=2)
    assert len(two.post("/api/answer", json={"question": QUESTION}).json()["quotes"]) == 2
    assert len(two.post("/api/answer", json={"question": QUESTION, "top_k": 4}).json()["quotes"]) == 4  # asked: given
    top_k = schema_of(two, "AnswerRequest")["properties"]["top_k"]
    assert top_k["default"] == 2 and "default 2" in top_k["description"]


# -- ASSISTANT_MAX_QUESTION_CHARS -------------------------------------------------------------------

def test_a_higher_max_question_chars_accepts_longer_questions_everywhere(client_with):
    long = (QUESTION + " ") * 30  # about 1,900 characters
    assert 1000 < len(long) < 2000
    default = client_with()
    assert default.post("/api/answer", json={"question": long}).status_code == 422
    c = client_with(max_question_chars=2000)
    for response in (c.post("/api/answer", json={"question": long}),
                     c.post("/api/answer", json={"question": "And the council?", "history": [{"question": long}]}),
                     c.get("/api/search", params={"q": long}),
                     c.get("/api/positions", params={"topic": long})):
        assert response.status_code == 200, response.text
    for text in (schema_of(c, "AnswerRequest")["properties"]["question"], schema_of(c, "Turn")["properties"]["question"],
                 query_param(c, "/api/search", "q"), query_param(c, "/api/positions", "topic")):
        assert text["maxLength"] == 2000
    assert "2,000 characters" in schema_of(c, "AnswerRequest")["properties"]["question"]["description"]


def test_a_lower_max_question_chars_refuses_longer_questions_naming_the_field(client_with):
    c = client_with(max_question_chars=40)
    long = "What does the council think of the widget fund?"  # 48 characters
    for response, field in ((c.post("/api/answer", json={"question": long}), "question"),
                            (c.post("/api/answer", json={"question": "Why?", "history": [{"question": long}]}),
                             "history.0.question"),
                            (c.get("/api/search", params={"q": long}), "q"),
                            (c.get("/api/positions", params={"topic": long}), "topic")):
        assert response.status_code == 422
        assert [d["field"] for d in response.json()["detail"]] == [field]
    assert c.post("/api/answer", json={"question": "What about the widget fund?"}).status_code == 200


# -- ASSISTANT_MAX_BODY_KB --------------------------------------------------------------------------

def test_max_body_kb_sets_the_largest_body(client_with):
    padded = b'{"question": "' + QUESTION.encode() + b'"}' + b" " * 3000  # JSON may end in whitespace: 3 KiB
    headers = {"content-type": "application/json"}
    small = client_with(max_body_kb=2)
    r = small.post("/api/answer", content=padded, headers=headers)
    assert r.status_code == 413 and r.json() == {"error": "request too large", "detail": "the body is limited to 2 KiB"}
    assert small.post("/api/answer", json={"question": QUESTION}).status_code == 200
    padded = padded + b" " * 70_000  # over the default 64 KiB
    assert client_with().post("/api/answer", content=padded, headers=headers).status_code == 413
    assert client_with(max_body_kb=128).post("/api/answer", content=padded, headers=headers).status_code == 200


# -- ASSISTANT_API_KEY ------------------------------------------------------------------------------
# (that the key is required on /api and not on the pages: test_app.py)

def test_api_key_is_declared_in_the_openapi_only_when_set(client_with):
    open_spec = client_with().get("/openapi.json").json()
    assert "securitySchemes" not in open_spec.get("components", {})
    assert "401" not in open_spec["paths"]["/api/answer"]["post"]["responses"]
    keyed = client_with(api_key="s3cret-key")
    spec = keyed.get("/openapi.json").json()  # the schema itself stays readable without the key
    assert spec["components"]["securitySchemes"] == {
        "bearer": {"type": "http", "scheme": "bearer"}, "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"}}
    for path, methods in spec["paths"].items():
        for operation in methods.values():
            if path.startswith("/api/"):
                assert operation["security"] == [{"bearer": []}, {"apiKey": []}], path
                assert "401" in operation["responses"], path
            else:
                assert "security" not in operation and "401" not in operation["responses"], path
    assert keyed.post("/api/answer", json={"question": QUESTION}).status_code == 401
    assert keyed.post("/api/answer", json={"question": QUESTION},
                      headers={"Authorization": "Bearer s3cret-key"}).status_code == 200
    assert keyed.get("/healthz").status_code == 200


# -- ASSISTANT_CORS_ORIGINS -------------------------------------------------------------------------
# (that CORS is off by default: test_app.py)

def test_cors_origins_are_allowed_to_call_the_api(client_with):
    c = client_with(cors_origins=["https://app.example"])
    r = c.get("/api/sources", headers={"Origin": "https://app.example"})
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "https://app.example"
    preflight = c.options("/api/answer", headers={"Origin": "https://app.example", "Access-Control-Request-Method": "POST",
                                                  "Access-Control-Request-Headers": "authorization, content-type"})
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "https://app.example"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    r = c.get("/api/sources", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in r.headers


# -- ASSISTANT_CACHE_SIZE ---------------------------------------------------------------------------

def answers_worked_out(client: TestClient, questions: list[str]) -> int:
    """Ask each question through the API; how many were worked out rather than served from the cache."""
    assistant = client.app.state.assistant
    worked, respond = [], assistant.respond
    assistant.respond = lambda *args, **kwargs: worked.append(1) or respond(*args, **kwargs)
    for q in questions:
        assert client.post("/api/answer", json={"question": q}).status_code == 200
    return len(worked)


def test_cache_size_is_how_many_answers_are_kept(client_with):
    other = "What did the Alpha Health Trust say about staffing?"
    assert answers_worked_out(client_with(), [QUESTION, other, QUESTION, other]) == 2
    assert answers_worked_out(client_with(cache_size=1), [QUESTION, other, QUESTION, QUESTION]) == 3
    assert answers_worked_out(client_with(cache_size=0), [QUESTION, QUESTION]) == 2


# -- ASSISTANT_ANSWER_THREADS -----------------------------------------------------------------------

def most_answered_at_once(client: TestClient, requests: int) -> int:
    """Send requests all at once, each answer taking 0.5 s; how many were being answered at the same time."""
    assistant = client.app.state.assistant
    lock, now, most = threading.Lock(), [0], [0]
    ask = assistant.ask

    def slow_ask(*args, **kwargs):
        with lock:
            now[0] += 1
            most[0] = max(most[0], now[0])
        time.sleep(0.5)
        with lock:
            now[0] -= 1
        return ask(*args, **kwargs)

    assistant.ask = slow_ask
    statuses: list[int] = []
    threads = [threading.Thread(target=lambda: statuses.append(
        client.post("/api/answer", json={"question": QUESTION}).status_code)) for _ in range(requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [200] * requests
    return most[0]


def test_answer_threads_is_how_many_questions_are_answered_at_once(client_with):
    assert most_answered_at_once(client_with(answer_threads=1), 3) == 1
    assert most_answered_at_once(client_with(answer_threads=3), 3) == 3
