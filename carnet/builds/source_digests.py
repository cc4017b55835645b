"""Each content file's digest, kept from one build to the next by the file's status.

Before anything is built, a build digests every content file (to know whether anything
changed since the live build: inputs.json), and Pelican's cache takes each file's checksum
(to know which articles to read again): two reads of the whole archive, 50 MB at 5 000
articles, for one edited article. A file whose status (device, inode, size, modification and
change times) is the one recorded holds the bytes that were digested, as git trusts its index:
the change time moves at every write and cannot be set back.

Except within one tick of the file system's clock: a second write of the same size in the
tick of the first keeps the same times. A file whose change time was less than RACY_NS
before it was read (or before the record was saved, by the clock of the file system that
holds it) is therefore read again at the next build, as git does with its "racy" entries.
"""

import hashlib
import os
import pickle
import time
from pathlib import Path
from typing import NamedTuple

from .kept import atomic_file, notice_unreadable
from .pelican_cache import CHECKSUM_METHOD

# Changed when what is kept changes (CHECKSUM_METHOD included): an older file is then
# ignored, not misread.
FORMAT = 1
# Two seconds (FAT's times) and a margin: finer clocks tick in milliseconds.
RACY_NS = 3_000_000_000

Status = tuple[int, int, int, int, int]  # st_dev, st_ino, st_size, st_mtime_ns, st_ctime_ns


class FileDigest(NamedTuple):
    status: Status
    read_ns: int  # when the bytes were read (time.time_ns(), taken before)
    digest: bytes  # blake2b of the bytes: the build's inputs digest
    md5: bytes  # Pelican's checksum of the same bytes (CHECKSUM_METHOD), b"" if not kept


def status_of(status: os.stat_result) -> Status:
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)


class SourceDigests:
    """The digests of one content folder's files, by absolute path, read where not kept."""

    def __init__(self, kept: dict[str, FileDigest] | None = None, saved_ns: int = 0):
        self._kept = kept or {}
        self._saved_ns = saved_ns  # the file system's time when `kept` was saved
        self.files: dict[str, FileDigest] = {}  # this build's, once `feed` has run
        self.listed: dict[str, Status] = {}  # every file `feed` listed, with its status then
        self.read = 0  # files read by this build (not taken from what was kept)

    @classmethod
    def load(cls, path: Path) -> "SourceDigests":
        """What a previous build kept at `path`; nothing (every file read) if it cannot be read."""
        try:
            saved_ns = path.stat().st_mtime_ns
        except FileNotFoundError:
            return cls()
        try:
            kept = pickle.loads(path.read_bytes())
            if kept.get("format") != FORMAT:
                return cls()
            return cls({name: FileDigest(*entry) for name, entry in kept["files"].items()}, saved_ns)
        except Exception as error:  # whatever a damaged pickle raises: the files are read again
            notice_unreadable(path, error, "les fichiers seront relus")
            return cls()

    def feed(self, folder: Path, hasher) -> None:
        """Feed `hasher` each file's name under `folder` and its digest, in the order of sorted
        paths (`__pycache__` aside, links followed to files but not into folders, as
        Path.rglob); keep this build's digests in `files`."""
        self.files, self.read = {}, 0
        listed = files_under(folder)
        self.listed = {path: status for _, path, status in listed}
        for relative, path, status in listed:
            entry = self._kept.get(path)
            if entry is None or entry.status != status or not self._settled(entry):
                try:
                    entry = self._read(path, status)
                except FileNotFoundError:
                    continue  # removed since it was listed: as if listed a moment later
                except OSError as error:
                    # Unreadable (Pelican says so when it reads it): its status stands for its bytes.
                    entry = FileDigest(status, 0, f"{type(error).__name__}:{status}".encode(), b"")
            if entry.md5:  # read whole, unchanged while read: kept (else digested only)
                self.files[path] = entry
            hasher.update(f"{relative}\0{entry.status[2]}\0".encode())
            hasher.update(entry.digest)

    def _settled(self, entry: FileDigest) -> bool:
        last_change = entry.status[4]
        return last_change + RACY_NS < entry.read_ns and last_change + RACY_NS < self._saved_ns

    def _read(self, path: str, status: Status) -> FileDigest:
        self.read += 1
        read_ns = time.time_ns()
        with open(path, "rb") as handle:
            data = handle.read()
        digest = hashlib.blake2b(data, digest_size=16).digest()
        after = status_of(os.stat(path))
        if after != status or len(data) != status[2]:
            return FileDigest((*after[:2], len(data), *after[3:]), read_ns, digest, b"")
        return FileDigest(status, read_ns, digest, getattr(hashlib, CHECKSUM_METHOD)(data).digest())

    def changed_since(self, folder: Path, found: set[str] = frozenset()) -> bool:
        """Whether a file under `folder` came, went or was written since `feed` listed them, or
        Pelican `found` a file that neither listing saw (made and removed meanwhile): then the
        build may hold other bytes than those the digest was made of."""
        if {path: status for _, path, status in files_under(folder)} != self.listed:
            return True
        unlisted = {path for path in found if path not in self.listed}
        if unlisted:  # Pelican follows links to folders, which the listing does not
            listed = {os.path.realpath(path) for path in self.listed}
            return any(os.path.realpath(path) not in listed for path in unlisted)
        return False

    def pelican_stamps(self) -> dict[str, tuple[tuple, bytes]]:
        """Pelican's checksum of each file, with the status it was taken at, as
        pelican_cache.py keeps the checksums it takes itself."""
        return {path: ((CHECKSUM_METHOD, *entry.status), entry.md5) for path, entry in self.files.items()}

    def save(self, path: Path) -> None:
        """Keep this build's digests for the next one, unless they are the ones kept."""
        if self.files == self._kept:
            return
        with atomic_file(path) as handle:
            data = {"format": FORMAT, "files": {name: tuple(entry) for name, entry in self.files.items()}}
            pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
        self._kept = self.files
        self._saved_ns = path.stat().st_mtime_ns


def files_under(folder: Path) -> list[tuple[str, str, Status]]:
    """(relative name, absolute path, status) of each file under `folder`, or of `folder` itself
    if it is a file, sorted as Paths sort (part by part). One scandir walk: rglob and sorting
    Paths took 0.6 s at 5 000 articles."""
    folder = Path(folder)
    if folder.is_file():
        return [(folder.name, os.path.abspath(folder), status_of(folder.stat()))]
    found = []

    def walk(directory: str, parts: tuple[str, ...]) -> None:
        try:
            listed = list(os.scandir(directory))
        except OSError:
            return  # an unreadable folder: skipped, as Path.rglob and Pelican's os.walk skip it
        for entry in listed:
            if entry.name == "__pycache__":
                continue
            if entry.is_dir(follow_symlinks=False):
                walk(entry.path, (*parts, entry.name))
            elif entry.is_file():  # a link to a file counts as the file
                try:
                    status = status_of(entry.stat())
                except FileNotFoundError:
                    continue  # removed meanwhile
                found.append(((*parts, entry.name), os.path.abspath(entry.path), status))

    if folder.is_dir():
        walk(str(folder), ())
    found.sort(key=lambda file: file[0])
    return [("/".join(parts), path, status) for parts, path, status in found]
