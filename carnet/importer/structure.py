"""Give the body its structure back: résumé, paragraphs, headings, lists, verse.

The text comes as lines. Some were hard-wrapped by a mail program (every line about
as long as the others): those are joined back, and only those. A short line that
stands alone between paragraphs is a heading; lines that start with a bullet are a
list; runs of short lines are verse or a sign-off, kept line by line. A paragraph
that the scrape repeated word for word is removed; a repeated list item or verse
line is the author's refrain and stays, and so does a repeated piece of a sentence.
"""

import itertools
import re
from dataclasses import dataclass

from carnet.resume.parsing import MAX_POINTS as MAX_RESUME_POINTS  # what the site accepts
from carnet.text.folding import matchable

from .model import Block, Body, Line, ListItem, Metadata, Removal
from .text import ends_sentence, ends_with_punctuation, is_heading_like

_PLAIN_MARKS = "•-*–·"
_GLYPH_MARKS = "➡→➜➔➤►▶⇒☞✓✔☑✅👉●○■□▪◦◆◇❖✦★☆"
_BULLET = re.compile(
    rf"^(?P<indent>\s*)(?P<mark>[{re.escape(_PLAIN_MARKS + _GLYPH_MARKS)}]|\d{{1,2}}[.)])\s*(?P<text>\S.*)$"
)
_RESUME_OPEN = re.compile(r"^cet article en resume\s*:?$")
_RESUME_CLOSE = re.compile(r"^cet article pas en resume\s*:?$")
# The kind of a removed paragraph that the scrape repeated (the report groups them).
REPEAT = "répétition"
MIN_REPEATED_WORDS = 12  # shorter repeats may be on purpose (« Et alors ? »)
LONG_LINE = 100  # a line this long is a paragraph of its own, never a hard wrap
VERSE_LINE = 60


@dataclass(frozen=True)
class Layout:
    blank_lines: bool  # paragraphs are separated by blank lines
    wrap_width: int | None  # the width a mail program wrapped the text at, if it did


@dataclass
class _Bullet:
    indent: int
    mark: str
    text: str


def bullet(text: str) -> _Bullet | None:
    match = _BULLET.match(text.expandtabs(4))
    if not match:
        return None
    mark, rest = match["mark"], match["text"]
    if mark in _PLAIN_MARKS and not text.lstrip().startswith(mark + " ") and mark not in "•·":
        return None  # « -5 % », « *note* », « –  » glued to a word is not a bullet
    if mark[0].isdigit() and not re.match(r"^\s*\d{1,2}[.)]\s", text):
        return None
    return _Bullet(len(match["indent"]), mark, rest.strip())


def build_body(lines: list[Line], removed: dict[int, Removal], meta: Metadata) -> Body:
    return _Builder(lines, {**removed, **meta.consumed}, meta).run()


class _Builder:
    def __init__(self, lines: list[Line], gone: dict[int, Removal], meta: Metadata):
        self.lines = lines
        self.gone = gone
        self.meta = meta
        self.removals: list[Removal] = []
        self.notes: list[str] = []
        self.resume: list[ListItem] | None = None
        self.resume_words: set[str] = set()
        self.protected = set(meta.author.lines) if meta.author else set()
        self.overlong_resume: Block | None = None

    def drop(self, line: Line, reason: str, kind: str = "structure") -> None:
        self.gone[line.number] = Removal(line.number, line.content, reason, kind)
        self.removals.append(self.gone[line.number])

    def run(self) -> Body:
        self.take_resume()
        groups = self.groups()
        layout = self.layout(groups)
        blocks: list[Block] = []
        for group in groups:
            blocks.extend(self.group_blocks(group, layout))
        if not layout.blank_lines:
            blocks = self.merge_verse(blocks)
        if self.overlong_resume is not None:
            first = self.overlong_resume.lines[0]
            position = next((i for i, block in enumerate(blocks) if block.lines[0] > first), len(blocks))
            blocks.insert(position, self.overlong_resume)
        self.mark_headings(blocks)
        blocks = self.without_repeats(blocks)
        return Body(blocks=blocks, resume=self.resume, removals=self.removals, notes=self.notes)

    # -- the author's résumé -----------------------------------------------------------

    def take_resume(self) -> None:
        live = [line for line in self.lines if line.number not in self.gone]
        opener = next((line for line in live if _RESUME_OPEN.match(matchable(line.content))), None)
        if opener is None:
            return
        after = [line for line in live if line.number > opener.number]
        closer = next((line for line in after if _RESUME_CLOSE.match(matchable(line.content))), None)
        inside = [line for line in after if closer is None or line.number < closer.number]
        points: list[_Bullet] = []
        taken: list[Line] = []
        for line in inside:
            if line.blank:
                if points and closer is None:
                    break
                continue
            mark = bullet(line.text)
            if mark is None and points and line.text[:1].isspace():
                points[-1].text += " " + line.content  # a point wrapped onto the next line
            elif mark is None and closer is None:
                break
            else:
                points.append(mark or _Bullet(0, "", line.content))  # the scrape may lose bullets
            taken.append(line)
        self.drop(opener, "intertitre « Cet article en résumé » (remplacé par le bloc ::: résumé)")
        if closer is not None:
            self.drop(closer, "intertitre « Cet article pas en résumé » (le bloc ::: résumé le remplace)")
        if not points:
            self.notes.append(f"Ligne {opener.number} : « Cet article en résumé » sans points ; rien repris.")
            return
        for line in taken:
            self.gone[line.number] = Removal(line.number, line.content, "point du résumé", "résumé")
        base = min(mark.indent for mark in points)
        items = [ListItem(mark.text, 1 if mark.indent > base + 1 else 0) for mark in points]
        top = [item for item in items if item.depth == 0]
        if len(top) > MAX_RESUME_POINTS:
            self.notes.append(
                f"Résumé de {len(top)} points : le site en accepte {MAX_RESUME_POINTS} au plus ; "
                "les points sont gardés en liste en tête du texte, à réduire."
            )
            self.overlong_resume = Block("list", items=items, lines=[line.number for line in taken])
            return
        self.resume = items
        self.resume_words = {matchable(item.text) for item in items}

    # -- lines into groups, and the layout of the text ---------------------------------

    def groups(self) -> list[list[Line]]:
        """Runs of kept lines; a blank or removed line ends a run."""
        groups: list[list[Line]] = []
        current: list[Line] = []
        for line in self.lines:
            if line.blank or line.number in self.gone:
                if current:
                    groups.append(current)
                current = []
            else:
                current.append(line)
        if current:
            groups.append(current)
        return groups

    def layout(self, groups: list[list[Line]]) -> Layout:
        kept = [line for group in groups for line in group]
        # Blank lines between two kept lines; those around removed lines do not count.
        gaps = 0
        previous = None
        for line in self.lines:
            if line.number in self.gone and not line.blank:
                continue
            if not line.blank and previous is not None and previous.blank:
                gaps += 1
            if not line.blank or previous is not None:
                previous = line
        blank_lines = gaps >= max(1, 0.2 * (len(kept) - 1)) if len(kept) > 1 else True
        return Layout(blank_lines=blank_lines, wrap_width=_wrap_width(groups))

    # -- one group into blocks ----------------------------------------------------------

    def group_blocks(self, group: list[Line], layout: Layout) -> list[Block]:
        blocks: list[Block] = []
        position = 0
        while position < len(group):
            items, position_after = self.list_run(group, position, layout)
            if items:
                numbers = [line.number for line in group[position:position_after]]
                blocks.append(Block("list", items=items, lines=numbers))
                position = position_after
                continue
            end = position + 1
            while end < len(group) and not self.list_run(group, end, layout)[0]:
                end += 1
            blocks.extend(self.text_blocks(group[position:end], layout))
            position = end
        return blocks

    def list_run(self, group: list[Line], start: int, layout: Layout) -> tuple[list[ListItem], int]:
        """The list that starts at `group[start]`, if one does, and where it ends."""
        marks: list[_Bullet] = []
        position = start
        while position < len(group):
            line = group[position]
            mark = bullet(line.text)
            if mark is not None:
                if marks and _mark_kind(mark.mark) != _mark_kind(marks[0].mark):
                    break  # another kind of bullet starts another list
                marks.append(mark)
            elif marks and self.continues_item(group[position - 1], marks[-1], line, layout):
                marks[-1].text += " " + line.content
            else:
                break
            position += 1
        if not marks:
            return [], start
        kind = _mark_kind(marks[0].mark)
        if kind == "glyph" and len(marks) < 2:
            return [], start  # a single « ➡ … » line is a paragraph with an arrow
        if kind == "number":
            numbers = [int(mark.mark[:-1]) for mark in marks]
            if len(marks) < 2 or numbers != list(range(numbers[0], numbers[0] + len(numbers))):
                return [], start
        base = min(mark.indent for mark in marks)
        items = []
        for mark in marks:
            depth = 1 if mark.indent > base + 1 else 0
            if kind == "glyph":
                items.append(ListItem(mark.text, depth, glyph=mark.mark))
            elif kind == "number":
                items.append(ListItem(mark.text, depth, number=int(mark.mark[:-1])))
            else:
                items.append(ListItem(mark.text, depth))
        return items, position

    def continues_item(self, previous: Line, mark: _Bullet, line: Line, layout: Layout) -> bool:
        indent = len(line.text.expandtabs(4)) - len(line.text.expandtabs(4).lstrip())
        if indent > mark.indent and indent >= 2:
            return True
        return layout.wrap_width is not None and self.wrapped(previous.content, line.content, layout)

    def wrapped(self, line: str, following: str, layout: Layout) -> bool:
        """True when the mail program broke the line: the next word would not have fitted."""
        width = layout.wrap_width
        if width is None or not following.split():
            return False
        return len(line) + 1 + len(following.split()[0]) >= 0.85 * width

    def text_blocks(self, lines: list[Line], layout: Layout) -> list[Block]:
        blocks: list[Block] = []
        parts = [lines[0].content]
        numbers = [lines[0].number]
        for previous, line in itertools.pairwise(lines):
            if self.wrapped(previous.content, line.content, layout):
                parts[-1] += " " + line.content
            elif layout.blank_lines and len(previous.content) < LONG_LINE:
                parts.append(line.content)  # the author's own line break
            else:
                blocks.append(Block("paragraph", parts=parts, lines=numbers))
                parts, numbers = [line.content], []
            numbers.append(line.number)
        blocks.append(Block("paragraph", parts=parts, lines=numbers))
        for block in blocks:
            block.verse = len(block.parts) > 1 and all(len(part) <= VERSE_LINE for part in block.parts)
        return blocks

    # -- across blocks ----------------------------------------------------------------------

    def merge_verse(self, blocks: list[Block]) -> list[Block]:
        """Without blank lines, each line is a paragraph; a run of short lines that do
        not end their sentence is a poem or a sign-off, kept line by line."""
        merged: list[Block] = []
        position = 0
        while position < len(blocks):
            end = position
            while (
                end < len(blocks)
                and _verse_line(blocks[end])
                and not ends_sentence(blocks[end].parts[0])
                and not blocks[end].parts[0].endswith(":")
            ):
                end += 1
            if end < len(blocks) and end > position and _verse_line(blocks[end]):
                end += 1  # the line that ends the sentence closes the stanza
            run = blocks[position:end]
            if len(run) >= 3 or (len(run) == 2 and run[0].parts[0].endswith(",")):
                merged.append(
                    Block(
                        "paragraph",
                        parts=[block.parts[0] for block in run],
                        lines=[number for block in run for number in block.lines],
                        verse=True,
                    )
                )
                position = end
            else:
                merged.append(blocks[position])
                position += 1
        return merged

    def mark_headings(self, blocks: list[Block]) -> None:
        for position, block in enumerate(blocks):
            if block.kind != "paragraph" or len(block.parts) != 1 or len(block.lines) != 1:
                continue
            text = block.parts[0]
            if block.lines[0] in self.protected or position + 1 >= len(blocks):
                continue
            following = blocks[position + 1]
            if following.kind == "heading":
                continue
            in_resume = matchable(text) in self.resume_words
            if not (is_heading_like(text) or (in_resume and not ends_with_punctuation(text))):
                continue
            if following.kind == "paragraph" and len(following.text) <= len(text):
                continue
            block.kind = "heading"

    def without_repeats(self, blocks: list[Block]) -> list[Block]:
        seen: dict[str, int] = {}
        title = matchable(self.meta.title.value) if self.meta.title else None
        kept = []
        for position, block in enumerate(blocks):
            key = matchable(block.text)
            # The title again as the text's first block; unless it is all the text there is.
            if position == 0 and len(blocks) > 1 and block.kind in {"paragraph", "heading"} and key == title:
                self.remove_block(block, "titre répété en tête du texte")
                continue
            # Only plain prose: lines the author broke himself may be a refrain.
            single = block.kind == "paragraph" and len(block.parts) == 1
            whole = _whole_sentences(block, blocks[position - 1] if position else None)
            if not single or block.verse or not whole or len(key.split()) < MIN_REPEATED_WORDS:
                kept.append(block)
                continue
            if key in seen:
                reason = f"paragraphe répété par la copie (déjà à la ligne {seen[key]})"
                self.remove_block(block, reason, REPEAT)
                continue
            seen[key] = block.lines[0]
            kept.append(block)
        return kept

    def remove_block(self, block: Block, reason: str, kind: str = "structure") -> None:
        by_number = {line.number: line for line in self.lines}
        for number in block.lines:
            self.drop(by_number[number], reason, kind)


def _whole_sentences(block: Block, previous: Block | None) -> bool:
    """Whether the block starts and ends as sentences do. A scrape repeats whole paragraphs;
    a line of a hard-wrapped paragraph whose wrap went unseen is a block of its own, and the
    same piece of a sentence found twice is not a copy: removing it would lose the author's words."""
    starts = previous is None or previous.kind != "paragraph" or ends_sentence(previous.text)
    return starts and ends_sentence(block.text)


def _wrap_width(groups: list[list[Line]]) -> int | None:
    """The width a mail program wrapped the text at, if it did: many lines about as long
    as the longest ones, and sentences that go on, in lower case, on the next line."""
    pairs = [
        (line.content, following.content)
        for group in groups
        for line, following in itertools.pairwise(group)
        if bullet(line.text) is None and bullet(following.text) is None
    ]
    if len(pairs) < 3:
        return None
    lengths = sorted(len(line) for line, _ in pairs)
    width = lengths[min(len(lengths) - 1, int(len(lengths) * 0.9))]
    if not 55 <= width <= LONG_LINE:
        return None
    going_on = sum(
        1
        for line, following in pairs
        if len(line) >= 0.75 * width and not ends_sentence(line) and following[:1].islower()
    )
    return width if going_on >= max(2, 0.25 * len(pairs)) else None


def _mark_kind(mark: str) -> str:
    if mark[0].isdigit():
        return "number"
    return "plain" if mark in _PLAIN_MARKS else "glyph"


def _verse_line(block: Block) -> bool:
    return (
        block.kind == "paragraph"
        and len(block.parts) == 1
        and len(block.parts[0]) <= VERSE_LINE
        and bullet(block.parts[0]) is None
    )
