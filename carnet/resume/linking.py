"""Link résumé points to the sections of the article that develop them."""

import re

from carnet.text.folding import fold_words

from .parsing import MISSING_SECTION, Problem, ResumePoint


def comparable(text: str) -> str:
    """Text as a reader would compare it: no case, accents, markup or punctuation."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # keep a link's words
    return fold_words(text)


# « [texte][étiquette] », « [étiquette][] » and « [étiquette] »: a reference link's label.
_REFERENCE = re.compile(r"\[(?P<text>[^\]]*)\](?:\[(?P<label>[^\]]*)\])?(?![(:])")


def reference_target(text: str, references: dict[str, tuple]) -> str | None:
    """The section a point links to through one of the article's references (`references`:
    label → (address, title), as Python-Markdown keeps them, labels in small letters)."""
    for match in _REFERENCE.finditer(text):
        label = " ".join((match["label"] or match["text"]).split()).lower()
        address = references.get(label, ("",))[0]
        if address.startswith("#") and len(address) > 1:
            return address[1:]
    return None


def section_targets(
    points: list[ResumePoint], headings: dict[str, str], references: dict[str, tuple] | None = None
) -> tuple[dict[int, str], list[Problem]]:
    """Map each point (by line) to a section id: the author's link (written in the point, or
    through one of the article's `references`), or the heading whose words are the point's
    words. `headings` maps id → heading text."""
    by_words = {}
    for anchor, heading in headings.items():
        by_words.setdefault(comparable(heading), anchor)
    targets: dict[int, str] = {}
    problems: list[Problem] = []
    for point in points:
        target = point.target or reference_target(point.text, references or {})
        if target is not None:
            if target in headings:
                targets[point.line] = target
            else:
                problems.append(Problem(point.line, MISSING_SECTION, (target, tuple(headings))))
        elif comparable(point.text) in by_words:
            targets[point.line] = by_words[comparable(point.text)]
    return targets, problems
