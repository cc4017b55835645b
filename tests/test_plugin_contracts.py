"""The attributes plugins add to articles and tags (carnet/articles/attributes.py), on real built
sites: each one is there with its declared default when the plugin that sets it is not loaded,
and set when it is."""

from dataclasses import MISSING, fields

import pytest
from pelican import signals

from carnet.articles.attributes import (
    ArticleAttributes,
    article_tags,
    is_map_tag,
    search_terms,
    tag_key,
    tag_map_build,
)
from carnet.resume.parsing import MAX_POINTS
from tests.sitebuild import article, build_test_site, tiny_content

TINY_MAP = """\
[groups.savoir-etre]
fr = "Le savoir-être"
en = "Soft skills"

[tags.ecoute]
group = "savoir-etre"
fr = "Écoute"
en = "listening"
aliases = ["écoute active"]

[tags.essai]
group = "savoir-etre"
fr = "Essai"
en = "essay"
"""

TOO_LONG = "::: résumé\n" + "".join(f"- Point {n}\n" for n in range(MAX_POINTS + 1)) + ":::\n\nLe texte."

ARTICLES = {
    "ancien.md": article("Ancien", Date="2020-01-01", Tags="écoute active, hors carte"),
    "resume.md": article("Avec résumé", "::: résumé\n- Un point\n:::\n\nLe texte.", Date="2020-02-01"),
    "long.md": article("Trop long", TOO_LONG, Date="2020-03-01"),
    "sans-date.md": article("Sans date", Date="", Modified="2020-04-01"),
}
# What the theme needs to render a page at all: its filters and its fingerprinted file names.
THEME_PLUGINS = ["french_typography", "theme_assets"]
# Loaded without the plugins that set the attributes; script_guard reads `resume_html`.
READER_ONLY = [*THEME_PLUGINS, "script_guard"]
SETTERS = [*THEME_PLUGINS, "article_metadata", "resume", "tag_map", "article_review"]


def build(tmp, plugins: list[str]):
    """Build the tiny site with `plugins`; return Pelican's articles generator, as the run left it."""
    content = tiny_content(tmp, ARTICLES, {"tagmap.toml": TINY_MAP})
    seen = []

    def keep(generator):
        seen.append(generator)

    signals.article_generator_finalized.connect(keep)
    try:
        site = build_test_site(tmp / "out", content, strict=False, PLUGINS=plugins)
    finally:
        signals.article_generator_finalized.disconnect(keep)
    return seen[-1], site.warnings


def default(declared):
    return declared.default_factory() if declared.default is MISSING else declared.default


@pytest.fixture(scope="module")
def without_setters(tmp_path_factory):
    return build(tmp_path_factory.mktemp("readers"), READER_ONLY)


@pytest.fixture(scope="module")
def with_setters(tmp_path_factory):
    return build(tmp_path_factory.mktemp("setters"), SETTERS)


def test_without_their_plugins_every_attribute_has_its_default(without_setters):
    generator, warnings = without_setters
    # Without article_metadata, Pelican drops the undated article.
    [dropped] = warnings
    assert "sans-date.md: could not find information about 'date'" in dropped
    assert len(generator.articles) == 3
    for built in generator.articles:
        for declared in fields(ArticleAttributes):
            assert vars(built)[declared.name] == default(declared), (built.title, declared.name)


def test_without_the_tag_map_tags_carry_nothing_of_it(without_setters):
    generator, _ = without_setters
    tags = [tag for built in generator.articles for tag in article_tags(built)]
    assert sorted(str(tag) for tag in tags) == ["essai", "essai", "hors carte", "écoute active"]
    assert [(is_map_tag(t), tag_key(t), search_terms(t)) for t in tags] == [(False, None, [])] * 4
    assert tag_map_build(generator.context) is None


def test_with_their_plugins_every_attribute_is_set(with_setters):
    generator, warnings = with_setters
    # The two things this site does wrong, said by their plugins.
    assert len(warnings) == 2
    assert "« hors carte » is not in the tag map" in warnings[0]
    assert "long.md" in warnings[1]
    by_title = {built.title: built for built in generator.articles}
    assert sorted(by_title) == ["Ancien", "Avec résumé", "Sans date", "Trop long"]
    set_somewhere = {
        declared.name
        for built in by_title.values()
        for declared in fields(ArticleAttributes)
        if vars(built)[declared.name] != default(declared)
    }
    assert set_somewhere == {declared.name for declared in fields(ArticleAttributes)}
    summarised = by_title["Avec résumé"]
    assert "Un point" in summarised.resume_html
    assert summarised.description_text == "Un point"
    assert summarised.resume_origin == "Résumé de Camille"
    [problem] = by_title["Trop long"].resume_problems
    assert f"has {MAX_POINTS + 1} points" in problem.message
    assert by_title["Sans date"].date_unknown
    assert not summarised.date_unknown
    # Newest first: « Sans date » sorts last, under the dated ones.
    assert by_title["Trop long"].prev_article is summarised
    assert summarised.next_article is by_title["Trop long"]


def test_with_the_tag_map_its_tags_carry_their_attributes(with_setters):
    generator, _ = with_setters
    build_ = tag_map_build(generator.context)
    assert build_ is not None
    assert set(build_.tags) == {"ecoute", "essai"}
    ancient = next(built for built in generator.articles if built.title == "Ancien")
    mapped, stray = article_tags(ancient)
    assert (is_map_tag(mapped), tag_key(mapped), search_terms(mapped)) == (
        True,
        "ecoute",
        ["listening", "écoute active"],
    )
    assert mapped is build_.tags["ecoute"]
    assert (mapped.en_label, mapped.en_url) == (
        "listening",
        "en/tag/listening/",
    )
    assert (is_map_tag(stray), tag_key(stray), search_terms(stray)) == (False, None, [])
