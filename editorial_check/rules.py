"""The checks themselves, on plain data: no Pelican here."""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .findings import ERROR, NOTE, WARNING, Finding

# Lines a web scrape leaves behind: blog, forum and newsletter chrome.
SCRAPE_LEFTOVERS = [
    (re.compile(r"\b(aucun|\d+)\s+commentaires?\b", re.IGNORECASE), "compteur de commentaires"),
    (
        re.compile(r"publier les commentaires|enregistrer un commentaire", re.IGNORECASE),
        "formulaire de commentaire",
    ),
    (re.compile(r"\binscription à\s*:", re.IGNORECASE), "lien d’abonnement du blogue"),
    (re.compile(r"\blu\s+\d[\d\s]*\s+fois\b", re.IGNORECASE), "compteur de lectures « Lu N fois »"),
    (
        re.compile(r"répondre à cet article|article (précédent|suivant)\s*-", re.IGNORECASE),
        "navigation de forum",
    ),
    (
        re.compile(r"unsubscribe|se désabonner|désinscri|don[’']t want future emails", re.IGNORECASE),
        "ligne de désabonnement",
    ),
    (re.compile(r"^\s*sent to\s*:", re.IGNORECASE | re.MULTILINE), "adresse d’envoi de lettre d’information"),
]
# Shorter paragraphs (« Oui. », a sign-off) may repeat on purpose.
MIN_REPEATED_CHARS = 60


@dataclass
class ArticleFacts:
    """What the check needs to know of one article."""

    source: str
    title: str
    has_date: bool
    has_edition_date: bool
    author: str | None
    has_resume: bool
    tags: list[str]
    paragraphs: list[str] = field(default_factory=list)  # plain text of the body's paragraphs
    text: str = ""
    # (source line, what) of each <script>, on…= attribute or javascript: address in the
    # body or the résumé (plugins/script_guard/scanning.py)
    scripts: list[tuple[int | None, str]] = field(default_factory=list)


def metadata_findings(article: ArticleFacts) -> Iterable[Finding]:
    if not article.has_date:
        if article.has_edition_date:
            yield Finding(
                NOTE, article.source, None, "date", "date d’origine inconnue (déclarée par Modified)"
            )
        else:
            yield Finding(
                WARNING, article.source, None, "date", "ni date d’origine ni date d’édition (Modified)"
            )
    if not article.author:
        yield Finding(ERROR, article.source, None, "auteur", "aucun auteur (ligne Author:)")
    if not article.has_resume:
        yield Finding(WARNING, article.source, None, "résumé", "pas de bloc « ::: résumé »")
    if not article.tags:
        yield Finding(ERROR, article.source, None, "étiquettes", "aucune étiquette (ligne Tags:)")


def leftover_findings(article: ArticleFacts) -> Iterable[Finding]:
    for pattern, what in SCRAPE_LEFTOVERS:
        match = pattern.search(article.text)
        if match:
            yield Finding(
                ERROR, article.source, None, "reste de scraping", f"{what} : « {match.group(0).strip()} »"
            )


def script_findings(article: ArticleFacts) -> Iterable[Finding]:
    """Live script in an article runs on every static host and in every listing: an error."""
    for line, what in article.scripts:
        yield Finding(
            ERROR,
            article.source,
            line,
            "script",
            f"{what} : retirez-le ; le site n’exécute aucun script venu d’un article",
        )


def normalise(paragraph: str) -> str:
    return " ".join(paragraph.split()).casefold()


def repetition_findings(articles: list[ArticleFacts]) -> Iterable[Finding]:
    seen: dict[str, list[str]] = defaultdict(list)
    for article in articles:
        counted: dict[str, int] = defaultdict(int)
        for paragraph in article.paragraphs:
            key = normalise(paragraph)
            if len(key) < MIN_REPEATED_CHARS:
                continue
            counted[key] += 1
            if counted[key] == 2:
                yield Finding(
                    ERROR,
                    article.source,
                    None,
                    "paragraphe répété",
                    f"répété dans l’article : « {paragraph[:70]}… »",
                )
            if counted[key] == 1:
                seen[key].append(article.source)
    for key, sources in seen.items():
        if len(sources) > 1:
            for source in sources:
                others = ", ".join(s for s in sources if s != source)
                yield Finding(
                    WARNING, source, None, "paragraphe répété", f"aussi dans {others} : « {key[:70]}… »"
                )


def image_findings(page: str, images: list[tuple[str, str | None]]) -> Iterable[Finding]:
    """`images`: (src, alt) of each <img> of a page."""
    for src, alt in images:
        if alt is None:
            yield Finding(WARNING, page, None, "image sans alt", f"l’image {src} n’a pas d’attribut alt")


def unused_map_entries(map_source: str, unused: list[tuple[str, int | None]]) -> Iterable[Finding]:
    for key, line in unused:
        yield Finding(
            NOTE, map_source, line, "étiquette inutilisée", f"[tags.{key}] n’est utilisée par aucun article"
        )
