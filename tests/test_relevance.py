"""Judged relevance (carnet/bench/relevance.py): 60 queries a reader would type, in French
and English, over the carnet's five articles and a generated archive with planted
articles. Prints MRR and nDCG@5, and fails below the thresholds."""

import pytest

from carnet.bench.relevance import (
    CARNET,
    GENERATED,
    JUDGED,
    THRESHOLDS,
    build_planted_index,
    judge,
    ndcg_at,
    reciprocal_rank,
)
from carnet.search.querying import ArchiveSearch


@pytest.fixture(scope="module")
def report(site, tmp_path_factory):
    searches = {
        CARNET: ArchiveSearch.open(site.index),
        GENERATED: ArchiveSearch.open(build_planted_index(tmp_path_factory.mktemp("planted") / "index")),
    }
    return judge(searches)


@pytest.fixture
def say(capsys):
    """Lines written to the test run's output, even when pytest captures it."""

    def write(line: str) -> None:
        with capsys.disabled():
            print(line)

    return write


def test_the_judged_set_is_large_and_varied():
    assert len(JUDGED) >= 40
    kinds = {item.kind for item in JUDGED}
    assert {"anglais", "expression", "flexion", "faute", "filtre", "guillemets", "alias"} <= kinds
    assert {item.archive for item in JUDGED} == {CARNET, GENERATED}


def test_ranking_meets_the_thresholds(report, say):
    say("")
    for line in report.lines():
        say("pertinence : " + line)
    assert report.mrr >= THRESHOLDS["mrr"], report.lines()
    assert report.ndcg5 >= THRESHOLDS["ndcg5"], report.lines()


def test_every_judged_query_finds_its_best_articles(report):
    """Beyond the averages: each article « about » the query (grade 2) is found."""
    missed = [
        (outcome.judged.query, url)
        for outcome in report.outcomes
        for url, grade in outcome.judged.grades.items()
        if grade == 2 and url not in outcome.urls
    ]
    assert not missed


def test_figures_for_the_bench(report):
    figures = report.figures()
    assert figures["queries"] == len(JUDGED)
    assert set(figures["by_archive"]) == {CARNET, GENERATED}
    assert figures["mrr"] == round(report.mrr, 4)
    assert figures["ndcg5"] == round(report.ndcg5, 4)


def test_metrics_by_hand():
    grades = {"b": 2, "c": 1}
    assert reciprocal_rank(["a", "b", "c"], grades) == 0.5
    assert reciprocal_rank(["x"], grades) == 0
    # DCG (2²-1)/log2(3) + (2¹-1)/log2(4) = 1.8928 + 0.5; ideal 3/1 + 1/log2(3) = 3.6309
    assert ndcg_at(["a", "b", "c"], grades) == pytest.approx(2.3928 / 3.6309, abs=1e-4)
    assert ndcg_at(["b", "c"], grades) == 1
    # Beyond the fifth place, a relevant article adds nothing.
    assert ndcg_at(["1", "2", "3", "4", "5", "b"], grades) == 0
