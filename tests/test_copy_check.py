"""A published copy of an article is one « copie de » finding, not one per shared paragraph."""

from carnet.check.run import check_archive
from tests.project import INVOKE, ROOT, project_copy, run
from tests.sitebuild import article, tiny_content

PARAGRAPHS = [
    f"Paragraphe numéro {n} de l’article d’origine, assez long pour compter comme un vrai paragraphe."
    for n in range(1, 6)
]
RESUME = "::: résumé\n- Un point\n:::\n\n"
ORIGINAL = article("Original", RESUME + "\n\n".join(PARAGRAPHS), Tags="essai")
COPY = article("La copie", RESUME + "\n\n".join(PARAGRAPHS), Tags="essai")
# Shares one paragraph with the original: a quotation, not a copy.
QUOTES = article("Citation", RESUME + f"Comme on l’a lu :\n\n{PARAGRAPHS[2]}\n\nEt voilà.", Tags="essai")
TAG_MAP = '[groups.g]\nfr = "G"\nen = "G"\n\n[tags.essai]\ngroup = "g"\nfr = "Essai"\nen = "essay"\n'


def test_a_copy_is_one_finding_and_a_quotation_is_still_said(tmp_path):
    content = tiny_content(
        tmp_path,
        {"a-original.md": ORIGINAL, "b-copie.md": COPY, "c-citation.md": QUOTES},
        {"tagmap.toml": TAG_MAP},
    )
    findings, count = check_archive(ROOT / "pelicanconf.py", content)
    assert count == 3
    copies = [f for f in findings if f.kind == "copie"]
    assert [(f.file, f.message) for f in copies] == [
        ("articles/b-copie.md", "copie de articles/a-original.md : 5 paragraphe(s) sur 5 y sont déjà")
    ]
    assert copies[0].line is not None
    repeated = [
        (f.file, frozenset(f.message.split(" : «")[0].removeprefix("aussi dans ").split(", ")))
        for f in findings
        if f.kind == "paragraphe répété"
    ]
    # The quoted paragraph is said for each article that holds it, naming the others; the copy
    # and its original are not named to each other again.
    assert sorted(repeated) == [
        ("articles/a-original.md", {"articles/c-citation.md"}),
        ("articles/b-copie.md", {"articles/c-citation.md"}),
        ("articles/c-citation.md", {"articles/a-original.md", "articles/b-copie.md"}),
    ]


def test_an_imported_copy_of_an_article_once_published_is_one_line_of_invoke_check(tmp_path):
    project = project_copy(tmp_path)
    seed = ROOT.parent / "shared/seeds/002_1a42ecd055554e7b.txt"  # « Perdre des clients »
    assert run([*INVOKE, "import", str(seed)], project).returncode == 0
    draft = project / "content/articles/drafts/perdre-des-clients.md"
    text = draft.read_text(encoding="utf-8").replace("Status: draft\n", "")
    text = text.replace("Category: À compléter", "Category: Savoir-être").replace(
        "Tags: à compléter", "Tags: coaching"
    )
    draft.write_text(
        text.replace("Slug: perdre-des-clients\n", "Slug: perdre-des-clients-bis\n"), encoding="utf-8"
    )
    result = run([*INVOKE, "check"], project)
    report = " ".join(result.stdout.split())  # the report wraps its lines
    assert report.count("copie de articles/perdre-des-clients.md") == 1, result.stdout
    assert "articles/drafts/perdre-des-clients.md:" in report
    assert "aussi dans" not in report
