"""Recognise what a platform prints around an article: blog, forum and newsletter chrome.

The whole-line patterns are carnet/text/chrome.py's, which the review shares; here is
what depends on the place of a line in the page. A newsletter's footer is
recognised from its markers (« Sent to », unsubscribe lines) near the end, and only
addresses and links are removed from it. A blog's profile (a photo, then a few lines
about the author) is removed only where the page's trailer follows it.
"""

import re
from dataclasses import dataclass, field

from carnet.text.chrome import (  # noqa: F401 (the kinds are the importer's too)
    BLOG,
    FORUM,
    IMAGE,
    NEWSLETTER,
    PROFILE,
    REASONS,
    chrome_kind,
    is_footer_marker,
)
from carnet.text.folding import matchable

from .metadata import parse_byline, parse_date_line
from .model import Line, Removal
from .text import URL, is_title_like

SEPARATOR = "séparation"
_REASONS = {**REASONS, SEPARATOR: "ligne de séparation"}

_COPYRIGHT = re.compile(r"(©|copyright|\(c\))\s*\d{4}.*")
_ADDRESS_END = re.compile(r"\b(france|belgique|suisse|canada|quebec|luxembourg|monaco)\.?$")
_POSTCODE = re.compile(r"\b\d{5}\b")
_SEPARATOR = re.compile(r"[\s\-=_*~•·#+|:]+")


_BREADCRUMB = re.compile(r"[^>»›]{1,40}(?:\s[>»›]\s[^>»›]{1,40}){1,5}")


@dataclass
class Chrome:
    removed: dict[int, Removal] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    section: str | None = None  # the last step of a forum's breadcrumb: its section

    def kinds(self) -> set[str]:
        return {removal.kind for removal in self.removed.values()}


def line_kind(text: str) -> str | None:
    """What kind of chrome a whole line is, if it is chrome."""
    stripped = text.strip()
    if _SEPARATOR.fullmatch(stripped):
        return SEPARATOR
    return chrome_kind(stripped)


def _is_address(text: str) -> bool:
    """« Jason Verdier, Vivre du coaching, France », « 12 rue des Lilas, 69003 Lyon »."""
    folded = matchable(text)
    if len(folded.split()) > 15 or re.search(r"[!?]", folded):
        return False
    return folded.count(",") >= 2 or bool(_POSTCODE.search(folded)) or bool(_ADDRESS_END.search(folded))


def find_chrome(lines: list[Line]) -> Chrome:
    chrome = Chrome()
    for line in lines:
        if line.blank:
            continue
        kind = line_kind(line.content)
        if kind:
            chrome.removed[line.number] = Removal(line.number, line.content, _REASONS[kind], kind)
    _breadcrumb(lines, chrome)
    _newsletter_footer(lines, chrome)
    _profile(lines, chrome)
    return chrome


def _breadcrumb(lines: list[Line], chrome: Chrome) -> None:
    """« Forum Accompagnement > Partenariats » at the top of a page: where it was posted."""
    head = [line for line in lines if not line.blank and line.number not in chrome.removed][:3]
    for line in head:
        if not _BREADCRUMB.fullmatch(line.content):
            continue
        steps = [step.strip() for step in re.split(r"\s[>»›]\s", line.content)]
        if all(
            is_title_like(step, max_words=5, max_length=40) and not step.endswith(("?", "!"))
            for step in steps
        ):
            chrome.removed[line.number] = Removal(
                line.number,
                line.content,
                "fil d’Ariane de la plateforme (rubrique reprise dans Source)",
                FORUM,
            )
            chrome.section = steps[-1]
            return


def _newsletter_footer(lines: list[Line], chrome: Chrome) -> None:
    """From the first footer marker in the second half of the text to the end, remove
    markers, links, addresses and copyright lines; keep anything else, and say so."""
    content = [line for line in lines if not line.blank]
    half = len(content) // 2
    start = next(
        (index for index, line in enumerate(content) if index >= half and is_footer_marker(line.content)),
        None,
    )
    if start is None:
        return
    # The sender's address often comes just before the first marker.
    while start > 0 and _is_footer_line(content[start - 1].content):
        start -= 1
    for line in content[start:]:
        if line.number in chrome.removed:
            continue
        text = line.content
        if is_footer_marker(text):
            reason = "pied de lettre d’information (désinscription, destinataire)"
        elif URL.search(text):
            reason = "pied de lettre d’information (lien de suivi ou publicité)"
        elif _is_address(text) or _COPYRIGHT.fullmatch(matchable(text)):
            reason = "pied de lettre d’information (adresse de l’expéditeur)"
        else:
            chrome.notes.append(
                f"Ligne {line.number} : texte dans le pied de lettre, gardé par prudence : « {text} »."
            )
            continue
        chrome.removed[line.number] = Removal(line.number, text, reason, NEWSLETTER)


def _is_footer_line(text: str) -> bool:
    return (bool(URL.search(text)) and len(text.split()) <= 15) or _is_address(text)


def _profile(lines: list[Line], chrome: Chrome) -> None:
    """A photo or « À propos de moi », then a few lines about the author, then only the
    page's trailer (date header, title, chrome): those lines are the platform's profile."""
    content = [line for line in lines if not line.blank]
    removed = chrome.removed
    for index, marker in enumerate(content):
        if marker.number not in removed or removed[marker.number].kind not in {IMAGE, PROFILE}:
            continue
        bio: list[Line] = []
        position = index + 1
        while position < len(content) and content[position].number not in removed:
            if _trailer_line(content[position].content):
                break
            bio.append(content[position])
            position += 1
        rest = content[position:]
        if not bio or len(bio) > 6 or not _only_trailer(rest, removed):
            continue
        if removed[marker.number].kind == IMAGE and not rest:
            continue  # a photo at the end of an article is the article's; « À propos de moi » is not
        for line in bio:
            removed[line.number] = Removal(
                line.number,
                line.content,
                "présentation de l’auteur par la plateforme : sa place est dans content/auteurs.toml",
                PROFILE,
            )


def _trailer_line(text: str) -> bool:
    return bool(parse_date_line(text) or parse_byline(text) or re.match(r"(?i)libell[ée]s?\s*:", text))


def _only_trailer(rest: list[Line], removed: dict[int, Removal]) -> bool:
    after_date = False
    for line in rest:
        if line.number in removed:
            after_date = False
        elif parse_date_line(line.content):
            after_date = True
        elif _trailer_line(line.content) or (after_date and is_title_like(line.content)):
            after_date = False
        else:
            return False
    return True
