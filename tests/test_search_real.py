"""Search over the project's own five articles: each query must rank its article first."""

import json

import pytest

from carnet.search.querying import ArchiveSearch
from tests.project import invoke, project_copy

SYNCHRONICITY = "les-synchronicites-qui-provoquent-la-rencontre-avec-le-client/"
PARTNER = "aujourdhui-jai-rencontre-un-partenaire/"
LOSING = "perdre-des-clients/"
SOFT = "vos-competences-non-techniques-comptent-autant-que-vos-competences-techniques/"
BUYERS = "quen-est-il-de-la-fidelisation-dans-le-be-to-be/"

FIRST = {
    # French, with and without accents, any case
    "ces coïncidences": SYNCHRONICITY,
    "coincidences": SYNCHRONICITY,
    "COÏNCIDENCES": SYNCHRONICITY,
    "synchronicité": SYNCHRONICITY,
    "bouche à oreille": SYNCHRONICITY,
    "la tarte au riz": PARTNER,
    '"tarte au riz"': PARTNER,
    "partenariat": PARTNER,
    "partenaire": PARTNER,
    "fideliser": BUYERS,
    "fidélisation": BUYERS,
    "acheteurs": BUYERS,
    "référencement": BUYERS,
    "referencement": BUYERS,
    "Maya Angelou": SOFT,
    "compétences non techniques": SOFT,
    "competences techniques": SOFT,
    "déclic": LOSING,
    "perdre des clients": LOSING,
    "vérité coach": LOSING,
    # English tag labels
    "synchronicity": SYNCHRONICITY,
    "partnership": PARTNER,
    "procurement": BUYERS,
    # filters
    "auteur:patrick": BUYERS,
    "author:bwow": PARTNER,
    "date:2009": SYNCHRONICITY,
    "tag:partnership": PARTNER,
}


@pytest.fixture(scope="module")
def archive(site):
    return ArchiveSearch.open(site.index)


@pytest.mark.parametrize(("query", "url"), FIRST.items())
def test_query_ranks_its_article_first(archive, query, url):
    response = archive.search(query)
    assert response.results, query
    assert response.results[0].url == url, [hit.url for hit in response.results]


def test_soft_skills_finds_the_soft_skills_articles(archive):
    urls = [hit.url for hit in archive.search("soft skills").results]
    assert set(urls[:2]) == {SOFT, LOSING}


def test_misspelling_gets_a_suggestion(archive):
    assert archive.search("synergys").suggestion == "synergies"
    assert archive.search("fidelisaton").suggestion == "fidélisation"


def test_every_article_page_has_related_articles(site):
    for url in [SYNCHRONICITY, PARTNER, LOSING, SOFT, BUYERS]:
        page = site.html(url + "index.html")
        links = [a["href"] for a in page.select("aside.a-lire-aussi a")]
        assert 1 <= len(links) <= 3, url
        assert not any(link.endswith("/" + url) for link in links)


def test_invoke_search_prints_json_and_text(tmp_path):
    project = project_copy(tmp_path)
    assert invoke(project, "build").returncode == 0
    result = invoke(project, "search", "tarte au riz", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data) == ["query", "total", "results", "suggestion", "facets", "notices"]
    assert data["results"][0]["url"] == PARTNER
    assert "<mark" in data["results"][0]["snippet"]
    text = invoke(project, "search", "synergys")
    assert "Vouliez-vous dire « synergies » ?" in text.stdout
    paging = ["--json", "--page-size", "1", "--page", "2", "--sort"]
    paged = invoke(project, "search", "client", *paging, "date")
    assert len(json.loads(paged.stdout)["results"]) == 1
    assert invoke(project, "search", "client", *paging, " Date").stdout == paged.stdout
    assert [hit["score"] for hit in json.loads(paged.stdout)["results"]] == [None]  # nothing scored
    assert json.loads(result.stdout)["results"][0]["score"] > 0
    for option, value in (("--page", "abc"), ("--page-size", "1.5")):
        refused = invoke(project, "search", "client", option, value)
        assert refused.returncode == 1
        assert refused.stderr.strip() == f"invoke search : {option} « {value} » n’est pas un nombre entier."
    unknown = invoke(project, "search", "client", "--sort", "relevance")
    assert unknown.returncode == 1
    assert "--sort « relevance » inconnu ; choisissez « pertinence » ou « date »" in unknown.stderr


def test_invoke_search_without_an_index_says_to_build(tmp_path):
    project = project_copy(tmp_path)
    result = invoke(project, "search", "riz")
    assert result.returncode != 0
    assert "invoke build" in result.stderr
