"""Resolve a tag as an author wrote it to its key in the map, whatever the case and accents."""

from collections.abc import Iterable

from pelican.utils import slugify

# Words joined by one space: « Savoir-être », « savoir etre » and « SAVOIR-ÊTRE » are one tag.
_SEPARATE_WORDS = [(r"[\W_]+", " ")]


def fold(text: str) -> str:
    """The form used for matching: Pelican's own slug transliteration (Unidecode, as for the
    tag pages' addresses), lower case, words separated by one space. One folding for both:
    « Cønfiance » matches « Confiance » because it would get its slug, `confiance`."""
    return slugify(text, regex_subs=_SEPARATE_WORDS).strip()


class Resolver:
    """Maps every written form of every tag (labels and aliases) to the tag's key."""

    def __init__(self, forms: Iterable[tuple[str, str]]):
        self._keys = {fold(form): key for key, form in forms}

    def resolve(self, written: str) -> str | None:
        return self._keys.get(fold(written))
