"""The French analyzer alone: accents, case, ligatures, stop words, stemming."""

import pytest

from carnet.search.analysis import analyzed_terms, fold


@pytest.mark.parametrize(
    "forms",
    [
        ["coïncidence", "coincidences", "COÏNCIDENCES", "Coïncidences"],
        ["fidéliser", "fideliser", "fidélisation", "FIDELISATION"],
        ["œuvre", "oeuvre", "Œuvre"],
        ["partenaire", "partenaires"],
        ["acheteur", "acheteurs"],
        ["synergie", "synergies"],
        ["synchronicité", "synchronicités", "synchronicites"],
        ["référencement", "referencement"],
    ],
)
def test_forms_of_a_word_meet(forms):
    terms = {tuple(analyzed_terms(form)) for form in forms}
    assert len(terms) == 1, terms
    assert next(iter(terms)) != ()


def test_ligatures_and_accents_fold():
    assert fold("Cœur d’ÆLFRED à l’été") == "coeur d’aelfred a l’ete"


def test_stop_words_go_whatever_their_accents():
    assert analyzed_terms("de la") == []
    assert analyzed_terms("le la les des du un une et à") == []
    assert analyzed_terms("A LA") == []


def test_meaningful_words_that_fold_onto_stop_words_stay():
    assert analyzed_terms("été") == ["ete"]
    assert analyzed_terms("où") == ["ou"]
    assert analyzed_terms("sûr") == ["sur"]


def test_elisions_split_on_both_apostrophes():
    assert analyzed_terms("l’écoute") == analyzed_terms("l'écoute") == analyzed_terms("écoute")


def test_different_words_stay_different():
    assert analyzed_terms("tarte") != analyzed_terms("tartine")
    assert analyzed_terms("client") != analyzed_terms("consultant")
