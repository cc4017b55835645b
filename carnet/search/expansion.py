"""Query-time expansion across the tag map's two languages.

A reader who types « trust » means what the archive says with « confiance »: when
a word or a run of words of the query is one of a tag's labels or aliases (French
or English, compared as the index analyses them), that tag's other labels and
aliases are searched too, as phrases, in the title, the résumé and the body, and
weigh less than the reader's own words. Quoted words are kept exactly as typed:
quotes are the way to search « trust » and nothing else.

The run is replaced, before parsing, by a placeholder word; once Whoosh has
parsed the query, the placeholder's node becomes « the reader's words OR the other
forms », wherever it stands: under a `-` it excludes them all.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from whoosh.query import NullQuery, Or, Phrase, Query, Term, WrappingQuery

from .analysis import analyzed_terms as _analyzed

# Below the reader's own words (1.0): a tag's other names are a guess at what the
# reader means, the words typed are not (see test_relevance for what this buys).
EXPANSION_WEIGHT = 0.5
# Where the other forms are looked for; the `tags` field already holds every form
# of an article's tags, and the reader's words still search it.
EXPANDED_FIELDS = ("title", "resume", "body")
# Chunks of a query that end a run: wildcards and groups are the reader's syntax.
_SYNTAX = re.compile(r"[*?()]")
_CHUNK = re.compile(r"\S+")
# Letters only and nothing French or English, so the analyzer leaves it whole.
_PLACEHOLDER = "qzxjexpansion{}"


@dataclass
class Run:
    """A run of the query's words that names a tag, and the tag's other forms."""

    typed: str  # as the reader wrote it
    key: str  # the tag's key
    others: list[str]  # the tag's other labels and aliases, as written in the map
    placeholder: str = ""
    excluded: bool = False  # written after a `-`


class Expander:
    """Every label and alias of the archive's tags, by the terms the index makes of them."""

    def __init__(self, forms_by_key: dict[str, list[str]] | None):
        self.forms: dict[str, list[str]] = {}
        self.keys: dict[tuple[str, ...], str] = {}
        for key, forms in sorted((forms_by_key or {}).items()):
            kept: dict[tuple[str, ...], str] = {}
            for form in forms:
                terms = tuple(analyzed_terms(form))
                if terms and terms not in kept:
                    kept[terms] = form
            self.forms[key] = list(kept.values())
            for terms in kept:
                self.keys.setdefault(terms, key)
        # In words, hyphens apart: « bouche-à-oreille » may be typed « bouche à oreille ».
        self.longest = max((len(re.findall(r"\w+", f)) for fs in self.forms.values() for f in fs), default=0)

    def __bool__(self) -> bool:
        return bool(self.keys)

    def words(self) -> set[str]:
        """The words of every label and alias, as written, for did-you-mean."""
        return {
            word
            for forms in self.forms.values()
            for form in forms
            for word in re.findall(r"[^\W\d_]{3,}", form.lower())
        }

    def mark(self, text: str) -> tuple[str, list[Run]]:
        """`text` with each run that names a tag, outside quotes, replaced by a placeholder
        (a `-` or `+` before it kept); and the runs, in the query's order."""
        runs: list[Run] = []
        if not self.keys:
            return text, runs
        parts = text.split('"')
        for position in range(0, len(parts), 2):  # even parts are outside quotes
            parts[position] = self._mark_part(parts[position], runs)
        return '"'.join(parts), runs

    def _mark_part(self, part: str, runs: list[Run]) -> str:
        chunks = list(_CHUNK.finditer(part))
        pieces, cursor, start = [], 0, 0
        while start < len(chunks):
            found = self._run_at(chunks, start)
            if found is None:
                start += 1
                continue
            end, key, terms = found
            first = chunks[start].group()
            sign = first[0] if first[0] in "+-" else ""
            typed = " ".join(c.group() for c in chunks[start:end])[len(sign) :]
            run = Run(typed, key, [f for f in self.forms[key] if tuple(analyzed_terms(f)) != terms])
            if not run.others:  # a tag whose names all read alike: nothing to add
                start = end
                continue
            run.placeholder = _PLACEHOLDER.format(_letters(len(runs)))
            run.excluded = sign == "-"
            runs.append(run)
            pieces.append(part[cursor : chunks[start].start()])
            pieces.append(sign + run.placeholder)
            cursor = chunks[end - 1].end()
            start = end
        pieces.append(part[cursor:])
        return "".join(pieces)

    def _run_at(self, chunks, start: int) -> tuple[int, str, tuple[str, ...]] | None:
        """The longest run from chunk `start` that names a tag: (end, key, terms)."""
        best = None
        terms: list[str] = []
        for end in range(start, min(len(chunks), start + self.longest)):
            chunk = chunks[end].group()
            if end > start and chunk[0] in "+-":
                break  # a new sign starts a new word of the query
            bare = chunk[1:] if end == start and chunk[0] in "+-" else chunk
            if not bare or _SYNTAX.search(bare):
                break
            own = analyzed_terms(bare)
            if not own:
                if end == start:
                    return None  # a run starts on a meaningful word, not « la » or « de »
                continue
            terms.extend(own)
            if tuple(terms) in self.keys:
                best = (end + 1, self.keys[tuple(terms)], tuple(terms))
        return best


class OtherNameTerm(Term):
    """A tag's other name, one word: a Term that knows it was not typed by the reader."""


class OtherNamePhrase(Phrase):
    """A tag's other name, several words."""


OTHER_NAMES = (OtherNameTerm, OtherNamePhrase)


def readers_words_only(query: Query) -> Query:
    """`query` without the tags' other names: what snippets look for first, so that
    the reader's own words are the ones shown when the article has them."""

    def strip(node: Query) -> Query:
        inner = node.child if isinstance(node, WrappingQuery) else node
        if isinstance(inner, OTHER_NAMES):
            return NullQuery
        return node if node.is_leaf() else node.apply(strip)

    return strip(query).normalize()


@lru_cache(maxsize=8192)
def _terms(text: str) -> tuple[str, ...]:
    # A query's words and the tags' names come back search after search: the analysis
    # costs 28 µs a call, a lookup well under one.
    return tuple(_analyzed(text))


def analyzed_terms(text: str) -> list[str]:
    return list(_terms(text))


def _letters(number: int) -> str:
    """0 → a, 25 → z, 26 → ba: a placeholder suffix without digits."""
    text = ""
    while True:
        number, rest = divmod(number, 26)
        text = chr(ord("a") + rest) + text
        if not number:
            return text


def other_forms_query(forms: list[str], weight: float = EXPANSION_WEIGHT) -> Query | None:
    """The tag's other forms as phrases in the expanded fields, weighted below the reader's."""
    leaves: list[Query] = []
    for form in forms:
        terms = analyzed_terms(form)
        for name in EXPANDED_FIELDS:
            if len(terms) == 1:
                leaves.append(OtherNameTerm(name, terms[0], boost=weight))
            elif terms:
                leaves.append(OtherNamePhrase(name, terms, boost=weight))
    return Or(leaves) if leaves else None


def expand(query: Query, runs: list[Run], reader_words: Callable[[str], Query | None]) -> Query:
    """`query` with each run's placeholder replaced by « the reader's words, or the
    tag's other forms ». `reader_words` parses the run as the reader typed it."""
    if not runs:
        return query
    by_term = {analyzed_terms(run.placeholder)[0]: run for run in runs}

    def replace(node: Query) -> Query:
        # From the top down: the placeholder's node is the Or of its fields, or a Term.
        leaves = [node] if node.is_leaf() else list(node.leaves())
        texts = {getattr(leaf, "text", None) for leaf in leaves}
        run = by_term.get(next(iter(texts))) if len(texts) == 1 else None
        if run is None or not all(isinstance(leaf, Term) for leaf in leaves):
            return node.apply(replace) if not node.is_leaf() else node
        own = reader_words(run.typed)
        others = other_forms_query(run.others)
        parts = [part for part in (own, others) if part is not None]
        return parts[0] if len(parts) == 1 else Or(parts)

    return replace(query)


def expansion_notice(runs: list[Run]) -> str | None:
    """« Recherche élargie à : confiance (pour « trust »)… » (« Exclusion élargie à » after
    a `-`), and how to keep the exact words."""
    if not runs:
        return None
    said = []
    for excluded, opening in ((False, "Recherche élargie à : "), (True, "Exclusion élargie à : ")):
        named = dict.fromkeys(
            f"{', '.join(form.lower() for form in run.others)} (pour « {run.typed} »)"
            for run in runs
            if run.excluded == excluded
        )
        if named:
            said.append((opening if not said else opening.lower()) + " ; ".join(named))
    exact = " ".join(dict.fromkeys(("-" if run.excluded else "") + f'"{run.typed}"' for run in runs))
    return (
        f"{' ; '.join(said)}, autres noms des mêmes étiquettes."
        f" Pour ne chercher que vos mots, mettez-les entre guillemets : {exact}."
    )
