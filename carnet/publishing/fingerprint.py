"""Content-addressed names for the theme's files: `css/site.css` -> `css/site.3f9a1c0b7d2e.css`.

A page names the exact bytes it was built with, so a browser, nginx or a CDN may keep
such a file for a year (`immutable`) and a new build still shows its new style at once.
"""

import hashlib
import re
from pathlib import Path, PurePosixPath

DIGEST_LENGTH = 12
# The shape every server recognises (the service, deploy/'s nginx): name.<12 hex>.ext
FINGERPRINTED = re.compile(rf"\.[0-9a-f]{{{DIGEST_LENGTH}}}\.[A-Za-z0-9]+$")


def fingerprinted_name(relative_path: str, data: bytes) -> str:
    """The name of the file at `relative_path` (POSIX, inside the static folder) with
    the digest of `data` before its extension."""
    path = PurePosixPath(relative_path)
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()[:DIGEST_LENGTH]
    return str(path.with_name(f"{path.stem}.{digest}{path.suffix}"))


def asset_manifest(static_folders: list[Path]) -> dict[str, str]:
    """Each theme file's relative path -> its fingerprinted relative path.

    A later folder wins, as in Pelican's copy of THEME_STATIC_PATHS."""
    manifest: dict[str, str] = {}
    for folder in static_folders:
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            relative = path.relative_to(folder).as_posix()
            manifest[relative] = fingerprinted_name(relative, path.read_bytes())
    return manifest
