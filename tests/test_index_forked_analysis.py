"""The full index analysed on two cores (carnet/search/forked_analysis.py): the same files as
one process writes, and a second process that fails fails the index, leaving no process."""

import os

import pytest

from carnet.bench.relevance import planted_documents, tag_map_forms, tag_names
from carnet.search import forked_analysis
from carnet.search.indexing import build_index, load_vocabulary
from tests.test_search_segment_writing import segment_files

ARTICLES = 240


@pytest.fixture(scope="module")
def archive():
    forms = tag_map_forms()
    return planted_documents(ARTICLES), tag_names(forms), {key: list(w) for key, w in forms.items()}


def test_two_processes_write_what_one_writes(archive, tmp_path, monkeypatch):
    documents, names, forms = archive
    assert forked_analysis.can_fork(len(documents))
    forked = build_index(documents, tmp_path / "forked", names, tag_forms=forms)
    monkeypatch.setattr(forked_analysis, "FORK_FROM", len(documents) + 1)
    alone = build_index(documents, tmp_path / "alone", names, tag_forms=forms)
    assert segment_files(forked) == segment_files(alone)
    assert load_vocabulary(forked) == load_vocabulary(alone) != {}


def test_a_second_process_that_fails_fails_the_index(archive, tmp_path, monkeypatch):
    documents, names, forms = archive

    def broken(*args):
        raise MemoryError("the second process ran out of memory")

    # Only the forked child runs _analyse: this process goes on until it reads its answer.
    monkeypatch.setattr(forked_analysis, "_analyse", broken)
    children = set(children_of(os.getpid()))
    with pytest.raises(RuntimeError, match="le second processus d’analyse a échoué"):
        build_index(documents, tmp_path / "broken", names, tag_forms=forms)
    assert set(children_of(os.getpid())) == children  # reaped: no process left behind


def children_of(parent: int) -> list[int]:
    path = f"/proc/{parent}/task/{parent}/children"
    with open(path) as listing:
        return [int(pid) for pid in listing.read().split()]
