"""The total and the facets of a search, taken in the pass that scores the matches.

Whoosh counts facets with grouping collectors that look up each match's values
through its facet machinery; on a broad query that costs as much as the scoring.
Here each match's number is kept as the scoring pass sees it, and the counts come
from two tables read once per opened index: each article's tags and year.
"""

import threading
import time
from collections import Counter
from itertools import chain

from whoosh.collectors import FilterCollector, SortingCollector, TopCollector, WrappingCollector
from whoosh.scoring import BM25F, BM25FScorer
from whoosh.searching import TimeLimit

from .limits import Deadline


class MatchRecorder(WrappingCollector):
    """Hands every match to the collector it wraps, and keeps its number; past the
    deadline, stops the search (Whoosh's TimeLimit), what was found so far kept.

    (Whoosh's TimeLimitCollector is no use here: around the filter collector it
    collects past it, so excluded articles come back; it starts a timer thread per
    search; and its alarm signal can only be set from the main thread, which a
    server's searches never run in.)"""

    def __init__(self, child, deadline: Deadline | None = None):
        super().__init__(child)
        self.docnums: list[int] = []
        self.deadline = deadline
        self._at = deadline.at if deadline is not None else float("inf")

    def collect(self, sub_docnum):
        # The clock every 64 matches: read at each, it was 3% of a one-word search.
        if not len(self.docnums) & 63 and time.monotonic() >= self._at:
            self.deadline.reached = True
            raise TimeLimit
        self.docnums.append(self.offset + sub_docnum)
        return self.child.collect(sub_docnum)


def search_recording(searcher, query, limit: int, sortedby=None, mask=None, deadline: Deadline | None = None):
    """(Whoosh results of the first `limit` matches, numbers of every match).

    The mask applies before the recorder, so masked articles are not counted. Past
    the deadline, the matches found until then (`deadline.reached` tells)."""
    if sortedby is None:
        # No shortcuts that skip matches which cannot reach the top: every match counts.
        ranked = TopCollector(limit=limit, usequality=False, replace=0)
    else:
        ranked = SortingCollector(sortedby, limit=limit)
    recorder = MatchRecorder(ranked, deadline)
    collector = FilterCollector(recorder, restrict=mask) if mask is not None else recorder
    if deadline is not None and deadline.passed():
        return [], []  # no time left to search at all
    try:
        searcher.search_with_collector(query, collector)
    except TimeLimit:
        if not recorder.docnums:
            # Nothing found in time; the filter collector may not even have its mask.
            return [], []
        # Otherwise the matches found so far stand.
    return collector.results(), recorder.docnums


class FacetTables:
    """Each article's tag keys and year, by document number."""

    def __init__(self, reader):
        self.tags: list[tuple[str, ...]] = [()] * reader.doc_count_all()
        for key in reader.lexicon("tag_keys"):
            name = key.decode("utf-8")
            for docnum in reader.postings("tag_keys", key).all_ids():
                self.tags[docnum] = (*self.tags[docnum], name)
        self.years: list[int] = (
            list(reader.column_reader("year")) if reader.has_column("year") else [0] * len(self.tags)
        )

    def counts(self, docnums: list[int]) -> tuple[Counter, Counter]:
        """(articles per tag key, articles per year) among `docnums`."""
        tags = Counter(chain.from_iterable(map(self.tags.__getitem__, docnums)))
        return tags, Counter(map(self.years.__getitem__, docnums))


class KeptFacetTables:
    """The tables of one opened index, read at the first search that needs them."""

    def __init__(self):
        self._tables: FacetTables | None = None
        self._lock = threading.Lock()

    def get(self, searcher) -> FacetTables:
        if self._tables is None:
            with self._lock:
                if self._tables is None:
                    self._tables = FacetTables(searcher.reader())
        return self._tables


class KeptLengthsBM25F(BM25F):
    """Whoosh's BM25F, with each segment's field lengths read once into a list.

    BM25 weighs every match by the length of its field; Whoosh looks each length up
    through three layers of its column readers, which is a third of the cost of a
    broad query. The lists live as long as the opened index."""

    def __init__(self, **options):
        super().__init__(**options)
        # By segment, not by reader: each thread's searcher has readers of its own.
        self._lengths: dict[tuple[str, str], list[int]] = {}

    def scorer(self, searcher, fieldname, text, qf=1):
        scorer = super().scorer(searcher, fieldname, text, qf=qf)
        reader = searcher.reader()
        segment = reader.segment()
        if isinstance(scorer, BM25FScorer) and segment is not None:
            scorer.dfl = self._field_lengths(reader, segment, fieldname).__getitem__
        return scorer

    def _field_lengths(self, reader, segment, fieldname: str) -> list[int]:
        key = (segment.segment_id(), fieldname)
        lengths = self._lengths.get(key)
        if lengths is None:
            lengths = [
                reader.doc_field_length(docnum, fieldname, 1) for docnum in range(reader.doc_count_all())
            ]
            self._lengths[key] = lengths
        return lengths
