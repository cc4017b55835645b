"""A reader searches from the header's form in a real headless Chromium."""

import pytest

from carnet.service.web import SearchApp
from tests.searchserver import running

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def service(dev_site):
    with running(SearchApp(dev_site.output, dev_site.index)) as request:
        yield f"http://127.0.0.1:{request.port}"


@pytest.mark.parametrize("width", [375, 1280])
def test_header_form_leads_to_highlighted_results(browser, service, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(f"{service}/perdre-des-clients/")
        page.fill("#recherche-q", "coincidences")
        page.press("#recherche-q", "Enter")
        page.wait_for_url("**/search?q=coincidences")
        first = page.locator(".resultat").first
        assert "Les synchronicités qui provoquent" in first.locator("h2").inner_text()
        mark = first.locator("mark").first
        assert mark.is_visible()
        assert mark.inner_text().lower() == "coïncidences"
        # The reader's words stay in both forms, the header's and the page's, and in the title.
        assert page.input_value("#recherche-q") == "coincidences"
        assert page.input_value("#recherche-page-q") == "coincidences"
        assert page.title() == "« coincidences » — Recherche — Carnet d'accompagnement"
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        first.locator("h2 a").click()
        page.wait_for_url("**/les-synchronicites-qui-provoquent-la-rencontre-avec-le-client/")
    finally:
        page.close()


def test_suggestion_link_works_without_javascript(browser, service):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{service}/search?q=synergys")
        page.click("text=« synergies »")
        page.wait_for_url("**/search?q=synergies")
        assert page.locator(".resultat mark").first.is_visible()
    finally:
        context.close()
