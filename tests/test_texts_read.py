"""Which pages read an article's text (carnet/builds/texts_read.py), and the render memo's
textless keys that rest on it: on real Pelican articles and real Jinja templates."""

import copy
import datetime

from jinja2 import DictLoader, Environment
from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG

from carnet.builds.memo import RenderMemo
from carnet.builds.texts_read import install_text_watch, watch_templates, watching_texts

SITE = b"site-digest-one"


def an_article(text: str, **metadata) -> Article:
    settings = copy.deepcopy(DEFAULT_CONFIG)
    fields = {"title": "Un titre", "date": datetime.datetime(2024, 5, 4), **metadata}
    return Article(content=text, metadata=fields, settings=settings, context={}, source_path="a.md")


def test_a_text_read_through_pelican_is_seen_and_only_inside_the_watch():
    install_text_watch()
    article, other = an_article("<p>Le texte.</p>"), an_article("<p>Un autre.</p>")
    assert article.content == "<p>Le texte.</p>"  # read outside: not counted below
    with watching_texts() as read:
        assert other.title == "Un titre"
    assert read == set()
    with watching_texts() as read:
        assert "Le texte" in article.content
    assert read == {id(article)}


def test_a_summary_cut_from_the_text_is_a_text_read_even_when_pelican_kept_it():
    install_text_watch()
    cut, given = an_article("<p>Un texte à couper.</p>"), an_article("<p>Texte.</p>", summary="Donné.")
    first = cut.summary  # Pelican keeps it: the second read does not touch the text
    with watching_texts() as read:
        assert cut.summary == first
        assert given.summary == "Donné."
    assert read == {id(cut)}


def test_a_template_reading_the_raw_text_is_seen():
    install_text_watch()
    environment = Environment(
        loader=DictLoader(
            {"raw.html": "{{ a._content }}", "item.html": "{{ a['_content'] }}", "t.html": "{{ a.title }}"}
        )
    )
    watch_templates(environment)
    watching = environment.getattr, environment.getitem
    watch_templates(environment)  # once is enough; twice changes nothing
    assert (environment.getattr, environment.getitem) == watching
    article = an_article("<p>Brut.</p>")
    for name, expected in (("raw.html", True), ("item.html", True), ("t.html", False)):
        with watching_texts() as read:
            environment.get_template(name).render(a=article)
        assert bool(read) is expected, name


def test_a_page_that_reads_no_text_keeps_its_key_when_a_text_changes():
    environment = Environment(
        loader=DictLoader({"list.html": "{{ a.title }}", "page.html": "{{ a.title }} {{ a.content }}"})
    )
    before, after = an_article("<p>Avant.</p>"), an_article("<p>Après.</p>")
    keys = {}
    for article in (before, after):
        memo = RenderMemo(SITE, None)  # every page rendered: the key follows what it read
        for name in ("list.html", "page.html"):
            memo.render(environment.get_template(name), {"a": article, "output_file": name})
        keys[article.content] = dict(memo.keys)
        assert memo.textless == {"list.html"}
    assert keys["<p>Avant.</p>"]["list.html"] == keys["<p>Après.</p>"]["list.html"]
    assert keys["<p>Avant.</p>"]["page.html"] != keys["<p>Après.</p>"]["page.html"]
    # The fields other pages show still count.
    memo = RenderMemo(SITE, None)
    retitled = an_article("<p>Avant.</p>", title="Autre")
    memo.render(environment.get_template("list.html"), {"a": retitled, "output_file": "list.html"})
    assert memo.keys["list.html"] != keys["<p>Avant.</p>"]["list.html"]
