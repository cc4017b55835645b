"""The résumé block on its own: syntax, linking, rendering and every bad input."""

import pytest

from carnet.resume.linking import comparable, section_targets
from carnet.resume.parsing import MAX_POINTS, extract_resume, parse_points
from carnet.resume.rendering import first_paragraph, resume_html, summary_and_text

ARTICLE = """Title: Essai

::: résumé
- Premier point
- [Deuxième point](#deux)
:::

Le texte.
"""


def test_block_is_cut_out_and_line_numbers_kept():
    extraction = extract_resume(ARTICLE)
    assert extraction.problems == []
    assert extraction.block.line == 3
    assert [(p.text, p.line) for p in extraction.block.points] == [
        ("Premier point", 4),
        ("[Deuxième point](#deux)", 5),
    ]
    assert ":::" not in extraction.text
    assert "Premier point" not in extraction.text
    assert extraction.text.count("\n") == ARTICLE.count("\n")
    assert "Le texte." in extraction.text


def test_text_without_block_is_untouched():
    extraction = extract_resume("Title: x\n\nRien ici.\n")
    assert extraction.block is None
    assert extraction.text == "Title: x\n\nRien ici.\n"


@pytest.mark.parametrize("opener", ["::: résumé", ":::résumé", "::: Resume", "  ::: RÉSUMÉ  "])
def test_opener_spellings(opener):
    extraction = extract_resume(f"{opener}\n- un point\n:::\n")
    assert [p.text for p in extraction.block.points] == ["un point"]


def test_explicit_target_and_markup_are_kept_as_written():
    block = parse_points(["- Voir *ceci* [là](#section-2)", "- sans lien"])
    assert block.points[0].target == "section-2"
    assert block.points[0].text == "Voir *ceci* [là](#section-2)"
    assert block.points[1].target is None


def test_a_point_may_wrap_over_two_lines():
    block = parse_points(["- un point qui", "  continue ici", "- un autre"])
    assert [p.text for p in block.points] == ["un point qui continue ici", "un autre"]
    assert block.problems == []


def test_one_level_of_sub_points_and_other_bullets():
    block = parse_points(["* premier", "  + détail", "1. deuxième"])
    assert block.problems == []
    assert [p.text for p in block.points] == ["premier", "deuxième"]
    assert [c.text for c in block.points[0].children] == ["détail"]


def test_block_inside_a_code_fence_is_not_a_resume():
    text = "```\n::: résumé\n- pas un point\n:::\n```\n"
    extraction = extract_resume(text)
    assert extraction.block is None
    assert extraction.text == text


# Bad input: every case gives a problem with the line to look at.


def test_empty_block():
    extraction = extract_resume("Intro\n::: résumé\n\n:::\n")
    assert [(p.line, p.message) for p in extraction.block.problems] == [(2, "the résumé block has no points")]


def test_block_that_is_not_a_list():
    extraction = extract_resume("::: résumé\nUne phrase, pas une liste.\n:::\n")
    [problem] = extraction.block.problems
    assert problem.line == 2
    assert "not a bullet list" in problem.message


def test_nesting_deeper_than_one_level():
    block = parse_points(["- a", "  - b", "    - c"], first_line=10)
    [problem] = block.problems
    assert problem.line == 12
    assert "one level at most" in problem.message


def test_more_than_twelve_points():
    block = parse_points([f"- point {n}" for n in range(MAX_POINTS + 1)], first_line=5)
    [problem] = block.problems
    assert problem.line == 5 + MAX_POINTS
    assert "13 points" in problem.message


def test_exactly_twelve_points_is_fine():
    assert parse_points([f"- point {n}" for n in range(MAX_POINTS)]).problems == []


def test_unclosed_block():
    extraction = extract_resume("Titre\n::: résumé\n- a\n")
    assert extraction.block is None
    assert [(p.line, "never closed" in p.message) for p in extraction.problems] == [(2, True)]


def test_second_block():
    extraction = extract_resume("::: résumé\n- a\n:::\n\n::: résumé\n- b\n:::\n")
    assert [p.line for p in extraction.problems] == [5]
    assert [p.text for p in extraction.block.points] == ["a"]


# Linking points to sections.

HEADINGS = {
    "le-chemin": "Le chemin",
    "avis-avises": "AVIS avisés",
    "faites-vous-confiance": "Faites-vous confiance",
}


def test_points_link_to_the_heading_with_the_same_words():
    block = parse_points(["- Avis avisés", "- Faites-vous confiance !", "- Inspiration"])
    targets, problems = section_targets(block.points, HEADINGS)
    assert problems == []
    assert targets == {1: "avis-avises", 2: "faites-vous-confiance"}


def test_explicit_link_to_a_missing_section_is_a_problem():
    block = parse_points(["- [Ailleurs](#nulle-part)"], first_line=7)
    targets, problems = section_targets(block.points, HEADINGS)
    assert targets == {}
    assert problems[0].line == 7
    assert "#nulle-part" in problems[0].message
    assert "#le-chemin" in problems[0].message


def test_explicit_link_wins_over_matching_words():
    block = parse_points(["- [Avis avisés](#le-chemin)"])
    assert section_targets(block.points, HEADINGS)[0] == {1: "le-chemin"}


def test_comparable_ignores_case_accents_and_punctuation():
    assert comparable("AVIS  avisés !") == comparable("Avis avises") == "avis avises"
    assert comparable("[Qu’en dira-t-on](#x)") == "qu en dira t on"


# Rendering.


def test_article_list_links_points_and_keeps_sub_points():
    block = parse_points(["- Avis avisés", "  - détail", "- [Vu](#le-chemin)", "- Sans section"])
    targets, _ = section_targets(block.points, HEADINGS)
    html = resume_html(block, targets)
    assert '<ul class="resume__points">' in html
    assert '<li><a href="#avis-avises">Avis avisés</a>' in html
    assert "<li>détail</li>" in html
    assert '<a href="#le-chemin">Vu</a>' in html
    assert "<li>Sans section</li>" in html


def test_listing_form_has_no_section_links():
    block = parse_points(["- [Vu](#le-chemin)", "- *Important*", "- [Site](https://exemple.fr)"])
    html, _ = summary_and_text(block)
    assert html.startswith('<ul class="resume">')
    assert "#le-chemin" not in html
    assert "<em>Important</em>" in html
    assert 'href="https://exemple.fr"' in html


def test_plain_text_form():
    block = parse_points(["- [Vu](#le-chemin)", "  - caché", "- *Important* & sûr"])
    assert summary_and_text(block)[1] == "Vu · Important & sûr"


def test_first_paragraph_fallback():
    assert first_paragraph("<h2>T</h2><p> </p><p>Bonjour <em>vous</em>.</p><p>Suite</p>") == (
        "<p>Bonjour <em>vous</em>.</p>",
        "Bonjour vous .",
    )
    long_html = "<p>" + " ".join(f"mot{n}" for n in range(100)) + " <b>&lt;x&gt;</b></p>"
    html, text = first_paragraph(long_html)
    assert text.endswith("mot59 …")
    assert html == f"<p>{text}</p>"
    assert first_paragraph("<h2>Rien</h2>") == ("", "")


def test_a_reference_link_to_a_section_is_followed_or_said_missing():
    block = parse_points(
        ["- [Le détail][chemin]", "- [Ailleurs][loin]", "- [vu][]", "- [Autre][site]"], first_line=3
    )
    references = {"chemin": ("#le-chemin", None), "loin": ("#nulle-part", None), "vu": ("#avis-avises", "t")}
    references["site"] = ("{filename}autre.md", None)
    targets, problems = section_targets(block.points, HEADINGS, references)
    assert targets == {3: "le-chemin", 5: "avis-avises"}
    assert [(problem.line, problem.values[0]) for problem in problems] == [(4, "nulle-part")]
