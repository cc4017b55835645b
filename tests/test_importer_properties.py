"""invoke import, property-based: any input imports or fails with the declared error, and
every sentence of an article's body is still there, as a reader sees it, in the draft."""

import re
import textwrap

from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carnet.importer import RawTextError
from carnet.importer.decoding import decode_bytes
from carnet.importer.drafts import escape_line
from carnet.importer.pipeline import import_text
from carnet.resume.parsing import extract_resume
from tests.sitebuild import site_markdown

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MARKDOWN = site_markdown()

# Words of ordinary articles, and text that Markdown or HTML would read as syntax.
WORDS = [
    "client",
    "consultant",
    "rencontre",
    "partenaire",
    "écoute",
    "confiance",
    "hasard",
    "chemin",
    "coach",
    "projet",
    "réputation",
    "synergie",
    "avis",
    "vérité",
    "énergie",
    "démarche",
    "conseil",
    "équipe",
    "mission",
    "atelier",
    "aujourd’hui",
    "l’été",
    "œuvre",
    "déjà",
    "où",
    "ça",
    "même",
    "très",
    "bien",
    "vraiment",
    "souvent",
    "toujours",
    "jamais",
    "nous",
    "vous",
    "ils",
    "elle",
    "je",
    "tu",
    "on",
    "avec",
    "pour",
    "dans",
    "sans",
    "mais",
    "donc",
    "car",
    "puis",
    "aussi",
    "plus",
    "moins",
]
SPECIAL = [
    "<script>alert(1)</script>",
    "<b>",
    "*gras*",
    "_souligné_",
    "[lien](http://x.test)",
    "![image](x.png)",
    "[^1]",
    "#1",
    "&amp;",
    "&copy;",
    "a\\b",
    "`code`",
    "{: .classe}",
    "«",
    "»",
    "🐄",
    "->",
    "|",
    "(parenthèse)",
]
word = st.one_of(st.sampled_from(WORDS), st.sampled_from(SPECIAL))


@st.composite
def sentence(draw) -> str:
    words = draw(st.lists(word, min_size=3, max_size=14))
    words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words) + draw(st.sampled_from([".", " !", " ?", "…", "."]))


@st.composite
def article(draw) -> tuple[str, list[str]]:
    """A raw article and its sentences: paragraphs, perhaps a list, perhaps hard-wrapped."""
    paragraphs: list[list[str]] = draw(
        st.lists(st.lists(sentence(), min_size=1, max_size=4), min_size=2, max_size=7)
    )
    blank_lines = draw(st.booleans())
    width = draw(st.integers(min_value=60, max_value=78))
    wrap = blank_lines and draw(st.booleans())
    chunks, sentences = [], []
    for sentences_of in paragraphs:
        sentences.extend(sentences_of)
        if draw(st.booleans()) and len(sentences_of) > 1:
            mark = draw(st.sampled_from(["•", "-", "*", "–", "➡"]))
            chunks.append("\n".join(f"{mark} {text}" for text in sentences_of))
        else:
            text = " ".join(sentences_of)
            chunks.append(textwrap.fill(text, width=width, break_long_words=False) if wrap else text)
    title = draw(
        st.sampled_from(["", "Un titre pour l’article\n\n" if blank_lines else "Un titre pour l’article\n"])
    )
    return title + ("\n\n" if blank_lines else "\n").join(chunks) + "\n", sentences


def visible(markdown: str) -> str:
    """The text a reader sees: the résumé's points, then the body rendered by the site's Markdown."""
    extraction = extract_resume(markdown)
    points = [point.text for point in extraction.block.points] if extraction.block else []
    html = MARKDOWN.reset().convert("\n".join(f"- {point}" for point in points) + "\n\n" + extraction.text)
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


def normalised(text: str) -> str:
    return " ".join(text.split())


@FAST
@given(st.text())
def test_any_text_imports_or_fails_with_the_declared_error(text):
    try:
        draft = import_text(text, "hasard.txt")
    except RawTextError as caught:
        error = caught
    else:
        error = None
    if error is not None:
        assert str(error).startswith("hasard.txt : ")
        return
    rendered = draft.text().render(slug=draft.stem)
    assert rendered.startswith("Title: ")
    assert "\nStatus: draft\n" in rendered


@FAST
@given(st.binary(max_size=400))
def test_any_bytes_decode_or_fail_with_the_declared_error(data):
    try:
        raw = decode_bytes(data, "octets.txt")
    except RawTextError as caught:
        error = caught
    else:
        error = None
    if error is not None:
        assert str(error).startswith("octets.txt : ")
        return
    assert raw.text.strip()
    assert "\r" not in raw.text


@FAST
@given(article())
def test_every_sentence_of_the_body_survives(case):
    text, sentences = case
    draft = import_text(text, "article.txt")
    markdown = draft.markdown_body()
    meta = draft.metadata
    found = " ".join(
        [visible(markdown)]
        + [finding.value for finding in (meta.title, meta.subtitle, meta.author) if finding is not None]
    )
    for text_of_sentence in sentences:
        assert normalised(text_of_sentence) in found, (text_of_sentence, markdown)


line_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\t"),
    min_size=1,
    max_size=60,
).filter(lambda text: text.strip())


@FAST
@given(line_text)
def test_escaped_text_renders_as_the_same_text(text):
    html = MARKDOWN.reset().convert(escape_line(text))
    soup = BeautifulSoup(html, "html.parser")
    assert [tag.name for tag in soup.find_all(True)] == ["p"], html
    assert soup.get_text() == text.strip()


@FAST
@given(st.lists(line_text, min_size=1, max_size=5))
def test_no_line_of_raw_text_becomes_html(lines):
    """Whatever the raw text holds, the draft's HTML has only the elements the importer makes."""
    try:
        draft = import_text("\n".join(lines) + "\n", "hasard.txt")
    except RawTextError:
        return
    html = MARKDOWN.reset().convert(extract_resume(draft.markdown_body()).text)
    made = {"p", "br", "h2", "ul", "ol", "li"}
    tags = {tag.name for tag in BeautifulSoup(html, "html.parser").find_all(True)}
    assert tags <= made, (tags - made, html)
    assert not re.search(r"<(script|img|a|iframe)\b", html)
