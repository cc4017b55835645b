"""Link résumé points to the sections of the article that develop them."""

import re

from carnet.text.folding import fold_words

from .parsing import MISSING_SECTION, Problem, ResumePoint


def comparable(text: str) -> str:
    """Text as a reader would compare it: no case, accents, markup or punctuation."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # keep a link's words
    return fold_words(text)


def section_targets(
    points: list[ResumePoint], headings: dict[str, str]
) -> tuple[dict[int, str], list[Problem]]:
    """Map each point (by line) to a section id: the author's link, or the
    heading whose words are the point's words. `headings` maps id → heading text."""
    by_words = {}
    for anchor, heading in headings.items():
        by_words.setdefault(comparable(heading), anchor)
    targets: dict[int, str] = {}
    problems: list[Problem] = []
    for point in points:
        if point.target is not None:
            if point.target in headings:
                targets[point.line] = point.target
            else:
                problems.append(Problem(point.line, MISSING_SECTION, (point.target, tuple(headings))))
        elif comparable(point.text) in by_words:
            targets[point.line] = by_words[comparable(point.text)]
    return targets, problems
