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


def all_answers(folder) -> list:
    archive = ArchiveSearch.open(folder, time_budget_s=60)
    shown = answers(archive)
    for query in MORE_QUERIES:
        response = archive.search(query, explain=True)
        shown.append(
            (query, response.as_json(), [hit.as_json() for hit in response.results], response.suggestion)
        )
    return shown


def edits(kept: list) -> list[list]:
    """Four builds' worth of changes: texts edited, articles removed, added, retitled."""
    steps = []
    kept = copy.deepcopy(kept)
    for document in kept[3:9]:
        document.body += " zorglub hasard confiance"
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


def test_without_deletions_the_scores_are_whooshs_own(tmp_path):
    """A full index: Whoosh's statistics, untouched (the file's lengths are its sums)."""
    folder = build_index(documents(40), tmp_path / "full", {})
    (folder / STATISTICS_FILE).unlink()  # an index written before the file: the same answers
    before = all_answers(folder)
    build_index(documents(40), folder, {})
    assert all_answers(folder) == before
