"""Find and parse the résumé block of a Markdown article.

The author writes, anywhere in the text (usually first):

    ::: résumé
    - Des personnes qui contribueront à votre chemin
    - [Avis avisés](#avis-avises)
      - un sous-point
    :::

The block is cut out of the text before Markdown sees it, and parsed into
points. Nothing here knows about Pelican: problems are returned with their
line numbers, for the caller to report.
"""

import re
from dataclasses import dataclass, field

MAX_POINTS = 12
# « ::: résumé », « ::: resume », « :::Résumé » all open a block.
_OPENER = re.compile(r"^\s{0,3}:::\s*r[ée]sum[ée]\s*$", re.IGNORECASE)
_CLOSER = re.compile(r"^\s{0,3}:::\s*$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_ITEM = re.compile(r"^(?P<indent>\s*)(?:[-*+]|\d+[.)])\s+(?P<text>\S.*)$")
_SECTION_LINK = re.compile(r"\]\(#(?P<anchor>[^)\s]+)\)")
# Sub-points are indented by at least two spaces (or a tab) under their point.
_NESTING_STEP = 2


@dataclass
class ResumePoint:
    text: str  # Markdown inline text, as the author wrote it
    line: int
    children: list["ResumePoint"] = field(default_factory=list)

    @property
    def target(self) -> str | None:
        """The section the author links this point to, if any."""
        match = _SECTION_LINK.search(self.text)
        return match.group("anchor") if match else None


# What can be wrong with a résumé block: each kind with its values, said in English here (the
# tests and the logs of a plain Pelican run) and in French by carnet/review/articles.py.
SECOND_BLOCK = "second block"
UNCLOSED = "unclosed"
NOT_A_LIST = "not a list"  # values: the line as written
TOO_DEEP = "too deep"
EMPTY = "empty"
TOO_MANY = "too many"  # values: the number of points, the most there may be
MISSING_SECTION = "missing section"  # values: the anchor, the article's anchors (empty: it has none)
MESSAGES = {
    SECOND_BLOCK: "a second résumé block; an article has only one",
    UNCLOSED: "résumé block is never closed; end it with a line ':::'",
    NOT_A_LIST: "the résumé is not a bullet list: {0!r}; write each point as '- …'",
    TOO_DEEP: "résumé lists nest one level at most (points and sub-points)",
    EMPTY: "the résumé block has no points",
    TOO_MANY: "the résumé has {0} points; keep it to {1} at most",
    MISSING_SECTION: "point links to #{0}, a section this article lacks ({1})",
}


@dataclass(frozen=True)
class Problem:
    line: int
    kind: str
    values: tuple = ()

    @property
    def message(self) -> str:
        if self.kind == MISSING_SECTION:
            anchor, known = self.values
            return MESSAGES[self.kind].format(anchor, ", ".join(f"#{a}" for a in known) or "none")
        return MESSAGES[self.kind].format(*self.values)


@dataclass
class ResumeBlock:
    line: int
    points: list[ResumePoint]
    problems: list[Problem]
    # The article's reference links (« [label]: adresse »), which its points may use as the
    # text does: {label: (address, title)}, as Python-Markdown read them from the article.
    references: dict[str, tuple[str, str | None]] = field(default_factory=dict)

    def to_markdown(self) -> str:
        lines = []
        for point in self.points:
            lines.append(f"- {point.text}")
            lines.extend(f"    - {child.text}" for child in point.children)
        if self.references:  # definitions: Markdown writes nothing for them
            lines.append("")
            references = sorted(self.references.items())
            lines.extend(reference_definition(label, *target) for label, target in references)
        return "\n".join(lines)


def reference_definition(label: str, address: str, title: str | None) -> str:
    """One reference as Markdown defines it; the address as read has no space in it."""
    if title is None:
        return f"[{label}]: <{address}>"
    return f'[{label}]: <{address}> "{title}"'


@dataclass
class Extraction:
    text: str  # the article without its résumé block, line count unchanged
    block: ResumeBlock | None
    problems: list[Problem]  # problems outside any block (a second block…)


def extract_resume(text: str) -> Extraction:
    """Cut the résumé block out of `text`; lines are numbered from 1."""
    lines = text.split("\n")
    in_fence = False
    start = end = None
    problems: list[Problem] = []
    for index, line in enumerate(lines):
        if _FENCE.match(line) and start is None:
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if start is None and _OPENER.match(line):
            start = index
        elif start is not None and end is None and _CLOSER.match(line):
            end = index
        elif end is not None and _OPENER.match(line):
            problems.append(Problem(index + 1, SECOND_BLOCK))
    if start is None:
        return Extraction(text, None, problems)
    if end is None:
        problems.append(Problem(start + 1, UNCLOSED))
        return Extraction(text, None, problems)
    block = parse_points(lines[start + 1 : end], first_line=start + 2)
    block.line = start + 1
    remaining = lines[:start] + [""] * (end - start + 1) + lines[end + 1 :]
    return Extraction("\n".join(remaining), block, problems)


def parse_points(lines: list[str], first_line: int = 1) -> ResumeBlock:
    """Parse the inside of a block: a bullet list, with at most one level of sub-points."""
    points: list[ResumePoint] = []
    problems: list[Problem] = []
    base_indent: int | None = None
    for offset, raw in enumerate(lines):
        number = first_line + offset
        if not raw.strip():
            continue
        line = raw.expandtabs(4)
        item = _ITEM.match(line)
        if item is None:
            if points and line.startswith(" "):
                last = points[-1].children[-1] if points[-1].children else points[-1]
                last.text += " " + line.strip()  # a point wrapped over two lines
                continue
            problems.append(Problem(number, NOT_A_LIST, (raw.strip(),)))
            continue
        indent = len(item.group("indent"))
        base_indent = indent if base_indent is None else base_indent
        depth = (indent - base_indent) // _NESTING_STEP if indent > base_indent else 0
        point = ResumePoint(item.group("text").strip(), number)
        if depth == 0:
            points.append(point)
        elif depth == 1 and points:
            points[-1].children.append(point)
        else:
            problems.append(Problem(number, TOO_DEEP))
    if not points and not problems:
        problems.append(Problem(first_line - 1, EMPTY))
    if len(points) > MAX_POINTS:
        problems.append(Problem(points[MAX_POINTS].line, TOO_MANY, (len(points), MAX_POINTS)))
    return ResumeBlock(line=first_line - 1, points=points, problems=problems)
