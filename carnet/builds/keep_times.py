"""Give the files that a new build wrote unchanged the modification time they have in the live build.

A web server that serves from disk (nginx) makes its validators from the file's time and size
(`ETag: "mtime-size"`, `Last-Modified`): without this, every page would look new after each
build and readers would download it again instead of getting a 304. A file whose bytes differ
gets a time other than the live file's, to the second, so that after a publication or a
rollback neither validator can say « unchanged » for other bytes (nginx compares
`If-Modified-Since` with the time exactly, in seconds)."""

import os
from dataclasses import dataclass
from pathlib import Path

CHUNK = 1 << 20


@dataclass
class KeptTimes:
    kept: int = 0  # same bytes: the live file's time
    changed: int = 0  # other bytes, or a new file: its own time
    moved_on: int = 0  # other bytes written in the live file's second: one second later


def same_bytes(first: str, second: str) -> bool:
    with open(first, "rb") as one, open(second, "rb") as other:
        while True:
            a, b = one.read(CHUNK), other.read(CHUNK)
            if a != b:
                return False
            if not a:
                return True


def keep_times(new: Path, live: Path) -> KeptTimes:
    """Compare every regular file under `new` with the one at the same path under `live`."""
    counts = KeptTimes()
    pending = [str(new)]
    live_root, new_root = str(live), str(new)
    while pending:
        folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                pending.append(entry.path)
            elif entry.is_file(follow_symlinks=False):
                _keep_one(entry, live_root + entry.path[len(new_root) :], counts)
    return counts


def _keep_one(entry: os.DirEntry, old_path: str, counts: KeptTimes) -> None:
    try:
        mine = entry.stat(follow_symlinks=False)
        old = os.lstat(old_path)
    except OSError:  # no such file in the live build
        counts.changed += 1
        return
    if (mine.st_dev, mine.st_ino) == (old.st_dev, old.st_ino):
        counts.kept += 1  # a hard link to the live file (precompress): one time already
        return
    try:
        if (
            os.path.isfile(old_path)
            and not os.path.islink(old_path)
            and mine.st_size == old.st_size
            and same_bytes(entry.path, old_path)
        ):
            os.utime(entry.path, ns=(old.st_atime_ns, old.st_mtime_ns))
            counts.kept += 1
            return
        counts.changed += 1
        if mine.st_mtime_ns // 10**9 == old.st_mtime_ns // 10**9:
            later = old.st_mtime_ns // 10**9 * 10**9 + 10**9
            os.utime(entry.path, ns=(mine.st_atime_ns, later))
            counts.moved_on += 1
    except OSError:
        counts.changed += 1
