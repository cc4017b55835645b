"""An author's ordinary mistakes, made in a copy of the project: each one is said in French
with its file and line, `invoke check` says exactly what `invoke build` said, and an article
with an error is held back while the rest of the site goes online."""

import json
import logging
import os
import re

import markdown
import pytest
from pelican.readers import DUPLICATES_DEFINITIONS_ALLOWED
from pelican.settings import DEFAULT_CONFIG

from carnet.builds.messages import exception_finding, finding_of
from carnet.builds.report import wrapped
from carnet.resume.source import text_problem
from carnet.review.dates import read_date
from carnet.review.header import FORMATTED_KEYS, ONCE_KEYS, header_findings, read_header, suggestion
from tests.project import invoke, project_copy
from tests.sitebuild import article, build_test_site, tiny_content

GOOD = "Date: 2020-05-04\nAuthor: Camille\nCategory: Partenariat\nTags: partenariat\nLang: fr"


def text(title: str, slug: str, body: str = "Un paragraphe.", header: str = GOOD, **extra: str) -> str:
    lines = [f"Title: {title}", header, f"Slug: {slug}", *(f"{key}: {value}" for key, value in extra.items())]
    return "\n".join(lines) + "\n\n" + body + "\n"


# file → (its text, the severity, line and words of what the build must say about it)
MISTAKES = {
    # `invoke new`'s placeholders, with « Status: draft » removed
    "nouveau.md": (
        "Title: Nouveau\nDate: 2026-11-22 09:05\nAuthor: À compléter\nCategory: À compléter\n"
        "Tags: à compléter\nSlug: nouveau\nLang: fr\n\nTexte.\n",
        [
            ("erreur", 3, "« Author: À compléter » n’est pas rempli"),
            ("erreur", 4, "« Category: À compléter » n’est pas rempli"),
            ("erreur", 5, "« Tags: à compléter » n’est pas rempli"),
        ],
    ),
    # an imported draft whose title and author were never found
    "importe.md": (
        "Title: [TITRE À TROUVER]\nTitle_missing: oui\nAuthor: [AUTEUR À TROUVER]\nAuthor_missing: oui\n"
        "Modified: 2026-11-01\nCategory: Partenariat\nTags: partenariat\nSlug: importe\nLang: fr\n\nTexte.\n",
        [
            ("erreur", 1, "« Title: [TITRE À TROUVER] » n’est pas rempli"),
            ("erreur", 2, "« Title_missing: oui » : Title reste à trouver"),
            ("erreur", 3, "« Author: [AUTEUR À TROUVER] » n’est pas rempli"),
            ("erreur", 4, "« Author_missing: oui » : Author reste à trouver"),
        ],
    ),
    "statut.md": (
        text("Statut", "statut", Statut="draft"),
        [("erreur", 8, "clé inconnue « Statut » : vouliez-vous dire « Status » ?")],
    ),
    "auteur.md": (
        text("Auteur", "cle-auteur", header=GOOD.replace("Author:", "Auteur:")),
        [("erreur", 3, "clé inconnue « Auteur » : vouliez-vous dire « Author » ?")],
    ),
    "sans-categorie.md": (
        text("Sans catégorie", "sans-categorie", header=GOOD.replace("Category: Partenariat\n", "")),
        [("erreur", 7, "il manque la ligne « Category: … »")],  # where it goes: the header's end
    ),
    "resume-ouvert.md": (
        text("Résumé ouvert", "resume-ouvert", "::: résumé\n- un point\n\nTexte."),
        [("erreur", 9, "le bloc « ::: résumé » n’est jamais fermé")],
    ),
    "lien-casse.md": (
        text("Lien cassé", "lien-casse", "Voir [l’autre]({filename}/articles/absent.md)."),
        [("erreur", 9, "lien vers {filename}/articles/absent.md : le fichier content/articles/absent.md")],
    ),
    "date-illisible.md": (
        text("Date illisible", "date-illisible", header=GOOD.replace("2020-05-04", "le trois mars")),
        [("erreur", 2, "date illisible : « le trois mars »")],
    ),
    "etiquettes-vides.md": (
        text("Étiquettes vides", "etiquettes-vides", header=GOOD.replace("Tags: partenariat", "Tags: , ,")),
        [("erreur", 5, "« Tags » est vide")],
    ),
    # month first, as in the United States: month 13 is no month
    "date-americaine.md": (
        text("Date américaine", "date-americaine", header=GOOD.replace("2020-05-04", "03/13/2015")),
        [("erreur", 2, "date illisible : « 03/13/2015 »")],
    ),
    # Python-Markdown's header ends at a key it does not read: what follows is the article's text
    "espace-cle.md": (
        "Title : Espace\n" + GOOD + "\nSlug: espace-cle\n\nTexte.\n",
        [("erreur", 1, "« Title : » : l’espace avant les deux-points arrête l’en-tête : Pelican lit cette")],
    ),
    "cle-accentuee.md": (
        text("Clé accentuée", "cle-accentuee", **{"Humeur du jour": "calme", "Status": "draft"}),
        [
            (
                "erreur",
                8,
                "« Humeur du jour » : l’espace, l’accent ou le signe dans la clé arrête l’en-tête : Pelican",
            )
        ],
    ),
    # a line indented under a key: Pelican keeps the first line of Tags, Slug…
    "etiquettes-en-retrait.md": (
        text(
            "Étiquettes en retrait",
            "etiquettes-en-retrait",
            header=GOOD.replace("Tags: partenariat", "Tags: partenariat\n    confiance"),
        ),
        [("erreur", 6, "ligne en retrait sous « Tags » : Pelican n’en garde que la première ligne")],
    ),
    # a key line indented by mistake: taken for the rest of the author's name
    "categorie-en-retrait.md": (
        text(
            "Catégorie en retrait", "categorie-en-retrait", header=GOOD.replace("Category:", "    Category:")
        ),
        [
            (
                "erreur",
                4,
                "« Category: Partenariat » est en retrait : Pelican la prend pour la suite de « Author »",
            )
        ],
    ),
    "sans-deux-points.md": (
        text("Sans deux-points", "sans-deux-points", header=GOOD.replace("Category:", "Une note\nCategory:")),
        [("erreur", 4, "« Une note » n’est pas une ligne « Clé: valeur » et arrête l’en-tête : Pelican lit")],
    ),
    # no title and no text: Pelican skips it, and the résumé plugin must not fail first
    "sans-titre-ni-texte.md": (
        GOOD + "\nSlug: sans-titre-ni-texte\n",
        [("erreur", 7, "il manque « title » : Pelican ne publie pas ce fichier")],
    ),
    "doublon.md": (
        text("Doublon", "perdre-des-clients"),
        [("erreur", 7, "l’adresse /perdre-des-clients/ est déjà celle de articles/perdre-des-clients.md")],
    ),
    # Pelican's own refusals, in French and in place
    "statut-inconnu.md": (
        text("Statut inconnu", "statut-inconnu", Status="brouillon"),
        [("erreur", 8, "statut inconnu « brouillon » : l’article n’est pas publié")],
    ),
    "sans-titre.md": (
        GOOD + "\nSlug: sans-titre\n\nTexte.\n",
        [("erreur", 7, "il manque « title » : Pelican ne publie pas ce fichier")],
    ),
    # warnings: published all the same
    "etiquette.md": (
        text("Étiquette", "etiquette-inconnue", header=GOOD.replace("Tags: partenariat", "Tags: mystère")),
        [("avertissement", 5, "l’étiquette « mystère » n’est pas dans la carte des étiquettes")],
    ),
    "point.md": (
        text("Point", "point", "::: résumé\n- [Ailleurs](#nulle-part)\n:::\n\nTexte."),
        [("avertissement", 10, "un point mène à #nulle-part, section absente de l’article")],
    ),
    "adresse.md": (
        text("Adresse", "Été Chaud"),
        [("avertissement", 7, "adresse « Été Chaud » : ses majuscules, espaces, accents ou signes")],
    ),
    "reste.md": (
        text("Reste", "reste", "Texte.\n\nLu 12 fois"),
        [("avertissement", 11, "habillage du forum : « Lu 12 fois »")],
    ),
}
HELD = sorted(name for name, (_, said) in MISTAKES.items() if said[0][0] == "erreur")
PUBLISHED = sorted(set(MISTAKES) - set(HELD))
SLUGS = {name: re.search(r"^Slug: (.+)$", source, re.M).group(1) for name, (source, _) in MISTAKES.items()}


def flat(output: str) -> str:
    """The terminal's text as one line: wrapping and no-break spaces undone."""
    return " ".join(output.replace("\u00a0", " ").split())


def findings_said(output: str) -> list[str]:
    """The first line of each finding the build printed (`file:line: severity : …`), unwrapped."""
    said, current = [], None
    for line in output.replace("\u00a0", " ").splitlines():
        if re.match(r"^(articles/\S+|construction|\S+\.toml\S*):? ", line) or re.match(r"^\S+:\d+: ", line):
            current = [line]
            said.append(current)
        elif line.startswith("    ") and not line.startswith("    →") and current is not None:
            current.append(line.strip())
        else:
            current = None
    return [" ".join(parts) for parts in said]


@pytest.fixture(scope="module")
def mistaken(tmp_path_factory):
    project = project_copy(tmp_path_factory.mktemp("fautes"))
    for name, (source, _) in MISTAKES.items():
        (project / "content/articles" / name).write_text(source, encoding="utf-8")
    build = invoke(project, "build")
    check = invoke(project, "check", "--json")
    strict_check = invoke(project, "check", "--strict")
    return project, build, check, strict_check


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_each_mistake_is_said_in_french_with_its_file_and_line(mistaken, name):
    _, build, _, _ = mistaken
    said = flat(build.stderr)
    for severity, line, words in MISTAKES[name][1]:
        assert f"articles/{name}:{line}: {severity} : {words}" in said, build.stderr


@pytest.mark.parametrize("name", HELD)
def test_an_article_with_an_error_is_held_back_and_listed_nowhere(mistaken, name):
    project, build, _, _ = mistaken
    output = project / "output"
    slug = SLUGS[name]
    if name == "doublon.md":  # the older article keeps its address, and its own page
        page = (output / f"{slug}/index.html").read_text(encoding="utf-8")
        assert "Perdre des clients" in page
        assert "<h1>Doublon" not in page
    else:
        assert not (output / slug / "index.html").exists()
        for listing in (
            "index.html",
            "archives/index.html",
            "sitemap.xml",
            "etiquette/partenariat/index.html",
        ):
            assert f"/{slug}/" not in (output / listing).read_text(encoding="utf-8"), listing
    assert re.search(rf"^  articles/{re.escape(name)} : ", build.stderr, re.M), build.stderr


@pytest.mark.parametrize("name", PUBLISHED)
def test_an_article_with_only_warnings_is_published(mistaken, name):
    project, _, _, _ = mistaken
    assert (project / "output" / SLUGS[name] / "index.html").is_file()


def test_the_build_goes_live_without_them_exits_non_zero_and_counts(mistaken):
    project, build, _, _ = mistaken
    assert build.returncode == 1
    assert (project / "output/aujourdhui-jai-rencontre-un-partenaire/index.html").is_file()
    assert f"{len(HELD)} articles retenus, non publiés :" in build.stderr
    warnings = sum(1 for name in PUBLISHED for _ in MISTAKES[name][1])
    last = build.stdout.strip().splitlines()[-1]
    published = len(list((project / "content/articles").glob("*.md"))) - len(HELD)
    said = f"{warnings} avertissements, {len(HELD)} articles retenus."
    assert last == f"Bilan : {published} articles, 0 page, {said}"


def test_check_reports_exactly_what_the_build_reported(mistaken):
    project, build, check, strict_check = mistaken
    assert check.returncode == 1
    assert strict_check.returncode == 1
    found = [f for f in json.loads(check.stdout)["findings"] if f["severity"] != "remarque"]
    from_check = sorted(f"{f['file']}:{f['line']}: {f['severity']} : {f['message']}" for f in found)
    assert sorted(findings_said(build.stderr)) == from_check
    # The build keeps what it found beside the live site: the same findings, fixes included.
    kept = json.loads((project / "output").resolve().parent.joinpath("report.json").read_text("utf-8"))
    assert sorted(map(json.dumps, kept["findings"])) == sorted(
        map(json.dumps, json.loads(check.stdout)["findings"])
    )
    assert [line for line in strict_check.stdout.splitlines() if "vérifiés" in line]


def test_every_line_is_french_and_fits_80_columns(mistaken):
    _, build, _, strict_check = mistaken
    for output in (build.stdout, build.stderr, strict_check.stdout, strict_check.stderr):
        for line in output.splitlines():
            assert len(line) <= 80 or " " not in line.strip(), line  # only a path longer than that
        for english in (
            "Done: Processed",
            "WARNING",
            "ERROR",
            "Could not process",
            "skipping url",
            "Traceback",
        ):
            assert english not in output


def test_a_french_date_in_words_is_read(mistaken):
    project, _, _, _ = mistaken
    (project / "content/articles/date-en-mots.md").write_text(
        text("Date en mots", "date-en-mots", header=GOOD.replace("2020-05-04", "mardi 3 mars 2015 10:30")),
        encoding="utf-8",
    )
    build = invoke(project, "build")
    page = (project / "output/date-en-mots/index.html").read_text(encoding="utf-8")
    assert 'datetime="2015-03-03' in page, build.stderr
    assert "date-en-mots" not in build.stderr


def test_strict_fails_on_a_warning_reports_every_problem_and_leaves_the_live_site(tmp_path):
    project = project_copy(tmp_path)
    assert invoke(project, "build").returncode == 0
    live = (project / "output").resolve()
    for name in ("etiquette.md", "reste.md"):
        (project / "content/articles" / name).write_text(MISTAKES[name][0], encoding="utf-8")
    result = invoke(project, "build", "--strict")
    assert result.returncode == 1
    said = flat(result.stderr)
    assert "articles/etiquette.md:5: avertissement" in said
    assert "articles/reste.md:11: avertissement" in said  # the second problem too, in the same run
    assert "le site en ligne (output/) et l’index de recherche n’ont pas changé" in said
    assert (project / "output").resolve() == live
    assert not (project / "output/etiquette-inconnue").exists()


def test_an_article_that_was_online_is_said_to_be_taken_off(tmp_path):
    project = project_copy(tmp_path)
    clean = invoke(project, "build")
    assert clean.returncode == 0, clean.stderr
    assert clean.stdout.strip().splitlines()[-1] == (
        "Bilan : 5 articles, 0 page, 0 avertissement, 0 article retenu."
    )
    source = project / "content/articles/perdre-des-clients.md"
    source.write_text(source.read_text(encoding="utf-8").replace("Lang: fr", "Langue: fr"), "utf-8")
    for options in (["--full"], []):  # a full build knows what is online too; then nothing changed
        result = invoke(project, "build", *options)
        assert result.returncode == 1
        said = flat(result.stderr)
        assert "clé inconnue « Langue » : vouliez-vous dire « Lang » ?" in said
        assert "était en ligne à /perdre-des-clients/, retiré de cette construction" in said
        assert not (project / "output/perdre-des-clients").exists()
        assert (project / "output/aujourdhui-jai-rencontre-un-partenaire/index.html").is_file()
        assert ("Rien n’a changé" in result.stdout) == (options == [])  # the second time: said again


# The rules themselves, without a build.


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("Statut", "Status"),
        ("Auteur", "Author"),
        ("Catégorie", "Category"),
        ("Titel", "Title"),
        ("Foo", None),
    ],
)
def test_a_misspelt_key_is_recognised(written, meant):
    assert suggestion(written) == meant


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2015-03-03", "2015-03-03 00:00"),
        ("2006-02-22 10:30", "2006-02-22 10:30"),
        ("3 mars 2015", "2015-03-03 00:00"),
        ("mardi 3 mars 2015 10:30", "2015-03-03 10:30"),
        ("1er mai 2009", "2009-05-01 00:00"),
        ("03/04/2015", "2015-04-03 00:00"),
        ("hier", None),
        ("mars 2015", None),
        ("le trois mars", None),
    ],
)
def test_dates_are_read_in_iso_and_in_french_words(value, expected):
    found = read_date(value)
    assert (found.strftime("%Y-%m-%d %H:%M") if found else None) == expected


def test_an_unknown_key_unlike_any_other_is_a_warning():
    source = (
        "Title: T\nDate: 2020-01-01\nAuthor: A\nCategory: C\nTags: t\nSlug: t\nLang: fr\nHumeur: bonne\n\nx"
    )
    (finding,) = header_findings("a.md", source, ["title", "author", "category", "tags", "slug", "lang"])
    assert (finding.severity, finding.line, finding.message) == (
        "avertissement",
        8,
        "clé inconnue « Humeur » : Pelican l’ignore",
    )


REQUIRED = ["title", "author", "category", "tags", "slug", "lang"]


@pytest.mark.parametrize(
    ("code", "said"),
    [
        ("xx", [("avertissement", 7, "langue inconnue : « xx » n’est le code d’aucune langue")]),
        ("en-XX", [("avertissement", 7, "langue inconnue : « en-XX » n’est le code d’aucune langue")]),
        ("francais", [("erreur", 7, "langue illisible : « francais » n’est pas un code de langue")]),
        ("pt-BR", []),
        ("oc", []),
    ],
)
def test_a_language_code_must_name_a_language(code, said):
    source = f"Title: T\nDate: 2020-01-01\nAuthor: A\nCategory: C\nTags: t\nSlug: t\nLang: {code}\n\nx"
    found = header_findings("a.md", source, REQUIRED)
    assert [(finding.severity, finding.line, finding.message) for finding in found] == said


@pytest.mark.parametrize(
    ("line", "at", "said"),
    [
        ("Slug : t", 6, "« Slug : » : l’espace avant les deux-points arrête l’en-tête"),
        ("Tags suggested: t", 6, "« Tags suggested » : l’espace, l’accent ou le signe dans la clé arrête"),
        (
            "Humeur du jour: bonne",
            6,
            "« Humeur du jour » : l’espace, l’accent ou le signe dans la clé arrête",
        ),
    ],
)
def test_a_key_pelican_does_not_read_ends_its_header_there(line, at, said):
    # Pelican takes the next line, « Status: draft », as text: the draft would go online.
    header = f"Title: T\nDate: 2020-01-01\nAuthor: A\nCategory: C\nTags: t\n{line}\nStatus: draft\nLang: fr"
    source = header + "\n\nx"
    found = [f for f in header_findings("a.md", source, ["title"]) if f.kind == "en-tête coupé"]
    assert [(f.severity, f.line) for f in found] == [("erreur", at)]
    assert found[0].message.startswith(said)
    assert "les 2 suivantes comme du texte" in found[0].message


HEADERS_PELICAN_READS = {
    "leading spaces": " Title: T\n   Date: 2020-01-01\nAuthor: A",
    "YAML fences": "---\nTitle: T\nDate: 2020-01-01\n---\nAuthor: Pas lu",
    "YAML end with dots": "---\nTitle: T\n...\nAuthor: Pas lu",
    "digits and underscores": "Title: T\n1er_lecteur: Paul\n_interne: x\nDate: 2020-01-01",
    "Windows lines": "Title: T\r\nDate: 2020-01-01\r\n    suite\r\nAuthor: A",
    "old Mac lines": "Title: T\rDate: 2020-01-01\rAuthor: A",
    "a tab continues": "Title: T\n\tsuite\nAuthor: A",
    "space before the colon": "Title: T\nSlug : s\nAuthor: A",
    "an accent in a key": "Title: T\nCatégorie: C\nAuthor: A",
    "an apostrophe in a key": "Title: T\nNote de l’auteur: rien\nAuthor: A",
    "a line without a colon": "Title: T\nUne note\nAuthor: A",
    "a first line indented": "    Title: T\nAuthor: A",
    "no blank line before the text": "Title: T\nAuthor: A\nLe texte commence.",
}


@pytest.mark.parametrize("name", sorted(HEADERS_PELICAN_READS))
def test_the_header_is_read_as_python_markdown_reads_it(name):
    """The keys the review takes as read are exactly those Python-Markdown's meta extension
    finds (Pelican's Markdown reader), each with the values it gives."""
    text = HEADERS_PELICAN_READS[name]
    converter = markdown.Markdown(extensions=["meta"])
    converter.convert(text + "\n\nLe texte.")
    entries = [entry for entry in read_header(text) if entry.read]
    assert {entry.key.lower() for entry in entries} == set(converter.Meta), name
    for entry in entries:
        lines = converter.Meta[entry.key.lower()]
        # Pelican keeps the first line of a key it allows once; the project's reader joins the others.
        assert entry.value == (lines[0] if entry.key.lower() in ONCE_KEYS else " ".join(lines)), name


def test_a_value_on_two_lines_is_joined_and_a_pages_cut_header_is_warned(tmp_path):
    """A title over two lines is the author's one title (Pelican made a list of it, which
    failed the whole build); a page is never held back, so its header is warned (--strict)."""
    long_title = article("Un titre", Slug="long").replace(
        "Title: Un titre\n", "Title: Un titre\n\tsur deux lignes\n"
    )
    pages = {
        "pages/titre.md": "Title: Une page\n    au long titre\nSlug: titre\nLang: fr\n\nTexte.\n",
        "pages/secrete.md": "Title: Page secrète\nSlug: secrete\nLang: fr\nStatus : draft\n\nTexte.\n",
        "pages/theme.md": "Title: Thème\nSlug: theme\nLang: fr\nCatégorie: Achats\nStatus: draft\n\nTexte.\n",
    }
    content = tiny_content(tmp_path, {"long.md": long_title}, extra_files=pages)
    site = build_test_site(tmp_path / "out", content, strict=False)
    assert site.html("long/index.html").h1.get_text(" ", strip=True) == "Un titre sur deux lignes"
    assert site.html("titre/index.html").h1.get_text(" ", strip=True) == "Une page au long titre"
    said = [warning.split(": ", 1)[1] for warning in site.warnings]
    assert said == [
        "pages/secrete.md:4: « Status : » : l’espace avant les deux-points arrête l’en-tête : "
        "Pelican lit cette ligne comme du texte ; écrivez « Status: draft »",
        "pages/theme.md:4: « Catégorie » : l’espace, l’accent ou le signe dans la clé arrête l’en-tête : "
        "Pelican lit cette ligne et la suivante comme du texte ; écrivez « Category: Achats »",
    ]


def test_the_keys_pelican_allows_once_are_pelicans():
    assert {key for key, allowed in DUPLICATES_DEFINITIONS_ALLOWED.items() if not allowed} == ONCE_KEYS
    assert set(DEFAULT_CONFIG["FORMATTED_FIELDS"]) == FORMATTED_KEYS


BASE = "Title: T\nDate: 2020-01-01\nAuthor: A\nCategory: C\nTags: t\nSlug: s\nLang: fr"
NOT_A_KEY = "n’est pas une ligne « Clé: valeur »"


@pytest.mark.parametrize(
    ("tail", "line", "said", "fix"),
    [
        # a draft indented under the summary: Pelican joins it to the summary
        ("Summary: r\n    Status: draft", 9, "« Status: draft » est en retrait", "retirez les espaces"),
        # French typography's narrow no-break space before the colon
        ("Status\u202f: draft", 8, "« Status : » : l’espace avant les deux-points", "écrivez « Status: d"),
        ("\u00a0Status: draft", 8, "« Status » : le retrait au début de la ligne", "retirez les espaces"),
        ("une note\n    Status: draft", 8, f"« une note » {NOT_A_KEY}", "ajoutez une ligne vide"),
        ("   suite\nStatus: draft", 8, f"« suite » {NOT_A_KEY}", "pour continuer la valeur"),
    ],
)
def test_what_hides_a_draft_in_the_header_is_said_at_its_line(tail, line, said, fix):
    found = header_findings("a.md", f"{BASE}\n{tail}\n\nTexte.", ["title"])
    assert [(f.severity, f.line) for f in found] == [("erreur", line)], found
    assert found[0].message.startswith(said), found
    assert found[0].fix.startswith(fix), found


def test_a_first_line_indented_is_said_and_a_text_with_no_blank_line_before_it_is_not():
    (indented,) = header_findings("a.md", f"    {BASE}\n\nTexte.", ["title"])
    assert (indented.line, indented.fix) == (1, "retirez les espaces au début de cette ligne")
    # The text starts right under the header: Pelican reads it so, and nothing is lost.
    text = f"{BASE}\nPremier paragraphe.\nNote : voir plus bas.\n\nSuite."
    assert header_findings("a.md", text, ["title"]) == []


def test_a_header_pelican_reads_whole_has_no_cut():
    # A line indented by four spaces continues the value above; Pelican reads it so too.
    header = "Title: T\nDate: 2020-01-01\nAuthor: A\n    Suite de l’auteur\nCategory: C\nTags: t\nLang: fr"
    source = header + "\n\nx"
    assert not [f for f in header_findings("a.md", source, ["title"]) if f.kind == "en-tête coupé"]


def test_a_problem_of_the_whole_site_fails_build_and_check_alike(tmp_path):
    project = project_copy(tmp_path)
    pages = project / "content/pages"
    pages.mkdir(exist_ok=True)
    for name in ("a.md", "b.md"):  # two pages, one address: Pelican would stop at the second
        (pages / name).write_text(f"Title: Page {name}\nSlug: apropos\nLang: fr\n\nTexte.\n", "utf-8")
    build = invoke(project, "build")
    check = invoke(project, "check")
    assert build.returncode == check.returncode == 1
    for said in (flat(build.stderr), flat(check.stdout)):
        assert "construction: erreur : deux pages s’écriraient dans /apropos/index.html." in said
        assert "Donnez-leur des « Slug: » différents." in said
        assert "override" not in said
    assert not (project / "output").exists()  # nothing was ever online, and nothing is


def record(message: str, *args, level=logging.WARNING) -> logging.LogRecord:
    return logging.LogRecord("pelican.generators", level, __file__, 1, message, args, None)


def test_pelicans_own_lines_are_put_into_french_in_place(tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles/x.md").write_text("Title: X\nTags: inconnue\nLang: fr\n\nTexte.\n", "utf-8")
    stray = "tag_map: %s: the tag « %s » is not in the tag map %s; add a [tags.<key>] table for it, or …"
    cases = [
        (
            record("Could not process %s", "articles/x.md", level=logging.ERROR),
            ("erreur", "articles/x.md", None),
        ),
        (
            record(stray, "articles/x.md", "inconnue", "content/tagmap.toml"),
            ("avertissement", "articles/x.md", 2),
        ),
        (
            record(
                "Skipping %s: could not find information about '%s'", str(tmp_path / "articles/x.md"), "date"
            ),
            ("erreur", "articles/x.md", 4),
        ),
        (record("Something new from Pelican"), ("avertissement", "", None)),
    ]
    for logged, (severity, file, line) in cases:
        finding = finding_of(logged, tmp_path)
        assert (finding.severity, finding.file, finding.line) == (severity, file, line), finding
        assert finding.message
    assert (
        finding_of(record("Unable to find '%s', skipping url replacement", "/articles/y.md"), tmp_path)
        is None
    )


def test_a_repeated_key_and_a_bad_biographies_file_are_said_in_french_at_their_line(tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles/x.md").write_text("Title: X\nStatus: published\nStatus: draft\n\nTexte.\n", "utf-8")
    repeated = record("Duplicate definition of `%s` for %s. Using first one.", "status", "articles/x.md")
    assert finding_of(repeated, tmp_path) == (
        "avertissement",
        "articles/x.md",
        3,  # the second line, the one Pelican ignores
        "clé en double",
        "« Status » est écrit deux fois dans l’en-tête : seule la première ligne compte",
        "gardez une seule ligne « Status: … »",
    )
    toml = "author_profiles: %s: invalid TOML: %s"
    bad = record(
        toml, "auteurs.toml", "Expected ']]' at the end of an array declaration (at line 12, column 9)"
    )
    finding = finding_of(bad, tmp_path)
    assert (finding.file, finding.line) == (os.path.relpath(tmp_path / "auteurs.toml"), 12)
    assert finding.message == "fichier TOML mal formé : il manque « ]] » à la fin de l’en-tête"


@pytest.mark.parametrize(
    ("template", "line", "message"),
    [
        ("<h1>{{ x }}</h1>\n<p>{{ }}</p>\n", 2, "une expression était attendue, pas « }} »"),
        ("<h1>{{ x }}</h1>\n\n<p>{{ article.nope.y }}</p>\n", 3, "« Article » n’a pas d’attribut « nope »"),
    ],
)
def test_a_template_error_is_said_in_french_at_the_templates_line(tmp_path, template, line, message):
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError
    from pelican.contents import Article

    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/article.html").write_text(template, "utf-8")
    environment = Environment(loader=FileSystemLoader(tmp_path / "templates"), undefined=StrictUndefined)
    with pytest.raises(TemplateError) as raised:
        environment.get_template("article.html").render(x=1, article=Article("Texte", {"title": "X"}))
    finding = exception_finding(raised.value, tmp_path)
    assert (finding.severity, finding.file, finding.line) == ("erreur", "templates/article.html", line)
    assert finding.message == f"erreur dans le gabarit : {message}"


def test_a_long_path_is_never_cut_and_a_messages_own_lines_are_kept():
    path = "articles/vos-competences-non-techniques-comptent-autant-que-vos-competences-techniques.md"
    lines = wrapped(
        f"{path}:3: erreur : une phrase assez longue pour passer à la ligne suivante\n  « a »\n  « b »"
    )
    assert lines[0] == f"{path}:3:"  # alone on its line, whole, even past 80 columns
    assert all(len(line) <= 80 for line in lines[1:])
    assert lines[-2:] == ["      «\u00a0a\u00a0»", "      «\u00a0b\u00a0»"]
    assert not any("   " in line.lstrip() for line in lines)  # no paragraph reflowed into runs of spaces


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_an_undecodable_byte_is_said_at_its_line_whatever_the_line_ends(end):
    data = end.join(["Title: X", "Slug: y", "Author: Cam"]).encode() + b"\xe9lia" + end.encode()
    assert "(ligne 3)" in text_problem(data)


def test_the_reader_joins_a_value_over_several_lines_but_not_what_pelican_reads_once():
    from plugins.resume.reader import single_values

    meta = {"title": ["", "Titre en retrait"], "tags": ["a", "b"], "summary": ["un", "deux"], "lang": ["fr"]}
    assert single_values(meta) == {
        "title": ["Titre en retrait"],  # `Title:` empty, its value on the next line
        "tags": ["a", "b"],  # Pelican keeps the first, and the review says so
        "summary": ["un", "deux"],  # Pelican joins a summary's lines itself
        "lang": ["fr"],
    }
