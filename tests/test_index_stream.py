"""The index analysed while Pelican reads the articles (large archives) is the index
built at the end, and a build that fails leaves no index process behind."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from whoosh import index

from carnet.bench.corpus import write_corpus
from carnet.bench.measure import children_of
from carnet.bench.run import tag_forms
from carnet.builds.runner import run_pelican
from carnet.search.analysis import IndexingAnalyzer
from carnet.search.documents import SearchDocument
from carnet.search.indexing import INDEX_NAME, analyse_ahead, build_index
from carnet.search.querying import ArchiveSearch
from carnet.search.schema import build_schema
from tests.project import INVOKE, ROOT, fingerprint, project_copy, run
from tests.sitebuild import article, build_test_site

QUERIES = ["confiance", "partenariat -client", "tag:partnership", '"le client"', "form*", "fidélisation"]


def content_with_corpus(base: Path, articles: int = 40) -> Path:
    content = base / "content"
    shutil.copytree(ROOT / "content", content)
    write_corpus(base / "generated", articles, 5, tag_forms(), {})
    (base / "generated" / "articles").rename(content / "articles" / "generated")
    # Read first, it links to an article read after it: the link is filled in at the end.
    (content / "articles" / "aaa-lien.md").write_text(
        article(
            "Un lien en avance",
            "Voir [perdre des clients]({filename}/articles/perdre-des-clients.md) pour la suite.",
            Tags="partenariat",
        ),
        "utf-8",
    )
    return content


def every_posting(matcher) -> list:
    found = []
    while matcher.is_active():
        found.append((matcher.id(), matcher.value()))
        matcher.next()
    return found


def postings(folder: Path) -> dict:
    """Every term of every field with its postings (document, raw value), and the stored fields."""
    with index.open_dir(str(folder), indexname=INDEX_NAME).searcher() as searcher:
        reader = searcher.reader()
        terms = {
            (name, text): every_posting(reader.postings(name, text)) for name, text in reader.all_terms()
        }
        return {"terms": terms, "stored": list(reader.all_stored_fields())}


def test_the_streamed_index_is_the_index_built_at_the_end(tmp_path):
    content = content_with_corpus(tmp_path)
    streamed = build_test_site(tmp_path / "streamed", content, SEARCH_BACKGROUND_FROM=1)
    at_the_end = build_test_site(tmp_path / "at-the-end", content, SEARCH_BACKGROUND_FROM=10**9)
    assert postings(streamed.index) == postings(at_the_end.index)
    for name in ("vocabulary.json", "tag-names.json", "tag-labels.json", "documents.json"):
        assert (streamed.index / name).read_bytes() == (at_the_end.index / name).read_bytes(), name
    one, other = ArchiveSearch.open(streamed.index), ArchiveSearch.open(at_the_end.index)
    for query in QUERIES:
        assert one.search(query).as_json() == other.search(query).as_json(), query
    assert one.search("confiance").total > 5
    page = streamed.html("un-lien-en-avance/index.html")
    assert page.select_one('a[href$="/perdre-des-clients/"]') is not None


def test_texts_analysed_ahead_are_not_analysed_again(tmp_path, monkeypatch):
    documents = [
        SearchDocument(url=f"a{n}/", title=f"Titre {n} partenariat", body=f"Le client numéro {n} revient")
        for n in range(5)
    ]
    schema, analysed = build_schema(), {}
    for document in documents:
        analyse_ahead(schema, analysed, "body", document.body)
    seen = []
    analyse, places = IndexingAnalyzer.__call__, IndexingAnalyzer.term_places
    monkeypatch.setattr(
        IndexingAnalyzer, "__call__", lambda self, value, **o: seen.append(value) or analyse(self, value, **o)
    )
    # The full index's own way in (carnet/search/segment_writing.py)
    monkeypatch.setattr(
        IndexingAnalyzer, "term_places", lambda self, text, c: seen.append(text) or places(self, text, c)
    )
    build_index(documents, tmp_path / "index", {}, analysed)
    assert not {document.body for document in documents} & set(seen)
    assert {document.title for document in documents} <= set(seen)  # not analysed ahead: analysed here
    assert ArchiveSearch.open(tmp_path / "index").search("revient").total == 5


def test_a_failed_build_stops_its_index_process_before_the_folder_goes(tmp_path):
    # Enough articles that the index process is still at work when the first page fails.
    content = content_with_corpus(tmp_path, articles=300)
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    break_the_article_template(tmp_path)
    build = tmp_path / "build"
    build.mkdir()
    overrides = {"PATH": str(content), "THEME": str(theme), "SEARCH_BACKGROUND_FROM": 1}
    with pytest.raises(Exception, match="division by zero"):
        run_pelican(ROOT / "pelicanconf.py", build, overrides=overrides)
    # This process is still alive: only the failure signal can have stopped it.
    assert index_processes_of(os.getpid()) == []


def index_processes_of(parent: int) -> list[int]:
    return [
        pid
        for pid in children_of(parent)
        if "search.indexing" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    ]


def index_processes(project: Path) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if "search.indexing" in command and str(project) in command:
                found.append(int(entry.name))
    return found


def break_an_article(project: Path) -> None:
    """Fails from the articles' reading on (a broken article alone is only held back: the tag
    map that every article resolves through is broken instead)."""
    (project / "content/tagmap.toml").write_text('[tags.x]\ngroup = "inconnu"\nfr = "X"\nen = "x"\n', "utf-8")


def break_the_article_template(project: Path) -> None:
    """Fails while the pages are written: the index process has had the final documents."""
    template = project / "theme/templates/article.html"
    text = template.read_text("utf-8")
    template.write_text(
        text.replace("{{ article.title", "{{ (article.title | length) / 0 }}{{ article.title"), "utf-8"
    )


@pytest.fixture(scope="module")
def large_project(tmp_path_factory):
    base = tmp_path_factory.mktemp("large")
    project = project_copy(base)
    # More articles than SEARCH_BACKGROUND_FROM: the index is analysed while they are read.
    write_corpus(base / "generated", 300, 5, tag_forms(), {})
    (base / "generated" / "articles").rename(project / "content" / "articles" / "generated")
    assert run([*INVOKE, "build"], project).returncode == 0
    assert ArchiveSearch.open(project / "search-index").search("partenariat").total > 0
    return project


@pytest.mark.parametrize("breakage", [break_an_article, break_the_article_template])
def test_a_failed_build_leaves_no_index_process_and_nothing_changed(large_project, tmp_path, breakage):
    project = tmp_path / "projet"
    shutil.copytree(large_project, project, symlinks=True)
    before = fingerprint(project)
    builds = sorted(os.listdir(project / ".site/builds"))
    breakage(project)
    # Output to files, not pipes: a leftover process holding a pipe would make the wait
    # last as long as it does, and the check below would come too late to see it.
    with open(tmp_path / "build.log", "wb") as log:
        build = subprocess.Popen([*INVOKE, "build", "--full"], cwd=project, stdout=log, stderr=log)
        assert build.wait(timeout=120) == 1
    assert index_processes(project) == []
    assert fingerprint(project) == before
    assert sorted(os.listdir(project / ".site/builds")) == builds
