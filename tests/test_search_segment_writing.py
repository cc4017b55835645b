"""The full index's cheaper path (carnet/search/segment_writing.py) writes what Whoosh's own
writer writes: the same segment files, byte for byte, and so the same answers to the bench's
queries, the judged ones and hostile ones, on a generated archive with tags, résumés,
authors and dates."""

import re
from pathlib import Path

import pytest
from whoosh import index

from carnet.bench.measure import QUERIES as BENCH_QUERIES
from carnet.bench.relevance import JUDGED, planted_documents, tag_map_forms, tag_names
from carnet.search.documents import word_counts
from carnet.search.indexing import (
    INDEX_NAME,
    WRITER_OPTIONS,
    analyse_ahead,
    build_index,
    write_companions,
)
from carnet.search.live_statistics import save_lengths, scored_fields
from carnet.search.querying import ArchiveSearch
from carnet.search.schema import build_schema
from carnet.search.segment_writing import TermPool
from tests.test_hostile_load import HOSTILE

ARTICLES = 300


def whoosh_own_index(documents, folder: Path, names: dict, forms: dict) -> Path:
    """The index as Whoosh's writer alone makes it: every posting through its pool."""
    folder.mkdir()
    built = index.create_in(str(folder), build_schema(), indexname=INDEX_NAME)
    with built.writer(**WRITER_OPTIONS) as writer:
        for document in documents:
            writer.add_document(**document.fields())
    write_companions(folder, documents, names, word_counts(documents), forms)
    with built.reader() as reader:  # Whoosh's own sums of the fields' lengths
        save_lengths(folder, {name: reader.field_length(name) for name in scored_fields(built.schema)})
    return folder


def segment_files(folder: Path) -> dict[str, bytes]:
    """Each file of the index by its name without the segment's random id. (The table of
    contents differs between two builds by Whoosh alone too: it is left out.)"""
    files = {}
    for path in folder.iterdir():
        if path.suffix == ".toc" or path.name.endswith("WRITELOCK"):
            continue
        files[re.sub(r"^carnet_\w+\.", "carnet_segment.", path.name)] = path.read_bytes()
    return files


@pytest.fixture(scope="module")
def archive():
    forms = tag_map_forms()
    return planted_documents(ARTICLES), tag_names(forms), {key: list(w) for key, w in forms.items()}


@pytest.fixture(scope="module")
def indexes(archive, tmp_path_factory):
    documents, names, forms = archive
    scratch = tmp_path_factory.mktemp("segments")
    reference = whoosh_own_index(documents, scratch / "whoosh", names, forms)
    cheaper = build_index(documents, scratch / "cheaper", names, tag_forms=forms)
    return reference, cheaper


def test_the_segment_files_are_whooshs_byte_for_byte(indexes):
    reference, cheaper = indexes
    expected = segment_files(reference)
    assert {".pst", ".trm"} <= {Path(name).suffix for name in expected}
    assert segment_files(cheaper) == expected


def test_texts_analysed_ahead_give_the_same_files(archive, indexes, tmp_path):
    """The build's second process analyses texts as Pelican reads them, then builds."""
    documents, names, forms = archive
    schema = build_schema()
    analysed: dict = {}
    for document in documents[::2]:  # some texts known ahead, the others analysed at once
        for fieldname in ("title", "resume", "body"):
            analyse_ahead(schema, analysed, fieldname, getattr(document, fieldname))
    folder = build_index(documents, tmp_path / "ahead", names, analysed, forms)
    assert segment_files(folder) == segment_files(indexes[0])


def answers(folder: Path) -> list:
    archive = ArchiveSearch.open(folder, time_budget_s=60)
    shown = []
    for query in [*BENCH_QUERIES, *(judged.query for judged in JUDGED), *HOSTILE]:
        for page in (1, 2):
            response = archive.search(query, page=page, page_size=5, explain=True)
            answer = response.as_json()
            answer["results"] = [hit.as_json() for hit in response.results]  # with explain
            shown.append((query, page, answer))
    return shown


def test_the_answers_are_the_same(indexes):
    reference, cheaper = indexes
    expected = answers(reference)
    assert sum(answer["total"] > 5 for _, _, answer in expected) > 10  # second pages are seen
    assert answers(cheaper) == expected


def test_postings_out_of_order_are_sorted_as_whooshs_pool_sorts_them():
    """A field that gave a term twice for one document (none of ours does) still writes
    its postings in Whoosh's order: by document, weight, then value."""
    pool = TermPool()
    pool.add_field("f", 0, [(b"a", 1, 2.0, b"x")], 1.0, True)
    pool.add_field("f", 2, [(b"a", 1, 1.0, None), (b"b", 2, 1.0, b"y")], 1.0, True)
    pool.add_field("f", 2, [(b"a", 1, 0.5, b"z")], 1.0, True)
    pool.add_field("f", 1, [(b"a", 3, 3.0, b"w")], 2.0, False)
    assert not pool.in_order
    whooshs = sorted([(0, 2.0, b"x"), (2, 1.0, b""), (2, 0.5, b"z"), (1, 6.0, b"w")])
    assert pool.postings("f", b"a") == tuple(list(column) for column in zip(*whooshs, strict=True))
