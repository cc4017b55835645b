"""One build of the site, start to finish: skip it when nothing changed, otherwise build
into a fresh folder from what the live build already holds, and make it live at once.

    .site/builds/<id>/inputs.json         digest of what the build read
    .site/builds/<id>/render-manifest.json   key of every page (plugins/incremental)
    .site/cache/<code digest>/            Pelican's content cache, per settings and code
    .site/sources.pickle                  each content file's digest, by its status
    .site/code-digest.json                the code's digest, by the status of its files
"""

import contextlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from pelican.settings import read_settings

from .area import BuildArea
from .inputs import build_digest, inputs_digest
from .keep_times import keep_times
from .kept import atomic_file, notice_unreadable, remove_kept, remove_leftovers
from .pelican_cache import CHECKSUM_METHOD
from .report import BuildReport
from .runner import refuse_links_out, run_pelican, show_messages, sources_found
from .source_digests import SourceDigests
from .sources import forget_code_digests

INPUTS_FILE = "inputs.json"
CHANGED_DURING_BUILD = "+changé pendant la construction"
# What the build found (builds/report.py): said again when nothing changed since.
REPORT_FILE = "report.json"
# Content caches kept: one per settings file in use (build and publish), the newest first.
CACHES_KEPT = 2
SOURCES_FILE = "sources.pickle"
CODE_DIGEST_FILE = "code-digest.json"


@dataclass
class BuildResult:
    folder: Path
    changed: bool  # False: nothing had changed, the live build stays
    report: BuildReport


def build_site(
    root: Path,
    settings_file: Path,
    strict: bool = False,
    full: bool = False,
    overrides: dict | None = None,
    on_wait=None,
    code_digest=build_digest,
    sources: SourceDigests | None = None,
) -> BuildResult:
    """Build the site under `root` (output/, search-index/, .site/) atomically.

    `full` ignores the live build and the content cache: every page is read and rendered.
    Raises BuildFailed (a link out of content/, or what Pelican reported) or
    KeyboardInterrupt, leaving the live build as it was. `code_digest` gives build_digest's
    value, and `sources` the content files' digests as the previous build left them
    (livereload keeps both in memory; by default they are read from .site/)."""
    root, settings_file = Path(root), Path(settings_file)
    overrides = dict(overrides or {})
    show_messages()
    forget_code_digests()  # the code may have changed since the last build in this process
    area = BuildArea(root)
    with area.lock(on_wait=on_wait):
        settings = read_settings(str(settings_file), override=overrides)
        refuse_links_out(Path(settings["PATH"]), root, settings)
        settings_files = sorted({settings_file, settings_file.with_name("pelicanconf.py")})
        if full:  # the code is read again too, and its record made anew
            remove_kept(area.state / CODE_DIGEST_FILE)
        code = code_digest(
            [p for p in settings_files if p.exists()],
            settings,
            {"settings": settings_file.name, "strict": strict, **overrides},
            kept=area.state / CODE_DIGEST_FILE,
        )
        if sources is None:
            sources = SourceDigests() if full else SourceDigests.load(area.state / SOURCES_FILE)
        inputs = inputs_digest(code, Path(settings["PATH"]), sources)
        with contextlib.suppress(OSError):  # it only saves reading the files again
            sources.save(area.state / SOURCES_FILE)
        live = None if full else area.live_build()
        if live is not None and read_inputs(live).get("inputs") == inputs and (live / "output").is_dir():
            # What it found is said again; without it (damaged), the site is built again to say it.
            report = read_report(live)
            if report is not None:
                area.link_published_names()  # a build killed while it switched may have left them out
                return BuildResult(live, changed=False, report=report)
        # A full build starts from nothing, folders too.
        folder = area.new_build(reusable=None if full else lambda spare: made_with(spare, code))
        try:  # from here a failure or a stopped build (a new save) leaves no folder behind
            incremental = {
                "INCREMENTAL_BUILD": str(folder),
                "INCREMENTAL_PREVIOUS_BUILD": str(live) if live else None,
                "SEARCH_PREVIOUS_INDEX_PATH": str(live / "search-index") if live else None,
                # What is online now, --full or not: a held-back article that was there is said to go.
                "REVIEW_LIVE_BUILD": str(area.live_build() or ""),
            }
            cache = content_cache(area.state / "cache", code, fresh=full)
            # The build's folder holds no file: Pelican's emptying it (publishconf.py) would only
            # remove the spare's folders, to make them again.
            incremental["DELETE_OUTPUT_DIRECTORY"] = False
            # Made in the spare's folders: the plugin clears those in the way of a file (area.make_way).
            incremental["INCREMENTAL_REUSED_FOLDERS"] = area.reused(folder)
            # These name this build's folders (and the runner adds its own): the pages do not depend on them.
            incremental["BUILD_VOLATILE_SETTINGS"] = sorted([*incremental, "CACHE_PATH"])
            incremental.update(cache)
            report = run_pelican(
                settings_file,
                folder,
                strict=strict,
                overrides={**overrides, **incremental},
                file_stamps=sources.pelican_stamps(),
                first_seen=sources.listed,
            )
            if sources.changed_since(Path(settings["PATH"]), sources_found()):
                # A file was written during the build, which may hold its bytes of any moment:
                # the next build must not find it « unchanged » if it ends as it began.
                inputs += CHANGED_DURING_BUILD
            # Unchanged files keep their time: nginx's validators (mtime-size) survive the build.
            published = area.live_build()
            if published is not None and (published / "output").is_dir():
                keep_times(folder / "output", published / "output")
        except BaseException:
            area.discard(folder)
            raise
        # Held-back articles do not stop the rest of the site from going live (a typo in a new
        # article must not hold back a fix elsewhere); the caller still exits non-zero.
        with atomic_file(folder / REPORT_FILE) as handle:
            handle.write(report.as_json().encode())
        with atomic_file(folder / INPUTS_FILE) as handle:
            handle.write(json.dumps({"inputs": inputs, "code": code}).encode())
        area.publish(folder)
    return BuildResult(folder, changed=True, report=report)


def read_inputs(build: Path) -> dict:
    """What `build` was made from: its inputs digest (« inputs ») and its code digest (« code »);
    nothing from a build that did not say."""
    path = build / INPUTS_FILE
    if not path.is_file():
        return {}  # a build from before this file existed, or a livereload fast step's
    try:
        kept = json.loads(path.read_text("utf-8"))
        if not isinstance(kept, dict):
            raise ValueError("pas un dictionnaire")
        return kept
    except (OSError, ValueError) as error:
        notice_unreadable(path, error, "le site est reconstruit")
        return {}


def made_with(build: Path, code: str) -> bool:
    """Whether `build` was made under the code digest `code` (the same settings and plugins)."""
    try:
        return json.loads((build / INPUTS_FILE).read_text("utf-8")).get("code") == code
    except (OSError, ValueError, AttributeError):
        return False


def forget_inputs(build: Path) -> None:
    """`build` no longer claims its inputs digest (its pages were changed in place): the next
    build always runs. Its code digest stays, for that build to reuse the spare's folders."""
    code = read_inputs(build).get("code")
    path = build / INPUTS_FILE
    if code is None:
        path.unlink(missing_ok=True)
        return
    with atomic_file(path) as handle:
        handle.write(json.dumps({"code": code}).encode())


def read_report(build: Path) -> BuildReport | None:
    """What `build` found, or None when its report is gone or cannot be read back."""
    path = build / REPORT_FILE
    if not path.exists():
        return None
    try:
        return BuildReport.from_json(path.read_text("utf-8"))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        notice_unreadable(path, error, "le site est reconstruit")
        return None


def content_cache(caches: Path, code: str, fresh: bool) -> dict:
    """Pelican's reader cache, in a folder per code digest: changed settings or plugins
    never meet pages read by other ones. Checksums, not dates, say what changed."""
    folder = caches / code
    if fresh:
        shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    remove_leftovers(folder)
    os.utime(folder)
    others = sorted((p for p in caches.iterdir() if p != folder), key=lambda p: p.stat().st_mtime)
    for old in others[: max(0, len(others) - (CACHES_KEPT - 1))]:
        shutil.rmtree(old, ignore_errors=True)
    return {
        "CACHE_PATH": str(folder),
        "CACHE_CONTENT": True,
        "LOAD_CONTENT_CACHE": True,
        "CONTENT_CACHING_LAYER": "reader",
        "CHECK_MODIFIED_METHOD": CHECKSUM_METHOD,
        "GZIP_CACHE": False,  # compressing takes longer than reading the bigger file
    }
