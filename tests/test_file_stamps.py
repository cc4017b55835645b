"""Pelican's file checksums (CHECK_MODIFIED_METHOD = md5), taken once per file and build."""

import logging
import os
import time
from pathlib import Path

import pelican.cache
from pelican.cache import FileDataCacher, FileStampDataCacher
from pelican.generators import CachingGenerator
from pelican.settings import DEFAULT_CONFIG

from carnet.builds.pelican_cache import SHARDS, changed_mark, file_checksum, prepare_content_cache, shard_of


def cacher(tmp_path, method: str = "md5") -> FileStampDataCacher:
    settings = {**DEFAULT_CONFIG, "CACHE_PATH": str(tmp_path / "cache"), "CHECK_MODIFIED_METHOD": method}
    return FileStampDataCacher(settings, "essai", caching_policy=False, load_policy=False)


def counting_reads(monkeypatch) -> list[str]:
    """The files Pelican's checksum function opens (it calls open from pelican.cache)."""
    opened: list[str] = []

    def counted(path, *args, **kwargs):
        opened.append(os.path.basename(path))
        return open(path, *args, **kwargs)

    monkeypatch.setattr(pelican.cache, "open", counted, raising=False)
    return opened


def test_a_file_is_read_once_per_build_while_it_does_not_change(tmp_path, monkeypatch):
    prepare_content_cache()
    source = tmp_path / "article.md"
    source.write_text("Un texte.", "utf-8")
    stamps, opened = cacher(tmp_path), counting_reads(monkeypatch)
    first = [stamps._get_file_stamp(str(source)) for _ in range(4)]
    assert opened == ["article.md"]
    assert len(set(first)) == 1
    # Another cacher of the same build (the readers', the generator's) gets the same answer.
    assert cacher(tmp_path)._get_file_stamp(str(source)) == first[0]
    assert len(opened) == 1

    # Written during the build: no checksum of it holds for the rest of this build (Pelican
    # would keep what it read under another moment's checksum), whatever is asked.
    source.write_text("Un autre texte.", "utf-8")
    mark = changed_mark()
    assert stamps._get_file_stamp(str(source)) == mark
    assert file_checksum(str(source)) == mark
    assert len(opened) == 1
    prepare_content_cache()  # the next build: its own mark, never a saved one
    assert changed_mark() != mark
    changed = stamps._get_file_stamp(str(source))
    assert changed not in (first[0], mark, changed_mark())
    assert len(opened) == 2

    # Rewritten with the same size, and its time put back: its change time still moved (the
    # clock that dates writes moves by ticks of a few milliseconds: one passes first).
    before = os.stat(source)
    time.sleep(0.05)
    source.write_text("Un autre texto.", "utf-8")
    os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert stamps._get_file_stamp(str(source)) == changed_mark()
    prepare_content_cache()
    assert stamps._get_file_stamp(str(source)) not in (changed, first[0], changed_mark())
    assert len(opened) == 3


def test_the_next_build_reads_each_file_again(tmp_path, monkeypatch):
    prepare_content_cache()
    source = tmp_path / "article.md"
    source.write_text("Un texte.", "utf-8")
    stamps, opened = cacher(tmp_path), counting_reads(monkeypatch)
    stamps._get_file_stamp(str(source))
    prepare_content_cache()  # what each build does first (carnet/builds/runner.py)
    stamps._get_file_stamp(str(source))
    assert opened == ["article.md", "article.md"]


def test_dates_and_missing_files_are_pelicans_own(tmp_path):
    prepare_content_cache()
    source = tmp_path / "article.md"
    source.write_text("Un texte.", "utf-8")
    assert cacher(tmp_path, "mtime")._get_file_stamp(str(source)) == os.path.getmtime(source)
    assert cacher(tmp_path)._get_file_stamp(str(tmp_path / "absent.md")) == ""


class GeneratorsCache(CachingGenerator):
    """The cache of Pelican's article and page generators alone, without a generator's work."""

    def __init__(self, settings: dict, path: Path):
        FileStampDataCacher.__init__(self, settings, "essai", caching_policy=False, load_policy=False)
        self.path = str(path)


def test_no_stamp_taken_in_the_generators_cache_that_keeps_nothing(tmp_path, monkeypatch):
    prepare_content_cache()
    source = tmp_path / "article.md"
    source.write_text("Un texte.", "utf-8")
    taken: list[str] = []
    monkeypatch.setattr(FileStampDataCacher, "_get_file_stamp", lambda self, name: taken.append(name) or b"x")
    generators = GeneratorsCache(cacher(tmp_path).settings, tmp_path)
    generators.cache_data("article.md", "lu")
    assert generators.get_cached_data("article.md", "défaut") == "défaut"
    assert taken == []
    # Any other cache takes it as Pelican does, even one that keeps nothing (the static files'
    # readers: their stamp says a linked file is missing), and on a miss before the file is read.
    off = cacher(tmp_path)
    assert off.get_cached_data(str(tmp_path / "absent.png"), "défaut") == "défaut"
    assert taken == [str(tmp_path / "absent.png")]
    on = FileStampDataCacher(off.settings, "essai", caching_policy=True, load_policy=False)
    new = str(tmp_path / "nouveau.md")
    assert on.get_cached_data(new, "défaut") == "défaut"
    on.cache_data(str(source), "lu")
    assert on.get_cached_data(str(source), "défaut") == "lu"
    assert taken == [str(tmp_path / "absent.png"), new, str(source), str(source)]


def test_a_file_first_seen_on_a_miss_and_written_before_it_is_kept_is_not_kept_as_read(tmp_path):
    """A file the build's listing did not see (made since): its status is taken on the cache's
    miss, before Pelican reads it; written again before its entry is kept, it gets the mark."""
    prepare_content_cache()
    source = tmp_path / "nouveau.md"
    source.write_text("Version A.", "utf-8")
    readers = FileStampDataCacher(cacher(tmp_path).settings, "essai", caching_policy=True, load_policy=False)
    assert readers.get_cached_data(str(source)) is None  # the miss
    read = source.read_text("utf-8")  # Pelican reads version A
    time.sleep(0.05)  # one tick of the clock that dates writes
    source.write_text("Version B.", "utf-8")
    readers.cache_data(str(source), read)
    stamp, kept = readers._cache[str(source)]
    assert kept == "Version A."
    assert stamp == changed_mark()  # never A's text under B's checksum


def test_the_content_cache_rewrites_only_the_shards_whose_entries_changed(tmp_path):
    prepare_content_cache()
    settings = {**DEFAULT_CONFIG, "CACHE_PATH": str(tmp_path / "cache"), "GZIP_CACHE": False}
    names = [f"/contenu/article-{number}.md" for number in range(40)]
    first = FileDataCacher(settings, "Lecteurs", caching_policy=True, load_policy=True)
    for name in names:
        first.cache_data(name, ("texte", name))
    first.save_cache()
    shards = sorted((tmp_path / "cache").glob("Lecteurs.*"))
    assert len(shards) == SHARDS  # every shard, even an empty one: the next build can tell
    times = {path.name: path.stat().st_mtime_ns for path in shards}
    time.sleep(0.02)
    second = FileDataCacher(settings, "Lecteurs", caching_policy=True, load_policy=True)
    assert second._cache == first._cache
    second.cache_data(names[7], ("texte changé", names[7]))
    second.save_cache()
    rewritten = [path.name for path in shards if path.stat().st_mtime_ns != times[path.name]]
    assert rewritten == [f"Lecteurs.{shard_of(names[7])}"]
    third = FileDataCacher(settings, "Lecteurs", caching_policy=True, load_policy=True)
    assert third._cache == {**first._cache, names[7]: ("texte changé", names[7])}


def test_a_folder_in_place_of_a_shard_is_said_once_and_replaced(tmp_path, caplog):
    prepare_content_cache()
    settings = {**DEFAULT_CONFIG, "CACHE_PATH": str(tmp_path / "cache"), "GZIP_CACHE": False}
    first = FileDataCacher(settings, "Lecteurs", caching_policy=True, load_policy=True)
    for number in range(40):
        first.cache_data(f"/contenu/article-{number}.md", ("texte", number))
    first.save_cache()
    shard = tmp_path / "cache/Lecteurs.3"
    shard.unlink()
    shard.mkdir()
    with caplog.at_level(logging.INFO):
        second = FileDataCacher(settings, "Lecteurs", caching_policy=True, load_policy=True)
        second.save_cache()
    assert "Lecteurs.3 illisible" in caplog.text
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert shard.is_file()
    third = FileDataCacher(settings, "Lecteurs", caching_policy=True, load_policy=True)
    assert len(third._cache) == 40 - sum(1 for n in range(40) if shard_of(f"/contenu/article-{n}.md") == 3)
