"""The query layer over a real Whoosh index built from a tiny corpus."""

import re
from collections import Counter

import pytest

from carnet.search.indexing import build_index
from carnet.search.querying import (
    MAX_PAGE,
    MAX_QUERY_LENGTH,
    ArchiveSearch,
    clamp_page,
    read_query,
    read_years,
)
from tests.archive import CORPUS, TAG_NAMES


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    folder = build_index(CORPUS, tmp_path_factory.mktemp("index") / "index", TAG_NAMES)
    return ArchiveSearch.open(folder)


def urls(response):
    return [hit.url for hit in response.results]


def test_all_words_must_match(archive):
    response = archive.search("tarte boucher")
    assert urls(response) == ["tarte/"]
    assert not response.any_word


def test_falls_back_to_any_word_and_says_so(archive):
    response = archive.search("boucher synergies")
    assert set(urls(response)) == {"tarte/", "synergies/"}
    assert response.any_word


def test_exact_phrase(archive):
    assert urls(archive.search('"tarte au riz"')) == ["tarte/"]
    assert set(urls(archive.search("tarte riz"))) == {"tarte/", "riz/"}


def test_excluded_word(archive):
    assert urls(archive.search("riz -boucher")) == ["riz/"]


def test_prefix(archive):
    assert set(urls(archive.search("fidél*"))) == {"synergies/", "sans-date/"}
    assert set(urls(archive.search("fidel*"))) == {"synergies/", "sans-date/"}


def test_accents_and_inflection(archive):
    for query in ["fidéliser", "fideliser", "fidélisation", "FIDELISATION"]:
        assert set(urls(archive.search(query))) == {"synergies/", "sans-date/"}, query


def test_hyphenated_words_are_one_expression(archive):
    assert set(urls(archive.search("savoir-être"))) == {"riz/", "synergies/"}


def test_english_labels_and_aliases_find_the_tags_articles(archive):
    assert set(urls(archive.search("partnership"))) == {"tarte/", "synergies/"}
    assert set(urls(archive.search("soft skills"))) == {"riz/", "synergies/"}
    assert urls(archive.search("procurement")) == ["sans-date/"]


def test_title_weighs_more_than_body(archive):
    assert urls(archive.search("confiance"))[0] == "confiance-titre/"


def test_tag_filter_in_either_language(archive):
    for query in ["tag:partenariat", "tag:partnership", "tag:Alliance", "étiquette:partenariat"]:
        assert set(urls(archive.search(query))) == {"tarte/", "synergies/"}, query
    assert set(urls(archive.search('tag:"soft skills"'))) == {"riz/", "synergies/"}
    assert urls(archive.search("confiance tag:achats")) == ["sans-date/"]


def test_author_filter_in_either_language(archive):
    assert set(urls(archive.search("auteur:camille"))) == {"tarte/", "synergies/"}
    assert set(urls(archive.search('author:"Camille Durand"'))) == {"tarte/", "synergies/"}
    assert urls(archive.search("riz author:patrick")) == ["riz/"]


def test_date_filters(archive):
    assert urls(archive.search("date:2009")) == ["tarte/"]
    assert urls(archive.search("date:2006..2009")) == ["tarte/", "riz/"]  # filters alone: newest first
    assert urls(archive.search("date:..2006")) == ["riz/", "confiance-titre/"]
    assert urls(archive.search("date:2010..")) == ["synergies/"]
    assert urls(archive.search("date:2009..2006")) == ["tarte/", "riz/"]


def test_malformed_date_filter_is_dropped_with_a_notice(archive):
    response = archive.search("riz date:20O9")
    assert set(urls(response)) == {"tarte/", "riz/"}
    assert "date:20O9" in response.notices[0]


def test_suggestion_from_the_archive_vocabulary(archive):
    response = archive.search("synergys")
    assert response.total == 0
    assert response.suggestion == "synergies"
    assert archive.search("tarte au rix").suggestion == "tarte au riz"
    assert archive.search("synergies").suggestion is None


def test_facets_count_every_match_not_just_the_page(archive):
    response = archive.search("riz OR tarte OR synergies OR confiance", page_size=1)
    # Counted over the corpus itself: the articles whose words include one of those.
    words = {"riz", "tarte", "synergies", "confiance"}
    found = [d for d in CORPUS if words & set(re.findall(r"\w+", f"{d.title} {d.resume} {d.body}".lower()))]
    assert response.total == len(found) == 5
    assert len(response.results) == 1
    tags = {facet["key"]: facet["count"] for facet in response.facets["tags"]}
    assert tags == Counter(key for document in found for key in document.tag_keys)
    labels = {facet["key"]: facet["label"] for facet in response.facets["tags"]}
    assert labels["savoir-etre"] == "Savoir-être"
    years = {facet["year"]: facet["count"] for facet in response.facets["years"]}
    assert years == Counter(document.date.year if document.date else None for document in found)
    assert years[None] == 1  # the undated article


def test_sort_by_date_puts_undated_last(archive):
    response = archive.search("confiance OR riz", sort="date")
    assert urls(response) == ["synergies/", "tarte/", "riz/", "confiance-titre/", "sans-date/"]
    assert response.results[-1].date is None


def test_paging(archive):
    everything = urls(archive.search("confiance OR riz", sort="date"))
    first = archive.search("confiance OR riz", sort="date", page=1, page_size=2)
    second = archive.search("confiance OR riz", sort="date", page=2, page_size=2)
    assert urls(first) + urls(second) == everything[:4]
    assert first.pages == 3
    assert archive.search("confiance OR riz", page=3, page_size=2).results


def test_hit_carries_everything_a_result_shows(archive):
    [hit] = archive.search("boucher").results
    assert hit.title == "Chez le boucher"
    assert hit.url == "tarte/"
    assert hit.date == "2009-04-16"
    assert hit.author == "Camille Durand"
    assert hit.tags == ["Partenariat"]
    assert '<mark class="match term0">boucher</mark>' in hit.snippet
    assert hit.score > 0


def test_snippets_escape_the_text(archive):
    [hit] = archive.search("acheteurs").results
    assert "<script>" not in hit.snippet
    assert "&lt;script&gt;" in hit.snippet
    assert "<mark" in hit.snippet


def test_json_shape_is_exactly_the_documented_one(archive):
    data = archive.search("tarte").as_json()
    assert list(data) == ["query", "total", "results", "suggestion", "facets", "notices"]
    assert list(data["results"][0]) == ["title", "url", "date", "author", "tags", "snippet", "score"]
    assert set(data["facets"]) == {"tags", "years"}


@pytest.mark.parametrize(
    "query",
    [
        '"tarte au',
        "AND",
        "OR",
        "NOT",
        "*",
        "?",
        "**riz",
        "tag:",
        "auteur:",
        "date:",
        "date:..",
        "date:abc..def",
        "((((riz",
        "riz))))",
        '"',
        '""',
        "-",
        "- riz",
        "-riz",
        "riz^^^2",
        "[a TO b]",
        "title:riz",
        "riz\x00tarte",
        "\x01\x02\x7f",
        "é" * 20_000,
        "riz " * 5_000,
        "😀 🐄",
        "\ud800",
        "<script>alert(1)</script>",
        "",
        "   ",
    ],
)
def test_no_query_makes_it_fail(archive, query):
    response = archive.search(query)
    # The total counts every match; the first page shows some whenever there is one.
    assert response.total >= len(response.results)
    assert bool(response.results) == (response.total > 0)
    assert len(response.query) <= MAX_QUERY_LENGTH
    assert "\x00" not in response.query
    for hit in response.results:
        assert "<script>" not in hit.snippet


def test_over_long_query_is_cut_with_a_message(archive):
    response = archive.search("riz " * 5_000)
    assert len(response.query) <= MAX_QUERY_LENGTH
    assert any("trop longue" in notice for notice in response.notices)
    assert "riz/" in urls(response)


def test_unreadable_queries_are_read_as_plain_words(archive):
    assert urls(archive.search('"tarte boucher')) == ["tarte/"]
    assert "riz/" in urls(archive.search("riz tag:"))


def test_only_common_words_say_so(archive):
    response = archive.search("de la")
    assert response.total == 0
    assert "mots très courants" in response.notices[0]


@pytest.mark.parametrize(
    ("page", "expected"),
    [(-3, 1), (0, 1), ("abc", 1), ("2", 2), (10**30, MAX_PAGE), (None, 1)],
)
def test_page_numbers_are_clamped(archive, page, expected):
    assert clamp_page(page, 1, MAX_PAGE) == expected
    # Past the last page of results: the last page, and its number.
    response = archive.search("riz", page=page, page_size=1)
    assert response.page == min(expected, response.pages)
    assert len(response.results) == 1


def test_page_size_is_capped(archive):
    assert archive.search("riz", page_size=10_000).page_size == 50
    assert archive.search("riz", page_size="x").page_size == 10


def test_unknown_sort_is_relevance(archive):
    assert archive.search("riz", sort="n'importe").sort == "pertinence"


def test_read_query_separates_filters_from_words():
    read = read_query('tarte tag:"soft skills" auteur:patrick date:2006..2009 riz')
    assert read.words == "tarte riz"
    assert read.filters.tags == ["soft-skills"]
    assert read.filters.authors == ["patrick"]
    assert read.filters.years == (2006, 2009)
    assert read_query("tag: riz").words == "tag riz"


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("2009", (2009, 2009)),
        ("2006..2009", (2006, 2009)),
        ("..2009", (None, 2009)),
        ("2006..", (2006, None)),
    ],
)
def test_read_years(text, years):
    assert read_years(text) == years


@pytest.mark.parametrize("text", ["", "..", "20", "2009-2010", "abcd", "2009..20100"])
def test_read_years_rejects(text):
    assert read_years(text) is None
