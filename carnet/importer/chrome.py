"""Recognise what a platform prints around an article: blog, forum and newsletter chrome.

Every pattern matches a whole line, so that a sentence which merely contains « Lu »,
« Photo » or « commentaire » is never taken for chrome. A newsletter's footer is
recognised from its markers (« Sent to », unsubscribe lines) near the end, and only
addresses and links are removed from it. A blog's profile (a photo, then a few lines
about the author) is removed only where the page's trailer follows it.
"""

import re
from dataclasses import dataclass, field

from .metadata import parse_byline, parse_date_line
from .model import Line, Removal
from .text import URL, is_title_like, matchable

BLOG, FORUM, NEWSLETTER = "blogue", "forum", "lettre"
IMAGE, PROFILE, SEPARATOR = "image", "profil", "séparation"

_REASONS = {
    BLOG: "habillage du blogue",
    FORUM: "habillage du forum",
    NEWSLETTER: "pied ou en-tête de lettre d’information",
    IMAGE: "emplacement d’image, sans texte",
    PROFILE: "profil de l’auteur affiché par la plateforme",
    SEPARATOR: "ligne de séparation",
}

# Whole lines, matched on the folded text (lower case, no accents, plain quotes).
_BLOG_LINES = [
    r"(inscription|s'abonner|abonnement) a\s*:?(\s*(publier|messages|commentaires|articles).*)?",
    r"publier (les |des )?(commentaires|messages)( \(atom\))?",
    r"(messages|commentaires|articles) \(atom\)",
    r"(aucun|\d+) commentaires?\s*:?",
    r"(enregistrer|publier|poster|laisser|ajouter|ecrire) un commentaire\s*[.:]?",
    r"(laisser|poster) une reponse\s*:?",
    r"envoyer (par e-?mail|par courriel|cet article par e-?mail|ce billet par e-?mail)",
    r"blogthis!?",
    r"partager (sur|avec|via) (twitter|facebook|pinterest|linkedin|x|whatsapp|e-?mail)",
    r"(partager|partagez)( cet article| ce billet| ceci)?\s*:?",
    r"((article|message|billet)s? plus (recent|ancien)s?\s*|accueil\s*)+",
    r"afficher (mon|le) profil complet",
    r"(theme .{0,40}\. )?(propulse|fourni|powered|heberge) par (blogger|wordpress|over-?blog)\.?",
    r"archives? du blog(ue)?\s*:?",
    r"(j'aime|like)( ceci)?\s*:?",
    r"chargement\s*\.{0,3}",
    r"(articles|billets) (similaires|lies|recents)\s*:?",
    r"(commentaires?|reactions?)\s*(\(\d+\))?\s*:?",
]
_FORUM_LINES = [
    r"lu \d[\d .]*\s*fois\.?",
    r"\d[\d .]* (reponses?|vues?|lectures?|messages?)|(reponses?|vues?|lectures?)\s*:\s*\d[\d .]*",
]
# A forum's navigation: one or more of these, separated by - | / · or >.
_FORUM_SEGMENTS = {
    "article precedent",
    "article suivant",
    "precedent",
    "suivant",
    "repondre a cet article",
    "repondre",
    "reagir",
    "reagir a cet article",
    "imprimer",
    "imprimer l'article",
    "version imprimable",
    "envoyer a un ami",
    "haut de page",
    "retour en haut",
    "haut",
    "citer",
    "signaler",
    "sujet precedent",
    "sujet suivant",
    "message precedent",
    "message suivant",
    "retour au forum",
    "retour a la liste",
    "voir le profil",
}
_PROFILE_LINES = [r"(a propos de moi|a propos de l'auteur|qui suis-je \??|l'auteur|mon profil)\s*:?"]
_IMAGE_LINES = [r"(photo|image|illustration|\[(photo|image)\]|\((photo|image)\))\s*:?"]
# Newsletter lines recognised anywhere: the « view in your browser » header.
_NEWSLETTER_LINES = [
    r"(voir|lire|afficher|consulter|ouvrir) (la version|ce message|cet e-?mail|cette lettre|la lettre|"
    r"la newsletter) (en ligne|web|dans (votre|le|un) navigateur).*",
    r"(view|read|open) (this email |it |this newsletter )?(in|on) (your )?(browser|the web).*",
    r"si (ce message|cet e-?mail|cette lettre|cette newsletter) ne s'affiche pas (correctement|bien).*",
    r"(a|to|cc|cci|bcc|repondre a|reply-to)\s*:\s*.*\S+@\S+.*",  # an e-mail's recipients
]
# Lines that open a newsletter's footer.
_FOOTER_MARKERS = [
    r"(sent to|envoye a|adresse de reception|destinataire)\s*:?\s*\S+@\S+",
    r"(cet|ce) (e-?mail|courriel|message) (a ete )?envoye a\s*:?\s*\S+@\S+.*",
    r"(cliquez ici pour vous |pour vous )?(unsubscribe|se desabonner|se desinscrire|desinscription|"
    r"desabonnement|me desinscrire|me desabonner|desinscrire|desabonner)( ici)?\s*[.!:]?(\s*\S+)?",
    r"don't want (future|these|more) emails\s*\??",
    r"(vous ne (souhaitez|voulez) plus|pour ne plus) recevoir .{0,80}"
    r"(e-?mails?|messages?|lettres?|newsletters?|courriels?|envois).{0,80}",
    r"(update|manage) (your )?(email )?(preferences|subscription).*",
    r"(gerer|modifier|mettre a jour) (vos|mes|ses|votre) (preferences|abonnements?|informations).*",
    r"vous recevez (cet|ce) (e-?mail|message|courriel).*",
    r"(sent|envoye) (with|via|avec|par) (mailchimp|convertkit|sendinblue|brevo|substack|mailerlite).*",
]
_COPYRIGHT = re.compile(r"(©|copyright|\(c\))\s*\d{4}.*")
_ADDRESS_END = re.compile(r"\b(france|belgique|suisse|canada|quebec|luxembourg|monaco)\.?$")
_POSTCODE = re.compile(r"\b\d{5}\b")
_SEPARATOR = re.compile(r"[\s\-=_*~•·#+|:]+")


def _compile(patterns: list[str]) -> list[re.Pattern[str]]:
    return [re.compile(pattern) for pattern in patterns]


_MATCHERS = [
    (BLOG, _compile(_BLOG_LINES)),
    (FORUM, _compile(_FORUM_LINES)),
    (PROFILE, _compile(_PROFILE_LINES)),
    (IMAGE, _compile(_IMAGE_LINES)),
    (NEWSLETTER, _compile(_NEWSLETTER_LINES)),
]
_FOOTER = _compile(_FOOTER_MARKERS)


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
    folded = matchable(stripped)
    for kind, patterns in _MATCHERS:
        if any(pattern.fullmatch(folded) for pattern in patterns):
            return kind
    segments = [segment.strip(" <>«»") for segment in re.split(r"\s+[-|/·•>]\s+|\s*\|\s*", folded)]
    if all(segment in _FORUM_SEGMENTS for segment in segments):
        return FORUM
    if is_footer_marker(stripped):
        return NEWSLETTER
    return None


def is_footer_marker(text: str) -> bool:
    folded = matchable(text)
    return len(folded.split()) <= 25 and any(pattern.fullmatch(folded) for pattern in _FOOTER)


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
