"""Changes to the documents while the server runs: each is a job that writes the change into
`sources/`, rebuilds the index incrementally (only new or changed documents are parsed and embedded)
and swaps the new build in live.

One worker runs the jobs in order, and the index's build lock keeps a CLI build out meanwhile, so
changes never interleave. The swap is one assignment of the app's Assistant: a request holds the
Assistant it started with to the end, so requests in flight finish on the old build and new ones see
the new build; nothing answers from a half-built index. A change whose build fails is undone:
`sources/` and the serving index stay as they were.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ..settings import Settings
from .library import Change

log = logging.getLogger("assistant")
KEEP_JOBS = 200  # finished jobs remembered for polling
# Each stage's share of a build's time (parsing and embedding run at the same time; see store.build_index).
WEIGHTS = {"reading": 0.05, "parsing": 0.25, "embedding": 0.55, "writing": 0.1, "loading": 0.05}


@dataclass
class Job:
    id: str
    kind: str  # "add" | "replace" | "edit" | "remove" | "rescan"
    source_id: str | None
    title: str = ""  # the document's title, for people (the id is for programs)
    state: str = "queued"  # queued | running | done | failed
    stage: str = "queued"
    progress: float = 0.0
    error: str | None = None
    created: float = field(default_factory=time.time)
    finished: float | None = None
    took_s: float | None = None
    stages: dict[str, float] = field(default_factory=dict)  # stage -> seconds after the job was queued when it began
    expect: dict[str, bool] = field(default_factory=dict)
    fractions: dict[str, float] = field(default_factory=dict)
    # What an add will index, by id (ingest Documents): the API serves a document from the moment its
    # upload is accepted, not only once its job is done
    documents: dict = field(default_factory=dict)

    @property
    def pending(self) -> bool:
        return self.state in ("queued", "running")

    def tell(self, stage: str, done: int, total: int) -> None:
        """Progress: each stage's fraction done, weighted by its share of a build. Called from the
        parsing and the embedding threads at once; each writes only its own stage's fraction."""
        if stage not in self.stages:
            self.stages[stage] = round(time.time() - self.created, 2)
        self.fractions[stage] = done / total if total else 1.0
        for earlier in ("reading", "parsing", "embedding") if stage in ("writing", "loading") else ("reading",):
            self.fractions[earlier] = 1.0
        both = {"parsing", "embedding"} <= self.stages.keys() and stage in ("parsing", "embedding")
        self.stage = "parsing and embedding" if both else stage
        self.progress = round(min(0.99, sum(WEIGHTS.get(k, 0) * f for k, f in self.fractions.items())), 3)


def check_expected(index, expect: dict[str, bool]) -> None:
    """The build holds (or no longer holds) the documents the change was about; else say why not."""
    from ..errors import UploadError

    for doc_id, present in expect.items():
        if (doc_id in index.documents) != present:
            why = "; ".join(f"{p['file']}: {p['reason']}" for p in index.manifest.get("problems", [])
                            if p.get("file", "").startswith("uploads/")) or "it was skipped"
            raise UploadError(f"{doc_id} {'was not indexed' if present else 'is still indexed'} ({why})")


class Jobs:
    """The one queue of document changes for a running app."""

    def __init__(self, settings: Settings, current: Callable, swap: Callable):
        self.settings = settings
        self.current = current  # () -> the serving Assistant
        self._swap = swap  # (new Assistant) -> None
        self.jobs: OrderedDict[str, Job] = OrderedDict()
        self.lock = threading.Lock()
        self.worker = ThreadPoolExecutor(1, thread_name_prefix="index-job")
        self.index_embedder = None

    def get(self, job_id: str) -> Job | None:
        with self.lock:
            return self.jobs.get(job_id)

    def pending(self) -> dict[str, Job]:
        """The documents that queued or running changes are about, each with the last job about it."""
        with self.lock:
            return {doc_id: job for job in self.jobs.values() if job.pending for doc_id in job.expect}

    def withdrawn(self) -> frozenset[str]:
        """Documents whose removal is queued or running. From the moment a removal is accepted the API
        no longer serves them and answers no longer quote them: what a client sees does not depend on
        when the job gets to run (and a removal that fails puts them back)."""
        return frozenset(doc_id for doc_id, job in self.pending().items() if not job.expect[doc_id])

    def withhold(self) -> None:
        self.current().withhold(self.withdrawn())

    def swap(self, new) -> None:
        new.withhold(self.withdrawn())  # removals still queued stay out of the new build's answers
        self._swap(new)

    def submit(self, kind: str, source_id: str | None, stage: Callable[[], Change | None],
               expect: dict[str, bool] | None = None, title: str = "", documents: dict | None = None) -> Job:
        """Queue a change: `stage()` writes it into sources/ (returning how to undo it), then the index
        is rebuilt and swapped in. `expect`: document ids that must (True) or must not (False) be in
        the new build; if one is not as expected the change failed and is undone. `documents`: what an
        add will index, by id."""
        job = Job(secrets.token_hex(8), kind, source_id, title)
        job.expect = dict(expect or {})
        job.documents = dict(documents or {})
        with self.lock:
            self.jobs[job.id] = job
            # the oldest finished jobs are forgotten; a queued one never is (it says what is pending)
            for old in [j.id for j in self.jobs.values() if not j.pending][:max(0, len(self.jobs) - KEEP_JOBS)]:
                del self.jobs[old]
        if not all(job.expect.values()):
            self.withhold()
        self.worker.submit(self.run, job, stage)
        return job

    def run(self, job: Job, stage: Callable[[], Change | None]) -> None:
        from ..answering.answer import Assistant, indexing_embedder
        from .store import build_index, load_index

        started = time.perf_counter()
        job.state = "running"
        change = None
        try:
            change = stage()
            serving = self.current()
            if self.index_embedder is None:
                self.index_embedder = indexing_embedder(self.settings, serving.embedder, log.info)
            build_index(self.settings, self.index_embedder, progress=False, log=log.info, wait_for_lock=True,
                        on_progress=job.tell)
            job.tell("loading", 0, 1)
            index = load_index(self.settings, serving.embedder.dim)
            check_expected(index, job.expect)
            # The same serving model and weights; a new Assistant means a fresh answer cache.
            self.swap(Assistant(self.settings, index, serving.embedder, serving.weights))
            if change is not None:
                change.done()
            job.state, job.stage, job.progress = "done", "done", 1.0
        except Exception as e:  # any failure: put sources/ back; the serving index was never touched
            if change is not None:
                change.undo()
            log.exception("job %s (%s %s) failed", job.id, job.kind, job.source_id)
            job.state, job.error = "failed", str(getattr(e, "problem", None) or e)
        finally:
            job.finished = time.time()
            job.took_s = round(time.perf_counter() - started, 2)
            job.documents = {}  # served from the index now (or never): a finished job keeps no document text
            if not all(job.expect.values()):
                self.withhold()  # done: out of the index anyway; failed: quoted again

    def close(self) -> None:
        """At shutdown: queued changes are dropped (nothing of them was written yet); a running one
        finishes, or, if the process is killed, is undone on the next start."""
        self.worker.shutdown(wait=False, cancel_futures=True)
