"""Who may search now: lanes of search slots, so that pages never wait behind searches
and ordinary searches never wait behind costly ones.

A waitress process has a fixed number of threads, and a search that waits for a slot
holds one of them. So each lane admits at most a fixed number of requests, running or
waiting, and the lanes together leave threads free for pages: a request that finds
its lane full gets a 503 with Retry-After at once instead of queueing.
"""

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

# A query is costly when it asks for many patterns or combines many terms: one or two
# wildcards of three letters or more cost what a word costs (limits.py bounds them).
COSTLY_PATTERNS = 2
COSTLY_WORDS = 12
_PATTERN = re.compile(r"[*?]")


def is_costly(query: str) -> bool:
    """True for queries that may take far longer than a few words: floods of wildcards, long lists."""
    words = query.split()
    return sum(1 for word in words if _PATTERN.search(word)) > COSTLY_PATTERNS or len(words) > COSTLY_WORDS


class Lane:
    """At most `running` searches at once, and at most `waiting` more waiting up to `wait_s`."""

    def __init__(self, running: int, waiting: int, wait_s: float):
        self._running = threading.BoundedSemaphore(running)
        self._admitted = threading.BoundedSemaphore(running + waiting)
        self.wait_s = wait_s

    @contextmanager
    def slot(self) -> Iterator[bool]:
        """Yields True with a slot held, or False when the lane is full (answer 503)."""
        if not self._admitted.acquire(blocking=False):
            yield False
            return
        try:
            if not self._running.acquire(timeout=self.wait_s):
                yield False
                return
            try:
                yield True
            finally:
                self._running.release()
        finally:
            self._admitted.release()


@dataclass(frozen=True)
class Lanes:
    ordinary: Lane
    costly: Lane

    @classmethod
    def for_threads(cls, threads: int, wait_s: float = 5.0) -> "Lanes":
        """Lanes for a process of `threads` threads: a quarter of them (at least one) kept
        for pages, one or two for costly searches, the rest for ordinary ones, of which two
        run at once (Python runs one thread at a time: more would only share the core)."""
        for_pages = max(1, threads // 4)
        costly_waiting = 1 if threads >= 8 else 0
        ordinary = max(1, threads - for_pages - 1 - costly_waiting)
        running = min(2, ordinary)
        return cls(
            ordinary=Lane(running=running, waiting=ordinary - running, wait_s=wait_s),
            # A costly search waits less: its reader is told sooner to try again.
            costly=Lane(running=1, waiting=costly_waiting, wait_s=min(wait_s, 1.0)),
        )

    def for_query(self, query: str) -> Lane:
        return self.costly if is_costly(query) else self.ordinary
