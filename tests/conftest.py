"""Shared fixtures: a tiny corpus with a fake embedder for fast tests, the seed corpus with the real model for e2e."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant import terms
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


class FakeEmbedder:
    """Deterministic bag-of-stems vectors: enough to exercise indexing and retrieval plumbing.
    Counts what it encodes, so tests can check that unchanged sources are not re-embedded."""

    name = "fake"
    dim = 64
    max_tokens = 256

    def __init__(self):
        self.encoded = 0

    def count_tokens(self, text: str) -> int:
        return len(text.split()) + 2

    def encode(self, texts, batch_size: int = 64, progress: bool = False) -> np.ndarray:
        self.encoded += len(texts)
        out = np.zeros((len(texts), self.dim), np.float32)
        for i, t in enumerate(texts):
            for tok in terms.tokens(t) or ["empty"]:
                h = int(hashlib.md5(tok.encode()).hexdigest(), 16)
                out[i, h % self.dim] += 1.0 if (h >> 8) % 2 else -1.0
            n = np.linalg.norm(out[i])
            out[i] = out[i] / n if n else out[i]
        return out

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode([text])[0]


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def tiny_settings(tmp_path: Path) -> Settings:
    """A copy of the fixture corpus and an empty index folder, private to the test."""
    src = tmp_path / "sources"
    shutil.copytree(FIXTURES / "corpus", src)
    return Settings(sources_dir=src, index_dir=tmp_path / "index", model="fake")


@pytest.fixture(scope="session")
def real_embedder():
    from assistant.embed import Embedder

    return Embedder(threads=1)


@pytest.fixture(scope="session")
def seed_settings(tmp_path_factory) -> Settings:
    """The real seed corpus, indexed into a private folder once per test session."""
    return Settings(sources_dir=ROOT / "sources", index_dir=tmp_path_factory.mktemp("seed-index"))


@pytest.fixture(scope="session")
def seed_assistant(seed_settings, real_embedder):
    from assistant.answer import open_assistant

    return open_assistant(seed_settings, embedder=real_embedder, log=lambda m: None)
