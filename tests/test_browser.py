"""What a reader sees in a real headless Chromium: layout from 320 px up, focus, contrast."""

import base64
import os
import re
import struct
from pathlib import Path

import pytest

from tests.browser import CONTRAST_SCRIPT, serve_directory
from tests.project import ROOT

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
# The fonts the stylesheet gives the text, as written there.
TEXT_FONTS = re.search(
    r"--texte: ([^;]+);", (ROOT / "theme/static/css/site.css").read_text(encoding="utf-8")
).group(1)


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
            assert page.evaluate("getComputedStyle(document.body).fontFamily") == TEXT_FONTS, path
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


# In a PNG decoded by the browser: the share of its pixels in the paper's colour, and the
# pixels in the ink's colour inside a box (colours as [r, g, b]).
PAPER_AND_INK = """async ([png, paper, ink, box]) => {
  const image = new Image();
  image.src = "data:image/png;base64," + png;
  await image.decode();
  const context = new OffscreenCanvas(image.width, image.height).getContext("2d");
  context.drawImage(image, 0, 0);
  const count = (data, [r, g, b]) => {
    let found = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i] === r && data[i + 1] === g && data[i + 2] === b) found++;
    }
    return found;
  };
  const whole = context.getImageData(0, 0, image.width, image.height).data;
  const inBox = context.getImageData(box.x, box.y, box.width, box.height).data;
  return [count(whole, paper) / (image.width * image.height), count(inBox, ink)];
}"""


def rgb(colour: str) -> list[int]:
    """[r, g, b] of a computed colour, « rgb(30, 27, 24) »."""
    return [int(part) for part in re.findall(r"\d+", colour)[:3]]


def test_screenshots_for_a_human_look(browser, dev_url, tmp_path):
    """Screenshots of the home page and an article at 375 and 1280 px.

    They go to $SCREENSHOT_DIR when set, for someone to look at; the test checks that
    each shows the whole page, on the theme's paper, with its title drawn in its ink."""
    folder = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    page = browser.new_page()
    decoder = browser.new_page()  # about:blank: no policy of the site's to refuse a data: image
    try:
        for name, path in [("accueil", ""), ("article", "aujourdhui-jai-rencontre-un-partenaire/")]:
            for width in (375, 1280):
                page.set_viewport_size({"width": width, "height": 900})
                page.goto(f"{dev_url}/{path}")
                shot = page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
                assert shot[:8] == b"\x89PNG\r\n\x1a\n"
                size = struct.unpack(">II", shot[16:24])  # the PNG header's width and height
                assert size == (width, page.evaluate("document.documentElement.scrollHeight"))
                paper = page.evaluate("getComputedStyle(document.body).backgroundColor")
                ink = page.evaluate("getComputedStyle(document.querySelector('h1')).color")
                assert rgb(ink) != rgb(paper)
                box = {key: round(value) for key, value in page.locator("h1").bounding_box().items()}
                encoded = base64.b64encode(shot).decode("ascii")
                share, inked = decoder.evaluate(PAPER_AND_INK, [encoded, rgb(paper), rgb(ink), box])
                assert share > 0.5, (name, width, share)  # the page is read on its paper
                assert inked > 0, (name, width, ink)  # the title is drawn, in its ink
    finally:
        decoder.close()
        page.close()
