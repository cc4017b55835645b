"""Every problem of an article, found once, with its line, and what holding it back means.

Rules on one article read its source (carnet/review/header.py, sources.py) and what the résumé
plugin found; an article with an « erreur » is held back from the build.
"""

import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from carnet.resume import parsing as resume

from .findings import ERROR, NOTE, WARNING, Finding
from .header import header_findings, read_header, structure_findings
from .sources import (
    file_link_places,
    file_links,
    image_findings,
    leftover_findings,
    line_containing,
    long_paragraphs,
    shown_as_links,
    written_on,
)

DEFAULTS = {"REQUIRED_METADATA": ["title", "author", "category", "tags", "slug", "lang"]}

# The résumé plugin's problems (carnet/resume/parsing.py, linking.py), in French, by kind: how
# serious, what is wrong and the fix, with the problem's values.
RESUME_PROBLEMS = {
    resume.UNCLOSED: (
        ERROR,
        "le bloc « ::: résumé » n’est jamais fermé",
        "ajoutez une ligne « ::: » après le dernier point",
    ),
    resume.SECOND_BLOCK: (WARNING, "un second bloc « ::: résumé »", "gardez-en un seul"),
    resume.NOT_A_LIST: (WARNING, "le résumé n’est pas une liste : {0!r}", "écrivez chaque point « - … »"),
    resume.TOO_DEEP: (
        WARNING,
        "le résumé a plus d’un niveau de sous-points",
        "gardez des points et des sous-points, pas plus",
    ),
    resume.EMPTY: (WARNING, "le bloc « ::: résumé » est vide", "écrivez ses points « - … »"),
    resume.TOO_MANY: (WARNING, "le résumé a {0} points", "gardez-en {1} au plus"),
    resume.MISSING_SECTION: (
        WARNING,
        "un point mène à #{0}, section absente de l’article",
        "liez une de ses sections : {1}",
    ),
}


@dataclass(frozen=True)
class HeldBack:
    file: str
    url: str
    was_live: bool  # its page was online in the previous build, and this one leaves it out
    reasons: tuple[str, ...]


class SourceTexts:
    """Each article's Markdown as the author wrote it, read once per build when needed, and
    its file's checksum, by which its review is kept. `checksum(path)`: by default the md5 of
    the file's bytes; the build gives the one its content cache takes anyway."""

    def __init__(self, checksum: Callable[[str], bytes] | None = None):
        self._checksum = checksum or file_md5
        self._texts: dict[str, str] = {}
        self._checksums: dict[str, str] = {}
        self._read: dict[str, str] = {}  # the checksum of the bytes each text was read from

    def __call__(self, article) -> str:
        path = article.source_path
        cached = self._texts.get(path)
        if cached is None:
            try:
                data = Path(path).read_bytes()
                self._read[path] = hashlib.md5(data).hexdigest()
                cached = data.decode("utf-8-sig")
            except OSError:
                cached = ""  # already said by the reader
                self._read[path] = ""  # nothing read: no checksum's review to keep
            except UnicodeDecodeError:
                cached = ""  # already said by the reader, and its review is that of ""
            self._texts[path] = cached
        return cached

    def read_as(self, article, checksum: str) -> bool:
        """Whether the text read (if any) is the bytes of `checksum`: a file written during
        the build may have been read after its checksum was taken."""
        return self._read.get(article.source_path, checksum) == checksum

    def checksum(self, article) -> str:
        cached = self._checksums.get(article.source_path)
        if cached is None:
            try:
                checksum = self._checksum(article.source_path)
            except OSError:
                checksum = b""  # unreadable: already said by the reader; its text reads as ""
            # Pelican's stamp of a file it could not read is "" (a str).
            cached = checksum.hex() if isinstance(checksum, bytes) else str(checksum)
            self._checksums[article.source_path] = cached
        return cached


def file_md5(path: str) -> bytes:
    with open(path, "rb") as handle:
        return hashlib.md5(handle.read()).digest()


def read_source(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""  # already said by the reader


def resume_findings(article) -> list[Finding]:
    found = []
    for problem in article.resume_problems:
        severity, message, fix = RESUME_PROBLEMS[problem.kind]
        values = problem.values
        if problem.kind == resume.MISSING_SECTION:
            anchor, known = values
            values = (anchor, ", ".join(f"#{a}" for a in known) or "l’article n’a pas d’intertitre « ## … »")
        found.append(
            Finding(
                severity,
                article.relative_source_path,
                problem.line,
                "résumé",
                message.format(*values),
                fix.format(*values),
            )
        )
    return found


class TextReview(NamedTuple):
    """What the rules find in one article's text whatever the rest of the archive: the same
    text at the same place finds the same, so it is kept from one build to the next."""

    header: tuple[Finding, ...]
    file_links: tuple[tuple[int, str, str, str], ...]  # checked against content/ at each build
    leftovers_and_images: tuple[Finding, ...]
    paragraphs: tuple[bytes, bytes]  # sources.long_paragraphs, for the archive-wide repetitions
    written_on: str


class KeptReviews:
    """`TextReview`s by (source, checksum of its file); `used` says which this build read."""

    def __init__(self, reviews: dict | None = None):
        self.loaded: dict[tuple[str, str], TextReview] = dict(reviews or {})
        self.reviews: dict[tuple[str, str], TextReview] = dict(self.loaded)
        self.used: dict[tuple[str, str], TextReview] = {}

    @staticmethod
    def key(article, texts: SourceTexts) -> tuple[str, str]:
        return (article.relative_source_path, texts.checksum(article))

    def review_all(self, articles: list, texts: SourceTexts, map_reviews: Callable = map) -> None:
        """What `of` does for each article, the reviews not kept yet made through
        `map_reviews(function, [(article, text), …])`: the build shares them between processes.
        Only the texts of those are read."""
        keys = [self.key(article, texts) for article in articles]
        missing: dict[tuple[str, str], object] = {}
        for key, article in zip(keys, articles, strict=True):
            if key not in self.reviews:
                missing.setdefault(key, article)
        pairs = [(article, texts(article)) for article in missing.values()]
        self.reviews.update(zip(missing, map_reviews(_text_review, pairs), strict=True))
        for key, article in zip(keys, articles, strict=True):
            self._use(key, article, texts)

    def of(self, article, texts: SourceTexts) -> TextReview:
        key = self.key(article, texts)
        if key not in self.reviews:
            self.reviews[key] = text_review(article, texts(article))
        self._use(key, article, texts)
        return self.reviews[key]

    def _use(self, key: tuple[str, str], article, texts: SourceTexts) -> None:
        """Kept for the next build: unless its text was read from other bytes than its key's."""
        if texts.read_as(article, key[1]):
            self.used[key] = self.reviews[key]


def _text_review(pair: tuple) -> TextReview:
    return text_review(*pair)


def text_review(article, text: str) -> TextReview:
    settings = article.settings
    source = article.relative_source_path
    required = settings.get("REQUIRED_METADATA", DEFAULTS["REQUIRED_METADATA"])
    return TextReview(
        tuple(header_findings(source, text, required, settings.get("DEFAULT_CATEGORY"))),
        tuple(live_file_links(article, file_link_places(source, text))),
        (*leftover_findings(source, text), *image_findings(source, text, article._content or "")),
        long_paragraphs(text),
        written_on(text),
    )


def live_file_links(article, places: list[tuple]) -> list[tuple]:
    """The file links of the article's text that its HTML (or its résumé's, not yet resolved)
    holds where Pelican resolves them: a link shown as code leads nowhere."""
    if not places:
        return places
    html = (article._content or "") + (getattr(article, "resume_html", "") or "")
    found = article._get_intrasite_link_regex().finditer(html)
    return shown_as_links(places, [(match.group("what"), match.group("value")) for match in found])


def page_header_findings(pages: Iterable) -> list[Finding]:
    """Of each page (content/pages/), its header read otherwise than written (header.py's
    structure_findings), as warnings: a page is never held back, and `--strict` refuses them."""
    found = []
    for page in sorted(
        {page.source_path: page for page in pages}.values(), key=lambda p: p.relative_source_path
    ):
        entries = read_header(read_source(page.source_path))
        found.extend(structure_findings(page.relative_source_path, entries, WARNING, misspelt_too=True))
    return found


def page_file_links(page) -> list[tuple]:
    """A page's `{filename}` and `{static}` links as `live_file_links` gives an article's (pages
    have no kept review: their text is read again, when it has such a link)."""
    html = page._content or ""
    if "{" not in html and "|" not in html:
        return []
    return live_file_links(page, file_link_places(page.relative_source_path, read_source(page.source_path)))


def article_findings(article, review: TextReview, content_path: str) -> list[Finding]:
    """Everything found in `article`, whose text's review is `review`."""
    found = list(review.header)
    found.extend(resume_findings(article))
    exists = lambda path: os.path.isfile(os.path.join(content_path, path))  # noqa: E731
    found.extend(file_links(article.relative_source_path, "", exists, list(review.file_links)))
    found.extend(review.leftovers_and_images)
    return found


def duplicate_findings(articles, source_text: Callable) -> list[Finding]:
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


def blocked_files(findings: list[Finding]) -> dict[str, list[str]]:
    """The files with an « erreur », with their messages: they are held back."""
    blocked: dict[str, list[str]] = {}
    for finding in findings:
        if finding.severity == ERROR:
            blocked.setdefault(finding.file, []).append(finding.message)
    return blocked


def links_to_held_back(articles, blocked: dict[str, list[str]], links_of: Callable) -> list[Finding]:
    """A published article that links to one held back links to a page that is not there: each
    link, at its line. `links_of(article)`: its text's `file_link_places` (kept in its review)."""
    return _links_to(
        articles,
        blocked,
        links_of,
        "lien cassé",
        "lien vers {target}, retenu dans cette construction : la page manque",
        "corrigez d’abord {target}",
        skip=blocked,
    )


def links_to_drafts(articles, drafts: set[str], links_of: Callable) -> list[Finding]:
    """A published article that links to a draft (`Status: draft`) sends its readers to a page
    that no listing, feed or search shows: each link, at its line. `drafts`: their source paths."""
    return _links_to(
        articles,
        drafts,
        links_of,
        "lien vers un brouillon",
        "lien vers {target}, un brouillon (Status: draft) : sa page n’est dans aucune liste",
        "publiez d’abord {target} (Status: published), ou retirez le lien",
    )


def _links_to(
    articles, targets, links_of: Callable, kind: str, message: str, fix: str, skip=()
) -> list[Finding]:
    """A warning at each `{filename}` link of `articles` (those in `skip` left out) to one of
    `targets` (source paths); `message` and `fix` name it as {target}."""
    found = []
    for article in articles:
        if article.relative_source_path in skip:
            continue
        for line, what, _, target in dict.fromkeys(links_of(article)):
            if what == "filename" and target in targets:
                found.append(
                    Finding(
                        WARNING,
                        article.relative_source_path,
                        line,
                        kind,
                        message.format(target=target),
                        fix.format(target=target),
                    )
                )
    return found


def translations_held_back(originals, translations, blocked: dict[str, list[str]]) -> list[Finding]:
    """Take the articles held back out of the others' `translations` (their pages would link to
    pages not written), and say each published translation left with no other language: its
    page is then linked from nowhere. `originals`, `translations`: Pelican's two lists."""
    found = []
    for article in [*originals, *translations]:
        kept = [other for other in article.translations if other.relative_source_path not in blocked]
        if len(kept) == len(article.translations):
            continue
        gone = [other.relative_source_path for other in article.translations if other not in kept]
        article.translations = kept
        if not kept and article.relative_source_path not in blocked and article in translations:
            found.append(
                Finding(
                    WARNING,
                    article.relative_source_path,
                    None,
                    "traduction seule",
                    f"traduction de {gone[0]}, retenu dans cette construction :"
                    " sa page n’est liée de nulle part",
                    f"corrigez d’abord {gone[0]}",
                )
            )
    return found


def held_back(settings, listed, blocked: dict[str, list[str]]) -> list[HeldBack]:
    previous = settings.get("REVIEW_LIVE_BUILD")  # set by carnet/builds/pipeline.py
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


def notes(article) -> list[Finding]:
    """Hints for `invoke check`, not problems."""
    source = article.relative_source_path
    found = []
    if not article.resume_html:
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
    if article.date_unknown:
        found.append(Finding(NOTE, source, None, "date", "date d’origine inconnue (déclarée par Modified)"))
    return found
