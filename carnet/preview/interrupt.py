"""A save during livereload's exact build stops that build: the new save is shown first.

The exact build of 5 000 articles takes tens of seconds; a save meanwhile would wait for it
before its own fast page. It is stopped instead, the way Ctrl-C stops a build (the live
build stays as it was, the half-made folder is thrown away), and the next build covers
both saves. Only while Pelican runs: the digests and the switch are left to finish.
"""

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from pelican import Pelican

_RUN = Pelican.run.__code__


class BuildSuperseded(KeyboardInterrupt):
    """A save came during the build: it is dropped, and the next one includes that save.

    A KeyboardInterrupt, so that every layer of the build cleans up as for Ctrl-C."""


def _in_pelican_run(frame) -> bool:
    while frame is not None:
        if frame.f_code is _RUN:
            return True
        frame = frame.f_back
    return False


@contextmanager
def superseded_by(saved: Callable[[], bool], poll_s: float = 0.25) -> Iterator[None]:
    """Raise BuildSuperseded in this (the main) thread, within Pelican's run, as soon as
    `saved()` says a file changed. Polled by a thread; the signal is sent again until the
    build is in Pelican's run or over, and raises at most once."""
    done = threading.Event()
    raised = False

    def handler(signum, frame) -> None:
        nonlocal raised
        if not raised and not done.is_set() and _in_pelican_run(frame):
            raised = True
            raise BuildSuperseded

    def look() -> None:
        while not done.wait(poll_s):
            if saved():
                while not done.is_set() and not raised:
                    signal.pthread_kill(main, signal.SIGUSR1)
                    done.wait(0.1)
                return

    main = threading.main_thread().ident
    previous = signal.signal(signal.SIGUSR1, handler)
    watcher = threading.Thread(target=look, daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()
        signal.signal(signal.SIGUSR1, previous)
