"""French analysis for the search index, built from Whoosh's own pieces.

One pipeline, used for the text and for the queries, so that they meet
whatever the accents, case, ligatures and inflection:

    tokenize | lowercase | fold accents and ligatures | drop stop words | stem

Stop words are dropped *after* folding, from a folded list, so that « ou »
and « où », « été » and « ete » are treated alike. Words that a folded form
would confuse with a meaningful one are kept: « où » (place), « été »
(summer, been), « sûr » (sure).
"""

from functools import cache

from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.lang import stopwords_for_language
from whoosh.support.charset import accent_map

# Whoosh's accent map leaves the French ligatures alone.
FOLDING = {**accent_map, ord("œ"): "oe", ord("Œ"): "oe", ord("æ"): "ae", ord("Æ"): "ae"}

# Folded forms that also stand for a meaningful word: « où », « été », « sûr ».
_KEPT_WORDS = {"ou", "ete", "sur"}
# Function words that Snowball's French list lacks.
_MORE_STOP_WORDS = {"les", "cet", "cette", "ils", "elles", "leurs", "dont"}


def fold(text: str) -> str:
    """Lowercase `text` and take off its accents and ligatures."""
    return text.lower().translate(FOLDING)


@cache
def french_stop_words() -> frozenset[str]:
    words = {fold(word) for word in stopwords_for_language("fr")} | _MORE_STOP_WORDS
    return frozenset(words - _KEPT_WORDS)


def french_analyzer():
    """The analyzer of every searchable text field."""
    return (
        RegexTokenizer()
        | LowercaseFilter()
        | CharsetFilter(FOLDING)
        | StopFilter(stoplist=french_stop_words(), minsize=2)
        # An unbounded cache: an archive has a few tens of thousands of distinct words.
        | StemFilter(lang="fr", cachesize=-1)
    )


def analyzed_terms(text: str) -> list[str]:
    return [token.text for token in french_analyzer()(text)]
