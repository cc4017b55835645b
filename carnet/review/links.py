"""Once every page is written: the plain links of each article and page lead to a written file,
and a page's Pelican links ({filename}, {static}…) were resolved (pages have no review before)."""

import difflib
import posixpath
import re
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from .articles import read_source
from .findings import WARNING, Finding
from .sources import content_path, line_containing

_HREF = re.compile(r"\b(?:href|src)=\"([^\"]+)\"")
_ID = re.compile(r"\bid=\"([^\"]+)\"")
# A section's heading, as Markdown's table of contents writes it (`## La méthode`).
_HEADING_ID = re.compile(r"<h[2-6]\b[^>]*\bid=\"([^\"]+)\"")
# The anchors a missing one's fix lists, at most.
_ANCHORS_SHOWN = 5
# Pelican's intrasite links ({filename}, |filename|, {attach}, {tag}…), which it resolves
# itself and names the file or the name missing when it cannot.
_INTRASITE = re.compile(r"[{|](?:filename|static|attach|author|category|tag|index)[|}]")


_ADDRESS_FIX = "corrigez l’adresse ; pour un article, écrivez {filename}/articles/….md"


class Broken(NamedTuple):
    problem: str
    fix: str = _ADDRESS_FIX


class Anchors:
    """The anchors of the site's written pages, each page read once: all its ids, and those of
    its sections' headings, in order, for the fix of an anchor that is missing. `contents`: the
    articles and pages by their written page, whose text's headings are the author's sections
    (the theme's own, « À lire aussi », are on every article)."""

    def __init__(self, contents: dict | None = None):
        self._contents = contents or {}
        self._ids: dict[Path, set[str]] = {}
        self._headings: dict[Path, list[str]] = {}

    def missing(self, page: Path, section: str) -> Broken | None:
        if page not in self._ids:
            self._ids[page] = set(_ID.findall(page.read_text(encoding="utf-8", errors="replace")))
        if section in self._ids[page]:
            return None
        return Broken(f"ancre #{section} introuvable", self._fix(page, section))

    def _headings_of(self, page: Path) -> list[str]:
        """Worked out only for a page with a missing anchor: most links' anchors are there."""
        if page not in self._headings:
            content = self._contents.get(page)
            text = page.read_text(encoding="utf-8", errors="replace") if content is None else content.content
            known = self._ids[page]
            self._headings[page] = [h for h in dict.fromkeys(_HEADING_ID.findall(text or "")) if h in known]
        return self._headings[page]

    def _fix(self, page: Path, section: str) -> str:
        headings = self._headings_of(page)
        close = difflib.get_close_matches(section, headings, n=1, cutoff=0.6)
        if close:
            return f"corrigez l’ancre : vouliez-vous dire #{close[0]} ?"
        if not headings:
            return "la page n’a pas d’intertitre « ## … » : liez la page sans ancre"
        shown = ", ".join(f"#{heading}" for heading in headings[:_ANCHORS_SHOWN])
        more = " …" if len(headings) > _ANCHORS_SHOWN else ""
        return f"corrigez l’ancre ; celles des intertitres de la page : {shown}{more}"


# A link to a section of another article or page: `{filename}/articles/b.md#section`.
_SECTION_OF_FILE = re.compile(r"^[{|]filename[|}](?P<path>[^#?]*)(?:\?[^#]*)?#(?P<section>.+)$")


def written_link_findings(output: Path, articles, pages=()) -> Iterable[Finding]:
    """`articles`: their marks were checked by the review, before; `pages`: not."""
    contents = {output / content.save_as: content for content in [*articles, *pages]}
    written = {content.relative_source_path: path for path, content in contents.items()}
    anchors = Anchors(contents)
    for article, resolved in [*((article, False) for article in articles), *((page, True) for page in pages)]:
        page = output / article.save_as
        # An article's text as read (its review said which marks lead nowhere), a page's as
        # published (a mark left in it led nowhere); and the résumé as read too (plugins/resume
        # resolves its marks), its points' links to the article's sections (#x) said by its rules.
        html = (article.content if resolved else article._content) or ""
        resume = getattr(article, "resume_html_as_read", None) or getattr(article, "resume_html", "")
        references = [*_links(html), *_links(resume, False)]
        if not references:
            continue
        text = None
        for reference in dict.fromkeys(references):
            problem = broken(output, page, reference, anchors, marks_left=resolved)
            if problem is None and not resolved:
                problem = missing_section_of_file(reference, article.relative_source_path, written, anchors)
            if problem:
                text = text if text is not None else read_source(article.source_path)
                yield Finding(
                    WARNING,
                    article.relative_source_path,
                    line_containing(text, reference)
                    or line_containing(text, reference.split("#")[0] or reference),
                    "lien cassé",
                    f"{reference} : {problem.problem}",
                    problem.fix,
                )


def _links(html: str, sections: bool = True) -> list[str]:
    """The addresses `html` links to; `sections`: with its links to the page's own sections."""
    if 'href="' not in html and 'src="' not in html:
        return []  # most articles link nowhere: the pattern over 5 000 of them took 0.6 s
    return [link for link in _HREF.findall(html) if sections or not link.startswith("#")]


def broken(
    output: Path, page: Path, reference: str, anchors: Anchors, marks_left: bool = False
) -> Broken | None:
    """What is wrong with `reference` on `page`; `marks_left`: the HTML was resolved by Pelican,
    so a mark still there is one it could not resolve."""
    if _INTRASITE.search(reference):
        return Broken("Pelican n’a trouvé ni cet article ni ce fichier dans content/") if marks_left else None
    parts = urlsplit(reference)
    if parts.scheme or parts.netloc or reference.startswith(("mailto:", "tel:", "data:")):
        return None
    path = unquote(parts.path)
    if not path:
        target = page
    else:
        target = output / path.lstrip("/") if path.startswith("/") else page.parent / path
        if path.endswith("/") or target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            return Broken("cette page ou ce fichier n’existe pas sur le site")
    if parts.fragment and target.suffix == ".html":
        return anchors.missing(target, parts.fragment)
    return None


def missing_section_of_file(
    reference: str, source: str, written: dict[str, Path], anchors: Anchors
) -> Broken | None:
    """What is wrong with a `{filename}…#section` link of the article `source`: the section
    missing from the page written for that file (`written`: source path → page); a missing
    file is the review's to say, before."""
    match = _SECTION_OF_FILE.match(reference)
    if match is None:
        return None
    target = written.get(content_path(posixpath.dirname(source), match["path"]))
    if target is None or not target.is_file():
        return None
    return anchors.missing(target, unquote(match["section"]))
