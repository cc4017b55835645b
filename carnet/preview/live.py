"""The builds of `invoke livereload`, one process for the whole session.

`python -m carnet.preview.live CONTENT ROOT` runs the same loop on any content folder
(the bench times it on its archives): ROOT/output served on a free port of 127.0.0.1.
"""

import gc
import sys
from pathlib import Path

from carnet.builds.area import BuildArea
from carnet.builds.inputs import build_digest
from carnet.builds.pipeline import SOURCES_FILE, BuildResult, build_site
from carnet.builds.runner import BuildFailed
from carnet.builds.source_digests import SourceDigests

from .fast_edit import KeptGenerator, Skipped, fast_edit, same_pages
from .interrupt import BuildSuperseded
from .server import serve

SETTINGS = Path(__file__).resolve().parents[2] / "pelicanconf.py"
# The pages' Content-Security-Policy lets through livereload's injected script. The server's
# threads run beside the builds: a rebuild does not fork render processes (plugins/incremental).
LIVE_OVERRIDES = {"CONTENT_SECURITY_POLICY_LIVERELOAD": True, "RENDER_SHARED_EDITS": False}


class KeptDigests:
    """build_digest's value (settings, theme, plugins, carnet/), kept between the session's
    builds while the saves are all in the content folder. The content files' digests are kept
    too (`sources`, source_digests.py), as every build keeps them in .site/."""

    def __init__(self, sources: SourceDigests | None = None):
        self.changed: list[Path] | None = None
        self._code: tuple[tuple, str] | None = None
        self.sources = sources or SourceDigests()

    def code_digest(
        self, settings_files: list[Path], settings: dict, options: dict, kept: Path | None = None
    ) -> str:
        key = (tuple(settings_files), repr(sorted(options.items())), settings["PATH"])
        content = Path(settings["PATH"]).resolve()
        held = self._code is not None and self._code[0] == key and self.changed is not None
        if not (held and all(path.resolve().is_relative_to(content) for path in self.changed)):
            self._code = (key, build_digest(settings_files, settings, options, kept))
        return self._code[1]


class LiveSite:
    """The site under `root`, built again after each burst of saves, by one process that
    keeps between builds what they read (KeptDigests) and the last build's articles and
    context (fast_edit.KeptGenerator): a save that only edits articles' text shows first."""

    def __init__(self, root: Path, settings_file: Path, overrides: dict | None = None):
        self.root = Path(root)
        self.settings_file = Path(settings_file)
        self.overrides = {**(overrides or {}), **LIVE_OVERRIDES}
        self.digests = KeptDigests(SourceDigests.load(BuildArea(self.root).state / SOURCES_FILE))
        self.kept = KeptGenerator()
        self.shown: Path | None = None  # the fast build the browsers were reloaded on
        self.skipped: str | None = None  # why the last save had no fast step

    def fast(self, changed: list[Path]) -> bool:
        """Publish the pages of articles whose text alone was edited; whether it did."""
        try:
            self.shown = fast_edit(self.kept, self.root, changed)
        except Skipped as why:
            self.skipped = str(why)
            return False
        except Exception as error:  # whatever it is, the exact build meets it and says it
            self.skipped = f"{type(error).__name__} : {error}"
            self.kept.forget()
            return False
        self.skipped = None
        return True

    def build(self, changed: list[Path] | None = None, on_wait=None) -> BuildResult:
        """The same atomic, incremental build as `invoke build`. `changed`: the files the
        watcher saw change (None: the session's first build, or not known)."""
        self.digests.changed = changed
        try:
            result = build_site(
                self.root,
                self.settings_file,
                overrides=self.overrides,
                on_wait=on_wait,
                code_digest=self.digests.code_digest,
                sources=self.digests.sources,
            )
        except BuildSuperseded:
            self.kept.caught = None
            raise
        except BaseException:
            # A fast page stays online (the live build no longer claims to match the files:
            # the next build runs whatever they hold).
            self.kept.forget()
            raise
        finally:
            # A build collects its garbage rarely (carnet/search/garbage.py) and Pelican's objects
            # hold one another: collected now, or the session would keep several builds' worth.
            gc.collect()
        if result.changed:
            self.kept.keep()
        return result

    def shows_what_was_built(self, result: BuildResult) -> bool:
        """Whether the exact build left the pages of the fast build the browsers were shown
        (then they need no second reload)."""
        shown, self.shown = self.shown, None
        if shown is None or not (shown / "output").is_dir():
            return False
        built = result.folder.resolve()
        return built == shown.resolve() or same_pages(shown / "output", built / "output")


def main() -> None:
    content, root = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    site = LiveSite(root, SETTINGS, {"PATH": str(content)})

    def paths(changed: list[str] | None) -> list[Path] | None:
        return None if changed is None else [content.parent / name for name in changed]

    def build(changed: list[str] | None = None) -> bool:
        try:
            return not site.shows_what_was_built(site.build(paths(changed)))
        except BuildFailed as error:  # the last good site stays online, as in `invoke livereload`
            print(f"Construction refusée : {error}", file=sys.stderr, flush=True)
            return True

    def fast(changed: list[str]) -> bool:
        return site.fast(paths(changed))

    serve(content.parent, root / "output", [f"{content.name}/**/*"], build, "127.0.0.1", 0, fast=fast)


if __name__ == "__main__":
    main()
