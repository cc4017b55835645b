"""The postings kept per opened index (carnet/search/postings_cache.py) change nothing
a reader sees: the same hits, scores, totals, facets, snippets and notices as a search
that reads every word from the index (and Whoosh's own unions of them), on an index
of several segments with deletions, the first time a word is searched and the next,
with room for every word or for few."""

from array import array
from collections import Counter
from datetime import datetime

import pytest
from whoosh.query import Or, Prefix, Term
from whoosh.scoring import BM25F
from whoosh.searching import TimeLimit

from carnet.search.documents import SearchDocument
from carnet.search.indexing import build_index, update_index
from carnet.search.limits import RUNNING_DEADLINE, Deadline
from carnet.search.postings_cache import ENTRY_COST, _drain
from carnet.search.querying import ArchiveSearch
from carnet.search.snippets import matched_words, query_words

WORDS = [
    "formation",
    "formations",
    "former",
    "confiance",
    "partenaire",
    "partenariat",
    "acheteur",
    "achats",
    "client",
    "clients",
    "savoir-être",
    "rencontre",
    "hasard",
    "cœur",
    "œuvre",
    "de",
    "la",
    "pour",
]

QUERIES = [
    "formation",
    "confiance partenaire",
    "form*",
    '"savoir être"',
    "client -acheteur",
    "confiance OR hasard",
    "formation tag:partenariat",
    "date:2007..2009 achats",
    "partenaire zzqxw",  # no article has both: the fallback to any word
    "confiansse",  # a did-you-mean suggestion
    "tag:achats",
]


def documents(size: int) -> list[SearchDocument]:
    made = []
    for number in range(size):
        words = [WORDS[(number * 5 + k * k) % len(WORDS)] for k in range(10 + number % 11)]
        tags = [["partenariat"], ["achats"], []][number % 3]
        made.append(
            SearchDocument(
                url=f"article-{number}/",
                title=" ".join(words[:3]),
                body=" ".join(words),
                resume=" ".join(words[-4:]) if number % 2 else "",
                tags=[tag.title() for tag in tags],
                tag_keys=tags,
                date=datetime(2006 + number % 5, 1, 1) if number % 4 else None,
            )
        )
    return made


@pytest.fixture(scope="module")
def index_folder(tmp_path_factory):
    kept = documents(80)
    folder = build_index(kept, tmp_path_factory.mktemp("kept") / "index", {})
    for round_ in range(2):  # two more segments, and deleted articles
        for document in kept[round_ * 11 : round_ * 11 + 7]:
            document.body += " confiance partenaire formation"
        kept = [d for d in kept if d.url != f"article-{60 + round_}/"]
        update_index(folder, kept, {})
    return folder


def answers(archive: ArchiveSearch) -> list:
    shown = []
    for query in QUERIES:
        for sort in ("pertinence", "date"):
            for page in (1, 2):
                response = archive.search(query, page=page, page_size=7, sort=sort, explain=True)
                shown.append((query, sort, page, response.page, response.any_word, response.as_json()))
                shown[-1][-1]["results"] = [hit.as_json() for hit in response.results]  # explain too
    return shown


@pytest.mark.parametrize("max_kept_postings", [500_000, 25])
def test_kept_postings_answer_as_the_index_does(index_folder, max_kept_postings):
    reference = ArchiveSearch.open(index_folder, time_budget_s=60, max_kept_postings=None)
    kept = ArchiveSearch.open(index_folder, time_budget_s=60, max_kept_postings=max_kept_postings)
    assert len(kept.searcher().subsearchers) > 1
    expected = answers(reference)
    assert any(answer[-1]["total"] > 7 for answer in expected)  # some second pages are full ones
    assert answers(kept) == expected  # the words read from the index, then kept
    assert answers(kept) == expected  # the words served again
    assert kept._postings.postings > 0
    if max_kept_postings == 25:
        # The budget holds: the words kept fit in it, or only the last one read stays.
        assert kept._postings.postings <= 25 or len(kept._postings._kept) == 1


def test_a_broad_word_is_counted_whole_from_its_kept_union(tmp_path):
    """A word in most articles: its union over the fields is kept per opened index and
    taken whole by the collector, its facet counts are kept by set of matches; the total
    and the facets still count every article that has the word (counted here from the
    articles themselves), and every answer is the one of Whoosh's own search."""
    written = documents(300)
    folder = build_index(written, tmp_path / "index", {})
    kept = ArchiveSearch.open(folder, time_budget_s=60)
    reference = ArchiveSearch.open(folder, time_budget_s=60, max_kept_postings=None)
    having = [d for d in written if "confiance" in f"{d.title} {d.resume} {d.body}".split()]
    assert 100 < len(having) < len(written)
    tags = Counter(key for d in having for key in d.tag_keys)
    years = Counter(d.date.year if d.date else None for d in having)
    for _ in range(2):  # kept the first time, served from what was kept the second
        for query, page, sort in [("confiance", 1, "pertinence"), ("confiance", 3, "date")]:
            response = kept.search(query, page=page, page_size=10, sort=sort)
            assert response.total == len(having)
            assert {facet["key"]: facet["count"] for facet in response.facets["tags"]} == tags
            assert {facet["year"]: facet["count"] for facet in response.facets["years"]} == years
            expected = reference.search(query, page=page, page_size=10, sort=sort)
            assert response.as_json() == expected.as_json()
        for query in ("confiance partenaire", "confiance -formation", "confiance tag:achats", "form*"):
            assert kept.search(query).as_json() == reference.search(query).as_json()
    unions = [entry for entry in kept._postings._kept.values() if len(entry) == 2]
    assert any(len(ids) == len(having) for ids, _ in unions)
    # One set of matches for « confiance », whatever the page and the order.
    counted = kept._facet_tables.get(kept.searcher())._counts
    assert array("l", sorted(written.index(d) for d in having)).tobytes() in counted


def test_words_that_match_nothing_count_against_the_bound(tmp_path):
    """A reader may send thousands of words no article has: each is kept as an empty
    union, which must count against the bound, or they would pile up for the life of
    the index."""
    folder = build_index(documents(60), tmp_path / "index", {})
    kept = ArchiveSearch.open(folder, time_budget_s=60, max_kept_postings=200)
    for number in range(400):
        assert kept.search(f"zqw{number}x").total == 0
    assert len(kept._postings._kept) <= 200 // ENTRY_COST + 1
    assert kept._postings.postings <= 200


def test_a_union_drained_the_first_time_looks_at_the_searchs_deadline(tmp_path):
    folder = build_index(documents(300), tmp_path / "index", {})
    archive = ArchiveSearch.open(folder, time_budget_s=60)
    searcher = archive.searcher()
    reader = searcher.reader()
    commonest = max(reader.lexicon("body"), key=lambda word: reader.doc_frequency("body", word))

    def union():
        return searcher.postings("body", commonest, weighting=BM25F())

    assert len(_drain(union())[0]) > 64  # long enough to be looked at while drained
    past = Deadline(0)
    running = RUNNING_DEADLINE.set(past)
    try:
        with pytest.raises(TimeLimit):
            _drain(union())
    finally:
        RUNNING_DEADLINE.reset(running)
    assert past.reached  # the reader is told the search was cut


@pytest.mark.parametrize("max_kept_postings", [500_000, None])
def test_snippets_and_stored_fields_are_read_segment_by_segment_as_the_whole_index_has_them(
    index_folder, max_kept_postings
):
    """On an index a build updated (several segments), the snippets' words and the articles'
    stored fields come from each segment's searcher: the same as the whole index reads them."""
    archive = ArchiveSearch.open(index_folder, time_budget_s=60, max_kept_postings=max_kept_postings)
    searcher = archive.searcher()
    assert len(searcher.subsearchers) > 1
    reader = searcher.reader()
    docnums = list(reader.all_doc_ids())  # the deleted ones left out
    assert len(docnums) < reader.doc_count_all()
    query = Or(
        [Prefix("body", "form"), Term("body", "confianc"), Prefix("title", "part"), Term("title", "hasard")]
    )
    for fieldname in ("body", "title"):
        # The reference: each word's postings over the whole index, read to the end.
        expected = {docnum: {} for docnum in docnums}
        words = query_words(reader, query, fieldname)
        assert words
        for btext in words:
            matcher = reader.postings(fieldname, btext)
            while matcher.is_active():
                if matcher.id() in expected:
                    value = matcher.value_as("characters") if fieldname == "body" else None
                    expected[matcher.id()][btext.decode()] = value
                matcher.next()
        assert any(expected.values())
        shown = docnums[::3]  # in no particular order, from every segment
        shown.reverse()
        assert any(docnum >= searcher.subsearchers[-1][1] for docnum in shown)  # the last segment too
        assert matched_words(searcher, query, fieldname, shown) == {
            docnum: expected[docnum] for docnum in shown
        }
    assert all(searcher.stored_fields(docnum) == reader.stored_fields(docnum) for docnum in docnums)
    if max_kept_postings is not None:
        # Each segment's own caches served them: the whole index's reading keeps nothing.
        kept = archive._postings
        segments = {leaf.reader().segment().segment_id() for leaf, _ in searcher.subsearchers}
        assert {key[0] for key in kept._kept if key[0] != "mask"} >= segments - {None}
        assert {key[0] for key in kept._stored} == {
            leaf.reader().segment().segment_id()
            for leaf, start in searcher.subsearchers
            if any(start <= d < start + leaf.doc_count_all() for d in docnums)
        }
