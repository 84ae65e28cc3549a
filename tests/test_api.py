"""The JSON API over real HTTP, against a real `assistant serve` process on the seed corpus."""

from __future__ import annotations

import httpx
import pytest

from assistant.web.api import MAX_STATEMENTS

pytestmark = pytest.mark.e2e

QUOTE_FIELDS = {"text", "start", "end", "passage", "source_id", "title", "publisher", "published", "section",
                "score", "actor", "speaker", "stance", "close", "url"}


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


def ask(http, **body):
    r = http.post("/api/answer", json=body)
    assert r.status_code == 200, r.text
    return r.json()


def test_answer_contract(http):
    a = ask(http, question="What does the BMA think of the proposed GP buy-out fund?")
    assert set(a) == {"question", "standalone_question", "answered", "message", "suggestion", "quotes", "took_ms"}
    from assistant.web.api import AnswerOut

    AnswerOut.model_validate(a)  # the serialised answer is exactly what the OpenAPI schema promises
    assert a["answered"] is True and a["message"] is None and 1 <= len(a["quotes"]) <= 5
    for q in a["quotes"]:
        assert set(q) == QUOTE_FIELDS
        assert q["url"] == f"/sources/{q['source_id']}?start={q['start']}&end={q['end']}#quote"
        assert q["start"] < q["end"] and q["text"] in q["passage"]


@pytest.mark.parametrize("question", [
    "What does the BMA think of the proposed GP buy-out fund?",
    "Did the government accept the 1% prevention shift?",
    "Who welcomed fewer national targets?",
    "What did NHS Providers say about pooled budgets?",
    "How much did the BMA say social care roles are vacant?",
])
def test_a_client_can_verify_every_quote_from_the_api_alone(http, question):
    a = ask(http, question=question, top_k=10)
    texts: dict[str, str] = {}
    for q in a["quotes"]:
        if q["source_id"] not in texts:
            r = http.get(f"/api/sources/{q['source_id']}")
            assert r.status_code == 200
            texts[q["source_id"]] = r.json()["text"]
        assert texts[q["source_id"]][q["start"]:q["end"]] == q["text"]


def test_follow_up_through_history(http):
    a = ask(http, question="And the BMA?", history=[{"question": "What did NHS Providers say about national targets?"}])
    assert a["standalone_question"] != a["question"] and "targets" in a["standalone_question"]
    assert a["quotes"][0]["actor"] == "BMA"
    assert any("target" in q["text"] for q in a["quotes"][:3])


@pytest.mark.parametrize("question", [
    "What does NHS Providers say about national targets?",
    "Did the government accept the 1% prevention shift?",
    "What is the capital of France?",
])
def test_a_complete_question_gets_the_same_answer_after_unrelated_turns(http, question):
    alone = ask(http, question=question)
    after = ask(http, question=question, history=[{"question": "What did the BMA say about the GP buy-out fund?"},
                                                  {"question": "And the government?"}])
    assert after["standalone_question"] == question
    assert after["answered"] == alone["answered"]
    assert [(q["source_id"], q["start"], q["end"]) for q in after["quotes"]] == [
        (q["source_id"], q["start"], q["end"]) for q in alone["quotes"]]


def test_filters(http):
    a = ask(http, question="What was said about prevention?", sources=["kings-fund-hewitt-takeaways"], top_k=8)
    assert {q["source_id"] for q in a["quotes"]} == {"kings-fund-hewitt-takeaways"}
    a = ask(http, question="What was said about prevention?", actors=["NHS Providers"], top_k=8)
    assert a["quotes"] and {q["actor"] for q in a["quotes"]} == {"NHS Providers"}


def test_a_spokespersons_words_are_the_bodys_position_and_name_the_speaker(http):
    # NHS Providers' press statement: its chief executive's quoted words
    a = ask(http, question="What did Julian Hartley say about long-term funding?")
    top = a["quotes"][0]
    assert (top["actor"], top["speaker"]) == ("NHS Providers", "Julian Hartley")
    assert top["text"].lstrip().startswith(("\"", "\u201c"))


def test_unanswerable_question_is_declined(http):
    a = ask(http, question="What was the Reserve Bank of Australia's cash rate in May?")
    assert a["answered"] is False and a["quotes"] == [] and "do not answer" in a["message"]
    assert a["suggestion"] is None


def test_a_misspelt_name_is_answered_as_meant_and_says_so(http):
    a = ask(http, question="What did the BMA say about the Hewit Review?")
    assert a["answered"] is True and "Read “Hewit” as “Hewitt”" in a["message"] and a["suggestion"] is None
    assert a["standalone_question"] == "What did the BMA say about the Hewitt Review?"
    assert a["quotes"] == ask(http, question=a["standalone_question"])["quotes"]


@pytest.mark.parametrize("body,field", [
    ({"question": ""}, "question"),
    ({"question": "   "}, "question"),
    ({}, "question"),
    ({"question": "x" * 1001}, "question"),
    ({"question": 42}, "question"),
    ({"question": "ok?", "top_k": 0}, "top_k"),
    ({"question": "ok?", "top_k": 21}, "top_k"),
    ({"question": "ok?", "top_k": "many"}, "top_k"),
    ({"question": "ok?", "top_k": "3"}, "top_k"),
    ({"question": "ok?", "top_k": True}, "top_k"),
    ({"question": "ok?", "history": "not a list"}, "history"),
    ({"question": "ok?", "history": [{"q": "wrong key"}]}, "history.0.question"),
    ({"question": "ok?", "sources": [""]}, "sources.0"),
    ({"question": "ok?", "actors": ["BMA", " "]}, "actors.1"),
    ({"question": "ok?", "colour": "blue"}, "colour"),
])
def test_invalid_requests_get_422_naming_the_field(http, body, field):
    r = http.post("/api/answer", json=body)
    assert r.status_code == 422
    data = r.json()
    assert data["error"] == "invalid request"
    assert any(d["field"] == field for d in data["detail"]), data
    assert "Traceback" not in r.text


@pytest.mark.parametrize("body,field,unknown", [
    ({"question": "ok?", "sources": ["no-such-source"]}, "sources", "no-such-source"),
    ({"question": "ok?", "actors": ["BMA", "Nobody Inc"]}, "actors", "Nobody Inc"),
])
def test_unknown_filter_names_get_404_naming_the_field_and_the_names(http, body, field, unknown):
    r = http.post("/api/answer", json=body)
    assert r.status_code == 404
    data = r.json()
    assert data["error"] == "not found"
    [problem] = data["detail"]
    assert problem["field"] == field and unknown in problem["problem"]


def test_not_json_is_422_not_500(http):
    r = http.post("/api/answer", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422 and "Traceback" not in r.text


def test_a_body_that_is_not_text_is_400(http):
    r = http.post("/api/answer", content=b'{"question": "\xff\xfe"}', headers={"content-type": "application/json"})
    assert r.status_code == 400 and r.json()["error"] == "bad request"


def test_sources_list_and_unknown_source(http):
    r = http.get("/api/sources")
    assert r.status_code == 200
    rows = r.json()
    assert len(rows) == 5
    for row in rows:
        assert set(row) == {"id", "title", "publisher", "published", "url", "characters", "chunks", "state", "job_url"}
        assert row["characters"] > 1000 and row["chunks"] > 0
        assert row["state"] == "indexed" and row["job_url"] is None
    r = http.get("/api/sources/does-not-exist")
    assert r.status_code == 404 and r.json()["error"] == "not found"


def test_search_returns_ranked_passages_with_citations(http):
    r = http.get("/api/search", params={"q": "Federated Data Platform", "k": 4})
    assert r.status_code == 200
    hits = r.json()["hits"]
    assert len(hits) == 4
    assert hits[0]["score"] >= hits[-1]["score"]
    assert any("Federated Data Platform" in h["text"] or "FDP" in h["text"] for h in hits[:2])
    doc = http.get(f"/api/sources/{hits[0]['source_id']}").json()["text"]
    assert doc[hits[0]["start"]:hits[0]["end"]] == hits[0]["text"]
    assert http.get("/api/search", params={"q": ""}).status_code == 422
    assert http.get("/api/search", params={"q": "x", "k": 500}).status_code == 422
    assert http.get("/api/search", params={"q": "x", "sources": ""}).status_code == 422
    r = http.get("/api/search", params={"q": "x", "sources": "nope"})
    assert r.status_code == 404 and r.json()["detail"][0]["field"] == "sources"


def test_healthz(http):
    h = http.get("/healthz").json()
    assert h["status"] == "ok" and h["sources"] == 5 and h["chunks"] > 100 and h["model"]
    assert h["index_built_at"].startswith("20")


def test_openapi_documents_the_contract(http):
    spec = http.get("/openapi.json").json()
    assert "/api/answer" in spec["paths"] and "/api/sources/{source_id}" in spec["paths"]
    assert set(spec["paths"]["/api/answer"]["post"]["responses"]) == {"200", "400", "404", "413", "422", "503"}
    docs = http.get("/docs")
    assert docs.status_code == 200 and "cdn" not in docs.text.lower()  # served offline, not from a CDN
    assert http.get("/static-offline-docs/swagger-ui-bundle.js").status_code == 200


def test_security_headers_on_pages_and_api(http):
    for path in ("/", "/api/sources", "/sources/bma-hewitt-review"):
        r = http.get(path)
        assert "script-src 'self'" in r.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "same-origin"


def test_html_pages(http):
    assert http.get("/").status_code == 200
    r = http.get("/sources/bma-hewitt-review", params={"start": 10, "end": 60})
    assert r.status_code == 200 and '<mark id="quote"' in r.text
    assert http.get("/sources/nope").status_code == 404
    r = http.post("/", data={"question": "What did Hewitt recommend about national targets?"}, follow_redirects=True)
    assert r.status_code == 200 and "<blockquote" in r.text


def test_quotes_far_below_the_best_are_marked_less_close(http):
    # (NHS Providers' own briefing now fills an answer about NHS Providers on its own: WA Communications
    # says less on HARPs, and others' words fill its answer.)
    a = ask(http, question="What does WA Communications say about HARPs?")
    assert a["answered"] and a["quotes"][0]["close"] is True
    apart = [q for q in a["quotes"] if not q["close"]]
    assert apart, "other actors' quotes far below WA Communications' own are marked"
    best = max(q["score"] for q in a["quotes"])
    assert all(q["actor"] != "WA Communications" or q["score"] < best - 0.6 for q in apart)



def test_stance_of_statements_toward_a_topic(http):
    body = {"topic": "close the village library",
            "statements": ["The village library is a wonderful, much-loved place for children.",
                           "The library is a costly failure that nobody uses.",
                           "The library opened in 1962."]}
    r = http.post("/api/stance", json=body)
    assert r.status_code == 200, r.text
    data = r.json()
    from assistant.web.api import StanceOut

    StanceOut.model_validate(data)
    assert data["topic"] == body["topic"]
    assert [x["statement"] for x in data["results"]] == body["statements"]
    assert [x["stance"] for x in data["results"]] == ["con", "pro", "neutral"]
    assert data["results"][2]["confidence"] == 0.0 and data["results"][0]["confidence"] > 0
    sided = http.post("/api/stance", json={**body, "neutral": False}).json()["results"]
    assert [x["stance"] for x in sided][:2] == ["con", "pro"] and sided[2]["stance"] in ("pro", "con")


@pytest.mark.parametrize("body,field", [
    ({"statements": ["x"]}, "topic"),
    ({"topic": "", "statements": ["x"]}, "topic"),
    ({"topic": "t" * 501, "statements": ["x"]}, "topic"),
    ({"topic": "t"}, "statements"),
    ({"topic": "t", "statements": []}, "statements"),
    ({"topic": "t", "statements": "one statement"}, "statements"),
    ({"topic": "t", "statements": ["ok", "  "]}, "statements.1"),
    ({"topic": "t", "statements": ["ok", 3]}, "statements.1"),
    ({"topic": "t", "statements": ["s" * 2001]}, "statements.0"),
    ({"topic": "t", "statements": ["s"] * (MAX_STATEMENTS + 1)}, "statements"),
    ({"topic": "t", "statements": ["s"], "lang": "en"}, "lang"),
    ({"topic": "t", "statements": ["s"], "neutral": "maybe"}, "neutral"),
    ({"topic": "t", "statements": ["s"], "neutral": 0}, "neutral"),  # JSON has booleans: 0 is not one (schemathesis)
    ({"topic": "t", "statements": ["s"], "neutral": "false"}, "neutral"),
])
def test_stance_refuses_bad_input_with_422_naming_the_field(http, body, field):
    r = http.post("/api/stance", json=body)
    assert r.status_code == 422, r.text
    assert any(d["field"] == field for d in r.json()["detail"]), r.json()


def test_stance_body_over_the_size_limit_is_413(http):
    r = http.post("/api/stance", json={"topic": "t", "statements": ["a long statement " * 100] * 60})
    assert r.status_code == 413


def test_openapi_documents_the_stance_route(http):
    spec = http.get("/openapi.json").json()
    route = spec["paths"]["/api/stance"]["post"]
    assert set(route["responses"]) == {"200", "400", "413", "422", "503"}
    schema = spec["components"]["schemas"]["StanceResultOut"]["properties"]["stance"]
    assert schema["enum"] == ["pro", "con", "neutral"]
