"""The lines a web page prints around an article: blog, forum and newsletter chrome.

Written once for the two rooms that meet them: the importer removes such lines from what
it imports (carnet/importer/chrome.py), the review flags one left in an article (carnet/review/sources.py).
Every pattern matches a whole line, so that a sentence which merely contains « Lu »,
« Photo » or « commentaire » is never taken for chrome.
"""

import re

from .folding import matchable

BLOG, FORUM, NEWSLETTER = "blogue", "forum", "lettre"
IMAGE, PROFILE = "image", "profil"

# What each kind is, said to the author by both rooms.
REASONS = {
    BLOG: "habillage du blogue",
    FORUM: "habillage du forum",
    NEWSLETTER: "pied ou en-tête de lettre d’information",
    IMAGE: "emplacement d’image, sans texte",
    PROFILE: "profil de l’auteur affiché par la plateforme",
}

# Whole lines, matched on the folded text (lower case, no accents, plain quotes).
BLOG_LINES = [
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
FORUM_LINES = [
    r"lu \d[\d .]*\s*fois\.?",
    r"\d[\d .]* (reponses?|vues?|lectures?|messages?)|(reponses?|vues?|lectures?)\s*:\s*\d[\d .]*",
]
# A forum's navigation: one or more of these, separated by - | / · or >.
FORUM_SEGMENTS = {
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
PROFILE_LINES = [r"(a propos de moi|a propos de l'auteur|qui suis-je \??|l'auteur|mon profil)\s*:?"]
IMAGE_LINES = [r"(photo|image|illustration|\[(photo|image)\]|\((photo|image)\))\s*:?"]
# Newsletter lines recognised anywhere: the « view in your browser » header.
NEWSLETTER_LINES = [
    r"(voir|lire|afficher|consulter|ouvrir) (la version|ce message|cet e-?mail|cette lettre|la lettre|"
    r"la newsletter) (en ligne|web|dans (votre|le|un) navigateur).*",
    r"(view|read|open) (this email |it |this newsletter )?(in|on) (your )?(browser|the web).*",
    r"si (ce message|cet e-?mail|cette lettre|cette newsletter) ne s'affiche pas (correctement|bien).*",
    r"(a|to|cc|cci|bcc|repondre a|reply-to)\s*:\s*.*\S+@\S+.*",  # an e-mail's recipients
]
# Lines that open a newsletter's footer.
FOOTER_MARKERS = [
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


def _whole_line(patterns: list[str]) -> re.Pattern[str]:
    # One alternation per kind: the review runs it on every line of every article.
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns))


_MATCHERS = [
    (BLOG, _whole_line(BLOG_LINES)),
    (FORUM, _whole_line(FORUM_LINES)),
    (PROFILE, _whole_line(PROFILE_LINES)),
    (IMAGE, _whole_line(IMAGE_LINES)),
    (NEWSLETTER, _whole_line(NEWSLETTER_LINES)),
]
_FOOTER = _whole_line(FOOTER_MARKERS)
# Chrome is short: the longest line of the seed archives' chrome has 15 words.
MAX_WORDS = 25
_SEGMENT_BREAK = re.compile(r"\s+[-|/·•>]\s+|\s*\|\s*")


def chrome_kind(text: str) -> str | None:
    """The kind of chrome a whole line is (BLOG, FORUM, NEWSLETTER, IMAGE, PROFILE), or None."""
    if len(text.split()) > MAX_WORDS:
        return None  # said first: the review asks this of every line of every article
    folded = matchable(text)
    for kind, pattern in _MATCHERS:
        if pattern.fullmatch(folded):
            return kind
    segments = [segment.strip(" <>«»") for segment in _SEGMENT_BREAK.split(folded)]
    if all(segment in FORUM_SEGMENTS for segment in segments):
        return FORUM
    if _FOOTER.fullmatch(folded):
        return NEWSLETTER
    return None


def is_footer_marker(text: str) -> bool:
    """A line that opens a newsletter's footer (« Sent to: … », an unsubscribe line)."""
    return len(text.split()) <= MAX_WORDS and bool(_FOOTER.fullmatch(matchable(text)))
