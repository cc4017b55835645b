"""The full index analysed, then its postings encoded, on two cores (carnet/search/
forked_analysis.py, postings_blocks.py): the same files as one process writes, and a second
process that fails fails the index, leaving no process."""

import dataclasses
import os

import pytest

from carnet.bench.relevance import planted_documents, tag_map_forms, tag_names
from carnet.search import forked_analysis, postings_blocks
from carnet.search.indexing import build_index, load_vocabulary
from carnet.search.segment_writing import TermPool
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


def test_a_second_process_whose_articles_have_no_words_writes_what_one_writes(archive, tmp_path, monkeypatch):
    """Its postings come back empty, with no term to cut them at."""
    documents, names, forms = archive
    split = len(documents) - int(len(documents) * forked_analysis.CHILD_SHARE)
    wordless = [
        dataclasses.replace(d, title="", resume="", body="", tags=[], tag_keys=[], tag_terms=[])
        for d in documents[split:]
    ]
    documents = documents[:split] + wordless
    forked = build_index(documents, tmp_path / "forked", names, tag_forms=forms)
    monkeypatch.setattr(forked_analysis, "FORK_FROM", len(documents) + 1)
    alone = build_index(documents, tmp_path / "alone", names, tag_forms=forms)
    assert segment_files(forked) == segment_files(alone)


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


def test_a_second_process_that_fails_while_writing_fails_the_index(archive, tmp_path, monkeypatch):
    """The postings' second run is encoded by a forked copy of the writing process, which
    alone spills it to the file they share (postings_blocks.py)."""
    documents, names, forms = archive

    def broken(run, spill):
        raise MemoryError("the second process ran out of memory")

    monkeypatch.setattr(postings_blocks.EncodedRun, "spilled", broken)
    children = set(children_of(os.getpid()))
    with pytest.raises(RuntimeError, match="le second processus d’écriture a échoué"):
        build_index(documents, tmp_path / "broken", names, tag_forms=forms)
    assert set(children_of(os.getpid())) == children


def test_postings_cut_in_two_runs_merge_back_to_the_same_pool():
    one, first_part, later_part = TermPool(), TermPool(), TermPool()
    postings = [
        ("body", 0, b"b"),
        ("body", 0, b"a"),
        ("title", 1, b"a"),
        ("body", 2, b"a"),
        ("body", 3, b"c"),
    ]
    for fieldname, docnum, term in postings:
        item = [(term, 1, 1.0, bytes([docnum]))]
        one.add_field(fieldname, docnum, item, 2.0, True)
        (first_part if docnum < 2 else later_part).add_field(fieldname, docnum, item, 2.0, True)
    assert one.terms() == [("body", b"a"), ("body", b"b"), ("body", b"c"), ("title", b"a")]
    start = later_part.work_split(0.5)
    assert start in later_part.terms()
    first_run, second_run = later_part.runs(start)
    first_part.merge(first_run)
    first_part.merge(second_run)
    assert first_part.fields == one.fields
    assert first_part.terms(end=start) + first_part.terms(start) == one.terms()
    assert TermPool().work_split(0.5) is None


def children_of(parent: int) -> list[int]:
    path = f"/proc/{parent}/task/{parent}/children"
    with open(path) as listing:
        return [int(pid) for pid in listing.read().split()]
