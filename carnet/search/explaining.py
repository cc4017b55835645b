"""Why an article has its score: which words, in which fields, gave how much.

Whoosh adds up the scores of the query's leaves (a word or a phrase in one field)
that match an article; each leaf is matched here again on that article alone, so
the parts add up to the score shown. What an author needs to understand a ranking.
"""

import re

from whoosh.query import Phrase, Query, Term

from .analysis import analyzed_terms
from .expansion import OTHER_NAMES, Run
from .limits import KeptTerms
from .schema import SEARCHED_FIELDS

# As the reader sees the fields.
FIELD_NAMES = {"title": "titre", "resume": "résumé", "tags": "étiquettes", "body": "texte"}


def explain_hit(searcher, query: Query, docnum: int, words: str, runs: list[Run]) -> list[dict]:
    """[{field, word, score, expanded}] for the article `docnum`, the largest share first.

    `field` is the field's French name, `word` the words as the reader or the tag map
    wrote them, `expanded` true for a tag's other name that the reader did not type."""
    typed = _typed_forms(words, runs)
    subsearcher, local = _segment_of(searcher, docnum)
    context = subsearcher.context()
    shares: dict[tuple[str, str, bool], float] = {}
    for leaf in _scored_leaves(query):
        score = _leaf_score(leaf, subsearcher, context, local)
        if not score:
            continue
        terms = _terms(leaf)
        expanded = isinstance(leaf, OTHER_NAMES)
        word = getattr(leaf, "pattern", "") or typed.get(terms) or " ".join(typed.get((t,), t) for t in terms)
        key = (FIELD_NAMES.get(leaf.field(), leaf.field()), word, expanded)
        shares[key] = shares.get(key, 0.0) + score
    return [
        {"field": field, "word": word, "score": round(score, 4), "expanded": expanded}
        for (field, word, expanded), score in sorted(shares.items(), key=lambda item: (-item[1], item[0]))
    ]


def _scored_leaves(query: Query):
    """The leaves that add to a score: words, phrases and wildcards in searched fields."""
    for leaf in query.leaves():
        while hasattr(leaf, "child") and not isinstance(leaf, Term | Phrase | KeptTerms):
            leaf = leaf.child
        if isinstance(leaf, Term | Phrase | KeptTerms) and leaf.field() in SEARCHED_FIELDS:
            yield leaf


def _leaf_score(leaf: Query, searcher, context, docnum: int) -> float:
    matcher = leaf.matcher(searcher, context)
    if not matcher.is_active():
        return 0.0
    if matcher.id() < docnum:
        matcher.skip_to(docnum)
    if matcher.is_active() and matcher.id() == docnum:
        return matcher.score()
    return 0.0


def _segment_of(searcher, docnum: int):
    """(the segment's searcher, the article's number in it)."""
    leaves = searcher.leaf_searchers()
    for (subsearcher, offset), following in zip(leaves, [*leaves[1:], (None, None)], strict=True):
        if following[1] is None or docnum < following[1]:
            return subsearcher, docnum - offset
    return leaves[-1][0], docnum - leaves[-1][1]


def _terms(leaf: Query) -> tuple[str, ...]:
    if isinstance(leaf, Phrase):
        return tuple(leaf.words)
    return (getattr(leaf, "text", ""),)


def _typed_forms(words: str, runs: list[Run]) -> dict[tuple[str, ...], str]:
    """Index terms → the words they came from: the reader's, then the tag map's."""
    typed: dict[tuple[str, ...], str] = {}
    for form in [form for run in runs for form in run.others]:
        typed.setdefault(tuple(analyzed_terms(form)), form)
        for word in form.split():
            typed.setdefault(tuple(analyzed_terms(word)), word)
    for phrase in re.findall(r'"([^"]*)"', words):
        typed[tuple(analyzed_terms(phrase))] = phrase
    for word in re.findall(r"[^\W_]+", words):
        typed[tuple(analyzed_terms(word))] = word
    typed.pop((), None)
    return typed
