"""Resolve a tag as an author wrote it to its key in the map, whatever the case and accents."""

import re
import unicodedata
from collections.abc import Iterable

# Ligatures that Unicode does not decompose: « cœur » must match « coeur ».
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})
_SEPARATORS = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """The form used for matching: lower case, no accents, words separated by one space,
    so that « Savoir-être », « savoir etre » and « SAVOIR-ÊTRE » are the same tag."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _SEPARATORS.sub(" ", bare.casefold()).strip()


class Resolver:
    """Maps every written form of every tag (labels and aliases) to the tag's key."""

    def __init__(self, forms: Iterable[tuple[str, str]]):
        self._keys = {fold(form): key for key, form in forms}

    def resolve(self, written: str) -> str | None:
        return self._keys.get(fold(written))
