"""API fuzzing with schemathesis against the app's own OpenAPI, with all its checks: no generated input
makes the server fail (5xx), every response (status, headers, body) is one the schema documents, every
schema-valid request is accepted (2xx, or a 404 for a well-formed name the index does not know) and
every schema-invalid one refused. Bounded and seeded: the same examples on every run."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig

from assistant.answering.answer import open_assistant
from assistant.web.app import create_app

EXAMPLES = 40
KEY = "fuzz-key"
# schemathesis' defaults, plus 413 as a right answer to a body over ASSISTANT_MAX_BODY_KB (see the file)
CONFIG = Path(__file__).resolve().parent.parent / "schemathesis.toml"


def all_checks():
    load_all_checks()
    return CHECKS.get_all()


UPLOADS = {"/api/sources/inspect", "/api/sources/{source_id}", "/api/sources"}


def fuzz(app, mode: GenerationMode, headers: dict | None = None, examples: int = EXAMPLES) -> set[str]:
    """Run every operation of the app's schema, with every check; returns the paths it tested. (An upload's
    file part is `format: binary`, any bytes, so no check takes a file holding "true" for a boolean; a file
    that is not a readable document is a 422 naming why, which schemathesis.toml lists for those operations.)"""
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=SchemathesisConfig.from_path(CONFIG))
    checks = all_checks()
    tested = set()
    for result in schema.get_all_operations():
        op = result.ok()

        @given(case=op.as_strategy(mode))
        @settings(max_examples=examples, derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case):
            response = case.call(headers=headers)
            assert response.status_code < 500, (case.operation.path, response.text)
            case.validate_response(response, checks=checks, headers=headers)

        try:
            check()
        except Unsatisfiable:
            if mode is not GenerationMode.NEGATIVE:
                raise
            continue  # every input is valid (no parameters, or any string): nothing to make invalid
        tested.add(op.path)
    return tested


@pytest.fixture
def assistant(tiny_settings, fake_embedder):
    return open_assistant(tiny_settings, embedder=fake_embedder, log=lambda m: None)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_says_exactly_what_it_accepts(tiny_settings, assistant, mode):
    tested = fuzz(create_app(tiny_settings, assistant), mode)
    everything = {"/api/answer", "/api/sources", "/api/sources/{source_id}", "/api/search", "/api/positions", "/healthz",
                  "/api/sources/inspect", "/api/jobs/{job_id}", "/api/stance"}
    if mode is GenerationMode.POSITIVE:
        assert tested == everything
    else:
        assert tested >= {"/api/answer", "/api/search", "/api/positions", "/api/sources/inspect", "/api/stance"}


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_with_uploads_on_the_api_still_says_what_it_accepts(tiny_settings, fake_embedder, mode):
    settings = tiny_settings.model_copy(update={"uploads": True})
    assistant = open_assistant(settings, embedder=fake_embedder, log=lambda m: None)
    from fastapi.testclient import TestClient

    with TestClient(create_app(settings, assistant)) as client:  # the lifespan starts the job queue
        tested = fuzz(client.app, mode, examples=EXAMPLES // 2)
    assert tested >= UPLOADS


def test_api_with_a_key_says_exactly_what_it_accepts(tiny_settings, assistant):
    """With ASSISTANT_API_KEY set the schema declares the key (so schemathesis' ignored_auth check sends
    requests without it and expects 401) and documents the 401; with the key every route still works."""
    keyed = tiny_settings.model_copy(update={"api_key": KEY, "top_k": 2, "max_question_chars": 3000})
    tested = fuzz(create_app(keyed, assistant), GenerationMode.POSITIVE, headers={"Authorization": f"Bearer {KEY}"},
                  examples=EXAMPLES // 2)
    assert len(tested) == 9


@pytest.mark.parametrize("uploads", [False, True])
def test_a_method_not_allowed_names_every_method_the_schema_documents(tiny_settings, fake_embedder, uploads):
    """OPTIONS and an undocumented method get 405 with an Allow header naming exactly the methods the
    OpenAPI documents at that path (HEAD comes with GET). Starlette named only the first route's: at
    /api/sources, "Allow: GET" though POST is documented (and answered, 403 with uploads off)."""
    from fastapi.testclient import TestClient

    settings = tiny_settings.model_copy(update={"uploads": uploads})
    assistant = open_assistant(settings, embedder=fake_embedder, log=lambda m: None)
    with TestClient(create_app(settings, assistant)) as client:
        paths = client.get("/openapi.json").json()["paths"]
        assert {"post", "get"} <= set(paths["/api/sources"])
        for path, operations in paths.items():
            documented = {m.upper() for m in operations}
            concrete = path.replace("{source_id}", "a-source").replace("{job_id}", "a-job")
            for method in ("OPTIONS", "PATCH", "TRACE"):
                if method in documented:
                    continue
                r = client.request(method, concrete)
                assert r.status_code == 405, (method, path, r.status_code)
                allowed = {m.strip() for m in r.headers["allow"].split(",")}
                assert allowed - {"HEAD"} == documented, (method, path, allowed, documented)
        # A page outside the API says it too.
        r = client.request("PATCH", "/")
        assert r.status_code == 405 and "GET" in r.headers["allow"]
