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


@dataclass
class Problem:
    line: int
    message: str


@dataclass
class ResumeBlock:
    line: int
    points: list[ResumePoint]
    problems: list[Problem]

    def to_markdown(self) -> str:
        lines = []
        for point in self.points:
            lines.append(f"- {point.text}")
            lines.extend(f"    - {child.text}" for child in point.children)
        return "\n".join(lines)


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
            problems.append(Problem(index + 1, "a second résumé block; an article has only one"))
    if start is None:
        return Extraction(text, None, problems)
    if end is None:
        problems.append(Problem(start + 1, "résumé block is never closed; end it with a line ':::'"))
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
            problems.append(
                Problem(
                    number, f"the résumé is not a bullet list: {raw.strip()!r}; write each point as '- …'"
                )
            )
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
            problems.append(Problem(number, "résumé lists nest one level at most (points and sub-points)"))
    if not points and not problems:
        problems.append(Problem(first_line - 1, "the résumé block has no points"))
    if len(points) > MAX_POINTS:
        problems.append(
            Problem(
                points[MAX_POINTS].line,
                f"the résumé has {len(points)} points; keep it to {MAX_POINTS} at most",
            )
        )
    return ResumeBlock(line=first_line - 1, points=points, problems=problems)
