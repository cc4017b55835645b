"""Each word's postings, read and scored once per opened index.

A broad search reads and decodes the postings of its words (zlib, pickle) and scores
every match with BM25, at every search, although none of it depends on the query:
a word's score in an article depends on the word, the article and the index only.
Here each word's matches, weights, encoded values and scores are kept for the life
of the opened index (for the words a scoring matcher asks for), and served again
as a list the matchers step through. The scores are those Whoosh computed the first
time, so results stay the same to the last bit. Whoosh's array union of a word's
fields (an Or) then reads these lists by slices (KeptOr, kept_unions).
"""

import threading
from array import array
from bisect import bisect_left
from collections import OrderedDict

from whoosh.matching import ArrayUnionMatcher, ListMatcher, ReadTooFar
from whoosh.query import And, Or
from whoosh.searching import Searcher

from .limits import DeadlineQuery

# Postings kept per opened index (about 100 bytes each: 50 MB at most); the words
# least recently searched go first. The bench's 40 queries on 5 000 articles keep 36 000.
MAX_KEPT_POSTINGS = 500_000


class ScoredListMatcher(ListMatcher):
    """A word's postings from lists, with the score of each already computed."""

    def __init__(self, ids, weights, values, format, scores, position=0, term=None):
        super().__init__(ids, weights, values, format, position=position, term=term)
        self._scores = scores

    def copy(self):
        return ScoredListMatcher(
            self._ids, self._weights, self._values, self._format, self._scores, self._i, self._term
        )

    def score(self):
        return self._scores[self._i]

    def skip_to(self, id):
        # Whoosh's list matcher steps one by one: a rare word ANDed with a frequent
        # one would walk the whole frequent list.
        if not self.is_active():
            raise ReadTooFar
        if id > self._ids[self._i]:
            self._i = bisect_left(self._ids, id, self._i)


class KeptPostings:
    """The postings of one opened index, by segment, field, word, query frequency and weighting."""

    def __init__(self, max_postings: int = MAX_KEPT_POSTINGS):
        self.max_postings = max_postings
        self.postings = 0  # kept now
        self._kept: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def matcher(self, searcher, fieldname: str, text: bytes, weighting, qf: int):
        reader = searcher.reader()
        key = (reader.segment().segment_id(), fieldname, text, qf, weighting)
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
        if kept is None:
            kept = _read(reader, fieldname, text, weighting.scorer(searcher, fieldname, text, qf=qf))
            with self._lock:
                if key not in self._kept:  # another thread may have read it meanwhile
                    self._kept[key] = kept
                    self.postings += len(kept[0])
                while self.postings > self.max_postings and len(self._kept) > 1:
                    _, dropped = self._kept.popitem(last=False)
                    self.postings -= len(dropped[0])
        ids, weights, values, format_, scores = kept
        return ScoredListMatcher(ids, weights, values, format_, scores, term=(fieldname, text))


def _read(reader, fieldname: str, text: bytes, scorer) -> tuple:
    matcher = reader.postings(fieldname, text, scorer=scorer)
    # Arrays of doubles hold Python's floats exactly, in a third of the room.
    ids, weights, values, scores = array("l"), array("d"), [], array("d")
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        values.append(matcher.value())
        scores.append(matcher.score())
        matcher.next()
    return ids, weights, values, reader.schema[fieldname].format, scores


class KeptPostingsSearcher(Searcher):
    """Whoosh's searcher, whose segments serve the postings a scoring matcher asks for
    (Whoosh's Term passes its weighting) from `KeptPostings`. The other callers (the
    snippets, which ask without a weighting) read the index as before."""

    def __init__(self, reader, kept: KeptPostings, **options):
        self.kept = kept  # before Whoosh's constructor, which makes the segments' searchers
        super().__init__(reader, **options)

    def _subsearcher(self, reader):
        return KeptPostingsSearcher(
            reader, self.kept, fromindex=self._ix, weighting=self.weighting, parent=self
        )

    def postings(self, fieldname, text, weighting=None, qf=1):
        if weighting is None or not self.is_atomic() or self.reader().segment() is None:
            return super().postings(fieldname, text, weighting, qf)
        return self.kept.matcher(self, fieldname, text, weighting, qf)


class KeptArrayUnionMatcher(ArrayUnionMatcher):
    """Whoosh's array union, reading the kept words' lists by slices: four calls per
    match become one step of a loop. The scores are added in the same order, the
    same products, so every sum is the same float."""

    def _read_part(self):
        # Words absent from a field come as inactive matchers, which add nothing.
        active = [m for m in self._submatchers if m.is_active()]
        if not all(type(m) is ScoredListMatcher for m in active):
            return super()._read_part()
        boost = self._boost
        limit = min(self._docnum + self._partsize, self._doccount)
        offset = self._docnum
        a = self._a
        a[:] = array("d", bytes(8 * self._partsize))
        for m in active:
            start = m._i
            end = bisect_left(m._ids, limit, start)
            if self._scored:
                for docnum, score in zip(m._ids[start:end], m._scores[start:end], strict=True):
                    a[docnum - offset] += score * boost
            else:
                for docnum in m._ids[start:end]:
                    a[docnum - offset] = 1
            m._i = end
        self._offset = offset
        self._limit = limit
        return None


class KeptOr(Or):
    """Whoosh's Or, whose array union (chosen as Whoosh chooses it) is the kept one."""

    def _matcher(self, subs, searcher, context):
        # Whoosh's own choice (Or._matcher of the pinned version), so that the same
        # unions add the same scores in the same order.
        needs_current = context.needs_current if context else True
        if self.matcher_type != self.AUTO_MATCHER or (
            len(subs) < self.TOO_MANY_CLAUSES
            and (needs_current or self.scale or len(subs) == 2 or searcher.doc_count_all() > 5000)
        ):
            return super()._matcher(subs, searcher, context)
        scored = context.weighting is not None if context else True
        matchers = [sub.matcher(searcher, context) for sub in subs]
        return KeptArrayUnionMatcher(matchers, searcher.doc_count_all(), boost=self.boost, scored=scored)


def kept_unions(query):
    """`query` with its Ors (under Ands and deadlines) as KeptOrs; the rest as it was."""
    if type(query) is Or:
        return KeptOr(
            [kept_unions(sub) for sub in query.subqueries],
            boost=query.boost,
            minmatch=query.minmatch,
            scale=query.scale,
        )
    if type(query) is And:
        return And([kept_unions(sub) for sub in query.subqueries], boost=query.boost)
    if type(query) is DeadlineQuery:
        return query._rewrap(kept_unions(query.child))
    return query
