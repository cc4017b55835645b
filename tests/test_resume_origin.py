"""The line under a résumé names its author, whoever they are, in correct French."""

import pytest

from carnet.resume.origin import resume_origin
from tests.sitebuild import article, build_test_site, tiny_content


@pytest.mark.parametrize(
    ("source", "author", "line"),
    [
        ("auteur", "Sophie Martin", "Résumé de Sophie Martin"),
        ("auteur", "Jason Verdier", "Résumé de Jason Verdier"),
        ("Auteur ", "Anne", "Résumé d’Anne"),
        ("autrice", "Élise", "Résumé d’Élise"),
        ("author", "Hélène", "Résumé d’Hélène"),
        ("auteur", "Yann", "Résumé de Yann"),
        ("autrice", "Œnone Lebrun", "Résumé d’Œnone Lebrun"),
        ("auteur", "Ælis", "Résumé d’Ælis"),
        ("auteur", "Anonyme (Ottawa)", "Résumé de l’auteur"),
        ("autrice", "Anonyme", "Résumé de l’autrice"),
        ("auteur", None, "Résumé de l’auteur"),
        ("rédaction", "Sophie Martin", "Résumé proposé par la rédaction"),
        ("redaction", "Patrick", "Résumé proposé par la rédaction"),
    ],
)
def test_the_resumes_origin(source, author, line):
    assert resume_origin(source, author) == line


RESUME = "::: résumé\n- Écouter avant de proposer\n- Se taire, parfois\n:::\n\nUn paragraphe."


def test_the_article_page_shows_it(tmp_path):
    content = tiny_content(
        tmp_path,
        {
            "elle.md": article("Écouter", RESUME, Author="Camille Durand", Resume_source="autrice"),
            "sans-ligne.md": article("Se taire", RESUME, Author="Ève"),
            "redaction.md": article("Proposer", RESUME, Author="Ève", Resume_source="rédaction"),
        },
    )
    site = build_test_site(tmp_path / "out", content, "pelicanconf.py")
    shown = {
        slug: site.html(f"{slug}/index.html").select_one("section.resume .resume__origine").get_text()
        for slug in ("ecouter", "se-taire", "proposer")
    }
    assert shown == {
        "ecouter": "Résumé de Camille Durand",
        "se-taire": "Résumé d’Ève",
        "proposer": "Résumé proposé par la rédaction",
    }
