"""What a reader sees in a real headless Chromium: layout from 320 px up, focus, contrast."""

import os
from pathlib import Path

import pytest

from tests.browser import CONTRAST_SCRIPT, serve_directory

pytestmark = pytest.mark.browser

PAGES = [
    "",
    "aujourdhui-jai-rencontre-un-partenaire/",
    "quen-est-il-de-la-fidelisation-dans-le-be-to-be/",
    "archives/",
    "auteur/anonyme-ottawa/",
    "404.html",
    "etiquettes/",
    "etiquette/partenariat/",
    "en/tag/soft-skills/",
]
WIDTHS = [320, 375, 768, 1280]


@pytest.fixture(scope="module")
def dev_url(dev_site):
    with serve_directory(dev_site.output) as url:
        yield url


@pytest.mark.parametrize("width", WIDTHS)
def test_no_horizontal_scrolling_from_320_px(browser, dev_url, width):
    page = browser.new_page(viewport={"width": width, "height": 800})
    try:
        for path in PAGES:
            page.goto(f"{dev_url}/{path}")
            assert page.evaluate("document.documentElement.scrollWidth") <= width, path
            assert page.evaluate("getComputedStyle(document.body).fontFamily")
            stylesheet_loaded = page.evaluate("getComputedStyle(document.body).backgroundColor")
            assert stylesheet_loaded == "rgb(251, 248, 241)", path
    finally:
        page.close()


def test_text_contrast_is_at_least_4_5_to_1(browser, dev_url):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        for path in PAGES:
            page.goto(f"{dev_url}/{path}")
            poor = [r for r in page.evaluate(CONTRAST_SCRIPT) if r["ratio"] < 4.5]
            assert poor == [], path
    finally:
        page.close()


def test_skip_link_is_first_visible_on_focus_and_moves_to_main(browser, dev_url):
    page = browser.new_page(viewport={"width": 375, "height": 800})
    try:
        page.goto(f"{dev_url}/perdre-des-clients/")
        skip = page.locator("a.lien-evitement")
        assert skip.bounding_box()["y"] < 0  # hidden until focused
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "lien-evitement"
        box = skip.bounding_box()
        assert box["y"] >= 0
        assert box["height"] > 10
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#contenu"
        page.keyboard.press("Tab")
        inside_main = page.evaluate("document.querySelector('main').contains(document.activeElement)")
        assert inside_main
    finally:
        page.close()


def test_every_link_shows_a_visible_focus_ring(browser, dev_url):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto(f"{dev_url}/")
        for _ in range(12):
            page.keyboard.press("Tab")
            style = page.evaluate(
                "(() => { const s = getComputedStyle(document.activeElement);"
                " return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()"
            )
            outline_style, outline_width = style
            assert outline_style != "none", style
            assert outline_width >= 2, style
    finally:
        page.close()


def test_articles_read_without_javascript(browser, dev_url):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
    try:
        page = context.new_page()
        page.goto(f"{dev_url}/aujourdhui-jai-rencontre-un-partenaire/")
        assert page.locator("#texte").is_visible()
        assert "tarte au riz" in page.locator("#texte").inner_text()
    finally:
        context.close()


def test_screenshots_for_a_human_look(browser, dev_url, tmp_path):
    """Screenshots of the home page and an article at 375 and 1280 px.

    They go to $SCREENSHOT_DIR when set, for someone to look at; the test checks
    that they were taken and are not blank."""
    folder = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    for name, path in [("accueil", ""), ("article", "aujourdhui-jai-rencontre-un-partenaire/")]:
        for width in (375, 1280):
            page = browser.new_page(viewport={"width": width, "height": 900})
            try:
                page.goto(f"{dev_url}/{path}")
                shot = folder / f"{name}-{width}.png"
                page.screenshot(path=str(shot), full_page=True)
                assert shot.stat().st_size > 20_000
            finally:
                page.close()
