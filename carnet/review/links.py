"""Once every page is written: the plain links of each article lead to a written file."""

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


def written_link_findings(output: Path, articles) -> Iterable[Finding]:
    ids: dict[Path, set[str]] = {}
    for article in articles:
        page = output / article.save_as
        # The text as read (Pelican resolves its own marks, and says when it cannot), and the
        # résumé, whose marks are resolved by then (plugins/resume); its points' links to the
        # article's sections (#x) are said by the résumé's own rules.
        references = [*_links(article._content or ""), *_links(getattr(article, "resume_html", ""), False)]
        if not references:
            continue
        text = None
        for reference in dict.fromkeys(references):
            problem = broken(output, page, reference, ids)
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


def broken(output: Path, page: Path, reference: str, ids: dict[Path, set[str]]) -> str | None:
    parts = urlsplit(reference)
    if parts.scheme or parts.netloc or reference.startswith(("mailto:", "tel:", "data:")):
        return None
    if _INTRASITE.search(reference):
        return None  # said by Pelican, with the file it misses
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
