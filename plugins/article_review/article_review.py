"""Pelican glue: every problem of every article, found once, with its line; an article with
an error is held back (not written, listed nowhere) while the rest of the site builds.

Findings are logged with the finding attached (`extra={"finding": …}`): `invoke build`
(builds/report.py), `invoke check` and the tests collect the same records.
Held-back articles and the site's counts are sent on named blinker signals.
"""

import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import blinker
from pelican import signals

from carnet.review.dates import read_date
from carnet.review.findings import ERROR, LOG_KEY, NOTE, WARNING, Finding
from carnet.review.header import header_findings
from carnet.review.sources import (
    file_links,
    image_findings,
    leftover_findings,
    line_containing,
    repetition_findings,
    targets,
)

logger = logging.getLogger(__name__)

DEFAULTS = {"REQUIRED_METADATA": ["title", "author", "category", "tags", "slug", "lang"]}
HELD_BACK = blinker.signal("carnet.held_back")  # sender: a list of HeldBack
SITE_COUNTS = blinker.signal("carnet.site_counts")  # sender: {"articles": n} or {"pages": n}
# Notes are hints for `invoke check`, not problems: sent, not logged (a strict build would fail).
NOTES = blinker.signal("carnet.notes")  # sender: a list of Finding

# The résumé plugin's problems (plugins/resume/parsing.py, linking.py), in French.
RESUME_PROBLEMS = [
    (
        re.compile(r"never closed"),
        ERROR,
        "le bloc « ::: résumé » n’est jamais fermé",
        "ajoutez une ligne « ::: » après le dernier point",
    ),
    (re.compile(r"second résumé block"), WARNING, "un second bloc « ::: résumé »", "gardez-en un seul"),
    (
        re.compile(r"not a bullet list: (.*); write"),
        WARNING,
        "le résumé n’est pas une liste : {0}",
        "écrivez chaque point « - … »",
    ),
    (
        re.compile(r"nest one level"),
        WARNING,
        "le résumé a plus d’un niveau de sous-points",
        "gardez des points et des sous-points, pas plus",
    ),
    (re.compile(r"has no points"), WARNING, "le bloc « ::: résumé » est vide", "écrivez ses points « - … »"),
    (
        re.compile(r"has (\d+) points; keep it to (\d+)"),
        WARNING,
        "le résumé a {0} points",
        "gardez-en {1} au plus",
    ),
    (
        re.compile(r"links to #(\S+), a section this article lacks \((.*)\)"),
        WARNING,
        "un point mène à #{0}, section absente de l’article",
        "liez une de ses sections : {1}",
    ),
]


@dataclass(frozen=True)
class HeldBack:
    file: str
    url: str
    was_live: bool  # its page was online in the previous build, and this one leaves it out
    reasons: tuple[str, ...]


# Per build, reset at `finalized`: the articles written, for the check of their links,
# and the source texts read.
_written: dict[str, object] = {}
_texts: dict[str, str] = {}


def report(finding: Finding) -> None:
    fix = f" ; {finding.fix}" if finding.fix else ""
    logger.warning("%s: %s%s", finding.where(), finding.message, fix, extra={LOG_KEY: finding})


def read_dates_in_french(readers) -> None:
    """`Date: 3 mars 2015` is read; an unreadable date no longer stops Pelican from reading
    the file (« Could not process »): the review holds the article back and says why."""
    for extension, reader in list(readers.reader_classes.items()):
        if reader is not None and not getattr(reader, "reads_french_dates", False):
            readers.reader_classes[extension] = _french_dates(reader)


_wrapped: dict[type, type] = {}


def _french_dates(reader: type) -> type:
    if reader not in _wrapped:

        def process_metadata(self, name, value):
            if name in ("date", "modified"):
                return read_date(value)  # None when unreadable: dropped in read()
            return reader.process_metadata(self, name, value)

        def read(self, source_path):
            content, metadata = reader.read(self, source_path)
            return content, {key: value for key, value in metadata.items() if value is not None}

        _wrapped[reader] = type(
            reader.__name__,
            (reader,),
            {"process_metadata": process_metadata, "read": read, "reads_french_dates": True},
        )
    return _wrapped[reader]


def source_text(article) -> str:
    """The article's Markdown as the author wrote it, read once per build."""
    cached = _texts.get(article.source_path)
    if cached is None:
        try:
            cached = Path(article.source_path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            cached = ""  # already said by the reader
        _texts[article.source_path] = cached
    return cached


def resume_findings(article) -> list[Finding]:
    found = []
    for problem in getattr(article, "resume_problems", []):
        for pattern, severity, message, fix in RESUME_PROBLEMS:
            match = pattern.search(problem.message)
            if match:
                groups = [
                    group if group != "none" else "l’article n’a pas d’intertitre « ## … »"
                    for group in match.groups()
                ]
                found.append(
                    Finding(
                        severity,
                        article.relative_source_path,
                        problem.line,
                        "résumé",
                        message.format(*groups),
                        fix.format(*groups),
                    )
                )
                break
        else:
            found.append(
                Finding(WARNING, article.relative_source_path, problem.line, "résumé", problem.message)
            )
    return found


def article_findings(article, content_path: str) -> list[Finding]:
    settings = article.settings
    source = article.relative_source_path
    text = source_text(article)
    required = settings.get("REQUIRED_METADATA", DEFAULTS["REQUIRED_METADATA"])
    found = header_findings(source, text, required, settings.get("DEFAULT_CATEGORY"))
    found.extend(resume_findings(article))
    found.extend(file_links(source, text, lambda path: os.path.isfile(os.path.join(content_path, path))))
    found.extend(leftover_findings(source, text))
    found.extend(image_findings(source, text, article._content or ""))
    return found


def duplicate_findings(articles) -> list[Finding]:
    """Two articles at one address: the older one keeps it (by date, then by file)."""
    by_address: dict[str, list] = {}
    for article in articles:
        by_address.setdefault(article.save_as, []).append(article)
    found = []
    for sharing in by_address.values():
        if len(sharing) < 2:
            continue
        sharing.sort(key=lambda a: (a.date.timestamp() if a.date else 0, a.relative_source_path))
        kept = sharing[0]
        for article in sharing[1:]:
            found.append(
                Finding(
                    ERROR,
                    article.relative_source_path,
                    line_containing(source_text(article), "Slug:")
                    or line_containing(source_text(article), "Title:"),
                    "adresse en double",
                    f"l’adresse /{article.url} est déjà celle de {kept.relative_source_path}",
                    "changez « Slug: » (par exemple en ajoutant -2) ou le titre",
                )
            )
    return found


def review_articles(generator) -> None:
    """Before tags, categories and authors are gathered: what is held back is listed nowhere."""
    lists = ("articles", "translations", "hidden_articles", "hidden_translations")
    listed = [article for name in lists for article in getattr(generator, name)]
    findings = [f for article in listed for f in article_findings(article, generator.path)]
    findings.extend(duplicate_findings(listed))
    blocked: dict[str, list[str]] = {}
    for finding in findings:
        if finding.severity == ERROR:
            blocked.setdefault(finding.file, []).append(finding.message)
    # A published article that links to one held back links to a page that is not there.
    for article in listed:
        if article.relative_source_path in blocked:
            continue
        for target in targets(article.relative_source_path, source_text(article)):
            if target in blocked:
                findings.append(
                    Finding(
                        WARNING,
                        article.relative_source_path,
                        line_containing(source_text(article), target),
                        "lien cassé",
                        f"lien vers {target}, retenu dans cette construction : la page manque",
                        f"corrigez d’abord {target}",
                    )
                )
    for finding in sorted(findings, key=lambda f: (f.file, f.line or 0)):
        report(finding)
    for name in lists:
        setattr(
            generator, name, [a for a in getattr(generator, name) if a.relative_source_path not in blocked]
        )
    if blocked:
        HELD_BACK.send(held_back(generator.settings, listed, blocked))


def held_back(settings, listed, blocked: dict[str, list[str]]) -> list[HeldBack]:
    previous = settings.get("REVIEW_LIVE_BUILD") or settings.get("INCREMENTAL_PREVIOUS_BUILD")
    kept_addresses = {a.save_as for a in listed if a.relative_source_path not in blocked}
    result = []
    for article in listed:
        reasons = blocked.get(article.relative_source_path)
        if reasons is None:
            continue
        was_live = bool(
            previous
            and article.save_as not in kept_addresses
            and (Path(previous) / "output" / article.save_as).is_file()
        )
        result.append(HeldBack(article.relative_source_path, article.url, was_live, tuple(reasons)))
    return result


def review_archive(generator) -> None:
    """What needs the whole archive: paragraphs repeated across articles."""
    published = [*generator.articles, *generator.translations, *generator.hidden_articles]
    for finding in repetition_findings([(a.relative_source_path, source_text(a)) for a in published]):
        report(finding)
    _written.update({"articles": published, "output": generator.output_path})
    NOTES.send([note for article in published for note in notes(article)])
    keys = {getattr(tag, "key", None) for a in published for tag in getattr(a, "tags", [])}
    SITE_COUNTS.send({"articles": len(generator.articles), "tag_keys": keys - {None}})


def notes(article) -> list[Finding]:
    source = article.relative_source_path
    found = []
    if not getattr(article, "resume_html", ""):
        found.append(
            Finding(
                NOTE,
                source,
                None,
                "résumé",
                "pas de bloc « ::: résumé »",
                "écrivez-en un : voir « The résumé: « Cet article en résumé » » dans le README",
            )
        )
    if getattr(article, "date_unknown", False):
        found.append(Finding(NOTE, source, None, "date", "date d’origine inconnue (déclarée par Modified)"))
    return found


def count_pages(generator) -> None:
    SITE_COUNTS.send({"pages": len(generator.pages)})


_HREF = re.compile(r"\b(?:href|src)=\"([^\"]+)\"")
_ID = re.compile(r"\bid=\"([^\"]+)\"")


def check_written_links(pelican) -> None:
    """Once every page is written: the plain links of each article lead to a written file."""
    output = Path(_written.get("output") or pelican.settings["OUTPUT_PATH"])
    ids: dict[Path, set[str]] = {}
    for article in _written.get("articles", []):
        page = output / article.save_as
        html = article._content or ""
        text = None
        for reference in dict.fromkeys(_HREF.findall(html)):
            problem = broken(output, page, reference, ids)
            if problem:
                text = text if text is not None else source_text(article)
                report(
                    Finding(
                        WARNING,
                        article.relative_source_path,
                        line_containing(text, reference.split("#")[0] or reference),
                        "lien cassé",
                        f"{reference} : {problem}",
                        "corrigez l’adresse ; pour un article, écrivez {filename}/articles/….md",
                    )
                )
    _written.clear()
    _texts.clear()


def broken(output: Path, page: Path, reference: str, ids: dict[Path, set[str]]) -> str | None:
    parts = urlsplit(reference)
    if parts.scheme or parts.netloc or reference.startswith(("mailto:", "tel:", "data:")):
        return None
    if "{filename}" in reference or "{static}" in reference or "|filename|" in reference:
        return None  # said before, with the file it misses
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


def register():
    # readers_init: after the résumé plugin chose its reader, its dates are read in French too.
    signals.readers_init.connect(read_dates_in_french)
    # article_generator_pretaxonomy: every article is read, none is yet filed under a tag,
    # category or author; what is held back here is listed nowhere.
    signals.article_generator_pretaxonomy.connect(review_articles)
    # article_generator_finalized: the published articles are known.
    signals.article_generator_finalized.connect(review_archive)
    signals.page_generator_finalized.connect(count_pages)
    # finalized: every page is written, so links can be followed.
    signals.finalized.connect(check_written_links)
