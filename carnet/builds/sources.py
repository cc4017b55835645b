"""What every page depends on: the settings, the theme, the code that shapes pages
(page_code.py), the library versions."""

import hashlib
from importlib.metadata import packages_distributions, version
from pathlib import Path

from .fingerprint import Fingerprints
from .page_code import PACKAGE_DIR, page_code_files

# Import names, not distribution names: `whoosh` came from whoosh-reloaded and now comes
# from whoosh3, and the digests follow whichever is installed.
LIBRARIES = ("pelican", "markdown", "jinja2", "whoosh", "babel")


def site_digest(settings: dict, volatile: frozenset[str]) -> bytes:
    """A digest that changes whenever anything shared by all pages may have changed.

    Raises Unfingerprintable when a setting cannot be followed."""
    hasher = hashlib.blake2b(digest_size=16)
    stable = {name: value for name, value in settings.items() if name not in volatile}
    hasher.update(Fingerprints().digest(stable))
    code_digest(settings, hasher)
    return hasher.digest()


def code_digest(settings: dict, hasher) -> None:
    """Feed `hasher` the library versions, the theme and the code that shapes the pages."""
    for name, number in library_versions(LIBRARIES).items():
        hasher.update(f"{name}={number}\n".encode())
    tree_digest(Path(settings["THEME"]), hasher)
    for path in page_code_files(map(Path, settings.get("PLUGIN_PATHS", []))):
        data = path.read_bytes()
        hasher.update(f"{_shown(path)}\0{len(data)}\0".encode())
        hasher.update(data)


def library_versions(import_names) -> dict[str, str]:
    """The version of each distribution that provides these imports, by distribution name."""
    providers = packages_distributions()
    return {
        distribution: version(distribution)
        for name in import_names
        for distribution in sorted(set(providers.get(name, [name])))
    }


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


def _shown(path: Path) -> str:
    """A file's name in the digest: relative to the project, so that a copy digests alike."""
    try:
        return str(path.relative_to(PACKAGE_DIR.parent))
    except ValueError:
        return path.name
