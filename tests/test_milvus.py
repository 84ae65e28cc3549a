"""The Milvus store (stores/milvus.py) against the embedded one, on Milvus Lite in this process (a file URI)
and on Milvus Lite's own gRPC server over the network (an http URI): the same candidates and scores, filters
on its scalar fields, uploads that reach it, builds that switch it whole, and faults with clear errors.

Needs the `scale` extra (pymilvus, milvus-lite): `.ci/run` installs it; without it these tests are skipped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("pymilvus", reason="the scale extra is not installed (pip install -e '.[scale]')")
pytest.importorskip("milvus_lite", reason="the scale extra is not installed (pip install -e '.[scale]')")

from conftest import ROOT, Server, free_port  # noqa: E402

from assistant.answering.answer import Assistant  # noqa: E402
from assistant.errors import IndexMismatchError, StoreError  # noqa: E402
from assistant.answering.retrieve import Filters  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from assistant.building.store import build_index, current_build, index_status, load_index  # noqa: E402

QUESTIONS = [
    "What does the Guild of Lamplighters think of glow-worm lanterns?",
    "Who supports the new clinics?",
    "How much will the lanterns cost?",
    "What did the ministry announce?",
    "winter pavements unsafe",
    "Is there anything about submarines?",
]


class LiteServer:
    """Milvus Lite's own gRPC server in a process of its own: the remote path, over loopback."""

    def __init__(self, data: Path, port: int | None = None):
        self.port = port or free_port()
        self.uri = f"http://127.0.0.1:{self.port}"
        self.log = data.parent / f"milvus-{self.port}.log"
        with open(self.log, "w") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "milvus_lite", "server", "--data-dir", str(data), "--host", "127.0.0.1",
                 "--port", str(self.port)], stdout=out, stderr=subprocess.STDOUT)
        from pymilvus import MilvusClient

        deadline = time.monotonic() + 60
        while True:
            try:
                # A probe with a connection of its own, closed: no connection of the harness's is left for
                # the clients under test to share.
                probe = MilvusClient(uri=self.uri, timeout=2, dedicated=True)
                probe.list_collections()
                probe.close()
                return
            except Exception:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"Milvus Lite server did not start: {self.log.read_text()[-2000:]}")
                time.sleep(0.3)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="session")
def lite_server(tmp_path_factory):
    srv = LiteServer(tmp_path_factory.mktemp("milvus-server") / "data")
    yield srv
    srv.stop()


_prefixes = iter(range(10**6))


@pytest.fixture(params=["lite", "server"])
def milvus_settings(request, tiny_settings, tmp_path):
    """The tiny corpus's settings with the Milvus store: a Lite file of the test's own, or the shared Lite
    server with collections of the test's own prefix."""
    if request.param == "lite":
        uri = str(tmp_path / "milvus" / "store.db")
    else:
        uri = request.getfixturevalue("lite_server").uri
    return tiny_settings.model_copy(update={"milvus_uri": uri, "milvus_prefix": f"t{os.getpid()}_{next(_prefixes)}"})


def add_lamps(settings: Settings) -> None:
    """A document with a publisher, an actor that states a view and figures, beside the fixture corpus."""
    (settings.sources_dir / "lamps.txt").write_text(
        "Lanterns\n\nThe Ministry of Lamps announced a plan to replace every street lamp with a glow-worm lantern. "
        "The plan will cost £4.5 million over 2025-26.\n\nThe Guild of Lamplighters opposes the glow-worm "
        "lanterns. We believe the lanterns are too dim for winter evenings and will leave pavements unsafe.\n")


def both(settings: Settings, embedder, tmp_path: Path) -> tuple[Assistant, Assistant]:
    """The same sources built into the embedded store and into Milvus."""
    add_lamps(settings)
    embedded = settings.model_copy(update={"milvus_uri": None, "index_dir": tmp_path / "embedded-index"})
    out = []
    for s in (embedded, settings):
        build_index(s, embedder, progress=False, log=lambda m: None)
        out.append(Assistant(s, load_index(s, embedder.dim), embedder, None))
    return out[0], out[1]


def test_the_milvus_store_ranks_as_the_embedded_one(milvus_settings, fake_embedder, tmp_path):
    embedded, milvus = both(milvus_settings, fake_embedder, tmp_path)
    assert milvus.index.manifest["store"]["kind"] == "milvus" and embedded.index.manifest["store"] == "embedded"
    docs = sorted(embedded.index.documents)
    for question in QUESTIONS:
        q = embedded.understand(question)
        qvec = fake_embedder.encode_query(q.asked)
        for filters in (Filters(), Filters(sources=frozenset(docs[:1])), Filters(actors=frozenset({"Guild of Lamplighters"}))):
            a, b = embedded.retriever.rank(q, qvec, filters), milvus.retriever.rank(q, qvec, filters)
            assert a.rows.tolist() == b.rows.tolist(), (question, filters)
            assert np.allclose(a.features, b.features, atol=1e-4), (question, filters)
        pa, pb = embedded.retriever.passages(q, qvec, 5), milvus.retriever.passages(q, qvec, 5)
        assert [r for r, _ in pa] == [r for r, _ in pb], question
        assert np.allclose([s for _, s in pa], [s for _, s in pb], atol=1e-6)
        # answers: the same quotes, verbatim from the same texts
        x, y = embedded.ask(question), milvus.ask(question)
        assert [(t.source_id, t.start, t.end, t.text) for t in x.quotes] == \
               [(t.source_id, t.start, t.end, t.text) for t in y.quotes], question
    assert any(embedded.ask(question).quotes for question in QUESTIONS)
    for stems in (("lantern",), ("lantern", "dim"), ("glow", "worm"), ("submarin",)):
        assert embedded.judge.rows_holding(stems).tolist() == milvus.judge.rows_holding(stems).tolist()


def test_its_filters_name_the_rows_they_stand_for(milvus_settings, fake_embedder, tmp_path):
    """A Where is said twice, as rows and as a filter on the collection's scalar fields: the rows the embedded
    store's retriever holds are the ones Milvus's filter selects. A server on Milvus holds only the filter."""
    embedded, milvus = both(milvus_settings, fake_embedder, tmp_path)
    table = milvus.index.sentence_table

    def wheres(r):
        return ([r.rows_of_actor[c] for c in sorted(r.rows_of_actor)]
                + [r.allowed(Filters(sources=frozenset({s}))) for s in sorted(embedded.index.documents)]
                + [r.allowed(Filters(actors=frozenset({a.name}))) for a in embedded.actors.actors])

    held, filtered = wheres(embedded.retriever), wheres(milvus.retriever)
    docs = sorted(embedded.index.documents)
    quoted = {q.source_id for question in QUESTIONS for q in milvus.ask(question).quotes}
    gone = sorted(quoted)[0]
    for assistant in (embedded, milvus):  # a document on its way out (its removal accepted): never quoted
        assistant.withhold(frozenset({gone}))
    for r, out in ((embedded.retriever, held), (milvus.retriever, filtered)):
        out += [r.allowed(Filters()), r.allowed(Filters(sources=frozenset(docs[:2])))]
    assert gone not in {q.source_id for question in QUESTIONS for q in milvus.ask(question).quotes}
    assert [w.expr for w in held] == [w.expr for w in filtered]
    assert all(w.rows is None for w in filtered)
    assert len(held) >= 4 and any(len(w.rows) for w in held)
    for w in held:
        assert w.expr and table.rows_where(w.expr).tolist() == sorted(w.rows.tolist()), w.expr
    # kinds and date are filter fields too: the figures of the lamps document hold a number
    numbered = table.rows_where('ARRAY_CONTAINS(kinds, "number")').tolist()
    assert numbered == [i for i, s in enumerate(embedded.index.sentences) if "number" in s.kinds] != []


def test_a_server_on_milvus_holds_no_rows_and_no_text(milvus_settings, fake_embedder, tmp_path):
    """Rows come from Milvus and text from the build folder as answers need them (building/stored.py): the
    loaded index holds neither, reads only what it is asked for, and gives the embedded store's rows."""
    from assistant.building.stored import StoredDocuments, StoredRows

    embedded, milvus = both(milvus_settings, fake_embedder, tmp_path)
    idx = milvus.index
    assert isinstance(idx.sentences, StoredRows) and isinstance(idx.chunks, StoredRows)
    assert isinstance(idx.documents, StoredDocuments) and idx.signals is None
    assert len(idx.documents.texts.cache) == 0  # no document text read by loading and the first ask
    with pytest.raises(TypeError):
        list(idx.sentences)  # never the whole table
    question = next(q for q in QUESTIONS if embedded.ask(q).quotes)
    answer = milvus.ask(question)
    assert answer.quotes and 0 < len(idx.documents.texts.cache) <= len(idx.catalog)
    assert 0 < len(idx.sentences.records.cache) <= idx.sentences.records.cache.maxsize  # read as asked, bounded
    for i in range(len(idx.sentences)):
        assert idx.sentences[i] == embedded.index.sentences[i]
    for i in range(len(idx.chunks)):
        assert idx.chunks[i] == embedded.index.chunks[i]
    for sid in embedded.index.documents:
        assert idx.documents[sid] == embedded.index.documents[sid]
    for p in range(len(embedded.index.paragraph_rows)):
        assert idx.paragraph_rows[p] == embedded.index.paragraph_rows[p]
    r, e = milvus.retriever, embedded.retriever
    rows = np.arange(len(idx.sentences))
    for column in ("sentence_chunk", "sentence_block", "actor_code", "person_code", "voice_code", "speaker_code",
                   "introduces", "procedural", "asks", "gives_reason", "furniture", "content", "generic"):
        assert np.array_equal(getattr(r, column)[rows], getattr(e, column)[rows]), column


def test_a_server_on_milvus_reads_its_build_after_a_newer_one_replaces_it(milvus_settings, fake_embedder):
    """A newer build removes the folder of the one before and keeps its collections: a server still on the
    old build reads its rows from those and its documents from the file it holds open."""
    build_index(milvus_settings, fake_embedder, progress=False, log=lambda m: None)
    old = load_index(milvus_settings, fake_embedder.dim)
    add_lamps(milvus_settings)
    build_index(milvus_settings, fake_embedder, progress=False, log=lambda m: None)
    assert not old.path.exists() and "lamps" not in old.catalog
    for sid, info in old.catalog.items():
        assert len(old.documents[sid].text) == info.length
    assert old.sentences[len(old.sentences) - 1].source_id in old.catalog


def test_a_row_too_large_for_a_milvus_record_is_a_clear_error():
    from assistant.stores import Columns
    from assistant.stores.milvus import MAX_JSON, record

    cols = Columns(["k"], np.zeros((1, 4), np.float32), [["word"]], {}, [{"source_id": "big", "context": "x" * MAX_JSON}])
    with pytest.raises(StoreError, match="row 0 of big is .* bytes as a record"):
        record(cols, 0)
    assert record(Columns(["k"], np.zeros((1, 4), np.float32), [["word"]], {}, [{"source_id": "small"}]), 0)["rec"]


def collections(settings: Settings) -> list[str]:
    from assistant.stores.milvus import client

    return sorted(n for n in client(settings).list_collections() if n.startswith(settings.milvus_prefix + "_"))


def rows_of(settings: Settings, source_id: str) -> int:
    from assistant.stores.milvus import alias_name, client

    got = client(settings).query(alias_name(settings.milvus_prefix, "sentences"),
                                 filter=f'source == "{source_id}"', output_fields=["row"], limit=16384)
    return len(got)


def built_rows(settings: Settings, source_id: str) -> int:
    """The sentences of a source in the current build's own table (what the build wrote to Milvus)."""
    from assistant.building.store import read_jsonl

    return sum(r["source_id"] == source_id for r in read_jsonl(current_build(settings.index_dir) / "sentences.jsonl"))


def test_an_upload_a_replace_and_a_remove_reach_milvus(milvus_settings, fake_embedder):
    from test_uploads import LAMPS, make_client, upload, wait

    with make_client(milvus_settings, fake_embedder) as client:
        before = client.post("/api/answer", json={"question": "glow-worm lanterns"}).json()
        status, body = upload(client, "lamps.txt", LAMPS.encode(), publisher="Guild of Lamplighters", title="Lanterns")
        assert status == 202 and wait(client, body)["state"] == "done"
        doc_id = body["id"]
        want = built_rows(milvus_settings, doc_id)
        assert want > 0 and rows_of(milvus_settings, doc_id) == want
        a = client.post("/api/answer", json={"question": "What does the Guild of Lamplighters think of glow-worm lanterns?"}).json()
        assert doc_id in {q["source_id"] for q in a["quotes"]} and not any(q["source_id"] == doc_id for q in before["quotes"])
        text = client.get(f"/api/sources/{doc_id}").json()["text"]
        assert all(text[q["start"]:q["end"]] == q["text"] for q in a["quotes"] if q["source_id"] == doc_id)

        longer = LAMPS + "\nThe Guild also asks for a trial of the lanterns in one town. We urge caution.\n"
        r = client.put(f"/api/sources/{doc_id}", files={"file": ("lamps.txt", longer.encode())})
        assert r.status_code == 202 and wait(client, r.json())["state"] == "done"
        assert rows_of(milvus_settings, doc_id) == built_rows(milvus_settings, doc_id) > want
        index = load_index(milvus_settings)
        # the alias names the current build's collections; of older builds only the one before is kept
        current = set(index.manifest["store"]["collections"].values())
        assert current <= set(collections(milvus_settings)) and len(collections(milvus_settings)) <= 4

        r = client.delete(f"/api/sources/{doc_id}")
        assert r.status_code == 202 and wait(client, r.json())["state"] == "done"
        assert rows_of(milvus_settings, doc_id) == 0
        gone = client.post("/api/answer", json={"question": "What does the Guild of Lamplighters think of glow-worm lanterns?"}).json()
        assert doc_id not in {q["source_id"] for q in gone["quotes"]}


KILL_MID_BUILD = """
import os, signal, sys
sys.path.insert(0, {tests!r})
from conftest import FakeEmbedder
from assistant.building import store
from assistant.settings import Settings
from assistant.building.store import build_index

def killed(folder):  # the collections are written; the folder is not yet current
    os.kill(os.getpid(), signal.SIGKILL)

store.fsync_tree = killed
settings = Settings(sources_dir={src!r}, index_dir={index!r}, model="fake", milvus_uri={uri!r}, milvus_prefix={prefix!r})
build_index(settings, FakeEmbedder(), progress=False, log=lambda m: None)
"""


def test_a_build_killed_half_way_leaves_the_previous_collections_serving(lite_server, tiny_settings, fake_embedder):
    settings = tiny_settings.model_copy(update={"milvus_uri": lite_server.uri, "milvus_prefix": f"kill{os.getpid()}"})
    build_index(settings, fake_embedder, progress=False, log=lambda m: None)
    old = load_index(settings, fake_embedder.dim)
    question = "What does the Guild of Lamplighters think of glow-worm lanterns?"
    answer = Assistant(settings, old, fake_embedder, None).ask(question)
    add_lamps(settings)
    script = KILL_MID_BUILD.format(tests=str(ROOT / "tests"), src=str(settings.sources_dir),
                                   index=str(settings.index_dir), uri=settings.milvus_uri, prefix=settings.milvus_prefix)
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    written = collections(settings)
    assert len(written) == 4  # the killed build's two beside the serving build's two
    assert current_build(settings.index_dir) == old.path
    again = load_index(settings, fake_embedder.dim)
    assert again.manifest["store"] == old.manifest["store"]
    served = Assistant(settings, again, fake_embedder, None).ask(question)
    assert [(q.source_id, q.start, q.end) for q in served.quotes] == [(q.source_id, q.start, q.end) for q in answer.quotes]
    # the next build replaces it, and the killed build's collections go
    build_index(settings, fake_embedder, progress=False, log=lambda m: None)
    new = load_index(settings, fake_embedder.dim)
    left = set(collections(settings))
    assert set(new.manifest["store"]["collections"].values()) <= left
    assert not (left - set(new.manifest["store"]["collections"].values()) - set(old.manifest["store"]["collections"].values()))
    assert "lamps" in new.catalog and built_rows(settings, "lamps") > 0


def test_a_build_for_another_store_is_stale_and_rebuilt(milvus_settings, fake_embedder):
    embedded = milvus_settings.model_copy(update={"milvus_uri": None})
    build_index(embedded, fake_embedder, progress=False, log=lambda m: None)
    assert index_status(embedded) == "ok"
    assert index_status(milvus_settings).startswith("stale: store changed")
    with pytest.raises(IndexMismatchError):
        load_index(milvus_settings)
    build_index(milvus_settings, fake_embedder, progress=False, log=lambda m: None)
    assert index_status(milvus_settings) == "ok" and index_status(embedded).startswith("stale: store changed")


def test_collections_gone_from_milvus_mean_a_rebuild(milvus_settings, fake_embedder):
    from assistant.stores.milvus import client

    build_index(milvus_settings, fake_embedder, progress=False, log=lambda m: None)
    for name in collections(milvus_settings):
        client(milvus_settings).drop_collection(name)
    with pytest.raises(IndexMismatchError, match="is not in Milvus"):
        load_index(milvus_settings)


def test_a_milvus_that_stops_answering_is_a_503_with_its_reason(tmp_path, tiny_settings, fake_embedder):
    from fastapi.testclient import TestClient

    from assistant.web.app import create_app

    srv = LiteServer(tmp_path / "stopping")
    try:
        settings = tiny_settings.model_copy(update={"milvus_uri": srv.uri, "cache_size": 0})
        build_index(settings, fake_embedder, progress=False, log=lambda m: None)
        app = create_app(settings, Assistant(settings, load_index(settings, fake_embedder.dim), fake_embedder, None))
        with TestClient(app, raise_server_exceptions=False) as client:
            assert client.post("/api/answer", json={"question": "lanterns"}).status_code == 200
            srv.stop()
            r = client.post("/api/answer", json={"question": "clinics and lanterns"})
            assert r.status_code == 503 and "Milvus" in r.json()["detail"], r.text
    finally:
        srv.stop()
    with pytest.raises(StoreError, match="could not be reached"):  # a server starting while Milvus is down
        load_index(settings, fake_embedder.dim)


def test_without_the_scale_extra_the_milvus_store_is_a_clear_error(tiny_settings, fake_embedder, tmp_path, monkeypatch):
    from assistant.stores import milvus

    monkeypatch.setitem(sys.modules, "pymilvus", None)  # as if the extra were not installed
    monkeypatch.setattr(milvus, "_clients", {})
    settings = tiny_settings.model_copy(update={"milvus_uri": str(tmp_path / "none" / "store.db")})
    with pytest.raises(StoreError, match=r"pymilvus is not installed: pip install -e '\.\[scale\]'"):
        build_index(settings, fake_embedder, progress=False, log=lambda m: None)
    assert current_build(settings.index_dir) is None  # nothing half-made is left current


def test_a_lite_file_open_in_another_process_is_a_clear_error(tiny_settings, fake_embedder, tmp_path):
    settings = tiny_settings.model_copy(update={"milvus_uri": str(tmp_path / "held" / "store.db")})
    build_index(settings, fake_embedder, progress=False, log=lambda m: None)  # this process now serves the file
    env = {**os.environ, "ASSISTANT_MILVUS_URI": settings.milvus_uri}
    proc = subprocess.run([sys.executable, "-m", "assistant.cli", "index", "--quiet", "--sources",
                           str(settings.sources_dir), "--index", str(tmp_path / "other-index")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2, proc.stderr
    assert "one process at a time" in proc.stderr and "Traceback" not in proc.stderr


def test_a_build_answers_again_after_milvus_restarts(tmp_path, tiny_settings, fake_embedder):
    """Milvus holds a collection released after a restart: the next process loads it before searching."""
    srv = LiteServer(tmp_path / "restarting")
    settings = tiny_settings.model_copy(update={"milvus_uri": srv.uri})
    try:
        build_index(settings, fake_embedder, progress=False, log=lambda m: None)
        first = Assistant(settings, load_index(settings, fake_embedder.dim), fake_embedder, None).ask("clinics")
        srv.stop()
        srv = LiteServer(tmp_path / "restarting", srv.port)
        from assistant.stores import milvus

        milvus._clients.clear()  # as a new server process would start: no client from before the restart
        again = Assistant(settings, load_index(settings, fake_embedder.dim), fake_embedder, None).ask("clinics")
        assert [(q.source_id, q.start, q.end) for q in again.quotes] == [(q.source_id, q.start, q.end) for q in first.quotes]
        assert again.quotes
    finally:
        srv.stop()


def test_a_lite_file_serves_the_next_process(tiny_settings, tmp_path):
    """Built by `assistant index`, then asked by another process: the collections are loaded from the file."""
    env = {**os.environ, "ASSISTANT_MILVUS_URI": str(tmp_path / "file" / "store.db"), "ASSISTANT_MODEL": "fake"}
    script = ("import sys; sys.path.insert(0, {tests!r}); from conftest import FakeEmbedder; "
              "from assistant.settings import Settings; from assistant.building.store import build_index; "
              "build_index(Settings(), FakeEmbedder(), progress=False)").format(tests=str(ROOT / "tests"))
    env.update(ASSISTANT_SOURCES_DIR=str(tiny_settings.sources_dir), ASSISTANT_INDEX_DIR=str(tmp_path / "file-index"))
    built = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr[-2000:]
    ask = ("import sys, json; sys.path.insert(0, {tests!r}); from conftest import FakeEmbedder; "
           "from assistant.answering.answer import open_assistant; from assistant.settings import Settings; "
           "a = open_assistant(Settings(), embedder=FakeEmbedder(), build_if_needed=False, log=lambda m: None); "
           "print(json.dumps([q.source_id for q in a.ask('clinics').quotes]))").format(tests=str(ROOT / "tests"))
    for _ in range(2):  # twice: each process opens the file anew
        asked = subprocess.run([sys.executable, "-c", ask], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert asked.returncode == 0, asked.stderr[-2000:]
        assert asked.stdout.strip().startswith('["')


@pytest.mark.e2e
def test_the_seed_corpus_answers_over_http_from_milvus_lite(tmp_path):
    import httpx

    srv = Server(ROOT / "sources", tmp_path / "index", {"ASSISTANT_MILVUS_URI": str(tmp_path / "milvus.db")}).wait(300)
    try:
        for question in ("What does the BMA think of the GP buy-out fund?", "Who welcomed fewer national targets?",
                         "Did the government accept the 1% prevention shift?"):
            a = httpx.post(srv.url + "/api/answer", json={"question": question}, timeout=30).json()
            assert a["answered"] and a["quotes"], question
            for q in a["quotes"]:
                text = httpx.get(f"{srv.url}/api/sources/{q['source_id']}", timeout=10).json()["text"]
                assert text[q["start"]:q["end"]] == q["text"]
        hits = httpx.get(srv.url + "/api/search", params={"q": "GP buy-out fund", "k": 3}, timeout=30).json()["hits"]
        assert len(hits) == 3 and any("buy-out" in h["text"] for h in hits)
    finally:
        srv.stop()


@pytest.mark.e2e
def test_two_workers_answer_from_one_milvus_server(lite_server, tmp_path):
    """`serve --workers 2` on a Milvus server: each worker holds its own client, the build is made once."""
    import httpx

    env = {"ASSISTANT_MILVUS_URI": lite_server.uri, "ASSISTANT_MILVUS_PREFIX": f"workers{os.getpid()}",
           "ASSISTANT_WORKERS": "2", "ASSISTANT_CACHE_SIZE": "0"}
    srv = Server(ROOT / "sources", tmp_path / "index", env).wait(300)
    try:
        questions = ["What does the BMA think of the GP buy-out fund?", "Who welcomed fewer national targets?",
                     "Did the government accept the 1% prevention shift?"] * 4
        with httpx.Client(base_url=srv.url, timeout=30) as http:
            for question in questions:
                a = http.post("/api/answer", json={"question": question}).json()
                assert a["answered"] and a["quotes"], question
                q = a["quotes"][0]
                text = http.get(f"/api/sources/{q['source_id']}").json()["text"]
                assert text[q["start"]:q["end"]] == q["text"]
        assert len(collections(Settings(milvus_uri=lite_server.uri, milvus_prefix=env["ASSISTANT_MILVUS_PREFIX"]))) == 2
    finally:
        srv.stop()

