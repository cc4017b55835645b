"""« À lire aussi »: for each article, the articles closest to it by their words and tags.

Whoosh's `more_like` runs one search per article, which grows with the square
of the archive (70 s for 500 articles here). This computes the same idea in one
pass: each article's key terms by tf-idf (the French folding and stop words of
the index, with a light stem), then candidates that share key terms or tags.
Each term keeps only the articles it characterises most, so that a word common
to half the archive does not make every article a candidate of every other:
the work grows with the archive, not with its square.
"""

import hashlib
import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import lru_cache

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


# Folding works character by character and never makes or removes a space, so a text
# folds piece by piece between spaces; the pieces repeat across an archive.
_fold_piece = lru_cache(maxsize=1 << 17)(fold)


def light_terms(text: str) -> Counter:
    stops = french_stop_words()
    terms: Counter = Counter()
    folded = " ".join(map(_fold_piece, text.split(" ")))
    # Counted word by word first (in C), then each distinct word once: an article
    # has a few hundred distinct words for a thousand or two in all.
    for word, count in Counter(_WORD.findall(folded)).items():
        if word not in stops:
            terms[word[:_STEM_LENGTH]] += count
    return terms


def terms_key(document: SearchDocument) -> str:
    text = f"{document.title} {document.resume} {document.body}"
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def document_terms(documents: Sequence[SearchDocument], known: dict[str, Counter]) -> list[Counter]:
    """Each document's terms, taken from `known` (keyed by `terms_key`) when its text was
    seen before; the new ones are added to `known`."""
    counted = []
    for document in documents:
        key = terms_key(document)
        if key not in known:
            known[key] = light_terms(f"{document.title} {document.resume} {document.body}")
        counted.append(known[key])
    return counted


def related_urls(
    documents: Sequence[SearchDocument], count: int = 3, known_terms: dict[str, Counter] | None = None
) -> dict[str, list[str]]:
    """For every document URL, the URLs of the `count` most similar documents.

    `known_terms` carries the terms of texts already counted, from one build to the next."""
    term_counts = document_terms(documents, {} if known_terms is None else known_terms)
    document_frequency = Counter(term for counts in term_counts for term in counts)
    total = len(documents)
    rarity = {term: math.log(1 + total / frequency) for term, frequency in document_frequency.items()}
    key_terms: list[dict[str, float]] = []
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for number, counts in enumerate(term_counts):
        length = sum(counts.values()) or 1
        weights = {term: (n / length) * rarity[term] for term, n in counts.items()}
        best = dict(heapq.nsmallest(KEY_TERMS, weights.items(), key=lambda item: (-item[1], item[0])))
        norm = math.sqrt(sum(w * w for w in best.values())) or 1
        best = {term: w / norm for term, w in best.items()}
        key_terms.append(best)
        for term, weight in best.items():
            postings[term].append((number, weight))
    for entries in postings.values():
        if len(entries) > POSTINGS_PER_TERM:
            entries.sort(key=lambda entry: (-entry[1], entry[0]))
            del entries[POSTINGS_PER_TERM:]
    by_tag: dict[str, list[int]] = defaultdict(list)
    for number, doc in enumerate(documents):
        for key in doc.tag_keys:
            by_tag[key].append(number)
    tag_sets = [set(doc.tag_keys) for doc in documents]
    related: dict[str, list[str]] = {}
    for number, doc in enumerate(documents):
        scores: dict[int, float] = defaultdict(float)
        for term, weight in key_terms[number].items():
            for other, other_weight in postings[term]:
                scores[other] += weight * other_weight
        # Tags weigh on the candidates the words found; scoring every article of a
        # popular tag would cost the square of the archive again.
        if tag_sets[number]:
            for other in scores:
                shared = len(tag_sets[number] & tag_sets[other])
                scores[other] += TAG_WEIGHT * shared / len(tag_sets[number])
        scores.pop(number, None)
        if len(scores) < count:  # few key terms in common: fall back on tags, then on any word
            for key in doc.tag_keys:
                for other in by_tag[key][: count + 1]:
                    if other != number:
                        scores.setdefault(other, TAG_WEIGHT / len(doc.tag_keys))
        if len(scores) < count:
            mine = term_counts[number]
            for other, theirs in enumerate(term_counts):
                if other != number and other not in scores:
                    shared = sum(min(n, theirs[term]) for term, n in mine.items() if term in theirs)
                    if shared:
                        scores[other] = shared / 1e6  # below any key-term score
        ranked = sorted(scores.items(), key=lambda item: (-item[1], documents[item[0]].url))
        related[doc.url] = [documents[other].url for other, _ in ranked[:count]]
    return related
