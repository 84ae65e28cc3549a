"""The bulk build on Ray Data (`assistant index --ray [ADDRESS]`): chunking, the parse and embedding of each
document run in parallel tasks across a Ray cluster (a local one started here without an address).

The driver reads the sources and hands each document to the tasks; what comes back is what the one-process
build computes (store.local_stages): each document's chunks, its sentences' parse facts and the vectors of
its texts. Everything that needs the whole corpus (the cast, attribution, BM25, the store) then runs in the
driver exactly as in a one-process build, so the index is the same.

Each task loads the model and spaCy once (an actor per CPU) and runs them on one thread: Ray's parallelism
is across documents. On a cluster, every node needs this package installed and the model export reachable
at the same index path (docs/deploy.md).
"""

from __future__ import annotations

import logging
import os
import pickle
from collections.abc import Callable
from dataclasses import asdict

import numpy as np

from ..errors import AssistantError
from ..language.embed import encode_with_progress
from ..language.parse import parse
from ..settings import Settings
from .chunk import ChunkParams, chunk_document
from .ingest import Document
from .texts import embed_key, sentence_embed_text

BATCH = 4  # documents a task takes at once: small, so long documents spread over the actors


class Stages:
    """One Ray actor: chunks, parses and embeds the documents of each batch it is given."""

    def __init__(self, settings_json: str, params: dict):
        from ..language.embed import load_embedder

        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        settings = Settings.model_validate_json(settings_json)
        self.embedder = load_embedder(settings, threads=1, log=lambda m: None)
        self.params = ChunkParams(**params)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        out = []
        for blob in batch["doc"]:
            doc: Document = pickle.loads(blob)
            c = chunk_document(doc, self.embedder.count_tokens, self.params)
            facts = list(parse(s.text for s in c.sentences))
            texts = [ch.embed_text for ch in c.chunks] + [
                sentence_embed_text(doc, s.section, s.context, s.text) for s in c.sentences]
            # as the one-process build encodes: sorted by word pieces, in small batches (one thread here)
            vectors = encode_with_progress(self.embedder, texts, progress=False)
            out.append(pickle.dumps((c, facts, texts, np.asarray(vectors, np.float32))))
        return {"i": batch["i"], "result": np.asarray(out, dtype=object)}


def reachable(address: str, timeout: float = 5.0) -> bool:
    """Whether anything accepts a connection at a Ray address (host:port or ray://host:port)."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(address if "://" in address else f"ray://{address}")
    try:
        with socket.create_connection((parts.hostname or "", parts.port or 6379), timeout=timeout):
            return True
    except (OSError, ValueError):
        return False


def ray_stages(settings: Settings, documents: list[Document], params: ChunkParams, address: str, progress: bool,
               log: Callable[[str], None]):
    """store.local_stages on Ray: the chunks, every sentence's facts in order, and the vectors by key. A bulk
    build embeds and parses every document (vectors and facts of an earlier build are not shipped to the
    cluster)."""
    try:
        import ray
    except ImportError:
        raise AssistantError("`index --ray` needs Ray: pip install -e '.[scale]'") from None
    started_here = not ray.is_initialized()
    if started_here:
        if address != "local" and address != "auto" and not reachable(address):
            # ray.init would retry an address nobody answers at for minutes
            raise AssistantError(f"could not reach Ray at {address}: nothing answers there (start the cluster, or "
                                 "use `--ray` alone for a local Ray)")
        try:
            ray.init(address=None if address == "local" else address, include_dashboard=False,
                     logging_level=logging.WARNING, log_to_driver=False, configure_logging=True)
        except Exception as e:  # ConnectionError, a bad address, a cluster of another version
            hint = ""
            if address != "local" and os.environ.get("RAY_AUTH_MODE") != "token":
                hint = (" (a cluster that takes a token, as Ray's do by default, needs RAY_AUTH_MODE=token and its "
                        "token in RAY_AUTH_TOKEN or ~/.ray/auth_token)")
            raise AssistantError(f"could not reach Ray at {address}: {str(e).splitlines()[0] if str(e) else e}{hint}") from None
    try:
        ctx = ray.data.DataContext.get_current()
        ctx.enable_progress_bars = progress
        ctx.print_on_execution_start = progress
        cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
        log(f"ray: {len(documents)} documents over {cpus} actors")
        items = [{"i": i, "doc": pickle.dumps(doc)} for i, doc in enumerate(documents)]
        done = ray.data.from_items(items, override_num_blocks=max(1, min(len(items), cpus * 4))).map_batches(
            Stages, fn_constructor_kwargs={"settings_json": settings.model_dump_json(), "params": asdict(params)},
            batch_size=BATCH, compute=ray.data.ActorPoolStrategy(size=cpus), num_cpus=1, batch_format="numpy")
        results = sorted(done.take_all(), key=lambda r: int(r["i"])) if items else []
    finally:
        if started_here:
            ray.shutdown()
    chunked, facts, vectors = [], [], {}
    for doc, r in zip(documents, results):
        c, doc_facts, texts, mat = pickle.loads(r["result"])
        chunked.append((doc, c))
        facts.extend(doc_facts)
        vectors.update(zip((embed_key(t) for t in texts), mat))
    return chunked, facts, lambda: vectors
