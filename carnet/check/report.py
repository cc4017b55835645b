"""The check's report: the build's lines for people (carnet/builds/report.py), JSON for machines."""

import json
from collections import Counter

from carnet.builds.report import finding_lines, in_order, plural

from .findings import ERROR, NOTE, WARNING, Finding


def summary(findings: list[Finding]) -> dict[str, int]:
    counts = Counter(finding.severity for finding in findings)
    return {"erreurs": counts[ERROR], "avertissements": counts[WARNING], "remarques": counts[NOTE]}


def as_json(findings: list[Finding], articles: int) -> str:
    data = {
        "articles": articles,
        "summary": summary(findings),
        "findings": [finding.as_json() for finding in sorted(findings, key=in_order)],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def report_text(findings: list[Finding], articles: int) -> str:
    counts = summary(findings)
    lines = [line for finding in sorted(findings, key=in_order) for line in finding_lines(finding)]
    lines.append(
        f"{plural(articles, 'article vérifié', 'articles vérifiés')} : "
        f"{plural(counts['erreurs'], 'erreur', 'erreurs')}, "
        f"{plural(counts['avertissements'], 'avertissement', 'avertissements')}, "
        f"{plural(counts['remarques'], 'remarque', 'remarques')}."
    )
    return "\n".join(lines)
