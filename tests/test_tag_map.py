"""The tag map's pure logic: loading and validating the map, resolving written tags,
related weights, and the SVG layout. No site is built here."""

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from carnet.tagmap.export import tag_record, tagmap_json
from carnet.tagmap.graph import related, shared_articles
from carnet.tagmap.layout import (
    AXIS_X,
    R_MAX,
    R_MIN,
    WIDTH,
    GroupSpec,
    NodeSpec,
    edge_width,
    lay_out,
    node_radius,
)
from carnet.tagmap.mapfile import TagMapError, load_map, parse_map
from carnet.tagmap.matching import fold
from carnet.tagmap.svg import LABEL_ROOM, describe, render_svg
from tests.project import ROOT

MAP = """\
[groups.savoir-etre]
fr = "Le savoir-être"
en = "Soft skills"

[groups.partenariat]
fr = "Le partenariat"
en = "Partnership"

[tags.savoir-etre]
group = "savoir-etre"
fr = "Savoir-être"
en = "soft skills"
aliases = ["compétences non techniques"]
description_fr = "Les compétences humaines."
description_en = "People skills."

[tags.partenariat]
group = "partenariat"
fr = "Partenariat"
en = "partnership"
slug_en = "partnerships"

[tags."cœur-de-metier"]
group = "partenariat"
fr = "Cœur de métier"
en = "core business"
"""


def problems_of(text: str) -> list[str]:
    with pytest.raises(TagMapError) as caught:
        parse_map(text, source="carte.toml")
    return caught.value.lines()


def line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if fragment in line)


# Loading


def test_a_valid_map_loads_with_defaults():
    tag_map = parse_map(MAP)
    assert list(tag_map.groups) == ["savoir-etre", "partenariat"]
    assert list(tag_map.tags) == ["savoir-etre", "partenariat", "cœur-de-metier"]
    soft = tag_map.tags["savoir-etre"]
    assert (soft.fr, soft.en, soft.group) == ("Savoir-être", "soft skills", "savoir-etre")
    assert (soft.slug_fr, soft.slug_en) == ("savoir-etre", "soft-skills")  # slugified labels
    assert soft.aliases == ("compétences non techniques",)
    assert soft.description_en == "People skills."
    assert soft.line == line_of(MAP, "[tags.savoir-etre]")
    assert tag_map.tags["partenariat"].slug_en == "partnerships"  # given explicitly
    assert tag_map.tags["cœur-de-metier"].slug_fr == "coeur-de-metier"
    assert tag_map.tags["cœur-de-metier"].line == line_of(MAP, "cœur-de-metier")


def test_a_missing_file_means_no_map(tmp_path):
    assert load_map(tmp_path / "tagmap.toml") is None


def test_the_projects_map_has_the_four_themes_in_english():
    tag_map = load_map(ROOT / "content/tagmap.toml")
    english = {entry.en: entry for entry in tag_map.tags.values()}
    for label in ["synchronicity", "partnership", "soft skills", "procurement"]:
        assert label in english
        assert english[label].fr
        assert english[label].description_fr
        assert english[label].description_en
    resolver = tag_map.resolver()
    soft = [resolver.resolve(t) for t in ["compétences non techniques", "soft skills", "savoir-être"]]
    assert soft == ["savoir-etre"] * 3


# Resolving a written tag


@pytest.mark.parametrize(
    "written",
    [
        "Savoir-être",
        "savoir-etre",
        "SAVOIR ÊTRE",
        "Savoir-etre",
        "  savoir  être ",
        "Soft Skills",
        "soft-skills",
    ],
)
def test_labels_resolve_whatever_the_case_accents_and_separators(written):
    assert parse_map(MAP).resolver().resolve(written) == "savoir-etre"


@pytest.mark.parametrize(
    "written", ["compétences non techniques", "Competences non-techniques", "COMPÉTENCES"]
)
def test_aliases_resolve_to_their_canonical_tag(written):
    expected = None if written == "COMPÉTENCES" else "savoir-etre"
    assert parse_map(MAP).resolver().resolve(written) == expected


def test_ligatures_and_quotes_fold():
    assert fold("Cœur de métier") == fold("coeur de metier") == "coeur de metier"
    assert fold("L’écoute") == fold("l'ecoute") == "l ecoute"
    assert parse_map(MAP).resolver().resolve("coeur de metier") == "cœur-de-metier"


def test_unknown_tag_resolves_to_nothing():
    assert parse_map(MAP).resolver().resolve("écoute") is None


# Errors: each names the line and says how to fix it


def test_malformed_toml_gives_its_line():
    text = MAP.replace('en = "partnership"', 'en = "partnership')
    [message] = problems_of(text)
    line = line_of(text, 'en = "partnership')
    assert message.startswith(f"carte.toml:{line}: TOML invalide")
    assert "vérifiez les guillemets" in message


def test_unknown_group_names_the_line_and_the_defined_groups():
    text = MAP.replace(
        'group = "partenariat"\nfr = "Partenariat"', 'group = "partenaires"\nfr = "Partenariat"'
    )
    [message] = problems_of(text)
    line = line_of(text, 'group = "partenaires"')
    assert message.startswith(f"carte.toml:{line}: [tags.partenariat] : le groupe « partenaires »")
    assert "ajoutez une table [groups.partenaires]" in message
    assert "savoir-etre, partenariat" in message


@pytest.mark.parametrize("field", ["fr", "en", "group"])
def test_required_fields_are_checked(field):
    lines = [line for line in MAP.splitlines(keepends=True) if not line.startswith(f"{field} = ")]
    messages = problems_of("".join(lines))
    assert any(f"[tags.partenariat] : il manque {field} = " in m for m in messages), messages
    assert all(m.startswith("carte.toml:") for m in messages)


def test_an_empty_label_is_an_error():
    [message] = problems_of(MAP.replace('fr = "Partenariat"', 'fr = "  "'))
    assert "[tags.partenariat] : il manque fr = " in message


def test_unknown_key_suggests_the_right_one():
    text = MAP.replace('slug_en = "partnerships"', 'alias = ["partenaires"]')
    [message] = problems_of(text)
    assert message.startswith(f"carte.toml:{line_of(text, '[tags.partenariat]')}:")
    assert "clé inconnue « alias » : vouliez-vous dire « aliases » ?" in message


def test_french_slug_collision_names_both_tags():
    text = MAP + '\n[tags.partenariats]\ngroup = "partenariat"\nfr = "Partenariats"\nen = "partners"\n'
    text = text.replace('fr = "Partenariats"', 'fr = "Partenariats"\nslug_fr = "partenariat"')
    [message] = problems_of(text)
    assert message.startswith(f"carte.toml:{line_of(text, '[tags.partenariats]')}:")
    assert "[tags.partenariats] et [tags.partenariat]" in message
    assert "même slug français « partenariat »" in message
    assert "un autre slug_fr" in message


def test_english_slug_collision_is_an_error():
    text = MAP.replace('en = "core business"', 'en = "core business"\nslug_en = "partnerships"')
    [message] = problems_of(text)
    assert "même slug anglais « partnerships »" in message
    assert f"(ligne {line_of(text, '[tags.partenariat]')})" in message


def test_a_form_naming_two_tags_is_an_error():
    text = MAP.replace('en = "core business"', 'en = "core business"\naliases = ["Soft-Skills"]')
    [message] = problems_of(text)
    line = line_of(text, 'aliases = ["Soft-Skills"]')
    assert message.startswith(f"carte.toml:{line}:")
    assert "« Soft-Skills » nomme déjà [tags.savoir-etre]" in message


def test_bad_slug_and_aliases_are_errors():
    text = MAP.replace('slug_en = "partnerships"', 'slug_en = "Partner Ships"\naliases = "partenaires"')
    messages = problems_of(text)
    assert any("slug_en = 'Partner Ships' n’est pas un slug" in m for m in messages)
    assert any("aliases doit être une liste de textes" in m for m in messages)


def test_group_problems_and_unknown_tables():
    text = MAP.replace('en = "Partnership"\n', "") + '\n[tag.oubli]\nfr = "Oubli"\n'
    messages = problems_of(text)
    assert any("[groups.partenariat] : il manque en = " in m for m in messages)
    assert any(f"carte.toml:{line_of(text, '[tag.oubli]')}: table inconnue [tag]" in m for m in messages)


def test_every_problem_is_reported_at_once():
    text = MAP.replace('group = "partenariat"\nfr = "Partenariat"', 'group = "x"\nfr = "Partenariat"')
    text = text.replace('slug_en = "partnerships"', 'slug_en = "soft-skills"')
    text = text.replace('en = "core business"', 'en = "core business"\ncolour = "red"')
    assert len(problems_of(text)) == 3


def test_error_of_a_map_file_names_the_file(tmp_path):
    path = tmp_path / "tagmap.toml"
    path.write_text("[tags.x\n", encoding="utf-8")
    with pytest.raises(TagMapError, match=rf"{path}:1: TOML invalide"):
        load_map(path)


# Related weights

ARTICLES = [["a", "b", "c"], ["a", "b"], ["c", "d"], ["a", "a"]]


def test_shared_articles():
    assert shared_articles(ARTICLES) == {("a", "b"): 2, ("a", "c"): 1, ("b", "c"): 1, ("c", "d"): 1}


def test_related_tags_by_weight_then_key():
    weights = shared_articles(ARTICLES)
    assert related(weights, "a") == [("b", 2), ("c", 1)]
    assert related(weights, "c") == [("a", 1), ("b", 1), ("d", 1)]
    assert related(weights, "absent") == []


# Layout and SVG

GROUPS = [
    GroupSpec(
        "g1", "Premier", "First", (NodeSpec("a", "Alpha", "alpha", 3), NodeSpec("b", "Bêta", "beta", 2))
    ),
    GroupSpec("vide", "Vide", "Empty", (NodeSpec("z", "Zêta", "zeta", 0),)),
    GroupSpec(
        "g2", "Second", "Second", (NodeSpec("c", "Gamma <&>", "gamma", 2), NodeSpec("d", "Delta", "d", 1))
    ),
]


def test_layout_is_deterministic_and_inside_the_box():
    weights = shared_articles(ARTICLES)
    layout = lay_out(GROUPS, weights)
    assert layout == lay_out(GROUPS, weights)
    assert [n.key for n in layout.nodes] == ["a", "b", "c", "d"]  # map order, unused tags left out
    assert [g.key for g in layout.groups] == ["g1", "g2"]
    ys = [n.y for n in layout.nodes]
    assert ys == sorted(ys)
    for node in layout.nodes:
        assert node.x == AXIS_X
        assert node.r <= node.y <= layout.height - node.r
    assert len({n.color for n in layout.nodes if n.group == "g1"}) == 1
    assert layout.nodes[0].color != layout.nodes[2].color


def test_node_size_grows_with_the_article_count():
    layout = lay_out(GROUPS, {})
    radius = {n.key: n.r for n in layout.nodes}
    assert radius["a"] == R_MAX
    assert radius["a"] > radius["b"] == radius["c"] > radius["d"] >= R_MIN
    assert node_radius(0, 0) == R_MIN


def test_edges_join_tags_that_share_articles_weighted():
    layout = lay_out(GROUPS, shared_articles(ARTICLES))
    edges = {(e.a, e.b): e for e in layout.edges}
    assert set(edges) == {("a", "b"), ("a", "c"), ("b", "c"), ("c", "d")}
    assert edges[("a", "b")].width == edge_width(2) > edges[("a", "c")].width == edge_width(1)
    assert layout.edges[-1].weight == 2  # the strongest is drawn last, on top
    for edge in layout.edges:
        bulge = float(edge.path.split("A")[1].split()[0])
        assert 0 < bulge <= AXIS_X


def test_svg_is_an_accessible_image_with_nodes_and_edges():
    layout = lay_out(GROUPS, shared_articles(ARTICLES))
    svg = BeautifulSoup(render_svg(layout), "html.parser").svg
    assert svg["role"] == "img"
    assert svg["viewbox"] == f"0 0 {WIDTH} {layout.height:g}"
    assert svg.find(id=svg["aria-labelledby"]).get_text() == "Carte des étiquettes"
    description = svg.find(id=svg["aria-describedby"]).get_text()
    assert description.startswith("4 étiquettes en 2 thèmes, 4 liens")
    assert "Alpha et Bêta (2 articles)" in description
    nodes = svg.select("g.noeud")
    assert [n["data-key"] for n in nodes] == ["a", "b", "c", "d"]
    assert nodes[0].circle["r"] == f"{R_MAX:g}"
    gamma = nodes[2]
    assert [t.get_text() for t in gamma.find_all("text")] == ["Gamma <&>", "gamma", "2"]
    assert gamma.find("text", attrs={"lang": "en"}).get_text() == "gamma"
    edges = svg.select("path.lien")
    assert {(e["data-a"], e["data-b"], e["data-weight"]) for e in edges} == {
        ("a", "b", "2"),
        ("a", "c", "1"),
        ("b", "c", "1"),
        ("c", "d", "1"),
    }
    assert "Gamma &lt;&amp;&gt;" in render_svg(layout)


def test_long_labels_are_squeezed_into_their_room():
    long = [GroupSpec("g", "Groupe", "Group", (NodeSpec("x", "Une étiquette beaucoup trop longue", "x", 1),))]
    svg = BeautifulSoup(render_svg(lay_out(long, {})), "html.parser")
    french, english, count = svg.select_one("g.noeud").find_all("text")
    # The whole label, squeezed to its room, ends before the count's digit begins.
    assert french.get_text() == "Une étiquette beaucoup trop longue"
    assert (french["textlength"], french["lengthadjust"]) == (f"{LABEL_ROOM:g}", "spacingAndGlyphs")
    end = float(french["x"]) + float(french["textlength"])
    assert end < float(count["x"]) - float(count["font-size"])  # the count is anchored at its end
    assert (english.get_text(), english.get("textlength")) == ("x", None)  # short: drawn as it is


def test_an_empty_graph_still_draws():
    layout = lay_out([], {})
    assert layout.nodes == ()
    assert layout.edges == ()
    assert describe(layout).startswith("0 étiquette en 0 thème")
    assert "<svg" in render_svg(layout)


# tagmap.json


def test_tagmap_json_document():
    entry = parse_map(MAP).tags["partenariat"]
    record = tag_record(entry, "etiquette/partenariat/", "en/tag/partnerships/", ["a/", "b/"], [("x", 2)])
    document = json.loads(tagmap_json("etiquettes/", [record]))
    assert document == {
        "page": "etiquettes/",
        "tags": [
            {
                "key": "partenariat",
                "group": "partenariat",
                "fr": {"label": "Partenariat", "url": "etiquette/partenariat/"},
                "en": {"label": "partnership", "url": "en/tag/partnerships/"},
                "count": 2,
                "articles": ["a/", "b/"],
                "related": [{"key": "x", "weight": 2}],
            }
        ],
    }


def test_module_layout_follows_the_house_style():
    plugin = ROOT / "plugins/tag_map"
    assert (plugin / "__init__.py").read_text(encoding="utf-8").startswith("from .tag_map import register")
    for module in sorted(Path(plugin).glob("*.py")):
        if module.name != "__init__.py":
            assert module.read_text(encoding="utf-8").startswith('"""'), module


def test_a_tag_folds_whatever_its_unicode_form():
    # NFKC first, as Pelican's slug: decomposed accents and compatibility ligatures.
    assert fold("E\u0301coute") == fold("Écoute") == "ecoute"
    assert fold("ﬁdélité") == "fidelite"


def test_sharp_s_folds_as_the_search_index_does_not_as_the_slug():
    # The one folding (carnet/text/folding.py) is the search index's table: « ß » gives « s »,
    # where Pelican's slug (Unidecode) gives « ss ». So a written « Straße » no longer resolves
    # to a mapped « Strasse », though both would write /etiquette/strasse/: the build names
    # that stray tag in its collision error (collisions.py), it never takes the page silently.
    from pelican.utils import slugify

    mapped = parse_map(
        '[groups.lieux]\nfr = "Lieux"\nen = "Places"\n\n'
        '[tags.rue]\ngroup = "lieux"\nfr = "Strasse"\nen = "street"\n'
    )
    assert mapped.resolver().resolve("STRASSE") == "rue"
    assert mapped.resolver().resolve("Straße") is None
    assert fold("Straße") == "strase"
    assert slugify("Straße") == slugify("Strasse") == "strasse"
