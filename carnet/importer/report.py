"""The import's report: for each file, what was found and how surely, what was removed,
what is left for the author to decide; in French, or as JSON for machines."""

import json
import os
from itertools import groupby
from pathlib import Path
from typing import Any

from .archive import Copy
from .model import Finding, Removal
from .pipeline import Draft, ImportResult
from .structure import REPEAT

# From this many paragraphs repeated in a row, the report says « a copy of the text », once.
MIN_COPY_RUN = 3


def _shown(path: Path | None) -> str | None:
    """A path as the author typed it: relative to the current folder when inside it."""
    if path is None:
        return None
    try:
        return os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)
    except ValueError:  # another drive
        return str(path)


def _finding(finding: Finding | None) -> dict[str, Any] | None:
    if finding is None:
        return None
    return {"value": finding.value, "confidence": finding.confidence, "origin": finding.origin}


def file_report(result: ImportResult) -> dict[str, Any]:
    report: dict[str, Any] = {
        "source": str(result.source),
        "draft": _shown(result.path),
        "error": result.error,
    }
    draft = result.draft
    if draft is None:
        return report
    meta = draft.metadata
    report.update(
        encoding=draft.encoding,
        kind=meta.kind,
        title=_finding(meta.title),
        subtitle=_finding(meta.subtitle),
        date=_finding(meta.date),
        author=_finding(meta.author),
        summary=_finding(meta.summary),
        resume={"points": len(draft.body.resume), "source": "auteur"} if draft.body.resume else None,
        tags={
            "source": list(meta.tags),
            "suggested": [
                {"key": s.key, "label": s.label, "mentions": s.mentions, "forms": list(s.seen)}
                for s in draft.suggestions
            ],
        },
        removed=[
            {"line": removal.line, "text": removal.text, "reason": removal.reason, "kind": removal.kind}
            for removal in draft.removals
            if removal.kind != "résumé"  # the points are in the ::: résumé block
        ],
        undecided=list(draft.notes),
        copy_of=_copy(draft.copy_of),
    )
    return report


def _copy(copy: Copy | None) -> dict[str, Any] | None:
    if copy is None:
        return None
    return {"article": _shown(copy.article), "shared": copy.shared, "paragraphs": copy.total}


def copy_line(copy: Copy) -> str:
    return (
        f"Copie de {_shown(copy.article)} : {copy.shared} paragraphe(s) sur {copy.total} y sont déjà. "
        "Supprimez ce brouillon s’il n’apporte rien de neuf."
    )


def as_json(results: list[ImportResult], out: Path, notes: list[str]) -> str:
    failed = [result for result in results if result.error]
    data = {
        "drafts_dir": _shown(out),
        "imported": len(results) - len(failed),
        "failed": len(failed),
        "notes": notes,
        "files": [file_report(result) for result in results],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def _line(label: str, finding: Finding | None, missing: str) -> str:
    if finding is None:
        return f"  {label} : {missing}"
    return f"  {label} : « {finding.value} » — {finding.confidence} ({finding.origin})"


def _draft_lines(draft: Draft) -> list[str]:
    meta = draft.metadata
    lines = [
        _line("Titre", meta.title, "aucun dans la source — marqué [TITRE À TROUVER], Title_missing: oui"),
        _line("Date", meta.date, f"aucune dans la source — Modified: {draft.today.isoformat()}"),
        _line("Auteur", meta.author, "aucun dans la source — marqué [AUTEUR À TROUVER], Author_missing: oui"),
    ]
    if meta.subtitle:
        lines.append(_line("Sous-titre", meta.subtitle, ""))
    if meta.summary:
        lines.append(_line("Résumé de la source (Summary)", meta.summary, ""))
    if draft.body.resume:
        lines.append(
            f"  Résumé : {len(draft.body.resume)} point(s) de l’auteur, en bloc ::: résumé "
            "(Resume_source: auteur)"
        )
    else:
        lines.append("  Résumé : aucun « Cet article en résumé » dans la source")
    if meta.tags:
        lines.append(f"  Étiquettes de la source (Tags) : {', '.join(meta.tags)}")
    if draft.suggestions:
        proposed = ", ".join(f"{s.label} ({s.mentions} mention(s))" for s in draft.suggestions)
        lines.append(f"  Étiquettes suggérées, à confirmer (Tags_suggested) : {proposed}")
    if draft.encoding != "utf-8":
        lines.append(f"  Encodage : {draft.encoding} (converti en UTF-8)")
    if draft.copy_of:
        lines.append(f"  {copy_line(draft.copy_of)}")
    removed = [removal for removal in draft.removals if removal.kind != "résumé"]
    if removed:
        lines.append(f"  Retiré ({len(removed)} ligne(s), à remettre si besoin) :")
        lines.extend(_removed_lines(removed))
    else:
        lines.append("  Retiré : rien")
    if draft.notes:
        lines.append("  À décider :")
        lines.extend(f"    - {note}" for note in draft.notes)
    return lines


def _removed_lines(removed: list[Removal]) -> list[str]:
    """One line per removed line; a run of paragraphs that the page repeated (a second copy
    of the text) in one line, with its first and last words."""
    lines = []
    for repeated, group in groupby(removed, key=lambda removal: removal.kind == REPEAT):
        run = list(group)
        paragraphs = len({removal.reason for removal in run})
        if repeated and paragraphs >= MIN_COPY_RUN:
            first, last = run[0], run[-1]
            lines.append(
                f"    l. {first.line}–{last.line} copie du texte répétée par la page : {paragraphs} "
                f"paragraphes déjà plus haut, de « {_cut(first.text, 40)} » à « {_cut(last.text, 40)} »"
            )
        else:
            lines.extend(f"    l. {r.line:<4} {r.reason} : « {_cut(r.text)} »" for r in run)
    return lines


def _cut(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def as_text(results: list[ImportResult], out: Path, notes: list[str]) -> str:
    lines = []
    for result in results:
        if result.error:
            lines.append(f"✘ {result.error}")
            continue
        lines.append(f"✔ {result.source} → {_shown(result.path)}")
        lines.extend(_draft_lines(result.draft))
        lines.append("")
    lines.extend(f"Note : {note}" for note in notes)
    failed = sum(1 for result in results if result.error)
    written = len(results) - failed
    summary = f"Bilan : {written} brouillon(s) écrit(s) dans {_shown(out)}"
    if failed:
        summary += f", {failed} fichier(s) non importé(s)"
    lines.append(summary + ".")
    return "\n".join(lines)
