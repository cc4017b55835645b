"""The tag map in built sites: French and English tag pages, the map page and its SVG,
tagmap.json, tags on article pages, and what a bad map or an unknown tag does to a build."""

import json
import logging
import re

import feedparser
import pytest

from tests.project import ROOT
from tests.sitebuild import SiteBuildFailed, article, build_test_site, tiny_content

TINY_MAP = """\
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

[tags.ecoute]
group = "savoir-etre"
fr = "Écoute"
en = "listening"

[tags.partenariat]
group = "partenariat"
fr = "Partenariat"
en = "partnership"

[tags.inutile]
group = "partenariat"
fr = "Inutilisée"
en = "unused"
"""

# Each article writes its tags another way: label, English, alias, no accent, twice the same tag.
ARTICLES = {
    "premier.md": article("Premier", Date="2021-03-01", Tags="Savoir-etre, partenariat, Écoute"),
    "deuxieme.md": article("Deuxième", Date="2021-02-01", Tags="compétences non techniques, Partnership"),
    "troisieme.md": article("Troisième", Date="2021-01-01", Tags="soft skills, SAVOIR-ÊTRE"),
    # A draft is checked once published: its unknown tag is no warning yet.
    "brouillon.md": article("Brouillon", Tags="pas encore dans la carte", Status="draft"),
}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("tagmap")
    content = tiny_content(tmp, ARTICLES, {"tagmap.toml": TINY_MAP})
    return build_test_site(tmp / "out", content)


def squash(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def titles(page) -> list[str]:
    return [squash(a.get_text()) for a in page.select(".carte__titre a")]


def head_links(site, page) -> dict[str, str]:
    links = {"canonical": page.select_one("link[rel=canonical]")["href"]}
    for link in page.select("link[rel=alternate][hreflang]"):
        links[link["hreflang"]] = link["href"]
    return links


# Pages


def test_french_tag_page_is_canonical_and_points_to_the_english_one(tiny):
    page = tiny.html("etiquette/savoir-etre/index.html")
    assert squash(page.h1.get_text()) == "Savoir-être"
    assert titles(page) == ["Premier", "Deuxième", "Troisième"]
    french, english = f"{tiny.siteurl}/etiquette/savoir-etre/", f"{tiny.siteurl}/en/tag/soft-skills/"
    assert head_links(tiny, page) == {"canonical": french, "fr": french, "en": english, "x-default": french}
    link = page.select_one(".page-etiquette__autre-langue a")
    assert (link["href"], link["lang"], link.get_text()) == (english, "en", "soft skills")
    assert "Les compétences humaines." in page.select_one("main").get_text()


def test_english_tag_page_has_the_same_articles_and_marks_its_languages(tiny):
    page = tiny.html("en/tag/soft-skills/index.html")
    assert page.html["lang"] == "fr"  # the site around it stays French
    section = page.select_one("main section[lang=en]")
    assert squash(section.h1.get_text()) == "soft skills"
    assert "People skills." in section.get_text()
    assert titles(page) == titles(tiny.html("etiquette/savoir-etre/index.html"))
    assert all(card.find_parent(attrs={"lang": "fr"}) for card in page.select("article.carte"))
    french = f"{tiny.siteurl}/etiquette/savoir-etre/"
    links = head_links(tiny, page)
    assert links == {
        "canonical": french,
        "fr": french,
        "en": f"{tiny.siteurl}/en/tag/soft-skills/",
        "x-default": french,
    }
    back = section.select_one(".page-etiquette__autre-langue a")
    assert (back["href"], back["lang"], back.get_text()) == (french, "fr", "Savoir-être")
    related = [squash(li.get_text()) for li in page.select(".etiquettes-voisines li")]
    assert related == ["partnership 2 shared articles", "listening 1 shared article"]


def test_every_written_form_lands_on_one_tag(tiny):
    pages = sorted(p.parent.name for p in (tiny.output / "etiquette").glob("*/index.html"))
    assert pages == ["ecoute", "partenariat", "savoir-etre"]
    assert sorted(p.parent.name for p in (tiny.output / "en/tag").glob("*/index.html")) == [
        "listening",
        "partnership",
        "soft-skills",
    ]
    assert titles(tiny.html("etiquette/partenariat/index.html")) == ["Premier", "Deuxième"]


def test_article_page_shows_each_tag_in_both_languages(tiny):
    page = tiny.html("troisieme/index.html")
    tags = [squash(li.get_text()) for li in page.select("ul.etiquettes li")]
    assert tags == ["Savoir-être · soft skills"]  # written twice, shown once
    french, english = page.select("ul.etiquettes li a")
    assert french["href"] == f"{tiny.siteurl}/etiquette/savoir-etre/"
    assert (english["href"], english["lang"]) == (f"{tiny.siteurl}/en/tag/soft-skills/", "en")
    first = tiny.html("premier/index.html")
    assert [squash(li.get_text()) for li in first.select("ul.etiquettes li")] == [
        "Savoir-être · soft skills",
        "Partenariat · partnership",
        "Écoute · listening",
    ]


def test_each_tag_has_an_atom_feed_linked_from_both_pages(tiny):
    feed_url = f"{tiny.siteurl}/feeds/etiquette-savoir-etre.atom.xml"
    for path in ["etiquette/savoir-etre/index.html", "en/tag/soft-skills/index.html"]:
        link = tiny.html(path).select_one(
            "link[rel=alternate][type='application/atom+xml'][title*=tag], "
            "link[rel=alternate][type='application/atom+xml'][title*=étiquette]"
        )
        assert link["href"] == feed_url, path
    feed = feedparser.parse(tiny.page_for_url(feed_url).read_bytes())
    assert not feed.bozo
    assert len(feed.entries) == 3


# The map page


def test_map_page_groups_every_tag_with_both_labels_and_counts(tiny):
    page = tiny.html("etiquettes/index.html")
    groups = page.select("section.theme-etiquettes")
    assert [squash(g.h2.get_text()) for g in groups] == [
        "Le savoir-être Soft skills",
        "Le partenariat Partnership",
    ]
    cards = [
        squash(li.select_one(".fiche-etiquette__noms").get_text()) for li in page.select(".fiche-etiquette")
    ]
    assert cards == [
        "Savoir-être · soft skills 3 articles",
        "Écoute · listening 1 article",
        "Partenariat · partnership 2 articles",
    ]
    assert "Inutilisée" not in page.select_one("main").get_text()  # unused: no page, not on the map
    assert page.select_one(".fiche-etiquette__description--en")["lang"] == "en"


def test_map_page_draws_an_svg_with_nodes_and_weighted_edges(tiny):
    page = tiny.html("etiquettes/index.html")
    assert page.find("script") is None
    svg = page.select_one("figure svg")
    assert svg["role"] == "img"
    assert svg.find(id=svg["aria-labelledby"]).get_text() == "Carte des étiquettes"
    assert svg["viewbox"].startswith("0 0 400 ")
    nodes = {g["data-key"]: g for g in svg.select("g.noeud")}
    assert list(nodes) == ["savoir-etre", "ecoute", "partenariat"]
    assert float(nodes["savoir-etre"].circle["r"]) > float(nodes["partenariat"].circle["r"])
    assert float(nodes["partenariat"].circle["r"]) > float(nodes["ecoute"].circle["r"])
    assert [t.get_text() for t in nodes["ecoute"].find_all("text")] == ["Écoute", "listening", "1"]
    edges = {(e["data-a"], e["data-b"]): int(e["data-weight"]) for e in svg.select("path.lien")}
    assert edges == {
        ("partenariat", "savoir-etre"): 2,
        ("ecoute", "savoir-etre"): 1,
        ("ecoute", "partenariat"): 1,
    }


def test_tagmap_json_describes_the_map_with_urls_that_resolve(tiny):
    document = json.loads((tiny.output / "tagmap.json").read_text(encoding="utf-8"))
    assert document["page"] == "etiquettes/"
    assert tiny.page_for_url("/" + document["page"]).is_file()
    by_key = {tag["key"]: tag for tag in document["tags"]}
    assert list(by_key) == ["savoir-etre", "ecoute", "partenariat"]
    soft = by_key["savoir-etre"]
    assert soft["group"] == "savoir-etre"
    assert soft["fr"] == {"label": "Savoir-être", "url": "etiquette/savoir-etre/"}
    assert soft["en"] == {"label": "soft skills", "url": "en/tag/soft-skills/"}
    assert soft["count"] == 3
    assert soft["articles"] == ["premier/", "deuxieme/", "troisieme/"]
    assert soft["related"] == [{"key": "partenariat", "weight": 2}, {"key": "ecoute", "weight": 1}]
    for tag in document["tags"]:
        for url in [tag["fr"]["url"], tag["en"]["url"], *tag["articles"]]:
            assert not url.startswith(("/", "http")), url
            assert tiny.page_for_url("/" + url).is_file(), url


# Bad input


def test_unknown_tag_fails_a_strict_build_naming_the_file_and_the_tag(tmp_path):
    articles = {"a.md": article("Essai", Tags="partenariat, Écoute active")}
    content = tiny_content(tmp_path, articles, {"tagmap.toml": TINY_MAP})
    expected = r"tag_map: articles/a\.md: the tag « Écoute active » is not in the tag map .*tagmap\.toml"
    with pytest.raises(SiteBuildFailed, match=expected):
        build_test_site(tmp_path / "out", content)
    # Pelican says a warning once per process: build the same content from another folder.
    again = tiny_content(tmp_path / "encore", articles, {"tagmap.toml": TINY_MAP})
    site = build_test_site(tmp_path / "out2", again, strict=False)
    assert len(site.warnings) == 1
    assert (site.output / "etiquette/ecoute-active/index.html").is_file()  # kept as written
    outside = site.html("etiquettes/index.html").find(id="theme-hors-carte").find_parent("section")
    assert "Écoute active" in outside.get_text()


def test_unused_entry_is_reported_without_failing_the_build(tmp_path, caplog, capsys):
    content = tiny_content(
        tmp_path, {"a.md": article("Essai", Tags="partenariat")}, {"tagmap.toml": TINY_MAP}
    )
    with caplog.at_level(logging.INFO):
        site = build_test_site(tmp_path / "out", content)
    reports = [r.getMessage() for r in caplog.records if "ne sert à aucun article" in r.getMessage()]
    line = TINY_MAP.splitlines().index("[tags.inutile]") + 1
    assert any(
        f"tagmap.toml:{line}: [tags.inutile] « Inutilisée » ne sert à aucun article" in r for r in reports
    )
    assert all(r.levelno < logging.WARNING for r in caplog.records if "tag_map" in r.name)
    assert "étiquette(s) de" in capsys.readouterr().out  # the summary line that `invoke build` shows
    assert not (site.output / "etiquette/inutilisee").exists()


def line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if fragment in line)


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        (
            'group = "partenariat"\nfr = "Partenariat"',
            'group = "partenaires"\nfr = "Partenariat"',
            'group = "partenaires"',
            "[tags.partenariat] : le groupe « partenaires » n’est pas défini ; ajoutez une table "
            "[groups.partenaires]",
        ),
        ('fr = "Écoute"', 'fr = "Écoute', 'fr = "Écoute', "TOML invalide"),
        (
            'en = "unused"',
            'en = "unused"\nslug_fr = "partenariat"',
            "[tags.inutile]",
            "[tags.inutile] et [tags.partenariat] (ligne 22) ont le même slug français « partenariat »",
        ),
    ],
)
def test_a_bad_map_is_an_error_that_names_the_line(tmp_path, old, new, where, message):
    text = TINY_MAP.replace(old, new)
    content = tiny_content(tmp_path, {"a.md": article("Essai", Tags="partenariat")}, {"tagmap.toml": text})
    site = build_test_site(tmp_path / "out", content, strict=False)
    [error] = site.warnings  # one error, and no cascade of unknown tags after it
    assert error.startswith("ERROR tag_map.tag_map: tag_map: ")
    assert f"tagmap.toml:{line_of(text, where)}: {message}" in error
    assert (site.output / "etiquette/partenariat/index.html").is_file()  # the build goes on, map aside
    assert not (site.output / "tagmap.json").exists()
    with pytest.raises(SiteBuildFailed, match="tag_map: "):
        build_test_site(tmp_path / "strict", content)


def test_each_problem_of_an_unusable_map_is_its_own_french_error_and_the_build_is_refused(tmp_path):
    from carnet.builds.runner import BuildFailed as Refused
    from carnet.builds.runner import run_pelican

    text = TINY_MAP.replace('aliases = ["', 'alias = ["').replace(
        'en = "unused"', 'en = "unused"\nslug_fr = "x y"'
    )
    content = tiny_content(tmp_path, {"a.md": article("Essai", Tags="partenariat")}, {"tagmap.toml": text})
    overrides = {"PATH": str(content), "CACHE_PATH": str(tmp_path / "cache")}
    (tmp_path / "build").mkdir()
    with pytest.raises(Refused) as refused:
        run_pelican(ROOT / "pelicanconf.py", tmp_path / "build", overrides=overrides)
    source = str(content / "tagmap.toml")
    said = [(f.file, f.line, f.message) for f in refused.value.report.findings if f.severity == "erreur"]
    unusable = "carte des étiquettes inutilisable : "
    assert said == [
        (
            source,
            line_of(text, "[tags.savoir-etre]"),
            unusable + "[tags.savoir-etre] : clé inconnue « alias » : vouliez-vous dire « aliases » ?",
        ),
        (
            source,
            line_of(text, 'slug_fr = "x y"'),
            unusable + "[tags.inutile] : slug_fr = 'x y' n’est pas un slug ; utilisez des minuscules "
            'sans accent, des chiffres et des tirets simples, comme "savoir-etre"',
        ),
    ]


def test_without_a_map_file_tags_are_used_as_written(tmp_path):
    content = tiny_content(tmp_path, {"a.md": article("Essai", Tags="essai, Autre chose")})
    site = build_test_site(tmp_path / "out", content)
    assert (site.output / "etiquette/essai/index.html").is_file()
    assert not (site.output / "en").exists()
    assert not (site.output / "tagmap.json").exists()
    assert [squash(li.get_text()) for li in site.html("essai/index.html").select("ul.etiquettes li")] == [
        "essai",
        "Autre chose",
    ]
    assert site.html("etiquettes/index.html").select_one("figure svg") is None


# The project's own site

THEMES = {
    "synchronicite": ("synchronicity", ["les-synchronicites-qui-provoquent-la-rencontre-avec-le-client/"]),
    "partenariat": ("partnership", ["aujourdhui-jai-rencontre-un-partenaire/"]),
    "savoir-etre": (
        "soft-skills",
        [
            "perdre-des-clients/",
            "vos-competences-non-techniques-comptent-autant-que-vos-competences-techniques/",
        ],
    ),
    "achats": ("procurement", ["quen-est-il-de-la-fidelisation-dans-le-be-to-be/"]),
}


@pytest.mark.parametrize("slug", THEMES)
def test_each_theme_has_french_and_english_pages_linking_to_its_articles(site, slug):
    english_slug, articles = THEMES[slug]
    for path in [f"etiquette/{slug}/index.html", f"en/tag/{english_slug}/index.html"]:
        page = site.html(path)
        links = sorted(a["href"] for a in page.select(".carte__titre a"))
        assert links == sorted(f"{site.siteurl}/{url}" for url in articles), path
        assert page.select_one("link[rel=canonical]")["href"] == f"{site.siteurl}/etiquette/{slug}/"
        assert page.select_one("link[hreflang=en]")["href"] == f"{site.siteurl}/en/tag/{english_slug}/"
    assert squash(site.html(f"en/tag/{english_slug}/index.html").h1.get_text()) == english_slug.replace(
        "-", " "
    )


def test_every_tag_of_every_article_is_in_the_map(site):
    document = json.loads((site.output / "tagmap.json").read_text(encoding="utf-8"))
    assert len(document["tags"]) == 16
    for path in site.output.glob("*/index.html"):
        page = site.html(str(path.relative_to(site.output)))
        for item in page.select("article.article ul.etiquettes li"):
            assert len(item.select("a")) == 2, (path, item)
            assert " · " in item.get_text()
    soft = site.html(
        "vos-competences-non-techniques-comptent-autant-que-vos-competences-techniques/index.html"
    )
    assert "Savoir-être · soft skills" in [squash(li.get_text()) for li in soft.select("ul.etiquettes li")]


def test_the_projects_map_page_and_json(site):
    page = site.html("etiquettes/index.html")
    assert len(page.select("figure svg g.noeud")) == 16
    assert len(page.select("figure svg path.lien")) >= 16
    document = json.loads((site.output / "tagmap.json").read_text(encoding="utf-8"))
    for tag in document["tags"]:
        for url in [tag["fr"]["url"], tag["en"]["url"], *tag["articles"]]:
            assert site.page_for_url("/" + url).is_file(), url
        assert (site.output / f"feeds/etiquette-{tag['fr']['url'].split('/')[1]}.atom.xml").is_file()
