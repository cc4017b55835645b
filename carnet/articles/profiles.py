"""Author profiles: biographies kept out of article bodies, read from a TOML file.

[[auteur]]
nom = "Patrick"
bio = "Consultant et formateur…"
note = "Signe « Patrick » sur le forum."   # optional
"""

import tomllib
from dataclasses import dataclass
from pathlib import Path


class ProfileError(ValueError):
    """The profiles file cannot be used; the message says where and how to fix it."""


@dataclass(frozen=True)
class AuthorProfile:
    name: str
    bio: str
    note: str = ""


def parse_profiles(text: str, source: str = "auteurs.toml") -> dict[str, AuthorProfile]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        # tomllib's message already ends with "(at line N, column M)".
        raise ProfileError(f"{source}: invalid TOML: {error}") from None
    profiles: dict[str, AuthorProfile] = {}
    for number, entry in enumerate(data.get("auteur", []), start=1):
        name = str(entry.get("nom", "")).strip()
        bio = str(entry.get("bio", "")).strip()
        if not name or not bio:
            raise ProfileError(f"{source}: entry [[auteur]] #{number} needs both 'nom' and 'bio'")
        if name in profiles:
            raise ProfileError(f"{source}: author {name!r} is described twice; keep one [[auteur]] entry")
        unknown = set(entry) - {"nom", "bio", "note"}
        if unknown:
            raise ProfileError(
                f"{source}: entry for {name!r} has unknown keys {sorted(unknown)}; use nom, bio, note"
            )
        profiles[name] = AuthorProfile(name=name, bio=bio, note=str(entry.get("note", "")).strip())
    return profiles


def load_profiles(path: Path) -> dict[str, AuthorProfile]:
    if not path.exists():
        return {}
    return parse_profiles(path.read_text(encoding="utf-8"), source=str(path))
