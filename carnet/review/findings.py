"""A problem the build or `invoke check` finds, and how serious it is.

A named tuple: it compares and hashes by its values, so the same problem logged twice is
said once (carnet/builds/report.py), and it reads as JSON as it is (`as_json`).
"""

from typing import NamedTuple

# An article with an « erreur » is held back: not published, listed nowhere.
ERROR, WARNING, NOTE = "erreur", "avertissement", "remarque"


class Finding(NamedTuple):
    severity: str
    file: str
    line: int | None
    kind: str
    message: str
    fix: str = ""

    def as_json(self) -> dict:
        return self._asdict()

    def where(self) -> str:
        """`file:line`, as editors and terminals link it."""
        if not self.file:
            return "site"
        return f"{self.file}:{self.line}" if self.line else self.file


# Attached to a log record (extra={"finding": …}) so that the build's collector
# takes the finding as it is instead of reading the message.
LOG_KEY = "finding"
