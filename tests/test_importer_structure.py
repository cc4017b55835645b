"""invoke import: résumé, headings, lists, hard wraps, verse and repeats, on small texts."""

import datetime
import textwrap

import pytest
from bs4 import BeautifulSoup

from carnet.importer.drafts import escape_line, render_block
from carnet.importer.model import Block
from carnet.importer.pipeline import import_text
from carnet.importer.structure import REPEAT
from carnet.resume.parsing import extract_resume
from tests.sitebuild import site_markdown

LONG = "Un paragraphe de l’article, avec assez de mots pour être un vrai paragraphe du texte."


def body_of(text: str) -> str:
    draft = import_text(textwrap.dedent(text).strip("\n") + "\n", "t.txt", today=datetime.date(2026, 1, 1))
    return draft.markdown_body()


def draft_of(text: str):
    return import_text(textwrap.dedent(text).strip("\n") + "\n", "t.txt", today=datetime.date(2026, 1, 1))


# -- the author's résumé ---------------------------------------------------------------------


def test_resume_becomes_the_plugins_block():
    draft = draft_of(
        """
        Un titre

        Cet article en résumé
          • Le chemin
          • Synergies, collaborations
        Cet article pas en résumé

        Le premier paragraphe, assez long pour être un paragraphe de l’article.

        Le chemin

        Un paragraphe sur le chemin, qui développe le premier point du résumé.
        """
    )
    body = draft.markdown_body()
    assert body.startswith("::: résumé\n- Le chemin\n- Synergies, collaborations\n:::\n\n")
    assert "en résumé" not in body.replace("::: résumé", "")
    assert ("Resume_source", "auteur") in draft.header()
    assert "## Le chemin" in body
    extraction = extract_resume(body)
    assert [point.text for point in extraction.block.points] == ["Le chemin", "Synergies, collaborations"]
    assert extraction.problems == []
    assert extraction.block.problems == []
    reasons = " ".join(removal.reason for removal in draft.removals)
    assert "Cet article en résumé" in reasons
    assert "Cet article pas en résumé" in reasons


def test_resume_without_its_closing_heading_ends_with_the_list():
    body = body_of(
        f"""
        Un titre

        Cet article en résumé :
        - Écouter
        - Reformuler

        {LONG}
        """
    )
    assert body.startswith("::: résumé\n- Écouter\n- Reformuler\n:::")
    assert LONG in body


def test_resume_points_that_lost_their_bullets():
    body = body_of(
        f"""
        Un titre
        Cet article en résumé
        Écouter
        Reformuler
        Cet article pas en résumé
        {LONG}
        """
    )
    assert body.startswith("::: résumé\n- Écouter\n- Reformuler\n:::")


def test_resume_with_sub_points_and_a_wrapped_point():
    body = body_of(
        f"""
        Un titre

        Cet article en résumé
        - Écouter
          - vraiment
        - Reformuler ce que
           l’on a compris
        Cet article pas en résumé

        {LONG}
        """
    )
    block = extract_resume(body).block
    assert [point.text for point in block.points] == ["Écouter", "Reformuler ce que l’on a compris"]
    assert [child.text for child in block.points[0].children] == ["vraiment"]
    assert block.problems == []


def test_a_resume_of_more_than_twelve_points_stays_a_list():
    points = "\n".join(f"- Point numéro {number}" for number in range(1, 15))
    draft = draft_of(f"Un titre\n\nCet article en résumé\n{points}\nCet article pas en résumé\n\n{LONG}")
    body = draft.markdown_body()
    assert "::: résumé" not in body
    assert "- Point numéro 14" in body
    assert any("14 points" in note for note in draft.notes)


# -- headings, lists ---------------------------------------------------------------------


def test_short_lines_standing_alone_are_headings():
    body = body_of(
        f"""
        Un titre

        {LONG}

        AVIS avisés

        {LONG.replace("Un", "Un autre")}

        Grand dilemme…

        {LONG.replace("Un", "Un troisième")}

        Vous auriez fait quel choix vous ?

        {LONG.replace("Un", "Un quatrième")}

        Et ça fait vachement du bien ! 🐄

        {LONG.replace("Un", "Un cinquième")}

        Résultat :

        {LONG.replace("Un", "Un sixième")}

        Fin
        """
    )
    assert "## AVIS avisés" in body
    for not_heading in ["Grand dilemme…", "Vous auriez fait quel choix vous ?", "Résultat :", "Fin"]:
        assert f"\n\n{not_heading}\n\n" in body + "\n\n"
    assert "\n\nEt ça fait vachement du bien ! 🐄\n\n" in body


def test_heading_in_a_text_without_blank_lines():
    body = body_of(f"Un titre\n{LONG}\nLe chemin\n{LONG.replace('Un', 'Un autre')}\n")
    assert "\n\n## Le chemin\n\n" in body


@pytest.mark.parametrize("mark", ["•", "-", "*", "–"])
def test_bullet_lines_become_a_list(mark):
    body = body_of(
        f"Un titre\n\n{LONG}\n\n  {mark} Aller chercher le client\n  {mark} Travailler avec d’autres\n"
    )
    assert "- Aller chercher le client\n- Travailler avec d’autres" in body


def test_authors_own_bullets_are_kept_and_the_themes_hidden():
    body = body_of(f"Un titre\n\n{LONG}\n\nRésultat :\n➡ désillusion\n➡ peu de monde\n")
    assert "Résultat :\n\n- ➡ désillusion{: .puce-auteur }\n- ➡ peu de monde{: .puce-auteur }" in body


def test_a_single_arrow_line_is_a_paragraph():
    body = body_of(f"Un titre\n\n{LONG}\n\n➡ une seule flèche, dans une phrase.\n")
    assert body.endswith("\n\n➡ une seule flèche, dans une phrase.")


def test_numbered_and_nested_lists():
    body = body_of(f"Un titre\n\n{LONG}\n\n1. écouter\n2. reformuler\n- un point\n    - un sous-point\n")
    assert "1. écouter\n2. reformuler" in body
    assert "- un point\n    - un sous-point" in body


def test_a_year_that_starts_a_sentence_is_not_a_list():
    body = body_of(f"Un titre\n\n{LONG}\n\n2009. Une année de rencontres, et un paragraphe qui le raconte.\n")
    assert "2009\\. Une année" in body


# -- line breaks -----------------------------------------------------------------------------

WRAPPED = """\
Perdre des clients

Vendredi 10h30, j’étais en accompagnement avec une coach
professionnelle qui était sur son projet depuis plusieurs années.

Sans rentrer dans les détails, cette personne est sur son projet depuis
plusieurs années mais ça ne décolle pas. Elle est passionnée et
essaye pleins de choses mais, cela mène nulle part.

Surtout, chose que je ne vous ai pas dite, il y avait la question de
perte derrière.
En effet, il y avait une autre raison qui fait que de lui dire la
vérité était risqué.

Résultat :
- une liste qui ne se joint pas
- à la phrase qui la précède

Le silence
aide.

Entendre n’est pas écouter,
écouter n’est pas comprendre,
et comprendre prend du temps.

A demain,
Jason
"""


def test_hard_wrapped_lines_are_joined_back_and_nothing_else():
    body = import_text(WRAPPED, "t.txt").markdown_body()
    assert (
        "Sans rentrer dans les détails, cette personne est sur son projet depuis plusieurs années mais "
        "ça ne décolle pas. Elle est passionnée et essaye pleins de choses mais, cela mène nulle part."
    ) in body
    # The author's own short line keeps its break, without starting a paragraph.
    assert "la question de perte derrière.  \nEn effet, il y avait" in body
    assert "Résultat :\n\n- une liste qui ne se joint pas\n- à la phrase qui la précède" in body
    assert (
        "Entendre n’est pas écouter,  \nécouter n’est pas comprendre,  \net comprendre prend du temps."
        in body
    )
    assert "A demain,  \nJason" in body
    assert "Le silence  \naide." in body


def test_verse_in_a_text_without_blank_lines():
    body = body_of(
        f"""
        Un titre
        {LONG}
        Les gens oublieront ce que tu as dit,
        les gens oublieront ce que tu as fait,
        mais les gens n’oublieront jamais
        Comment vous les avez fait sentir.
        Ils feront ensuite affaire avec nous.
        {LONG.replace("Un", "Un autre")}
        """
    )
    assert (
        "\n\nLes gens oublieront ce que tu as dit,  \nles gens oublieront ce que tu as fait,  \n"
        "mais les gens n’oublieront jamais  \nComment vous les avez fait sentir.\n\n"
        "Ils feront ensuite affaire avec nous.\n\n"
    ) in body


def test_lines_of_a_text_without_blank_lines_are_paragraphs():
    body = body_of(f"Un titre\n{LONG}\nIls veulent quelqu’un qui offre un service sans égal.\n{LONG}2\n")
    assert body.count("\n\n") == 2


# -- repeats -------------------------------------------------------------------------------


def test_paragraphs_repeated_by_the_scrape_are_removed_once():
    first = "Comment ces acheteurs portent - ils les valeurs et le sens de l'entreprise ? Vraiment ?"
    draft = draft_of(f"Un titre\n{first}\n{LONG}\n{first}\n{LONG}\nUne fin.\n")
    body = draft.markdown_body()
    assert body.count(first) == 1
    assert body.count(LONG) == 1
    repeated = [removal for removal in draft.removals if "répété" in removal.reason]
    assert [removal.line for removal in repeated] == [4, 5]
    assert "déjà à la ligne 2" in repeated[0].reason


def test_a_repeated_piece_of_a_sentence_is_not_a_repeated_paragraph():
    """Found by test_every_sentence_of_the_body_survives: two hard-wrapped paragraphs whose wrap
    the importer does not see (each line is a block) start with the same twelve words, the second
    paragraph's first line ends in the middle of a sentence, and it was removed as a copy."""
    text = (
        "Client client client client client client client <b> client ! <b> client\n"
        "<script>alert(1)</script> client client <script>alert(1)</script>.\n"
        "Client client client.\n"
        "\n"
        "Client client client client client client client <b> client ! <b> client\n"
        "<script>alert(1)</script> client client consultant\n"
        "<script>alert(1)</script> client client client client client client\n"
        "client.\n"
    )
    draft = import_text(text, "article.txt")
    body = draft.markdown_body()
    assert body.count("Client client client client client client client &lt;b> client ! &lt;b> client") == 2
    assert [removal for removal in draft.removals if removal.kind == REPEAT] == []
    assert [line for line in text.splitlines() if line and escape_line(line) not in body.splitlines()] == []


def test_a_refrain_in_a_list_is_kept():
    body = body_of(
        f"""
        Un titre

        {LONG}

        • on se parle avant de répondre au client, toujours et avant tout le reste ;
        • on se parle avant de répondre au client, toujours et avant tout le reste ;
        • on partage les nouvelles.
        """
    )
    assert body.count("on se parle avant de répondre au client") == 2


def test_a_short_repeated_line_and_a_repeated_stanza_are_kept():
    body = body_of(
        f"""
        Un titre

        {LONG}

        Et alors ?

        {LONG.replace("Un", "Un autre")}

        Et alors ?

        Je marche encore,
        et je marche toujours,
        sans savoir où je vais, mais je marche quand même, pas à pas.

        Je marche encore,
        et je marche toujours,
        sans savoir où je vais, mais je marche quand même, pas à pas.
        """
    )
    assert body.count("Et alors ?") == 2
    assert body.count("Je marche encore,") == 2


def test_title_repeated_at_the_top_of_the_text_is_removed():
    draft = draft_of(f"Un titre\n\nUn titre\n\n{LONG}\n")
    assert draft.markdown_body() == LONG


# -- the words stay text -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert('x')</script> et <b>gras</b>",
        "# pas un titre",
        "> pas une citation",
        "- pas une liste",
        "+ pas une liste",
        "1986. Pas une liste numérotée",
        "*pas d’italique* et _pas non plus_ et __ni gras__",
        "`pas de code` et ```ni bloc```",
        "[pas un lien](http://exemple.test) ni ![image](x.png) ni [^1] ni [réf][1]",
        "[TOC]",
        "[1]: http://exemple.test",
        "::: résumé",
        ": pas une définition",
        "{: .classe } et {#ancre}",
        "&amp; reste &amp; et &copy; reste &copy;",
        "un \\ antislash et \\*",
        "~~~",
        "===",
        "---",
        "<http://exemple.test>",
        "*[HTML]: Hyper Text",
        "a | b | c",
        "parce que […] voilà",
    ],
)
def test_markdown_syntax_in_the_text_stays_text(text):
    html = site_markdown().convert(escape_line(text))
    soup = BeautifulSoup(html, "html.parser")
    assert [tag.name for tag in soup.find_all(True)] == ["p"], html
    assert soup.get_text() == text


def test_paragraph_with_line_breaks_renders_as_written():
    block = Block("paragraph", parts=["Texte", "===", "- pas une liste", "> ni une citation"])
    soup = BeautifulSoup(site_markdown().convert(render_block(block)), "html.parser")
    assert [tag.name for tag in soup.find_all(True)] == ["p", "br", "br", "br"]
    assert soup.get_text() == "Texte\n===\n- pas une liste\n> ni une citation"
