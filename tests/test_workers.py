"""`assistant serve --workers 2`: two processes answer on one port, each from its own copy of the index, and
a worker that dies is replaced while the other answers. A real server over HTTP on the seed corpus."""

from __future__ import annotations

import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from conftest import Server

pytestmark = pytest.mark.e2e

QUESTIONS = ["What does the BMA say about the GP buy-out fund?", "Did the government accept the 1% prevention shift?",
             "Who welcomed fewer national targets?", "What does NHS Providers think of HARPs?"]


def workers(pid: int) -> set[int]:
    """The server's worker processes: its children started by multiprocessing's spawn."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (stat.parent / "cmdline").read_bytes()
        except (OSError, ValueError):
            continue
        if ppid == pid and b"multiprocessing.spawn" in cmdline:
            found.add(int(stat.parent.name))
    return found


def until(condition, seconds: float = 120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if (got := condition()):
            return got
        time.sleep(0.3)
    raise AssertionError("timed out")


def ask(url: str, question: str) -> dict:
    r = httpx.post(url + "/api/answer", json={"question": question}, timeout=60)
    assert r.status_code == 200, r.text
    return r.json()


def test_two_workers_answer_verbatim_and_one_that_dies_is_replaced(seed_settings):
    srv = Server(seed_settings.sources_dir, seed_settings.index_dir,
                 {"ASSISTANT_WORKERS": "2", "ASSISTANT_CACHE_SIZE": "0"}).wait()
    try:
        def two(unlike=frozenset()):
            w = workers(srv.proc.pid)
            return w if len(w) == 2 and w != unlike else None

        first = until(two)
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda q: ask(srv.url, q), QUESTIONS * 4))
        texts = {}
        for a in answers:
            assert a["answered"] and a["quotes"]
            for q in a["quotes"]:
                if q["source_id"] not in texts:
                    texts[q["source_id"]] = httpx.get(f"{srv.url}/api/sources/{q['source_id']}").json()["text"]
                assert texts[q["source_id"]][q["start"]:q["end"]] == q["text"]
        os.kill(min(first), signal.SIGKILL)
        ask(srv.url, QUESTIONS[0])  # the other worker answers meanwhile
        replaced = until(lambda: two(first))
        assert min(first) not in replaced
        assert all(ask(srv.url, q)["answered"] for q in QUESTIONS)
    finally:
        srv.stop()
    until(lambda: not workers(srv.proc.pid), 30)  # stopping the server stops its workers


@pytest.mark.parametrize("stop", ["terminate", "kill"])
def test_the_stance_process_ends_with_its_server(seed_settings, stop):
    srv = Server(seed_settings.sources_dir, seed_settings.index_dir).wait()
    try:
        r = httpx.post(srv.url + "/api/stance", json={"topic": "ban skateboarding", "statements": ["It is fun."]},
                       timeout=120)
        assert r.status_code == 200
        (child,) = until(lambda: workers(srv.proc.pid))  # the stance child, started by spawn
    finally:
        getattr(srv.proc, stop)()  # a graceful stop, or a SIGKILL that leaves no one to shut the child down
        srv.proc.wait(30)
    until(lambda: not Path(f"/proc/{child}").exists() or b"(Z)" in Path(f"/proc/{child}/stat").read_bytes()
          or Path(f"/proc/{child}/stat").read_text().split()[2] == "Z", 30)
