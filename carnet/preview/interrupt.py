"""A save during livereload's exact build stops that build: the new save is shown first.

The exact build of 5 000 articles takes tens of seconds; a save meanwhile would wait for it
before its own fast page. It is stopped instead, the way Ctrl-C stops a build (the live
build stays as it was, the half-made folder is thrown away), and the next build covers
both saves. Only before Pelican runs and while it runs: the switch is left to finish.
"""

import inspect
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from pelican import Pelican

from carnet.builds import pipeline, runner

_PELICAN = {Pelican.run.__code__, Pelican.__init__.__code__}
_BUILD_SITE = pipeline.build_site.__code__
_RUN_PELICAN = runner.run_pelican.__code__


def _line_calling(function, name: str) -> int:
    lines, first = inspect.getsourcelines(function)
    return first + next(number for number, line in enumerate(lines) if f"{name}(" in line)


# build_site's lines before it runs Pelican: the digests, the settings, a new empty folder.
_RUN_PELICAN_LINE = _line_calling(pipeline.build_site, "run_pelican")


class BuildSuperseded(KeyboardInterrupt):
    """A save came during the build: it is dropped, and the next one includes that save.

    A KeyboardInterrupt, so that every layer of the build cleans up as for Ctrl-C."""


def _stoppable(frame) -> bool:
    """Within Pelican (made or running), or in build_site before it runs Pelican: never in
    what sets up or ends the run (its read-ahead processes) nor in the switch."""
    codes = {}
    while frame is not None:
        codes.setdefault(frame.f_code, frame.f_lineno)
        frame = frame.f_back
    if _PELICAN & codes.keys():
        return True
    line = codes.get(_BUILD_SITE)
    return line is not None and _RUN_PELICAN not in codes and line < _RUN_PELICAN_LINE


@contextmanager
def superseded_by(saved: Callable[[], bool], poll_s: float = 0.25) -> Iterator[None]:
    """Raise BuildSuperseded in this (the main) thread, where it can stop (_stoppable), as soon as
    `saved()` says a file changed. Polled by a thread; the signal is sent again until the
    build is where it can stop, or over, and raises at most once."""
    done = threading.Event()
    raised = False

    def handler(signum, frame) -> None:
        nonlocal raised
        if not raised and not done.is_set() and _stoppable(frame):
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
