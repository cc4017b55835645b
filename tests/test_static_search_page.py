"""/search/ on a plain static host, without the search service (issue 17): the page says
that full-text search is not available there and offers the tag map, themes and archives;
through the service, the same page shows results instead."""

from urllib.parse import quote

from bs4 import BeautifulSoup
from markupsafe import Markup

from carnet.search.results_page import FILE_NAME, load
from carnet.service.web import SearchApp
from tests.browser import serve_directory
from tests.searchserver import running
from tests.sitebuild import article, build_test_site, copy_theme, tiny_content

NOTICE = "La recherche en texte intégral n’est pas disponible sur cet hébergement."
WAYS = {
    "la carte des étiquettes": ("/etiquettes/", "étiquettes"),
    "les thèmes": ("/categories/", "thèmes"),
    "les archives": ("/archives/", "archives"),
}


def test_the_service_page_is_the_static_page_with_its_results_block_left_open(dev_site):
    """The build keeps its search page beside the index with the results block and the query
    left to the service: everything else is the static page's bytes."""
    html = (dev_site.output / "search/index.html").read_text(encoding="utf-8")
    frame = load((dev_site.index / FILE_NAME).read_text(encoding="utf-8"))
    before, after = frame.render(query="", results=Markup("\x00")).split("\x00")
    assert html.startswith(before)
    assert html.endswith(after)
    block = html[len(before) : len(html) - len(after)]
    # What a static host shows in the block: the notice and the other ways in, nothing else.
    assert block.strip().startswith("<!-- resultats:debut -->")
    assert block.strip().endswith("<!-- resultats:fin -->")
    assert NOTICE in block
    for href, _ in WAYS.values():
        assert f'href="{href}"' in block
    assert html.count('name="q" type="search" value=""') == 2  # the header's form and the page's
    assert "<script" not in html


def test_a_static_host_says_search_is_not_available_and_offers_the_other_ways(browser, dev_site):
    with serve_directory(dev_site.output) as base:
        page = browser.new_page()
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        try:
            # As a reader gets there: the header's form on the home page sends /search?q=…
            page.goto(base + "/")
            page.fill("#recherche-q", "confiance")
            page.press("#recherche-q", "Enter")
            page.wait_for_load_state("load")
            assert page.url == base + "/search/?q=confiance"
            notice = page.locator(".resultats__avis--statique")
            assert notice.is_visible()
            assert NOTICE in " ".join(notice.inner_text().split())
            for label, (href, heading) in WAYS.items():
                page.goto(base + "/search/?q=confiance")
                link = page.locator(".resultats__avis--statique a", has_text=label)
                assert link.is_visible(), label
                assert link.get_attribute("href") == href
                with page.expect_navigation():
                    link.click()
                assert page.url == base + href
                assert heading in page.locator("h1").first.inner_text().lower(), (label, page.url)
            assert errors == []
        finally:
            page.close()


def test_through_the_service_results_replace_the_notice(dev_site):
    with running(SearchApp(dev_site.output, dev_site.index)) as request:
        reply = request("/search?q=" + quote("confiance"))
    assert reply.status == 200
    soup = BeautifulSoup(reply.text, "lxml")
    assert NOTICE not in soup.get_text()
    assert soup.select_one(".resultats__avis--statique") is None
    hits = [a["href"] for a in soup.select("li.resultat h2 a")]
    assert "/vos-competences-non-techniques-comptent-autant-que-vos-competences-techniques/" in hits
    assert [field["value"] for field in soup.select('input[name="q"]')] == ["confiance", "confiance"]
    assert soup.title.string == "« confiance » — Recherche — Carnet d'accompagnement"
    # Around the results, the static page itself.
    static = BeautifulSoup((dev_site.output / "search/index.html").read_text(encoding="utf-8"), "lxml")
    assert str(soup.select_one("details.aide-recherche")) == str(static.select_one("details.aide-recherche"))
    assert str(soup.select_one("nav.navigation")) == str(static.select_one("nav.navigation"))


def test_a_theme_without_the_results_block_is_told_and_gets_plain_results(tmp_path):
    theme = copy_theme(tmp_path)
    page = theme / "templates/search.html"
    text = page.read_text(encoding="utf-8")
    without = text.replace("{% block search_results %}", "").replace(
        "{% endblock %}\n  <details", "  <details"
    )
    page.write_text(without, encoding="utf-8")
    content = tiny_content(tmp_path, {"a.md": article("Un essai sur la confiance", "La confiance.")})
    site = build_test_site(
        tmp_path / "output", content, settings_file="pelicanconf.py", strict=False, THEME=str(theme)
    )
    said = "search : le gabarit search.html ne déclare pas de {% block search_results %} ;"
    assert [message for message in site.warnings if "search_results" in message] == [
        f"WARNING search.search: {said} le service de recherche montrera ses résultats dans une page nue"
    ]
    assert not (site.index / FILE_NAME).exists()
    with running(SearchApp(site.output, site.index)) as request:
        reply = BeautifulSoup(request("/search?q=confiance").text, "lxml")
    assert reply.title.string == "« confiance » — Recherche"
    assert [hit.get_text() for hit in reply.select("li.resultat h2 a")] == ["Un essai sur la confiance"]
