"""Pelican glue: gzip copies of the site's text files, written into the build folder
before it goes live, so that nginx serves them with `gzip_static` (see deploy/).

Only the publication build loads and enables it (publishconf.py): `invoke build` stays as fast.
"""

import logging
from pathlib import Path

from pelican import signals

from carnet.publishing.compression import precompress

logger = logging.getLogger(__name__)


def compress_output(pelican) -> None:
    settings = pelican.settings
    if not settings.get("PRECOMPRESS"):
        return
    previous = settings.get("INCREMENTAL_PREVIOUS_BUILD")  # set by carnet/builds/pipeline.py
    report = precompress(Path(settings["OUTPUT_PATH"]), Path(previous) / "output" if previous else None)
    logger.info(
        "precompress: %d of %d text files gzipped (%d reused), %d → %d bytes",
        report.written,
        report.files,
        report.reused,
        report.size,
        report.compressed,
    )


def register():
    # finalized: every page and static file is written, and the folder is not live yet.
    signals.finalized.connect(compress_output)
