"""What the route modules (api.py, pages.py, manage.py) share with the app factory (app.py): the worker
pools and the API key check. A module of its own so that the factory imports the routes and the routes
import nothing back from the factory."""

from __future__ import annotations

import asyncio
import functools
import hmac

from fastapi import Request
from starlette.datastructures import Headers


async def in_answer_pool(request: Request, fn, /, *args, **kwargs):
    """Run a blocking call (an answer) on the app's small answer pool, off the event loop."""
    pool = getattr(request.app.state, "answer_pool", None)
    return await asyncio.get_running_loop().run_in_executor(pool, functools.partial(fn, *args, **kwargs))


async def in_stance_pool(request: Request, fn, /, *args, **kwargs):
    """Run a stance request on its own thread, one request at a time: a hundred statements keep the pair model
    busy for about 12 s, which must not hold up the answer threads behind it."""
    pool = getattr(request.app.state, "stance_pool", None)
    return await asyncio.get_running_loop().run_in_executor(pool, functools.partial(fn, *args, **kwargs))


def key_matches(given: str, key: str) -> bool:
    return hmac.compare_digest(given.encode(), key.encode())  # constant time: no timing hints about the key


def has_key(headers: Headers, key: str) -> bool:
    auth = headers.get("authorization", "")
    return key_matches(auth[7:] if auth.lower().startswith("bearer ") else headers.get("x-api-key", ""), key)
