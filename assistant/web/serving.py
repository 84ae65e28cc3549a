"""What the route modules (api.py, pages.py, manage.py) share with the app factory (app.py): the worker
pools and the API key check. A module of its own so that the factory imports the routes and the routes
import nothing back from the factory."""

from __future__ import annotations

import asyncio
import functools
import hmac
import os
import threading
import time

from fastapi import Request
from starlette.datastructures import Headers


async def in_answer_pool(request: Request, fn, /, *args, **kwargs):
    """Run a blocking call (an answer) on the app's small answer pool, off the event loop."""
    pool = getattr(request.app.state, "answer_pool", None)
    return await asyncio.get_running_loop().run_in_executor(pool, functools.partial(fn, *args, **kwargs))


class StanceProcess:
    """The process that reads stance (`/api/stance`): one request at a time, in a child process started on
    first use. The pair model and its working memory take about 400 MB; in the child, the answering process
    stays as small as before, and a crash there (out of memory, a killed child) costs one request a clear
    error, not the server. A child that died is replaced on the next request."""

    def __init__(self):
        self._pool = None
        self._lock = threading.Lock()

    def pool(self):
        with self._lock:
            if self._pool is None:
                import multiprocessing
                from concurrent.futures import ProcessPoolExecutor

                # spawn, not fork: the server's threads (answers, uploads) must not be copied half-way
                self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                                 initializer=follow_parent, initargs=(os.getpid(),))
            return self._pool

    def discard(self, broken) -> None:
        with self._lock:
            if self._pool is broken:
                self._pool = None
        broken.shutdown(wait=False, cancel_futures=True)

    def shutdown(self) -> None:
        """Stop the child now, mid-request or not: a server that stops does not wait on a hundred statements."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            children = list(getattr(pool, "_processes", {}).values())  # (the executor does not list them publicly)
            pool.shutdown(wait=False, cancel_futures=True)
            for child in children:
                child.terminate()


def follow_parent(parent: int) -> None:
    """In the stance child: exit when the server that started it is gone, however it went (a SIGKILL leaves no
    one to shut the pool down, and the child would hold its 580 MB for ever)."""

    def watch():
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="follow-parent", daemon=True).start()


async def in_stance_process(request: Request, fn, /, *args):
    """Run a stance request in the stance process (StanceProcess); ModelError when that process died under
    it."""
    from concurrent.futures.process import BrokenProcessPool

    from ..errors import ModelError

    stance: StanceProcess = request.app.state.stance_process
    pool = stance.pool()
    try:
        return await asyncio.get_running_loop().run_in_executor(pool, fn, *args)
    except BrokenProcessPool:
        stance.discard(pool)
        raise ModelError("the stance process stopped while reading these statements (out of memory?); "
                         "it is restarted on the next request") from None


def key_matches(given: str, key: str) -> bool:
    return hmac.compare_digest(given.encode(), key.encode())  # constant time: no timing hints about the key


def has_key(headers: Headers, key: str) -> bool:
    auth = headers.get("authorization", "")
    return key_matches(auth[7:] if auth.lower().startswith("bearer ") else headers.get("x-api-key", ""), key)
