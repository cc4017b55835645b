"""Put the pieces together: collect the archive, apply the rules, return the findings."""

from pathlib import Path

from .collect import collect
from .findings import Finding
from .rules import (
    leftover_findings,
    metadata_findings,
    repetition_findings,
    script_findings,
    unused_map_entries,
)


def check_archive(settings_file: Path, content: Path | None = None) -> tuple[list[Finding], int]:
    archive = collect(settings_file, content)
    findings: list[Finding] = [*archive.log_findings, *archive.page_findings]
    for article in archive.articles:
        findings.extend(metadata_findings(article))
        findings.extend(leftover_findings(article))
        findings.extend(script_findings(article))
    findings.extend(repetition_findings(archive.articles))
    findings.extend(unused_map_entries(*unused_tags(archive)))
    return sorted(set(findings), key=in_order), len(archive.articles)


def in_order(finding: Finding) -> tuple:
    """Findings with and without a line sort together (None cannot be compared with 2)."""
    return (finding.severity, finding.file, finding.line or 0, finding.kind, finding.message)


def unused_tags(archive) -> tuple[str, list[tuple[str, int | None]]]:
    """Map entries no article uses, when the tag map plugin and its file are there."""
    try:
        from plugins.tag_map.config import map_path
        from plugins.tag_map.mapfile import TagMapError, load_map
    except ImportError:
        return "", []
    path = map_path(archive.settings)
    try:
        tag_map = load_map(path)
    except TagMapError:
        return str(path), []  # the build already reported why
    if tag_map is None:
        return "", []
    unused = [(key, entry.line) for key, entry in tag_map.tags.items() if key not in archive.tag_keys_used]
    return str(path), unused
