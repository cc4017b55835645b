"""The total and the facets of a search, taken in the pass that scores the matches.

Whoosh counts facets with grouping collectors that look up each match's values
through its facet machinery; on a broad query that costs as much as the scoring.
Here each match's number is kept as the scoring pass sees it, and the counts come
from two tables read once per opened index: each article's tags and year.
"""

import threading
import time
from array import array
from collections import Counter, OrderedDict
from heapq import heapify, heappush, heapreplace, nlargest
from itertools import chain
from math import log

from whoosh import sorting
from whoosh.collectors import Collector, FilterCollector, SortingCollector, TopCollector, WrappingCollector
from whoosh.matching import IntersectionMatcher
from whoosh.scoring import BM25F, BM25FScorer
from whoosh.searching import TimeLimit

from .limits import RUNNING_DEADLINE, Deadline
from .live_statistics import live_doc_frequency
from .postings_cache import ScoredListMatcher, ScoredUnionMatcher

# Facet counts kept per opened index, by set of matches (a broad word's 4 000 matches
# take 32 kB as a key): a word searched again counts nothing.
KEPT_FACET_COUNTS = 256


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

    def collect_matches(self):
        """Matches already held as lists (a kept word or union, postings_cache.py) are
        taken whole: the same matches, scores and top, without a step per match."""
        matches = self.whole_matches()
        if matches is None:
            return super().collect_matches()
        self.take(*matches)
        return None

    def whole_matches(self) -> tuple | None:
        """(ids in the segment, scores) of every match left, when the matcher holds them
        as lists and the collector wrapped takes them whole; else None."""
        ranked = self.child
        if not (type(ranked) is TieBreakingCollector and ranked.final_fn is None) and (
            type(ranked) is not KeyedSortingCollector
        ):
            return None
        if time.monotonic() >= self._at:  # as the first step of the loop would
            self.deadline.reached = True
            raise TimeLimit
        return remaining_matches(ranked.matcher)

    def take(self, ids, scores) -> None:
        docnums = [self.offset + docnum for docnum in ids] if self.offset else list(ids)
        self.docnums.extend(docnums)
        if type(self.child) is TieBreakingCollector:
            self.child.collect_all(docnums, scores)
        else:
            self.child.collect_all(docnums)


class MaskingCollector(FilterCollector):
    """Whoosh's filter collector (a restrict mask), which hands the matches of kept
    lists to the recorder whole, the masked ones left out and counted as Whoosh does;
    the mask's articles come from `kept_masks` (postings_cache.KeptPostings) when given."""

    def __init__(self, child, restrict, kept_masks=None):
        super().__init__(child, restrict=restrict)
        self.kept_masks = kept_masks

    def prepare(self, top_searcher, q, context) -> None:
        restrict = self.restrict
        docs = self.kept_masks.mask_docs(top_searcher, restrict) if self.kept_masks else None
        if docs is None:
            return super().prepare(top_searcher, q, context)
        self.restrict = docs  # a set: Whoosh's filter takes it as it is
        try:
            return super().prepare(top_searcher, q, context)
        finally:
            self.restrict = restrict

    def collect_matches(self) -> None:
        recorder = self.child
        matches = recorder.whole_matches() if self._allow is None else None
        if matches is None:
            return super().collect_matches()
        ids, scores = matches
        restrict, offset = self._restrict, self.offset
        if restrict is None:
            recorder.take(ids, scores)
            return None
        kept = [i for i, docnum in enumerate(ids) if offset + docnum not in restrict]
        self.filtered_count += len(ids) - len(kept)
        recorder.take([ids[i] for i in kept], [scores[i] for i in kept])
        return None


def remaining_matches(matcher) -> tuple | None:
    """(ids, scores) of the matches left in `matcher` when it is made of kept lists
    and intersections of them (an AND of words), which it then has no more; else None.

    An intersection's score is Whoosh's own sum, a.score() + b.score(), the same
    float; its matches are the ids both sides have from where they stand."""
    kind = type(matcher)
    if kind in (ScoredListMatcher, ScoredUnionMatcher):
        start = matcher._i
        matcher._i = len(matcher._ids)
        return matcher._ids[start:], matcher._scores[start:]
    if kind is not IntersectionMatcher or not _of_lists(matcher):
        return None
    a_ids, a_scores = remaining_matches(matcher.a)
    b_ids, b_scores = remaining_matches(matcher.b)
    other = dict(zip(b_ids, b_scores, strict=True))
    ids, scores = array("l"), array("d")
    for docnum, score in zip(a_ids, a_scores, strict=True):
        b_score = other.get(docnum)
        if b_score is not None:
            ids.append(docnum)
            scores.append(score + b_score)
    return ids, scores


def _of_lists(matcher) -> bool:
    if type(matcher) is IntersectionMatcher:
        return _of_lists(matcher.a) and _of_lists(matcher.b)
    return type(matcher) in (ScoredListMatcher, ScoredUnionMatcher)


class TieBreakingCollector(TopCollector):
    """The top matches by score; among equal scores, by a stated rule rather than
    by the order of the index: the most recent first, then by address (`preference`
    holds each article's rank under that rule, higher first)."""

    def __init__(self, limit: int, preference: list[int]):
        # No shortcuts that skip matches which cannot reach the top: every match counts.
        super().__init__(limit=limit, usequality=False, replace=0)
        self.preference = preference

    def _collect(self, global_docnum, score):
        self.total += 1
        # Articles with the same statistics get the same float: equal means equal, and
        # no rounding at each of thousands of matches.
        item = (score, self.preference[global_docnum], global_docnum)
        if len(self.items) < self.limit:
            heappush(self.items, item)
        elif item > self.items[0]:
            heapreplace(self.items, item)
        return 0 - score

    def collect_all(self, docnums: list[int], scores) -> None:
        """`_collect` for each match at once: the items are all distinct (the docnum is
        in them), so the top `limit` is the same whatever the order they come in."""
        self.total += len(docnums)
        new = zip(scores, map(self.preference.__getitem__, docnums), docnums, strict=True)
        self.items = nlargest(self.limit, chain(self.items, new))
        heapify(self.items)

    def remove(self, global_docnum: int) -> None:
        self.items = [item for item in self.items if item[2] != global_docnum]
        heapify(self.items)

    def results(self):
        self.items.sort(reverse=True)
        return self._results([(score, docnum) for score, _, docnum in self.items])


class KeyedSortingCollector(SortingCollector):
    """Whoosh's sorting collector, with each article's sort key read once per opened
    index (FacetTables.sort_keys) instead of through the column readers at each match:
    the same keys, so the same order."""

    def __init__(self, sortedby, limit: int, keys: list):
        super().__init__(sortedby, limit=limit)
        self.keys = keys

    def prepare(self, top_searcher, q, context) -> None:
        # The keys need no current match (column facets), as Whoosh's categorizer says.
        Collector.prepare(self, top_searcher, q, context)
        self.items = []

    def set_subsearcher(self, subsearcher, offset: int) -> None:
        Collector.set_subsearcher(self, subsearcher, offset)

    def sort_key(self, sub_docnum: int):
        return self.keys[self.offset + sub_docnum]

    def collect_all(self, docnums: list[int]) -> None:
        """`collect` for each match at once."""
        self.items.extend(zip(map(self.keys.__getitem__, docnums), docnums, strict=True))
        self.docset.update(docnums)


def search_recording(
    searcher,
    query,
    limit: int,
    sortedby=None,
    mask=None,
    deadline: Deadline | None = None,
    preference: list[int] | None = None,
    sort_keys: list | None = None,
    kept_masks=None,
):
    """(Whoosh results of the first `limit` matches, numbers of every match).

    The mask applies before the recorder, so masked articles are not counted. Past
    the deadline, the matches found until then (`deadline.reached` tells). Equal
    scores are ordered by `preference` (see TieBreakingCollector), else by the index."""
    if sortedby is None and preference is not None:
        ranked = TieBreakingCollector(limit, preference)
    elif sortedby is None:
        ranked = TopCollector(limit=limit, usequality=False, replace=0)
    elif sort_keys is not None:
        ranked = KeyedSortingCollector(sortedby, limit, sort_keys)
    else:
        ranked = SortingCollector(sortedby, limit=limit)
    recorder = MatchRecorder(ranked, deadline)
    collector = MaskingCollector(recorder, mask, kept_masks) if mask is not None else recorder
    if deadline is not None and deadline.passed():
        return [], []  # no time left to search at all
    running = RUNNING_DEADLINE.set(deadline)
    try:
        searcher.search_with_collector(query, collector)
    except TimeLimit:
        if not recorder.docnums:
            # Nothing found in time; the filter collector may not even have its mask.
            return [], []
        # Otherwise the matches found so far stand.
    finally:
        RUNNING_DEADLINE.reset(running)
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
        self.preference = tie_preference(reader, self.years)
        self._counts: OrderedDict[bytes, tuple[Counter, Counter]] = OrderedDict()
        self._lock = threading.Lock()
        self._sort_keys: dict[tuple, list] = {}

    def sort_keys(self, searcher, sortedby: list) -> list | None:
        """Each article's key under `sortedby` (column facets, and the address last), as
        Whoosh's sorting collector orders them, by document number; None for other facets."""
        if not all(type(facet) is sorting.FieldFacet for facet in sortedby):
            return None
        name = tuple((facet.fieldname, facet.reverse) for facet in sortedby)
        keys = self._sort_keys.get(name)
        if keys is None:
            # The address has no column: Whoosh reads every address's postings for it (0.6 s at
            # 5 000 articles); its terms' first postings give the same order.
            by_address = sortedby[-1].fieldname == "url" and not sortedby[-1].reverse and len(sortedby) > 1
            columns = sortedby[:-1] if by_address else sortedby
            categorizer = sorting.MultiFacet.from_sortedby(columns).categorizer(searcher)
            if categorizer.needs_current:
                return None
            keys = [None] * searcher.doc_count_all()
            for subsearcher, offset in searcher.leaf_searchers():
                categorizer.set_searcher(subsearcher, offset)
                for docnum in range(subsearcher.doc_count_all()):
                    keys[offset + docnum] = categorizer.key_for(None, docnum)
            if by_address:
                urls = addresses(searcher.reader())
                keys = [
                    (*key, url) if isinstance(key, tuple) else (key, url)
                    for key, url in zip(keys, urls, strict=True)
                ]
            with self._lock:
                self._sort_keys[name] = keys
        return keys

    def counts(self, docnums: list[int]) -> tuple[Counter, Counter]:
        """(articles per tag key, articles per year) among `docnums` (not to be changed:
        the same counts are handed to every search with the same matches)."""
        key = array("l", docnums).tobytes()
        with self._lock:
            kept = self._counts.get(key)
            if kept is not None:
                self._counts.move_to_end(key)
                return kept
        tags = Counter(chain.from_iterable(map(self.tags.__getitem__, docnums)))
        kept = tags, Counter(map(self.years.__getitem__, docnums))
        with self._lock:
            self._counts[key] = kept
            while len(self._counts) > KEPT_FACET_COUNTS:
                self._counts.popitem(last=False)
        return kept


def addresses(reader) -> list[bytes]:
    """Each article's address, by document number. An address is one article of its segment:
    its term's first posting is that article (a seventh of the time of reading each term's
    postings)."""
    urls = [b""] * reader.doc_count_all()
    for subreader, offset in reader.leaf_readers():
        for url, info in subreader.iter_field("url"):
            urls[offset + info.min_id()] = url
    return urls


def tie_preference(reader, years: list[int]) -> list[int]:
    """Each article's rank among equal scores: dated before undated, the most recent
    first, then by address (A before Z). Higher ranks come first."""
    count = reader.doc_count_all()
    dates = [0] * count
    for subreader, offset in reader.leaf_readers():  # raw values, segment by segment
        if subreader.has_column("date"):
            for number, value in enumerate(subreader.column_reader("date", translate=False)):
                dates[offset + number] = value
    urls = addresses(reader)
    # An undated article's date column holds a filler larger than any date.
    order = sorted(range(count), key=lambda d: (years[d] == 0, -dates[d] if years[d] else 0, urls[d]))
    preference = [0] * count
    for rank, docnum in enumerate(order):
        preference[docnum] = count - rank
    return preference


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


# Live word counts kept per opened index (live_frequency), forgotten all at once past this.
KEPT_FREQUENCIES = 200_000


class KeptLengthsBM25F(BM25F):
    """Whoosh's BM25F, with each segment's field lengths read once into a list, and the
    statistics of the live articles alone (live_statistics.py).

    BM25 weighs every match by the length of its field; Whoosh looks each length up
    through three layers of its column readers, which is a third of the cost of a
    broad query. The lists live as long as the opened index.

    On an index a build updated (deleted versions still in its segments), the number of
    articles, how many hold a word and the fields' average length are the live articles'
    (`live_lengths`: their total length per field, kept beside the index): the same
    scores as a full index of the same articles. Without deletions, Whoosh's own."""

    def __init__(self, live_lengths: dict[str, int] | None = None, **options):
        super().__init__(**options)
        # By segment, not by reader: each thread's searcher has readers of its own.
        self._lengths: dict[tuple[str, str], list[int]] = {}
        self._live_lengths = live_lengths or {}
        self._frequencies: dict[tuple, int] = {}
        self._frequencies_lock = threading.Lock()

    def live_frequency(self, reader, fieldname: str, text) -> int:
        """How many live articles hold the word: Whoosh's count without deletions, else
        counted once per opened index (live_statistics.live_doc_frequency)."""
        if not reader.has_deletions():
            return reader.doc_frequency(fieldname, text)
        leaves = reader.leaf_readers()
        key = (tuple(leaf.segment().segment_id() for leaf, _ in leaves), fieldname, text)
        count = self._frequencies.get(key)
        if count is None:
            count = live_doc_frequency(reader, fieldname, text)
            with self._frequencies_lock:
                if len(self._frequencies) >= KEPT_FREQUENCIES:
                    self._frequencies.clear()
                self._frequencies[key] = count
        return count

    def idf(self, searcher, fieldname, text):
        parent = searcher.get_parent()
        if not parent.reader().has_deletions():
            return super().idf(searcher, fieldname, text)
        n = self.live_frequency(parent.reader(), fieldname, text)
        return log(parent.doc_count() / (n + 1)) + 1

    def scorer(self, searcher, fieldname, text, qf=1):
        scorer = super().scorer(searcher, fieldname, text, qf=qf)
        reader = searcher.reader()
        segment = reader.segment()
        if isinstance(scorer, BM25FScorer):
            if segment is not None:
                scorer.dfl = self._field_lengths(reader, segment, fieldname).__getitem__
            # The exact totals, with or without deletions: Whoosh's own sums are approximate
            # once it has merged segments (it adds up their one-byte lengths).
            if fieldname in self._live_lengths:
                parent = searcher.get_parent()
                scorer.avgfl = self._live_lengths[fieldname] / (parent.doc_count() or 1) or 1
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
