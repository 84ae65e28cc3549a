"""`assistant serve --watch`: files dropped into (or changed or removed in) the sources folder are
indexed and swapped in while the server runs, through the same job queue as uploads."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from ..settings import Settings
from .jobs import Jobs
from .library import UPLOADS

log = logging.getLogger("assistant")


def visible(path: str, root: Path) -> bool:
    """Changes that matter: not dot-files (editors' swap files, backups), and not uploads/, whose
    changes are made, and indexed, by the upload jobs themselves."""
    try:
        rel = Path(path).resolve().relative_to(root)
    except ValueError:
        return False
    return not any(part.startswith(".") for part in rel.parts) and rel.parts[:1] != (UPLOADS,)


def watch_sources(settings: Settings, jobs: Jobs) -> threading.Event:
    """Start watching; set the returned event to stop."""
    from watchfiles import watch

    stop = threading.Event()
    root = settings.sources_dir.resolve()

    def loop() -> None:
        # watchfiles waits for a quiet moment (debounce) so a file being copied is indexed once, whole.
        for changes in watch(root, stop_event=stop, debounce=800, raise_interrupt=False):
            paths = sorted({p for _, p in changes if visible(p, root)})
            if paths:
                log.info("sources changed (%s); re-indexing", ", ".join(Path(p).name for p in paths[:5]))
                jobs.submit("rescan", None, lambda: None)

    threading.Thread(target=loop, name="watch-sources", daemon=True).start()
    return stop
