"""Read a reader's query and run it: words, phrases, exclusions, prefixes, filters,
a fallback to any word, a did-you-mean suggestion, facets, sorting and pages.

Nothing a reader types makes this fail: whatever the parser cannot read is read
again as plain words, and filters it cannot understand are dropped with a notice.
"""

import re
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from html import escape

from slugify import slugify
from whoosh import qparser, sorting
from whoosh.query import And, AndNot, Not, NullQuery, NumericRange, Or, Query, Term
from whoosh.spelling import ListCorrector

from .analysis import analyzed_terms, fold, french_analyzer
from .expansion import Expander, Run, expand, expansion_notice, readers_words_only
from .explaining import explain_hit
from .facets import KeptFacetTables, KeptLengthsBM25F, search_recording
from .limits import (
    MAX_EXPANSION,
    MIN_PATTERN_LETTERS,
    TIME_BUDGET_S,
    Deadline,
    bound_wildcards,
    time_budget_notice,
    too_few_letters_notice,
)
from .live_statistics import live_holds
from .postings_cache import MAX_KEPT_POSTINGS, KeptPostings, KeptPostingsSearcher, kept_unions
from .schema import SEARCHED_FIELDS
from .snippets import SNIPPET_CHARS, SNIPPET_FIELDS, best_fragments, matched_words, snippet_formatter

MAX_QUERY_LENGTH = 500
MAX_PAGE_SIZE = 50
MAX_PAGE = 1000
SORTS = ("pertinence", "date")
# Misspelt words whose closest word of the archive is kept per opened index.
KEPT_CORRECTIONS = 4096
_UNKNOWN = object()

_FILTER = re.compile(
    r'(?<!\S)(?P<name>tag|etiquette|étiquette|auteur|author|date):(?P<value>"[^"]*"|[^\s"]*)',
    re.IGNORECASE,
)
_YEARS = re.compile(r"^(?P<start>\d{4})?(?:(?P<range>\.\.)(?P<end>\d{4})?)?$")
# One pipeline for reading wildcards back (its stemmer keeps a cache).
_QUERY_ANALYZER = french_analyzer()
_WILDCARD_ONLY = re.compile(r"(?<!\S)[*?]+(?!\S)")
_HYPHENATED = re.compile(r"(?<![\w-])\w+(?:-\w+)+")

TagResolver = Callable[[str], str | None]


@dataclass
class Filters:
    tags: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    years: tuple[int | None, int | None] | None = None

    def __bool__(self) -> bool:
        return bool(self.tags or self.authors or self.years)


@dataclass
class ReadQuery:
    """A reader's query once cleaned: its words, its filters, and what to tell the reader."""

    original: str
    words: str
    filters: Filters
    notices: list[str]


def clean_query_text(raw: str) -> tuple[str, list[str]]:
    """Drop control characters and cut an over-long query."""
    notices = []
    text = "".join(c if c.isprintable() else " " for c in raw or "")
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_LENGTH:
        text = text[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0] or text[:MAX_QUERY_LENGTH]
        notices.append(
            f"Votre recherche était trop longue : elle a été coupée à {MAX_QUERY_LENGTH} caractères."
        )
    return text, notices


def read_query(raw: str, resolve_tag: TagResolver | None = None) -> ReadQuery:
    """Separate filters (tag:, auteur:/author:, date:) from the words of a query."""
    text, notices = clean_query_text(raw)
    filters = Filters()
    kept_words: list[str] = []

    def take_filter(match: re.Match) -> str:
        name = fold(match.group("name"))
        value = match.group("value").strip('"').strip()
        if not value:
            kept_words.append(match.group("name"))
            return " "
        if name != "date" and ("*" in value or "?" in value):
            what = "l'étiquette" if name in ("tag", "etiquette") else "le nom"
            notices.append(
                f"Le filtre « {match.group(0)} » ne prend pas de joker (* ou ?) : écrivez {what}"
                " en entier. Il a été ignoré."
            )
            return " "
        if name in ("tag", "etiquette"):
            key = resolve_tag(value) if resolve_tag else None
            filters.tags.append(key or slugify(value))
        elif name in ("auteur", "author"):
            filters.authors.append(slugify(value))
        else:
            years = read_years(value)
            if years is None:
                notices.append(
                    f"Le filtre « date:{value} » n'a pas été compris : écrivez date:2009 ou date:2006..2009."
                )
            else:
                filters.years = years
        return " "

    words = _FILTER.sub(take_filter, text)
    words = " ".join([*kept_words, words]).strip()
    return ReadQuery(original=text, words=" ".join(words.split()), filters=filters, notices=notices)


def read_years(value: str) -> tuple[int | None, int | None] | None:
    """`2009`, `2006..2009`, `..2009`, `2006..` → (start, end); anything else → None."""
    match = _YEARS.match(value)
    if match is None or not (match.group("start") or match.group("end")):
        return None
    start = int(match.group("start")) if match.group("start") else None
    end = int(match.group("end")) if match.group("end") else None
    if not match.group("range"):
        end = start
    if start is not None and end is not None and start > end:
        start, end = end, start
    return start, end


@dataclass
class Hit:
    title: str
    url: str
    date: str | None
    author: str
    tags: list[str]
    snippet: str  # HTML: escaped text with <mark> around matched words
    score: float | None  # None when sorted by date or only filtered
    # With explain: which words, in which fields, made the score (see explaining.py).
    explain: list[dict] | None = None

    def as_json(self) -> dict:
        shown = dict(self.__dict__)
        if self.explain is None:
            del shown["explain"]
        return shown


@dataclass
class Found:
    """What one run of a query found: the hits of the page, and every match's number."""

    query: Query
    shown: list
    docnums: list[int]
    page: int = 1

    @property
    def total(self) -> int:
        return len(self.docnums)


@dataclass
class SearchResponse:
    query: str
    total: int
    results: list[Hit]
    suggestion: str | None
    facets: dict
    page: int = 1
    page_size: int = 10
    sort: str = "pertinence"
    notices: list[str] = field(default_factory=list)
    any_word: bool = False  # no article had every word: these have some of them

    @property
    def pages(self) -> int:
        return page_count(self.total, self.page_size)

    def as_json(self) -> dict:
        """The public JSON shape, shared by `invoke search --json` and /search.json."""
        return {
            "query": self.query,
            "total": self.total,
            "results": [hit.as_json() for hit in self.results],
            "suggestion": self.suggestion,
            "facets": self.facets,
            # What was refused, cut or left unfinished, in French, as the page shows it.
            "notices": list(self.notices),
        }


def page_count(total: int, page_size: int) -> int:
    """Pages of `page_size` results for `total` results: at least one, even empty."""
    return max(1, -(-total // page_size))


def clamp_page(value, default: int, upper: int) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    return min(max(number, 1), upper)


class ArchiveSearch:
    """Searches one opened index. It keeps only what it derives from the index.

    Each thread keeps its own Whoosh searcher for the life of the index: opening one
    reads every segment's term dictionary. The facet tables, the field lengths that
    scoring reads and the postings of the words searched, scored (postings_cache.py),
    are kept once for all threads. The searchers are closed with the last
    reference to this object (an index replaced by a build stays open until the
    searches running on it are over)."""

    def __init__(
        self,
        index,
        resolve_tag: TagResolver | None = None,
        vocabulary: dict[str, int] | None = None,
        tag_labels: dict[str, str] | None = None,
        tag_forms: dict[str, list[str]] | None = None,
        *,
        time_budget_s: float = TIME_BUDGET_S,
        max_expansion: int = MAX_EXPANSION,
        min_pattern_letters: int = MIN_PATTERN_LETTERS,
        max_kept_postings: int | None = MAX_KEPT_POSTINGS,
        live_lengths: dict[str, int] | None = None,
    ):
        self.index = index
        self.time_budget_s = time_budget_s
        self.max_expansion = max_expansion
        self.min_pattern_letters = min_pattern_letters
        self.resolve_tag = resolve_tag
        self._threads = threading.local()
        self._searchers: list = []
        self._searchers_lock = threading.Lock()
        weakref.finalize(self, _close_all, self._searchers)
        self._facet_tables = KeptFacetTables()
        # `live_lengths`: the live articles' total length per field (live_statistics.py).
        self._weighting = KeptLengthsBM25F(live_lengths)
        # None: every search reads its words' postings from the index (as Whoosh does).
        self._postings = KeptPostings(max_kept_postings) if max_kept_postings is not None else None
        self.tag_labels = tag_labels if tag_labels is not None else self._tag_labels()
        self.expander = Expander(tag_forms)
        # The tags' labels and aliases, in both languages, are words a reader may misspell.
        self.vocabulary = {**dict.fromkeys(self.expander.words(), 1), **(vocabulary or {})}
        self.corrector = ListCorrector(sorted(self.vocabulary))
        self._closest_words: dict[str, str | None] = {}

    def searcher(self):
        searcher = getattr(self._threads, "searcher", None)
        if searcher is None:
            if self._postings is None:
                searcher = self.index.searcher(weighting=self._weighting)
            else:
                searcher = KeptPostingsSearcher(
                    self.index.reader(), self._postings, fromindex=self.index, weighting=self._weighting
                )
            self._threads.searcher = searcher
            with self._searchers_lock:
                self._searchers.append(searcher)
        return searcher

    @classmethod
    def open(cls, folder, **limits) -> "ArchiveSearch":
        """The search over the index in `folder`, with its tag names and vocabulary
        (`limits`: time_budget_s, max_expansion, min_pattern_letters, max_kept_postings)."""
        from .indexing import load_tag_forms, load_tag_labels, load_tag_names, load_vocabulary, open_index
        from .live_statistics import load_lengths

        names = load_tag_names(folder)
        opened = open_index(folder)
        return cls(
            opened,
            lambda value: names.get(fold(value)),
            load_vocabulary(folder),
            load_tag_labels(folder),
            load_tag_forms(folder),
            live_lengths=load_lengths(folder, opened.schema),
            **limits,
        )

    def _tag_labels(self) -> dict[str, str]:
        """Read from the articles, for an index written without its tag-labels file."""
        labels = {}
        with self.index.searcher() as searcher:
            for stored in searcher.all_stored_fields():
                keys = [k for k in stored.get("tag_keys", "").split(",") if k]
                labels.update(zip(keys, stored.get("tag_labels", []), strict=False))
        return labels

    def search(
        self, raw_query: str, page=1, page_size=10, sort: str = "pertinence", explain: bool = False
    ) -> SearchResponse:
        """Run a reader's query; with `explain`, each hit says which words in which fields
        made its score."""
        read = read_query(raw_query, self.resolve_tag)
        page = clamp_page(page, 1, MAX_PAGE)
        page_size = clamp_page(page_size, 10, MAX_PAGE_SIZE)
        sort = sort if sort in SORTS else "pertinence"
        response = SearchResponse(
            read.original, 0, [], None, {"tags": [], "years": []}, page, page_size, sort
        )
        response.notices.extend(read.notices)
        # One clock for the whole request: both passes, snippets and suggestion.
        deadline = Deadline(self.time_budget_s)
        searcher = self.searcher()
        runs: list[Run] = []
        words_query = self._bounded(
            self._parse(read.words, searcher, qparser.AndGroup, runs),
            searcher,
            read.words,
            response,
            deadline,
        )
        if words_query is not None and (notice := expansion_notice(runs)):
            response.notices.append(notice)
        if lone := _WILDCARD_ONLY.findall(read.words):  # a bare « * » is no word: say why
            refused = list(dict.fromkeys(lone))
            response.notices.append(too_few_letters_notice(refused, self.min_pattern_letters))
        if words_query is None and not read.filters:
            if read.words and not lone:
                response.notices.append(
                    "Rien à chercher : les mots très courants (de, la, et…) et les exclusions seules"
                    " ne suffisent pas. Essayez des mots plus précis."
                )
            return response
        found = self._run(searcher, words_query, read.filters, page, page_size, sort, deadline)
        if (
            found.total == 0
            and words_query is not None
            and not deadline.passed()
            and len(_positive_words(read.words)) > 1
        ):
            any_query = self._bounded(
                self._parse(read.words, searcher, qparser.OrGroup), searcher, read.words, response, deadline
            )
            if any_query is not None:
                found = self._run(searcher, any_query, read.filters, page, page_size, sort, deadline)
                response.any_word = found.total > 0
        response.total = found.total
        response.page = found.page
        response.results = self._hits(searcher, found, deadline, bool(runs))
        if explain:
            for hit, shown in zip(response.results, found.shown, strict=True):
                hit.explain = explain_hit(searcher, found.query, shown.docnum, read.words, runs)
        response.facets = self._facets(searcher, found.docnums)
        if (response.total == 0 or response.any_word) and not deadline.passed():
            response.suggestion = self._suggestion(searcher, read.words, deadline)
        if deadline.reached:
            response.notices.append(time_budget_notice(self.time_budget_s))
        return response

    def _bounded(self, query: Query | None, searcher, words: str, response, deadline) -> Query | None:
        """`query` with its wildcards bounded (see limits.py), or None when nothing is left."""
        if query is None:
            return None
        bounded = bound_wildcards(
            query,
            searcher.reader(),
            response.notices,
            deadline,
            self.min_pattern_letters,
            self.max_expansion,
            lambda pattern: as_typed(pattern, words),
            self._weighting.live_frequency,
        )
        return None if bounded is NullQuery or _unreadable(bounded) else bounded

    def _parse(self, words: str, searcher, group, runs: list[Run] | None = None) -> Query | None:
        """A Whoosh query for the words, or None when nothing searchable is left. The runs
        of words that name a tag are expanded to its other names (listed in `runs`)."""
        marked, found = self.expander.mark(_WILDCARD_ONLY.sub(" ", words))
        query = self._parse_text(marked, searcher, group)
        if query is None or not found:
            return query
        if runs is not None:
            runs.extend(found)
        # Normalized here, as the parser's own queries are, before the limits wrap its phrases.
        return expand(
            query, found, lambda typed: self._parse_text(typed, searcher, qparser.AndGroup)
        ).normalize()

    def _parse_text(self, words: str, searcher, group) -> Query | None:
        text = hyphens_as_phrases(_WILDCARD_ONLY.sub(" ", fold(words))).strip()
        if not text:
            return None
        parser = qparser.MultifieldParser(list(SEARCHED_FIELDS), searcher.schema, group=group)
        parser.remove_plugin_class(qparser.FieldsPlugin)
        parser.remove_plugin_class(qparser.RangePlugin)
        parser.remove_plugin_class(qparser.BoostPlugin)
        parser.add_plugin(qparser.PlusMinusPlugin())
        try:
            query = parser.parse(text)
        except Exception:  # Whoosh raises many kinds; the words remain usable as plain words
            query = None
        if query is None or _unreadable(query):
            plain = " ".join(re.findall(r"\w+", text))
            query = parser.parse(plain) if plain else None
        if query is None or query is NullQuery or _unreadable(query):
            return None
        return query

    def _run(self, searcher, words_query, filters: Filters, page, page_size, sort, deadline=None) -> "Found":
        words_query, excluded = split_exclusions(words_query)
        parts = [words_query] if words_query is not None else []
        parts.extend(Term("tag_keys", key) for key in filters.tags)
        parts.extend(Term("author_key", author) for author in filters.authors)
        if filters.years:
            start, end = filters.years
            parts.append(NumericRange("year", start or 1, end))
        query = parts[0] if len(parts) == 1 else And(parts)
        sortedby = None
        if sort == "date" or words_query is None:
            # Then by address: articles of one date (the undated ones) keep one order, whatever
            # the order of the index, which a build's update changes.
            sortedby = [
                sorting.FieldFacet("year", reverse=True),
                sorting.FieldFacet("date", reverse=True),
                sorting.FieldFacet("url"),
            ]
        tables = self._facet_tables.get(searcher)
        results, docnums = search_recording(
            searcher,
            kept_unions(query) if self._postings is not None else query,
            page * page_size,
            sortedby,
            Or(excluded) if excluded else None,
            deadline,
            tables.preference,
            tables.sort_keys(searcher, sortedby) if sortedby and self._postings is not None else None,
            self._postings,
        )
        # A page past the last shows the last one, as Whoosh's pages do.
        page = min(page, page_count(len(docnums), page_size))
        shown = results[(page - 1) * page_size : page * page_size]
        return Found(query, shown, docnums, page)

    def _hits(self, searcher, found: "Found", deadline: Deadline | None = None, expanded=False) -> list[Hit]:
        # A snippet comes from the body, else the résumé, else the title: each field
        # is looked up only for the articles shown that still lack one. With a tag's
        # other names searched too, the reader's own words come first, in every field.
        fragments: dict[int, list] = {}
        pending = [hit.docnum for hit in found.shown]
        passes = [found.query]
        if expanded:
            passes.insert(0, readers_words_only(found.query))
        for query, name in [(query, name) for query in passes for name in SNIPPET_FIELDS]:
            if deadline is not None and deadline.passed():
                break  # past the budget, the articles left get the start of their text
            if not pending:
                break
            matched = matched_words(searcher, query, name, pending, deadline)
            analyzer = searcher.schema[name].analyzer
            for hit in found.shown:
                if hit.docnum in matched:
                    chosen = best_fragments(hit.get(name, ""), matched[hit.docnum], analyzer)
                    if chosen:
                        fragments[hit.docnum] = chosen
            pending = [docnum for docnum in pending if docnum not in fragments]
        # Formatted in the order shown: the formatter numbers the words as it meets them.
        formatter = snippet_formatter()
        return [
            self._hit(hit, formatter.format(fragments[hit.docnum]) if hit.docnum in fragments else "")
            for hit in found.shown
        ]

    def _hit(self, hit, snippet: str) -> Hit:
        if not snippet:
            text = hit.get("resume") or hit.get("body", "")
            snippet = escape(text[:SNIPPET_CHARS] + ("…" if len(text) > SNIPPET_CHARS else ""))
        # The stored date alone: whoosh3's Hit.get falls back on the sort column, which
        # holds its "missing" filler (2**64 - 1, no datetime) for an undated article.
        date = hit.fields().get("date")
        return Hit(
            title=hit["title"],
            url=hit["url"],
            date=date.date().isoformat() if isinstance(date, datetime) else None,
            author=hit.get("author", ""),
            tags=list(hit.get("tag_labels", [])),
            snippet=snippet,
            # None when the results are sorted by date (or only filtered): nothing was scored.
            score=round(hit.score, 4) if isinstance(hit.score, int | float) else None,
        )

    def _facets(self, searcher, docnums: list[int]) -> dict:
        tag_counts, year_counts = self._facet_tables.get(searcher).counts(docnums)
        tags = [
            {"key": key, "label": self.tag_labels.get(key, key), "count": count}
            for key, count in sorted(tag_counts.items(), key=lambda item: (-item[1], item[0]))
        ]
        years = [
            {"year": year or None, "count": count}
            for year, count in sorted(year_counts.items(), key=lambda item: -(item[0] or 0))
        ]
        return {"tags": tags, "years": years}

    def _suggestion(self, searcher, words: str, deadline: Deadline | None = None) -> str | None:
        """The query with each unknown word replaced by the closest word of the archive."""
        if not self.vocabulary:  # an empty archive; Whoosh's corrector fails on an empty list
            return None
        reader = searcher.reader()
        changed = False
        corrected = []
        for word in words.split():
            bare = word.strip('"+-*?()').lower()
            if (
                "*" in word  # a wildcard is a pattern, not a misspelt word
                or "?" in word
                or len(bare) < 3
                or not bare.isalpha()
                or _known(reader, bare)
                or (deadline and deadline.passed())
            ):
                corrected.append(word)
                continue
            best = self._closest(bare)
            if best is not None:
                corrected.append(word.lower().replace(bare, best))
                changed = True
            else:
                corrected.append(word)
        return " ".join(corrected) if changed else None

    def _closest(self, bare: str) -> str | None:
        """The archive's word closest to `bare`, kept per opened index (the vocabulary's
        automaton walk costs a few milliseconds, and no-hit words come back)."""
        best = self._closest_words.get(bare, _UNKNOWN)
        if best is not _UNKNOWN:
            return best
        # The closest words first; among them, the one the archive uses most.
        candidates = self.corrector.suggest(bare, limit=20, maxdist=1, prefix=1) or self.corrector.suggest(
            bare, limit=20, maxdist=2, prefix=1
        )
        best = max(candidates, key=lambda c: (self.vocabulary[c], c)) if candidates else None
        with self._searchers_lock:
            if len(self._closest_words) >= KEPT_CORRECTIONS:
                self._closest_words.pop(next(iter(self._closest_words)))  # the oldest goes
            self._closest_words[bare] = best
        return best


def _close_all(searchers: list) -> None:
    for searcher in searchers:
        searcher.close()


def as_typed(pattern: str, words: str) -> str:
    """A wildcard of the query as the reader typed it (accents and case), when it can
    be found among the words; otherwise as the search read it. The search reads a
    wildcard through the field's analyzer, stemmer included (« rés* » becomes « re* »)."""
    for word in words.split():
        bare = word.strip('"+-()')
        if pattern in analyzed_patterns(bare):
            return bare
    return pattern


@lru_cache(maxsize=4096)
def analyzed_patterns(word: str) -> frozenset[str]:
    """The ways Whoosh's parser may read a wildcard word: folded, the whole word through
    the analyzer (« fid?l* »), or a prefix's letters through it (« rés* » → « re* »)."""
    folded = fold(word)
    literal = re.match(r"[^*?\[]*", folded).group()
    readings = {folded}
    for text, rest in ((folded, ""), (literal, folded[len(literal) :])):
        tokens = _QUERY_ANALYZER(text, mode="query", tokenize=False, removestops=False)
        readings.add("".join(token.text for token in tokens) + rest)
    return frozenset(readings)


def hyphens_as_phrases(text: str) -> str:
    """« savoir-être » is one expression, not « savoir » without « être »: outside
    quotes, hyphenated words become phrases, and only a leading « - » excludes."""
    parts = text.split('"')
    for position in range(0, len(parts), 2):  # even parts are outside quotes
        parts[position] = _HYPHENATED.sub(lambda m: '"' + m.group(0).replace("-", " ") + '"', parts[position])
    return '"'.join(parts)


def _known(reader, word: str) -> bool:
    terms = analyzed_terms(word)
    if not terms:
        return True  # a stop word is not a misspelling
    # In a live article: a word found only in the deleted versions an update left is unknown.
    return all(any(live_holds(reader, name, term) for name in SEARCHED_FIELDS) for term in terms)


def _positive_words(words: str) -> list[str]:
    return [w for w in words.split() if not w.startswith("-") and analyzed_terms(w.strip('"'))]


def _unreadable(query: Query) -> bool:
    """Whoosh's parser reports what it could not read as error nodes."""
    return (
        any(type(q).__name__ == "ErrorQuery" for q in query.leaves()) or type(query).__name__ == "ErrorQuery"
    )


def split_exclusions(query: Query | None) -> tuple[Query | None, list[Query]]:
    """The words to find, and the `-words` to exclude, apart.

    Whoosh's AndNot can keep an excluded article when the index has several
    segments (as after a build that re-indexed a few articles); a search mask
    excludes reliably, whatever the segments."""
    excluded: list[Query] = []
    positive = query
    while isinstance(positive, AndNot):
        excluded.append(positive.b)
        positive = positive.a
    if isinstance(positive, And):
        kept = []
        for part in positive.subqueries:
            if isinstance(part, Not):
                excluded.append(part.query)
            else:
                kept.append(part)
        positive = And(kept) if len(kept) > 1 else (kept[0] if kept else None)
    if positive is None:  # only exclusions: leave the query as it was
        return query, []
    return positive, excluded
