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


def test_the_index_folds_words_as_the_one_fold_does():
    # The analyzer's folding is carnet/text/folding.py's table: what a query, a tag name or
    # « À lire aussi » folds with `fold` meets the indexed terms. Taken before stop words and
    # the stemmer, from the analyzer the index uses.
    from whoosh.analysis.analyzers import CompositeAnalyzer

    from carnet.search.analysis import french_analyzer

    folding_only = CompositeAnalyzer(*french_analyzer().items[:3])
    words = ["Cœur", "ÆLFRED", "été", "Cønfiance", "Łódź", "Straße", "NOËL", "ça", "Ĳssel", "Ωmega"]
    assert [token.text for token in folding_only(" ".join(words))] == [fold(word) for word in words]
