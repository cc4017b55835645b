"""What the check finds, and how serious each kind is: the build's own findings."""

from carnet.review.findings import ERROR, NOTE, WARNING, Finding

__all__ = ["ERROR", "NOTE", "WARNING", "Finding", "exit_code"]


def exit_code(findings: list[Finding], strict: bool) -> int:
    """Errors always fail (an article held back, or a site that cannot build); warnings
    fail with --strict, as `invoke build --strict` does; notes never do."""
    serious = {ERROR, WARNING} if strict else {ERROR}
    return 1 if any(finding.severity in serious for finding in findings) else 0
