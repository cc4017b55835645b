"""The folders of successive builds, and the one atomic switch that makes a build live.

    .site/builds/<id>/output/         each build, complete
    .site/builds/<id>/search-index/
    .site/current  -> builds/<id>     switched with a single rename
    .site/previous -> builds/<id>     kept for `invoke rollback`
    .site/spare/                      the folders of a build no longer kept, for the next one
    output         -> .site/current/output
    search-index   -> .site/current/search-index

Readers (a web server, the search service) follow `output` and `search-index`;
they see the old build or the new one, never a mix. A build that fails, is
interrupted or killed leaves `current` where it was.
"""

import contextlib
import fcntl
import os
import shutil
import stat
import subprocess
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

PUBLISHED = ("output", "search-index")
# A build folder's name starts with the time it started (local time): its name for the author.
STAMP = "%Y%m%dT%H%M%S"
# In a build folder made of a plain output/ from before atomic builds: its name's time is that
# of its adoption, not of its making, so the author is told what it is instead.
LEGACY_MARK = "ancien-dossier"
SPARE = "spare"


def build_time(folder: Path) -> datetime | None:
    """When the build in `folder` started, read from its name (None for a name of another form)."""
    try:
        return datetime.strptime(folder.name.split("-", 1)[0], STAMP)
    except ValueError:
        return None


class BuildLocked(RuntimeError):
    """Another build holds the lock for longer than we are willing to wait."""


class NothingToRollBack(RuntimeError):
    """There is no previous build to go back to."""


class BuildArea:
    def __init__(self, root: Path, state: str = ".site"):
        self.root = Path(root)
        self.state = self.root / state
        self.builds = self.state / "builds"
        self.current = self.state / "current"
        self.previous = self.state / "previous"
        self.lock_path = self.state / "build.lock"
        self.spare = self.state / SPARE
        # The folders each build made of the spare had at the start (see new_build).
        self._reused_folders: dict[Path, list[str]] = {}

    # -- locking ---------------------------------------------------------

    @contextmanager
    def lock(self, wait_s: float = 600, on_wait=None) -> Iterator[None]:
        """Hold the build lock; the kernel releases it if the process dies."""
        self.state.mkdir(parents=True, exist_ok=True)
        with open(self.lock_path, "a+") as handle:
            deadline = time.monotonic() + wait_s
            told = False
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        message = f"une autre construction tient le verrou {self.lock_path}"
                        raise BuildLocked(f"{message} depuis plus de {wait_s:.0f} s") from None
                    if on_wait and not told:
                        on_wait()
                        told = True
                    time.sleep(0.1)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    # -- a build's life --------------------------------------------------

    def new_build(self, reusable: Callable[[Path], bool] | None = None) -> Path:
        """A folder for the next build, with no file in it.

        The spare's folders (those of a build no longer kept), when `reusable` says that the
        pages of the build it held go where the new build's will (a page could otherwise be a
        file where an old one was a folder): making the 5 000 folders of an archive's pages
        takes the file system seconds, removing the files in them a tenth of one. Those the
        build leaves empty go in `publish`."""
        self.builds.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime(STAMP)
        folder = self.builds / f"{stamp}-{os.getpid()}-{time.monotonic_ns() % 100000:05d}"
        live = self.live_build()
        if reusable is not None and live is not None and self._spare_is_a_folder():
            if reusable(self.spare):
                os.rename(self.spare, folder)
                try:
                    self._reused_folders[folder] = _emptied(folder, live)
                    return folder
                except OSError:  # a file that cannot be removed: a fresh folder instead
                    self._reused_folders.pop(folder, None)
                    self._throw_away([folder], spare=False)
            else:
                self._throw_away([self.spare], spare=False)
        folder.mkdir()
        return folder

    def reused(self, build: Path) -> bool:
        """Whether `build` was made in the spare's folders (new_build)."""
        return build in self._reused_folders

    def _spare_is_a_folder(self) -> bool:
        """Whether the spare is there, as a folder: anything else in its place is removed."""
        try:
            if stat.S_ISDIR(os.lstat(self.spare).st_mode):
                return True
            os.unlink(self.spare)
        except FileNotFoundError:
            pass
        return False

    def publish(self, build: Path) -> None:
        """Make `build` live in one rename; the live build becomes the previous one."""
        self._adopt_legacy_folders()
        live = self.live_build()
        self._remove_unused_folders(build, live)
        # `previous` first: killed between the two, both name the live build, and no build is lost.
        if live is not None and live != build.resolve():
            self._point(self.previous, live)
        self._point(self.current, build)
        self.link_published_names()
        self.clean_up()

    def discard(self, build: Path) -> None:
        """Throw away a build that will not go live (failed, or stopped by a new save): never
        the spare, which must have been made whole."""
        self._reused_folders.pop(build, None)
        self._throw_away([build], spare=False)

    def _remove_unused_folders(self, build: Path, live: Path | None) -> None:
        """The spare's folders that `build` left empty; one the live build also has empty stays,
        as a build made it so (a clean build would have it too)."""
        for relative in reversed(self._reused_folders.pop(build, [])):  # each before its parent
            try:
                os.rmdir(build / relative)
            except OSError:
                continue  # not empty: the build wrote in it
            if live is not None and (live / relative).is_dir() and not any((live / relative).iterdir()):
                (build / relative).mkdir()

    def rollback(self) -> Path:
        """Go back to the previous build; the current one becomes the previous."""
        previous = self._target(self.previous)
        live = self.live_build()
        if previous is None or not previous.exists():
            raise NothingToRollBack("aucune construction précédente à restaurer")
        self._point(self.current, previous)
        if live is not None:
            self._point(self.previous, live)
        self.link_published_names()
        return previous

    def live_build(self) -> Path | None:
        return self._target(self.current)

    def previous_build(self) -> Path | None:
        return self._target(self.previous)

    def clean_up(self) -> None:
        """Remove every build but the live one and the previous one (also half-written ones):
        one becomes the spare, the others go (see _throw_away)."""
        keep = {p for p in (self._target(self.current), self._target(self.previous)) if p}
        for folder in (self.state, self.root):  # links half made by a killed build (see _point)
            for leftover in folder.glob(".*.*.tmp"):
                if leftover.is_symlink():
                    leftover.unlink()
        # Pages of a livereload fast step killed before it put them online (carnet/preview/
        # fast_edit.py): it holds the lock while they exist, as the caller does now.
        gone = list(self.state.glob("fast-*"))
        builds = self.builds.iterdir() if self.builds.exists() else []
        gone += [folder for folder in builds if folder.resolve() not in keep]
        self._throw_away(gone)

    def _throw_away(self, folders: list[Path], spare: bool = True) -> None:
        """With `spare`, the first build folder becomes the spare if there is none; the others
        leave at once, renamed into trash/: deleting thousands of files takes seconds, so a
        separate process does it without holding up the build."""
        trash = self.state / "trash"
        trash.mkdir(parents=True, exist_ok=True)
        for folder in folders:
            if spare and folder.parent == self.builds and not os.path.lexists(self.spare):
                folder.rename(self.spare)
            elif folder == self.spare:
                folder.rename(trash / f"{SPARE}-{os.getpid()}-{time.monotonic_ns()}")
            else:
                folder.rename(trash / folder.name)
        leftovers = [str(path) for path in trash.iterdir()]
        if leftovers:
            # The shell puts rm in the background and returns at once; rm outlives the build.
            subprocess.run(
                ["sh", "-c", 'rm -rf -- "$@" >/dev/null 2>&1 &', "sh", *leftovers],
                check=False,
                start_new_session=True,
            )

    def remove_all(self) -> list[str]:
        """Remove the published names and the state folder; what was there, for the author."""
        removed = []
        for name in PUBLISHED:
            path = self.root / name
            if path.is_symlink() or path.is_file():
                path.unlink()
            elif path.exists():
                shutil.rmtree(path)
            else:
                continue
            removed.append(name)
        if self.state.exists():
            removed.append(self.state.name)
        shutil.rmtree(self.state, ignore_errors=True)
        return removed

    def kept_builds(self) -> list[Path]:
        return sorted(self.builds.iterdir()) if self.builds.is_dir() else []

    # -- symlinks --------------------------------------------------------

    def _target(self, link: Path) -> Path | None:
        return link.resolve() if link.is_symlink() else None

    def _point(self, link: Path, target: Path) -> None:
        """Point `link` at `target` atomically: a new link renamed over the old one."""
        temporary = link.with_name(f".{link.name}.{os.getpid()}.tmp")
        if temporary.is_symlink() or temporary.exists():
            temporary.unlink()
        os.symlink(os.path.relpath(target, link.parent), temporary)
        os.replace(temporary, link)

    def link_published_names(self) -> None:
        """`output` and `search-index` lead through `current`, set once and never switched."""
        for name in PUBLISHED:
            path = self.root / name
            wanted = os.path.relpath(self.current / name, self.root)
            if path.exists() and not path.is_symlink():
                continue  # a real folder is adopted by publish(), never replaced here
            if not (path.is_symlink() and os.readlink(path) == wanted):
                self._point(path, self.current / name)

    def _adopt_legacy_folders(self) -> None:
        """A plain output/ or search-index/ from before atomic builds becomes the previous build."""
        legacy = [
            self.root / name
            for name in PUBLISHED
            if (self.root / name).is_dir() and not (self.root / name).is_symlink()
        ]
        if not legacy:
            return
        folder = self.new_build()
        (folder / LEGACY_MARK).touch()
        for path in legacy:
            path.rename(folder / path.name)
        if self.live_build() is None:
            self._point(self.current, folder)


def make_way(output: Path, names: Iterable[str]) -> None:
    """Before a build made in the spare's folders writes anything: remove those that stand where
    it writes a file (a page given `Save_as:`, a static file, where an older build had a
    page's folder). They hold no file; a fresh folder would have had none there."""
    for name in names:
        path = output / name
        if path.is_dir() and not path.is_symlink() and not any(p.is_file() for p in path.rglob("*")):
            shutil.rmtree(path)


def _emptied(folder: Path, live: Path) -> list[str]:
    """Remove the files of a reused folder (some are hard links to the live build's pages:
    removed, never written), then the folders the live build does not have: they hold no page
    of the build to come, and one could stand where it writes a file. The folders kept, each
    after its parent. Raises OSError when a file or folder cannot be removed."""
    folders = remove_files(folder)
    gone = set()
    for relative in reversed(folders):  # each before its parent
        if not os.path.isdir(live / relative):
            os.rmdir(folder / relative)  # its own folders were not in the live build either
            gone.add(relative)
    return [relative for relative in folders if relative not in gone]


def remove_files(folder: Path) -> list[str]:
    """Remove every file and link under `folder`, keeping its folders; their paths under
    `folder`, each after its parent. The top folder's files go first (a build's inputs.json:
    killed midway, the folder matches nothing). Raises OSError when one cannot be removed."""
    kept: list[str] = []
    pending = [""]
    while pending:
        relative = pending.pop()
        with os.scandir(os.path.join(folder, relative)) as listing:
            entries = list(listing)
        for entry in entries:
            inner = os.path.join(relative, entry.name)
            if entry.is_dir(follow_symlinks=False):
                kept.append(inner)
                pending.append(inner)
            else:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)
    return kept
