"""Write a draft: Pelican's metadata header, then the body in Markdown.

The author's words are text, never markup: every character that Markdown (with the
site's `extra` extensions) or the résumé reader would read as syntax is escaped, and
`<` becomes `&lt;`, so that raw HTML in a scrape, a `<script>` included, is shown as
text on the page. A draft never replaces an existing file unless asked to.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from .model import Block, ListItem

TITLE_MARKER = "[TITRE À TROUVER]"
AUTHOR_MARKER = "[AUTEUR À TROUVER]"

_ENTITY = re.compile(r"&(?=#?\w+;)")
_INLINE = re.compile(r"([\\`*_])")
# A bracket opens a link, an image, a footnote or a reference only in these cases;
# « […] » stays as the author wrote it.
_BRACKET = re.compile(r"\[(?=[^\]]*\][(\[:]|\^|TOC\])")
_ATTRIBUTES = re.compile(r"\{(?=\s*[:.#])")  # attr_list: « {: .classe} », « {#ancre} »
_LINE_START = re.compile(r"^([#>+\-])")
_NUMBERED = re.compile(r"^(\d+)\.(\s)")


def escape_inline(text: str) -> str:
    """The text, as Markdown shows it back letter for letter."""
    text = _INLINE.sub(r"\\\1", text)
    text = _BRACKET.sub(r"\\[", text)
    text = _ENTITY.sub("&amp;", text)
    text = text.replace("<", "&lt;")
    return _ATTRIBUTES.sub(r"\\{", text)


def escape_line(text: str) -> str:
    """A line of text that starts a Markdown line: no heading, quote, list or résumé opener."""
    text = escape_inline(text.strip())
    text = _LINE_START.sub(r"\\\1", text)
    text = _NUMBERED.sub(r"\1\\.\2", text)
    if text.startswith(":"):
        text = "&#58;" + text[1:]  # « ::: » would open a résumé block, « : » a definition
    if text.startswith("~~~"):
        text = "&#126;" + text[1:]  # a fenced code block
    if re.fullmatch(r"=+\s*", text):
        text = "&#61;" + text[1:]  # under a line, it would make that line a heading
    return text


def escape_heading(text: str) -> str:
    text = escape_line(text)
    return text[:-1] + "\\#" if text.endswith("#") else text


def escape_metadata(value: str) -> str:
    """A header value stays on its line; Pelican shows it as text (templates escape it)."""
    return " ".join(value.split())


def render_item(item: ListItem) -> str:
    indent = "    " * item.depth
    text = escape_line(item.text)  # an item's text starts a block of its own
    if item.number is not None:
        return f"{indent}{item.number}. {text}"
    if item.glyph:
        # The author's own bullet stays; the theme's is hidden (README, « Markdown »).
        return f"{indent}- {item.glyph} {text}{{: .puce-auteur }}"
    return f"{indent}- {text}"


def render_block(block: Block) -> str:
    if block.kind == "heading":
        return "## " + escape_heading(block.parts[0])
    if block.kind == "list":
        return "\n".join(render_item(item) for item in block.items)
    # A line break inside a paragraph is two spaces at the end of the line.
    return "  \n".join(escape_line(part) for part in block.parts)


def render_resume(points: list[ListItem]) -> str:
    lines = ["::: résumé"]
    # The résumé reader nests a sub-point by two spaces (carnet/resume/parsing.py).
    lines.extend("  " * point.depth + f"- {escape_line(point.text)}" for point in points)
    lines.append(":::")
    return "\n".join(lines)


@dataclass(frozen=True)
class DraftText:
    header: list[tuple[str, str]]
    body: str

    def render(self, slug: str) -> str:
        header = [(key, slug if key == "Slug" else value) for key, value in self.header]
        lines = [f"{key}: {escape_metadata(value)}" for key, value in header]
        return "\n".join(lines) + "\n\n" + self.body.rstrip() + "\n"


def reserve_path(directory: Path, stem: str, force: bool) -> Path:
    """A new file `stem.md`, or `stem-2.md`, `stem-3.md`… if taken; `force` reuses `stem.md`.

    The file is created at once (exclusively), so that two imports never pick the same name."""
    directory.mkdir(parents=True, exist_ok=True)
    if force:
        path = directory / f"{stem}.md"
        path.touch()
        return path
    number = 1
    while True:
        path = directory / (f"{stem}.md" if number == 1 else f"{stem}-{number}.md")
        try:
            with path.open("x", encoding="utf-8"):
                return path
        except FileExistsError:
            number += 1


def write_draft(draft: DraftText, directory: Path, stem: str, force: bool = False) -> Path:
    path = reserve_path(directory, stem, force)
    try:
        path.write_text(draft.render(slug=path.stem), encoding="utf-8")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path
