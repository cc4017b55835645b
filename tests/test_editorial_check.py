"""`invoke check` finds each kind of problem in a seeded archive, and none in the real one."""

import json

import pytest

from carnet.check.findings import ERROR, NOTE, WARNING, exit_code
from carnet.check.run import check_archive
from tests.project import ROOT, invoke, project_copy
from tests.sitebuild import article, tiny_content

TAG_MAP = """
[groups.essais]
fr = "Essais"
en = "Essays"

[tags.essai]
group = "essais"
fr = "Essai"
en = "essay"

[tags.oublie]
group = "essais"
fr = "Oublié"
en = "forgotten"
"""

LONG = "Ce paragraphe assez long revient plusieurs fois dans le carnet, ce qui trahit un copier-coller."

SEEDED = {
    "sans-auteur.md": article("Sans auteur", "::: résumé\n- a\n:::\n\nTexte.", Author=""),
    "sans-etiquette.md": article("Sans étiquette", "::: résumé\n- a\n:::\n\nTexte.", Tags=""),
    "sans-resume.md": article("Sans résumé", "Juste un texte."),
    "sans-date.md": article("Sans date", "::: résumé\n- a\n:::\n\nTexte.", Date=""),
    "etiquette-inconnue.md": article(
        "Étiquette inconnue", "::: résumé\n- a\n:::\n\nTexte.", Tags="essai, mystère"
    ),
    "lien-fichier.md": article("Lien fichier", "Voir [cela]({filename}/articles/absent.md)."),
    "liens.md": article(
        "Liens",
        "::: résumé\n- [Ailleurs](#nulle-part)\n:::\n\n"
        "Voir [ceci](/nulle-part/).\n\n"
        '![Une image](/images/absente.png)\n\n<img src="/images/presente.png">\n\n'
        f"{LONG}\n\n{LONG}\n\nLu 12 fois\n\nAucun commentaire:\n\nUnsubscribe",
    ),
    "repete.md": article("Répété", f"::: résumé\n- a\n:::\n\n{LONG}"),
}


@pytest.fixture(scope="module")
def findings(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("check")
    content = tiny_content(tmp, SEEDED, {"tagmap.toml": TAG_MAP})
    (content / "images").mkdir()
    (content / "images/presente.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    found, count = check_archive(ROOT / "pelicanconf.py", content)
    assert count == len(SEEDED)
    return found


def has(findings, severity, file_part, kind, message_part=""):
    return any(
        f.severity == severity and file_part in f.file and f.kind == kind and message_part in f.message
        for f in findings
    )


@pytest.mark.parametrize(
    ("severity", "file_part", "kind", "message_part"),
    [
        (ERROR, "sans-auteur.md", "métadonnée manquante", "« Author: … »"),
        (ERROR, "sans-etiquette.md", "métadonnée manquante", "« Tags: … »"),
        (NOTE, "sans-resume.md", "résumé", "pas de bloc"),
        (ERROR, "sans-date.md", "métadonnée manquante", "« Modified: … »"),
        (WARNING, "etiquette-inconnue.md", "étiquette", "« mystère »"),
        (NOTE, "tagmap.toml", "étiquette inutilisée", "[tags.oublie]"),
        (WARNING, "liens.md", "lien cassé", "/nulle-part/"),
        (ERROR, "lien-fichier.md", "lien cassé", "{filename}/articles/absent.md"),
        (WARNING, "liens.md", "lien cassé", "/images/absente.png"),
        (WARNING, "liens.md", "image sans alt", "presente.png"),
        (WARNING, "liens.md", "paragraphe répété", "répété dans l’article"),
        (WARNING, "repete.md", "paragraphe répété", "aussi dans articles/liens.md"),
        (WARNING, "liens.md", "résumé", "#nulle-part"),
        (WARNING, "liens.md", "reste de scraping", "Lu 12 fois"),
        (WARNING, "liens.md", "reste de scraping", "Aucun commentaire"),
        (WARNING, "liens.md", "reste de scraping", "Unsubscribe"),
    ],
)
def test_each_kind_of_problem_is_found(findings, severity, file_part, kind, message_part):
    assert has(findings, severity, file_part, kind, message_part), [f for f in findings if kind in f.kind]


def test_a_clean_article_gets_no_finding(findings):
    assert not any("repete.md" in f.file and f.severity == ERROR for f in findings)


def test_every_finding_of_an_article_has_its_line(findings):
    placed = [f for f in findings if f.file.startswith("articles/") and f.severity != NOTE]
    assert placed
    assert all(f.line for f in placed), [f for f in placed if not f.line]


def test_every_readme_section_a_finding_points_to_exists(findings):
    """« voir « X » dans le README »: X is a heading of the README, as written there."""
    import re

    headings = {line.lstrip("#").strip() for line in (ROOT / "README.md").read_text("utf-8").splitlines()}
    pointers = [f.fix for f in findings if "dans le README" in f.fix]
    assert pointers
    for fix in pointers:
        named = re.search(r"voir « (.+) » dans le README", fix).group(1)
        assert named in headings, fix


def test_exit_codes():
    note = [type("F", (), {"severity": NOTE})()]
    warning = [type("F", (), {"severity": WARNING})()]
    error = [type("F", (), {"severity": ERROR})()]
    assert exit_code(note, strict=True) == 0
    assert exit_code(warning, strict=False) == 0
    assert exit_code(warning, strict=True) == 1
    assert exit_code(error, strict=False) == 1


def test_the_real_archive_is_clean():
    found, count = check_archive(ROOT / "pelicanconf.py")
    assert count == 5
    assert [f for f in found if f.severity in (ERROR, WARNING)] == []


def test_invoke_check_in_a_copy(tmp_path):
    project = project_copy(tmp_path)
    clean = invoke(project, "check", "--strict")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "5 articles vérifiés : 0 erreur, 0 avertissement" in clean.stdout
    (project / "content/articles/fautif.md").write_text(article("Fautif", "Lu 3 fois", Author=""), "utf-8")
    broken = invoke(project, "check", "--json")
    assert broken.returncode == 1
    data = json.loads(broken.stdout)
    assert data["articles"] == 6
    assert data["summary"]["erreurs"] >= 1
    kinds = {(f["file"], f["kind"]) for f in data["findings"]}
    assert ("articles/fautif.md", "métadonnée manquante") in kinds
    assert ("articles/fautif.md", "reste de scraping") in kinds
