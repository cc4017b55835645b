"""Digests of what a build reads, to know when nothing changed and which content cache fits."""

import hashlib
import json
from pathlib import Path

from .source_digests import SourceDigests
from .sources import code_digest, tree_digest


def build_digest(settings_files: list[Path], settings: dict, options: dict, kept: Path | None = None) -> str:
    """Everything but the content: the settings files and the values they gave (a value
    may come from the environment, as SITEURL does), theme and the code that shapes the
    pages (sources.py), versions, build options. `kept`: where the code's digest is kept
    between builds (kept_code_digest.py)."""
    hasher = hashlib.blake2b(digest_size=16)
    for path in settings_files:
        tree_digest(path, hasher)
    hasher.update(json.dumps(settings, sort_keys=True, default=_named).encode())
    code_digest(settings, hasher, kept)
    hasher.update(repr(sorted(options.items())).encode())
    return hasher.hexdigest()


def _named(value) -> str:
    """Functions and objects in the settings count by name; their code is hashed with the files."""
    if isinstance(value, set | frozenset):
        return repr(sorted(map(repr, value)))
    name = getattr(value, "__qualname__", type(value).__qualname__)
    return f"{getattr(value, '__module__', type(value).__module__)}.{name}"


def inputs_digest(code: str, content: Path, sources: SourceDigests | None = None) -> str:
    """The code digest and every content file: equal digests, equal sites. `sources`: the
    files' digests kept by the previous build (source_digests.py); without, every file is read."""
    hasher = hashlib.blake2b(code.encode(), digest_size=16)
    (sources or SourceDigests()).feed(content, hasher)
    return hasher.hexdigest()
