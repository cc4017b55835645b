"""`invoke check`: the build's own run, into a scratch folder, and what it found.

The findings are those of `invoke build` (carnet/builds/report.py collects them from the same
rules, plugins/article_review), so the two never disagree; the check adds only notes
that do not concern the site's pages (tag map entries no article uses).
"""

import tempfile
from pathlib import Path

from carnet.builds.report import BuildReport
from carnet.builds.runner import BuildFailed, refuse_links_out, run_pelican

from .findings import NOTE, Finding


def check_archive(settings_file: Path, content: Path | None = None) -> tuple[list[Finding], int]:
    """(findings, number of articles looked at) for `content` (default: the settings' own)."""
    report = run_check(settings_file, content)
    notes = unused_map_entries(Path(settings_file), content, report.tag_keys)
    return [*report.findings, *notes], report.articles + len(report.held)


def run_check(settings_file: Path, content: Path | None = None) -> BuildReport:
    from pelican.settings import read_settings

    with tempfile.TemporaryDirectory(prefix="carnet-check-") as scratch:
        overrides = {"PATH": str(content)} if content is not None else {}
        try:
            # What `invoke build` refuses first, and Pelican must not read (a link to /etc/passwd).
            settings = read_settings(str(settings_file), override=overrides)
            project = Path(settings_file).resolve().parent
            refuse_links_out(Path(settings["PATH"]), project, settings)
            return run_pelican(Path(settings_file), Path(scratch), overrides=overrides)
        except BuildFailed as failure:
            if failure.report is None:
                raise
            return failure.report


def unused_map_entries(settings_file: Path, content: Path | None, used: set[str]) -> list[Finding]:
    """Map entries no published article uses: a note, not a problem of the site."""
    from pelican.settings import read_settings

    from carnet.tagmap.config import map_path
    from carnet.tagmap.mapfile import TagMapError, load_map

    settings = read_settings(str(settings_file), override={"PATH": str(content)} if content else {})
    path = map_path(settings)
    try:
        tag_map = load_map(path)
    except TagMapError:
        return []  # the build already said why
    if tag_map is None:
        return []
    return [
        Finding(
            NOTE,
            str(path),
            entry.line,
            "étiquette inutilisée",
            f"[tags.{key}] n’est utilisée par aucun article",
        )
        for key, entry in tag_map.tags.items()
        if key not in used
    ]
