"""What every page depends on: the settings, the theme and plugin sources, the library versions."""

import hashlib
from importlib.metadata import version
from pathlib import Path

from .fingerprint import Fingerprints

LIBRARIES = ("pelican", "jinja2", "markdown", "babel")


def site_digest(settings: dict, volatile: frozenset[str]) -> bytes:
    """A digest that changes whenever anything shared by all pages may have changed.

    Raises Unfingerprintable when a setting cannot be followed."""
    hasher = hashlib.blake2b(digest_size=16)
    stable = {name: value for name, value in settings.items() if name not in volatile}
    hasher.update(Fingerprints().digest(stable))
    for library in LIBRARIES:
        hasher.update(f"{library}={version(library)}\n".encode())
    folders = [settings["THEME"], *settings.get("PLUGIN_PATHS", [])]
    for folder in folders:
        hasher.update(tree_digest(Path(folder)))
    return hasher.digest()


def tree_digest(folder: Path, hasher=None) -> bytes:
    """The names and bytes of a file, or of every file under a folder (compiled caches aside)."""
    hasher = hasher or hashlib.blake2b(digest_size=16)
    folder = Path(folder)
    if folder.is_file():
        hasher.update(folder.name.encode() + b"\0" + folder.read_bytes())
    elif folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            data = path.read_bytes()
            hasher.update(f"{path.relative_to(folder)}\0{len(data)}\0".encode())
            hasher.update(data)
    return hasher.digest()
