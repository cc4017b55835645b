"""The garbage collector of a process that holds a whole archive: the build's, the index's.

Such a process makes little cyclic garbage, but at Python's default thresholds its full
collections go through the whole heap again and again as it grows: at 5 000 articles, 0.5 of
the 5.5 s of an edit's rebuild, 1.1 s of a full build's process and 1.7 s of the index's, for
no memory saved (the same peaks, measured). Rarer collections keep the young garbage's.
"""

import contextlib
import gc
import threading

# Collect the youngest objects every 50 000 allocations (700 by default), a full collection
# after 20 × 100 of those: in practice none during a build.
ARCHIVE_THRESHOLDS = (50_000, 20, 100)


_lock = threading.Lock()
_inside = 0  # blocks open now, in any thread: the first sets the thresholds, the last gives them back
_before = gc.get_threshold()


@contextlib.contextmanager
def fewer_collections():
    """Rarer collections inside the block (and in the processes forked there); as before after
    the last block ends, however blocks nest or overlap in threads."""
    global _inside, _before
    with _lock:
        if _inside == 0:
            _before = gc.get_threshold()
            gc.set_threshold(*ARCHIVE_THRESHOLDS)
        _inside += 1
    try:
        yield
    finally:
        with _lock:
            _inside -= 1
            if _inside == 0:
                gc.set_threshold(*_before)
