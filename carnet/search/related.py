"""« À lire aussi »: for each article, the articles closest to it by their words and tags.

Whoosh's `more_like` runs one search per article, which grows with the square
of the archive (70 s for 500 articles here). This computes the same idea in one
pass: each article's key terms by tf-idf (the French folding and stop words of
the index, with a light stem), then candidates that share key terms or tags.
Each term keeps only the articles it characterises most, so that a word common
to half the archive does not make every article a candidate of every other:
the work grows with the archive, not with its square.

An edit changes few terms: `update` starts from the previous build's `Relatedness` and
recomputes only the key terms of the articles that hold a term whose document frequency
changed, and the lists of the articles that those key terms reach. It returns exactly
what `relate` computes from nothing (tests/test_related_incremental.py).
"""

import hashlib
import heapq
import math
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain

from .analysis import fold, french_stop_words
from .documents import SearchDocument

KEY_TERMS = 15
# The articles a key term can bring as candidates: those where it weighs most.
POSTINGS_PER_TERM = 40
# A shared tag says more than any single shared word.
TAG_WEIGHT = 2.0
_WORD = re.compile(r"\w{3,}")
# Truncation is a crude stem, enough to make « partenaires » meet « partenariat »'s neighbours.
_STEM_LENGTH = 7


# Folding works character by character and never makes or removes a space, and no word
# spans a space: a text's terms are those of its pieces between spaces, which repeat across
# an archive (« partenaire, » or « l’accompagnement »). Each distinct piece is folded and cut
# into stems once.
class _PieceStems(dict):
    """piece -> its stems, worked out when first asked. A plain dictionary: looking a piece up
    costs less than through lru_cache, which reorders its entries at every hit (6 million
    pieces in the bench's 5 000 articles: 0.4 s of 2.3)."""

    LIMIT = 1 << 17  # distinct pieces kept (as lru_cache did); then it starts again

    def __missing__(self, piece: str) -> tuple[str, ...]:
        if len(self) >= self.LIMIT:
            self.clear()
        stops = french_stop_words()
        stems = self[piece] = tuple(
            word[:_STEM_LENGTH] for word in _WORD.findall(fold(piece)) if word not in stops
        )
        return stems


_PIECE_STEMS = _PieceStems()


def light_terms(text: str) -> Counter:
    # Piece by piece from the cache, counted in C: no Python step per word.
    return Counter(chain.from_iterable(map(_PIECE_STEMS.__getitem__, text.split(" "))))


def terms_key(document: SearchDocument) -> str:
    text = f"{document.title} {document.resume} {document.body}"
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class TermStore:
    """Each text's terms, by `terms_key`, kept as two arrays of numbers (term numbers in
    `vocabulary`, counts): 5 000 articles' terms as Counters took a second to pickle and
    another to unpickle, as bytes a few milliseconds. A text's Counter is decoded when read."""

    def __init__(self, vocabulary: Iterable[str] = (), encoded: dict[str, tuple[bytes, bytes]] | None = None):
        self.vocabulary: list[str] = list(vocabulary)
        self.numbers = {term: number for number, term in enumerate(self.vocabulary)}
        self.encoded: dict[str, tuple[bytes, bytes]] = dict(encoded or {})
        self._decoded: dict[str, Counter] = {}

    def __contains__(self, key: str) -> bool:
        return key in self.encoded or key in self._decoded

    def counts(self, key: str) -> Counter:
        decoded = self._decoded.get(key)
        if decoded is None:
            terms, counts = self.encoded[key]
            words = map(self.vocabulary.__getitem__, array("I", terms))
            decoded = self._decoded[key] = Counter(dict(zip(words, array("I", counts), strict=True)))
        return decoded

    def add(self, key: str, counts: Counter) -> None:
        """Encoded when kept (`kept`): a full build would encode texts it then throws away."""
        self._decoded[key] = counts

    def _encode(self, key: str) -> tuple[bytes, bytes]:
        encoded = self.encoded.get(key)
        if encoded is None:
            counts = self._decoded[key]
            for term in set(counts).difference(self.numbers):
                self.numbers[term] = len(self.vocabulary)
                self.vocabulary.append(term)
            terms = array("I", map(self.numbers.__getitem__, counts))
            encoded = self.encoded[key] = (terms.tobytes(), array("I", counts.values()).tobytes())
        return encoded

    def holds_any(self, key: str, terms: set[str], numbers: set[int]) -> bool:
        """Whether the text holds one of `terms`, whose numbers in `vocabulary` are `numbers`."""
        decoded = self._decoded.get(key)
        if decoded is not None:
            return not decoded.keys().isdisjoint(terms)
        return not numbers.isdisjoint(array("I", self.encoded[key][0]))

    def counted(self, document: SearchDocument, key: str | None = None) -> Counter:
        """The document's terms, counted only if its text was not seen before."""
        key = key or terms_key(document)
        if key not in self:
            self.add(key, light_terms(f"{document.title} {document.resume} {document.body}"))
        return self.counts(key)

    def kept(self, keys: Iterable[str], terms_used: int) -> "TermStore":
        """Only the texts of `keys`, encoded; the vocabulary is made again when most of it
        is gone (`terms_used`: how many distinct terms those texts hold)."""
        wanted = {key: self._encode(key) for key in dict.fromkeys(keys) if key in self}
        if terms_used * 2 >= len(self.vocabulary):
            return TermStore(self.vocabulary, wanted)
        store = TermStore()
        for key in wanted:
            store.add(key, self.counts(key))
        return store.kept(wanted, terms_used)


@dataclass
class Relatedness:
    """« À lire aussi » for one archive, with what it was made of, for the next build."""

    count: int
    urls: list[str]
    keys: list[str]  # each document's terms_key
    tags: list[tuple[str, ...]]  # each document's tag keys, as listed
    frequency: Counter  # term -> how many documents hold it
    key_terms: list[dict[str, float]]
    # (-weight, term) of each document's last key term, as they are ranked; None when every
    # term of the document is a key term.
    thresholds: list[tuple[float, str] | None]
    related: list[list[int]]  # by document number
    fallback: set[int]  # the documents whose list needed more than their key terms

    def by_url(self) -> dict[str, list[str]]:
        return {url: [self.urls[other] for other in self.related[n]] for n, url in enumerate(self.urls)}


class _Rarity(dict):
    """term -> its inverse document frequency, worked out when first asked."""

    def __init__(self, frequency: Counter, total: int):
        super().__init__()
        self.frequency, self.total = frequency, total

    def __missing__(self, term: str) -> float:
        value = self[term] = math.log(1 + self.total / self.frequency[term])
        return value


def _weight(counts: Counter, length: int, rarity: _Rarity, term: str) -> float:
    return (counts[term] / length) * rarity[term]


def _key_terms(counts: Counter, rarity: _Rarity) -> tuple[dict[str, float], tuple[float, str] | None]:
    """The document's key terms with their normalised weights, and its threshold (Relatedness)."""
    length = sum(counts.values()) or 1
    # (-weight, term) pairs compare in C, with no key function called per term; the first
    # KEY_TERMS + 1 of some 500 pairs, as sorted() would rank them, without sorting them all.
    weighed = [(-(n / length) * rarity[term], term) for term, n in counts.items()]
    ranked = heapq.nsmallest(KEY_TERMS + 1, weighed)
    best = {term: -negative for negative, term in ranked[:KEY_TERMS]}
    norm = math.sqrt(sum(w * w for w in best.values())) or 1
    last = ranked[KEY_TERMS - 1] if len(counts) > KEY_TERMS else None
    return {term: w / norm for term, w in best.items()}, last


def _stays(counts: Counter, best: dict, threshold: tuple | None, moved: set[str], rarity: _Rarity) -> bool:
    """Whether a document whose text did not change keeps its key terms and their weights when
    the rarity of `moved` terms changed: none of them is a key term, nor becomes one."""
    if threshold is None:
        return False
    held = moved.intersection(counts)
    if not held.isdisjoint(best):
        return False
    length = sum(counts.values()) or 1
    return all((-_weight(counts, length, rarity, term), term) > threshold for term in held)


def _postings(key_terms: Sequence[dict[str, float]], only: set[str] | None = None) -> dict[str, list]:
    """term -> (document, weight) of the documents it characterises most, in the order the
    scores add them up: by document when few, else by weight."""
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for number, best in enumerate(key_terms):
        for term in best if only is None else only.intersection(best):
            postings[term].append((number, best[term]))
    for entries in postings.values():
        if len(entries) > POSTINGS_PER_TERM:
            entries.sort(key=lambda entry: (-entry[1], entry[0]))
            del entries[POSTINGS_PER_TERM:]
    return postings


def _by_tag(tags: Sequence[tuple[str, ...]]) -> dict[str, list[int]]:
    by_tag: dict[str, list[int]] = defaultdict(list)
    for number, keys in enumerate(tags):
        for key in keys:
            by_tag[key].append(number)
    return by_tag


@dataclass
class _Archive:
    """What ranking one document reads of the others."""

    urls: list[str]
    tags: list[tuple[str, ...]]
    key_terms: list[dict[str, float]]
    postings: dict[str, list[tuple[int, float]]]
    counts: Callable[[int], Counter]
    count: int

    def __post_init__(self):
        self.tag_sets = [set(keys) for keys in self.tags]
        self.by_tag = _by_tag(self.tags)

    def rank(self, number: int) -> tuple[list[int], bool]:
        """The `count` documents closest to `number`, and whether its key terms fell short."""
        count, tag_sets = self.count, self.tag_sets
        scores: dict[int, float] = defaultdict(float)
        for term, weight in self.key_terms[number].items():
            for other, other_weight in self.postings[term]:
                scores[other] += weight * other_weight
        # Tags weigh on the candidates the words found; scoring every article of a
        # popular tag would cost the square of the archive again.
        if tag_sets[number]:
            for other in scores:
                shared = len(tag_sets[number] & tag_sets[other])
                scores[other] += TAG_WEIGHT * shared / len(tag_sets[number])
        scores.pop(number, None)
        fell_short = len(scores) < count
        if fell_short:  # few key terms in common: fall back on tags, then on any word
            tags = self.tags[number]
            for key in tags:
                for other in self.by_tag[key][: count + 1]:
                    if other != number:
                        scores.setdefault(other, TAG_WEIGHT / len(tags))
        if len(scores) < count:
            mine = self.counts(number)
            for other in range(len(self.urls)):
                if other != number and other not in scores:
                    theirs = self.counts(other)
                    shared = sum(min(n, theirs[term]) for term, n in mine.items() if term in theirs)
                    if shared:
                        scores[other] = shared / 1e6  # below any key-term score
        ranked = sorted(scores.items(), key=lambda item: (-item[1], self.urls[item[0]]))
        return [other for other, _ in ranked[:count]], fell_short


def relate(documents: Sequence[SearchDocument], count: int, store: TermStore) -> Relatedness:
    """« À lire aussi » from nothing (the terms of texts already in `store` are not counted again)."""
    keys = [terms_key(document) for document in documents]
    counts = [store.counted(document, key) for document, key in zip(documents, keys, strict=True)]
    frequency = Counter(chain.from_iterable(counts))  # each text's distinct terms
    rarity = _Rarity(frequency, len(documents))
    weighed = [_key_terms(terms, rarity) for terms in counts]
    # Two lists even with no document (every article held back): zip(*[]) gives none.
    key_terms, thresholds = [terms for terms, _ in weighed], [threshold for _, threshold in weighed]
    tags = [tuple(document.tag_keys) for document in documents]
    urls = [document.url for document in documents]
    archive = _Archive(urls, tags, key_terms, _postings(key_terms), counts.__getitem__, count)
    related, fallback = [], set()
    for number in range(len(documents)):
        ranked, fell_short = archive.rank(number)
        related.append(ranked)
        if fell_short:
            fallback.add(number)
    return Relatedness(count, urls, keys, tags, frequency, key_terms, thresholds, related, fallback)


def update(
    previous: Relatedness | None, documents: Sequence[SearchDocument], count: int, store: TermStore
) -> Relatedness:
    """What `relate` returns, recomputing from `previous` only what the changes reach.

    The same documents at the same places (an edit, a retagging): the rarity of a term moves
    only when a changed text gains or loses it, so only the documents that hold such a term
    weigh their terms again; a document's list changes only when its key terms, their
    postings or its candidates' tags do. Anything else (an article added, removed, renamed or
    moved in the archive's order) changes every rarity or every number: recomputed whole."""
    urls = [document.url for document in documents]
    if (
        previous is None
        or previous.count != count
        or previous.urls != urls
        or not all(key in store for key in previous.keys)
    ):
        return relate(documents, count, store)
    keys = [terms_key(document) for document in documents]
    tags = [tuple(document.tag_keys) for document in documents]
    changed = [n for n in range(len(urls)) if keys[n] != previous.keys[n] or tags[n] != previous.tags[n]]
    if not changed:
        return previous
    frequency = Counter(previous.frequency)
    rewritten = {n for n in changed if keys[n] != previous.keys[n]}
    moved_terms: set[str] = set()
    for number in rewritten:
        old = store.counts(previous.keys[number]).keys()
        new = store.counted(documents[number], keys[number]).keys()
        for term in old - new:
            frequency[term] -= 1
            if not frequency[term]:
                del frequency[term]
        for term in new - old:
            frequency[term] += 1
        moved_terms |= old ^ new
    reweighed = set(rewritten)
    if moved_terms:
        numbers = {store.numbers[term] for term in moved_terms if term in store.numbers}
        reweighed.update(n for n, key in enumerate(keys) if store.holds_any(key, moved_terms, numbers))
    rarity = _Rarity(frequency, len(urls))
    key_terms, thresholds = list(previous.key_terms), list(previous.thresholds)
    rekeyed, dirty = set(), set()
    for number in reweighed:
        counts, old = store.counts(keys[number]), previous.key_terms[number]
        if number not in rewritten and _stays(counts, old, thresholds[number], moved_terms, rarity):
            continue  # most documents that hold a word the edit brought: it stays below their key terms
        new, thresholds[number] = _key_terms(counts, rarity)
        if new != old:
            key_terms[number] = new
            rekeyed.add(number)
            dirty.update(term for term in old.keys() | new.keys() if old.get(term) != new.get(term))
    before, after = _postings(previous.key_terms, dirty), _postings(key_terms, dirty)
    touched = {term for term in dirty if before.get(term, []) != after.get(term, [])}
    for number in changed:
        if tags[number] != previous.tags[number]:  # its candidates' tag scores change
            touched |= previous.key_terms[number].keys() | key_terms[number].keys()
    again = {*changed, *rekeyed, *previous.fallback}
    again.update(n for n, best in enumerate(key_terms) if not touched.isdisjoint(best))
    # The postings that the lists made again read, and those only.
    postings = _postings(key_terms, {term for number in again for term in key_terms[number]})
    archive = _Archive(urls, tags, key_terms, postings, lambda n: store.counts(keys[n]), count)
    related, fallback = list(previous.related), set(previous.fallback)
    for number in again:
        related[number], fell_short = archive.rank(number)
        if fell_short:
            fallback.add(number)
        else:
            fallback.discard(number)
    return Relatedness(count, urls, keys, tags, frequency, key_terms, thresholds, related, fallback)


def related_urls(documents: Sequence[SearchDocument], count: int = 3) -> dict[str, list[str]]:
    """For every document URL, the URLs of the `count` most similar documents."""
    return relate(documents, count, TermStore()).by_url()
