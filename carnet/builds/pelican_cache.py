"""Pelican's content cache, made crash-safe: saved whole or not at all, and read as empty,
with a notice, when it cannot be read back; and each file's checksum taken once per build.

Pelican 4.12 writes the cache in place, so a build killed meanwhile leaves it empty or
cut; reading it back, an empty one raises EOFError (« Ran out of input ») and fails every
later build, and a cut one is a warning, which fails `--strict`. Only the loading and the
saving of `FileDataCacher`, and the stamps of `FileStampDataCacher` (taken only when there is
something to keep or compare), are replaced; what is cached, and when, stays Pelican’s.
"""

import gzip
import hashlib
import logging
import os
import pickle
import zlib
from contextlib import nullcontext
from pathlib import Path

from pelican.cache import FileDataCacher, FileStampDataCacher
from pelican.generators import CachingGenerator

from .kept import atomic_file, notice_unreadable

logger = logging.getLogger(__name__)

_pelican_init = FileDataCacher.__init__
_pelican_file_stamp = FileStampDataCacher._get_file_stamp
_pelican_cache_data = FileStampDataCacher.cache_data
_pelican_get_cached_data = FileStampDataCacher.get_cached_data
# The checksum of the content cache (set by carnet/builds/pipeline.py), which the review shares.
CHECKSUM_METHOD = "md5"
# Per file: its status when its checksum was taken, and the checksum (forget_file_stamps).
_stamps: dict[str, tuple[tuple, object]] = {}
# Per file: its status when this build first looked at it. A file written during the build
# (an editor's autosave) has no checksum for the rest of it: Pelican reads it at some moment
# and would keep what it read under the checksum of another moment's bytes, and the next build
# would take that for the file's text; with the build's own mark instead (changed_mark), it
# reads the file again. A mark of its own for each build: one saved with an entry of the cache
# (or beside it, by the script check) never matches what a later build says of a file.
_first_seen: dict[str, tuple] = {}
_changed_mark = [b"\0changed during the build " + os.urandom(8)]


def changed_mark() -> bytes:
    """What this build gives as the checksum of a file written since it first looked at it."""
    return _changed_mark[0]


def prepare_content_cache(known_stamps: dict | None = None, first_seen: dict | None = None) -> None:
    """Before each build: replace the two methods (and the file stamps'), once per process,
    and forget the stamps of the previous build. `known_stamps`: checksums taken already, by
    absolute path, each with the signature `_get_file_stamp` gives it; `first_seen`: the status
    of each file when the build first listed it (source_digests.py)."""
    if FileDataCacher.save_cache is not _save_cache:
        FileDataCacher.__init__ = _init
        FileDataCacher.save_cache = _save_cache
        FileStampDataCacher._get_file_stamp = _get_file_stamp
        FileStampDataCacher.cache_data = _cache_data
        FileStampDataCacher.get_cached_data = _get_cached_data
    forget_file_stamps()
    _stamps.update(known_stamps or {})
    _first_seen.update(first_seen or {})


def forget_file_stamps() -> None:
    """Each build takes each file's checksum again (livereload runs many builds in one process)."""
    _stamps.clear()
    _first_seen.clear()
    _changed_mark[0] = b"\0changed during the build " + os.urandom(8)


# The cache is kept in SHARDS files (`<name>.0` …), each entry in the one its file's name falls
# in, and a build writes only those whose entries changed: after one edit, one eighth of the
# 40 MB that 5 000 articles' cache holds (writing it whole took 0.3 s). Each is written whole
# or not at all; a build killed between two leaves each entry with its own file's checksum.
SHARDS = 8
_LOADED = "_carnet_loaded_shards"  # on the cacher: each shard as read, to tell what changed


def shard_of(filename: str) -> int:
    """The shard of a cached file: by its name, the same wherever the project is copied."""
    return zlib.crc32(os.path.basename(filename).encode("utf-8", "surrogatepass")) % SHARDS


def shard_path(path: Path, number: int) -> Path:
    return path.with_name(f"{path.name}.{number}")


def _init(self, settings, cache_name, caching_policy, load_policy):
    _pelican_init(self, settings, cache_name, caching_policy, load_policy=False)
    loaded: list[dict | None] = [None] * SHARDS  # None: no file to keep, write it
    if load_policy:
        path, gzipped = Path(self._cache_path), settings["GZIP_CACHE"]
        loaded = [load_cache(shard_path(path, number), gzipped) for number in range(SHARDS)]
        self._cache = {key: value for shard in loaded if shard for key, value in shard.items()}
    setattr(self, _LOADED, loaded)


def load_cache(path: Path, gzipped: bool) -> dict | None:
    """One shard as kept; None when there is none (the first build with these settings) or it
    cannot be read (said: its files are read again)."""
    if not path.exists() and not path.is_symlink():
        return None
    try:
        with open(path, "rb") as raw, _gzip(raw, gzipped) as handle:
            cache = pickle.load(handle)
        if not isinstance(cache, dict):
            raise TypeError(f"un {type(cache).__name__} au lieu d’un dictionnaire")
    except Exception as error:  # whatever a damaged pickle raises: the cache only saves time
        notice_unreadable(path, error, "les fichiers seront relus")
        return None
    return cache


def _save_cache(self) -> None:
    if not self._cache_data_policy:
        return
    path = Path(self._cache_path)
    shards: list[dict] = [{} for _ in range(SHARDS)]
    for key, value in self._cache.items():
        shards[shard_of(key)][key] = value
    loaded = getattr(self, _LOADED, None) or [None] * SHARDS
    gzipped = self.settings["GZIP_CACHE"]
    for number, shard in enumerate(shards):
        if _unchanged(loaded[number], shard):
            continue
        try:  # each shard on its own: one that cannot be written leaves the others kept
            path.parent.mkdir(parents=True, exist_ok=True)
            with atomic_file(shard_path(path, number)) as raw, _gzip(raw, gzipped, "wb") as handle:
                pickle.dump(shard, handle, protocol=pickle.HIGHEST_PROTOCOL)
            loaded[number] = shard
        except (OSError, pickle.PicklingError, TypeError, AttributeError) as error:
            logger.warning("cache de contenu %s non enregistré : %s", shard_path(path, number), error)


def _unchanged(before: dict | None, shard: dict) -> bool:
    """The same entries as read, each the very object read: Pelican makes a new one for each
    file it reads again."""
    return before is not None and before.keys() == shard.keys() and all(shard[k] is before[k] for k in shard)


# Pelican's article and page generators take a file's stamp in their own cache, which keeps
# nothing (off with CONTENT_CACHING_LAYER = "reader"), to store it or to compare it with no
# entry: 10 000 status calls of 5 000 articles for nothing, at every build. Their readers take
# it right after, in a cache that keeps data: a file that cannot be read is still said there
# (Pelican's « Cannot get modification stamp »), and the first stamp, taken before the file is
# read, still tells a file written while the build reads it (file_checksum's `_first_seen`).
# Any other cache (the static files' readers, which keep nothing) stays Pelican's.
def _skips_stamps(cacher) -> bool:
    return isinstance(cacher, CachingGenerator) and not cacher._cache_data_policy


def _cache_data(self, filename, data) -> None:
    if not _skips_stamps(self):
        _pelican_cache_data(self, filename, data)


def _get_cached_data(self, filename, default=None):
    if _skips_stamps(self) and filename not in self._cache:
        return default  # what Pelican answers when no entry's stamp can match
    return _pelican_get_cached_data(self, filename, default)


def _get_file_stamp(self, filename):
    """Pelican's checksum of a file, taken once per build while the file's status does not
    change: Pelican takes it up to four times per article and build (the generator's cache and
    the readers', on looking up and on saving), reading the file each time: 0.7 s of a
    rebuild at 5 000 articles. A file written meanwhile has another status (its change time
    moves at each write), and is read again."""
    if self.settings.get("CHECK_MODIFIED_METHOD") != CHECKSUM_METHOD:
        return _pelican_file_stamp(self, filename)
    try:
        return file_checksum(filename, lambda: _pelican_file_stamp(self, filename))
    except OSError:
        return _pelican_file_stamp(self, filename)  # Pelican's warning, and no stamp


def file_checksum(filename: str, take=None) -> bytes:
    """The md5 of a file's bytes, as Pelican's cache stamps it with CHECK_MODIFIED_METHOD =
    "md5" (`take()` takes it, by default by reading the file), once per build while the file's
    status does not change. Raises OSError when the file cannot be read."""
    status = os.stat(filename)
    seen = (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)
    signature = (CHECKSUM_METHOD, *seen)
    path = os.path.abspath(filename)
    if _first_seen.setdefault(path, seen) != seen:
        _stamps[path] = (None, changed_mark())  # what `checksum_taken` gives from now on
        return changed_mark()
    kept = _stamps.get(path)
    if kept is None or kept[0] != signature:
        if take is None:
            with open(filename, "rb") as handle:
                checksum = hashlib.md5(handle.read()).digest()
        else:
            checksum = take()
        kept = _stamps[path] = (signature, checksum)
    return kept[1]


def checksum_taken(filename: str) -> bytes:
    """The checksum this build last took of the file (`file_checksum`), without checking its
    status again: what Pelican's cache went by when it gave the file's article. For what is
    kept per article beside the cache (the review's, the script check's), 5 000 status calls
    fewer each; `changed_mark()` once the build saw the file written. Raises OSError when
    the file cannot be read."""
    kept = _stamps.get(os.path.abspath(filename))  # only CHECKSUM_METHOD's are kept
    return kept[1] if kept is not None else file_checksum(filename)


def _gzip(raw, gzipped: bool, mode: str = "rb"):
    return gzip.GzipFile(fileobj=raw, mode=mode) if gzipped else nullcontext(raw)


def keep_read(readers, path: str, read: tuple) -> None:
    """Keep what was read of `path` (content, metadata) in the Readers' cache, where
    Readers.read_file looks before reading, as it keeps what it reads itself: in memory even
    when no cache is saved (`invoke check`), and saved with the cache when one is."""
    readers._cache[path] = (readers._get_file_stamp(path), read)
