"""Each word's postings, read and scored once per opened index.

A broad search reads and decodes the postings of its words (zlib, pickle) and scores
every match with BM25, at every search, although none of it depends on the query:
a word's score in an article depends on the word, the article and the index only.
Here each word's matches, weights, encoded values and scores are kept for the life
of the opened index (for the words a scoring matcher asks for), and served again
as a list the matchers step through. The scores are those Whoosh computed the first
time, so results stay the same to the last bit. Whoosh's array union of a word's
fields (an Or) then reads these lists by slices (KeptOr, kept_unions).

A word's union over the fields is kept too, drained once from the matcher Whoosh
builds for it: every match and its summed score, in Whoosh's order, so that a one-word
search is a list the collector takes whole (facets.py), and an AND of words steps
through lists. The snippets read the kept postings' values (the words' offsets), and
the articles shown last keep their stored fields (a decompression each otherwise).
"""

import threading
from array import array
from bisect import bisect_left, bisect_right
from collections import OrderedDict

from whoosh.idsets import BitSet
from whoosh.matching import ArrayUnionMatcher, ListMatcher, ReadTooFar
from whoosh.query import And, Or, Phrase, Term
from whoosh.searching import Searcher, TimeLimit

from .limits import RUNNING_DEADLINE, DeadlineQuery, KeptTerms

# Postings kept per opened index (about 100 bytes each: 50 MB at most); the words
# least recently searched go first. The bench's 40 queries on 5 000 articles keep 36 000.
MAX_KEPT_POSTINGS = 500_000
# Articles whose stored fields (title, text, résumé…: a few kB each) are kept per
# opened index, the least recently shown going first.
STORED_KEPT = 1000
# Exclusion masks (« -mot ») kept per opened index, the oldest going first; each is a
# bit set, an eighth of a byte per article of the index.
KEPT_MASKS = 256
# What an entry costs besides its postings, in postings: a word that matches nothing is
# kept too (a reader may send thousands), so it must count against the bound.
ENTRY_COST = 8


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


class ScoredUnionMatcher(ScoredListMatcher):
    """A union's matches as Whoosh's own matcher gave them, one after the other: each
    article and its score, no posting values (a union has none)."""

    def __init__(self, ids, scores, position=0):
        super().__init__(ids, None, None, None, scores, position=position)

    def copy(self):
        return ScoredUnionMatcher(self._ids, self._scores, self._i)

    def supports(self, astype):
        return False

    def supports_block_quality(self):
        return False


class KeptPostings:
    """The postings of one opened index, by segment, field, word, query frequency and weighting;
    and the scored unions of a word's fields (KeptOr), by segment and union."""

    def __init__(self, max_postings: int = MAX_KEPT_POSTINGS):
        self.max_postings = max_postings
        self.postings = 0  # kept now
        self._kept: OrderedDict = OrderedDict()
        self._stored: OrderedDict = OrderedDict()
        self._unkeepable: set = set()
        self._masks: dict[tuple, BitSet] = {}
        self._lock = threading.Lock()

    def matcher(self, searcher, fieldname: str, text: bytes, weighting, qf: int):
        reader = searcher.reader()
        key = (reader.segment().segment_id(), fieldname, text, qf, weighting)
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
        if kept is None:
            # Without a weighting (the snippets), the postings and their values alone.
            scorer = weighting.scorer(searcher, fieldname, text, qf=qf) if weighting is not None else None
            kept = _read(reader, fieldname, text, scorer)
            self._keep(key, kept, len(kept[0]))
        ids, weights, values, format_, scores = kept
        return ScoredListMatcher(ids, weights, values, format_, scores, term=(fieldname, text))

    def kept_matcher(self, searcher, fieldname: str, text: bytes, weighting):
        """The word's postings if a search has kept them (their values too), else None."""
        key = (searcher.reader().segment().segment_id(), fieldname, text, 1, weighting)
        with self._lock:
            kept = self._kept.get(key)
        if kept is None:
            return None
        ids, weights, values, format_, scores = kept
        return ScoredListMatcher(ids, weights, values, format_, scores, term=(fieldname, text))

    def stored_fields(self, reader, docnum: int) -> dict:
        """An article's stored fields, read once for the last STORED_KEPT articles shown."""
        key = (reader.segment().segment_id(), docnum)
        with self._lock:
            stored = self._stored.get(key)
            if stored is not None:
                self._stored.move_to_end(key)
        if stored is None:
            stored = reader.stored_fields(docnum)
            with self._lock:
                self._stored[key] = stored
                while len(self._stored) > STORED_KEPT:
                    self._stored.popitem(last=False)
        return dict(stored)  # Whoosh hands out a new dict each time: so do we

    def mask_docs(self, searcher, mask) -> BitSet | None:
        """The articles an exclusion mask (an Or of excluded words) holds, as Whoosh's
        filter would read them (docs_for_query), kept per opened index; None when a part
        is not a plain word, wildcard or phrase (see _part)."""
        parts = []
        for excluded in mask.subqueries if type(mask) is Or else [mask]:
            if type(excluded) is Or and not excluded.minmatch and not excluded.scale:
                signature = (excluded.boost, tuple(_part(sub) for sub in excluded.subqueries))
                if None in signature[1]:
                    return None
            elif (signature := _part(excluded)) is None:
                return None
            parts.append(signature)
        key = ("mask", tuple(parts))
        with self._lock:
            docs = self._masks.get(key)
        if docs is None:
            docs = BitSet(searcher.docs_for_query(mask), size=searcher.doc_count_all())
            with self._lock:
                self._masks[key] = docs
                while len(self._masks) > KEPT_MASKS:
                    self._masks.pop(next(iter(self._masks)))
        return docs

    def union(self, key, make):
        """The matches of a union (`key`), drained from `make()` the first time: ids
        and scores; None when the union cannot be kept as a list (see _drain)."""
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
        if kept is None:
            if key in self._unkeepable:
                return None
            kept = _drain(make())
            if kept is None:
                with self._lock:
                    self._unkeepable.add(key)  # not drained again at each search
                return None
            self._keep(key, kept, len(kept[0]))
        return ScoredUnionMatcher(*kept)

    def _keep(self, key, kept, size: int) -> None:
        with self._lock:
            if key not in self._kept:  # another thread may have read it meanwhile
                self._kept[key] = kept
                self.postings += size + ENTRY_COST
            while self.postings > self.max_postings and len(self._kept) > 1:
                _, dropped = self._kept.popitem(last=False)
                self.postings -= len(dropped[0]) + ENTRY_COST


def _read(reader, fieldname: str, text: bytes, scorer) -> tuple:
    matcher = reader.postings(fieldname, text, scorer=scorer)
    # Arrays of doubles hold Python's floats exactly, in a third of the room.
    ids, weights, values, scores = array("l"), array("d"), [], array("d")
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        values.append(matcher.value())
        scores.append(matcher.score() if scorer is not None else 0.0)
        matcher.next()
    return ids, weights, values, reader.schema[fieldname].format, scores


def _drain(matcher) -> tuple | None:
    """Every match of `matcher` and its score, as a collector steps through them.

    Kept only when every score is positive: a union then matches exactly the articles
    of its words' postings, so that skipping to an article (an AND does) lands where
    Whoosh's union would, whatever its blocks. (BM25's idf is positive; this holds.)"""
    ids, scores = array("l"), array("d")
    # Drained whole the first time, a phrase's or a wildcard's union is where the search
    # spends its time: it looks at the search's deadline as the collector would.
    deadline = RUNNING_DEADLINE.get()
    while matcher.is_active():
        ids.append(matcher.id())
        scores.append(matcher.score())
        matcher.next()
        if deadline is not None and not len(ids) % 64 and deadline.passed():
            raise TimeLimit  # nothing kept: the next search drains it again
    if scores and min(scores) <= 0:
        return None
    return ids, scores


class KeptPostingsSearcher(Searcher):
    """Whoosh's searcher, whose segments serve the postings a scoring matcher asks for
    (Whoosh's Term passes its weighting) from `KeptPostings`. The other callers (the
    snippets, which ask without a weighting) read the index as before."""

    def __init__(self, reader, kept: KeptPostings, **options):
        self.kept = kept  # before Whoosh's constructor, which makes the segments' searchers
        super().__init__(reader, **options)
        # Whoosh's constructor copies the reader's method onto the searcher.
        if self.is_atomic() and reader.segment() is not None:
            self.stored_fields = self._kept_stored_fields
        elif self.subsearchers:  # an index a build updated: each segment keeps its own
            self._starts = [start for _, start in self.subsearchers]
            self.stored_fields = self._segment_stored_fields

    def _subsearcher(self, reader):
        return KeptPostingsSearcher(
            reader, self.kept, fromindex=self._ix, weighting=self.weighting, parent=self
        )

    def postings(self, fieldname, text, weighting=None, qf=1):
        if weighting is None or not self.is_atomic() or self.reader().segment() is None:
            return super().postings(fieldname, text, weighting, qf)
        return self.kept.matcher(self, fieldname, text, weighting, qf)

    def word_postings(self, fieldname: str, text: bytes):
        """A word's postings with their values (the snippets' offsets): from the kept ones
        when the search that came before has scored them, else read once and kept (the
        words a wildcard stands for are not scored one by one)."""
        if not self.is_atomic() or self.reader().segment() is None:
            return super().postings(fieldname, text)
        kept = self.kept.kept_matcher(self, fieldname, text, self.weighting)
        if kept is None:
            kept = self.kept.matcher(self, fieldname, text, None, 1)
        return kept

    def _kept_stored_fields(self, docnum: int) -> dict:
        return self.kept.stored_fields(self.reader(), docnum)

    def _segment_stored_fields(self, docnum: int) -> dict:
        """As Whoosh's MultiReader finds a document's segment, from the segment's searcher."""
        leaf, start = self.subsearchers[bisect_right(self._starts, docnum) - 1]
        return leaf.stored_fields(docnum - start)


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
        kept = getattr(searcher, "kept", None)
        if kept is not None and not needs_current and self._keepable(searcher, context):
            # The union as Whoosh builds it below, drained once per opened index.
            key = (searcher.reader().segment().segment_id(), context.weighting, self._signature())
            matcher = kept.union(key, lambda: self._whoosh_matcher(subs, searcher, context))
            if matcher is not None:
                return matcher
        return self._whoosh_matcher(subs, searcher, context)

    def _keepable(self, searcher, context) -> bool:
        """A scored union of words, kept wildcards or phrases (a word over the fields): its
        matches and scores depend on the index only. The parts of an AND that look at the
        deadline at each step are left to Whoosh."""
        return (
            context.weighting is not None
            and not self.scale
            and not self.minmatch
            and len(self.subqueries) < self.TOO_MANY_CLAUSES
            and searcher.is_atomic()
            and searcher.reader().segment() is not None
            and all(_part(sub) is not None for sub in self.subqueries)
        )

    def _signature(self) -> tuple:
        return (self.boost, tuple(_part(sub) for sub in self.subqueries))

    def _whoosh_matcher(self, subs, searcher, context):
        needs_current = context.needs_current if context else True
        if self.matcher_type != self.AUTO_MATCHER or (
            len(subs) < self.TOO_MANY_CLAUSES
            and (needs_current or self.scale or len(subs) == 2 or searcher.doc_count_all() > 5000)
        ):
            return super()._matcher(subs, searcher, context)
        scored = context.weighting is not None if context else True
        matchers = [sub.matcher(searcher, context) for sub in subs]
        return KeptArrayUnionMatcher(matchers, searcher.doc_count_all(), boost=self.boost, scored=scored)


def _part(query) -> tuple | None:
    """What a union's part is, when its matches depend on the index only; else None."""
    if isinstance(query, Term) and type(query).matcher is Term.matcher and not query.minquality:
        return ("word", query.fieldname, query.text, query.boost)
    if type(query) is not DeadlineQuery or query.stepping:
        return None
    # Bounded before the search; its deadline is looked at when its matcher is made.
    child = query.child
    if type(child) is KeptTerms:
        return ("words", child.fieldname, child.btexts, child.boost)
    if isinstance(child, Phrase) and type(child).matcher is Phrase.matcher:
        return ("phrase", child.fieldname, tuple(child.words), child.slop, child.boost, child.degrade)
    return None


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
