"""The check's report: a French table for people, JSON for machines."""

import json
from collections import Counter

from rich.console import Console
from rich.table import Table

from .findings import ERROR, NOTE, WARNING, Finding

ORDER = {ERROR: 0, WARNING: 1, NOTE: 2}
STYLES = {ERROR: "bold red", WARNING: "yellow", NOTE: "dim"}


def sorted_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (ORDER[f.severity], f.file, f.line or 0, f.kind, f.message))


def summary(findings: list[Finding]) -> dict[str, int]:
    counts = Counter(finding.severity for finding in findings)
    return {"erreurs": counts[ERROR], "avertissements": counts[WARNING], "remarques": counts[NOTE]}


def as_json(findings: list[Finding], articles: int) -> str:
    data = {
        "articles": articles,
        "summary": summary(findings),
        "findings": [finding.as_json() for finding in sorted_findings(findings)],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def print_table(findings: list[Finding], articles: int, console: Console | None = None) -> None:
    console = console or Console()
    counts = summary(findings)
    if findings:
        table = Table(title="Bilan éditorial du carnet", show_lines=False)
        for column in ("Gravité", "Fichier", "Ligne", "Type", "Problème"):
            table.add_column(column, overflow="fold")
        for finding in sorted_findings(findings):
            table.add_row(
                finding.severity,
                finding.file or "—",
                str(finding.line or ""),
                finding.kind,
                finding.message,
                style=STYLES[finding.severity],
            )
        console.print(table)
    console.print(
        f"{articles} articles vérifiés : {counts['erreurs']} erreur(s), "
        f"{counts['avertissements']} avertissement(s), {counts['remarques']} remarque(s)."
    )
