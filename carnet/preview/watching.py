"""What the author's files look like now, to see a save by comparing two looks.

Polling, not inotify: it sees the saves of every editor (rename-over-save included), on
every system; a look every 0.25 s costs about 5 % of a core at 5 000 articles."""

import os
from pathlib import Path

# Files an editor writes beside the one being saved (Emacs locks and backups, Vim swap files).
_EDITOR_FILES = (".#", "#")
_EDITOR_SUFFIXES = ("~", ".swp", ".swx", ".swo", ".tmp")

Snapshot = dict[str, tuple[int, int]]


def snapshot(root: Path, patterns: list[str]) -> Snapshot:
    """Each watched file (relative to `root`) with its modification time and size.

    `patterns`: files (« pelicanconf.py ») and folders (« content/**/* », « plugins/**/*.py »).
    One stat per file, from a directory scan: 5 000 articles took 12 ms per look (this machine)."""
    files: Snapshot = {}
    for pattern in patterns:
        folder, recursive, suffix = pattern.partition("/**/*")
        if recursive:
            _scan(root / folder, folder, suffix, files)
        else:
            _add(root / pattern, pattern, files)
    return files


def _scan(folder: Path, name: str, suffix: str, files: Snapshot) -> None:
    try:
        entries = list(os.scandir(folder))
    except OSError:  # not there (yet), or removed during the look
        return
    for entry in entries:
        relative = f"{name}/{entry.name}"
        if entry.name.startswith(_EDITOR_FILES) or entry.name.endswith(_EDITOR_SUFFIXES):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    _scan(Path(entry.path), relative, suffix, files)
            elif entry.name.endswith(suffix) and entry.is_file():
                status = entry.stat()
                files[relative] = (status.st_mtime_ns, status.st_size)
        except OSError:
            continue


def _add(path: Path, name: str, files: Snapshot) -> None:
    try:
        status = path.stat()
    except OSError:
        return
    files[name] = (status.st_mtime_ns, status.st_size)


def changed_files(before: Snapshot, after: Snapshot) -> list[str]:
    """Files added, modified or removed between two looks."""
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
