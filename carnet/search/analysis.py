"""French analysis for the search index, built from Whoosh's own pieces.

One pipeline, used for the text and for the queries, so that they meet
whatever the accents, case, ligatures and inflection:

    tokenize | lowercase | fold accents and ligatures | drop stop words | stem

Stop words are dropped *after* folding, from a folded list, so that « ou »
and « où », « été » and « ete » are treated alike. Words that a folded form
would confuse with a meaningful one are kept: « où » (place), « été »
(summer, been), « sûr » (sure).
"""

from collections import defaultdict
from functools import cache

from whoosh.analysis import (
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    Token,
)

# Where the class lives, and so the name its pickles carry: whoosh3 stopped exporting it
# from whoosh.analysis.
from whoosh.analysis.analyzers import CompositeAnalyzer
from whoosh.lang import stopwords_for_language

# The project's one folding; `fold` is imported from here by the rest of the search room.
from carnet.text.folding import FOLDING, fold

_UNSEEN = object()
# Folded forms that also stand for a meaningful word: « où », « été », « sûr ».
_KEPT_WORDS = {"ou", "ete", "sur"}
# Function words that Snowball's French list lacks.
_MORE_STOP_WORDS = {"les", "cet", "cette", "ils", "elles", "leurs", "dont"}


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


class IndexingAnalyzer(CompositeAnalyzer):
    """The same pipeline, faster where an archive spends its indexing time.

    Every filter of the pipeline looks at one word alone, so while indexing each
    distinct word goes through the filters once, and each of its occurrences is a
    dictionary lookup: the same terms, positions and offsets, for a fraction of the
    cost of the token stream through five generators. Queries and anything else go
    through the pipeline as usual."""

    def __init__(self):
        super().__init__(*french_analyzer().items)
        self.words = self.items[0].expression
        self.terms: dict[str, str | None] = {}
        self.encoded_terms: dict[str, bytes | None] = {}

    def __reduce__(self):
        # The index keeps its schema pickled: it must open wherever Whoosh does,
        # with or without this module, so the pipeline is stored as plain Whoosh.
        return CompositeAnalyzer, tuple(self.items)

    def __call__(self, value, **options):
        plain = (
            options.get("mode") == "index"
            and isinstance(value, str)
            and options.get("tokenize", True)
            and options.get("removestops", True)
            and not options.get("keeporiginal")
            and not options.get("no_morph")
        )
        if not plain:
            return super().__call__(value, **options)
        return self._index_tokens(value, **options)

    def _index_tokens(self, value, positions=False, chars=False, start_pos=0, start_char=0, **options):
        token = Token(positions, chars, **options)
        terms = self.terms
        position = None
        for number, match in enumerate(self.words.finditer(value)):
            word = match.group()
            term = terms[word] if word in terms else terms.setdefault(word, self._term(word))
            if term is None:  # a stop word
                continue
            token.text, token.boost, token.stopped = term, 1.0, False
            if positions:
                # As StopFilter renumbers: the words kept follow each other.
                position = start_pos + number if position is None else position + 1
                token.pos = position
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token

    def term_places(self, value: str, chars: bool) -> dict[bytes, list]:
        """Each term of `value`, UTF-8 encoded as the index stores it → its positions, or
        (position, start, end) with `chars`: the tokens `_index_tokens` gives with positions
        (and characters), grouped by term. (The loop that the full index spends most of its
        analysis in, kept tight: one lookup per word, each term's bytes made once.)"""
        encoded = self.encoded_terms
        known = encoded.get
        places: defaultdict[bytes, list] = defaultdict(list)
        position = None
        for number, match in enumerate(self.words.finditer(value)):
            word = match[0]
            term = known(word, _UNSEEN)
            if term is _UNSEEN:
                text = (
                    self.terms[word] if word in self.terms else self.terms.setdefault(word, self._term(word))
                )
                term = encoded[word] = None if text is None else text.encode("utf-8")
            if term is None:  # a stop word
                continue
            position = number if position is None else position + 1
            places[term].append((position, *match.span()) if chars else position)
        return places

    def _term(self, word: str) -> str | None:
        texts = [token.text for token in super().__call__(word, mode="index")]
        return texts[0] if texts else None


def analyzed_terms(text: str) -> list[str]:
    return [token.text for token in french_analyzer()(text)]
