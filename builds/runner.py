"""Run Pelican into a build folder, failing on errors (or warnings, when strict)."""

import logging
from pathlib import Path

from pelican import Pelican
from pelican.log import FatalLogger
from pelican.log import init as init_logging
from pelican.settings import read_settings


class BuildFailed(RuntimeError):
    """Pelican or a plugin reported a problem; the message says which."""


def run_pelican(
    settings_file: Path, build: Path, strict: bool = False, overrides: dict | None = None
) -> None:
    """Build the site into `build`/output and its index into `build`/search-index.

    Unlike `pelican` on the command line, an interrupted build raises instead of
    returning normally, so that the caller never publishes half a site."""
    init_logging(level=logging.WARNING, fatal="warnings" if strict else "errors", name="pelican")
    override = {
        "OUTPUT_PATH": str(build / "output"),
        "SEARCH_INDEX_PATH": str(build / "search-index"),
        **(overrides or {}),
    }
    settings = read_settings(str(settings_file), override=override)
    try:
        Pelican(settings).run()
    except RuntimeError as error:
        if str(error) == "Warning or error encountered":  # pelican.log's fatal logger
            raise BuildFailed("Pelican ou une extension a signalé un problème (voir ci-dessus)") from None
        raise
    finally:
        # init_logging made errors fatal process-wide; a later run in this process
        # (livereload, tests) chooses its own strictness.
        FatalLogger.fatal_lvl = logging.CRITICAL + 1  # pelican.log's default: nothing is fatal
