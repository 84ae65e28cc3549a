"""Who holds each view and with what stance: on a made-up briefing the rules were not tuned on,
and the positions endpoint and who-said-what page on the seed corpus."""

from __future__ import annotations

import json

import httpx
import pytest

from assistant.positions import stance
from assistant.settings import Settings
from assistant.store import build_index, load_index

GAMMA = """---
title: Gamma Nurses Union briefing on the ward closure plan
publisher: Gamma Nurses Union
published: 2025-01-10
---

# Gamma Nurses Union briefing on the ward closure plan

## Background

The Delta Agency published its ward closure plan in December. The agency recommends closing three rural wards by 2026.

Delta Agency rejected the union's proposal for a phased approach in January.

## Our view

We strongly oppose the closure plan. Our members are worried about patient safety on the remaining wards.

We welcome the agency's commitment to consult staff, but the timetable is far too short.
"""

ACTORS = [
    {"name": "Gamma Nurses Union", "aliases": ["Gamma Nurses Union", "the union"]},
    {"name": "Delta Agency", "aliases": ["Delta Agency"], "weak_aliases": ["the agency"]},
]


@pytest.fixture
def gamma_index(tmp_path, fake_embedder):
    src = tmp_path / "sources"
    src.mkdir()
    (src / "gamma.md").write_text(GAMMA)
    (src / "actors.json").write_text(json.dumps(ACTORS))
    settings = Settings(sources_dir=src, index_dir=tmp_path / "index", model="fake")
    build_index(settings, fake_embedder, progress=False, log=lambda m: None)
    return load_index(settings, fake_embedder.dim)


def attributed(index) -> dict[str, str | None]:
    return {index.text(s): s.actor for s in index.sentences}


def test_first_person_and_reported_sentences_of_a_new_corpus(gamma_index):
    got = attributed(gamma_index)
    assert got["The Delta Agency published its ward closure plan in December."] == "Delta Agency"
    assert got["The agency recommends closing three rural wards by 2026."] == "Delta Agency"
    assert got["Delta Agency rejected the union's proposal for a phased approach in January."] == "Delta Agency"
    assert got["We strongly oppose the closure plan."] == "Gamma Nurses Union"
    assert got["Our members are worried about patient safety on the remaining wards."] == "Gamma Nurses Union"


def test_stances_of_a_new_corpus(gamma_index):
    by_text = {gamma_index.text(s): stance(gamma_index.text(s)) for s in gamma_index.sentences}
    assert by_text["The agency recommends closing three rural wards by 2026."] == "recommends"
    assert by_text["Delta Agency rejected the union's proposal for a phased approach in January."] == "rejects"
    assert by_text["We strongly oppose the closure plan."] == "opposes"
    assert by_text["Our members are worried about patient safety on the remaining wards."] == "concerned"
    assert by_text["We welcome the agency's commitment to consult staff, but the timetable is far too short."] == "mixed"
    assert by_text["The Delta Agency published its ward closure plan in December."] == "describes"


@pytest.mark.parametrize("text,expected", [
    ("Whilst we welcome the plan, its failure to fund social care is concerning.", "concerned"),
    ("The council supports the intent of the proposal but stops short of a commitment to fund it.", "mixed"),
    ("The board accepted the recommendation in full.", "accepts"),
    ("Ministers should set out a ten-year plan for the workforce.", "recommends"),
    ("We do not support the proposed merger.", "concerned"),
    ("The trust is pleased that its bid was successful.", "welcomes"),
    ("The report runs to 40 pages and was published in May.", "describes"),
])
def test_stance_cues_and_structure(text, expected):
    assert stance(text) == expected


@pytest.mark.e2e
def test_positions_endpoint_groups_actors_side_by_side(server):
    with httpx.Client(base_url=server.url, timeout=30) as http:
        r = http.get("/api/positions", params={"topic": "the 1% shift of NHS budgets to prevention"})
        assert r.status_code == 200
        data = r.json()
        assert data["answered"] is True
        actors = [p["actor"] for p in data["positions"]]
        assert len(actors) == len(set(actors)) >= 3
        by_actor = {p["actor"]: p for p in data["positions"]}
        assert by_actor["Government (DHSC)"]["stance"] == "rejects"
        assert by_actor["Hewitt Review"]["stance"] == "recommends"
        texts: dict[str, str] = {}
        for p in data["positions"]:
            assert p["quotes"]
            for q in p["quotes"]:
                texts.setdefault(q["source_id"], http.get(f"/api/sources/{q['source_id']}").json()["text"])
                assert texts[q["source_id"]][q["start"]:q["end"]] == q["text"]
                assert q["actor"] == p["actor"]

        r = http.get("/api/positions", params={"topic": "the 1% shift of NHS budgets to prevention", "actors": ["BMA"]})
        assert [p["actor"] for p in r.json()["positions"]] == ["BMA"]
        r = http.get("/api/positions", params={"topic": "prevention", "sources": ["wa-hewitt-review-unpacked"]})
        assert {q["source_id"] for p in r.json()["positions"] for q in p["quotes"]} == {"wa-hewitt-review-unpacked"}

        assert http.get("/api/positions", params={"topic": ""}).status_code == 422
        r = http.get("/api/positions", params={"topic": "x", "actors": ["Nobody"]})
        assert r.status_code == 422 and r.json()["detail"][0]["field"] == "actors"
        r = http.get("/api/positions", params={"topic": "How do I change the email address on my library card?"})
        assert r.json()["answered"] is False and r.json()["positions"] == []
