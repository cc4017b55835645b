"""Find what would run as script in an article's HTML, and where its Markdown source says it.

Markdown lets raw HTML through: a `<script>`, an `onerror=` attribute or a `javascript:`
link in an article (or a résumé point) is live on the article and on every listing that
shows it. The rendered HTML says what is live; the source says on which line it was written.
"""

import re
from bisect import bisect_right
from dataclasses import dataclass

from bs4 import BeautifulSoup

# Schemes that run code when followed or loaded.
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
# Attributes that hold an address a browser follows or loads.
URL_ATTRIBUTES = (
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "cite",
    "longdesc",
)
# Browsers ignore ASCII whitespace and control characters in a URL: « java\tscript: » runs.
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20]+")
_FENCE = re.compile(r"^\s*(```|~~~)")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_HEADER_LINE = re.compile(r"^[A-Za-z][\w-]*:\s")


@dataclass(frozen=True)
class LiveScript:
    """One piece of live script: what it is (French, for the author) and how to find it."""

    message: str
    tag: str  # the element that carries it
    attribute: str | None = None  # None for a <script> element
    value: str | None = None  # the attribute's value, as rendered
    scheme: str | None = None  # for a script address

    def matches(self, element) -> bool:
        """Whether a raw HTML element of the source is the one that carries it."""
        if element.name != self.tag:
            return False
        return self.attribute is None or element.get(self.attribute) == self.value

    @property
    def needles(self) -> list[re.Pattern]:
        """What the source shows where Markdown, not raw HTML, wrote it, surest first: the
        address itself, then its scheme after `(` (a link) or `]:` (a reference)."""
        if self.scheme is not None:
            letters = r"[\x00-\x20]*".join(re.escape(char) for char in self.scheme)
            exact = re.compile(re.escape(self.value or ""), re.IGNORECASE)
            return [exact, re.compile(rf"(?:\(|\]:)\s*<?{letters}", re.IGNORECASE)]
        if self.attribute is not None:
            return [re.compile(rf"\b{re.escape(self.attribute)}\s*=", re.IGNORECASE)]
        return [re.compile(r"<script\b", re.IGNORECASE)]


def script_scheme(url: str) -> str | None:
    bare = _IGNORED_IN_URLS.sub("", url).casefold()
    return next((scheme for scheme in SCRIPT_SCHEMES if bare.startswith(scheme)), None)


# What any live script shows in HTML (lower-cased): a <script> tag, a frame's document,
# character references that may spell an address; once whitespace and control characters
# are taken out (as browsers take them out of addresses), a script or data: address.
# Event handlers are looked for apart. Plain substring tests: a regular expression over
# every article cost as much as the parse it spares.
_MAYBE_SCRIPT = (b"<script", b"srcdoc", b"&#", b"&colon;", b"&tab;", b"&newline;")
_MAYBE_ADDRESS = (b"script:", b"data:")
_IGNORED_IN_URL_BYTES = bytes(range(0x21))  # _IGNORED_IN_URLS's characters, as bytes
_NAME_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_:")
# What html.parser lets stand between an attribute's name and its « = »: white space, Unicode's
# too, which the quick look sees as « ? » (as any character beyond ASCII).
_BEFORE_EQUALS = frozenset(" \t\n\r\f\x0b\x1c\x1d\x1e\x1f?")


def may_hold_script(html: str) -> bool:
    """False only when `html` surely holds no live script: parsing every article at every
    build cost 1.7 s per 1 000 articles, and nearly none holds any."""
    if not html or "<" not in html:
        return False
    # HTML's tag and attribute names, its character references and the schemes are ASCII,
    # and their case is ASCII's: each other character becomes a « ? », which no marker holds
    # and which still parts two names, and the text is searched as bytes. As text, lower-cased
    # in full, the bench's 5 000 articles took twice as long, and a text that said
    # « description » was searched again for addresses.
    low = html.encode("ascii", "replace").lower()
    if any(marker in low for marker in _MAYBE_SCRIPT):
        return True
    bare = low.translate(None, _IGNORED_IN_URL_BYTES)
    if any(marker in bare for marker in _MAYBE_ADDRESS):
        return True
    return has_event_handler(low.decode("ascii"))


def has_event_handler(low: str) -> bool:
    """Whether an attribute name starting with « on » stands before one of the « = » of
    lower-cased `html`: prose has few « = », where a regular expression read every « on »."""
    at = low.find("=")
    while at != -1:
        end = at
        while end > 0 and low[end - 1] in _BEFORE_EQUALS:
            end -= 1
        start = end
        while start > 0 and low[start - 1] in _NAME_CHARACTERS:
            start -= 1
        if low.startswith("on", start) and start < end:
            return True
        at = low.find("=", at + 1)
    return False


def live_scripts(html: str) -> list[LiveScript]:
    """Every <script>, event-handler attribute and script address of `html`, in order."""
    found = []
    for element in BeautifulSoup(html or "", "html.parser").find_all(True):
        if element.name == "script":
            found.append(LiveScript("élément <script>", "script"))
            continue
        for attribute, value in element.attrs.items():
            name = attribute.casefold()
            if name.startswith("on"):
                message = f"attribut {name}= sur <{element.name}>"
                found.append(LiveScript(message, element.name, attribute, value))
            elif name == "srcdoc" and isinstance(value, str) and live_scripts(value):
                # A frame's whole document: its scripts run too (under the page's policy).
                message = f"script dans srcdoc= de <{element.name}>"
                found.append(LiveScript(message, element.name, attribute, value))
            elif name in URL_ATTRIBUTES and isinstance(value, str) and script_scheme(value):
                scheme = script_scheme(value)
                message = f"adresse {scheme} dans {name}= de <{element.name}>"
                found.append(LiveScript(message, element.name, attribute, value, scheme))
    return found


def blank_non_html(source: str) -> str:
    """The source with its metadata header, code blocks and code spans blanked out (the
    lines stay where they are): what they hold is shown as text, never run."""
    lines = source.splitlines()
    in_header = bool(lines) and bool(_HEADER_LINE.match(lines[0]))
    in_fence = False
    kept = []
    for line in lines:
        if in_header:
            in_header = bool(line.strip())
            kept.append("")
            continue
        if _FENCE.match(line):
            in_fence = not in_fence
            kept.append("")
            continue
        kept.append("" if in_fence else _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line))
    return "\n".join(kept)


def locate(source: str, scripts: list[LiveScript]) -> list[int | None]:
    """The source line of each script, in order: where the raw HTML element that carries it
    writes it, else the first place not yet taken that shows it (a Markdown link); None
    when neither does."""
    text = blank_non_html(source)
    starts = [0, *(match.end() for match in re.finditer("\n", text))]
    elements = [e for e in BeautifulSoup(text, "html.parser").find_all(True) if e.sourceline]
    taken_elements: set[int] = set()
    taken_offsets: set[int] = set()

    def line_of(offset: int) -> int:
        return bisect_right(starts, offset)

    located: list[int | None] = []
    for script in scripts:
        element = next((e for e in elements if id(e) not in taken_elements and script.matches(e)), None)
        if element is not None:
            taken_elements.add(id(element))
            offset = starts[element.sourceline - 1] + element.sourcepos
            if script.attribute is not None:  # an attribute may sit on a later line of its tag
                attribute = re.compile(rf"\b{re.escape(script.attribute)}\s*=", re.IGNORECASE)
                match = attribute.search(text, offset)
                offset = match.start() if match else offset
            located.append(line_of(offset))
            continue
        untaken = (m for needle in script.needles for m in needle.finditer(text))
        match = next((m for m in untaken if m.start() not in taken_offsets), None)
        if match is not None:
            taken_offsets.add(match.start())
        located.append(line_of(match.start()) if match else None)
    return located


def article_scripts(source: str, body_html: str, resume_html: str = "") -> list[tuple[int | None, str]]:
    """(line, message) of each live script in an article's body and résumé, in line order.

    The résumé's are placed first: its few points come first in the source, by habit, and
    an address in the body that is the beginning of one of the résumé's then finds its own."""
    if not (may_hold_script(body_html) or may_hold_script(resume_html)):
        return []
    resume, body = live_scripts(resume_html), live_scripts(body_html)
    scripts = [*resume, *body]
    found = zip(locate(source, scripts), (script.message for script in scripts), strict=True)
    return sorted(found, key=lambda item: (item[0] is None, item[0] or 0))
