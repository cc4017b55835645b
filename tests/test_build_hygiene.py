"""A broken link, missing metadata or a template error fails a strict build."""

import pytest
from jinja2 import TemplateError

from tests.sitebuild import SiteBuildFailed, article, build_test_site, copy_theme, tiny_content


def test_a_valid_tiny_site_builds_cleanly(tmp_path):
    content = tiny_content(tmp_path, {"a.md": article("Premier essai")})
    site = build_test_site(tmp_path / "out", content)
    assert (site.output / "premier-essai/index.html").is_file()


def test_broken_filename_link_fails_and_names_the_target(tmp_path):
    body = "Voir [l’autre]({filename}/articles/absent.md)."
    content = tiny_content(tmp_path, {"a.md": article("Lien cassé", body)})
    with pytest.raises(SiteBuildFailed, match=r"absent\.md"):
        build_test_site(tmp_path / "out", content)


def test_missing_author_fails_and_names_the_file(tmp_path):
    content = tiny_content(tmp_path, {"sans-auteur.md": article("Sans auteur", Author="")})
    with pytest.raises(
        SiteBuildFailed, match=r"articles/sans-auteur\.md:\d+: il manque la ligne « Author: … »"
    ):
        build_test_site(tmp_path / "out", content)


@pytest.mark.parametrize("key", ["category", "tags", "lang", "slug"])
def test_each_required_metadata_is_checked(tmp_path, key):
    content = tiny_content(tmp_path, {"a.md": article("Incomplet", **{key.capitalize(): ""})})
    with pytest.raises(SiteBuildFailed, match=f"il manque la ligne « {key.capitalize()}: … »"):
        build_test_site(tmp_path / "out", content)


def test_missing_title_fails(tmp_path):
    content = tiny_content(tmp_path, {"a.md": article("x", Title="")})
    with pytest.raises(SiteBuildFailed, match="title"):
        build_test_site(tmp_path / "out", content)


def test_undated_article_needs_an_edition_date_for_the_feeds(tmp_path):
    content = tiny_content(tmp_path, {"a.md": article("Sans date", Date="")})
    with pytest.raises(SiteBuildFailed, match="il manque la ligne « Modified: … »"):
        build_test_site(tmp_path / "out", content)


def test_undated_article_says_so_and_sorts_after_dated_ones(tmp_path):
    content = tiny_content(
        tmp_path,
        {
            "a.md": article("Ancien", Date="1999-01-02"),
            "b.md": article("Sans date", Date="", Modified="2026-11-22"),
            "c.md": article("Récent", Date="2024-03-01"),
        },
    )
    site = build_test_site(tmp_path / "out", content)
    home = site.html("index.html")
    titles = [card.select_one(".carte__titre").get_text(strip=True) for card in home.select(".carte")]
    assert titles == ["Récent", "Ancien", "Sans date"]
    page = site.html("sans-date/index.html")
    assert "Date d’origine inconnue" in page.select_one(".signature").get_text()
    assert "La date d’origine de ce texte est inconnue." in page.get_text()
    assert "1900" not in page.get_text()


def test_drafts_are_not_checked_nor_listed(tmp_path):
    draft = article("Brouillon", Author="", Status="draft")
    content = tiny_content(tmp_path, {"a.md": article("Publié"), "b.md": draft})
    site = build_test_site(tmp_path / "out", content)
    assert "Brouillon" not in site.html("index.html").get_text()
    assert (site.output / "brouillons/brouillon/index.html").is_file()


def test_template_error_fails_the_build(tmp_path):
    theme = copy_theme(tmp_path)
    article_template = theme / "templates/article.html"
    article_template.write_text(
        article_template.read_text(encoding="utf-8").replace(
            "{{ article.content|safe }}", "{{ article.content|no_such_filter }}"
        ),
        encoding="utf-8",
    )
    content = tiny_content(tmp_path, {"a.md": article("Essai")})
    with pytest.raises(TemplateError, match="no_such_filter"):
        build_test_site(tmp_path / "out", content, THEME=str(theme))


def test_author_profiles_file_errors_name_the_line(tmp_path):
    content = tiny_content(
        tmp_path, {"a.md": article("Essai")}, {"auteurs.toml": '[[auteur]]\nnom = "Camille\nbio = "x"\n'}
    )
    with pytest.raises(SiteBuildFailed, match=r"auteurs\.toml: invalid TOML: .*line 2"):
        build_test_site(tmp_path / "out", content)


def test_profile_of_an_author_who_signs_nothing_is_reported(tmp_path):
    profiles = '[[auteur]]\nnom = "Personne"\nbio = "Une bio."\n'
    content = tiny_content(tmp_path, {"a.md": article("Essai")}, {"auteurs.toml": profiles})
    with pytest.raises(SiteBuildFailed, match="'Personne', who signs no article"):
        build_test_site(tmp_path / "out", content)
