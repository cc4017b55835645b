"""One build in a fresh process, for `invoke bench`: prints its wall time in seconds.

python -m bench.build_once CONTENT OUTPUT INDEX (project|vanilla)
"""

import contextlib
import io
import logging
import sys
import time
from pathlib import Path

from pelican import Pelican
from pelican.settings import read_settings

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    content, output, index, flavour = sys.argv[1:5]
    logging.disable(logging.WARNING)
    override = {"PATH": content, "OUTPUT_PATH": output, "SEARCH_INDEX_PATH": index}
    if flavour == "vanilla":
        # The same settings without the project: no plugins, Pelican's own theme.
        override.update(
            PLUGINS=[],
            THEME="notmyidea",
            DIRECT_TEMPLATES=["index", "tags", "categories", "authors", "archives"],
        )
    settings = read_settings(str(ROOT / "pelicanconf.py"), override=override)
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        Pelican(settings).run()
    print(f"{time.perf_counter() - started:.4f}")


if __name__ == "__main__":
    main()
