"""Gzip copies of the publication build (plugins/precompress), for nginx's gzip_static."""

import gzip
import os
import shutil

from carnet.publishing.compression import SUFFIXES, precompress


def test_publication_build_has_a_smaller_gzip_copy_of_each_page(site):
    pages = site.html_files()
    assert len(pages) > 20
    for page in pages:
        copy = page.with_name(page.name + ".gz")
        assert copy.is_file(), copy
        assert gzip.decompress(copy.read_bytes()) == page.read_bytes()
        assert copy.stat().st_size < page.stat().st_size
    for name in ("sitemap.xml", "tagmap.json", "feeds/tous.atom.xml"):
        assert gzip.decompress((site.output / f"{name}.gz").read_bytes()) == (site.output / name).read_bytes()
    # Only text: nothing else gets a copy.
    for copy in site.output.rglob("*.gz"):
        assert copy.with_suffix("").suffix in SUFFIXES, copy


def test_local_build_writes_no_gzip_copy(dev_site):
    assert not list(dev_site.output.rglob("*.gz"))


def test_copies_are_the_same_bytes_build_after_build(tmp_path):
    """No date or file name in the gzip header: two builds of one site are identical."""
    for name in ("a", "b"):
        tree = tmp_path / name / "page"
        tree.mkdir(parents=True)
        (tree / "index.html").write_text("<p>Le même texte, assez long pour gagner. " * 20, "utf-8")
        precompress(tmp_path / name)
    first = (tmp_path / "a/page/index.html.gz").read_bytes()
    assert first == (tmp_path / "b/page/index.html.gz").read_bytes()
    assert first[4:8] == b"\0\0\0\0"  # MTIME


def test_no_copy_when_it_would_not_be_smaller_and_stale_ones_go(tmp_path):
    (tmp_path / "tiny.txt").write_text("ok", "utf-8")
    (tmp_path / "tiny.txt.gz").write_bytes(gzip.compress(b"an older version"))
    (tmp_path / "image.png").write_bytes(b"\x89PNG" + bytes(4000))
    report = precompress(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["image.png", "tiny.txt"]
    assert (report.files, report.written) == (1, 0)


def test_unchanged_files_share_the_previous_builds_copy(tmp_path):
    previous, current = tmp_path / "previous", tmp_path / "current"
    previous.mkdir()
    (previous / "same.html").write_text("<p>Inchangé.</p>\n" * 50, "utf-8")
    (previous / "edited.html").write_text("<p>Avant.</p>\n" * 50, "utf-8")
    precompress(previous)
    shutil.copytree(previous, current, ignore=shutil.ignore_patterns("*.gz"))
    (current / "edited.html").write_text("<p>Après.</p>\n" * 50, "utf-8")

    report = precompress(current, previous=previous)

    assert (report.written, report.reused) == (2, 1)
    assert (current / "same.html.gz").stat().st_ino == (previous / "same.html.gz").stat().st_ino
    edited = current / "edited.html"
    assert gzip.decompress(edited.with_name("edited.html.gz").read_bytes()) == edited.read_bytes()
    assert (current / "edited.html.gz").stat().st_ino != (previous / "edited.html.gz").stat().st_ino


def test_a_page_the_build_linked_in_place_shares_its_copy_and_same_size_bytes_do_not(tmp_path):
    previous, current = tmp_path / "previous", tmp_path / "current"
    previous.mkdir()
    current.mkdir()
    (previous / "linked.html").write_text("<p>Réutilisée.</p>\n" * 50, "utf-8")
    (previous / "twin.html").write_text("<p>AAAA</p>\n" * 50, "utf-8")
    precompress(previous)
    os.link(previous / "linked.html", current / "linked.html")  # as the render memo reuses pages
    (current / "twin.html").write_text("<p>BBBB</p>\n" * 50, "utf-8")  # same size, other bytes

    report = precompress(current, previous=previous)

    assert (report.written, report.reused) == (2, 1)
    assert (current / "linked.html.gz").stat().st_ino == (previous / "linked.html.gz").stat().st_ino
    twin = current / "twin.html"
    assert gzip.decompress(twin.with_name("twin.html.gz").read_bytes()) == twin.read_bytes()
