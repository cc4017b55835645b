"""Build the archive into a scratch folder and gather what the rules look at."""

import contextlib
import io
import logging
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup
from pelican import Pelican, signals
from pelican.settings import read_settings

from plugins.script_guard.scanning import article_scripts

from .findings import ERROR, Finding
from .rules import ArticleFacts, image_findings

# Which plugin a log line comes from says what kind of problem it is.
LOG_KINDS = {
    "resume": "résumé",
    "tag_map": "étiquette",
    "author_profiles": "auteurs",
    "pelican": "construction",
}
# article_metadata's and script_guard's warnings are re-derived by the rules, with more context.
IGNORED_LOGGERS = ("article_metadata", "script_guard")


@dataclass
class Archive:
    articles: list[ArticleFacts]
    log_findings: list[Finding]
    page_findings: list[Finding]
    tag_keys_used: set[str] = field(default_factory=set)
    settings: dict = field(default_factory=dict)


class _Collector(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


def collect(settings_file: Path, content: Path | None = None) -> Archive:
    with tempfile.TemporaryDirectory(prefix="carnet-check-") as scratch:
        scratch = Path(scratch)
        override = {"OUTPUT_PATH": str(scratch / "output"), "SEARCH_INDEX_PATH": str(scratch / "index")}
        if content is not None:
            override["PATH"] = str(content)
        settings = read_settings(str(settings_file), override=override)
        captured: dict = {}

        def keep_articles(generator):
            captured["articles"] = list(generator.articles)

        collector = _Collector()
        root = logging.getLogger()
        root.addHandler(collector)
        signals.article_generator_finalized.connect(keep_articles)
        try:
            # Pelican's progress lines would spoil the report (and --json).
            with contextlib.redirect_stdout(io.StringIO()):
                Pelican(settings).run()
        finally:
            signals.article_generator_finalized.disconnect(keep_articles)
            root.removeHandler(collector)
        articles = captured.get("articles", [])
        pages = page_findings(scratch / "output", {a.url: a.relative_source_path for a in articles})
        return Archive(
            articles=[facts_of(article) for article in articles],
            log_findings=[finding_of(record) for record in collector.records if not ignored(record)],
            page_findings=pages,
            tag_keys_used={getattr(tag, "key", tag.slug) for a in articles for tag in getattr(a, "tags", [])},
            settings=settings,
        )


def ignored(record: logging.LogRecord) -> bool:
    return record.name.startswith(IGNORED_LOGGERS)


def finding_of(record: logging.LogRecord) -> Finding:
    kind = next(
        (label for prefix, label in LOG_KINDS.items() if record.name.startswith(prefix)), "construction"
    )
    message = record.getMessage()
    for prefix in LOG_KINDS:
        message = message.removeprefix(f"{prefix}: ")
    return Finding(ERROR, "", None, kind, message)


def facts_of(article) -> ArticleFacts:
    soup = BeautifulSoup(article.content or "", "html.parser")
    author = article.metadata.get("author")
    return ArticleFacts(
        source=article.relative_source_path,
        title=article.title,
        has_date=not getattr(article, "date_unknown", False),
        has_edition_date="modified" in article.metadata,
        author=str(author) if author else None,
        has_resume=bool(getattr(article, "resume_html", "")),
        tags=[str(tag) for tag in article.metadata.get("tags", [])],
        paragraphs=[p.get_text(" ", strip=True) for p in soup.find_all(["p", "li"])],
        text=soup.get_text("\n"),
        scripts=article_scripts(
            source_of(article), article.content or "", getattr(article, "resume_html", "")
        ),
    )


def source_of(article) -> str:
    try:
        return Path(article.source_path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""  # the findings still come, without their lines


def page_findings(output: Path, sources_by_url: dict[str, str]) -> list[Finding]:
    """Broken internal links and anchors, missing images, images without alt, page by page."""
    findings = []
    anchors: dict[Path, set[str]] = {}
    for page in sorted(output.rglob("*.html")):
        relative = page.relative_to(output).as_posix()
        url = relative.removesuffix("index.html")
        where = sources_by_url.get(url, f"output/{relative}")
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for element in soup.select("a[href], img[src], link[href], script[src]"):
            reference = element.get("href") or element.get("src")
            problem = broken(output, page, reference, anchors)
            if problem:
                findings.append(Finding(ERROR, where, None, "lien cassé", f"{reference} : {problem}"))
        findings.extend(
            image_findings(where, [(img.get("src", ""), img.get("alt")) for img in soup.find_all("img")])
        )
    return findings


def broken(
    output: Path, page: Path, reference: str, anchors: dict[Path, set[str]] | None = None
) -> str | None:
    parts = urlsplit(reference)
    if parts.scheme or parts.netloc or reference.startswith(("mailto:", "tel:", "data:")):
        return None
    path = unquote(parts.path)
    if not path:
        target = page
    elif path.startswith("/"):
        target = output / path.lstrip("/")
    else:
        target = page.parent / path
    if path.endswith("/") or (target.is_dir() and not path.endswith(".html")):
        target = target / "index.html"
    if "{filename}" in reference or "{static}" in reference:
        return "cible {filename} introuvable"
    if not target.is_file():
        return "cible introuvable"
    if parts.fragment and target.suffix == ".html":
        anchors = {} if anchors is None else anchors
        if target not in anchors:
            soup = BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")
            anchors[target] = {element["id"] for element in soup.find_all(id=True)}
        if parts.fragment not in anchors[target]:
            return f"ancre #{parts.fragment} introuvable"
    return None
