"""Accent folding: the one way the project compares French words, whatever their case,
accents and ligatures (the search index, the tag map, résumé links, the importer, the review).

`fold` is the table itself, as the search index applies it; `fold_words` compares names
(tags, headings), `matchable` is the form of the line patterns (importer, scrape chrome).
"""

import re
import unicodedata

from whoosh.support.charset import accent_map

# One table, character by character, because the search index's analyzer applies this very
# table (a Whoosh CharsetFilter, pickled with the index). Whoosh's accent map folds the
# accented Latin letters, ø, ł, đ and ß (to « s »), but leaves the French ligatures alone.
FOLDING = {**accent_map, ord("œ"): "oe", ord("Œ"): "oe", ord("æ"): "ae", ord("Æ"): "ae"}

_NOT_WORDS = re.compile(r"[\W_]+")
# Typographic quotes and apostrophes, read as their plain forms when matching.
_PLAIN = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "«": '"', "»": '"', "\u00a0": " "})
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower case, without accents and ligatures: « Cœur d’Été » → « coeur d’ete ». Character
    by character: it never makes nor removes a space, and punctuation stays."""
    return text.lower().translate(FOLDING)


def fold_words(text: str) -> str:
    """The folded words alone, one space apart: « Savoir-Être ! » → « savoir etre ». For
    names (tags, headings, résumé points): NFKC first, as Pelican's slug does, so that a
    decomposed « é » or a « ﬁ » ligature names the same tag."""
    return _NOT_WORDS.sub(" ", fold(unicodedata.normalize("NFKC", text))).strip()


def matchable(text: str) -> str:
    """The form line patterns are written in (the importer's, scrape chrome): folded,
    plain quotes, single spaces: « Laisser une réponse : » → « laisser une reponse : ».
    Scraped text comes in every Unicode form: NFKC first composes a decomposed « é » and
    reads « … » as « ... », « ﬁ » as « fi », a full-width letter as itself."""
    return _SPACES.sub(" ", fold(unicodedata.normalize("NFKC", text).translate(_PLAIN))).strip()
