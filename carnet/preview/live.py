"""The builds of `invoke livereload`, one process for the whole session.

`python -m carnet.preview.live CONTENT ROOT` runs the same loop on any content folder
(the bench times it on its archives): ROOT/output served on a free port of 127.0.0.1.
"""

import gc
import hashlib
import os
import sys
from pathlib import Path

from carnet.builds.inputs import build_digest
from carnet.builds.inputs import inputs_digest as _inputs_digest
from carnet.builds.pipeline import BuildResult, build_site
from carnet.builds.runner import BuildFailed

from .fast_edit import KeptGenerator, Skipped, fast_edit, same_pages
from .interrupt import BuildSuperseded
from .server import serve

SETTINGS = Path(__file__).resolve().parents[2] / "pelicanconf.py"
# The pages' Content-Security-Policy lets through livereload's injected script. The server's
# threads run beside the builds: a rebuild does not fork render processes (plugins/incremental).
LIVE_OVERRIDES = {"CONTENT_SECURITY_POLICY_LIVERELOAD": True, "RENDER_SHARED_EDITS": False}


class KeptDigests:
    """builds/inputs.py's two digests, with what they read kept between the session's builds.

    The content digest is inputs_digest's, byte for byte (the next `invoke build` reads it),
    over the same files, but a file whose size, time and inode have not changed is not read
    again. The code digest (settings, theme, plugins, carnet/) is kept while the saves are
    all in the content folder."""

    def __init__(self):
        self.changed: list[Path] | None = None
        self._code: tuple[tuple, str] | None = None
        self._files: dict[str, tuple[tuple[int, int, int], bytes]] = {}

    def code_digest(self, settings_files: list[Path], settings: dict, options: dict) -> str:
        key = (tuple(settings_files), repr(sorted(options.items())), settings["PATH"])
        content = Path(settings["PATH"]).resolve()
        kept = self._code is not None and self._code[0] == key and self.changed is not None
        if not (kept and all(path.resolve().is_relative_to(content) for path in self.changed)):
            self._code = (key, build_digest(settings_files, settings, options))
        return self._code[1]

    def content_digest(self, code: str, content: Path) -> str:
        content = Path(content)
        listed = _files_under(content) if content.is_dir() else None
        if listed is None:  # a file, nothing, or a link inside: inputs_digest as it is
            self._files = {}
            return _inputs_digest(code, content)
        hasher = hashlib.blake2b(code.encode(), digest_size=16)
        files = {}
        for relative, path, stamp in listed:
            kept = self._files.get(path)
            if kept is not None and kept[0] == stamp:
                data = kept[1]
            else:
                with open(path, "rb") as handle:
                    data = handle.read()
            files[path] = (stamp, data)
            hasher.update(f"{relative}\0{len(data)}\0".encode())
            hasher.update(data)
        self._files = files
        return hasher.hexdigest()


def _files_under(folder: Path) -> list[tuple[str, str, tuple[int, int, int]]] | None:
    """The files tree_digest reads, in its order (sorted paths, compiled caches aside), with
    their stamps: (relative name, path, (time, size, inode)). One scandir walk, where rglob
    and sorting Paths took 0.6 s for 5 000 articles; None when a link is met (rglob's own
    way of following links is then the one used)."""
    found = []

    def walk(directory: str, parts: tuple[str, ...]) -> bool:
        with os.scandir(directory) as entries:
            for entry in entries:
                if entry.is_symlink():
                    return False
                if entry.name == "__pycache__":
                    continue
                if entry.is_dir():
                    if not walk(entry.path, (*parts, entry.name)):
                        return False
                elif entry.is_file():
                    status = entry.stat()
                    stamp = (status.st_mtime_ns, status.st_size, status.st_ino)
                    found.append(((*parts, entry.name), entry.path, stamp))
        return True

    if not walk(str(folder), ()):
        return None
    found.sort(key=lambda file: file[0])  # as Paths sort: part by part
    return [("/".join(parts), path, stamp) for parts, path, stamp in found]


class LiveSite:
    """The site under `root`, built again after each burst of saves, by one process that
    keeps between builds what they read (KeptDigests) and the last build's articles and
    context (fast_edit.KeptGenerator): a save that only edits articles' text shows first."""

    def __init__(self, root: Path, settings_file: Path, overrides: dict | None = None):
        self.root = Path(root)
        self.settings_file = Path(settings_file)
        self.overrides = {**(overrides or {}), **LIVE_OVERRIDES}
        self.digests = KeptDigests()
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
                content_digest=self.digests.content_digest,
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
