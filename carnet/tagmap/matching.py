"""Resolve a tag as an author wrote it to its key in the map, whatever the case and accents."""

from collections.abc import Iterable

from carnet.text.folding import fold_words

# The form a written tag is matched in: the project's folding, words separated by one space,
# so « Savoir-être », « savoir etre », « SAVOIR-ÊTRE » and « Cønfiance »/« confiance » meet.
# A letter the slug transliterates otherwise (« ß » gives « ss » there, « s » here) can make
# a stray tag with a mapped tag's slug: the collision check names it (collisions.py).
fold = fold_words


class Resolver:
    """Maps every written form of every tag (labels and aliases) to the tag's key."""

    def __init__(self, forms: Iterable[tuple[str, str]]):
        self._keys = {fold(form): key for key, form in forms}

    def resolve(self, written: str) -> str | None:
        return self._keys.get(fold(written))
