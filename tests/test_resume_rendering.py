"""A résumé of plain points is made as strings (carnet/resume/rendering.py, plain_forms): its three
forms are exactly those the parsed list gives (resume_html, summary_and_text), and any other list
still goes through the parser."""

import copy
import random

import pytest

from carnet.resume import rendering
from carnet.resume.parsing import extract_resume

# Letters, accents, French punctuation and spaces, and a few pieces that Markdown or HTML read.
PLAIN_PIECES = list("abcdefghij éèêàçôœ’«»!?:;,.-()0123456789")
MARKED_PIECES = ["*", "_", "`", "[un lien](#ailleurs)", "&", "<b>", '"', "# ", "1. ", "\\", "  "]


def block_of(lines: list[str]):
    return extract_resume("::: résumé\n" + "\n".join(lines) + "\n:::\n\nLe texte.\n").block


def parsed_forms(block, targets):
    soup = rendering._list_soup(block)
    return (rendering.resume_html(block, targets, copy.copy(soup)), *rendering.summary_and_text(block, soup))


def random_point(rng: random.Random) -> str:
    pieces = PLAIN_PIECES + (MARKED_PIECES if rng.random() < 0.3 else [])
    return "".join(rng.choice(pieces) for _ in range(rng.randint(1, 14))).strip() or "x"


def test_plain_points_give_what_the_parsed_list_gives():
    rng = random.Random(20261128)
    plain = 0
    for _ in range(1500):
        lines = []
        for _ in range(rng.randint(1, 6)):
            lines.append(f"- {random_point(rng)}")
            lines.extend(f"  - {random_point(rng)}" for _ in range(rng.choice([0, 0, 0, 1, 2])))
        block = block_of(lines)
        if block is None or not block.points:
            continue
        anchors = ["section-1", "deux-trois", "x_y", 'q"x', "a&b"]
        targets = {point.line: rng.choice(anchors) for point in block.points if rng.random() < 0.5}
        forms = rendering.plain_forms(block, targets)
        if forms is not None:
            plain += 1
            assert forms == parsed_forms(block, targets), lines
    assert plain > 300  # the cases above reach the string path often, not by chance alone


def test_a_typical_resume_takes_the_string_path_with_its_links_and_sub_points():
    lines = ["- Des personnes qui comptent", "  - un sous-point", "- Avis avisés", "- Qu’en dira-t-on ?"]
    block = block_of(lines)
    targets = {block.points[0].line: "des-personnes", block.points[1].line: "avis-avises"}
    forms = rendering.plain_forms(block, targets)
    assert forms is not None
    assert forms == parsed_forms(block, targets)
    html, summary, text = forms
    assert '<li><a href="#des-personnes">Des personnes qui comptent</a><ul>' in html
    assert '<li><a href="#avis-avises">Avis avisés</a></li>' in html
    assert summary.startswith('<ul class="resume">')
    assert "<a " not in summary
    assert text == "Des personnes qui comptent · Avis avisés · Qu’en dira-t-on ?"


@pytest.mark.parametrize(
    "point",
    [
        "Un *mot* en italique",
        "[Un lien](#la-suite)",
        "Sel & poivre",
        "Un <b>gras</b> écrit",
        'Des « guillemets " droits »',
    ],
)
def test_any_other_list_goes_through_the_parser(point):
    block = block_of([f"- {point}", "- Un second point"])
    assert rendering.plain_forms(block, {}) is None


def test_an_anchor_with_characters_to_escape_goes_through_the_parser():
    block = block_of(["- Un point", "- Un autre"])
    assert rendering.plain_forms(block, {block.points[0].line: 'a"b'}) is None


# Pieces of article HTML, ordinary and not: comments, scripts, nested and upper-case paragraphs.
HTML_PIECES = [
    "<p>",
    "</p>",
    "<p> </p>",
    "<p>Un paragraphe, avec l’apostrophe « française ».</p>",
    "<p>" + "mot " * 70 + "</p>",
    "<!-- <p>commentaire</p> -->",
    "<script>x = '<p>s</p>'</script>",
    "<style>p { color: red }</style>",
    "<blockquote><p>cité</p></blockquote>",
    "<p class='x'>classé</p>",
    "<P>majuscules</P>",
    "<pre><p>pré</p></pre>",
    "<h2 id='a'>Titre</h2>",
    "&amp; ",
    "<em>e</em>",
    "\n",
    "<div>",
    "</div>",
    "' \" ",
    # What opens before a paragraph and closes after its start: the parser sees no paragraph there.
    '<div title="',
    '">',
    "<div title=",
    '<a href="x" ',
    "<?php ",
    " ?>",
    "</ ",
    "<iframe>",
    "</iframe>",
    "<noscript>",
]


def test_the_first_paragraph_is_what_the_parser_finds():
    rng = random.Random(28)
    for _ in range(3000):
        html = "".join(rng.choice(HTML_PIECES) for _ in range(rng.randint(1, 8)))
        assert rendering.first_paragraph(html) == rendering.parsed_first_paragraph(html), html


@pytest.mark.parametrize(
    "html",
    [
        '<div title="<p>Note</p>"></div>\n<p>Premier paragraphe.</p>',
        "<div title=<p>Note</p>></div>\n<p>Premier paragraphe.</p>",
        '<a href="x" <p>Note</p>\n<p>Premier paragraphe.</p>',
        "<?php <p>Note</p> ?>\n<p>Premier paragraphe.</p>",
        "</ <p>Note</p>\n<p>Premier paragraphe.</p>",
        "<iframe><p>Note</p></iframe>\n<p>Premier paragraphe.</p>",
    ],
)
def test_a_paragraph_inside_something_opened_before_it_is_left_to_the_parser(html):
    assert rendering.first_paragraph(html) == rendering.parsed_first_paragraph(html)


def test_an_ordinary_first_paragraph_is_found_without_the_parser(monkeypatch):
    monkeypatch.setattr(rendering, "BeautifulSoup", None)  # called, it would fail
    html = '<h2 id="debut">Début</h2>\n<div class="x"><p>Un client m’a appelé.</p></div>\n<p>Puis.</p>'
    assert rendering.first_paragraph(html) == ("<p>Un client m’a appelé.</p>", "Un client m’a appelé.")
    long = "<p>" + " ".join(["mot"] * 61) + "</p>"
    assert rendering.first_paragraph(long) == ("<p>" + "mot " * 60 + "…</p>", "mot " * 60 + "…")
