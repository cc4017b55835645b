"""A part of the full index's work done by a forked copy of the process, on the other core.

A fork, not a new interpreter: the child has the writer, its pool and the documents as they
are here, with nothing to import or send. It answers through a pipe (and whatever its work
writes to files it was given), and leaves by os._exit, so that nothing of this process
(buffers, atexit) runs twice. Used by forked_analysis.py and postings_blocks.py."""

import contextlib
import ctypes
import fcntl
import os
import pickle
import signal
import sys
import traceback
from collections.abc import Callable
from typing import BinaryIO

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
# A larger pipe, where Linux allows it: a writer waits less for its reader.
PIPE_BYTES = 1 << 20


def _find_prctl():
    """Linux's prctl, looked up here: after a fork beside threads, the child must not load
    libraries (another thread may have held the loader's lock)."""
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _find_prctl()


class Forked:
    """`work(pipe)` running in a forked child, which writes its answer's messages to `pipe`
    (pickled, one after the other). If the child fails, this process raises a RuntimeError
    that says `failure`, with the child's exit code; the child's trace is on stderr."""

    def __init__(self, work: Callable[[BinaryIO], None], failure: str):
        self.failure = failure
        self.pid = 0
        read_end, write_end = os.pipe()
        try:
            with contextlib.suppress(OSError, AttributeError):  # where Linux allows it: fewer waits
                fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
            parent = os.getpid()
            self.pid = os.fork()
            if self.pid == 0:  # pragma: no cover - the child ends in os._exit, never returns
                os.close(read_end)
                _run_child(parent, work, write_end)
        except BaseException:  # the fork failed, or a new save stopped the build right there
            os.close(read_end)
            os.close(write_end)
            self._kill()
            raise
        os.close(write_end)
        self.pipe = os.fdopen(read_end, "rb")

    def receive(self):
        """The child's next message."""
        try:
            return pickle.load(self.pipe)
        except (EOFError, pickle.UnpicklingError):
            raise self._failed(self.finish(check=False)) from None

    def finish(self, check: bool = True) -> int:
        """Wait for the child to end; its exit status."""
        self.pipe.close()
        try:
            _, status = os.waitpid(self.pid, 0)
        finally:
            self.pid = 0
        if check and status != 0:
            raise self._failed(status)
        return status

    def stop(self) -> None:
        """Kill the child if it still runs (this process failed: its answer is not wanted)."""
        self.pipe.close()
        self._kill()

    def _kill(self) -> None:
        if self.pid:
            with contextlib.suppress(ProcessLookupError, ChildProcessError):
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            self.pid = 0

    def _failed(self, status: int) -> RuntimeError:
        code = os.waitstatus_to_exitcode(status)
        return RuntimeError(f"{self.failure} (code {code}, sa trace est ci-dessus)")


def _run_child(parent: int, work: Callable[[BinaryIO], None], write_end: int) -> None:
    status = 1
    try:
        die_with(parent)
        with os.fdopen(write_end, "wb") as pipe:
            work(pipe)
        status = 0
    except BaseException:
        traceback.print_exc()
        sys.stderr.flush()
    finally:
        os._exit(status)


def die_with(parent: int) -> None:
    """In a forked child: it is killed with `parent`, this process's parent at the fork (Linux's
    PR_SET_PDEATHSIG; elsewhere the child ends at its answer, which no one reads). A failed build
    kills the index process, which cannot stop its child itself; a build killed with -9 kills
    its render processes (carnet/builds/parallel.py)."""
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # gone before the line above
        os._exit(1)
