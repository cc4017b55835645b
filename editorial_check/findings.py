"""What the check finds, and how serious each kind is."""

from dataclasses import asdict, dataclass

ERROR, WARNING, NOTE = "erreur", "avertissement", "remarque"


@dataclass(frozen=True, order=True)
class Finding:
    severity: str
    file: str
    line: int | None
    kind: str
    message: str

    def as_json(self) -> dict:
        return asdict(self)


def exit_code(findings: list[Finding], strict: bool) -> int:
    """Errors always fail; warnings fail with --strict; notes never do."""
    serious = {ERROR, WARNING} if strict else {ERROR}
    return 1 if any(finding.severity in serious for finding in findings) else 0
