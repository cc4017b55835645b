"""Digests of what a build reads, to know when nothing changed and which content cache fits."""

import hashlib
import json
from importlib.metadata import version
from pathlib import Path

LIBRARIES = ("pelican", "markdown", "jinja2", "whoosh-reloaded", "babel")


def tree_digest(folder: Path, hasher=None):
    """The names and bytes of every file under `folder` (compiled caches aside)."""
    hasher = hasher or hashlib.blake2b(digest_size=16)
    folder = Path(folder)
    if folder.is_file():
        hasher.update(folder.name.encode() + b"\0" + folder.read_bytes())
    elif folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            data = path.read_bytes()
            hasher.update(f"{path.relative_to(folder)}\0{len(data)}\0".encode())
            hasher.update(data)
    return hasher


def code_digest(settings_files: list[Path], settings: dict, folders: list[Path], options: dict) -> str:
    """Everything but the content: the settings files and the values they gave (a value
    may come from the environment, as SITEURL does), theme and plugin code, versions,
    build options."""
    hasher = hashlib.blake2b(digest_size=16)
    for path in [*settings_files, *folders]:
        tree_digest(path, hasher)
    hasher.update(json.dumps(settings, sort_keys=True, default=_named).encode())
    for library in LIBRARIES:
        hasher.update(f"{library}={version(library)}\n".encode())
    hasher.update(repr(sorted(options.items())).encode())
    return hasher.hexdigest()


def _named(value) -> str:
    """Functions and objects in the settings count by name; their code is hashed with the files."""
    if isinstance(value, set | frozenset):
        return repr(sorted(map(repr, value)))
    name = getattr(value, "__qualname__", type(value).__qualname__)
    return f"{getattr(value, '__module__', type(value).__module__)}.{name}"


def inputs_digest(code: str, content: Path) -> str:
    """The code digest and every content file: equal digests, equal sites."""
    return tree_digest(content, hashlib.blake2b(code.encode(), digest_size=16)).hexdigest()
