"""French spacing: the space an author types before « ; : ! ? » and inside
guillemets becomes a no-break space, so that punctuation never starts a line.

Only spaces the author typed are changed, never added or removed: the words
and their order stay exactly as written.
"""

import re

from bs4 import BeautifulSoup, NavigableString

NARROW_NBSP = "\u202f"
NBSP = "\u00a0"

# A run of ordinary spaces (or an existing no-break space) before ; ! ? and »
_BEFORE_TALL = re.compile(r"[ \u00a0\u202f]+(?=[;!?»])")
_BEFORE_COLON = re.compile(r"[ \u00a0\u202f]+(?=:)")
_AFTER_OPENING = re.compile(r"(?<=«)[ \u00a0\u202f]+")

# Text inside these elements is code or markup, not prose.
_SKIPPED = {"code", "pre", "kbd", "samp", "script", "style", "textarea"}


def french_spacing(text: str) -> str:
    text = _BEFORE_TALL.sub(NARROW_NBSP, text)
    text = _BEFORE_COLON.sub(NBSP, text)
    return _AFTER_OPENING.sub(NBSP, text)


def french_spacing_html(html: str) -> str:
    """Apply `french_spacing` to the prose of an HTML fragment."""
    if not any(mark in html for mark in ";:!?«»"):
        return html
    soup = BeautifulSoup(html, "html.parser")
    for node in soup.find_all(string=True):
        if any(parent.name in _SKIPPED for parent in node.parents):
            continue
        spaced = french_spacing(str(node))
        if spaced != node:
            node.replace_with(NavigableString(spaced))
    return str(soup)
