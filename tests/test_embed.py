"""The ONNX runtime gives the bundled model's vectors without torch."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from assistant.embed import OnnxEmbedder, export_dir, export_onnx
from assistant.ingest import load_sources

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def onnx_folder(tmp_path_factory):
    folder = export_dir(tmp_path_factory.mktemp("idx"), "all-MiniLM-L6-v2")
    export_onnx("all-MiniLM-L6-v2", folder, log=lambda m: None)
    return folder


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


def test_serving_never_imports_torch(seed_assistant, seed_settings):
    """With the index and its ONNX export in place, loading and answering leaves torch unimported."""
    export_onnx("all-MiniLM-L6-v2", export_dir(seed_settings.index_dir, "all-MiniLM-L6-v2"), log=lambda m: None)
    code = (
        "import sys\n"
        "from assistant.settings import Settings\n"
        "from assistant.answer import open_assistant\n"
        f"s = Settings(sources_dir={str(seed_settings.sources_dir)!r}, index_dir={str(seed_settings.index_dir)!r})\n"
        "a = open_assistant(s, build_if_needed=False, log=lambda m: None)\n"
        "assert type(a.embedder).__name__ == 'OnnxEmbedder', type(a.embedder)\n"
        "assert a.ask('Who rejected the 1% prevention shift?').quotes\n"
        "assert 'torch' not in sys.modules and 'sentence_transformers' not in sys.modules, 'torch was imported'\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "ok" in out.stdout, out.stderr[-2000:]


def test_int8_runtime_is_close_and_kept_apart_from_exact_vectors(onnx_folder, tmp_path, fake_embedder):
    from assistant.embed import quantize
    from assistant.errors import IndexMismatchError
    from assistant.settings import Settings
    from assistant.store import build_index, index_status, load_index

    quantize(onnx_folder)
    exact, int8 = OnnxEmbedder(onnx_folder), OnnxEmbedder(onnx_folder, quantized=True)
    texts = ["What does the BMA think of the proposed GP buy-out fund?", "DHSC rejects the 10% cut."]
    assert ((exact.encode(texts) * int8.encode(texts)).sum(axis=1) > 0.95).all()
    # An index built for one kind of vector is stale, and refused, for the other.
    src = tmp_path / "sources"
    src.mkdir()
    (src / "a.md").write_text("# A\n\nThe board welcomes the plan.")
    quick = Settings(sources_dir=src, index_dir=tmp_path / "index", model="fake", runtime="onnx-int8")
    build_index(quick, fake_embedder, progress=False, log=lambda m: None)
    assert index_status(quick) == "ok"
    exact_settings = quick.model_copy(update={"runtime": "auto"})
    assert index_status(exact_settings).startswith("stale: vectors")
    with pytest.raises(IndexMismatchError, match="int8"):
        load_index(exact_settings)
