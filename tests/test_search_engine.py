"""The search engine's own machinery, against Whoosh's: the indexing analyzer gives
the same terms as the query pipeline, the index opens with Whoosh alone, totals and
facets count every match, whatever the segments."""

import json
import re
import subprocess
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carnet.search.analysis import IndexingAnalyzer, french_analyzer
from carnet.search.documents import SearchDocument
from carnet.search.indexing import build_index, update_index
from carnet.search.querying import ArchiveSearch

WORDS = [
    *["formation", "formations", "former", "formé", "confiance", "confiant", "partenaire", "partenariat"],
    *[
        "été",
        "où",
        "sûr",
        "œuvre",
        "cœur",
        "acheteur",
        "achats",
        "référencement",
        "savoir-être",
        "client",
        "clients",
    ],
    *["rencontre", "hasard", "de", "la", "le", "les", "et", "des", "un", "une", "pour"],
]


def token_stream(analyzer, text, **options):
    return [
        (token.text, token.pos, token.startchar, token.endchar, token.boost)
        for token in analyzer(text, mode="index", positions=True, chars=True, boosts=True, **options)
        if not token.stopped
    ]


@settings(max_examples=300, deadline=None)
@given(
    text=st.lists(
        st.sampled_from([*"aeéèêiîoôuùûcçœæ' -.,;:!?’«»0123456789\n", "Été", "ŒUVRE", "d’", *WORDS]),
        max_size=80,
    ).map("".join),
    start=st.integers(min_value=0, max_value=50),
)
def test_indexing_analyzer_gives_the_pipelines_tokens(text, start):
    expected = token_stream(french_analyzer(), text, start_pos=start, start_char=start)
    assert token_stream(IndexingAnalyzer(), text, start_pos=start, start_char=start) == expected


def test_indexing_analyzer_on_real_articles():
    for path in sorted(Path("content/articles").glob("*.md")):
        text = path.read_text("utf-8")
        assert token_stream(IndexingAnalyzer(), text) == token_stream(french_analyzer(), text), path


def corpus(size: int) -> list[SearchDocument]:
    documents = []
    for number in range(size):
        words = [WORDS[(number * 7 + k * k) % len(WORDS)] for k in range(12 + number % 9)]
        tags = [["partenariat"], ["achats", "savoir-etre"], []][number % 3]
        documents.append(
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
    return documents


def test_the_index_opens_with_whoosh_alone(tmp_path):
    folder = build_index(corpus(20), tmp_path / "index", {})
    code = (
        "import sys; from whoosh import index; from whoosh.qparser import QueryParser\n"
        "ix = index.open_dir(sys.argv[1], indexname='carnet')\n"
        "with ix.searcher() as s: print(len(s.search(QueryParser('body', ix.schema).parse('formations'))))"
    )
    # -I: no current folder on the path, so the project's modules cannot be imported.
    done = subprocess.run(
        [sys.executable, "-I", "-c", code, str(folder)], capture_output=True, text=True, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    expected = sum("formation" in plain_words(document.body) for document in corpus(20))
    assert int(done.stdout) == expected > 0


@dataclass
class Segmented:
    archive: ArchiveSearch
    documents: list[SearchDocument]  # what the index holds now, as plain Python


@pytest.fixture(scope="module")
def segmented(tmp_path_factory) -> Segmented:
    """An index of three segments with deletions, as after incremental builds."""
    documents = corpus(60)
    folder = build_index(documents, tmp_path_factory.mktemp("segments") / "index", {})
    for round_ in range(2):
        for document in documents[round_ * 9 : round_ * 9 + 6]:
            document.body += " confiance partenaire"
        documents = [d for d in documents if d.url != f"article-{50 + round_}/"]
        update_index(folder, documents, {})
    archive = ArchiveSearch.open(folder)
    assert len(archive.searcher().subsearchers) > 1
    return Segmented(archive, documents)


# The oracle's French, written by hand for the words of WORDS: the function words a search
# ignores, and the forms that are one word for a reader (plural, past participle).
STOP_WORDS = {"de", "la", "le", "les", "et", "des", "un", "une", "pour"}
SAME_WORD = {"formations": "formation", "forme": "former", "clients": "client"}


def plain_words(text: str) -> list[str]:
    """The words of `text` as the oracle compares them: lowercase, no accents, one form
    per word, function words left out."""
    bare = "".join(c for c in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(c))
    words = re.findall(r"\w+", bare.replace("œ", "oe"))
    return [SAME_WORD.get(word, word) for word in words if word not in STOP_WORDS]


def holds(document: SearchDocument, typed: str) -> bool:
    """Whether one typed word, prefix (« form* ») or phrase is in one of the searched fields."""
    fields = [document.title, document.resume, " ; ".join(document.tags), document.body]
    for text in map(plain_words, fields):
        if typed.endswith("*"):
            if any(word.startswith(typed[:-1]) for word in text):
                return True
            continue
        wanted = plain_words(typed)
        if any(text[start : start + len(wanted)] == wanted for start in range(len(text))):
            return True
    return False


def brute_force(documents: list[SearchDocument], raw: str):
    """Total and facets counted over the documents themselves, every word required."""
    typed = re.findall(r'-?"[^"]*"|\S+', raw)
    wanted = [word.strip('"') for word in typed if not word.startswith("-") and plain_words(word)]
    excluded = [word[1:].strip('"') for word in typed if word.startswith("-")]
    if not wanted:  # nothing searchable: the search answers with nothing
        return 0, {}, {}
    found = [
        document
        for document in documents
        if all(holds(document, word) for word in wanted)
        and not any(holds(document, word) for word in excluded)
    ]
    tags = Counter(key for document in found for key in document.tag_keys)
    years = Counter(document.date.year if document.date else None for document in found)
    return len(found), dict(tags), dict(years)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    words=st.lists(
        st.sampled_from([*WORDS, "form*", "conf*", "-formation", "-client", '"pour formation"']),
        min_size=1,
        max_size=3,
    )
)
def test_totals_and_facets_count_every_match(segmented, words):
    raw = " ".join(words)
    response = segmented.archive.search(raw)
    if response.any_word:
        return  # the fallback to any word has its own tests
    total, tags, years = brute_force(segmented.documents, raw)
    assert response.total == total
    assert {facet["key"]: facet["count"] for facet in response.facets["tags"]} == tags
    assert {facet["year"]: facet["count"] for facet in response.facets["years"]} == years


def test_snippets_mark_the_words_found_and_only_them(segmented):
    response = segmented.archive.search("formations", page_size=50)
    assert len(response.results) == brute_force(segmented.documents, "formations")[0] > 0
    for hit in response.results:
        marked = re.findall(r"<mark[^>]*>(.*?)</mark>", hit.snippet)
        assert marked, hit
        # « formations » and « formation » are one term; « former », « formé » are another.
        assert {word.lower() for word in marked} <= {"formation", "formations"}, hit.snippet


def test_a_page_past_the_last_shows_the_last(segmented):
    everything = segmented.archive.search("formations", page_size=50)
    last = -(-everything.total // 5)
    past = segmented.archive.search("formations", page=last + 3, page_size=5)
    assert past.page == last
    assert [hit.url for hit in past.results] == [hit.url for hit in everything.results][(last - 1) * 5 :]


def test_an_empty_archive_answers_without_suggestion(tmp_path):
    archive = ArchiveSearch.open(build_index([], tmp_path / "index", {}))
    response = archive.search("zzzyxw formation")
    assert json.loads(json.dumps(response.as_json())) == {
        "query": "zzzyxw formation",
        "total": 0,
        "results": [],
        "suggestion": None,
        "facets": {"tags": [], "years": []},
        "notices": [],
    }


def test_reading_a_hit_needs_no_pelican(tmp_path):
    """Articles carry Pelican's SafeDatetime; the index stores a plain datetime, so that the
    service's first search does not import Pelican (a quarter of a second) to read a date."""
    from pelican.utils import SafeDatetime

    written = SafeDatetime(2012, 3, 4, 5, 6, 7)
    document = SearchDocument(url="a/", title="Tarte au riz", body="La tarte au riz.", date=written)
    folder = build_index([document], tmp_path / "index", {})
    code = (
        "import sys; from carnet.search.querying import ArchiveSearch;"
        f"[hit] = ArchiveSearch.open({str(folder)!r}).search('tarte').results;"
        "print(repr(hit.date), 'pelican' in sys.modules)"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert shown.stdout.split() == ["'2012-03-04'", "False"]
