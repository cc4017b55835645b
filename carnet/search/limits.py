"""Bounds on what one search may cost: wildcards need literal letters, each one
stands for a limited number of words, and a whole search has a time budget.

Whoosh expands a wildcard over every word of the field that fits it. With no
letter before the first `*` or `?` it scans the whole vocabulary, four fields
over, and ORs thousands of words together: `*a* *e* *i* *o*` held a thread for
seconds. Here what a pattern may cost is settled before the search runs.
"""

import re
import time
from collections.abc import Callable
from contextvars import ContextVar

from whoosh.matching import WrappingMatcher
from whoosh.query import (
    And,
    Every,
    MultiTerm,
    NullQuery,
    PatternQuery,
    Phrase,
    Prefix,
    Query,
    Term,
    Wildcard,
    WrappingQuery,
)
from whoosh.searching import TimeLimit

from .analysis import fold

# The literal letters a wildcard needs before its first `*` or `?`, from the index
# terms of the carnet's five articles (649) and of a generated archive of 1 000
# (`invoke bench`'s corpus, 2 265): one letter stands for 60 to 250 terms and
# matches every article; two letters for up to 154 (« re », « co », « pr »), and
# three quarters of the two-letter prefixes match more than half the articles; with
# three, the largest family is « con » (23 terms, 49 in the generated archive), the
# median 1 or 2 terms, and a quarter to a third of the prefixes match more than half
# the articles.
MIN_PATTERN_LETTERS = 3
# Words one wildcard may stand for in one field; the most frequent are kept.
MAX_EXPANSION = 200
# Seconds one search may take, every pass included; past it, what was found is shown.
TIME_BUDGET_S = 1.0

_LITERAL = re.compile(r"[^*?\[]*")
_WORDS = re.compile(r"[^\W_]+")
_NUMBERS = {1: "une", 2: "deux", 3: "trois", 4: "quatre", 5: "cinq"}
_NAMED = 5  # refused wildcards named in the notice; the others are counted


class Deadline:
    """One clock for a whole search: every pass looks at it, and the first to find
    it past leaves `reached` set, so that the reader is told once."""

    def __init__(self, seconds: float):
        self.at = time.monotonic() + seconds
        self.reached = False

    def passed(self) -> bool:
        if not self.reached and time.monotonic() >= self.at:
            self.reached = True
        return self.reached


# The deadline of the search this thread is running (facets.search_recording sets it),
# for the work no query wrapper reaches: a kept union drained whole (postings_cache.py).
RUNNING_DEADLINE: ContextVar[Deadline | None] = ContextVar("running_deadline", default=None)


class KeptTerms(MultiTerm):
    """A wildcard reduced to the words kept for it, scored as Whoosh scores a
    wildcard (one constant score per word), so that ranking stays the same."""

    def __init__(self, fieldname: str, btexts: list[bytes], boost: float = 1.0, pattern: str = ""):
        self.fieldname = fieldname
        self.btexts = tuple(btexts)
        self.boost = boost
        self.pattern = pattern
        self.constantscore = True

    def _btexts(self, ixreader):
        return self.btexts

    def __eq__(self, other):
        return type(other) is type(self) and (self.fieldname, self.btexts, self.boost) == (
            other.fieldname,
            other.btexts,
            other.boost,
        )

    def __hash__(self):
        return hash((self.fieldname, self.btexts, self.boost))

    def __repr__(self):
        return f"{type(self).__name__}({self.fieldname!r}, {self.pattern!r}, {len(self.btexts)} terms)"

    def __str__(self):
        return f"{self.fieldname}:{self.pattern}"


class DeadlineQuery(WrappingQuery):
    """A query that stops the search (Whoosh's TimeLimit) past the deadline: before its
    matcher is built and, if `stepping`, at each step of that matcher.

    Most of the cost of a wildcard or a phrase is in Whoosh's matchers, before any
    match reaches a collector (which looks at the deadline at each match): the union
    of a wildcard's words reads a block of every word's postings when it is built,
    and an AND of wildcards or phrases may step through article after article
    without a match. Steps are looked at only there, in an AND: each costs a clock
    read, a twentieth of a wildcard's time when every step is one."""

    def __init__(self, child: Query, deadline: Deadline, stepping: bool = False):
        super().__init__(child)
        self.deadline = deadline
        self.stepping = stepping

    def _rewrap(self, child: Query) -> "DeadlineQuery":
        return DeadlineQuery(child, self.deadline, self.stepping)

    def matcher(self, searcher, context=None):
        if self.deadline.passed():
            raise TimeLimit
        matcher = self.child.matcher(searcher, context)
        return DeadlineMatcher(matcher, self.deadline) if self.stepping else matcher


class DeadlineMatcher(WrappingMatcher):
    """A matcher that stops the search (Whoosh's TimeLimit) when it moves past the deadline.

    Only moving costs: the calls made at each match (id, score, is_active) go to the
    wrapped matcher directly, without a frame of this one (a wildcard of 5 000 matches
    paid a fifth more through plain delegation)."""

    def __init__(self, child, deadline: Deadline):
        super().__init__(child)
        self.deadline = deadline
        self._at = deadline.at
        self.id = child.id
        self.score = child.score
        self.is_active = child.is_active

    def copy(self):
        return DeadlineMatcher(self.child.copy(), self.deadline)

    def _replacement(self, newchild):
        return DeadlineMatcher(newchild, self.deadline)

    def _stop(self):
        self.deadline.reached = True
        raise TimeLimit

    def next(self):
        if time.monotonic() >= self._at:
            self._stop()
        return self.child.next()

    def skip_to(self, id):
        if time.monotonic() >= self._at:
            self._stop()
        return self.child.skip_to(id)


def pattern_text(query: Query) -> str:
    """A wildcard as the reader wrote it (once folded)."""
    if isinstance(query, Every):
        return "*"
    return query.text + "*" if isinstance(query, Prefix) else query.text


def literal_letters(pattern: str) -> str:
    """What Whoosh can look up directly: the text before the first wildcard."""
    return _LITERAL.match(pattern).group()


def bound_wildcards(
    query: Query,
    reader,
    notices: list[str],
    deadline: Deadline,
    min_letters: int = MIN_PATTERN_LETTERS,
    max_expansion: int = MAX_EXPANSION,
    as_typed: Callable[[str], str] = str,
    frequency: Callable | None = None,
) -> Query:
    """`query` with each wildcard bounded: too few literal letters and it is read as
    the plain words it holds; too many words fit it and the most frequent are kept.
    `frequency(reader, fieldname, word)`: how many articles hold the word (Whoosh's count
    by default; the live articles' on an updated index, where a word only deleted versions
    hold counts 0 and is left out).
    Past the deadline, wildcards not yet expanded are left out. Wildcards and phrases,
    the costly parts, look at the deadline as they match."""

    refused: list[str] = []  # as typed, each once, in the query's order

    def bounded(leaf: Query) -> Query:
        if isinstance(leaf, Phrase):
            return DeadlineQuery(leaf, deadline)
        if isinstance(leaf, And):
            steps = [DeadlineQuery(q, deadline, stepping=True) if _costly(q) else q for q in leaf.subqueries]
            return And(steps, boost=leaf.boost)
        if not isinstance(leaf, PatternQuery | Every):
            return leaf
        pattern = pattern_text(leaf)
        fieldname = leaf.field()
        typed = fold(as_typed(pattern))
        if isinstance(leaf, Every) or len(literal_letters(typed)) < min_letters or fieldname is None:
            if as_typed(pattern) not in refused:
                refused.append(as_typed(pattern))
            return plain_words(reader, fieldname, pattern, leaf.boost)
        if len(literal_letters(pattern)) < min_letters:
            # The stemmer cut the letters typed (« rés* » read as « re* »): search them as typed.
            leaf, pattern = as_pattern_query(fieldname, typed, leaf.boost), typed
        if deadline.passed():  # left out, but still a search: it matches nothing
            return KeptTerms(fieldname, [], leaf.boost, pattern)
        count = frequency or (lambda reader, fieldname, btext: reader.doc_frequency(fieldname, btext))
        frequencies = [(count(reader, fieldname, btext), btext) for _, btext in leaf.expanded_terms(reader)]
        frequencies = [(n, btext) for n, btext in frequencies if n]
        if len(frequencies) > max_expansion:
            _tell(notices, too_many_words_notice(as_typed(pattern), max_expansion, isinstance(leaf, Prefix)))
            # The most frequent first; among equals, alphabetical order, so that the choice is stable.
            frequencies.sort(key=lambda item: (-item[0], item[1]))
            frequencies = frequencies[:max_expansion]
        kept = sorted(btext for _, btext in frequencies)
        return DeadlineQuery(KeptTerms(fieldname, kept, leaf.boost, pattern), deadline)

    query = query.accept(bounded).normalize()
    if refused:
        _tell(notices, too_few_letters_notice(refused, min_letters))
    return query


def as_pattern_query(fieldname: str, pattern: str, boost: float) -> Query:
    """The Whoosh query for a folded wildcard pattern, as its parser would build it."""
    if pattern.endswith("*") and not any(mark in pattern[:-1] for mark in "*?["):
        return Prefix(fieldname, pattern[:-1], boost=boost)
    return Wildcard(fieldname, pattern, boost=boost)


def _costly(query: Query) -> bool:
    """A query that holds a wildcard or a phrase (each in a DeadlineQuery by now)."""
    return isinstance(query, DeadlineQuery) or any(_costly(child) for child in query.children())


def plain_words(reader, fieldname: str | None, pattern: str, boost: float) -> Query:
    """The words of `pattern` without its wildcards, analysed as the field's text."""
    words = " ".join(_WORDS.findall(pattern))
    if not words or fieldname is None or fieldname not in reader.schema:
        return NullQuery
    terms = [
        Term(fieldname, text, boost=boost)
        for text in reader.schema[fieldname].process_text(words, mode="query")
    ]
    if not terms:
        return NullQuery
    return terms[0] if len(terms) == 1 else And(terms)


def _tell(notices: list[str], notice: str) -> None:
    if notice not in notices:
        notices.append(notice)


def too_few_letters_notice(patterns: list[str], min_letters: int) -> str:
    """One notice for every wildcard refused, the first few named."""
    letters = _NUMBERS.get(min_letters, str(min_letters))
    letter_word = "lettre" if min_letters == 1 else "lettres"
    named = [f"« {pattern} »" for pattern in patterns[:_NAMED]]
    if len(patterns) > _NAMED:
        named.append(f"{len(patterns) - _NAMED} autres")
    listed = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " et " + named[-1]
    read = "cherché" if len(patterns) == 1 else "cherchés"
    return f"{listed} : il faut au moins {letters} {letter_word} avant « * » ou « ? » ; {read} comme texte."


def too_many_words_notice(pattern: str, kept: int, prefix: bool) -> str:
    how = "commencent ainsi" if prefix else "y correspondent"
    return f"« {pattern} » : trop de mots {how} ; seuls les {kept} plus fréquents sont cherchés."


def time_budget_notice(seconds: float) -> str:
    duration = "une seconde" if seconds == 1 else f"{seconds:g} s".replace(".", ",")
    return f"La recherche a pris trop de temps : voici les résultats trouvés en {duration}."
