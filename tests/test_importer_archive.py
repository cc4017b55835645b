"""invoke import against the carnet it imports into: the categories to choose from, a raw text
that copies an article already there, a page that repeats its own text."""

import datetime
import json
import shutil

from carnet.importer.pipeline import import_files
from carnet.importer.report import as_json, as_text
from tests.project import INVOKE, ROOT, project_copy, run

SEEDS = ROOT.parent / "shared" / "seeds"
SEED = SEEDS / "002_1a42ecd055554e7b.txt"  # « Perdre des clients », already in content/articles/
TODAY = datetime.date(2026, 11, 23)


def header_of(text: str) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in text.split("\n\n")[0].splitlines())


def carnet(tmp_path):
    """An articles folder: two published articles, a draft, and an article of the real carnet."""
    articles = tmp_path / "articles"
    (articles / "drafts").mkdir(parents=True)
    shutil.copy(ROOT / "content/articles/perdre-des-clients.md", articles)
    (articles / "a.md").write_text("Title: A\nCategory: Éthique\n\nTexte.\n", encoding="utf-8")
    (articles / "drafts/b.md").write_text(
        "Title: B\nCategory: Brouillonnerie\nStatus: draft\n\nTexte.\n", encoding="utf-8"
    )
    return articles


def test_a_draft_has_category_and_tags_to_fill_and_the_carnets_categories(tmp_path):
    raw = tmp_path / "billet.txt"
    raw.write_text("Un billet\n\nUn paragraphe qui parle de tout et de rien.\n", encoding="utf-8")
    results, notes = import_files([raw], tmp_path / "out", today=TODAY, articles=carnet(tmp_path))
    header = header_of(results[0].path.read_text(encoding="utf-8"))
    assert header["Category"] == "À compléter"
    assert header["Tags"] == "à compléter"
    assert header["Status"] == "draft"
    report = as_text(results, tmp_path / "out", notes)
    # Published articles only, in French order: the draft's category is not one of the carnet's.
    expected = "parmi celles du carnet : Éthique, Savoir-être."
    assert f"Catégorie à choisir (Category: À compléter) avant publication, {expected}" in report
    assert "Étiquettes à écrire (Tags: à compléter)" in report


def test_tags_the_source_gives_stay_in_tags(tmp_path):
    raw = tmp_path / "billet.txt"
    raw.write_text(
        "Un billet\n\nUn paragraphe qui parle de tout et de rien.\n\nLibellés : écoute, confiance\n",
        encoding="utf-8",
    )
    results, _ = import_files([raw], tmp_path / "out", today=TODAY)
    assert header_of(results[0].path.read_text(encoding="utf-8"))["Tags"] == "écoute, confiance"


def test_a_copy_of_an_article_of_the_carnet_is_said_once(tmp_path):
    project = project_copy(tmp_path)
    result = run([*INVOKE, "import", str(SEED)], project)
    assert result.returncode == 0, result.stderr
    copies = [line for line in result.stdout.splitlines() if "Copie de" in line]
    assert len(copies) == 1, result.stdout
    assert "Copie de content/articles/perdre-des-clients.md : " in copies[0]
    assert "répété" not in result.stdout
    # Imported again: a copy of the draft just written (and of the article).
    result = run([*INVOKE, "import", str(SEED), "--json"], project)
    [report] = json.loads(result.stdout)["files"]
    assert report["copy_of"]["article"].startswith("content/articles/")
    assert report["copy_of"]["shared"] >= report["copy_of"]["paragraphs"] / 2
    # --force replaces the draft: the draft it replaces is not the copy reported.
    result = run([*INVOKE, "import", str(SEED), "--force", "--json"], project)
    [report] = json.loads(result.stdout)["files"]
    assert report["copy_of"]["article"] != report["draft"]


def test_a_new_text_is_no_copy(tmp_path):
    raw = tmp_path / "billet.txt"
    raw.write_text(
        "Un billet\n\n" + "Une phrase neuve qui ne se trouve dans aucun article du carnet, jamais. " * 3,
        encoding="utf-8",
    )
    results, notes = import_files([raw], tmp_path / "out", today=TODAY, articles=carnet(tmp_path))
    assert results[0].draft.copy_of is None
    assert "Copie de" not in as_text(results, tmp_path / "out", notes)


def test_a_page_that_repeats_its_text_is_one_line_of_the_report(tmp_path):
    seed = (SEEDS / "001_e3545dffe7b64cde.txt").read_text(encoding="utf-8")
    raw = tmp_path / "deux-fois.txt"
    raw.write_text(seed + "\n" + seed, encoding="utf-8")
    results, notes = import_files([raw], tmp_path / "out", today=TODAY)
    report = as_text(results, tmp_path / "out", notes)
    assert "paragraphe répété" not in report
    [copy] = [line for line in report.splitlines() if "copie du texte répétée par la page" in line]
    repeated = [r for r in results[0].draft.removals if "paragraphe répété par la copie" in r.reason]
    assert f"l. {repeated[0].line}–{repeated[-1].line} " in copy
    assert f"{len({r.reason for r in repeated})} paragraphes déjà plus haut" in copy
    # For machines, every line removed, one by one, to put back if need be.
    removed = json.loads(as_json(results, tmp_path / "out", notes))["files"][0]["removed"]
    assert len([r for r in removed if "paragraphe répété" in r["reason"]]) == len(repeated)
    body = results[0].path.read_text(encoding="utf-8")
    assert body.count("Mon approche a été de chercher à créer des synergies") == 1
