"""invoke import as the author runs it: drafts that build strictly, raw HTML that stays text,
names never overwritten, tag suggestions, the report, and the task in a copy of the project."""

import datetime
import io
import json
import os
import shutil
from pathlib import Path

import pytest
from rich.console import Console

from carnet.importer.cli import count_file_names, run_import
from carnet.importer.drafts import write_draft
from carnet.importer.pipeline import import_files, import_text
from carnet.importer.report import as_json, as_text
from carnet.importer.tags import TagForms, TagMapUnusable, load_tag_forms, suggest_tags
from tests.project import ROOT, invoke, project_copy
from tests.sitebuild import article, build_test_site, tiny_content

SEEDS = ROOT.parent / "shared" / "seeds"
FIXTURES = Path(__file__).parent / "fixtures" / "raw"
TODAY = datetime.date(2026, 11, 23)

HOSTILE = """\
Un <script>alert("titre")</script> piégé

Un premier paragraphe <script>alert(1)</script> qui garde son texte, et une image
<img src=x onerror=alert(2)> qui n’en est pas une, ni un [lien](javascript:alert(3)).

<iframe src="https://exemple.test"></iframe>

Un dernier paragraphe, avec <b>du gras</b> qui n’en est pas.
"""


def shown(text: str) -> str:
    """Text as written: the theme puts no-break spaces before « ? » and inside « »."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def raw_files() -> list[Path]:
    seeds = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    return seeds + sorted(FIXTURES.glob("*.txt"))


# -- drafts build with the site, as they are ------------------------------------------------


@pytest.fixture(scope="module")
def drafts_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("brouillons")
    content = tiny_content(tmp, {"publie.md": article("Un article publié")})
    hostile = tmp / "hostile.txt"
    hostile.write_text(HOSTILE, encoding="utf-8")
    drafts = content / "articles" / "drafts"
    results, _ = import_files([*raw_files(), hostile], drafts, today=TODAY)
    assert [result.error for result in results if result.error] == []
    site = build_test_site(tmp / "output", content=content, settings_file="pelicanconf.py")
    return site, results


def test_every_draft_builds_strictly_as_a_draft(drafts_site):
    site, results = drafts_site
    for result in results:
        page = site.output / "brouillons" / result.path.stem / "index.html"
        assert page.is_file(), result.source
        title = shown(site.html(str(page.relative_to(site.output))).find("h1").get_text(" ", strip=True))
        expected = result.draft.metadata.title.value if result.draft.metadata.title else "[TITRE À TROUVER]"
        assert title == expected
    home = (site.output / "index.html").read_text(encoding="utf-8")
    assert "brouillons/" not in home  # drafts are listed nowhere


def test_drafts_also_build_with_the_publication_settings(tmp_path):
    content = tiny_content(tmp_path, {"publie.md": article("Un article publié")})
    import_files(raw_files(), content / "articles" / "drafts", today=TODAY)
    build_test_site(tmp_path / "output", content=content)  # strict: raises on any warning


def test_raw_html_never_becomes_live(drafts_site):
    site, results = drafts_site
    for page in site.html_files():
        soup = site.html(str(page.relative_to(site.output)))
        assert soup.find_all(["script", "iframe", "img"]) == [], page
        assert not any(attribute.startswith("on") for tag in soup.find_all(True) for attribute in tag.attrs)
        assert not soup.find("a", href=lambda href: href and href.startswith("javascript:"))
    hostile = next(result for result in results if result.source.name == "hostile.txt")
    soup = site.html(f"brouillons/{hostile.path.stem}/index.html")
    assert shown(soup.find("h1").get_text()) == 'Un <script>alert("titre")</script> piégé'
    text = shown(soup.find(id="texte").get_text(" "))
    assert "<script>alert(1)</script>" in text
    assert "<img src=x onerror=alert(2)>" in text
    assert '<iframe src="https://exemple.test"></iframe>' in text
    assert "<b>du gras</b>" in text


def test_draft_with_an_authors_resume_shows_it(drafts_site):
    site, results = drafts_site
    letter = next(result for result in results if result.source.name == "lettre_du_mardi.txt")
    soup = site.html(f"brouillons/{letter.path.stem}/index.html")
    points = [li.get_text(" ", strip=True) for li in soup.select("section.resume li")]
    assert points == ["Écouter avant de proposer", "Reformuler pour vérifier", "Se taire, parfois"]
    assert soup.select_one("section.resume a[href='#ecouter-avant-de-proposer']") is not None
    # Signed by a woman: the line names her (« Résumé de l’auteur » did not fit).
    assert soup.select_one("section.resume .resume__origine").get_text() == "Résumé de Sophie Martin"


# -- never overwrite ---------------------------------------------------------------------


def test_an_existing_draft_is_never_overwritten(tmp_path):
    draft = import_text("Un titre\n\nUn paragraphe de l’article.\n", "a.txt")
    first = write_draft(draft.text(), tmp_path, draft.stem)
    second = write_draft(draft.text(), tmp_path, draft.stem)
    third = write_draft(draft.text(), tmp_path, draft.stem)
    assert [first.name, second.name, third.name] == ["un-titre.md", "un-titre-2.md", "un-titre-3.md"]
    assert "Slug: un-titre-2\n" in second.read_text(encoding="utf-8")
    first.write_text("Le texte retouché par l’auteur", encoding="utf-8")
    forced = write_draft(draft.text(), tmp_path, draft.stem, force=True)
    assert forced == first
    assert forced.read_text(encoding="utf-8").startswith("Title: Un titre\n")
    assert len(list(tmp_path.iterdir())) == 3


def test_a_link_out_of_its_folder_is_refused_and_named(tmp_path):
    """A draft goes online under /brouillons/: a link to /etc/passwd must never become one."""
    raw = tmp_path / "bruts"
    raw.mkdir()
    (raw / "vrai.txt").write_text("Un titre\n\nUn paragraphe de l’article.\n", encoding="utf-8")
    (raw / "copie.txt").symlink_to("vrai.txt")  # inside its folder: imported
    (raw / "passwd.txt").symlink_to("/etc/passwd")
    os.mkfifo(raw / "tube.txt")  # would make the import wait forever
    names = ["copie.txt", "passwd.txt", "tube.txt"]
    results, _ = import_files([raw / name for name in names], tmp_path / "drafts")
    copy, link, pipe = results
    assert copy.error is None
    assert copy.path.is_file()
    assert link.error == (
        f"{raw}/passwd.txt : lien vers /etc/passwd, hors de son dossier : refusé "
        "(importez une copie du fichier, pas un lien)"
    )
    assert pipe.error == f"{raw}/tube.txt : ni un fichier ni un dossier (tube, périphérique ?) : refusé"
    assert [path.name for path in (tmp_path / "drafts").iterdir()] == [copy.path.name]


# -- tag suggestions -------------------------------------------------------------------------

SMALL_MAP = """\
[groups.relation]
fr = "La relation"
en = "Relationship"

[tags.ecoute]
group = "relation"
fr = "Écoute"
en = "listening"
aliases = ["écoute active", "écouter"]

[tags.confiance]
group = "relation"
fr = "Confiance"
en = "trust"

[tags.achats]
group = "relation"
fr = "Achats"
en = "procurement"
"""


def test_tags_are_suggested_from_labels_and_aliases(tmp_path):
    path = tmp_path / "tagmap.toml"
    path.write_text(SMALL_MAP, encoding="utf-8")
    forms = load_tag_forms(path)
    suggestions = suggest_tags(
        "L’écoute qui change tout",
        "Écouter avant de proposer. La CONFIANCE vient ensuite ; écoute active, écoutes répétées.",
        forms,
    )
    assert [(s.key, s.label) for s in suggestions] == [("ecoute", "Écoute"), ("confiance", "Confiance")]
    assert suggestions[0].mentions > suggestions[1].mentions
    assert "écouter" in suggestions[0].seen


def test_suggestions_are_marked_for_the_author_to_confirm(tmp_path):
    path = tmp_path / "tagmap.toml"
    path.write_text(SMALL_MAP, encoding="utf-8")
    raw = tmp_path / "lettre.txt"
    raw.write_text(
        "La confiance\n\nSans confiance, pas de relation : la confiance se gagne.\n", encoding="utf-8"
    )
    results, notes = import_files([raw], tmp_path / "out", tag_map=path, today=TODAY)
    text = results[0].path.read_text(encoding="utf-8")
    assert "\nTags_suggested: Confiance\n" in text
    # The author confirms by writing them in Tags:, which holds the placeholder of `invoke new`.
    assert "\nTags: à compléter\n" in text
    assert "Étiquettes suggérées, à confirmer (Tags_suggested) : Confiance" in as_text(
        results, tmp_path, notes
    )


def test_tags_the_source_gives_are_not_suggested_again():
    forms = [TagForms("confiance", "Confiance", ("Confiance", "trust"))]
    assert suggest_tags("", "la confiance", forms, given=["trust"]) == []


def test_an_unusable_or_missing_map_is_said(tmp_path):
    broken = tmp_path / "tagmap.toml"
    broken.write_text("[tags.x]\nfr = \n", encoding="utf-8")
    with pytest.raises(TagMapUnusable):
        load_tag_forms(broken)
    raw = tmp_path / "a.txt"
    raw.write_text("Un titre\n\nUn paragraphe.\n", encoding="utf-8")
    _, notes = import_files([raw], tmp_path / "out", tag_map=broken)
    assert "Carte des étiquettes inutilisable" in notes[0]
    _, notes = import_files([raw], tmp_path / "out", tag_map=tmp_path / "absente.toml")
    assert "Pas de carte des étiquettes" in notes[0]


# -- the report --------------------------------------------------------------------------------


def test_report_in_french_and_as_json(tmp_path):
    good = tmp_path / "forum.txt"
    shutil.copy(FIXTURES / "forum_sujet.txt", good)
    results, notes = import_files([good, tmp_path / "absent.txt"], tmp_path / "out", today=TODAY)
    text = as_text(results, tmp_path / "out", notes)
    assert "Titre : « Trois partenaires, une seule voix » — sûre" in text
    assert "Auteur : « Alain_G » — sûre" in text
    assert "habillage du forum : « Lu 312 fois »" in text
    assert "paragraphe répété par la copie" in text
    assert "absent.txt : fichier introuvable" in text
    assert "1 brouillon(s) écrit(s)" in text
    assert "1 fichier(s) non importé(s)" in text
    data = json.loads(as_json(results, tmp_path / "out", notes))
    assert (data["imported"], data["failed"]) == (1, 1)
    report = data["files"][0]
    assert set(report) >= {
        "source",
        "draft",
        "title",
        "date",
        "author",
        "resume",
        "tags",
        "removed",
        "undecided",
    }
    assert report["date"] == {
        "value": "2017-06-05 14:30",
        "confidence": "sûre",
        "origin": "ligne « Posté par Alain_G le 05/06/2017 à 14:30 »",
    }
    assert {"line": 13, "text": "Lu 312 fois", "reason": "habillage du forum", "kind": "forum"} in report[
        "removed"
    ]
    assert data["files"][1]["error"].endswith("absent.txt : fichier introuvable")


def test_progress_bar_for_many_files(tmp_path, capsys):
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=100)
    files = [str(path) for path in sorted(FIXTURES.glob("*.txt"))]
    status = run_import(
        files, tmp_path / "out", force=False, as_json=True, tag_map=tmp_path / "x", console=console
    )
    assert status == 0
    assert "Import" in screen.getvalue()
    assert f"{len(files)}/{len(files)}" in screen.getvalue()
    assert json.loads(capsys.readouterr().out)["imported"] == len(files)  # stdout stays JSON


@pytest.mark.parametrize(
    ("argv", "count"),
    [
        (["import", "a.txt", "b.txt", "--out", "d"], 2),
        (["import", "--out", "d", "a.txt", "b.txt", "c.txt"], 3),
        (["import", "-o", "d", "--force", "a.txt", "--json"], 1),
        (["import", "--out=d", "a.txt", "b.txt"], 2),
        (["-e", "import", "a.txt"], 1),
        (["build"], 0),
    ],
)
def test_the_task_counts_the_file_names_it_is_given(argv, count):
    assert count_file_names(argv, "import", (), {"out", "o"}) == count


# -- the task, in a copy of the project ------------------------------------------------------------


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the raw seeds live in ../shared/seeds")
def test_invoke_import_then_build_in_a_copy_of_the_project(tmp_path):
    project = project_copy(tmp_path)
    seeds = [str(path) for path in sorted(SEEDS.glob("*.txt"))]
    fixtures = [str(path) for path in sorted(FIXTURES.glob("*.txt"))]
    missing = str(tmp_path / "absent.txt")
    result = invoke(project, "import", *seeds, missing, *fixtures)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "absent.txt : fichier introuvable" in result.stdout
    drafts = project / "content" / "articles" / "drafts"
    assert len(list(drafts.glob("*.md"))) == len(seeds) + len(fixtures)
    assert "Bilan : 9 brouillon(s) écrit(s)" in result.stdout

    built = invoke(project, "build", "--strict")
    assert built.returncode == 0, built.stdout + built.stderr
    for draft in drafts.glob("*.md"):
        assert (project / "output" / "brouillons" / draft.stem / "index.html").is_file()

    again = invoke(project, "import", seeds[0], "--json")
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout)
    assert report["files"][0]["draft"].endswith("-2.md")
    forced = invoke(project, "import", "--force", seeds[0], "--out", str(drafts))
    assert forced.returncode == 0, forced.stderr
    assert len(list(drafts.glob("*.md"))) == len(seeds) + len(fixtures) + 1

    listing = invoke(project, "--list")
    assert "import" in listing.stdout
