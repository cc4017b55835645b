"""invoke import: title, date and author are read where the source says them, never invented."""

import datetime

import pytest

from carnet.importer.metadata import parse_byline, parse_date, parse_date_line
from carnet.importer.model import SURE, UNSURE
from carnet.importer.pipeline import import_text

BODY = "Un paragraphe de l’article, avec assez de mots pour être un vrai paragraphe du texte."


def draft_of(*lines: str):
    return import_text("\n".join(lines) + "\n", "source.txt", today=datetime.date(2026, 11, 23))


# -- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jeudi 16 avril 2009", "2009-04-16"),
        ("16 avril 2009", "2009-04-16"),
        ("Mercredi 22 Février 2006, 10:30", "2006-02-22 10:30"),
        ("Mercredi 22 Février 2006", "2006-02-22"),
        ("22 février 2006 à 10h30", "2006-02-22 10:30"),
        ("5 juin 2017", "2017-06-05"),
        ("1er mai 2010", "2010-05-01"),
        ("03/03/2015", "2015-03-03"),
        ("05/06/2017", "2017-06-05"),  # day first, as in French
        ("05/06/2017 14:30", "2017-06-05 14:30"),
    ],
)
def test_french_dates_in_their_usual_forms(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["hier", "il y a 3 jours", "avril 2009", "2009", "Vendredi 10h30", "10:30"])
def test_relative_or_partial_dates_are_not_dates(text):
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Publié le 5 juin 2017", "2017-06-05"),
        ("Date : 03/03/2015", "2015-03-03"),
        ("Le 16 avril 2009", "2009-04-16"),
        ("Le 5 juin 2017, nous sommes partis à Lyon pour un atelier.", None),
    ],
)
def test_a_date_line_is_only_a_date(line, expected):
    assert parse_date_line(line) == expected


def test_a_date_inside_the_text_is_not_the_articles_date():
    draft = draft_of(
        "Un titre",
        "Le 5 juin 2017, lors d’un atelier à Lyon, une directrice m’a posé une question.",
        BODY,
    )
    assert draft.metadata.date is None
    assert "Le 5 juin 2017, lors d’un atelier" in draft.markdown_body()
    assert ("Modified", "2026-11-23") in draft.header()


def test_a_lone_date_in_the_middle_of_the_text_is_left_and_said():
    draft = draft_of("Un titre", "", BODY, "", "12 mars 2019", "", BODY.replace("Un", "Un autre"))
    assert draft.metadata.date is None
    assert "12 mars 2019" in draft.markdown_body()
    assert any("date isolée" in note for note in draft.notes)


def test_date_header_at_the_top():
    draft = draft_of("lundi 3 mars 2015", "Le titre du billet", BODY)
    assert draft.metadata.date.value == "2015-03-03"
    assert draft.metadata.title.value == "Le titre du billet"
    assert draft.metadata.title.confidence == SURE


# -- bylines ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "author", "date", "rubric"),
    [
        (
            'Ecrit par Patrick le Mercredi 22 Février 2006, 10:30 dans "Expériences clients" Lu 4196 fois.',
            "Patrick",
            "2006-02-22 10:30",
            "Expériences clients",
        ),
        ("Écrit par Patrick le 22/02/2006", "Patrick", "2006-02-22", None),
        ("Posté par Alain Le Gall le 05/06/2017 à 14:30", "Alain Le Gall", "2017-06-05 14:30", None),
        ("Posté le 5 juin 2017 par Alain", "Alain", "2017-06-05", None),
        ("Publié par Marie, le 3 mars 2015", "Marie", "2015-03-03", None),
        ("Posté par jdupont le 3 mars 2015", "jdupont", "2015-03-03", None),
        ("Publié par Marie Dubois", "Marie Dubois", None, None),
    ],
)
def test_bylines(line, author, date, rubric):
    byline = parse_byline(line)
    assert (byline.author, byline.date, byline.rubric) == (author, date, rubric)


def test_blogger_byline_gives_the_time_of_the_date_header():
    draft = draft_of(
        "mardi 3 mars 2015", "Le titre", BODY, "Publié par Marie Dubois à 09:12", "2 commentaires:"
    )
    assert draft.metadata.date.value == "2015-03-03 09:12"
    assert draft.metadata.author.value == "Marie Dubois"


@pytest.mark.parametrize(
    "sentence",
    [
        "Écrit par Victor Hugo en exil, ce poème parle de la mer.",
        "Publié par Gallimard en 1950.",
        "Posté par erreur",
    ],
)
def test_sentences_that_look_like_bylines_stay(sentence):
    draft = draft_of("Un titre", BODY, sentence, BODY.replace("Un", "Un autre"))
    assert draft.metadata.author is None or draft.metadata.author.value != "erreur"
    assert sentence in draft.markdown_body()


# -- title and subtitle ---------------------------------------------------------------------


def test_title_is_the_first_line_that_reads_as_one():
    draft = draft_of("Qu'en est il de la fidélisation dans le Be to be ?", BODY)
    assert draft.metadata.title.value == "Qu'en est il de la fidélisation dans le Be to be ?"
    assert "fidélisation dans le Be" not in draft.markdown_body()


@pytest.mark.parametrize(
    "first",
    [
        "Ceci est un message pour tous mes collègues qui travaillent dans le conseil.",
        "Bonjour à tous",
        "jeudi 16 avril 2009",
        "Depuis le début de mon activité, deux grandes approches :",
    ],
)
def test_no_title_is_invented(first):
    draft = draft_of(first, BODY)
    assert draft.metadata.title is None
    header = dict(draft.header())
    assert header["Title"] == "[TITRE À TROUVER]"
    assert header["Title_missing"] == "oui"
    assert draft.stem == "sans-titre-source"
    assert any("Pas de titre" in note for note in draft.notes)


def test_title_from_a_subject_line():
    draft = draft_of("Sujet : Re : Trois partenaires", BODY)
    assert draft.metadata.title.value == "Trois partenaires"


def test_title_after_the_date_at_the_end_of_a_blog_page():
    draft = draft_of(
        BODY, "jeudi 16 avril 2009", "Les synchronicités", "Inscription à :", "Aucun commentaire:"
    )
    assert draft.metadata.title.value == "Les synchronicités"
    assert draft.metadata.date.value == "2009-04-16"


def test_blog_name_above_the_date_header_is_removed():
    draft = draft_of("Le carnet de Marie", "mardi 3 mars 2015", "L’art des questions", BODY)
    assert draft.metadata.title.value == "L’art des questions"
    assert "Le carnet de Marie" not in draft.markdown_body()


def test_subtitle_under_the_title():
    draft = draft_of("Qu'en est il de la fidélisation ?", "Référencement et acheteurs de prestations", BODY)
    assert draft.metadata.subtitle.value == "Référencement et acheteurs de prestations"
    assert ("Subtitle", "Référencement et acheteurs de prestations") in draft.header()


def test_no_subtitle_after_a_blank_line():
    draft = draft_of("Un titre", "", "Un intertitre", "", BODY)
    assert draft.metadata.subtitle is None


# -- author ---------------------------------------------------------------------------------


def test_newsletter_sign_off_with_the_full_name_in_the_footer():
    draft = draft_of(
        "Perdre des clients",
        "",
        BODY,
        "",
        "A demain,",
        "Jason",
        "",
        "Ps : La coach a très bien reçu ma franchise.",
        "",
        "Sent to: lecteur@exemple.test",
        "",
        "Jason Verdier, Vivre du coaching, France",
        "",
        "Unsubscribe",
    )
    assert draft.metadata.author.value == "Jason Verdier"
    assert draft.metadata.author.confidence == SURE
    body = draft.markdown_body()
    assert "A demain,  \nJason" in body
    assert "Ps : La coach" in body
    assert "Vivre du coaching" not in body


@pytest.mark.parametrize(
    ("lines", "author"),
    [
        (["À bientôt,", "Sophie"], "Sophie"),
        (["Bien à vous,", "Marie Dubois"], "Marie Dubois"),
        (["Belle journée, Paul"], "Paul"),
        (["Amicalement,", "Jeanne", "", "P.S. : une dernière chose."], "Jeanne"),
    ],
)
def test_sign_offs(lines, author):
    draft = draft_of("Un titre", "", BODY, "", *lines)
    assert draft.metadata.author.value == author


def test_a_sign_off_followed_by_more_text_is_not_the_end():
    draft = draft_of("Un titre", "", BODY, "", "Merci,", "Paul", "", BODY.replace("Un", "Encore un"))
    assert draft.metadata.author is None


@pytest.mark.parametrize(
    ("signature", "author"),
    [
        ("BWOW ©", "BWOW"),
        ("— Claire", "Claire"),
        ("- Marie Dubois", "Marie Dubois"),
        ("Camille (c) 2012", "Camille"),
    ],
)
def test_signatures(signature, author):
    draft = draft_of("Un titre", "", BODY, "", BODY.replace("Un", "Un second"), "", signature)
    assert draft.metadata.author.value == author
    assert signature.lstrip("- ") in draft.markdown_body()  # the signature stays in the text


def test_a_lone_name_at_the_end_is_only_a_guess():
    draft = draft_of("Un titre", "", BODY, "", BODY.replace("Un", "Un second"), "", "Camille")
    assert draft.metadata.author.value == "Camille"
    assert draft.metadata.author.confidence == UNSURE


def test_no_author_is_invented():
    draft = draft_of("Un titre", "", BODY, "", BODY.replace("Un", "Un second"))
    header = dict(draft.header())
    assert header["Author"] == "[AUTEUR À TROUVER]"
    assert header["Author_missing"] == "oui"


def test_source_tags_and_section():
    draft = draft_of(
        "Un titre",
        BODY,
        "Publié par Marie à 09:12",
        "Libellés : écoute, rencontre client",
        "Catégorie : Expériences",
    )
    assert draft.metadata.tags == ["écoute", "rencontre client"]
    assert ("Tags", "écoute, rencontre client") in draft.header()
    assert draft.metadata.rubric == "Expériences"
    assert "Libellés" not in draft.markdown_body()


def test_explicit_summary_line():
    draft = draft_of("Un titre", "En bref : trois idées pour mieux écouter.", BODY)
    assert draft.metadata.summary.value == "trois idées pour mieux écouter."
    assert ("Summary", "trois idées pour mieux écouter.") in draft.header()


def test_an_emails_header_gives_author_date_and_title():
    draft = draft_of(
        "De : Marie Dubois <marie@exemple.test>",
        "À : lecteurs@exemple.test",
        "Envoyé : lundi 3 mars 2015 09:12",
        "Objet : Trois idées pour écouter",
        "",
        BODY,
    )
    meta = draft.metadata
    assert (meta.title.value, meta.date.value, meta.author.value) == (
        "Trois idées pour écouter",
        "2015-03-03 09:12",
        "Marie Dubois",
    )
    assert draft.markdown_body() == BODY
