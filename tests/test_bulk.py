"""The bulk build on Ray Data (bulk.py, `assistant index --ray`): the same index as a one-process build, on a
local Ray and on a Ray cluster reached by its address; an address nobody answers at is a clear error.

Needs the `scale` extra (ray): `.ci/run` installs it; without it these tests are skipped."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

pytest.importorskip("ray", reason="the scale extra is not installed (pip install -e '.[scale]')")

from conftest import FIXTURES, ROOT, free_port  # noqa: E402

from assistant.settings import Settings  # noqa: E402
from assistant.building.store import current_build, load_index  # noqa: E402


def index(sources, folder, *extra, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant.cli", "index", "--quiet", "--sources", str(sources),
                           "--index", str(folder), *extra], cwd=ROOT, capture_output=True, text=True, timeout=900,
                          env={**os.environ, **(env or {})})


def assert_same_index(one, other) -> None:
    a, b = load_index(one), load_index(other)
    assert a.documents == b.documents
    assert a.chunks == b.chunks and a.sentences == b.sentences  # rows, parse facts, actors and stances
    assert a.actors.to_json() == b.actors.to_json() and a.df == b.df and a.acronyms == b.acronyms
    for table in ("sentence_table", "chunk_table"):
        x, y = getattr(a, table), getattr(b, table)
        assert x.size == y.size > 0
        assert np.allclose(x.index.reconstruct_n(0, x.size), y.index.reconstruct_n(0, y.size), atol=1e-5)
    x, y = a.signals.to_arrays(), b.signals.to_arrays()
    assert all(np.array_equal(x[k], y[k]) for k in x if k != "generic")  # what each sentence is
    assert np.allclose(x["generic"], y["generic"], atol=1e-5)


@pytest.mark.e2e
def test_a_ray_build_of_the_seed_corpus_is_the_one_process_build(tmp_path):
    one, ray = tmp_path / "one", tmp_path / "ray"
    assert index(ROOT / "sources", one).returncode == 0
    done = index(ROOT / "sources", ray, "--ray")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "ray: 5 documents" in done.stderr
    assert_same_index(Settings(sources_dir=ROOT / "sources", index_dir=one),
                      Settings(sources_dir=ROOT / "sources", index_dir=ray))


@pytest.fixture
def ray_cluster():
    """A Ray head node of its own, as a cluster is started: reached by address, not started by the build."""
    import tempfile

    temp = tempfile.mkdtemp(prefix="ray", dir="/tmp")  # Ray's socket paths must stay under 108 bytes
    port = free_port()
    env = {**os.environ, "RAY_ADDRESS": ""}
    ray = shutil.which("ray", path=os.path.dirname(sys.executable))
    start = subprocess.run([ray, "start", "--head", f"--port={port}", "--num-cpus=2", "--include-dashboard=false",
                            "--disable-usage-stats", f"--temp-dir={temp}"],
                           capture_output=True, text=True, timeout=180, env=env)
    assert start.returncode == 0, start.stderr[-2000:]
    try:
        yield f"127.0.0.1:{port}"
    finally:
        subprocess.run([ray, "stop", "--force"], capture_output=True, timeout=120, env=env)
        shutil.rmtree(temp, ignore_errors=True)


def test_a_build_on_a_ray_cluster_by_its_address_is_the_one_process_build(ray_cluster, tmp_path):
    src = tmp_path / "sources"
    shutil.copytree(FIXTURES / "corpus", src)
    assert index(src, tmp_path / "one").returncode == 0
    # Ray clusters take a token by default: a client says so, and finds the token where `ray start` put it
    done = index(src, tmp_path / "ray", "--ray", ray_cluster, env={"RAY_AUTH_MODE": "token"})
    assert done.returncode == 0, done.stderr[-3000:]
    assert_same_index(Settings(sources_dir=src, index_dir=tmp_path / "one"),
                      Settings(sources_dir=src, index_dir=tmp_path / "ray"))


def test_a_ray_address_nobody_answers_at_is_a_clear_error_and_the_index_stays(tmp_path):
    src = tmp_path / "sources"
    shutil.copytree(FIXTURES / "corpus", src)
    assert index(src, tmp_path / "idx").returncode == 0
    before = current_build(tmp_path / "idx")
    (src / "more.txt").write_text("More\n\nThe Ministry of Lamps has no view on clinics.\n")
    done = index(src, tmp_path / "idx", "--ray", f"127.0.0.1:{free_port()}")
    assert done.returncode == 2 and "could not reach Ray" in done.stderr and "Traceback" not in done.stderr
    assert current_build(tmp_path / "idx") == before
