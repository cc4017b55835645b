"""One build in a fresh process, for `invoke bench`: prints its wall time in seconds.

python -m carnet.bench.build_once CONTENT ROOT (project|machinery|vanilla)

`project` builds as `invoke build` does, through carnet/builds/ (incremental when ROOT
already holds a build); `machinery` builds the same way without the plugins that go through
the whole archive on every build (ARCHIVE_WIDE): what an edit costs Pelican and the build
machinery alone, the floor under the project's own passes; `vanilla` runs plain Pelican on
the same settings, without the project's plugins and theme, into ROOT/output.
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
# The plugins whose passes over the whole archive make most of the project's own work in a
# rebuild: the index, « À lire aussi », the tag map, the review, the script check. The others
# act on each article as it is read (résumé, typography) or go through the articles cheaply
# (metadata, authors, résumé links), or add files (theme, feeds). The site is not the same:
# without the tag map, no English tag pages (7 793 pages instead of 9 042 at 5 000 articles),
# and nothing is held back; so the floor is close, not exact.
ARCHIVE_WIDE = frozenset({"search", "related", "tag_map", "article_review", "script_guard"})


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
        elif flavour == "machinery":
            plugins = [name for name in read_settings(str(SETTINGS))["PLUGINS"] if name not in ARCHIVE_WIDE]
            build_site(root, SETTINGS, overrides={"PATH": content, "PLUGINS": plugins})
        else:
            build_site(root, SETTINGS, overrides={"PATH": content})
    print(f"{time.perf_counter() - started:.4f}")


if __name__ == "__main__":
    main()
