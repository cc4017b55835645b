"""French spacing: the space an author types before « ; : ! ? » and inside
guillemets becomes a no-break space, so that punctuation never starts a line.

Only spaces the author typed are changed, never added or removed: the words
and their order stay exactly as written.
"""

import re

NARROW_NBSP = "\u202f"
NBSP = "\u00a0"

# A run of ordinary spaces (or an existing no-break space) before ; ! ? and »
_BEFORE_TALL = re.compile(r"[ \u00a0\u202f]+(?=[;!?»])")
_BEFORE_COLON = re.compile(r"[ \u00a0\u202f]+(?=:)")
_AFTER_OPENING = re.compile(r"(?<=«)[ \u00a0\u202f]+")

# Text inside these elements is code or markup, not prose.
_SKIPPED = {"code", "pre", "kbd", "samp", "script", "style", "textarea"}
_TAG = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"<(/?)\s*([a-zA-Z][a-zA-Z0-9]*)")


def french_spacing(text: str) -> str:
    text = _BEFORE_TALL.sub(NARROW_NBSP, text)
    text = _BEFORE_COLON.sub(NBSP, text)
    return _AFTER_OPENING.sub(NBSP, text)


def french_spacing_html(html: str) -> str:
    """Apply `french_spacing` to the prose of an HTML fragment.

    The fragment is Markdown's own well-formed output: splitting it into tags and
    text is exact, and much faster than a parser on thousands of articles."""
    if not any(mark in html for mark in ";:!?«»"):
        return html
    pieces = _TAG.split(html)
    skipped_depth = 0
    for position, piece in enumerate(pieces):
        if position % 2:  # a tag
            match = _TAG_NAME.match(piece)
            if match and match.group(2).lower() in _SKIPPED:
                skipped_depth += -1 if match.group(1) else (0 if piece.endswith("/>") else 1)
        elif piece and skipped_depth == 0:
            pieces[position] = french_spacing(piece)
    return "".join(pieces)
