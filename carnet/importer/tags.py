"""Suggest tags from the tag map (content/tagmap.toml): the tags whose labels or aliases
the text uses, most mentioned first. They are suggestions, for the author to confirm.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from carnet.tagmap.mapfile import TagMapError, load_map
from carnet.text.folding import fold_words

MAX_SUGGESTIONS = 6
TITLE_WEIGHT = 2  # a tag named in the title counts as two mentions more


@dataclass(frozen=True)
class TagForms:
    key: str
    label: str  # the French label, as Tags: would name it
    forms: tuple[str, ...]  # labels and aliases


@dataclass(frozen=True)
class Suggestion:
    key: str
    label: str
    mentions: int
    seen: tuple[str, ...]  # the forms found in the text


class TagMapUnusable(ValueError):
    """The map exists but cannot be read; the message says why."""


def load_tag_forms(path: Path) -> list[TagForms] | None:
    """The tags of the map at `path`, or None without a map. The tag map plugin's own
    loader, so that a map the site refuses is refused here too."""
    if not path.is_file():
        return None
    try:
        tag_map = load_map(path)
    except TagMapError as error:
        raise TagMapUnusable(str(error)) from None
    if tag_map is None:
        return None
    return [TagForms(entry.key, entry.fr, entry.forms) for entry in tag_map.tags.values()]


def _mentions(text: str, forms: tuple[str, ...]) -> tuple[int, tuple[str, ...]]:
    """Where the text uses any of `forms`, as whole words; a plural s or x is allowed."""
    starts: set[int] = set()
    seen = []
    for form in forms:
        folded = fold_words(form)
        if not folded:
            continue
        pattern = re.compile(rf"(?<!\S){re.escape(folded)}[sx]?(?!\S)")
        found = [match.start() for match in pattern.finditer(text)]
        if found:
            seen.append(form)
            starts.update(found)
    return len(starts), tuple(seen)


def suggest_tags(title: str, body: str, tags: list[TagForms], given: list[str] = ()) -> list[Suggestion]:
    """Tags of the map that the text mentions, most mentioned first; those the source
    already gives (`given`) are left out."""
    folded_title, folded_body = fold_words(title), fold_words(body)
    already = {fold_words(tag) for tag in given}
    suggestions = []
    for order, tag in enumerate(tags):
        if already & {fold_words(form) for form in tag.forms}:
            continue
        in_title, seen_title = _mentions(folded_title, tag.forms)
        in_body, seen_body = _mentions(folded_body, tag.forms)
        mentions = in_body + in_title * (1 + TITLE_WEIGHT)
        if mentions:
            seen = tuple(dict.fromkeys((*seen_title, *seen_body)))
            suggestions.append((-mentions, order, Suggestion(tag.key, tag.label, mentions, seen)))
    return [suggestion for *_, suggestion in sorted(suggestions)][:MAX_SUGGESTIONS]
