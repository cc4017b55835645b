"""One tag per page: a tag outside the map never takes over a mapped tag's page (issue 16),
and the matcher folds tags as their page addresses do."""

import pytest

from carnet.tagmap.collisions import WrittenTag, describe, find_collisions
from carnet.tagmap.matching import fold
from tests.project import fingerprint, invoke, project_copy
from tests.sitebuild import SiteBuildFailed, article, build_test_site, tiny_content

MAP = """\
[groups.savoir-etre]
fr = "Le savoir-être"
en = "Soft skills"

[tags.confiance]
group = "savoir-etre"
fr = "Confiance"
en = "trust"
description_fr = "La confiance qui se mérite."

[tags.relation-client]
group = "savoir-etre"
fr = "Relation client"
en = "customer relationship"
slug_fr = "client"
"""


def test_the_matcher_folds_letters_as_the_slug_does():
    # ø and ł are not accents to Unicode, but the slug transliterates them: so does the matcher.
    # (« ß » is where they part: tests/test_tag_map.py.)
    assert fold("Cønfiance") == fold("confiance") == "confiance"
    assert fold("Łódź") == "lodz"


def test_a_tag_written_with_a_transliterated_letter_lands_on_the_mapped_tag(tmp_path):
    articles = {"a.md": article("Essai sur la confiance", Tags="Cønfiance")}
    site = build_test_site(tmp_path / "out", tiny_content(tmp_path, articles, {"tagmap.toml": MAP}))
    page = site.html("etiquette/confiance/index.html")
    assert page.select_one("h1").get_text(" ", strip=True).startswith("Confiance")
    assert "La confiance qui se mérite." in page.get_text()
    assert page.select_one("link[hreflang=en]")["href"].endswith("/en/tag/trust/")
    assert (site.output / "en/tag/trust/index.html").is_file()


def errors_of(site) -> list[str]:
    return [message for message in site.warnings if message.startswith("ERROR")]


def test_a_stray_tag_with_a_mapped_tags_slug_is_an_error_naming_both_and_the_fix(tmp_path):
    # « Confi’ance » folds to « confi ance » (not a form of the map) but slugifies to `confiance`.
    articles = {
        "a.md": article("Premier essai", Tags="Confi’ance"),
        "b.md": article("Second essai", Tags="Confiance"),
    }
    content = tiny_content(tmp_path, articles, {"tagmap.toml": MAP})
    site = build_test_site(tmp_path / "out", content, strict=False)
    [error] = errors_of(site)
    assert "la même page /etiquette/confiance/" in error
    assert "« Confiance » ([tags.confiance] de " in error
    tags = article("x", Tags="x").splitlines().index("Tags: x") + 1  # the `Tags:` line, for editors
    assert f"tagmap.toml, ligne 5), dans articles/b.md:{tags}\n" in error
    assert f"« Confi’ance » (hors du tag map), dans articles/a.md:{tags}\n" in error  # one tag a line
    assert (
        "utilisez « Confiance » dans ces articles, ou ajoutez « Confi’ance » au tag map comme alias" in error
    )
    # Not the vaguer « not in the tag map » for the same tag on top of it.
    assert not [m for m in site.warnings if "not in the tag map" in m]
    # Errors fail every build, strict or not (`invoke build` stops on an error).
    again = tiny_content(tmp_path / "encore", articles, {"tagmap.toml": MAP})
    with pytest.raises(SiteBuildFailed, match="tag_map: plusieurs étiquettes différentes"):
        build_test_site(tmp_path / "out2", again)


def test_an_explicit_slug_is_protected_too(tmp_path):
    # [tags.relation-client] has slug_fr = "client": a stray « Client » would write its page.
    articles = {"a.md": article("Un essai", Tags="Client, Relation client")}
    site = build_test_site(
        tmp_path / "out", tiny_content(tmp_path, articles, {"tagmap.toml": MAP}), strict=False
    )
    [error] = errors_of(site)
    assert "/etiquette/client/" in error
    assert "« Relation client » ([tags.relation-client]" in error
    assert "« Client » (hors du tag map)" in error


def test_two_stray_tags_with_one_slug_are_an_error(tmp_path):
    articles = {
        "a.md": article("Un essai", Tags="Confiance, l’écoute"),
        "b.md": article("Un autre essai", Tags="Confiance, lécoute"),
    }
    site = build_test_site(
        tmp_path / "out", tiny_content(tmp_path, articles, {"tagmap.toml": MAP}), strict=False
    )
    [error] = errors_of(site)
    assert "/etiquette/lecoute/" in error
    assert "« l’écoute » (hors du tag map), dans articles/a.md" in error
    assert "« lécoute » (hors du tag map), dans articles/b.md" in error
    assert "écrivez ces étiquettes de la même façon" in error


def test_without_a_map_two_spellings_of_one_page_are_an_error(tmp_path):
    articles = {"a.md": article("Un essai", Tags="C’est dit"), "b.md": article("Autre", Tags="Cest dit")}
    site = build_test_site(tmp_path / "out", tiny_content(tmp_path, articles), strict=False)
    [error] = errors_of(site)
    assert "/etiquette/cest-dit/" in error
    assert "« C’est dit »" in error
    assert "« Cest dit »" in error


def test_one_tag_written_two_ways_is_no_collision():
    # « Écoute » and « écoute » are one tag outside the map: Pelican shows them on one page.
    tags = [
        WrittenTag("Écoute", "ecoute", "/etiquette/ecoute/", fold("Écoute"), "a.md"),
        WrittenTag("écoute", "ecoute", "/etiquette/ecoute/", fold("écoute"), "b.md"),
    ]
    assert find_collisions(tags) == []


def test_the_message_lists_every_article_of_the_stray_tag_once():
    tags = [
        WrittenTag("Confi’ance", "confiance", "/etiquette/confiance/", "confi ance", "a.md"),
        WrittenTag(
            "Confiance", "confiance", "/etiquette/confiance/", "[tags.confiance]", "c.md", "confiance", 5
        ),
        WrittenTag("Confi’ance", "confiance", "/etiquette/confiance/", "confi ance", "b.md"),
        WrittenTag("Confi’ance", "confiance", "/etiquette/confiance/", "confi ance", "a.md"),
    ]
    [collision] = find_collisions(tags)
    text = describe(collision, "content/tagmap.toml")
    assert (
        text.splitlines()[1]
        == "  « Confiance » ([tags.confiance] de content/tagmap.toml, ligne 5), dans c.md"
    )
    assert text.splitlines()[2] == "  « Confi’ance » (hors du tag map), dans a.md, b.md"


def test_invoke_build_stops_on_it_and_the_live_site_stays(tmp_path):
    project = project_copy(tmp_path)
    assert invoke(project, "build").returncode == 0
    before = fingerprint(project)
    (project / "content/articles/intrus.md").write_text(
        article("Un intrus", Tags="Confi’ance, coaching"), encoding="utf-8"
    )
    result = invoke(project, "build")  # not --strict: an error is enough
    assert result.returncode == 1
    said = " ".join((result.stdout + result.stderr).split())  # Pelican logs through rich, wrapped
    assert "la même page /etiquette/confiance/" in said, said
    assert "« Confi’ance » (hors du tag map), dans articles/intrus.md" in said
    assert "le site en ligne (output/) et l’index de recherche n’ont pas changé" in result.stderr
    assert fingerprint(project) == before
    page = (project / "output/etiquette/confiance/index.html").read_text(encoding="utf-8")
    assert "La confiance que le client accorde" in page  # still the mapped tag's page
