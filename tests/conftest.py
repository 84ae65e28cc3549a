"""Shared fixtures: a tiny corpus with a fake embedder for fast tests, the seed corpus with the real model for e2e."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant.language import terms
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
    from assistant.language.embed import Embedder

    return Embedder(threads=1)


@pytest.fixture(scope="session")
def seed_settings(tmp_path_factory) -> Settings:
    """The real seed corpus, indexed into a private folder once per test session."""
    return Settings(sources_dir=ROOT / "sources", index_dir=tmp_path_factory.mktemp("seed-index"))


@pytest.fixture(scope="session")
def seed_assistant(seed_settings):
    """The assistant as shipped: default runtime (the bundled model's ONNX export, int8 per channel)."""
    from assistant.answering.answer import open_assistant

    return open_assistant(seed_settings, log=lambda m: None)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A real `assistant serve` process on a free loopback port."""

    def __init__(self, sources: Path, index: Path, extra_env: dict | None = None):
        import os
        import subprocess
        import sys

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, **(extra_env or {})}
        self.log = index.parent / f"serve-{self.port}.log"
        with open(self.log, "w") as out:  # the child keeps its own copy of the file descriptor
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "assistant.cli", "serve", "--host", "127.0.0.1", "--port", str(self.port),
                 "--sources", str(sources), "--index", str(index)],
                stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT)

    def wait(self, timeout: float = 180) -> Server:
        import time

        import httpx

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"server did not start: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except Exception:
            self.proc.kill()


@pytest.fixture(scope="session")
def server(seed_settings):
    """`assistant serve` on the seed corpus (sharing the session's seed index folder)."""
    srv = Server(seed_settings.sources_dir, seed_settings.index_dir).wait()
    yield srv
    srv.stop()


CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        if os.environ.get("CI") == "true":
            pytest.fail(f"chromium is missing at {CHROMIUM}; CI must install it (apt-get install chromium)")
        pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


def made_up_index(tmp_path: Path, embedder, documents: dict[str, tuple[str, str]], actors: list | None = None):
    """The index of made-up documents, {file: (text, publisher)}, each with the file's stem as its id, and an
    actors.json when `actors` is given. Called again, it writes the files anew and rebuilds."""
    from assistant.building.store import build_index, load_index

    src = tmp_path / "sources"
    src.mkdir(exist_ok=True)
    for file, (text, _) in documents.items():
        (src / file).write_text(text)
    (src / "catalog.toml").write_text("\n".join(
        f'[[source]]\nfile = "{file}"\nid = "{Path(file).stem}"\npublisher = "{publisher}"\n'
        for file, (_, publisher) in documents.items()))
    if actors is not None:
        (src / "actors.json").write_text(json.dumps(actors))
    settings = Settings(sources_dir=src, index_dir=tmp_path / "index", model="fake")
    build_index(settings, embedder, progress=False, log=lambda m: None)
    return load_index(settings, embedder.dim)


def made_up_assistant(tmp_path: Path, embedder, documents: dict[str, tuple[str, str]], actors: list | None = None):
    """An assistant over made-up documents (made_up_index), with the stand-in model."""
    from assistant.answering.answer import Assistant

    index = made_up_index(tmp_path, embedder, documents, actors)
    return Assistant(Settings(sources_dir=tmp_path / "sources", index_dir=tmp_path / "index", model="fake"),
                     index, embedder, None)


def one_document(tmp_path: Path, embedder, file: str, text: str, publisher: str, actors: list | None = None):
    """The index of one made-up document by `publisher`: what the tests of attribution and quotes build
    their corpora with."""
    return made_up_index(tmp_path, embedder, {file: (text, publisher)}, actors)


def one_assistant(tmp_path: Path, embedder, file: str, text: str, publisher: str, actors: list | None = None):
    """An assistant over one made-up document (one_document), with the stand-in model."""
    return made_up_assistant(tmp_path, embedder, {file: (text, publisher)}, actors)
