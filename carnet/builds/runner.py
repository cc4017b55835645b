"""Run Pelican into a build folder, failing on errors (or warnings, when strict)."""

import contextlib
import logging
import os
import sys
from pathlib import Path

import blinker
from pelican import Pelican, signals
from pelican.log import FatalLogger, LimitFilter
from pelican.log import console as pelican_console
from pelican.log import init as init_logging
from pelican.settings import read_settings

from carnet.review.findings import ERROR, Finding
from carnet.search.garbage import fewer_collections
from carnet.tagmap.config import setting as tag_map_setting

from .content_links import refused_places
from .messages import exception_finding
from .pelican_cache import prepare_content_cache
from .read_ahead import ReadAhead
from .report import BuildReport, Collector, in_order
from .sources import forget_code_digests
from .texts_read import forget_kept_texts

# Sent with the build folder when a build fails; plugins may listen (carnet.build_failed).
BUILD_FAILED = blinker.signal("carnet.build_failed")
# The content files Pelican found in the last build (read, or failed to), by absolute path: a
# file made and removed while the build ran is in none of the build's listings of content/.
_sources_found: set[str] = set()


def _remember_sources(generators) -> None:
    _sources_found.clear()
    for generator in generators[:1]:  # the generators share one context
        base = generator.settings["PATH"]
        for key in ("generated_content", "static_content"):
            names = generator.context.get(key, {})
            _sources_found.update(os.path.abspath(os.path.join(base, name)) for name in names)


signals.all_generators_finalized.connect(_remember_sources, weak=False)


def sources_found() -> set[str]:
    """The content files the last build's Pelican found (read, or failed to read)."""
    return set(_sources_found)


class BuildFailed(RuntimeError):
    """Pelican or a plugin reported a problem; the message says which, `report` what was found."""

    def __init__(self, message: str, report: BuildReport | None = None):
        super().__init__(message)
        self.report = report


# The authors' biographies, a file of content/ that Pelican ignores but the project reads (as
# the tag map): its setting, with its plugin's default (the plugin's own room is not importable).
AUTHOR_PROFILES = ("AUTHOR_PROFILES_FILE", "auteurs.toml")


def refuse_links_out(content: Path, root: Path, settings: dict | None = None) -> None:
    """Raise BuildFailed, each refused entry an error, when something under `content` leads
    out of it (builds/content_links.py; `settings` say which names Pelican ignores, and which
    of those the project reads itself). Before Pelican or any digest reads content/: a named
    pipe would make them wait forever. `invoke build` and `invoke check` both call it."""
    settings = settings or {}
    read_anyway = [tag_map_setting(settings, "TAG_MAP_FILE"), settings.get(*AUTHOR_PROFILES)]
    refused = refused_places(Path(content), Path(root), settings.get("IGNORE_FILES", ()), read_anyway)
    if not refused:
        return
    findings = [Finding(ERROR, path, None, "lien hors de content", problem) for path, problem in refused]
    findings.sort(key=in_order)
    raise BuildFailed(
        "un fichier de content/ ne peut pas être publié (voir ci-dessus)", BuildReport(findings)
    )


def show_messages() -> None:
    """A log handler from the start, so that what the build says before Pelican runs (a kept
    file set aside) shows as what it says during the run. Plain lines, not Pelican's table
    of time, level and Python file: the author reads `file : what happened`."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(message)s"))
    init_logging(level=logging.WARNING, name="pelican", handler=handler)


def run_pelican(
    settings_file: Path,
    build: Path,
    strict: bool = False,
    overrides: dict | None = None,
    listener: logging.Handler | None = None,
    file_stamps: dict | None = None,
    first_seen: dict | None = None,
) -> BuildReport:
    """Build the site into `build`/output and its index into `build`/search-index, and
    return what was found. Every problem is gathered (none stops the run at once); then
    an error that is not one held-back article's, or with `strict` any warning or
    held-back article, raises BuildFailed. `listener` also hears every log record of
    the run, as it was logged (the tests read Pelican's and the plugins' own words).
    `file_stamps`: content files' checksums already taken, `first_seen` the status of each
    when the build listed it (source_digests.py).

    Unlike `pelican` on the command line, an interrupted build raises instead of
    returning normally, so that the caller never publishes half a site."""
    prepare_content_cache(file_stamps, first_seen)
    init_logging(level=logging.WARNING, name="pelican")
    FatalLogger.fatal_lvl = logging.CRITICAL + 1  # nothing stops the run: everything is reported
    # Pelican drops a warning it has already logged in this process: livereload's next
    # build, or `invoke check` then a build in one process, would lose it.
    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()
    folders = {"OUTPUT_PATH": str(build / "output"), "SEARCH_INDEX_PATH": str(build / "search-index")}
    override = {**folders, **(overrides or {})}
    # The settings that name this build's folders, for the page keys to leave out (plugins/incremental).
    override["BUILD_VOLATILE_SETTINGS"] = sorted({*override.get("BUILD_VOLATILE_SETTINGS", ()), *folders})
    settings = read_settings(str(settings_file), override=override)
    collector = Collector(Path(settings["PATH"]))
    try:
        # ReadAhead: the articles are read on every core before Pelican reads them (READ_PROCESSES).
        with collector, without_pelican_summary(), listening(listener), ReadAhead(), fewer_collections():
            Pelican(settings).run()
        report = collector.report
        if report.failed(strict):
            raise BuildFailed(failure_reason(report, strict), report)
    except BaseException as error:
        # Before the caller throws the build folder away: plugins stop what they run beside
        # the build (the search index process), so that nothing writes into it afterwards.
        BUILD_FAILED.send(str(build))
        if isinstance(error, BuildFailed | KeyboardInterrupt):
            raise
        # Said with the other findings, so that `invoke check` reports it too.
        report = collector.report
        finding = exception_finding(error, Path(settings_file).resolve().parent)
        report.findings.append(finding)
        raise BuildFailed(finding.message, report) from error
    finally:
        forget_kept_texts()
        forget_code_digests()
    return report


@contextlib.contextmanager
def listening(handler: logging.Handler | None):
    """`handler` on the root logger for the run; added after the collector, so that the
    collector's hiding of warnings from the console does not apply to it."""
    if handler is not None:
        logging.getLogger().addHandler(handler)
    try:
        yield
    finally:
        if handler is not None:
            logging.getLogger().removeHandler(handler)


@contextlib.contextmanager
def without_pelican_summary():
    """Pelican prints « Done: Processed 6 articles… » in English on its console, which its
    log handler shares; the caller says it in French (builds/report.py), the rest passes."""
    original = pelican_console.print

    def print_(*objects, **options):
        if not (objects and str(objects[0]).startswith("Done: Processed")):
            original(*objects, **options)

    pelican_console.print = print_
    try:
        yield
    finally:
        pelican_console.print = original


def failure_reason(report: BuildReport, strict: bool) -> str:
    if report.blocking():
        return "une erreur empêche de construire le site (voir ci-dessus)"
    return "--strict : un avertissement ou un article retenu suffit à refuser la construction"
