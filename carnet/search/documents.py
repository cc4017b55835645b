"""What the index holds for each article, taken from the rendered HTML."""

import hashlib
import inspect
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from html import unescape

from slugify import slugify


@dataclass
class SearchDocument:
    url: str  # site-relative, as in output/
    title: str
    body: str  # plain text
    resume: str = ""
    tags: list[str] = field(default_factory=list)  # French labels, as shown
    tag_keys: list[str] = field(default_factory=list)
    tag_terms: list[str] = field(default_factory=list)  # every label and alias, both languages
    author: str = ""
    category: str = ""
    date: datetime | None = None
    # A digest of the HTML that `body` was taken from (site_documents.py): the next build
    # takes the text of unchanged HTML from the index's TEXTS_FILE. Not indexed.
    source: str = ""

    def fields(self) -> dict:
        """The document as Whoosh fields."""
        searchable_tags = " ; ".join([*self.tags, *self.tag_terms])
        values = {
            "url": self.url,
            "title": self.title,
            "resume": self.resume,
            "body": self.body,
            "tags": searchable_tags,
            "tag_keys": ",".join(self.tag_keys),
            "tag_labels": list(self.tags),
            "tag_text": searchable_tags,
            "author": self.author,
            # "jason-verdier jason verdier": auteur:jason and author:"Jason Verdier" both match
            "author_key": " ".join([slugify(self.author), *slugify(self.author).split("-")]),
            "category": self.category,
            "year": self.date.year if self.date else 0,
        }
        if self.date is not None:
            # A plain datetime: Pelican's SafeDatetime, stored as it is, would make the service
            # import Pelican (a quarter of a second) when it first reads a stored date.
            values["date"] = datetime(*self.date.timetuple()[:6], self.date.microsecond)
        return values


_HIDDEN = re.compile(r"<(script|style|nav)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
# Tags inside a line of text: « *synchronicités*, ce hasard » is « synchronicités, ce hasard »,
# not « synchronicités , ce hasard ». (Not <sup>: a footnote's number is not part of the word.)
_INLINE_TAG = re.compile(
    r"</?(?:a|abbr|b|bdi|bdo|cite|code|data|del|dfn|em|i|ins|kbd|mark|q|s|samp|small|span|strong"
    r"|time|u|var)\b[^>]*>",
    re.IGNORECASE,
)


def html_to_text(html: str) -> str:
    """The words of an HTML fragment, one space between blocks, no markup.

    Pelican's rendered Markdown is well-formed, so stripping tags is exact here, and
    fifty times faster than a parser on a large archive."""
    text = _TAG.sub(" ", _INLINE_TAG.sub("", _HIDDEN.sub(" ", html or "")))
    return " ".join(unescape(text).split())


# The key of the digests under which texts are kept from one build to the next (site_documents.py):
# the rules above with their flags, html_to_text's own source and the Python whose unescape table
# it reads. A change in any of them changes every digest, so no text taken out the old way is reused.
_TEXT_RULES = [
    *(f"{rule.pattern} {int(rule.flags)}" for rule in (_HIDDEN, _TAG, _INLINE_TAG)),
    inspect.getsource(html_to_text),
    f"python {sys.version_info.major}.{sys.version_info.minor}",
]
TEXT_RULES_KEY = hashlib.blake2b("\n".join(_TEXT_RULES).encode()).digest()


_WORD = re.compile(r"[^\W\d_]{3,}")


def word_counts(documents) -> dict[str, int]:
    """Every word of the archive as written (accents kept), with its count: the
    vocabulary that did-you-mean suggestions are taken from."""
    return vocabulary(count_words(documents))


def count_words(documents) -> "Counter[str]":
    """Every word of `documents` as written, lowercased, with its count (stop words too:
    counts of parts of an archive add up to the archive's)."""
    counts: Counter = Counter()
    for document in documents:
        counts.update(_WORD.findall(f"{document.title} {document.resume} {document.body}".lower()))
    return counts


def vocabulary(counts: "Counter[str]") -> dict[str, int]:
    """The counted words without the stop words."""
    from .analysis import fold, french_stop_words

    stops = french_stop_words()
    return {word: n for word, n in counts.items() if fold(word) not in stops}
