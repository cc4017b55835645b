"""The builds of `invoke livereload`, one process for the whole session.

`python -m carnet.preview.live CONTENT ROOT` runs the same loop on any content folder
(the bench times it on its archives): ROOT/output served on a free port of 127.0.0.1.
"""

import sys
from pathlib import Path

from carnet.builds.pipeline import BuildResult, build_site
from carnet.builds.runner import BuildFailed

from .server import serve

SETTINGS = Path(__file__).resolve().parents[2] / "pelicanconf.py"
# The pages' Content-Security-Policy lets through livereload's injected script.
LIVE_OVERRIDES = {"CONTENT_SECURITY_POLICY_LIVERELOAD": True}


class LiveSite:
    """The site under `root`, built again after each burst of saves."""

    def __init__(self, root: Path, settings_file: Path, overrides: dict | None = None):
        self.root = Path(root)
        self.settings_file = Path(settings_file)
        self.overrides = {**(overrides or {}), **LIVE_OVERRIDES}

    def build(self, changed: list[str] | None = None, on_wait=None) -> BuildResult:
        """The same atomic, incremental build as `invoke build`. `changed`: the files the
        watcher saw change (None: the session's first build)."""
        return build_site(self.root, self.settings_file, overrides=self.overrides, on_wait=on_wait)


def main() -> None:
    content, root = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    site = LiveSite(root, SETTINGS, {"PATH": str(content)})

    def build(changed: list[str] | None = None) -> None:
        try:
            site.build(changed)
        except BuildFailed as error:  # the last good site stays online, as in `invoke livereload`
            print(f"Construction refusée : {error}", file=sys.stderr, flush=True)

    serve(content.parent, root / "output", [f"{content.name}/**/*"], build, "127.0.0.1", 0)


if __name__ == "__main__":
    main()
