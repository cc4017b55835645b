"""HTML and plain-text forms of a résumé, and the first-paragraph fallback."""

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape, unescape

import markdown
from bs4 import BeautifulSoup, NavigableString, Tag

from .linking import section_targets
from .parsing import Extraction, Problem, ResumeBlock

# Beyond this, a first paragraph used as a summary is cut (at a word).
FALLBACK_MAX_WORDS = 60


# One converter for every résumé: building a Markdown instance costs more than converting a list.
_CONVERTER = markdown.Markdown(output_format="html")


@lru_cache(maxsize=256)
def _list_html(list_markdown: str) -> str:
    """The three forms of a résumé are made from one conversion."""
    return _CONVERTER.reset().convert(list_markdown)


def _list_soup(block: ResumeBlock) -> BeautifulSoup:
    return BeautifulSoup(_list_html(block.to_markdown()), "html.parser")


# The tree is walked by hand rather than with find_all or CSS selectors: on a list of a few
# points, building their filters cost more than the walk (1.5 s of a 15 s profile of résumés).
def _tags(node: Tag, names: tuple[str, ...]) -> Iterator[Tag]:
    """The tags named so under `node`, in document order (find_all)."""
    return (each for each in node.descendants if isinstance(each, Tag) and each.name in names)


def _first(node: Tag, name: str) -> Tag | None:
    return next(_tags(node, (name,)), None)


def _items(points: Tag) -> list[Tag]:
    """The list's own items (find_all("li", recursive=False))."""
    return [child for child in points.children if isinstance(child, Tag) and child.name == "li"]


def resume_html(block: ResumeBlock, targets: dict[int, str], soup: BeautifulSoup | None = None) -> str:
    """The list for the article page: each point links to its section when it has one.
    `soup`, the parsed list, is changed."""
    soup = _list_soup(block) if soup is None else soup
    points = _first(soup, "ul")
    for point, item in zip(block.points, _items(points), strict=True):
        anchor = targets.get(point.line)
        if anchor is None or _first(item, "a") is not None:
            continue
        link = soup.new_tag("a", href=f"#{anchor}")
        for child in [c for c in item.contents if getattr(c, "name", None) not in ("ul", "ol")]:
            link.append(child.extract())
        if isinstance(link.contents[-1], NavigableString):
            # the line break before a sub-list belongs outside the link
            link.contents[-1].replace_with(link.contents[-1].rstrip())
        item.insert(0, link)
    points["class"] = "resume__points"
    return str(soup)


def summary_and_text(block: ResumeBlock, soup: BeautifulSoup | None = None) -> tuple[str, str]:
    """The listings' form and the plain text, from one parse: the text is taken after
    the summary is written, and unwrapping links does not change it. `soup` is changed."""
    soup = _list_soup(block) if soup is None else soup
    for link in [a for a in _tags(soup, ("a",)) if str(a.get("href", "")).startswith("#")]:
        link.unwrap()
    points = _first(soup, "ul")
    points["class"] = "resume"
    summary = str(soup)
    texts = []
    for item in _items(points):
        for nested in list(_tags(item, ("ul", "ol"))):
            nested.extract()
        texts.append(" ".join(item.get_text(" ").split()))
    return summary, " · ".join(texts)


# A list of plain points as Python-Markdown writes it: text with nothing to parse (no tag,
# entity or quote), sub-points one level down. Most résumés are such lists; their three forms
# are then made as strings, which is what the parse, the changes and `str(soup)` above give
# for them (tests/test_resume_rendering.py), for a fraction of the cost.
_PLAIN = r'[^<>&"]+'
_PLAIN_ITEM = re.compile(rf"<li>({_PLAIN})(<ul>\n(?:<li>{_PLAIN}</li>\n)+</ul>\n)?</li>\n")
_PLAIN_LIST = re.compile(rf"<ul>\n(?:{_PLAIN_ITEM.pattern})+</ul>")
_PLAIN_ANCHOR = re.compile(r"[\w-]+")


def plain_forms(block: ResumeBlock, targets: dict[int, str]) -> tuple[str, str, str] | None:
    """(resume_html, then summary_and_text) of a list of plain points; None for any other."""
    html = _list_html(block.to_markdown())
    if not _PLAIN_LIST.fullmatch(html):
        return None
    items = _PLAIN_ITEM.findall(html)
    if len(items) != len(block.points):
        return None
    linked, texts = [], []
    for point, (text, children) in zip(block.points, items, strict=True):
        texts.append(" ".join(text.split()))
        anchor = targets.get(point.line)
        if anchor is None:
            linked.append(f"<li>{text}{children}</li>\n")
        elif not _PLAIN_ANCHOR.fullmatch(anchor):
            return None
        elif children:
            # The link takes the point's text and the line break after its sub-list, emptied.
            linked.append(f'<li><a href="#{anchor}">{text}</a>{children[:-1]}</li>\n')
        else:
            linked.append(f'<li><a href="#{anchor}">{text.rstrip()}</a></li>\n')
    points = "".join(linked)
    return (
        f'<ul class="resume__points">\n{points}</ul>',
        f'<ul class="resume">{html[len("<ul>") :]}',
        " · ".join(texts),
    )


# The first paragraph of an article as Python-Markdown writes it: plain text, with nothing before
# it but text and plain tags (double-quoted attribute values without « < » or « > »), none of
# which the parser could read as a paragraph or reads as raw text (« <P », a script, a frame).
_FIRST_PARAGRAPH = re.compile(r"<p>([^<>&]*)</p>")
_PLAIN_MARKUP = re.compile(
    r'(?:[^<]|</?[a-zA-Z][a-zA-Z0-9]*(?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:="[^<>"]*")?)*\s*/?>)*'
)
_NOT_PARSED_ALIKE = re.compile(
    r"</?(?:p|script|style|textarea|title|xmp|plaintext|iframe|noembed|noframes|noscript)\b", re.IGNORECASE
)


def first_paragraph(html: str) -> tuple[str, str]:
    """The first paragraph with words in it, as (HTML, plain text), cut if long."""
    plain = _FIRST_PARAGRAPH.search(html)
    before = html[: plain.start()] if plain else ""
    if (
        plain
        and plain[1].split()
        and _PLAIN_MARKUP.fullmatch(before)
        and not _NOT_PARSED_ALIKE.search(before)
    ):
        # What the parse below gives for it, without parsing the whole article.
        return _paragraph_forms(plain[0], plain[1].split())
    return parsed_first_paragraph(html)


def parsed_first_paragraph(html: str) -> tuple[str, str]:
    soup = BeautifulSoup(html, "html.parser")
    for paragraph in soup.find_all("p"):
        words = paragraph.get_text(" ").split()
        if words:
            return _paragraph_forms(str(paragraph), words)
    return "", ""


def _paragraph_forms(paragraph_html: str, words: list[str]) -> tuple[str, str]:
    if len(words) <= FALLBACK_MAX_WORDS:
        return paragraph_html, " ".join(words)
    text = " ".join(words[:FALLBACK_MAX_WORDS]) + " …"
    return f"<p>{escape(text)}</p>", text


@dataclass
class RenderedResume:
    """Everything the pages need from a résumé block, made once when the article is read."""

    html: str = ""  # the list on the article page, points linked to their sections
    summary_html: str = ""  # the list in listings and feeds
    text: str = ""  # one line, for <meta name="description">
    problems: list[Problem] = field(default_factory=list)
    # Without a résumé: the article's first paragraph stands in for it (HTML, text).
    fallback_html: str = ""
    fallback_text: str = ""
    line: int | None = None  # the block's first line; None without a block


# Python-Markdown's toc extension writes headings as <h2 id="…">…</h2>: a pattern reads them
# far faster than a parser, which matters on a large archive.
_HEADING = re.compile(r'<h([234])\b[^>]*\bid="([^"]+)"[^>]*>(.*?)</h\1>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def headings_of(html: str) -> dict[str, str]:
    return {
        anchor: " ".join(unescape(_TAG.sub(" ", inner)).split())
        for _, anchor, inner in _HEADING.findall(html)
    }


def render_extraction(extraction: Extraction, article_html: str) -> RenderedResume:
    """The three forms of the article's résumé, and every problem found on the way."""
    rendered = RenderedResume(problems=list(extraction.problems))
    block = extraction.block
    if block is None or not block.points:
        rendered.fallback_html, rendered.fallback_text = first_paragraph(article_html)
    if block is None:
        return rendered
    rendered.line = block.line
    rendered.problems.extend(block.problems)
    targets, link_problems = section_targets(block.points, headings_of(article_html), block.references)
    rendered.problems.extend(link_problems)
    plain = plain_forms(block, targets) if block.points else None
    if plain is not None:
        rendered.html, rendered.summary_html, rendered.text = plain
    elif block.points:
        # One parse of the list for both forms: a copy of the tree costs less than a second parse.
        soup = _list_soup(block)
        rendered.html = resume_html(block, targets, copy.copy(soup))
        rendered.summary_html, rendered.text = summary_and_text(block, soup)
    return rendered
