"""invoke import on real scrapes: the five seeds against their curated articles, and raw
texts of the same kinds that the importer has never seen (tests/fixtures/raw/)."""

import difflib
import html
import re
from pathlib import Path

import pytest

from carnet.importer.decoding import read_raw
from carnet.importer.pipeline import Draft, import_text
from carnet.importer.tags import load_tag_forms
from tests.project import ROOT

SEEDS = ROOT.parent / "shared" / "seeds"
CURATED = ROOT / "content" / "articles"
FIXTURES = Path(__file__).parent / "fixtures" / "raw"
MIN_SIMILARITY = 0.95

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="the raw seeds live in ../shared/seeds")


def header_and_body(markdown: str) -> tuple[dict[str, str], str]:
    header, _, body = markdown.partition("\n\n")
    return dict(line.split(": ", 1) for line in header.splitlines()), body


def plain_text(markdown: str) -> str:
    """The body's words, without Markdown markup, header, or an editors' résumé."""
    header, body = header_and_body(markdown)
    if header.get("Resume_source", "auteur") != "auteur":
        body = re.sub(r"(?ms)^:::\s*r[ée]sum[ée]\s*$.*?^:::\s*$", "", body)
    body = re.sub(r"(?m)^:::.*$", "", body)
    body = re.sub(r"(?m)^\s*(?:#+|[-*+]|\d+\.|>)\s+", "", body)
    body = body.replace("{: .puce-auteur }", "")
    body = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", body)
    body = re.sub(r"\\(.)", r"\1", body)
    return " ".join(html.unescape(body).split())


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()


def imported(path: Path) -> tuple[Draft, str]:
    raw = read_raw(path)
    draft = import_text(raw.text, path.name, tag_forms=load_tag_forms(ROOT / "content" / "tagmap.toml"))
    return draft, draft.text().render(slug=draft.stem)


def curated_for(seed: Path) -> str:
    for article in CURATED.glob("*.md"):
        text = article.read_text(encoding="utf-8")
        if header_and_body(text)[0].get("Source_file") == seed.name:
            return text
    raise AssertionError(f"no curated article has Source_file: {seed.name}")


SEED_NAMES = sorted(path.name for path in SEEDS.glob("*.txt")) if SEEDS.is_dir() else []


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_body_matches_the_curated_article(name, capsys):
    _draft, markdown = imported(SEEDS / name)
    ratio = similarity(plain_text(markdown), plain_text(curated_for(SEEDS / name)))
    with capsys.disabled():
        print(f"\n{name}: similarity {ratio:.4f}")
    assert ratio >= MIN_SIMILARITY


# What each source gives; None where it gives nothing (the curated value is then the editors').
SOURCE_GIVES = {
    "000_9d77737650397066.txt": {"title": True, "date": True, "author": False},
    "001_e3545dffe7b64cde.txt": {"title": True, "date": False, "author": True},
    "002_1a42ecd055554e7b.txt": {"title": True, "date": False, "author": True},
    "003_802cc9a872149be8.txt": {"title": False, "date": False, "author": False},
    "004_6ee60b52a127630a.txt": {"title": True, "date": True, "author": True},
}


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_metadata_is_the_curated_one_or_a_marker(name):
    _draft, markdown = imported(SEEDS / name)
    header, _ = header_and_body(markdown)
    curated, _ = header_and_body(curated_for(SEEDS / name))
    gives = SOURCE_GIVES[name]
    if gives["title"]:
        assert header["Title"] == curated["Title"]
    else:
        assert header["Title"] == "[TITRE À TROUVER]"
        assert header["Title_missing"] == "oui"
    if gives["date"]:
        assert header["Date"] == curated["Date"]
    else:
        assert "Date" not in header
        assert "Modified" in header
    if gives["author"]:
        assert header["Author"] == curated["Author"]
    else:
        assert header["Author"] == "[AUTEUR À TROUVER]"
        assert header["Author_missing"] == "oui"
    assert header["Status"] == "draft"
    assert header["Lang"] == "fr"
    assert header["Source_file"] == name
    if "Subtitle" in curated:
        assert header["Subtitle"] == curated["Subtitle"]


def test_seed_with_an_authors_resume():
    draft, markdown = imported(SEEDS / "001_e3545dffe7b64cde.txt")
    header, body = header_and_body(markdown)
    assert header["Resume_source"] == "auteur"
    assert [item.text for item in draft.body.resume][:2] == [
        "Des personnes qui contribueront à votre chemin",
        "Synergies, collaborations",
    ]
    assert "Cet article en résumé" not in body
    assert "## Le chemin" in body
    assert "## AVIS avisés" in body
    assert "BWOW ©" in body


def test_seeds_leave_no_scrape_behind():
    leftovers = [
        "Inscription à",
        "Publier les commentaires",
        "Aucun commentaire",
        "Enregistrer un commentaire",
        "Lu 4196 fois",
        "Répondre à cet article",
        "Article précédent",
        "Sent to",
        "Unsubscribe",
        "Don’t want future emails",
        "bit.ly",
        "Université Saint-Paul",  # the blog's profile of the author
    ]
    for seed in SEEDS.glob("*.txt"):
        _, markdown = imported(seed)
        body = header_and_body(markdown)[1]
        for leftover in leftovers:
            assert leftover not in body, (seed.name, leftover)


def test_seed_repeated_paragraphs_appear_once():
    draft, markdown = imported(SEEDS / "004_6ee60b52a127630a.txt")
    body = header_and_body(markdown)[1]
    assert body.count("Je me souviens de mes débuts dans le secteur automobile") == 1
    assert len([removal for removal in draft.removals if "répété" in removal.reason]) == 4


# -- raw texts the importer has never seen ----------------------------------------------------

FIXTURE_EXPECTATIONS = {
    "blogue_windows1252.txt": {
        "header": {
            "Title": "L’art de poser les bonnes questions",
            "Date": "2015-03-03 09:12",
            "Author": "Marie Dubois",
            "Tags": "questions, rencontre client",
            "Source": "Billet de blogue",
        },
        "body": [
            "Le 5 juin 2017, lors d’un atelier à Lyon",  # a date in the text, not the article's
            "Photo de groupe prise à la fin de l’atelier",
            "## Trois questions que je pose toujours",
            "- Qu’est-ce qui vous fait dire que c’est un problème aujourd’hui ?",
            "Lu attentivement, le cahier des charges",
        ],
        "gone": ["Le carnet de Marie", "Publié par", "commentaires", "Libellés", "BlogThis", "Partager"],
    },
    "forum_sujet.txt": {
        "header": {
            "Title": "Trois partenaires, une seule voix",
            "Date": "2017-06-05 14:30",
            "Author": "Alain_G",
            "Source": "Message de forum, rubrique « Partenariats »",
        },
        "body": [
            "Ce qui a changé :\n\n- on prépare chaque rendez-vous ensemble ;\n"
            "- on se parle avant de répondre au client ;\n- on se parle avant de répondre au client ;",
        ],
        "gone": ["Forum Accompagnement", "Sujet", "Posté par", "Lu 312 fois", "Imprimer", "Article suivant"],
        "once": ["Nous avons appris à répondre d'une seule voix."],
    },
    "lettre_du_mardi.txt": {
        "header": {"Title": "L’écoute qui change tout", "Author": "Sophie Martin", "Resume_source": "auteur"},
        "body": [
            "::: résumé\n- Écouter avant de proposer\n- Reformuler pour vérifier\n- Se taire, parfois\n:::",
            "## Écouter avant de proposer",
            "une phrase que je n’oublierai pas : « Vous êtes la première personne qui m’a laissée finir. »",
            "Entendre n’est pas écouter,  \nécouter n’est pas comprendre,  \net comprendre prend du temps.",
            "À bientôt,  \nSophie",
            "P.S. : Les inscriptions à l’atelier d’avril sont ouvertes, il reste quatre places.",
            'Un &lt;script>alert("x")&lt;/script> glissé',
        ],
        "gone": [
            "Voir la version en ligne",
            "Vous recevez",
            "69003",
            "désinscri",
            "préférences",
            "en résumé",
        ],
    },
    "blogue_titre_en_fin.txt": {
        "header": {
            "Title": "Un faux numéro et un vrai client",
            "Date": "2009-04-16",
            "Author": "Claire Lemoine",
            "Source": "Billet de blogue",
        },
        "body": ["Je crois aux conversations.\n\n— Claire"],
        "gone": ["Photo", "Coach et formatrice à Nantes", "16/04/2009", "Posté par", "commentaire", "Atom"],
    },
}


@pytest.mark.parametrize("name", sorted(FIXTURE_EXPECTATIONS))
def test_unseen_raw_texts_come_out_clean(name):
    expected = FIXTURE_EXPECTATIONS[name]
    _draft, markdown = imported(FIXTURES / name)
    header, body = header_and_body(markdown)
    for key, value in expected["header"].items():
        assert header.get(key) == value, (key, header)
    assert header["Status"] == "draft"
    for text in expected["body"]:
        assert text in body
    for text in expected["gone"]:
        assert text not in body, text
    for text in expected.get("once", []):
        assert body.count(text) == 1


def test_unseen_raw_texts_keep_every_sentence():
    """Every line of the source is either in the draft or listed as removed in the report."""
    for path in sorted(FIXTURES.glob("*.txt")) + sorted(SEEDS.glob("*.txt")):
        draft, markdown = imported(path)
        kept = plain_text(markdown) + " " + " ".join(header_and_body(markdown)[0].values())
        removed = {removal.line for removal in draft.removals}
        for number, line in enumerate(read_raw(path).text.split("\n"), start=1):
            words = " ".join(line.split()).lstrip("•-*–➡ ").strip()
            if words and number not in removed:
                assert words in kept, (path.name, number, line)
