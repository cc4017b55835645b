"""The search index of one build: how it is made, and when it goes live.

Three ways, chosen in this order (« why was the index rebuilt? » is answered here):
- the live build's index, copied and brought up to date (only the changed articles are
  re-indexed), when the build runner names it (SEARCH_PREVIOUS_INDEX_PATH) and it can be read;
  for a large archive, in a forked copy of the build while the pages are written (unless
  threads run beside the build);
- else, for a large archive (SEARCH_BACKGROUND_FROM articles or more), a second process that
  analyses the texts while Pelican reads them, then writes the index (IndexStream);
- else a new index, written here.
Each is written beside the live index (`<index>.new`) and swapped in only once the whole site
is written; a build that fails stops its index process, which then writes nothing.
"""

import enum
import logging
import shutil
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from carnet.search.documents import SearchDocument
from carnet.search.indexing import IndexStream, build_index, can_update, replace_index, update_index

from .kept import notice_unreadable, unreadable_reason
from .parallel import Worker, fork_workers, join, stop

logger = logging.getLogger(__name__)

# The context key of this build's IndexRun (Pelican makes a new context for every run).
INDEX_RUN = "search_index_run"


class Stage(enum.Enum):
    READING = "reading"  # the articles are being read (their texts may be streamed)
    INDEXING = "indexing"  # the new index is written, or being written by the second process
    DONE = "done"  # swapped in, or stopped: nothing runs any more


class IndexRun:
    """One build's index, from the first article read to its swap (or its stop).

    Kept in the build's context under INDEX_RUN. A failed build (carnet.build_failed carries
    only its folder), the interpreter's exit and Pelican's `finalized` (it carries the Pelican
    object, whose run keeps its context to itself) see no context: for them the runs not yet
    done are listed in `unfinished`, and `finalized` finds its own by the build's settings,
    the one dict that Pelican and every generator share."""

    unfinished: ClassVar[list["IndexRun"]] = []

    def __init__(
        self,
        settings: dict,
        target: Path,
        previous: Path | None,
        stream: IndexStream | None,
        background_from: int | None = None,
    ):
        self.settings = settings
        # From this many articles on, the index is written beside the build (None: never).
        self.background_from = background_from
        self.target = Path(target)
        self.fresh = self.target.with_name(self.target.name + ".new")
        self.previous = previous
        self.stream = stream  # while the articles are read, for a large archive
        self.process: subprocess.Popen | None = None  # the second process, once it has the documents
        # The forked copy bringing the live index up to date, and what it was given (when it
        # could not update that index, the index is built here from the same documents).
        self.updating: list[Worker] = []
        self._given: tuple | None = None
        self.stage = Stage.READING
        # Files that go live with the index (the service's results page), written at the swap;
        # None: removed (a copy of the live index may hold one that this build does not give).
        self.companions: dict[str, str | None] = {}
        IndexRun.unfinished.append(self)

    @classmethod
    def start(
        cls,
        settings: dict,
        target: Path,
        previous: Path | None,
        count_articles: Callable[[], int],
        background_from: int,
    ) -> "IndexRun":
        """Before the articles are read: stream their texts to a second process when the
        index will be built from nothing and the archive is large."""
        cls.stop_unfinished()  # what a failed build in this process may have left
        stream = None
        if not updatable(previous) and count_articles() >= background_from:
            stream = IndexStream()
        return cls(settings, target, previous, stream, background_from)

    @classmethod
    def of_build(cls, settings: dict) -> "IndexRun | None":
        return next((run for run in cls.unfinished if run.settings is settings), None)

    @classmethod
    def stop_unfinished(cls) -> None:
        for run in list(cls.unfinished):
            run.stop()

    def index(
        self,
        documents: list[SearchDocument],
        tag_names: dict[str, str],
        tag_forms: dict[str, list[str]] | None = None,
    ) -> None:
        """Every article is read: write the new index into `fresh`, one of the three ways."""
        given = (self.previous, self.fresh, documents, tag_names, tag_forms)  # update_copy's
        if self.stream is not None:
            self.process = self.stream.process  # tracked first, so that a failure stops it
            self.stream, stream = None, self.stream
            stream.finish(documents, self.fresh, tag_names, tag_forms)
        elif self.previous and self._beside(len(documents)):
            # Beside the pages: 0.5 s of an edit's rebuild at 5 000 articles, on the core the
            # build leaves idle until its pages are shared. Not beside threads (livereload's
            # server): a lock one of them holds at the fork would stay held in the copy.
            self._given = given
            self.updating = fork_workers(2, lambda _: update_copy(*given))  # one copy: worker 1
        elif not (self.previous and said(self.previous, update_copy(*given))):
            build_index(documents, self.fresh, tag_names, tag_forms=tag_forms)
        self.stage = Stage.INDEXING

    def _beside(self, articles: int) -> bool:
        large = self.background_from is not None and articles >= self.background_from
        return large and only_thread()

    def _updated_beside(self) -> None:
        """What the forked update did, said here; the index built here if it could not bring
        the live one up to date, or died (an index is a build's own: it never fails one)."""
        workers, self.updating = self.updating, []
        if not workers:
            return
        previous, fresh, documents, tag_names, tag_forms = self._given
        self._given = None
        try:
            outcome = join(workers)[0].value
        except Exception as error:  # WorkerFailed (killed, out of memory) or what it raised
            logger.info("search: the index update beside the build failed (%s): built here", error)
            outcome = None
        if not said(previous, outcome):
            build_index(documents, fresh, tag_names, tag_forms=tag_forms)

    def swap(self) -> None:
        """The site is written: only now does the new index replace the old one."""
        try:
            if self.stage is not Stage.INDEXING:  # the articles were never all read: nothing to swap
                return
            self._updated_beside()
            if self.process is not None and self.process.wait() != 0:
                # The wording is matched by builds/messages.py.
                logger.error("search: building the index failed (exit code %s)", self.process.returncode)
                return
            for name, text in self.companions.items():
                if text is None:
                    (self.fresh / name).unlink(missing_ok=True)
                else:
                    (self.fresh / name).write_text(text, encoding="utf-8")
            replace_index(self.fresh, self.target)
            logger.info("search: index ready in %s", self.target)
        finally:
            self.stop()

    def stop(self) -> None:
        """Stop the index process of a build that did not finish: it must not write anything."""
        if self.stream is not None:
            self.stream.abandon()
            self.stream = None
        stop(self.updating)
        self.updating, self._given = [], None
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.stage = Stage.DONE
        if self in IndexRun.unfinished:
            IndexRun.unfinished.remove(self)


def only_thread() -> bool:
    """Whether this process runs no other thread, which a fork would copy in whatever state."""
    return threading.active_count() == 1


def updatable(previous: Path | None) -> bool:
    """Whether the live build's index can be brought up to date (a damaged one cannot:
    `IndexRun.index` says so and builds a new one)."""
    try:
        return previous is not None and can_update(previous)
    except Exception:
        return False


def update_copy(
    previous: Path,
    fresh: Path,
    documents: list[SearchDocument],
    tag_names: dict[str, str],
    tag_forms: dict[str, list[str]] | None = None,
) -> tuple[int, int] | str | None:
    """Bring a copy of the live build's index up to date, without a word: (changed, removed), or
    why that index (or the bookkeeping beside it) could not be read, or None when it is not
    there; `said` says it, in this process, or in the build's for a forked copy."""
    # A copy, not links: the live build's index must stay exactly as it is.
    shutil.rmtree(fresh, ignore_errors=True)
    try:
        if not can_update(previous):
            return None
        shutil.copytree(previous, fresh)
        return update_index(fresh, documents, tag_names, tag_forms)
    except Exception as error:  # whatever a damaged file raises: the index is rebuilt from the articles
        return unreadable_reason(error)


def said(previous: Path, outcome: tuple[int, int] | str | None) -> bool:
    """Say what `update_copy` did; whether the index is up to date."""
    if isinstance(outcome, str):
        notice_unreadable(Path(previous), outcome, "l’index de recherche est reconstruit")
        return False
    if outcome is None:
        return False
    logger.info("search: %d articles re-indexed, %d removed", *outcome)
    return True
