"""Run Pelican into a build folder, failing on errors (or warnings, when strict)."""

import logging
from pathlib import Path

import blinker
from pelican import Pelican
from pelican.log import FatalLogger
from pelican.log import init as init_logging
from pelican.settings import read_settings

from .pelican_cache import make_cache_crash_safe

# Sent with the build folder when a build fails; plugins may listen (carnet.build_failed).
BUILD_FAILED = blinker.signal("carnet.build_failed")


class BuildFailed(RuntimeError):
    """Pelican or a plugin reported a problem; the message says which."""


def show_messages() -> None:
    """Pelican's log handler from the start, so that what the build says before Pelican
    runs (a kept file set aside) shows as Pelican's own messages do."""
    init_logging(level=logging.WARNING, name="pelican")


def run_pelican(
    settings_file: Path, build: Path, strict: bool = False, overrides: dict | None = None
) -> None:
    """Build the site into `build`/output and its index into `build`/search-index.

    Unlike `pelican` on the command line, an interrupted build raises instead of
    returning normally, so that the caller never publishes half a site."""
    make_cache_crash_safe()
    init_logging(level=logging.WARNING, fatal="warnings" if strict else "errors", name="pelican")
    override = {
        "OUTPUT_PATH": str(build / "output"),
        "SEARCH_INDEX_PATH": str(build / "search-index"),
        **(overrides or {}),
    }
    settings = read_settings(str(settings_file), override=override)
    try:
        Pelican(settings).run()
    except BaseException as error:
        # Before the caller throws the build folder away: plugins stop what they run beside
        # the build (the search index process), so that nothing writes into it afterwards.
        BUILD_FAILED.send(str(build))
        if isinstance(error, RuntimeError) and str(error) == "Warning or error encountered":
            raise BuildFailed("Pelican ou une extension a signalé un problème (voir ci-dessus)") from None
        raise
    finally:
        # init_logging made errors fatal process-wide; a later run in this process
        # (livereload, tests) chooses its own strictness.
        FatalLogger.fatal_lvl = logging.CRITICAL + 1  # pelican.log's default: nothing is fatal
