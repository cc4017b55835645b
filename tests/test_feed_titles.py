"""Atom entry titles keep their text, escaped, not stripped of what looks like markup (issue 16)."""

import xml.etree.ElementTree as ET

import feedparser
import pytest

from tests.sitebuild import article, build_test_site, tiny_content

ATOM = "{http://www.w3.org/2005/Atom}"
TITLES = {
    "script.md": "Titre <script>alert('title')</script>",
    "balises.md": "R&D : le <b>gras</b> & les <em>chevrons</em> < >",
    "simple.md": "Un titre ordinaire",
}


@pytest.fixture(scope="module")
def feeds(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("feeds")
    articles = {
        name: article(title, Slug=name.removesuffix(".md"), Date=f"2021-0{n}-01")
        for n, (name, title) in enumerate(TITLES.items(), start=1)
    }
    return build_test_site(tmp / "out", tiny_content(tmp, articles))  # publishconf.py: feeds on


@pytest.mark.parametrize("feed", ["feeds/tous.atom.xml", "feeds/etiquette-essai.atom.xml"])
def test_each_entry_title_is_the_title_as_written(feeds, feed):
    raw = (feeds.output / feed).read_bytes()
    entries = ET.fromstring(raw).findall(f"{ATOM}entry")
    by_link = {e.find(f"{ATOM}link").get("href"): e.find(f"{ATOM}title") for e in entries}
    for name, title in TITLES.items():
        element = by_link[f"{feeds.siteurl}/{name.removesuffix('.md')}/"]
        assert element.text == title
        assert element.get("type", "text") == "text"  # text, so a reader shows it as such
    assert b"<script>" not in raw  # escaped in the XML
    parsed = feedparser.parse(raw)
    assert not parsed.bozo
    assert sorted(entry.title for entry in parsed.entries) == sorted(TITLES.values())


def test_the_page_shows_the_same_text(feeds):
    assert feeds.html("script/index.html").select_one("h1").get_text() == TITLES["script.md"]
