"""The code's digest (sources.py), kept in .site/ from one build to the next.

Working it out reads the plugins and the carnet/ modules they reach, parses their imports,
reads the theme and every installed distribution's metadata: 0.27 s of every build at
5 000 articles, one where « Rien n'a changé » included. It is kept with the status of every
file under carnet/, the plugin folders and the theme (a superset of what it reads: a change
anywhere there works it out again, to the same value if the change does not count), and of
the folders Python finds distributions in (one is installed, upgraded or removed). A file
changed less than RACY_NS before the digest was kept could change again unseen within its
clock's tick: nothing is kept then, and the next build works the digest out again.
"""

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from .kept import atomic_file, notice_unreadable, remove_kept
from .page_code import PACKAGE_DIR
from .source_digests import RACY_NS, files_under, status_of

FORMAT = 1


def watched(settings: dict) -> dict[str, list[int]]:
    """The status of each file the code's digest may depend on, by path."""
    roots = [PACKAGE_DIR, *map(Path, settings.get("PLUGIN_PATHS", [])), Path(settings["THEME"])]
    statuses = {path: list(status) for root in roots for _, path, status in files_under(root)}
    for entry in sys.path:  # where importlib.metadata finds the distributions
        folder = os.path.abspath(entry or ".")
        if folder != str(PACKAGE_DIR.parent) and os.path.isdir(folder):
            statuses[folder] = list(status_of(os.stat(folder)))
    return statuses


def kept_code_digest(path: Path, key: list[str], settings: dict, work_out: Callable[[], bytes]) -> bytes:
    """The digest `work_out()` gives, from `path` when nothing it may depend on has changed
    since it was kept there under the same `key`."""
    key = [*key, sys.version, *sys.path]  # in order: the first copy of a library found counts
    before = watched(settings)
    kept = _load(path)
    if kept.get("format") == FORMAT and kept.get("key") == key and kept.get("watched") == before:
        try:
            return bytes.fromhex(kept["digest"])
        except (KeyError, TypeError, ValueError):
            pass
    digest = work_out()
    settled = time.time_ns() - RACY_NS
    if watched(settings) == before and all(status[4] < settled for status in before.values()):
        try:
            with atomic_file(path) as handle:
                record = {"format": FORMAT, "key": key, "watched": before, "digest": digest.hex()}
                handle.write(json.dumps(record).encode())
        except OSError:
            pass  # it only saves working the digest out again
    else:
        remove_kept(path)  # no record: the next build works the digest out again
    return digest


def _load(path: Path) -> dict:
    try:
        kept = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        notice_unreadable(path, error, "il est recalculé")
        return {}
    return kept if isinstance(kept, dict) else {}
