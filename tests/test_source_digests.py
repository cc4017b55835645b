"""Each content file's digest kept from one build to the next by its status (source_digests.py):
the same inputs digest as reading every file, files read only when their status moved or
their last change was too close to the reading, and Pelican's checksums taken from them."""

import contextlib
import hashlib
import os
from pathlib import Path

from pelican import signals

from carnet.builds import pelican_cache, source_digests
from carnet.builds.inputs import inputs_digest
from carnet.builds.pipeline import SOURCES_FILE, build_site
from carnet.builds.source_digests import FileDigest, SourceDigests, files_under, status_of
from tests.sitebuild import article

ROOT = Path(__file__).resolve().parents[1]


def read_whole(code: str, folder: Path) -> str:
    """The inputs digest as its definition says: each file's name, size and bytes' digest."""
    hasher = hashlib.blake2b(code.encode(), digest_size=16)
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        data = path.read_bytes()
        hasher.update(f"{path.relative_to(folder)}\0{len(data)}\0".encode())
        hasher.update(hashlib.blake2b(data, digest_size=16).digest())
    return hasher.hexdigest()


_written = iter(range(1, 10**6))


def touched(path: Path) -> None:
    """A modification time of its own for the file just written: on a coarse clock, two writes
    of the test could share every time of the file (the case the racy window is for)."""
    mark = 1_000_000_000 * 10**9 + next(_written)
    os.utime(path, ns=(mark, mark), follow_symlinks=False)


def settle(monkeypatch) -> None:
    """Files count as settled as soon as they are read (no racy window), for the tests that
    look at what is kept rather than at the window."""
    monkeypatch.setattr(source_digests, "RACY_NS", -(10**12))


def test_kept_digests_give_the_digest_of_reading_everything_after_every_kind_of_save(tmp_path, monkeypatch):
    settle(monkeypatch)
    content, kept_at = tmp_path / "content", tmp_path / "sources.pickle"
    (content / "articles").mkdir(parents=True)
    for name in "abc":
        (content / "articles" / f"{name}.md").write_text(f"Title: {name}\n\nTexte {name}.\n", "utf-8")

    def write(path: Path, text: str) -> None:
        path.write_text(text, "utf-8")
        touched(path)

    saves = [
        lambda: None,
        lambda: write(content / "articles/a.md", "Title: a\n\nTexte A.\n"),  # same size
        lambda: write(content / "articles/d.md", "Title: d\n\nNouveau.\n"),
        lambda: (content / "articles/b.md").unlink(),
        lambda: (content / "articles/c.md").rename(content / "articles/e.md"),
        lambda: (content / "images").mkdir(),
        lambda: (content / "images/photo.png").write_bytes(b"\x89PNG"),  # new: nothing to tell apart
        lambda: (content / "images/copie.png").symlink_to(content / "images/photo.png"),
        lambda: (content / "images/dossier").symlink_to(content / "articles"),  # not followed
        lambda: (content / "__pycache__").mkdir(),
        lambda: (content / "__pycache__/x.pyc").write_bytes(b"compiled"),
        lambda: (content / "images/copie.png").unlink(),
    ]
    digests, in_memory = [], SourceDigests()
    for save in saves:
        save()
        digests.append(inputs_digest("code", content, in_memory))
        from_disk = SourceDigests.load(kept_at)
        assert inputs_digest("code", content, from_disk) == digests[-1] == read_whole("code", content)
        from_disk.save(kept_at)
    # An empty folder, a link to a folder, a compiled cache's folder and file are no files (4
    # saves that change nothing); a link removed gives back the digest before it.
    assert len(set(digests)) == len(saves) - 5


def test_an_unchanged_file_is_not_read_again_and_a_changed_one_is(tmp_path, monkeypatch):
    settle(monkeypatch)
    content, kept_at = tmp_path / "content", tmp_path / "sources.pickle"
    content.mkdir()
    for name in "abc":
        (content / f"{name}.md").write_text(f"Texte {name}.", "utf-8")
    first = SourceDigests.load(kept_at)
    inputs_digest("code", content, first)
    first.save(kept_at)
    assert first.read == 3
    (content / "b.md").write_text("Texte B.", "utf-8")  # same size: its times moved
    touched(content / "b.md")
    again = SourceDigests.load(kept_at)
    inputs_digest("code", content, again)
    assert again.read == 1


def test_a_file_changed_too_close_to_its_reading_is_read_again(tmp_path):
    """A second write in the tick of the first keeps every time of the file: only the
    window of RACY_NS tells such a file from one that cannot have changed."""
    content = tmp_path / "content"
    content.mkdir()
    source = content / "article.md"
    source.write_text("Texte un.", "utf-8")
    status = status_of(os.stat(source))
    last_change = status[4]
    wrong = b"\0" * 16  # what a reading of other bytes of the same size and times would have kept

    def kept(read_ns: int, saved_ns: int) -> SourceDigests:
        return SourceDigests({str(source): FileDigest(status, read_ns, wrong, b"x")}, saved_ns)

    racy = kept(last_change + 1_000_000, last_change + 10 * source_digests.RACY_NS)
    assert inputs_digest("code", content, racy) == read_whole("code", content)
    assert racy.read == 1
    # Saved by a file system whose clock is behind: as racy.
    behind = kept(last_change + 10 * source_digests.RACY_NS, last_change + 1_000_000)
    assert inputs_digest("code", content, behind) == read_whole("code", content)
    assert behind.read == 1
    # Read well after its last change, it is trusted: the kept digest is what counts (which
    # is why the window matters).
    settled = kept(last_change + 2 * source_digests.RACY_NS, last_change + 2 * source_digests.RACY_NS)
    assert inputs_digest("code", content, settled) != read_whole("code", content)
    assert settled.read == 0


def test_the_files_are_listed_as_paths_sort_without_compiled_caches(tmp_path):
    for name in ["b/c.md", "a.md", "a-b.md", "a/z.md", "__pycache__/x.pyc", "b/__pycache__/y.pyc"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(name, "utf-8")
    names = [relative for relative, _, _ in files_under(tmp_path)]
    expected = sorted(p for p in tmp_path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    assert names == [str(p.relative_to(tmp_path)) for p in expected]
    assert names[:2] == ["a/z.md", "a-b.md"]  # part by part, as Paths sort


def test_a_damaged_record_is_set_aside_with_a_notice_and_every_file_read(tmp_path, caplog):
    content, kept_at = tmp_path / "content", tmp_path / "sources.pickle"
    content.mkdir()
    (content / "a.md").write_text("Texte.", "utf-8")
    kept_at.write_bytes(b"\x80\x05not a pickle")
    sources = SourceDigests.load(kept_at)
    assert inputs_digest("code", content, sources) == read_whole("code", content)
    assert sources.read == 1
    assert "sources.pickle" in caplog.text
    assert "les fichiers seront relus" in caplog.text


def counting_pelican_reads(monkeypatch) -> list[str]:
    opened: list[str] = []
    original = pelican_cache._pelican_file_stamp

    def counted(self, filename):
        opened.append(os.path.basename(filename))
        return original(self, filename)

    monkeypatch.setattr(pelican_cache, "_pelican_file_stamp", counted)
    return opened


def test_a_rebuild_reads_only_the_edited_article_and_publishes_it(tmp_path, monkeypatch):
    settle(monkeypatch)
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    for number in range(3):
        text = article(f"Article {number}", f"Le texte numéro {number}.", tags="partenariat")
        (content / "articles" / f"article-{number}.md").write_text(text, "utf-8")
    root, overrides = tmp_path / "site", {"PATH": str(content)}
    opened = counting_pelican_reads(monkeypatch)
    build_site(root, ROOT / "pelicanconf.py", overrides=overrides)
    assert opened == []  # Pelican's checksums came from the digests' reading
    assert (root / ".site" / SOURCES_FILE).is_file()

    edited = content / "articles" / "article-1.md"
    edited.write_text(edited.read_text("utf-8").replace("numéro 1", "numéro 9"), "utf-8")
    touched(edited)
    assert build_site(root, ROOT / "pelicanconf.py", overrides=overrides).changed
    assert opened == []
    assert "numéro 9" in (root / "output" / "article-1" / "index.html").read_text("utf-8")
    assert not build_site(root, ROOT / "pelicanconf.py", overrides=overrides).changed


def test_a_file_rewritten_with_the_same_size_right_after_a_build_is_published(tmp_path):
    """The whole way, with the real window: the next build reads it again and publishes it."""
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    source = content / "articles" / "texte.md"
    source.write_text(article("Un texte", "Version A."), "utf-8")
    root, overrides = tmp_path / "site", {"PATH": str(content)}
    build_site(root, ROOT / "pelicanconf.py", overrides=overrides)
    source.write_text(article("Un texte", "Version B."), "utf-8")
    assert build_site(root, ROOT / "pelicanconf.py", overrides=overrides).changed
    assert "Version B." in (root / "output" / "un-texte" / "index.html").read_text("utf-8")


def test_a_file_gone_or_unreadable_when_read_leaves_the_others_digested(tmp_path, monkeypatch):
    content = tmp_path / "content"
    content.mkdir()
    for name in "abc":
        (content / f"{name}.md").write_text(f"Texte {name}.", "utf-8")
    listed = files_under(content)
    (content / "b.md").unlink()  # between the listing and the reading
    monkeypatch.setattr(source_digests, "files_under", lambda folder: listed)
    real_open = open

    def refusing(path, *args, **kwargs):
        if str(path).endswith("c.md"):
            raise PermissionError(13, "Permission non accordée", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(source_digests, "open", refusing, raising=False)
    sources = SourceDigests()
    first = inputs_digest("code", content, sources)
    assert sorted(Path(path).name for path in sources.files) == ["a.md"]  # c.md: digested, not kept
    assert "c.md" not in str(sources.pelican_stamps())
    (content / "c.md").write_text("Texte plus long.", "utf-8")  # its status moves: so does the digest
    listed[:] = files_under(content)
    assert inputs_digest("code", content, SourceDigests()) != first


@contextlib.contextmanager
def meanwhile(before_reading, once_read):
    """Run `before_reading` once the build has taken its digests, before Pelican reads the
    articles, and `once_read` once it has read them: a save while the build runs."""
    signals.initialized.connect(before_reading)
    signals.article_generator_finalized.connect(once_read)
    try:
        yield
    finally:
        signals.initialized.disconnect(before_reading)
        signals.article_generator_finalized.disconnect(once_read)


def test_a_file_written_during_the_build_is_built_again_even_if_it_ends_as_it_began(tmp_path):
    """An editor's autosave during a build: Pelican reads one version, the file ends as the
    digest saw it. The next build must not say « nothing changed » and keep what Pelican read."""
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    source = content / "articles" / "texte.md"
    version_a, version_b = article("Un texte", "Version A."), article("Un texte", "Version B.")
    source.write_text(version_a, "utf-8")
    root, overrides = tmp_path / "site", {"PATH": str(content)}
    build_site(root, ROOT / "pelicanconf.py", overrides=overrides)
    source.write_text(article("Un texte", "Version C."), "utf-8")  # something to build

    def while_reading(_):
        source.write_text(version_b, "utf-8")  # after the digest, before Pelican reads it

    def once_read(_):
        source.write_text(article("Un texte", "Version C."), "utf-8")  # as the digest saw it

    with meanwhile(while_reading, once_read):
        assert build_site(root, ROOT / "pelicanconf.py", overrides=overrides).changed
    page = root / "output" / "un-texte" / "index.html"
    assert "Version B." in page.read_text("utf-8")  # what Pelican read
    assert build_site(root, ROOT / "pelicanconf.py", overrides=overrides).changed
    assert "Version C." in page.read_text("utf-8")
    assert not build_site(root, ROOT / "pelicanconf.py", overrides=overrides).changed


def test_an_article_made_and_removed_during_the_build_goes_with_the_next_build(tmp_path):
    """Neither the build's first listing of content/ nor its last saw it; Pelican did."""
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    (content / "articles" / "texte.md").write_text(article("Un texte", "Version A."), "utf-8")
    root, overrides = tmp_path / "site", {"PATH": str(content)}
    build_site(root, ROOT / "pelicanconf.py", overrides=overrides)
    (content / "articles" / "texte.md").write_text(article("Un texte", "Version B."), "utf-8")
    ghost = content / "articles" / "fantome.md"

    def made(_):
        ghost.write_text(article("Un fantôme", "Là un instant."), "utf-8")

    def removed(_):
        ghost.unlink()

    with meanwhile(made, removed):
        assert build_site(root, ROOT / "pelicanconf.py", overrides=overrides).changed
    assert (root / "output" / "un-fantome" / "index.html").is_file()  # Pelican read it
    assert build_site(root, ROOT / "pelicanconf.py", overrides=overrides).changed
    assert not (root / "output" / "un-fantome").exists()
    assert not build_site(root, ROOT / "pelicanconf.py", overrides=overrides).changed


def test_a_link_to_a_folder_inside_content_does_not_make_every_build_a_change(tmp_path):
    content = tmp_path / "content"
    (content / "articles" / "vrais").mkdir(parents=True)
    (content / "articles" / "vrais" / "texte.md").write_text(article("Un texte", "Le texte."), "utf-8")
    (content / "images").mkdir()
    (content / "schemas").mkdir()
    (content / "schemas" / "a.png").write_bytes(b"\x89PNG")
    (content / "images" / "schemas").symlink_to(content / "schemas", target_is_directory=True)
    root, overrides = tmp_path / "site", {"PATH": str(content)}
    build_site(root, ROOT / "pelicanconf.py", overrides=overrides)
    assert (root / "output" / "images" / "schemas" / "a.png").is_file()  # Pelican followed it
    assert not build_site(root, ROOT / "pelicanconf.py", overrides=overrides).changed
