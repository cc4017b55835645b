"""One build in a fresh process, for `invoke bench`: prints its wall time in seconds.

python -m carnet.bench.build_once CONTENT ROOT (project|vanilla)

`project` builds as `invoke build` does, through carnet/builds/ (incremental when ROOT
already holds a build); `vanilla` runs plain Pelican on the same settings, without
the project's plugins and theme, into ROOT/output.
"""

import contextlib
import io
import logging
import sys
import time
from pathlib import Path

from pelican import Pelican
from pelican.settings import read_settings

from carnet.builds.pipeline import build_site

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "pelicanconf.py"
# carnet/articles/metadata.py's UNKNOWN_DATE, which this room may not import (tests/test_bench.py).
UNDATED = (1900, 1, 1)


def main() -> None:
    content, root, flavour = sys.argv[1:4]
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    logging.disable(logging.WARNING)
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        if flavour == "vanilla":
            # The same settings without the project: no plugins, Pelican's own theme. An article
            # with no date gets the project's unknown date (UNDATED): plain Pelican would leave it
            # out, and its page and listings, which the project builds. ("fs" would also give
            # every article a `modified` date, shown on every page.)
            override = {
                "DEFAULT_DATE": UNDATED,
                "PATH": content,
                "OUTPUT_PATH": str(root / "output"),
                "PLUGINS": [],
                "THEME": "notmyidea",
                "DIRECT_TEMPLATES": ["index", "tags", "categories", "authors", "archives"],
            }
            Pelican(read_settings(str(SETTINGS), override=override)).run()
        else:
            build_site(root, SETTINGS, overrides={"PATH": content})
    print(f"{time.perf_counter() - started:.4f}")


if __name__ == "__main__":
    main()
