"""The review's link checks read what Pelican reads: no link in Markdown's code, file names
written with %20 or between angle brackets, and the résumé's plain links checked as the text's."""

import pytest

from carnet.review.sources import file_link_places, file_links, targets
from tests.sitebuild import SiteBuildFailed, article, build_test_site, tiny_content

HEADER = "Title: Un\nSlug: un\n\n"


def test_links_shown_as_code_are_not_links():
    text = HEADER + (
        "Du code : `[texte]({filename}/articles/autre.md)` et ``{static}/images/a.png``.\n\n"
        "```markdown\n[t]({filename}/articles/x.md)\n```\n\n"
        "~~~\n![i]({attach}b.png)\n~~~\n\n"
        "Mais [ce lien]({filename}/articles/vrai.md) en est un.\n"
    )
    assert file_link_places("articles/un.md", text) == [
        (14, "filename", "/articles/vrai.md", "articles/vrai.md")
    ]
    assert targets("articles/un.md", text) == ["articles/vrai.md"]


def test_file_names_with_spaces_are_found_as_pelican_finds_them():
    text = HEADER + "![p]({static}/images/mon%20image.png)\n\n![q](<{static}../images/mon image.png>)\n"
    places = file_link_places("articles/un.md", text)
    assert [(line, written, target) for line, _, written, target in places] == [
        (4, "/images/mon%20image.png", "images/mon image.png"),
        (6, "../images/mon image.png", "images/mon image.png"),
    ]
    assert list(file_links("articles/un.md", text, {"images/mon image.png"}.__contains__)) == []
    missing = list(file_links("articles/un.md", text, set().__contains__))
    assert [finding.line for finding in missing] == [4, 6]
    assert "content/images/mon image.png n’existe pas" in missing[0].message


def test_a_dead_plain_link_in_the_resume_is_said_with_its_line(tmp_path):
    resume = "::: résumé\n- Vers [nulle part](/nulle-part/).\n:::\n\nLe texte."
    content = tiny_content(tmp_path, {"a.md": article("Un", resume)})
    with pytest.raises(SiteBuildFailed) as failed:
        build_test_site(tmp_path / "out", content, settings_file="pelicanconf.py")
    said = str(failed.value)
    assert "articles/a.md:10: /nulle-part/ : cette page ou ce fichier n’existe pas sur le site" in said
