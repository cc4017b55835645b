"""Once every page is written: the plain links of each article and page lead to a written file,
and a page's Pelican links ({filename}, {static}…) were resolved (pages have no review before)."""

import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .articles import read_source
from .findings import WARNING, Finding
from .sources import line_containing

_HREF = re.compile(r"\b(?:href|src)=\"([^\"]+)\"")
_ID = re.compile(r"\bid=\"([^\"]+)\"")
# Pelican's intrasite links ({filename}, |filename|, {attach}, {tag}…), which it resolves
# itself and names the file or the name missing when it cannot.
_INTRASITE = re.compile(r"[{|](?:filename|static|attach|author|category|tag|index)[|}]")


def written_link_findings(output: Path, articles, pages=()) -> Iterable[Finding]:
    """`articles`: their marks were checked by the review, before; `pages`: not."""
    ids: dict[Path, set[str]] = {}
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
            problem = broken(output, page, reference, ids, marks_left=resolved)
            if problem:
                text = text if text is not None else read_source(article.source_path)
                yield Finding(
                    WARNING,
                    article.relative_source_path,
                    line_containing(text, reference.split("#")[0] or reference),
                    "lien cassé",
                    f"{reference} : {problem}",
                    "corrigez l’adresse ; pour un article, écrivez {filename}/articles/….md",
                )


def _links(html: str, sections: bool = True) -> list[str]:
    """The addresses `html` links to; `sections`: with its links to the page's own sections."""
    if 'href="' not in html and 'src="' not in html:
        return []  # most articles link nowhere: the pattern over 5 000 of them took 0.6 s
    return [link for link in _HREF.findall(html) if sections or not link.startswith("#")]


def broken(
    output: Path, page: Path, reference: str, ids: dict[Path, set[str]], marks_left: bool = False
) -> str | None:
    """What is wrong with `reference` on `page`; `marks_left`: the HTML was resolved by Pelican,
    so a mark still there is one it could not resolve."""
    if _INTRASITE.search(reference):
        return "Pelican n’a trouvé ni cet article ni ce fichier dans content/" if marks_left else None
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
            return "cette page ou ce fichier n’existe pas sur le site"
    if parts.fragment and target.suffix == ".html":
        if target not in ids:
            ids[target] = set(_ID.findall(target.read_text(encoding="utf-8", errors="replace")))
        if parts.fragment not in ids[target]:
            return f"ancre #{parts.fragment} introuvable"
    return None
