"""A reader's words, in either language, find what the archive says (issue 18):
a tag's label or alias in the query also searches the tag's other names, in the
text, below the reader's own words; quotes keep the exact words; suggestions know
the tag map; equal scores follow a stated rule; --explain tells why."""

import json
import re
from datetime import datetime
from urllib.parse import quote

import pytest

from carnet.bench.relevance import (
    BUYERS,
    LOSING,
    PARTNER,
    SOFT,
    SYNCHRONICITY,
    build_planted_index,
    planted_documents,
    tag_map_forms,
    tag_names,
)
from carnet.search.analysis import fold
from carnet.search.documents import SearchDocument
from carnet.search.indexing import TAG_FORMS_FILE, build_index, update_index
from carnet.search.querying import ArchiveSearch
from carnet.service.web import SearchApp
from tests.searchserver import running

ARTICLES = [SYNCHRONICITY, PARTNER, LOSING, SOFT, BUYERS]
WIDENED = "Recherche élargie à : "


@pytest.fixture(scope="module")
def carnet(site):
    return ArchiveSearch.open(site.index)


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    return ArchiveSearch.open(build_planted_index(tmp_path_factory.mktemp("planted") / "index"))


def urls(response) -> list[str]:
    return [hit.url for hit in response.results]


def stored(archive: ArchiveSearch, url: str) -> dict:
    with archive.index.searcher() as searcher:
        return searcher.document(url=url)


def speaks_of(archive: ArchiveSearch, url: str, words: str) -> bool:
    """The article's title, résumé or text holds `words` (accents and case aside)."""
    fields = stored(archive, url)
    text = " ".join(fields.get(name, "") for name in ("title", "resume", "body"))
    return fold(words) in " ".join(fold(text).replace("-", " ").split())


def tagged(archive: ArchiveSearch, url: str, key: str) -> bool:
    return key in stored(archive, url)["tag_keys"].split(",")


def widened(response) -> list[str]:
    return [notice for notice in response.notices if notice.startswith(WIDENED)]


def test_trust_finds_every_article_that_speaks_of_confiance(carnet):
    speaking = {url for url in ARTICLES if speaks_of(carnet, url, "confiance")}
    tagged_trust = {url for url in ARTICLES if tagged(carnet, url, "confiance")}
    assert len(speaking) == 3
    assert len(tagged_trust) == 1
    response = carnet.search("trust")
    assert set(urls(response)) == speaking | tagged_trust
    assert widened(response)[0].startswith(WIDENED + "confiance (pour « trust »)")


def test_snippets_show_the_readers_words_first_then_the_other_names(carnet):
    # The partnership article has « confiance », not « trust »: its snippet shows « confiance ».
    by_url = {hit.url: hit.snippet for hit in carnet.search("trust").results}
    assert re.search(r"<mark[^>]*>confiance</mark>", by_url[PARTNER], re.IGNORECASE)
    # Its own words when the article has them, though « synchronicités » is searched too.
    snippet = carnet.search("coïncidences").results[0].snippet
    assert re.search(r"<mark[^>]*>([^<]*)</mark>", snippet).group(1) == "coïncidences"


def test_quotes_keep_the_exact_word(carnet, planted):
    response = carnet.search('"trust"')
    assert set(urls(response)) == {url for url in ARTICLES if tagged(carnet, url, "confiance")}
    assert not widened(response)
    # The planted article speaks of « bouche à oreille » and is not tagged with it.
    assert "plante-bouche/" in urls(planted.search("word of mouth"))
    assert "plante-bouche/" not in urls(planted.search('"word of mouth"'))


def test_the_readers_own_words_weigh_more_than_the_other_names(carnet):
    """The partnership article speaks of « confiance » and is not tagged Confiance."""
    assert not tagged(carnet, PARTNER, "confiance")
    typed = {hit.url: hit.score for hit in carnet.search("confiance").results}
    expanded = {hit.url: hit.score for hit in carnet.search("trust").results}
    assert 0 < expanded[PARTNER] < typed[PARTNER]


def test_soft_skills_ranks_the_article_about_them_first(carnet):
    response = carnet.search("soft skills")
    assert urls(response)[:2] == [SOFT, LOSING]
    assert response.results[0].score > response.results[1].score
    assert speaks_of(carnet, SOFT, "compétences non techniques")
    assert not speaks_of(carnet, LOSING, "compétences non techniques")


def test_word_of_mouth_finds_what_speaks_of_bouche_a_oreille(carnet, planted):
    assert urls(carnet.search("word of mouth"))[0] == SYNCHRONICITY
    assert speaks_of(carnet, SYNCHRONICITY, "bouche à oreille")
    response = planted.search("word of mouth")
    assert urls(response)[0] == "plante-bouche/"
    assert "bouche-à-oreille, recommandation (pour « word of mouth »)" in widened(response)[0]


def test_a_run_of_words_expands_inside_a_longer_query(planted):
    """« canal » and « word of mouth » together: only the planted article has both, in French."""
    response = planted.search("premier canal word of mouth")
    assert urls(response)[0] == "plante-bouche/"
    assert not response.any_word


def test_excluding_trust_excludes_confiance(carnet):
    every = urls(carnet.search("clients"))
    kept = urls(carnet.search("clients -trust"))
    expected = [
        url
        for url in every
        if not speaks_of(carnet, url, "confiance") and not tagged(carnet, url, "confiance")
    ]
    assert kept == expected
    assert len(expected) < len(every)
    notices = carnet.search("clients -trust").notices
    assert any(n.startswith("Exclusion élargie à : confiance (pour « trust »)") for n in notices)
    assert any('-"trust"' in n for n in notices)


def test_hyphenated_labels_and_french_inflections_expand(carnet, planted):
    assert urls(carnet.search("savoir-être"))[0] == SOFT
    assert widened(carnet.search("savoir-être"))
    # « acheteur » is not a form of the map; « acheteurs » is, and the index stems them alike.
    assert urls(planted.search("acheteur"))[0] == "plante-achats/"


def test_wildcards_and_the_time_budget_still_apply(site):
    budgetless = ArchiveSearch.open(site.index, time_budget_s=0.0)
    response = budgetless.search("trust")
    assert any("trop de temps" in notice for notice in response.notices)
    # A wildcard is the reader's syntax: not a tag's name, not expanded, still bounded.
    archive = ArchiveSearch.open(site.index, min_pattern_letters=3)
    response = archive.search("tr*")
    assert not widened(response)
    assert any("au moins" in notice for notice in response.notices)


def test_suggestions_know_the_tag_map_in_both_languages(carnet):
    assert carnet.search("procurment").suggestion == "procurement"
    assert carnet.search("purchasng").suggestion == "purchasing"
    assert carnet.search("suplier listing").suggestion == "supplier listing"


def test_equal_scores_are_ordered_by_date_then_address(tmp_path):
    same = {"title": "Une rencontre", "body": "Une rencontre ordinaire au marché."}
    documents = [
        SearchDocument(url="d/", **same),
        SearchDocument(url="b/", date=datetime(2015, 3, 1), **same),
        SearchDocument(url="c/", date=datetime(2020, 1, 1), **same),
        SearchDocument(url="a/", date=datetime(2015, 3, 1), **same),
    ]
    folder = build_index(documents[:2], tmp_path / "index", {})
    update_index(folder, documents, {})  # two segments: index order is not the rule
    response = ArchiveSearch.open(folder).search("rencontre")
    assert len({hit.score for hit in response.results}) == 1
    assert urls(response) == ["c/", "a/", "b/", "d/"]
    # The same on the second page boundary: the rule, not the order met.
    assert urls(ArchiveSearch.open(folder).search("rencontre", page=2, page_size=3)) == ["d/"]


def test_explain_says_which_words_in_which_fields(carnet):
    response = carnet.search("trust", explain=True)
    for hit in response.results:
        assert hit.explain
        assert sum(part["score"] for part in hit.explain) == pytest.approx(hit.score, abs=1e-3)
    by_url = {hit.url: hit.explain for hit in response.results}
    assert {(p["field"], p["word"], p["expanded"]) for p in by_url[PARTNER]} <= {
        ("titre", "Confiance", True),
        ("résumé", "Confiance", True),
        ("texte", "Confiance", True),
    }
    assert ("étiquettes", "trust", False) in {(p["field"], p["word"], p["expanded"]) for p in by_url[SOFT]}
    assert "explain" not in carnet.search("trust").as_json()["results"][0]


def test_explain_on_the_json_endpoint(site):
    with running(SearchApp(site.output, site.index)) as request:
        plain = json.loads(request("/search.json?q=" + quote("word of mouth")).text)
        explained = json.loads(request("/search.json?explain=1&q=" + quote("word of mouth")).text)
    assert "explain" not in plain["results"][0]
    assert explained["results"][0]["url"] == SYNCHRONICITY
    assert {"field", "word", "score", "expanded"} == set(explained["results"][0]["explain"][0])
    assert any(notice.startswith(WIDENED) for notice in explained["notices"])


def test_an_incremental_update_writes_the_tag_forms_of_a_full_build(tmp_path):
    documents = planted_documents(40)
    forms = {key: list(written) for key, written in tag_map_forms().items()}
    names = tag_names(tag_map_forms())
    step = build_index(documents[:30], tmp_path / "step", names, tag_forms=forms)
    # A tag changes on an article already indexed, and ten articles arrive.
    documents[3].tag_keys, documents[3].tags, documents[3].tag_terms = ["achats"], ["Achats"], ["purchasing"]
    full = build_index(documents, tmp_path / "full", names, tag_forms=forms)
    update_index(step, documents, names, forms)
    assert (step / TAG_FORMS_FILE).read_bytes() == (full / TAG_FORMS_FILE).read_bytes()
    written = json.loads((full / TAG_FORMS_FILE).read_text("utf-8"))
    assert written["savoir-etre"][:2] == ["Savoir-être", "soft skills"]
