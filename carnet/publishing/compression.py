"""Gzip copies of a built site's text files, for servers that send them as they are
(nginx's `gzip_static`): compressed once at build time, at the best level, never per request."""

import os
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

# Text formats of the site; images and fonts are compressed already.
SUFFIXES = frozenset({".html", ".css", ".xml", ".json", ".svg", ".js", ".txt"})
LEVEL = 9
# wbits 16 + 15: a gzip stream whose header zlib writes with mtime 0 and no file name,
# so that identical files give identical bytes, build after build.
_GZIP_WBITS = 31


@dataclass
class Report:
    files: int = 0  # text files seen
    written: int = 0  # .gz copies written (the others would not have been smaller)
    reused: int = 0  # of which linked from the previous build, the file being the same
    size: int = 0  # bytes of the text files
    compressed: int = 0  # bytes sent for them with gzip (the .gz, or the file when kept alone)


def gzip_bytes(data: bytes) -> bytes:
    return zlib.compress(data, LEVEL, _GZIP_WBITS)


def precompress(root: Path, previous: Path | None = None, threads: int = 2) -> Report:
    """Write `<file>.gz` beside each text file under `root` when it is smaller than the file.

    `previous` is the same site's previous build: a file whose bytes did not change gets a
    hard link to its `.gz` there instead of a new compression (builds are never written once
    live). zlib lets go of the GIL while it compresses, so threads share the cores."""
    paths = sorted(p for p in Path(root).rglob("*") if p.suffix in SUFFIXES and p.is_file())
    with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
        results = list(pool.map(lambda p: _one(p, Path(root), previous), paths))
    report = Report(files=len(paths))
    for size, compressed, written, reused in results:
        report.size += size
        report.compressed += compressed
        report.written += written
        report.reused += reused
    return report


def _one(path: Path, root: Path, previous: Path | None) -> tuple[int, int, bool, bool]:
    target = path.with_name(path.name + ".gz")
    if previous is not None and _link_unchanged(path, previous / path.relative_to(root), target):
        return path.stat().st_size, target.stat().st_size, True, True
    data = path.read_bytes()
    packed = gzip_bytes(data)
    if len(packed) >= len(data):
        target.unlink(missing_ok=True)  # a stale copy would be served instead of the file
        return len(data), len(data), False, False
    target.write_bytes(packed)
    return len(data), len(packed), True, False


def _link_unchanged(path: Path, old: Path, target: Path) -> bool:
    old_gz = old.with_name(old.name + ".gz")
    try:
        new_stat, old_stat = path.stat(), old.stat()
        # A page the build reused is a hard link to the previous one: the same file, not read.
        if not os.path.samestat(new_stat, old_stat) and (
            old_stat.st_size != new_stat.st_size or old.read_bytes() != path.read_bytes()
        ):
            return False
        target.unlink(missing_ok=True)
        os.link(old_gz, target)
    except OSError:  # no such file before, no .gz, or another file system: compress
        return False
    return True
