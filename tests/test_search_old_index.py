"""An index written by whoosh-reloaded 2.7.5, the library before whoosh3, still serves:
the current library reads it and brings it up to date, answering every query as an
index it writes itself from the same articles. (So a site built before the move needs
no `invoke build --full`.)"""

import dataclasses
import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from whoosh import index

from carnet.search.documents import SearchDocument
from carnet.search.indexing import INDEX_NAME, build_index, update_index
from carnet.search.querying import ArchiveSearch

# Written by make_fixture.py beside it, with Whoosh-Reloaded==2.7.5 installed.
FIXTURE = Path(__file__).parent / "fixtures" / "whoosh_reloaded_index"

QUERIES = [
    *["confiance", "partenaire", "tarte au riz", '"tarte au riz"', "fidél*", "riz -boucher"],
    *["tag:partnership", "confiance tag:achats", "auteur:patrick", "date:2005..2010"],
    # Any word when all of them find nothing; a did-you-mean; every article.
    *["boucher synergies", "confience", ""],
]


def fixture_articles() -> tuple[list[SearchDocument], dict[str, str]]:
    data = json.loads((FIXTURE / "articles.json").read_text("utf-8"))
    documents = [
        SearchDocument(**{**article, "date": article["date"] and datetime.fromisoformat(article["date"])})
        for article in data["articles"]
    ]
    return documents, data["tag_names"]


def answers(folder: Path) -> dict:
    search = ArchiveSearch.open(folder)
    return {
        (query, sort): dataclasses.asdict(search.search(query, page_size=50, sort=sort))
        for query in QUERIES
        for sort in ("pertinence", "date")
    }


@pytest.fixture
def old_index(tmp_path) -> Path:
    """A copy: bringing it up to date must not write into the repository."""
    return Path(shutil.copytree(FIXTURE / "search-index", tmp_path / "old"))


def test_the_fixture_was_written_by_whoosh_reloaded(old_index):
    release, format_version = index.version_in(str(old_index), indexname=INDEX_NAME)
    assert release == (2, 7, 5)
    assert format_version == index._CURRENT_TOC_VERSION


def test_an_old_index_answers_as_a_fresh_one(old_index, tmp_path):
    documents, tag_names = fixture_articles()
    fresh = build_index(documents, tmp_path / "fresh", tag_names)
    expected = answers(fresh)
    assert sum(answer["total"] for answer in expected.values()) > len(QUERIES)  # not all empty
    assert any(hit["date"] is None for hit in expected["confiance", "date"]["results"])  # undated
    assert answers(old_index) == expected


def test_an_old_index_is_brought_up_to_date_as_a_fresh_one(old_index, tmp_path):
    documents, tag_names = fixture_articles()
    fresh = build_index(documents, tmp_path / "fresh", tag_names)
    changed = dataclasses.replace(documents[0], body="Le boucher a changé de partenaire et de tarte.")
    added = SearchDocument(url="nouveau/", title="Un partenaire nouveau", body="La confiance, encore.")
    after = [changed, *documents[1:-1], added]  # one changed, one gone, one new
    assert update_index(old_index, after, tag_names) == (2, 1)
    assert update_index(fresh, after, tag_names) == (2, 1)
    assert answers(old_index) == answers(fresh)
