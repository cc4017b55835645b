"""What the author's files look like now, to see a save by comparing two looks.

Polling, not inotify: it sees the saves of every editor (rename-over-save included), on
every system, and costs a few milliseconds per look for a few hundred files."""

from pathlib import Path

# Files an editor writes beside the one being saved (Emacs locks and backups, Vim swap files).
_EDITOR_FILES = (".#", "#")
_EDITOR_SUFFIXES = ("~", ".swp", ".swx", ".swo", ".tmp")

Snapshot = dict[str, tuple[int, int]]


def ignored(path: Path) -> bool:
    name = path.name
    return name.startswith(_EDITOR_FILES) or name.endswith(_EDITOR_SUFFIXES) or "__pycache__" in path.parts


def snapshot(root: Path, patterns: list[str]) -> Snapshot:
    """Each watched file (relative to `root`) with its modification time and size."""
    files: Snapshot = {}
    for pattern in patterns:
        for path in root.glob(pattern):
            if ignored(path.relative_to(root)):
                continue
            try:
                status = path.stat()
            except OSError:  # removed between the listing and the look
                continue
            if path.is_file():
                files[path.relative_to(root).as_posix()] = (status.st_mtime_ns, status.st_size)
    return files


def changed_files(before: Snapshot, after: Snapshot) -> list[str]:
    """Files added, modified or removed between two looks."""
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
