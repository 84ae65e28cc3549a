"""The ONNX runtime gives the bundled model's vectors without torch."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from assistant.building.ingest import load_sources
from assistant.language.embed import OnnxEmbedder, export_dir

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def onnx_folder(seed_assistant, seed_settings):
    """The export `export_onnx` made when the seed assistant was opened (tests copy it before changing it)."""
    return export_dir(seed_settings.index_dir, "all-MiniLM-L6-v2")


def test_onnx_vectors_match_sentence_transformers(onnx_folder, real_embedder, seed_settings):
    docs = load_sources(seed_settings.sources_dir).documents
    sample = [d.text[b.start:b.end] for d in docs for b in d.blocks[:12]]
    sample += ["What does the BMA think of the proposed GP buy-out fund?", "HARPs", "x" * 3000]
    onnx = OnnxEmbedder(onnx_folder, threads=1)
    got = onnx.encode(sample)
    want = real_embedder.encode(sample)
    cosine = (got * want).sum(axis=1)
    assert cosine.min() >= 0.9999, cosine.min()
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    assert onnx.encode_query(sample[0]) @ want[0] >= 0.9999
    for text in sample[:20]:
        assert onnx.count_tokens(text) == real_embedder.count_tokens(text)


def test_index_encoding_on_one_session_per_core_gives_each_text_its_own_vector(onnx_folder, seed_settings):
    """encode_with_progress sorts by word pieces and spreads batches over single-threaded copies: every text
    still gets the vector one session gives it alone, in the order given."""
    from assistant.language.embed import encode_with_progress

    docs = load_sources(seed_settings.sources_dir).documents
    sample = [d.text[b.start:b.end] for d in docs for b in d.blocks[:9]][:40] + ["HARPs", "x" * 3000]
    two = OnnxEmbedder(onnx_folder, threads=2)
    assert len(two.lanes()) == 2 and all(lane.threads == 1 for lane in two.lanes())
    assert OnnxEmbedder(onnx_folder, threads=1).lanes()[0].threads == 1
    got = encode_with_progress(two, sample, progress=False)
    alone = np.stack([OnnxEmbedder(onnx_folder, threads=1).encode_query(t) for t in sample])
    assert (got * alone).sum(axis=1).min() >= 0.99999


def test_int8_index_encoding_gives_each_text_the_vector_it_gets_alone(onnx_folder, seed_settings):
    """int8 scales activations over a whole call, so batch-mates would change a vector: an int8 embedder
    encodes one text per call, and a text's vector is the one a question with the same words gets."""
    from assistant.language.embed import encode_with_progress, quantize

    quantize(onnx_folder, log=lambda m: None)
    docs = load_sources(seed_settings.sources_dir).documents
    sample = [d.text[b.start:b.end] for d in docs for b in d.blocks[:9]][:40] + ["HARPs", "x" * 3000]
    got = encode_with_progress(OnnxEmbedder(onnx_folder, threads=2, quantized=True), sample, progress=False)
    one = OnnxEmbedder(onnx_folder, threads=1, quantized=True)
    alone = np.stack([one.encode_query(t) for t in sample])
    assert np.array_equal(got, alone)
    assert np.array_equal(one.encode(sample, batch_size=8), alone)  # whoever calls, whatever batch size asked
    # The model run on eight texts at once gives other vectors: the check can tell the difference.
    batched = np.concatenate([one._encode_batch(sample[i:i + 8]) for i in range(0, len(sample), 8)])
    assert not np.array_equal(batched, alone)


def test_serving_never_imports_torch(seed_assistant, seed_settings):
    """With the index and its ONNX export in place, loading and answering leaves torch unimported."""
    code = (
        "import sys\n"
        "from assistant.settings import Settings\n"
        "from assistant.answering.answer import open_assistant\n"
        f"s = Settings(sources_dir={str(seed_settings.sources_dir)!r}, index_dir={str(seed_settings.index_dir)!r})\n"
        "a = open_assistant(s, build_if_needed=False, log=lambda m: None)\n"
        "assert type(a.embedder).__name__ == 'OnnxEmbedder', type(a.embedder)\n"
        "assert a.ask('Who rejected the 1% prevention shift?').quotes\n"
        # a term the corpus lacks ('rethink') has the question parsed: spaCy loads, torch still does not
        "assert a.ask('Did the BMA want the government to rethink the cut to ICB running costs?').answered\n"
        "assert 'spacy' in sys.modules\n"
        "assert 'torch' not in sys.modules and 'sentence_transformers' not in sys.modules, 'torch was imported'\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "ok" in out.stdout, out.stderr[-2000:]


def test_int8_per_channel_stays_close_to_the_exact_vectors(onnx_folder, seed_settings):
    from assistant.language.embed import MIN_QUANTIZED_COSINE, quantize

    assert quantize(onnx_folder, log=lambda m: None) >= MIN_QUANTIZED_COSINE
    docs = load_sources(seed_settings.sources_dir).documents
    sample = [d.text[b.start:b.end] for d in docs for b in d.blocks[:15]]
    sample += ["Who welcomed fewer national targets?", "What did the BMA say about the GP buy-out fund?"]
    exact, int8 = OnnxEmbedder(onnx_folder), OnnxEmbedder(onnx_folder, quantized=True)
    cosine = (exact.encode(sample) * int8.encode(sample)).sum(axis=1)
    assert cosine.min() >= MIN_QUANTIZED_COSINE and cosine.mean() >= 0.985, (cosine.min(), cosine.mean())
    assert int8.vectors != exact.vectors == "exact"


def test_auto_runtime_runs_int8_only_when_it_passed_its_check(onnx_folder, tmp_path):
    import json
    import shutil

    from assistant.language.embed import QUANTIZED, load_embedder, quantize
    from assistant.settings import Settings

    quantize(onnx_folder, log=lambda m: None)
    settings = Settings(index_dir=tmp_path / "index", sources_dir=tmp_path)
    folder = export_dir(settings.index_dir, settings.model)
    shutil.copytree(onnx_folder, folder)
    quiet = dict(log=lambda m: None)
    # The index and the questions are encoded by one model: int8, which passed its check.
    assert load_embedder(settings, **quiet).vectors == QUANTIZED
    exact = settings.model_copy(update={"runtime": "onnx"})
    assert load_embedder(exact, **quiet).vectors == "exact"
    forced = settings.model_copy(update={"runtime": "onnx-int8"})
    assert load_embedder(forced, **quiet).vectors == QUANTIZED
    # A model whose int8 vectors drift too far is run exact, unless int8 is asked for by name.
    record = json.loads((folder / "quantized.json").read_text())
    (folder / "quantized.json").write_text(json.dumps({**record, "min_cosine": 0.5}))
    said = []
    assert load_embedder(settings, log=said.append).vectors == "exact"
    assert "too far" in said[-1]
    assert load_embedder(forced, **quiet).vectors == QUANTIZED


def test_int8_questions_against_an_exact_index_answer_like_the_exact_model(onnx_folder, seed_settings, tmp_path):
    """An index built with exact vectors (before int8 became the default, or with `onnx`) is served as it is
    under `auto`: its int8 questions return the exact model's first quote, the same passage (the sentence at its
    centre may be a neighbour nearly tied with the exact model's, and whether it joins the quote may differ)."""
    import shutil

    from assistant.answering.answer import Assistant
    from assistant.building.store import build_index, index_status, load_index
    from assistant.language.embed import quantize

    quantize(onnx_folder, log=lambda m: None)
    settings = seed_settings.model_copy(update={"runtime": "onnx", "index_dir": tmp_path / "index", "cache_size": 0})
    shutil.copytree(onnx_folder, export_dir(settings.index_dir, settings.model))
    exact, int8 = OnnxEmbedder(onnx_folder), OnnxEmbedder(onnx_folder, quantized=True)
    build_index(settings, exact, progress=False, log=lambda m: None)
    index = load_index(settings, exact.dim)
    assert index.manifest["vectors"] == "exact"
    auto = settings.model_copy(update={"runtime": "auto"})
    assert index_status(auto) == "ok" and load_index(auto, exact.dim).manifest["vectors"] == "exact"
    questions = ["What does the BMA think of the proposed GP buy-out fund?", "Who welcomed fewer national targets?",
                 "Did the government accept the 1% prevention shift?",
                 "What did NHS Providers say about HARPs?",
                 "What is the King's Fund's view of ICS accountability?"]
    firsts = {}
    for name, embedder in (("exact", exact), ("int8", int8)):
        a = Assistant(settings, index, embedder)
        firsts[name] = [[(q.source_id, q.start, q.end) for q in a.ask(x).quotes[:1]] for x in questions]
    assert all(firsts["exact"]) and all(firsts["int8"])
    for [(s1, a1, b1)], [(s2, a2, b2)] in zip(firsts["exact"], firsts["int8"]):
        # the same passage: a sentence next to the exact model's, nearly tied with it, may lead the quote
        assert s1 == s2 and a1 < b2 and a2 < b1, (firsts["exact"], firsts["int8"])


def test_an_index_holds_the_kind_of_vector_the_settings_ask_for(tmp_path, fake_embedder):
    from assistant.building.store import build_index, index_status, load_index
    from assistant.errors import IndexMismatchError
    from assistant.language.embed import QUANTIZED
    from assistant.settings import Settings

    src = tmp_path / "sources"
    src.mkdir()
    (src / "a.md").write_text("# A\n\nThe board welcomes the plan.")
    int8 = Settings(sources_dir=src, index_dir=tmp_path / "index", model="fake", runtime="onnx-int8")
    fake_embedder.vectors = QUANTIZED
    build_index(int8, fake_embedder, progress=False, log=lambda m: None)
    assert index_status(int8) == "ok"
    assert load_index(int8, fake_embedder.dim).manifest["vectors"] == QUANTIZED
    # `auto` serves whichever kind its index holds; `onnx` asks for exact vectors.
    auto = int8.model_copy(update={"runtime": "auto"})
    assert index_status(auto) == "ok"
    exact = int8.model_copy(update={"runtime": "onnx"})
    assert index_status(exact).startswith("stale: vectors")
    with pytest.raises(IndexMismatchError, match="int8"):
        load_index(exact, fake_embedder.dim)
    # Rebuilding for exact vectors re-embeds everything instead of reusing the int8 ones.
    fake_embedder.vectors, before = "exact", fake_embedder.encoded
    build_index(exact, fake_embedder, progress=False, log=lambda m: None)
    assert fake_embedder.encoded > before
    assert index_status(exact) == index_status(auto) == "ok"
