"""The micro-batching front of the question encoder: same vectors as encoding alone, failures passed on."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from assistant.language.batching import BatchingEncoder


def concurrently(encoder, texts: list[str]) -> list[np.ndarray]:
    out: list = [None] * len(texts)
    start = threading.Barrier(len(texts))

    def ask(i: int) -> None:
        start.wait()
        out[i] = encoder.encode_query(texts[i])

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(len(texts))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return out


class Slow:
    """A batch-invariant model that takes a while per call, so that questions queue up."""

    dim, max_tokens, name, vectors = 4, 256, "slow", "exact"

    def __init__(self):
        self.calls: list[int] = []

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def encode(self, texts, batch_size=64, progress=False):
        self.calls.append(len(texts))
        time.sleep(0.02)
        if any("boom" in t for t in texts):
            raise RuntimeError("model failed")
        return np.asarray([[len(t), t.count("a"), 1, 0] for t in texts], dtype=np.float32)

    def encode_query(self, text):
        return self.encode([text])[0]


def test_concurrent_questions_share_calls_and_get_their_own_vectors():
    inner = Slow()
    enc = BatchingEncoder(inner)
    texts = [f"question {'a' * i}" for i in range(12)]
    got = concurrently(enc, texts)
    for text, vec in zip(texts, got):
        assert np.array_equal(vec, inner.encode([text])[0])
    assert max(inner.calls) > 1  # some questions were encoded together
    enc.close()


def test_a_failing_model_fails_the_waiting_requests_instead_of_hanging_them():
    enc = BatchingEncoder(Slow())
    with pytest.raises(RuntimeError, match="model failed"):
        enc.encode_query("boom")
    assert enc.encode_query("fine")[0] == 4  # the workers live on
    enc.close()


@pytest.mark.e2e
def test_int8_questions_get_the_same_vector_alone_or_under_load(seed_assistant):
    """int8 activations are scaled over a whole call, so a batch would change each question's vector
    (cosine down to 0.988 measured); they must be encoded one by one, behind the batching front too."""
    inner = seed_assistant.embedder  # as shipped: the int8 question model
    assert inner.vectors != "exact" and not inner.batch_invariant
    texts = ["What does the BMA think of the GP buy-out fund?", "Who welcomed fewer national targets?",
             "ICS", "What did the government say about the 1% prevention shift over five years?"] * 4
    enc = BatchingEncoder(inner)
    got = concurrently(enc, texts)
    assert enc.encoded > enc.batches  # questions did queue up together
    for text, vec in zip(texts, got):
        assert np.array_equal(vec, inner.encode_query(text)), text
    batched = inner._encode_batch(texts[:4])  # what one model call on the four would have given
    assert not np.array_equal(batched, np.stack(got[:4]))
    enc.close()
