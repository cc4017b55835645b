"""The search service on a real waitress server on 127.0.0.1."""

import json
import os
import shutil
import threading
import time
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup

from carnet.service.admission import Lane, Lanes
from carnet.service.serving import DEFAULT_THREADS
from carnet.service.web import SearchApp
from tests.searchserver import running
from tests.sitebuild import article, build_test_site, tiny_content


@pytest.fixture(scope="module")
def request_(site):
    with running(SearchApp(site.output, site.index)) as request:
        yield request


def test_results_page_in_the_theme_with_highlights(request_):
    reply = request_("/search?q=" + quote("coïncidences"))
    assert reply.status == 200
    assert reply.headers["content-type"] == "text/html; charset=utf-8"
    html = reply.text
    assert '<html lang="fr">' in html
    assert 'class="lien-evitement"' in html  # the site's own layout
    assert '<mark class="match term0">coïncidences</mark>' in html
    assert "les-synchronicites-qui-provoquent-la-rencontre-avec-le-client/" in html
    assert "jeudi 16 avril 2009" in html
    page = BeautifulSoup(html, "lxml")
    # The query in both forms (the header's and the page's) and in the title.
    assert [field["value"] for field in page.select('input[name="q"]')] == ["coïncidences"] * 2
    assert page.title.string == "« coïncidences » — Recherche — Carnet d'accompagnement"
    assert page.select_one(".resultats__avis--statique") is None


def test_results_page_offers_suggestion_facets_and_sorting(request_):
    html = request_("/search?q=synergys").text
    assert "Vouliez-vous dire" in html
    assert "/search?q=synergies" in html
    html = request_("/search?q=client").text
    assert "Par étiquette" in html
    assert "Par année" in html
    assert "tri=date" in html


def test_json_endpoint(request_):
    reply = request_("/search.json?q=" + quote("tarte au riz"))
    assert reply.status == 200
    assert reply.headers["content-type"] == "application/json; charset=utf-8"
    data = json.loads(reply.body)
    assert list(data) == ["query", "total", "results", "suggestion", "facets", "notices"]
    assert data["results"][0]["url"] == "aujourdhui-jai-rencontre-un-partenaire/"
    assert data["suggestion"] is None


def test_every_response_carries_security_headers(request_):
    for path in ["/", "/search?q=riz", "/search.json?q=riz", "/absent", "/theme/css/site.css"]:
        headers = request_(path).headers
        assert "default-src 'self'" in headers["content-security-policy"], path
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"]


def test_static_files_with_their_types(request_):
    assert request_("/").headers["content-type"] == "text/html; charset=utf-8"
    assert request_("/theme/css/site.css").headers["content-type"] == "text/css; charset=utf-8"
    assert request_("/feeds/tous.atom.xml").headers["content-type"] == "application/atom+xml; charset=utf-8"
    assert request_("/sitemap.xml").headers["content-type"].startswith(("application/xml", "text/xml"))
    assert request_("/theme/favicon.svg").headers["content-type"] == "image/svg+xml; charset=utf-8"
    page = request_("/perdre-des-clients/")
    assert page.status == 200
    assert "Perdre des clients" in page.text
    redirect = request_("/perdre-des-clients")
    assert redirect.status == 301
    assert redirect.headers["location"] == "/perdre-des-clients/"


def test_unknown_path_gets_the_themes_404(request_):
    reply = request_("/pas-de-page-ici/")
    assert reply.status == 404
    assert "Cette page est introuvable" in reply.text


def test_query_is_escaped_wherever_it_is_shown(request_):
    attack = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    html = request_("/search?q=" + quote(attack)).text
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;" in html
    raw = request_("/search.json?q=" + quote(attack)).body.decode()
    assert "<script>" not in raw
    assert json.loads(raw)["query"] == attack


@pytest.mark.parametrize(
    "path",
    [
        "/../pelicanconf.py",
        "/theme/../../pelicanconf.py",
        "/%2e%2e/pelicanconf.py",
        "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/..%2f..%2fetc%2fpasswd",
        "/theme/%2e%2e/%2e%2e/tasks.py",
        "/%00",
        "/%ff%fe",
        "/theme\\..\\..\\tasks.py",
    ],
)
def test_nothing_outside_output_is_served(request_, path):
    reply = request_(path)
    assert reply.status in (400, 404), path
    assert b"SITENAME" not in reply.body
    assert b"import" not in reply.body


def test_symlink_out_of_output_is_not_followed(site, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    link = site.output / "lien-secret.txt"
    os.symlink(secret, link)
    try:
        with running(SearchApp(site.output, site.index)) as request:
            assert request("/lien-secret.txt").status == 404
    finally:
        link.unlink()


@pytest.mark.parametrize(
    "query_string",
    [
        "q=%22tarte",
        "q=AND",
        "q=*",
        "q=tag%3A",
        "q=date%3Aabc",
        "q=date%3A2009..x",
        "q=" + "a" * 20_000,
        "q=riz%00tarte",
        "q=%ff%fe%fd",
        "q=riz&page=-4",
        "q=riz&page=99999999999999999999999",
        "q=riz&page=abc",
        "q=riz&taille=100000",
        "q=riz&tri=%3Cx%3E",
        "q=",
        "",
        "q=%F0%9F%90%84",
        "q=riz&q=tarte",
        "page",
        "q=%E9t%E9",  # Latin-1 bytes, not UTF-8
    ],
)
def test_no_query_gets_a_500(request_, query_string):
    for path in ["/search", "/search.json"]:
        reply = request_(f"{path}?{query_string}")
        assert reply.status == 200, (path, query_string, reply.status)


def test_over_long_query_is_cut_with_a_message(request_):
    html = request_("/search?q=" + "riz+" * 3000).text
    assert "trop longue" in html


def test_only_get_and_head(request_):
    for method in ["POST", "PUT", "DELETE", "PATCH"]:
        reply = request_("/search?q=riz", method=method)
        assert reply.status == 405
        assert reply.headers["allow"] == "GET, HEAD"
    head = request_("/", method="HEAD")
    assert head.status == 200
    assert head.body == b""


def test_missing_index_answers_503_and_the_site_still_works(site, tmp_path):
    with running(SearchApp(site.output, tmp_path / "nowhere")) as request:
        reply = request("/search?q=riz")
        assert reply.status == 503
        assert "invoke build" in reply.text
        assert '<html lang="fr">' in reply.text
        assert request("/search.json?q=riz").status == 503
        assert request("/").status == 200
        assert request("/perdre-des-clients/").status == 200


def test_static_files_carry_validators_and_answer_304(request_):
    first = request_("/perdre-des-clients/")
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "no-cache"
    assert first.headers["last-modified"].endswith("GMT")
    assert request_("/perdre-des-clients/", headers={"If-None-Match": etag}).status == 304
    assert request_("/perdre-des-clients/", headers={"If-None-Match": '"autre"'}).status == 200
    # Dates do not order builds (a rollback brings older files back): only the ETag answers 304.
    later = request_("/theme/css/site.css", headers={"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"})
    assert later.status == 200
    assert request_("/theme/css/site.css", headers={"If-Modified-Since": "n'importe quoi"}).status == 200
    # Unversioned theme URLs are revalidated; the fingerprinted ones the pages use are kept.
    assert request_("/theme/css/site.css").headers["cache-control"] == "no-cache"


def test_busy_search_gets_503_with_retry_after(site):
    lanes = Lanes(
        ordinary=Lane(running=1, waiting=0, wait_s=0.05), costly=Lane(running=1, waiting=0, wait_s=0)
    )
    app = SearchApp(site.output, site.index, lanes=lanes)
    with running(app) as request, lanes.ordinary.slot() as held:  # another search is running
        assert held
        reply = request("/search?q=riz")
        assert reply.status == 503
        assert reply.headers["retry-after"] == "1"
        assert 'class="lien-evitement"' in reply.text  # the site's own page, with the query
        assert 'value="riz"' in reply.text
        assert reply.headers["cache-control"] == "no-store"
        assert request("/perdre-des-clients/").status == 200  # pages still come
        costly = quote("riz* tar* par* pro*")
        assert request("/search?q=" + costly).status == 200  # the costly lane is free
    with running(app) as request:
        assert request("/search?q=riz").status == 200


def test_eight_readers_searching_at_once_fit_in_one_process():
    """The default threads admit eight ordinary searches at once (two running, six
    waiting), the ninth is turned away: eight clients whose connections the kernel all
    handed to one process get no 503."""
    lanes = Lanes.for_threads(DEFAULT_THREADS)
    release = threading.Event()
    admitted: list[bool] = []

    def search() -> None:
        with lanes.ordinary.slot() as held:
            admitted.append(held)
            release.wait(10)

    readers = [threading.Thread(target=search) for _ in range(8)]
    for reader in readers:
        reader.start()
    deadline = time.monotonic() + 10
    # Two running, the others waiting (or turned away): every reader has had its answer.
    while (len(admitted) < 2 or lanes.ordinary._admitted._value) and time.monotonic() < deadline:
        if False in admitted:
            break
        time.sleep(0.01)
    with lanes.ordinary.slot() as ninth:
        assert not ninth
    release.set()
    for reader in readers:
        reader.join()
    assert admitted == [True] * 8


def test_over_long_request_line_is_refused(request_):
    assert request_("/search?q=" + "a" * 70_000).status in (414, 431)
    assert request_("/" + "a" * 3000).status == 414


def test_one_log_line_per_request(site, caplog):
    import logging

    from carnet.service.web import AccessLog

    with running(AccessLog(SearchApp(site.output, site.index))) as request, caplog.at_level(logging.INFO):
        request("/search?q=riz%0Afaux")
        request("/absent")
    lines = [r.getMessage() for r in caplog.records if r.name == "carnet.access"]
    assert len(lines) == 2
    assert "GET /search?q=riz%0Afaux 200" in lines[0]
    assert " 404 " in lines[1]


def test_service_picks_up_a_new_index_without_restart(site, tmp_path):
    """The index path is a link that a build switches; the service follows it."""
    import shutil

    from carnet.search.documents import SearchDocument
    from carnet.search.indexing import build_index

    first, second = tmp_path / "b1", tmp_path / "b2"
    shutil.copytree(site.index, first)
    novelty = SearchDocument(url="nouveau/", title="Un mot inédit : zanzibar", body="zanzibar")
    build_index([novelty], second, {})
    link = tmp_path / "search-index"
    link.symlink_to(first)
    with running(SearchApp(site.output, link)) as request:
        assert json.loads(request("/search.json?q=zanzibar").body)["total"] == 0
        replacement = tmp_path / "tmp-link"
        replacement.symlink_to(second)
        os.replace(replacement, link)
        assert json.loads(request("/search.json?q=zanzibar").body)["total"] == 1


def test_the_results_page_follows_the_live_build(tmp_path):
    """The page comes from the build whose index is live, and its own text is never read as a
    template, braces included."""
    content = tiny_content(tmp_path, {"a.md": article("Un essai sur la confiance", "La confiance.")})
    builds = {}
    for name, subtitle in [("b1", "Première"), ("b2", "Des {{ accolades }}, {% pourcents %}, {# dièses #}")]:
        (tmp_path / name).mkdir()
        builds[name] = build_test_site(
            tmp_path / name / "output", content, settings_file="pelicanconf.py", SITESUBTITLE=subtitle
        )
    output, index = tmp_path / "output", tmp_path / "search-index"

    def switch_to(name: str) -> None:
        for link, target in [(output, builds[name].output), (index, builds[name].index)]:
            replacement = tmp_path / "new-link"
            replacement.symlink_to(target)
            os.replace(replacement, link)

    def subtitle(html: str) -> str:
        return BeautifulSoup(html, "lxml").select_one(".site-devise").get_text()

    switch_to("b1")
    with running(SearchApp(output, index)) as request:
        for name in ["b1", "b2"]:
            switch_to(name)
            reply = request("/search?q=confiance")
            assert reply.status == 200
            static = (builds[name].output / "search/index.html").read_text(encoding="utf-8")
            assert subtitle(reply.text) == subtitle(static), name
            hits = BeautifulSoup(reply.text, "lxml").select("li.resultat h2 a")
            assert [hit.get_text() for hit in hits] == ["Un essai sur la confiance"]
    assert subtitle(static) == "Des {{ accolades }}, {% pourcents %}, {# dièses #}"


def test_an_index_without_its_page_answers_in_a_plain_page(site, tmp_path):
    """An index made by other means than a build (here, by hand) has no results page beside it."""
    from carnet.search.documents import SearchDocument
    from carnet.search.indexing import build_index

    novelty = SearchDocument(url="nouveau/", title="Un mot inédit : zanzibar", body="zanzibar")
    build_index([novelty], tmp_path / "index", {})
    with running(SearchApp(site.output, tmp_path / "index")) as request:
        reply = request("/search?q=zanzibar")
    assert reply.status == 200
    page = BeautifulSoup(reply.text, "lxml")
    assert page.title.string == "« zanzibar » — Recherche"
    assert [hit.get_text() for hit in page.select("li.resultat h2 a")] == ["Un mot inédit : zanzibar"]


def test_links_of_a_results_page_keep_its_page_size(request_):
    page = BeautifulSoup(request_("/search?q=client&taille=2&page=2").text, "lxml")
    links = [a["href"] for a in page.select("#resultats a[href*='/search?']")]
    assert links
    assert all("taille=2" in href for href in links), links


def test_a_damaged_index_is_a_french_503_and_pages_still_come(site, tmp_path):
    index = tmp_path / "index"
    shutil.copytree(site.index, index)
    for path in index.glob("*.json"):
        path.write_text("", encoding="utf-8")
    with running(SearchApp(site.output, index)) as request:
        reply = request("/search?q=" + quote("confiance"))
        assert reply.status == 503
        assert reply.headers["retry-after"] == "30"
        assert "illisible" in reply.text
        assert 'value="confiance"' in reply.text  # the reader's query stays in the form
        assert reply.headers["content-security-policy"]
        data = request("/search.json?q=confiance")
        assert data.status == 503
        assert "illisible" in json.loads(data.body)["error"]
        assert request("/perdre-des-clients/").status == 200


def test_refusals_say_why_in_french(request_):
    reply = request_("/", method="POST")
    assert reply.status == 405
    assert "GET et HEAD" in reply.text
    assert request_("/" + "a" * 3000).text == "Adresse trop longue."
