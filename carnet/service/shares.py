"""Which of the forked workers takes the next connection: the one holding the fewest.

The workers accept from one shared socket, and the kernel wakes them all: the one that
was already running tends to win. Persistent clients (nginx's keepalive, a load test)
then keep their connections on one process while the other's core sits idle, and the
busy one turns searches away. So each worker writes, in memory shared before the fork,
how many connections it holds and when it last looked, and leaves the socket to the
others while it holds more than the least loaded of those still looking. A worker that
leaves the socket wakes the others through their pipes: in a burst of connections, the
least loaded takes the next one at once, not at its next look.
"""

import contextlib
import mmap
import os
import struct
import time
from collections.abc import Callable

# One slot per worker: open connections (q) and the time of its last report (d).
_SLOT = struct.Struct("qd")

# A worker that has not reported for this long is stuck or gone: do not wait on it.
# Workers report about ten times a second (serving.serve_until).
STALE_S = 1.0


class ConnectionShares:
    def __init__(self, workers: int, clock: Callable[[], float] = time.monotonic):
        self.workers = workers
        self._clock = clock
        # Anonymous shared memory: the forked workers all see the same pages.
        self._memory = mmap.mmap(-1, _SLOT.size * workers)
        # A pipe per worker, made before the fork: a byte in it wakes that worker's loop.
        self._wakes = [os.pipe() for _ in range(workers)] if workers > 1 else []
        for pipe in self._wakes:
            for end in pipe:
                os.set_blocking(end, False)

    def wake_end(self, slot: int) -> int:
        """The file descriptor worker `slot` watches, to be woken by the others."""
        return self._wakes[slot][0]

    def wake_others(self, slot: int) -> None:
        """Worker `slot` stops taking connections: the others look at the socket again now."""
        for number, (_, write_end) in enumerate(self._wakes):
            if number != slot:
                with contextlib.suppress(BlockingIOError):  # full: it has yet to read the others
                    os.write(write_end, b"!")

    def report(self, slot: int, connections: int) -> None:
        """Worker `slot` holds `connections` open connections now."""
        _SLOT.pack_into(self._memory, slot * _SLOT.size, connections, self._clock())

    def expect(self, slot: int) -> None:
        """A worker is starting in `slot`: count it, with no connection, for the time it
        has to report, so that the first burst of connections does not all go to its elder."""
        self.report(slot, 0)

    def leave(self, slot: int) -> None:
        """Worker `slot` accepts no more (it stops, or it died)."""
        _SLOT.pack_into(self._memory, slot * _SLOT.size, 0, 0.0)

    def may_accept(self, slot: int) -> bool:
        """Whether worker `slot` should take new connections: it holds no more than the
        least loaded of the other workers that reported lately (all of them may accept
        when they hold the same number, and a worker alone always does)."""
        now = self._clock()
        mine = 0
        others = []
        for number in range(self.workers):
            connections, seen = _SLOT.unpack_from(self._memory, number * _SLOT.size)
            if number == slot:
                mine = connections
            elif seen and now - seen < STALE_S:
                others.append(connections)
        return not others or mine <= min(others)
