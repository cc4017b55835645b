"""An index a build updated (deleted versions in its segments) scores as a full index of the
same articles (carnet/search/live_statistics.py): the same hits, scores, order, totals,
facets, snippets, explanations and suggestions, edit after edit."""

import copy
import json

import pytest

from carnet.search.indexing import build_index, update_index
from carnet.search.live_statistics import STATISTICS_FILE, field_lengths, index_values
from carnet.search.querying import ArchiveSearch
from tests.test_search_postings_cache import QUERIES, answers, documents

MORE_QUERIES = [*QUERIES, "œuvre", "former clients", "hasard -cœur", "zorglub", "confiance partenaire hasard"]
# A word that only articles removed later hold: unknown then, as in a full index.
GONE_WORD = "confiancz"


def all_answers(folder) -> list:
    archive = ArchiveSearch.open(folder, time_budget_s=60)
    shown = answers(archive)
    for query in [*MORE_QUERIES, GONE_WORD, f"{GONE_WORD} hasard"]:
        response = archive.search(query, explain=True)
        shown.append(
            (query, response.as_json(), [hit.as_json() for hit in response.results], response.suggestion)
        )
    # A wildcard keeps its most frequent words: counted among the live articles.
    narrow = ArchiveSearch.open(folder, time_budget_s=60, max_expansion=1, min_pattern_letters=2)
    for query in [f"{GONE_WORD}*", "zo*", "co*", "pa*"]:
        shown.append((query, narrow.search(query).as_json()))
    return shown


def edits(kept: list) -> list[list]:
    """Four builds' worth of changes: texts edited, articles removed, added, retitled."""
    steps = []
    kept = copy.deepcopy(kept)
    for document in kept[3:9]:
        document.body += " zorglub hasard confiance"
    for document in kept:
        if document.url in ("article-20/", "article-21/", "article-40/"):
            document.body += f" {GONE_WORD}"
    steps.append(copy.deepcopy(kept))
    kept = [d for d in kept if d.url not in ("article-20/", "article-21/", "article-40/")]
    steps.append(copy.deepcopy(kept))
    extra = documents(90)[80:]
    for document in extra:
        document.body += " œuvre œuvre rencontre"
    kept = kept + extra
    steps.append(copy.deepcopy(kept))
    for document in kept[::7]:
        document.title = "Zorglub " + document.title
        document.body = document.body.replace("confiance", "")
    steps.append(copy.deepcopy(kept))
    return steps


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("live")
    updated = build_index(documents(80), tmp / "updated", {})
    pairs = []
    for number, step in enumerate(edits(documents(80))):
        update_index(updated, step, {})
        pairs.append((json.loads((updated / STATISTICS_FILE).read_text("utf-8")), step))
        full = build_index(step, tmp / f"full-{number}", {})
        pairs[-1] = (pairs[-1][0], step, all_answers(updated), all_answers(full), full)
    return pairs


def test_an_updated_index_answers_as_a_full_index_of_the_same_articles(builds):
    for _, _, updated, full, _ in builds:
        assert updated == full


def test_the_updated_index_has_deleted_versions_and_exact_lengths(builds):
    from carnet.search.indexing import open_index

    updated = builds[0][4].parent / "updated"
    with open_index(updated).reader() as reader:
        assert reader.has_deletions()
    for kept, _, _, _, full in builds:
        kept_lengths = kept["field_lengths"]
        with open_index(full).reader() as reader:
            assert not reader.has_deletions()
            expected = {name: reader.field_length(name) for name in kept_lengths}
        assert kept_lengths == expected
        # The lengths the writer counted are those the analysis gives from the stored fields.
        with open_index(full).searcher() as searcher:
            counted = dict.fromkeys(kept_lengths, 0)
            for stored in searcher.all_stored_fields():
                for name, length in field_lengths(searcher.schema, index_values(stored)).items():
                    counted[name] += length
        assert counted == expected
    assert len(builds) == 4


def long_documents(size: int) -> list:
    """Fields past 40 words, which Whoosh's one-byte lengths no longer hold exactly."""
    made = documents(size)
    for number, document in enumerate(made):
        document.body = " ".join([document.body] * (4 + number % 5))
        document.title = " ".join([document.title] * (15 + number % 3))
    return made


def test_merged_segments_score_as_a_full_index(tmp_path):
    """Additions one build at a time: Whoosh merges the small segments, with nothing deleted,
    and adds up their approximate lengths; the exact ones kept beside the index are used."""
    from carnet.search.indexing import open_index

    pool = long_documents(60)
    folder = build_index(pool[:50], tmp_path / "updated", {})
    merged = False
    for end in range(51, 61):
        update_index(folder, pool[:end], {})
        with open_index(folder).reader() as reader:
            segments = [count for _, count in reader.leaf_readers()]
            merged = merged or (not reader.has_deletions() and len(segments) < end - 49)
        full = build_index(pool[:end], tmp_path / f"full-{end}", {})
        assert all_answers(folder) == all_answers(full)
    assert merged  # Whoosh did merge segments along the way


def test_without_deletions_the_lengths_kept_are_whooshs_sums(tmp_path):
    """A full index: the file holds Whoosh's own sums, so its answers are Whoosh's own."""
    folder = build_index(documents(40), tmp_path / "full", {})
    with_file = all_answers(folder)
    (folder / STATISTICS_FILE).unlink()  # an index written before the file: Whoosh's statistics
    assert all_answers(folder) == with_file


@pytest.mark.parametrize(
    "damaged", ["{not json", '{"field_lengths": {}}', '{"field_lengths": {"body": 5}}', None]
)
def test_an_updated_index_without_its_lengths_is_built_again(tmp_path, damaged):
    from carnet.search.indexing import can_update

    folder = build_index(documents(30), tmp_path / "index", {})
    assert can_update(folder)
    update_index(folder, documents(30)[:-1], {})  # a deletion
    assert can_update(folder)
    if damaged is None:
        (folder / STATISTICS_FILE).unlink()
    else:
        (folder / STATISTICS_FILE).write_text(damaged, "utf-8")
    assert not can_update(folder)  # the build makes a full index instead
    fresh = build_index(documents(30), tmp_path / "fresh", {})
    (fresh / STATISTICS_FILE).write_text(damaged or "{}", "utf-8")
    assert can_update(fresh)  # nothing deleted: Whoosh's sums are exact, the file is made again
