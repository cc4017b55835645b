"""Rules on an article's Markdown source, so that each finding has its line: links to other
files, scrape leftovers, repeated paragraphs, images without alt. No Pelican here."""

import functools
import hashlib
import html
import posixpath
import re
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable
from urllib.parse import unquote

from carnet.text.chrome import REASONS, chrome_kind

from .findings import ERROR, WARNING, Finding
from .header import read_header

# `{filename}/articles/x.md`, `{static}/images/a.png`, and Pelican's older `|filename|` spelling.
_FILE_LINK = re.compile(r"[{|](?P<what>filename|static|attach)[}|](?P<path>[^)\s\"'#?]+)")
# Markdown's destination in angle brackets, which may hold spaces: `<{static}/images/mon image.png>`.
_BRACKETED_LINK = re.compile(r"<[{|](?P<what>filename|static|attach)[}|](?P<path>[^>\n#?]+)[^>\n]*>")
# Markdown's code, where a link's syntax is shown as text and Pelican leaves it: fenced blocks
# (Python-Markdown's fenced_code pattern: a fence at the line's start, a language or
# {attributes}, the same fence closing) and code spans, which may go on over the paragraph's
# next lines. (Indented code blocks, which only Markdown's own rules tell apart from a list's
# indented lines, are left to `shown_as_links`.)
_FENCED_CODE = re.compile(
    r"^(?P<fence>~{3,}|`{3,})[ ]*(?:\{[^\n]*\}|\.?[\w#.+-]*[ ]*(?:hl_lines=(?P<q>[\"']).*?(?P=q)[ ]*)?)\n"
    r".*?(?<=\n)(?P=fence)[ ]*$",
    re.MULTILINE | re.DOTALL,
)
_CODE_SPAN = re.compile(r"(?<!\\)(?P<ticks>`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)(?P=ticks)(?!`)", re.DOTALL)
# Shorter paragraphs (« Oui. », a sign-off) may repeat on purpose.
MIN_REPEATED_CHARS = 60
_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)]|>)\s+")
# Markdown's backslash escapes (`\_`), which its output no longer has: Python-Markdown's own
# characters (Markdown.ESCAPED_CHARS, the same with the project's extensions), not all signs.
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()>#+\-.!])")
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_SRC = re.compile(r"\bsrc\s*=\s*[\"']?([^\"'\s>]+)", re.IGNORECASE)


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def body(text: str) -> str:
    """The text without its header, line numbers unchanged."""
    entries = read_header(text)
    if not entries:
        return text
    lines = text.split("\n")
    end = entries[-1].line
    return "\n".join([""] * end + lines[end:])


def line_containing(text: str, needle: str) -> int | None:
    """The line where `needle` is first written whole: not inside a longer address (`/nulle/` is
    not in `/nulle/part/` nor in `/autre/nulle/`, `#fin` not in `#fin-2`); else where it first appears."""
    whole = re.search(_ADDRESS_BEFORE + re.escape(needle) + _ADDRESS_GOES_ON, text)
    offset = whole.start() if whole else text.find(needle)
    return line_of(text, offset) if offset >= 0 else None


# Around an address written whole, not inside a longer one (`https://ailleurs.example/nulle/`,
# `/nulle/part/`): no letter, digit, or one of -_./#?%~=&: before or after it.
_ADDRESS_BEFORE = r"(?<![\w\-./#?%~=&:])"
_ADDRESS_GOES_ON = r"(?![\w\-./#?%~=&])"


def _blanked(text: str, pattern: re.Pattern) -> str:
    """`text` with what `pattern` finds turned into spaces, its lines and offsets unchanged."""
    return pattern.sub(lambda match: re.sub(r"[^\n]", " ", match.group(0)), text)


def _file_link_matches(content: str) -> list[tuple[int, str, str]]:
    """(offset, `filename` or `static`…, the path as written) of each file link outside code."""
    visible = _blanked(_blanked(content, _FENCED_CODE), _CODE_SPAN)
    found = [(m.start(), m.group("what"), m.group("path").strip()) for m in _BRACKETED_LINK.finditer(visible)]
    found += [
        (m.start(), m.group("what"), m.group("path"))
        for m in _FILE_LINK.finditer(_blanked(visible, _BRACKETED_LINK))
    ]
    return sorted(found)


def content_path(folder: str, written: str) -> str:
    """The path in content/ of a file link written in an article of `folder`."""
    # As Pelican gathers the files that articles link (Content.get_static_links): %20 is a
    # space; and as Markdown wrote the address, without its backslash escapes (`mon\_schema`).
    written = _ESCAPED.sub(r"\1", written).replace("%20", " ")
    return posixpath.normpath(
        written.lstrip("/") if written.startswith("/") else posixpath.join(folder, written)
    )


def file_link_places(source: str, text: str) -> list[tuple[int, str, str, str]]:
    """(line, `filename` or `static`…, the path as written, its path in content/) of each
    `{filename}` and `{static}` link: what the text says, kept with it from one build to the next."""
    folder = posixpath.dirname(source)
    content = body(text)
    return [
        (line_of(content, offset), what, written, content_path(folder, written))
        for offset, what, written in _file_link_matches(content)
    ]


def shown_as_links(places: list[tuple], linked: Iterable[tuple[str, str]]) -> list[tuple]:
    """The `file_link_places` that the article's HTML holds as links: `linked` gives the
    (kind, address) of each, as Pelican finds those it resolves (in a tag's address, not in
    its text). The others are code shown as text (an indented code block, which the source
    alone does not tell apart from a list's indented lines), and lead nowhere."""
    live = {(what, _address_path(address)) for what, address in linked}
    return [place for place in places if (place[1], _ESCAPED.sub(r"\1", place[2]).strip()) in live]


def _address_path(address: str) -> str:
    """The path of an address in the HTML, as the source writes it: without its #anchor or
    ?query (file_link_places leaves them out) and its HTML escapes."""
    return html.unescape(re.split(r"[#?]", address, maxsplit=1)[0]).strip()


# How to write a file link's path, by kind of link.
_PATH_FIXES = {
    "filename": "corrigez le chemin (depuis content/, par exemple {filename}/articles/autre.md)",
    "static": "corrigez le chemin du fichier (depuis content/ s’il commence par /, par exemple "
    "{static}/images/schema.png ; sinon depuis le dossier de l’article)",
    "attach": "corrigez le chemin du fichier (depuis le dossier de l’article, par exemple "
    "{attach}schema.png ; depuis content/ s’il commence par /)",
}


def file_links(
    source: str, text: str, exists: Callable[[str], bool], places: list[tuple] | None = None
) -> Iterable[Finding]:
    """`{filename}` and `{static}` links whose file does not exist. `source` is the
    article's path in content/; `exists(path)` says whether content/path is a file;
    `places`: the text's `file_link_places`, when known."""
    for line, what, written, target in file_link_places(source, text) if places is None else places:
        # As Pelican resolves the link: the path as written, else percent-decoded (caf%C3%A9.png).
        if not exists(target) and not exists(unquote(target)):
            yield Finding(
                ERROR,
                source,
                line,
                "lien cassé",
                f"lien vers {{{what}}}{written} : le fichier content/{target} n’existe pas",
                _PATH_FIXES[what],
            )


def leftover_findings(source: str, text: str) -> Iterable[Finding]:
    """Each line of the body that the importer would take for a page's chrome (a blog's,
    a forum's or a newsletter's, carnet/text/chrome.py): left behind by a copy-paste."""
    for number, line in enumerate(body(text).split("\n"), start=1):
        kind = chrome_kind(line) if line.strip() else None
        if kind is not None:
            yield Finding(
                WARNING,
                source,
                number,
                "reste de scraping",
                f"{REASONS[kind]} : « {line.strip()} »",
                "retirez cette ligne, qui vient de la page d’origine, pas du texte",
            )


def paragraphs(text: str) -> list[tuple[int, str]]:
    """(first line, normalised text) of each paragraph and each list item of the body."""
    found: list[tuple[int, str]] = []
    block: list[tuple[int, str]] = []

    def close() -> None:
        if block:
            joined = " ".join(_LIST_MARKER.sub("", line) for _, line in block)
            found.append((block[0][0], " ".join(joined.split())))
            block.clear()

    for number, line in enumerate(body(text).split("\n"), start=1):
        if not line.strip() or _LIST_MARKER.match(line):
            close()
        if line.strip():
            block.append((number, line))
    close()
    return found


def long_paragraphs(text: str) -> tuple[bytes, bytes]:
    """The paragraphs long enough to count as repeated, as the archive-wide check compares them:
    their lines (array "I") and the digests of their case-folded texts (16 bytes each), small
    enough to keep from one build to the next. Their words: `paragraph_starts`."""
    lines, digests = array("I"), []
    for number, paragraph in paragraphs(text):
        key = paragraph.casefold()
        if len(key) >= MIN_REPEATED_CHARS:
            lines.append(number)
            digests.append(hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).digest())
    return lines.tobytes(), b"".join(digests)


def paragraph_starts(text: str) -> dict[int, tuple[str, str]]:
    """line -> the first 50 characters of the long paragraph there, case-folded and as written:
    what a repetition's message quotes (read again from the text only for those)."""
    found = {}
    for number, paragraph in paragraphs(text):
        key = paragraph.casefold()
        if len(key) >= MIN_REPEATED_CHARS:
            found[number] = (key[:50], paragraph[:50])
    return found


def repetitions(
    articles: list[tuple[str, tuple[bytes, bytes], str]],
    starts: Callable[[str], dict[int, tuple[str, str]]],
    originals: dict[str, str] | None = None,
) -> Iterable[Finding]:
    """`articles`: (source, `long_paragraphs`, ISO date as written or "") of each article;
    `starts(source)`: its `paragraph_starts`; `originals`: each translation's original (sources)."""
    starts = functools.cache(starts)
    seen: dict[bytes, list[tuple[str, int]]] = defaultdict(list)
    for source, (lines, digests), _ in articles:
        counted: dict[bytes, int] = defaultdict(int)
        for at, number in enumerate(array("I", lines)):
            key = digests[16 * at : 16 * at + 16]
            counted[key] += 1
            if counted[key] == 2:
                yield Finding(
                    WARNING,
                    source,
                    number,
                    "paragraphe répété",
                    f"répété dans l’article : « {starts(source)[number][1]}… »",
                    "gardez-en un seul",
                )
            if counted[key] == 1:
                seen[key].append((source, number))
    copies = yield from copy_findings(seen, {source: written for source, _, written in articles}, originals)
    # A paragraph a translation keeps as its original has it (a quotation, a name) is no repetition.
    translated = {
        pair
        for translation, original in (originals or {}).items()
        for pair in ((translation, original), (original, translation))
    }
    for places in seen.values():
        if len(places) > 1:
            for source, number in places:
                # A paragraph shared only with the article it copies (or that copies it) is in
                # that one « copie de » finding.
                others = [
                    other
                    for other, _ in places
                    if other != source and (source, other) not in copies and (source, other) not in translated
                ]
                if not others:
                    continue
                yield Finding(
                    WARNING,
                    source,
                    number,
                    "paragraphe répété",
                    f"aussi dans {', '.join(others)} : « {starts(places[0][0])[places[0][1]][0]}… »",
                    "gardez-le dans un seul article, ou liez l’autre",
                )


# An article is a copy of another when at least half of its long paragraphs are in it.
COPY_SHARE = 0.5


def written_on(text: str) -> str:
    """The article's `Date` (else `Modified`) as written, if it is an ISO date; else ""."""
    values = {entry.key.casefold(): entry.value for entry in read_header(text)}
    written = values.get("date") or values.get("modified") or ""
    return written if re.match(r"\d{4}-\d\d-\d\d", written) else ""


def copy_findings(
    seen: dict[bytes, list[tuple[str, int]]],
    written_on: dict[str, str],
    originals: dict[str, str] | None = None,
) -> Iterable[Finding]:
    """One finding for an article that copies another, instead of one per shared paragraph.

    `seen`: each long paragraph with the (source, line) of the articles that hold it;
    `written_on`: each article's ISO date, if any; `originals`: each translation's original.
    Returns (as the generator's value) the pairs of articles found to be copies, both ways round."""
    originals = originals or {}
    long_paragraphs: dict[str, int] = defaultdict(int)
    shared: dict[tuple[str, str], list[int]] = defaultdict(list)  # (copy, original) -> lines in the copy
    for places in seen.values():
        for source, _ in places:
            long_paragraphs[source] += 1
        for source, number in places:
            for other, _ in places:
                if other != source:
                    shared[(source, other)].append(number)
    copies: set[tuple[str, str]] = set()
    for (source, other), lines in shared.items():
        share, other_share = len(lines) / long_paragraphs[source], len(lines) / long_paragraphs[other]
        # Of two articles that copy each other, the one most made of the other is the copy;
        # of two identical ones, the later (by date, then by name: « x-2.md », a draft).
        later = (written_on.get(source, ""), source) > (written_on.get(other, ""), other)
        is_copy = share > other_share or (share == other_share and later)
        # A translation that still holds its original's text is not translated yet: it is the
        # one to rework, whatever the dates (deleting the original would be the wrong advice).
        untranslated = originals.get(source) == other
        if originals.get(other) == source:
            is_copy = False
        elif untranslated:
            is_copy = True
        if len(lines) < 2 or share < COPY_SHARE or not is_copy or (source, other) in copies:
            continue
        copies |= {(source, other), (other, source)}
        counted = f"{len(lines)} paragraphe(s) sur {long_paragraphs[source]} y sont déjà"
        if untranslated:
            message = f"traduction de {other} qui en reprend le texte : {counted}"
            fix = "traduisez-la, ou retirez-la jusqu’à ce qu’elle le soit"
        else:
            message = f"copie de {other} : {counted}"
            fix = "gardez un seul des deux articles : supprimez celui-ci, ou réécrivez-le"
        yield Finding(WARNING, source, min(lines), "copie", message, fix)
    return copies


def image_findings(source: str, text: str, html: str) -> Iterable[Finding]:
    """Images of the article's HTML without an `alt`: screen readers then read the address."""
    for tag in _IMG.findall(html):
        if re.search(r"\balt\s*=", tag, re.IGNORECASE):
            continue
        src = _SRC.search(tag)
        shown = src.group(1) if src else tag
        yield Finding(
            WARNING,
            source,
            line_containing(text, shown),
            "image sans alt",
            f"l’image {shown} n’a pas de texte de remplacement (alt)",
            'ajoutez alt="…" qui dit ce que montre l’image',
        )
