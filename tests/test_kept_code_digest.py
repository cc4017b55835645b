"""The code's digest kept between builds (carnet/builds/kept_code_digest.py): reused while
nothing it may depend on changed, worked out again otherwise, never kept when racy."""

import logging
import sys
import time

import pytest

from carnet.builds import kept_code_digest as module
from carnet.builds.kept_code_digest import kept_code_digest


@pytest.fixture
def code(tmp_path, monkeypatch):
    theme, plugins = tmp_path / "theme", tmp_path / "plugins"
    (theme / "templates").mkdir(parents=True)
    (theme / "templates/base.html").write_text("<html>{{ title }}</html>", "utf-8")
    (plugins / "un").mkdir(parents=True)
    (plugins / "un/un.py").write_text("def register():\n    pass\n", "utf-8")
    monkeypatch.setattr(module, "RACY_NS", 0)  # the files were all written just now
    return tmp_path


class Counted:
    """A stand-in for the digest's work: its value follows the theme and plugins' bytes."""

    def __init__(self, root):
        self.root, self.calls = root, 0

    def __call__(self) -> bytes:
        self.calls += 1
        parts = sorted(p.read_bytes() for p in self.root.rglob("*") if p.is_file() and p.suffix != ".json")
        return b"".join(parts)[:64].ljust(64, b"-")


def digest(root, work):
    settings = {"THEME": str(root / "theme"), "PLUGIN_PATHS": [str(root / "plugins")]}
    return kept_code_digest(root / "code-digest.json", ["theme", "plugins"], settings, work)


def test_kept_while_nothing_changes(code):
    work = Counted(code)
    first = digest(code, work)
    assert digest(code, work) == first
    assert work.calls == 1


@pytest.mark.parametrize(
    "change",
    [
        lambda root: (root / "theme/templates/base.html").write_text("<html>{{ titre }}</html>", "utf-8"),
        lambda root: (root / "plugins/un/deux.py").write_text("x = 1\n", "utf-8"),
        lambda root: (root / "plugins/un/un.py").unlink(),
    ],
    ids=["same-size edit", "file added", "file removed"],
)
def test_worked_out_again_after_a_change(code, change):
    work = Counted(code)
    digest(code, work)
    time.sleep(0.05)  # one tick of the clock that dates writes: a same-size edit changes the status
    change(code)
    assert digest(code, work) == Counted(code)()
    assert work.calls == 2


def test_a_distribution_installed_is_a_change(code, monkeypatch):
    packages = code / "site-packages"
    packages.mkdir()
    monkeypatch.setattr(sys, "path", [*sys.path, str(packages)])
    work = Counted(code)
    digest(code, work)
    time.sleep(0.05)
    (packages / "nouveau-1.0.dist-info").mkdir()
    digest(code, work)
    assert work.calls == 2


def test_nothing_kept_for_a_file_changed_just_now(code, monkeypatch):
    monkeypatch.setattr(module, "RACY_NS", 3_000_000_000)
    work = Counted(code)
    digest(code, work)
    assert not (code / "code-digest.json").exists()
    digest(code, work)
    assert work.calls == 2


def test_a_damaged_record_is_said_and_worked_out_again(code, caplog):
    work = Counted(code)
    first = digest(code, work)
    (code / "code-digest.json").write_bytes(b"\x00pas du json")
    with caplog.at_level(logging.INFO):
        assert digest(code, work) == first
    assert work.calls == 2
    assert "code-digest.json illisible" in caplog.text
    assert digest(code, work) == first  # kept again
    assert work.calls == 2


def test_the_search_path_in_another_order_is_another_key(code, monkeypatch):
    work = Counted(code)
    digest(code, work)
    monkeypatch.setattr(sys, "path", list(reversed(sys.path)))
    digest(code, work)
    assert work.calls == 2


def test_a_full_build_reads_the_code_again(tmp_path, monkeypatch):
    """`invoke build --full` works the code's digest out again and keeps it anew, whatever the
    record says (a theme edited on a file system whose times do not move)."""
    from carnet.builds import sources
    from carnet.builds.pipeline import CODE_DIGEST_FILE, build_site
    from tests.project import ROOT
    from tests.sitebuild import article, copy_theme, tiny_content

    content = tiny_content(tmp_path, {"un.md": article("Un")})
    overrides = {"PATH": str(content), "THEME": str(copy_theme(tmp_path))}
    root = tmp_path / "site"
    worked = []
    real = sources._digest_code
    monkeypatch.setattr(sources, "_digest_code", lambda *args: worked.append(1) or real(*args))
    monkeypatch.setattr(module, "RACY_NS", 0)
    # Pelican puts "" on the search path at its first run in a process: the key is stable from
    # the second build on.
    for name in ("deux", "trois"):
        (content / f"articles/{name}.md").write_text(article(name.title()), "utf-8")
        build_site(root, ROOT / "pelicanconf.py", overrides=overrides)
    record = root / ".site" / CODE_DIGEST_FILE
    assert record.is_file()
    before = len(worked)
    (content / "articles/quatre.md").write_text(article("Quatre"), "utf-8")
    build_site(root, ROOT / "pelicanconf.py", overrides=overrides)
    assert len(worked) == before  # kept
    record.write_text(record.read_text("utf-8").replace('"digest": "', '"digest": "00'), "utf-8")
    build_site(root, ROOT / "pelicanconf.py", overrides=overrides, full=True)
    assert len(worked) == before + 1
    assert '"digest": "00' not in record.read_text("utf-8")


@pytest.mark.parametrize("racy", [False, True])
def test_a_folder_in_place_of_the_record_is_set_aside(code, caplog, monkeypatch, racy):
    if racy:
        monkeypatch.setattr(module, "RACY_NS", 3_000_000_000)
    (code / "code-digest.json").mkdir()
    work = Counted(code)
    with caplog.at_level(logging.INFO):
        assert digest(code, work) == Counted(code)()
    assert "code-digest.json illisible" in caplog.text
    assert not (code / "code-digest.json").is_dir()
