"""Micro-batching of question encodes: concurrent requests share one model call.

Each request thread hands its question to a queue and waits; a worker takes whatever has queued up
(up to `max_batch`) and encodes it as one batch. A lone question does not wait for company: batches
form by themselves under load, from the questions that arrive while a batch is being encoded.
Measured on a 2-vCPU machine (bench/README.md) a batch of short questions costs about as much as
the same questions one by one, so the gain there is the saved thread hand-offs and queueing: two
workers run the model while request threads wait, instead of every request thread contending for
it. An int8 model is not batch-invariant, so its questions are encoded one by one by the workers.
"""

from __future__ import annotations

import queue
import threading
import time
from concurrent.futures import Future

import numpy as np


class BatchingEncoder:
    def __init__(self, inner, max_batch: int = 32, max_wait_ms: float = 0.0, workers: int = 2):
        self.inner = inner
        self.max_batch = max_batch
        self.max_wait = max_wait_ms / 1000
        self.queue: queue.Queue[tuple[str, Future] | None] = queue.Queue()
        self.batches = 0
        self.encoded = 0
        self.threads = [threading.Thread(target=self._work, name=f"encoder-{i}", daemon=True) for i in range(workers)]
        for t in self.threads:
            t.start()

    # The embedder interface the rest of the code uses.
    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def dim(self) -> int:
        return self.inner.dim

    @property
    def vectors(self) -> str:
        return getattr(self.inner, "vectors", "exact")

    @property
    def max_tokens(self) -> int:
        return self.inner.max_tokens

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)

    def encode(self, texts: list[str], batch_size: int = 64, progress: bool = False) -> np.ndarray:
        return self.inner.encode(texts, batch_size=batch_size, progress=progress)

    def encode_query(self, text: str) -> np.ndarray:
        fut: Future = Future()
        self.queue.put((text, fut))
        return fut.result()

    def close(self) -> None:
        for _ in self.threads:
            self.queue.put(None)

    def _work(self) -> None:
        while True:
            first = self.queue.get()
            if first is None:
                return
            batch = [first]
            deadline = time.monotonic() + self.max_wait
            while len(batch) < self.max_batch:
                try:
                    wait = deadline - time.monotonic()
                    item = self.queue.get(timeout=wait) if wait > 0 else self.queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    self.queue.put(None)  # let this worker finish its batch, then stop
                    break
                batch.append(item)
            try:
                texts = [text for text, _ in batch]
                # (An int8 model encodes them one at a time itself: a question's vector never depends on
                # the questions it arrived with, so the same question always gets the same answer.)
                vectors = self.inner.encode(texts, batch_size=len(texts))
            except Exception as e:  # hand the failure to every waiting request instead of hanging them
                for _, fut in batch:
                    fut.set_exception(e)
                continue
            self.batches += 1
            self.encoded += len(batch)
            for (_, fut), vec in zip(batch, vectors):
                fut.set_result(vec)
