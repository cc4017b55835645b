"""Highlighted snippets for the hits shown, from the word offsets stored in the index.

Whoosh's own pinpoint highlighting needs `terms=True` at search time, which records
the matched words of *every* matching article, and then builds a set of all of them
per word: on a broad query over a large archive, that costs more than the search.
Here only the page's articles are looked up, one posting list per query word, and
the fragments are cut, scored and formatted by Whoosh's own highlighting pieces.
"""

from itertools import groupby

from whoosh.analysis import Token
from whoosh.highlight import (
    FIRST,
    BasicFragmentScorer,
    HtmlFormatter,
    PinpointFragmenter,
    top_fragments,
)

SNIPPET_CHARS = 220
# The fields a snippet is taken from, the first with a matched word winning.
SNIPPET_FIELDS = ("body", "resume", "title")

_FRAGMENTER = PinpointFragmenter(maxchars=SNIPPET_CHARS, surround=70, autotrim=True)
_SCORER = BasicFragmentScorer()


def matched_words(
    searcher, query, fieldname: str, docnums: list[int], deadline=None
) -> dict[int, dict[str, list | None]]:
    """For each of `docnums`: each query word found in its `fieldname`, with the
    (position, start, end) of every occurrence when the field stores them (None
    otherwise). Prefixes and wildcards count as the words of the archive they stand for.
    Past the `deadline` (limits.Deadline), the words not yet looked up are left out."""
    field = searcher.schema[fieldname]
    stores_offsets = field.supports("characters")
    found: dict[int, dict[str, list | None]] = {docnum: {} for docnum in docnums}
    # Segment by segment: an index updated by a build has a few, and each segment's searcher
    # serves the postings the search kept (postings_cache.py), values included; the whole
    # index's would read and decode them again at every search.
    leaves = [(leaf, start, sorted(mine)) for leaf, start, mine in _by_segment(searcher, found) if mine]
    for btext in query_words(searcher.reader(), query, fieldname):
        if deadline is not None and deadline.passed():
            break
        word = field.from_bytes(btext)
        for leaf, start, mine in leaves:
            if (fieldname, btext) not in leaf.reader():
                continue
            postings = getattr(leaf, "word_postings", leaf.postings)(fieldname, btext)
            for docnum in mine:
                local = docnum - start
                if postings.is_active() and postings.id() < local:
                    postings.skip_to(local)
                if not postings.is_active():
                    break
                if postings.id() == local:
                    found[docnum][word] = postings.value_as("characters") if stores_offsets else None
    return found


def _by_segment(searcher, docnums) -> list[tuple]:
    """(segment's searcher, its first document number, the `docnums` in it) for each segment."""
    leaves = searcher.leaf_searchers()
    ends = [start for _, start in leaves[1:]] + [searcher.doc_count_all()]
    return [
        (leaf, start, [docnum for docnum in docnums if start <= docnum < end])
        for (leaf, start), end in zip(leaves, ends, strict=True)
    ]


def query_words(reader, query, fieldname: str) -> set[bytes]:
    """The words of `query` in `fieldname` that the index holds, prefixes expanded.

    (Whoosh's Query.existing_terms would do, but it reuses its `fieldname` argument
    as a loop variable, and so keeps the words of the first field only.)"""
    field = reader.schema[fieldname]
    words = set()
    for leaf in query.leaves():
        if leaf.field() != fieldname:
            continue
        for _, text in leaf.expanded_terms(reader, phrases=True):
            btext = field.to_bytes(text)
            if (fieldname, btext) in reader:
                words.add(btext)
    return words


def snippet_formatter() -> HtmlFormatter:
    """One per search: it numbers the words it marks (term0, term1…) as it meets them."""
    return HtmlFormatter(tagname="mark", between=" … ")


def best_fragments(text: str, matched: dict[str, list | None], analyzer) -> list:
    """The best two fragments of `text` around its `matched` words (Whoosh fragments,
    for a formatter to turn into HTML).

    Where the index stored the words' offsets they are used as they are; short
    fields without them (title, résumé) are analysed again."""
    if not matched or not text:
        return []
    if any(offsets is None for offsets in matched.values()):
        # Copies: the analyzer hands out one token object again and again.
        tokens = [
            token.copy()
            for token in analyzer(text, positions=True, chars=True, mode="index", removestops=False)
            if token.text in matched
        ]
    else:
        limit = _FRAGMENTER.charlimit
        tokens = [
            Token(text=word, pos=pos, startchar=start, endchar=end)
            for word, occurrences in matched.items()
            for pos, start, end in occurrences
            if not limit or end <= limit
        ]
    tokens.sort(key=lambda token: token.startchar)
    # Where two words start at the same place, the longer one is highlighted.
    tokens = [
        max(group, key=lambda token: token.endchar - token.startchar)
        for _, group in groupby(tokens, lambda token: token.startchar)
    ]
    return top_fragments(_FRAGMENTER.fragment_matches(text, tokens), 2, _SCORER, FIRST, minscore=1)
