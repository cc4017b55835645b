"""invoke import: the platform's chrome is recognised line by line, never inside a sentence."""

import pytest

from carnet.importer.chrome import BLOG, FORUM, IMAGE, NEWSLETTER, PROFILE, SEPARATOR, find_chrome, line_kind
from carnet.importer.pipeline import import_text
from carnet.importer.text import split_lines


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Inscription à :", BLOG),
        ("Inscription à : Publier les commentaires (Atom)", BLOG),
        ("S'abonner à : Messages (Atom)", BLOG),
        ("Publier les commentaires (Atom)", BLOG),
        ("Aucun commentaire:", BLOG),
        ("3 commentaires :", BLOG),
        ("Enregistrer un commentaire", BLOG),
        ("Publier un commentaire", BLOG),
        ("Envoyer par e-mail", BLOG),
        ("BlogThis!", BLOG),
        ("Partager sur Facebook", BLOG),
        ("Article plus récent Article plus ancien Accueil", BLOG),
        ("Afficher mon profil complet", BLOG),
        ("Lu 4196 fois", FORUM),
        ("Lu 4 196 fois.", FORUM),
        ("Répondre à cet article", FORUM),
        ("Article précédent - Répondre à cet article - Article suivant", FORUM),
        ("Répondre à cet article | Imprimer | Haut de page", FORUM),
        ("Article précédent / Article suivant", FORUM),
        ("12 réponses", FORUM),
        ("Sent to: vivreducoaching@gmail.com", NEWSLETTER),
        ("Don’t want future emails?", NEWSLETTER),
        ("Unsubscribe", NEWSLETTER),
        ("Se désinscrire : https://exemple.test/desinscription?id=1", NEWSLETTER),
        ("Vous recevez cet e-mail car vous êtes inscrit à notre lettre.", NEWSLETTER),
        ("Voir la version en ligne", NEWSLETTER),
        ("Si ce message ne s'affiche pas correctement, cliquez ici", NEWSLETTER),
        ("Gérer mes préférences", NEWSLETTER),
        ("Photo", IMAGE),
        ("[image]", IMAGE),
        ("À propos de moi", PROFILE),
        ("-----", SEPARATOR),
        ("* * *", SEPARATOR),
        ("=====", SEPARATOR),
    ],
)
def test_chrome_lines_are_recognised(line, kind):
    assert line_kind(line) == kind


@pytest.mark.parametrize(
    "sentence",
    [
        "Lu attentivement, ce rapport dit tout le contraire.",
        "Lu 3 fois, ce livre m’a marqué à chaque lecture.",
        "Photo de groupe prise à la fin de l’atelier.",
        "La photo de l’équipe dit plus que le rapport.",
        "Un commentaire de client m’a fait changer d’avis.",
        "Aucun commentaire ne m’a autant touché que le sien.",
        "Je me suis désinscrit de tout, et j’ai enfin lu.",
        "Il voulait se désabonner de tout ce qui le distrayait.",
        "Accueillir un client, c’est d’abord l’écouter.",
        "Répondre à cet article demanderait un livre entier.",
        "Source : Ces étranges coïncidences, Catherine Balance et Dominique Bourdin",
        "BWOW ©",
        "- une liste",
        "Résultat :",
    ],
)
def test_sentences_that_merely_contain_chrome_words_stay(sentence):
    assert line_kind(sentence) is None


def test_newsletter_footer_removes_addresses_and_links_but_keeps_unknown_text():
    text = "\n".join(
        [
            "Le titre de la lettre",
            "",
            "Premier paragraphe de la lettre, assez long pour être un paragraphe.",
            "",
            "Deuxième paragraphe de la lettre, lui aussi assez long pour compter.",
            "",
            "Marie Dupont, Les Ateliers, 12 rue des Lilas, 69003 Lyon",
            "Sent to: lecteur@exemple.test",
            "Suivez-nous : https://exemple.test/suivre?utm_source=lettre",
            "Une phrase inconnue que l’on garde par prudence.",
            "Unsubscribe",
        ]
    )
    chrome = find_chrome(split_lines(text))
    removed = {chrome.removed[number].text for number in chrome.removed}
    assert removed == {
        "Marie Dupont, Les Ateliers, 12 rue des Lilas, 69003 Lyon",
        "Sent to: lecteur@exemple.test",
        "Suivez-nous : https://exemple.test/suivre?utm_source=lettre",
        "Unsubscribe",
    }
    assert any("gardé par prudence" in note for note in chrome.notes)


def test_an_address_early_in_the_text_is_not_a_footer():
    text = "\n".join(
        [
            "Rendez-vous au 12 rue des Lilas, 69003 Lyon, France",
            "Une phrase de l’article, la première, qui dit où tout a commencé.",
            "Une deuxième phrase, pour que le texte ait un corps.",
            "Unsubscribe",
        ]
    )
    chrome = find_chrome(split_lines(text))
    assert 1 not in chrome.removed
    assert 4 in chrome.removed


def test_blog_profile_after_a_photo_is_removed_before_the_trailer():
    text = "\n".join(
        [
            "Un premier paragraphe qui est bien celui de l’article, avec ses mots.",
            "Photo",
            "Coach à Nantes, j’aide les indépendants à trouver leurs premiers clients.",
            "jeudi 16 avril 2009",
            "Le titre du billet",
            "Aucun commentaire:",
        ]
    )
    chrome = find_chrome(split_lines(text))
    assert chrome.removed[3].kind == PROFILE
    assert "content/auteurs.toml" in chrome.removed[3].reason
    assert 1 not in chrome.removed


def test_a_photo_placeholder_inside_the_article_keeps_the_text_that_follows():
    text = "\n".join(
        [
            "Un premier paragraphe qui est bien celui de l’article, avec ses mots.",
            "Photo",
            "Le paragraphe qui suit la photo est encore l’article, et il le reste.",
            "Un dernier paragraphe, pour finir l’article proprement.",
        ]
    )
    chrome = find_chrome(split_lines(text))
    assert set(chrome.removed) == {2}


def test_forum_breadcrumb_gives_the_section():
    draft = import_text(
        "Forum Accompagnement > Partenariats\nSujet : Un titre\n"
        "Posté par Alain le 05/06/2017\nLe texte du message, avec assez de mots pour en être un.\n",
        "f.txt",
    )
    assert draft.metadata.rubric == "Partenariats"
    assert "Forum Accompagnement" not in draft.markdown_body()
    assert draft.source_line() == "Message de forum, rubrique « Partenariats »"


def test_every_removed_line_is_reported():
    text = "Un titre\n\nUn paragraphe de l’article.\n\nLu 12 fois\nRépondre à cet article\n"
    draft = import_text(text, "f.txt")
    reported = {(removal.line, removal.text) for removal in draft.removals}
    assert {(5, "Lu 12 fois"), (6, "Répondre à cet article"), (1, "Un titre")} <= reported
    assert "Lu 12 fois" not in draft.markdown_body()


def test_the_review_flags_in_an_article_the_lines_the_importer_removes():
    # One set of patterns (carnet/text/chrome.py) for both: a chrome line pasted into an
    # article is the line `invoke import` would have taken out, and a sentence that merely
    # mentions comments is neither's business.
    from carnet.review.sources import leftover_findings

    lines = [
        "Ce billet a reçu 12 commentaires la semaine dernière, et j’en suis ravi.",
        "",
        "12 commentaires :",
        "",
        "Un paragraphe de l’auteur, qui reste.",
        "",
        "Partager sur Facebook",
        "",
        "Lu 4 196 fois.",
        "",
        "Sent to: vivreducoaching@gmail.com",
    ]
    removed = {
        number
        for number, removal in find_chrome(split_lines("\n".join(lines))).removed.items()
        if removal.kind in {BLOG, FORUM, NEWSLETTER}
    }
    flagged = {finding.line for finding in leftover_findings("a.md", "\n".join(lines))}
    assert flagged == removed == {3, 7, 9, 11}
    said = [finding.message for finding in leftover_findings("a.md", "\n".join(lines))]
    assert said[0] == "habillage du blogue : « 12 commentaires : »"


def test_a_long_line_is_never_chrome():
    # Chrome is short: a line of more than 25 words is the author's, whatever it starts with.
    long = "Voir la version en ligne " + " ".join(["mot"] * 25)
    assert line_kind("Voir la version en ligne de cette lettre") == NEWSLETTER
    assert line_kind(long) is None


def test_chrome_is_recognised_in_any_unicode_form():
    assert line_kind("Chargement…") == BLOG  # an ellipsis character, as WordPress writes it
    assert line_kind("Re\u0301agir a\u0300 cet article") == FORUM  # decomposed accents (NFD)
    assert line_kind("Ｐartager") == BLOG  # a full-width letter
