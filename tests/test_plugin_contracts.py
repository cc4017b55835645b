"""The attributes plugins add to articles and tags (carnet/articles/attributes.py), on real built
sites: each one is there with its declared default when the plugin that sets it is not loaded,
and set when it is.

Pelican's signals are process-wide: a plugin that an earlier build of the test run loaded stays
connected. So each site is built, and its articles looked at, in an interpreter of its own.
"""

import json
import subprocess
import sys
from dataclasses import MISSING, asdict, fields, is_dataclass
from pathlib import Path

import pytest
from pelican import signals
from pelican.contents import Article

from carnet.articles.attributes import (
    ArticleAttributes,
    article_tags,
    is_map_tag,
    search_terms,
    tag_key,
    tag_map_build,
)
from carnet.resume.parsing import MAX_POINTS, TOO_MANY
from tests.project import ROOT
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
    # Hidden, in a category of its own: no page for that category (`without_page`).
    "cache.md": article("Caché", Date="2020-05-01", Status="hidden", Category="Réservé"),
}
# What the theme needs to render a page at all: its filters and its fingerprinted file names.
THEME_PLUGINS = ["french_typography", "theme_assets"]
# Without the plugins that set the attributes; script_guard reads `resume_html`.
READER_ONLY = [*THEME_PLUGINS, "script_guard"]
SETTERS = [*THEME_PLUGINS, "article_metadata", "resume", "tag_map", "related", "article_review"]


def plain(value):
    """An attribute's value as JSON: an article by its title."""
    if isinstance(value, Article):
        return value.title
    if is_dataclass(value):
        return asdict(value)
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted(plain(item) for item in value)
    return value


def observe(content: str, output: str, plugins: list[str]) -> None:
    """Build the site with `plugins` and print, as JSON, what its articles and tags carry."""
    seen = []
    signals.article_generator_finalized.connect(seen.append, weak=False)
    site = build_test_site(Path(output), Path(content), strict=False, PLUGINS=plugins)
    [generator] = seen
    build = tag_map_build(generator.context)
    observed = {
        "warnings": site.warnings,
        "tag_map_build": sorted(build.tags) if build is not None else None,
        "articles": {
            built.title: {
                "attributes": {f.name: plain(vars(built)[f.name]) for f in fields(ArticleAttributes)},
                "tags": [
                    [str(tag), is_map_tag(tag), tag_key(tag), search_terms(tag), vars(tag).get("en_label")]
                    for tag in article_tags(built)
                ],
            }
            for built in [*generator.articles, *generator.hidden_articles]
        },
    }
    print(json.dumps(observed))


def built(tmp: Path, plugins: list[str]) -> dict:
    content = tiny_content(tmp, ARTICLES, {"tagmap.toml": TINY_MAP})
    arguments = f"{str(content)!r}, {str(tmp / 'out')!r}, {plugins!r}"
    code = f"from tests.test_plugin_contracts import observe; observe({arguments})"
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.splitlines()[-1])


def defaults() -> dict:
    return {
        f.name: plain(f.default_factory() if f.default is MISSING else f.default)
        for f in fields(ArticleAttributes)
    }


@pytest.fixture(scope="module")
def without_setters(tmp_path_factory):
    return built(tmp_path_factory.mktemp("readers"), READER_ONLY)


@pytest.fixture(scope="module")
def with_setters(tmp_path_factory):
    return built(tmp_path_factory.mktemp("setters"), SETTERS)


def test_without_their_plugins_every_attribute_has_its_default(without_setters):
    # Without article_metadata, Pelican drops the undated article.
    [dropped] = without_setters["warnings"]
    assert "sans-date.md: could not find information about 'date'" in dropped
    articles = without_setters["articles"]
    assert sorted(articles) == ["Ancien", "Avec résumé", "Caché", "Trop long"]
    for title, seen in articles.items():
        assert seen["attributes"] == defaults(), title


def test_without_the_tag_map_tags_carry_nothing_of_it(without_setters):
    assert without_setters["tag_map_build"] is None
    tags = [tag for seen in without_setters["articles"].values() for tag in seen["tags"]]
    assert sorted(tags) == [
        ["essai", False, None, [], None],
        ["essai", False, None, [], None],
        ["essai", False, None, [], None],
        ["hors carte", False, None, [], None],
        ["écoute active", False, None, [], None],
    ]


def test_with_their_plugins_every_attribute_is_set(with_setters):
    # The two things this site does wrong, said by their plugins.
    first, second = with_setters["warnings"]
    assert "« hors carte » is not in the tag map" in first
    assert "long.md" in second
    articles = {title: seen["attributes"] for title, seen in with_setters["articles"].items()}
    assert sorted(articles) == ["Ancien", "Avec résumé", "Caché", "Sans date", "Trop long"]
    unset = defaults()
    set_somewhere = {
        name for values in articles.values() for name, value in values.items() if value != unset[name]
    }
    assert set_somewhere == set(unset)
    summarised = articles["Avec résumé"]
    assert "Un point" in summarised["resume_html"]
    assert summarised["description_text"] == "Un point"
    assert summarised["resume_origin"] == "Résumé de Camille"
    [problem] = articles["Trop long"]["resume_problems"]
    assert (problem["kind"], problem["values"]) == (TOO_MANY, [MAX_POINTS + 1, MAX_POINTS])
    assert articles["Caché"]["without_page"] == ["categorie/reserve/"]
    assert articles["Ancien"]["without_page"] == []
    assert articles["Sans date"]["date_unknown"] is True
    assert summarised["date_unknown"] is False
    # Newest first, and « Sans date » sorts after the dated ones.
    assert (summarised["prev_article"], summarised["next_article"]) == ("Ancien", "Trop long")


def test_with_the_tag_map_its_tags_carry_their_attributes(with_setters):
    assert with_setters["tag_map_build"] == ["ecoute", "essai"]
    assert with_setters["articles"]["Ancien"]["tags"] == [
        ["Écoute", True, "ecoute", ["listening", "écoute active"], "listening"],
        ["hors carte", False, None, [], None],
    ]
