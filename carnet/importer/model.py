"""What flows through an import: the source's lines, what was found, what was removed."""

from dataclasses import dataclass, field

# How sure a finding is, as the report says it.
SURE, LIKELY, UNSURE = "sûre", "probable", "incertaine"


@dataclass(frozen=True)
class Line:
    number: int  # from 1, as an editor shows it
    text: str  # without its newline and trailing spaces

    @property
    def content(self) -> str:
        return self.text.strip()

    @property
    def blank(self) -> bool:
        return not self.text.strip()


@dataclass(frozen=True)
class Removal:
    line: int
    text: str
    reason: str  # in French, for the author
    kind: str = ""  # what was recognised: "blogue", "forum", "lettre", "profil"…


@dataclass(frozen=True)
class Finding:
    value: str
    confidence: str  # SURE, LIKELY or UNSURE
    origin: str  # in French: where the value was found
    lines: tuple[int, ...] = ()  # the source lines it was read from


@dataclass
class Metadata:
    title: Finding | None = None
    subtitle: Finding | None = None
    date: Finding | None = None  # "2009-04-16" or "2006-02-22 10:30"
    author: Finding | None = None
    summary: Finding | None = None
    tags: list[str] = field(default_factory=list)  # as the source lists them
    rubric: str | None = None  # a forum's section, a blog's category
    kind: str | None = None  # "blogue", "forum" or "lettre"
    # Lines read as metadata, so not part of the body: number -> removal.
    consumed: dict[int, Removal] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what could not be decided


@dataclass
class ListItem:
    text: str
    depth: int = 0  # 0 for a point, 1 for a sub-point
    glyph: str = ""  # the author's own bullet (➡, ✓…), kept in the text
    number: int | None = None  # for a numbered list


@dataclass
class Block:
    """A unit of the body: a paragraph (its parts are separated by line breaks),
    a heading, or a list."""

    kind: str  # "paragraph", "heading" or "list"
    parts: list[str] = field(default_factory=list)
    items: list[ListItem] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    verse: bool = False

    @property
    def text(self) -> str:
        if self.kind == "list":
            return " ".join(item.text for item in self.items)
        return " ".join(self.parts)


@dataclass
class Body:
    blocks: list[Block]
    resume: list[ListItem] | None  # the author's « Cet article en résumé », if any
    removals: list[Removal]
    notes: list[str]
