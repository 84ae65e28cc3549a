"""The index folder: atomic builds, incremental re-embedding, and refusing damaged or mismatched indexes."""

from __future__ import annotations

import json

import pytest

from assistant.errors import IndexBusyError, IndexMismatchError, IndexMissingError
from assistant.building.store import build_lock, build_index, current_build, index_status, load_index


def build(settings, embedder):
    return build_index(settings, embedder, progress=False, log=lambda m: None)


def test_build_writes_a_consistent_index(tiny_settings, fake_embedder):
    report = build(tiny_settings, fake_embedder)
    assert report.documents == 2 and report.sentences > 5
    index = load_index(tiny_settings, fake_embedder.dim)
    assert index.chunk_table.size == len(index.chunks)
    assert index.sentence_table.size == len(index.sentences) == len(index.signals.generic)
    for s in index.sentences:
        assert index.text(s) == index.documents[s.source_id].text[s.start:s.end]
    m = index.manifest
    assert m["model"] == "fake" and m["dim"] == 64 and m["format"] >= 1
    assert set(m["sources"]) == {"alpha", "beta-response"}
    assert m["chunking"]["max_tokens"] > 0
    assert index_status(tiny_settings) == "ok"


def test_a_folder_with_no_text_builds_an_index_that_answers_nothing(tmp_path, fake_embedder):
    """A new deployment starts with an empty sources folder (documents come by upload): it builds, loads and
    refuses every question saying there is nothing yet, instead of failing in the BM25 library."""
    from assistant.answering.answer import Assistant
    from assistant.settings import Settings

    src = tmp_path / "sources"
    src.mkdir()
    (src / "blank.txt").write_text("  \n")
    settings = Settings(sources_dir=src, index_dir=tmp_path / "index", model="fake")
    report = build(settings, fake_embedder)
    assert report.sentences == 0
    a = Assistant(settings, load_index(settings, fake_embedder.dim), fake_embedder, None)
    for question, history in (("What does the union think of the levy?", []), ("And the ministry?", ["What does the union think?"])):
        answer = a.ask(question, history)
        assert not answer.answered and "no documents yet" in answer.message


def test_missing_index_says_what_to_run(tiny_settings):
    assert index_status(tiny_settings) == "missing"
    with pytest.raises(IndexMissingError, match="assistant index"):
        load_index(tiny_settings)


def test_only_changed_sources_are_embedded_again(tiny_settings, fake_embedder):
    build(tiny_settings, fake_embedder)
    first = fake_embedder.encoded
    report = build(tiny_settings, fake_embedder)
    assert fake_embedder.encoded == first and report.reused_sources == 2
    path = tiny_settings.sources_dir / "beta.txt"
    path.write_text(path.read_text().replace("disappointed", "dismayed"))
    assert index_status(tiny_settings).startswith("stale")
    report = build(tiny_settings, fake_embedder)
    assert report.embedded_sources == 1 and report.reused_sources == 1
    assert 0 < fake_embedder.encoded - first < first
    index = load_index(tiny_settings, fake_embedder.dim)
    assert "dismayed" in index.documents["beta-response"].text


def test_reused_vectors_are_the_ones_of_their_own_rows(tiny_settings, fake_embedder):
    build(tiny_settings, fake_embedder)
    (tiny_settings.sources_dir / "beta.txt").write_text("Beta title\n\nEntirely new text about clinics.")
    build(tiny_settings, fake_embedder)
    index = load_index(tiny_settings, fake_embedder.dim)
    import numpy as np

    from assistant.building.store import sentence_embed_text

    for i, s in enumerate(index.sentences):
        doc = index.documents[s.source_id]
        want = fake_embedder.encode([sentence_embed_text(doc, s.section, s.context, index.text(s))])[0]
        assert np.isclose(index.sentence_table.cosine(want, np.asarray([i]))[0], want @ want, atol=1e-5)


def test_an_index_read_by_other_text_code_is_stale(tiny_settings, fake_embedder, monkeypatch):
    # Upgrading the code that renders files to text changes offsets: the index is rebuilt, not trusted.
    build(tiny_settings, fake_embedder)
    assert index_status(tiny_settings) == "ok"
    monkeypatch.setattr("assistant.building.store.reading_recipe", lambda: "other-reader")
    assert index_status(tiny_settings).startswith("stale: reading")


def test_a_changed_model_setting_is_a_mismatch(tiny_settings, fake_embedder):
    build(tiny_settings, fake_embedder)
    other = tiny_settings.model_copy(update={"model": "another-model"})
    assert index_status(other).startswith("stale: model")
    with pytest.raises(IndexMismatchError, match="another-model"):
        load_index(other)


def test_a_wrong_dimension_is_a_mismatch(tiny_settings, fake_embedder):
    build(tiny_settings, fake_embedder)
    with pytest.raises(IndexMismatchError, match="dimension"):
        load_index(tiny_settings, dim=384)


@pytest.mark.parametrize("name", ["sentences.faiss", "chunks.jsonl", "manifest.json", "documents.jsonl", "catalog.json",
                                  "summary.json", "signals.npz"])
def test_truncated_index_files_are_detected(tiny_settings, fake_embedder, name):
    build(tiny_settings, fake_embedder)
    path = current_build(tiny_settings.index_dir) / name
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(IndexMismatchError, match="assistant index"):
        load_index(tiny_settings, fake_embedder.dim)


def test_a_loaded_build_reads_its_files_after_a_newer_build_removes_its_folder(tiny_settings, fake_embedder):
    """What a server reads from its build after loading it (the refusal's vocabulary) is held open: another
    process's newer build prunes the folder, and the server keeps answering from the build it loaded."""
    build(tiny_settings, fake_embedder)
    old = load_index(tiny_settings, fake_embedder.dim)
    (tiny_settings.sources_dir / "extra.txt").write_text("The Lamp Guild supports brighter lanterns.\n")
    build(tiny_settings, fake_embedder)
    assert not old.path.exists()
    assert "widget" in old.vocabulary()["words"]


def test_rows_past_the_end_of_their_documents_are_detected(tiny_settings, fake_embedder):
    import json

    build(tiny_settings, fake_embedder)
    path = current_build(tiny_settings.index_dir) / "catalog.json"
    path.write_text(json.dumps([{**d, "length": 1} for d in json.loads(path.read_text())]))
    with pytest.raises(IndexMismatchError, match="does not match the documents"):
        load_index(tiny_settings, fake_embedder.dim)


def test_rows_and_vectors_out_of_step_are_detected(tiny_settings, fake_embedder):
    build(tiny_settings, fake_embedder)
    path = current_build(tiny_settings.index_dir) / "sentences.jsonl"
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines[:-1]) + "\n")
    with pytest.raises(IndexMismatchError, match="vectors for"):
        load_index(tiny_settings, fake_embedder.dim)


def test_a_second_build_while_one_runs_is_refused(tiny_settings, fake_embedder):
    with build_lock(tiny_settings.index_dir):
        with pytest.raises(IndexBusyError):
            build(tiny_settings, fake_embedder)


def test_new_build_replaces_the_old_and_leaves_no_leftovers(tiny_settings, fake_embedder):
    build(tiny_settings, fake_embedder)
    first = current_build(tiny_settings.index_dir)
    (tiny_settings.index_dir / ".tmp-build-interrupted").mkdir()
    build(tiny_settings, fake_embedder)
    second = current_build(tiny_settings.index_dir)
    assert second != first and not first.exists()
    names = sorted(p.name for p in tiny_settings.index_dir.iterdir())
    assert names == sorted([".lock", "current", second.name])


def test_problems_are_recorded_in_the_manifest(tiny_settings, fake_embedder):
    (tiny_settings.sources_dir / "bad.txt").write_bytes(b"\xff\xfe\x00bad")
    report = build(tiny_settings, fake_embedder)
    assert [p.file for p in report.problems] == ["bad.txt"]
    manifest = json.loads((current_build(tiny_settings.index_dir) / "manifest.json").read_text())
    assert manifest["problems"][0]["file"] == "bad.txt"


def test_big_indexes_switch_to_hnsw_and_load_back(tmp_path, monkeypatch):
    import numpy as np

    from assistant.stores import embedded as store

    rng = np.random.default_rng(0)
    mat = rng.normal(size=(3000, 32)).astype(np.float32)
    mat /= np.linalg.norm(mat, axis=1, keepdims=True)
    monkeypatch.setattr(store, "FLAT_MAX", 1000)
    idx = store.vector_index(mat)
    assert hasattr(idx, "hnsw") and idx.ntotal == 3000
    import faiss

    faiss.write_index(idx, str(tmp_path / "v.faiss"))
    flags = []
    real_read = faiss.read_index
    monkeypatch.setattr(faiss, "read_index", lambda path, *f: flags.append(f) or real_read(path, *f))
    monkeypatch.setattr(store, "FLAT_MAX", 500)  # the file (1.2 MB) now counts as big
    loaded = store.read_vector_index(tmp_path / "v.faiss")
    assert flags == [(faiss.IO_FLAG_MMAP_IFC,)]  # mapped, not copied
    assert loaded.hnsw.efSearch == store.HNSW_EF_SEARCH
    exact = mat @ mat[:50].T
    _, ids = loaded.search(mat[:50], 10)
    truth = np.argsort(-exact, axis=0)[:10].T
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(ids, truth)])
    assert recall >= 0.95
    assert np.allclose(loaded.reconstruct_batch(np.arange(5)), mat[:5])
    monkeypatch.setattr(store, "FLAT_MAX", 10_000)
    assert not hasattr(store.vector_index(mat), "hnsw")


def test_a_big_bm25_index_is_mapped_from_disk_and_scores_the_same(tiny_settings, fake_embedder, monkeypatch):
    import numpy as np

    from assistant.stores import embedded as store
    from assistant.stores.embedded import bm25_scores

    build_index(tiny_settings, fake_embedder, progress=False)
    folder = current_build(tiny_settings.index_dir) / "bm25_sentences"
    read = store.read_bm25(folder)
    monkeypatch.setattr(store, "BM25_MMAP_BYTES", 0)  # every matrix counts as big
    mapped = store.read_bm25(folder)
    assert isinstance(mapped.scores["data"], np.memmap) and not isinstance(read.scores["data"], np.memmap)
    words = [w for w, i in read.vocab_dict.items() if i < len(read.scores["indptr"]) - 1]  # (not bm25s' own "")
    for tokens in (words[:3], words[-2:], ["nothing-like-this"]):
        assert np.array_equal(bm25_scores(mapped, tokens), bm25_scores(read, tokens))
