"""What every page depends on: the settings, the theme, the code that shapes pages
(page_code.py), the library versions."""

import hashlib
from importlib.metadata import packages_distributions, version
from pathlib import Path

from .fingerprint import Fingerprints
from .kept_code_digest import kept_code_digest
from .page_code import PACKAGE_DIR, imported_top_levels, page_code_files

# Pelican's own engine, whatever the plugins import; the other libraries are those the page
# code imports (page_code.py), by import name: `whoosh` came from whoosh-reloaded and now comes
# from whoosh3, and the digests follow whichever is installed.
ENGINE = "pelican"


def site_digest(settings: dict, volatile: frozenset[str]) -> bytes:
    """A digest that changes whenever anything shared by all pages may have changed.

    Raises Unfingerprintable when a setting cannot be followed."""
    hasher = hashlib.blake2b(digest_size=16)
    stable = {name: value for name, value in settings.items() if name not in volatile}
    hasher.update(Fingerprints().digest(stable))
    code_digest(settings, hasher)
    return hasher.digest()


# The code's digest, worked out once per build: the build's inputs and the page keys' site
# digest both need it (0.3 s each at every build). Forgotten when a build starts and ends:
# livereload and the tests build again in one process after the code changed.
_code_digests: dict[tuple, bytes] = {}


def forget_code_digests() -> None:
    _code_digests.clear()


def code_digest(settings: dict, hasher, kept: Path | None = None) -> None:
    """Feed `hasher` the library versions, the theme and the code that shapes the pages;
    `kept`: where the digest is kept between builds (kept_code_digest.py)."""
    key = (str(settings["THEME"]), tuple(map(str, settings.get("PLUGIN_PATHS", []))))
    if key not in _code_digests:

        def work_out() -> bytes:
            code = hashlib.blake2b(digest_size=16)
            _digest_code(settings, code)
            return code.digest()

        if kept is None:
            _code_digests[key] = work_out()
        else:
            _code_digests[key] = kept_code_digest(kept, [key[0], *key[1]], settings, work_out)
    hasher.update(_code_digests[key])


def _digest_code(settings: dict, hasher) -> None:
    files = page_code_files(map(Path, settings.get("PLUGIN_PATHS", [])))
    for name, number in library_versions({ENGINE, *imported_top_levels(files)}).items():
        hasher.update(f"{name}={number}\n".encode())
    tree_digest(Path(settings["THEME"]), hasher)
    for path in files:
        data = path.read_bytes()
        hasher.update(f"{_shown(path)}\0{len(data)}\0".encode())
        hasher.update(data)


def library_versions(import_names) -> dict[str, str]:
    """The version of each installed distribution that provides these imports, by distribution
    name, sorted (a name no distribution provides, as the standard library's, is left out)."""
    providers = packages_distributions()
    return {
        distribution: version(distribution)
        for distribution in sorted({d for name in import_names for d in providers.get(name, [])})
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
