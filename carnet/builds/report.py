"""What a build found, gathered while Pelican runs, and said to the author in French.

`invoke build`, `invoke build --strict` and `invoke check` all run Pelican with this
collector, so they report the same findings from the same rules.
"""

import json
import logging
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import blinker

from carnet.review.findings import ERROR, NOTE, WARNING, Finding

from .messages import READ_FAILURE, finding_of

WIDTH = 80
ORDER = {ERROR: 0, WARNING: 1, NOTE: 2}


@dataclass(frozen=True)
class Held:
    """An article not published by this build, and why."""

    file: str
    url: str
    was_live: bool
    reasons: tuple[str, ...]


@dataclass
class BuildReport:
    findings: list[Finding] = field(default_factory=list)
    held: list[Held] = field(default_factory=list)
    articles: int = 0
    pages: int = 0
    tag_keys: set[str] = field(default_factory=set)  # the tag map entries the articles use

    @property
    def held_files(self) -> set[str]:
        return {held.file for held in self.held}

    def blocking(self) -> list[Finding]:
        """Errors that are not about one held-back article: they fail the whole build."""
        return [f for f in self.findings if f.severity == ERROR and f.file not in self.held_files]

    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    def failed(self, strict: bool) -> bool:
        """True: this build must not go live."""
        return bool(self.blocking() or (strict and (self.warnings() or self.held)))

    def as_json(self) -> str:
        data = {
            "findings": [f.as_json() for f in self.findings],
            "held": [held.__dict__ | {"reasons": list(held.reasons)} for held in self.held],
            "articles": self.articles,
            "pages": self.pages,
        }
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "BuildReport":
        data = json.loads(text)
        return cls(
            findings=[Finding(**f) for f in data["findings"]],
            held=[Held(h["file"], h["url"], h["was_live"], tuple(h["reasons"])) for h in data["held"]],
            articles=data["articles"],
            pages=data["pages"],
        )


class Collector(logging.Handler):
    """Every warning and error logged during one Pelican run, as findings."""

    def __init__(self, content: Path):
        super().__init__(level=logging.WARNING)
        self.content = Path(content)
        self.report = BuildReport()
        self._seen: set[Finding] = set()

    def emit(self, record):
        finding = finding_of(record, self.content)
        if finding is None or finding in self._seen:
            return
        if finding.kind == READ_FAILURE and any(
            f.file == finding.file and f.severity == ERROR for f in self._seen
        ):
            return  # « Could not process » after the reason was given
        self._seen.add(finding)
        self.report.findings.append(finding)
        if finding.kind == READ_FAILURE and finding.file not in self.report.held_files:
            self.report.held.append(Held(finding.file, "", False, (finding.message,)))

    def on_held_back(self, held_back, **_):
        for item in held_back:
            self.report.held.append(Held(item.file, item.url, item.was_live, tuple(item.reasons)))

    def on_notes(self, notes, **_):
        self.report.findings.extend(Finding(*note) for note in notes)

    def on_counts(self, counts, **_):
        self.report.articles = counts.get("articles", self.report.articles)
        self.report.pages = counts.get("pages", self.report.pages)
        self.report.tag_keys |= set(counts.get("tag_keys", ()))

    def __enter__(self):
        # Warnings and errors are said by the report, in French and in place; notices below
        # them (a kept file set aside) still show as they come.
        self._shown_handlers = logging.getLogger().handlers[:]
        for handler in self._shown_handlers:
            handler.addFilter(_below_warning)
        logging.getLogger().addHandler(self)
        blinker.signal("carnet.held_back").connect(self.on_held_back)
        blinker.signal("carnet.site_counts").connect(self.on_counts)
        blinker.signal("carnet.notes").connect(self.on_notes)
        return self

    def __exit__(self, *exc):
        logging.getLogger().removeHandler(self)
        for handler in self._shown_handlers:
            handler.removeFilter(_below_warning)
        blinker.signal("carnet.held_back").disconnect(self.on_held_back)
        blinker.signal("carnet.site_counts").disconnect(self.on_counts)
        blinker.signal("carnet.notes").disconnect(self.on_notes)
        self.report.findings.sort(key=in_order)
        return False


def _below_warning(record: logging.LogRecord) -> bool:
    return record.levelno < logging.WARNING


def in_order(finding: Finding) -> tuple:
    return (ORDER[finding.severity], finding.file, finding.line or 0, finding.kind, finding.message)


def wrapped(first: str, indent: str = "    ") -> list[str]:
    """`first` within 80 columns, its own line breaks kept (a message laid out one item a
    line stays so), each following line indented by `indent`."""
    # No-break spaces inside « » (as French typesetting wants): a line never starts with ».
    first = first.replace("« ", "«\u00a0").replace(" »", "\u00a0»")
    lines = []
    for number, part in enumerate(first.split("\n")):
        lead = part[: len(part) - len(part.lstrip(" "))]
        start = lead if number == 0 else indent + lead
        # A path is never cut (editors follow `file:line`): a longer one than the line stands alone.
        lines += textwrap.wrap(
            part.strip(" "),
            WIDTH,
            initial_indent=start,
            subsequent_indent=indent if number == 0 else start + "  ",
            break_on_hyphens=False,
            break_long_words=False,
        )
    return lines or [""]


def finding_lines(finding: Finding) -> list[str]:
    """« articles/x.md:3: erreur : … », then « → the fix », within 80 columns."""
    place = finding.where() if finding.file else "construction"
    lines = wrapped(f"{place}: {finding.severity} : {finding.message}")
    if finding.fix:
        lines += wrapped(f"    → {finding.fix}", indent="      ")
    return lines


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count <= 1 else many}"


def held_lines(report: BuildReport) -> list[str]:
    if not report.held:
        return []
    count = len(report.held)
    published = "publié" if count <= 1 else "publiés"
    lines = [f"{plural(count, 'article retenu', 'articles retenus')}, non {published} :"]
    for held in sorted(report.held, key=lambda h: h.file):
        why = " ; ".join(dict.fromkeys(held.reasons))
        lines += wrapped(f"  {held.file} : {why}", indent="      ")
        if held.was_live:
            lines += wrapped(
                f"      était en ligne à /{held.url}, retiré de cette construction", indent="      "
            )
    return lines


def counts_line(report: BuildReport) -> str:
    return (
        f"{plural(report.articles, 'article', 'articles')}, {plural(report.pages, 'page', 'pages')}, "
        f"{plural(len(report.warnings()), 'avertissement', 'avertissements')}, "
        f"{plural(len(report.held), 'article retenu', 'articles retenus')}"
    )


def report_lines(report: BuildReport) -> list[str]:
    """Every problem, then the held-back articles: what the author reads before the last line.
    Notes (an article without a résumé…) are for `invoke check`."""
    problems = [finding for finding in report.findings if finding.severity != NOTE]
    lines = [line for finding in problems for line in finding_lines(finding)]
    return lines + held_lines(report)
