"""A build made in the folders of one no longer kept (carnet/builds/area.py, the spare): the
same pages as a clean build, folder for folder, and not a byte of the kept builds changed."""

import hashlib
import os
from pathlib import Path

import pytest

from carnet.builds import area
from carnet.builds.pipeline import build_site
from carnet.builds.runner import BuildFailed
from tests.project import ROOT
from tests.sitebuild import article, copy_theme, tiny_content

SETTINGS = ROOT / "pelicanconf.py"


def tree(folder: Path) -> dict[str, str | None]:
    """Every file (its checksum) and folder (None) under `folder`."""
    found = {}
    for path in folder.rglob("*"):
        name = str(path.relative_to(folder))
        found[name] = None if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return found


class Site:
    def __init__(self, base: Path, **overrides: str):
        self.base = base
        self.content = tiny_content(
            base, {f"{name}.md": article(f"Article {name}", Slug=name) for name in ("un", "deux", "trois")}
        )
        self.overrides = {"PATH": str(self.content), "THEME": str(copy_theme(base)), **overrides}
        self.root = base / "site"

    def build(self, root: Path | None = None, full: bool = False):
        return build_site(root or self.root, SETTINGS, overrides=self.overrides, full=full)

    def edit(self, name: str, sentence: str) -> None:
        path = self.content / "articles" / f"{name}.md"
        path.write_text(path.read_text("utf-8") + f"\n{sentence}\n", "utf-8")

    def clean_tree(self, name: str) -> dict[str, str | None]:
        clean = self.base / name
        self.build(clean, full=True)
        return tree(clean / "output")

    @property
    def spare(self) -> Path:
        return self.root / ".site/spare"


@pytest.fixture
def site(tmp_path) -> Site:
    site = Site(tmp_path)
    site.build()
    site.edit("un", "Première retouche.")
    site.build()
    site.edit("deux", "Deuxième retouche.")
    site.build()  # the first build is no longer kept: it is the spare
    assert (site.spare / "output/trois").is_dir()
    return site


def test_the_next_build_is_made_in_the_spare_folders_and_equals_a_clean_one(site):
    live, previous = (site.root / ".site/current").resolve(), (site.root / ".site/previous").resolve()
    kept_before = {build: tree(build) for build in (live, previous)}
    folder_of_un = (site.spare / "output/un").stat().st_ino
    (site.content / "articles/trois.md").unlink()  # its folder, in the spare, must go
    (site.content / "articles/quatre.md").write_text(article("Article quatre", Slug="quatre"), "utf-8")
    site.edit("un", "Troisième retouche.")

    result = site.build()

    assert (result.folder / "output/un").stat().st_ino == folder_of_un
    assert tree(site.root / "output") == site.clean_tree("propre")
    assert not (site.root / "output/trois").exists()
    # The live build, now the previous one, shares its unchanged pages with the new build
    # through hard links: none was written through.
    assert tree(live) == kept_before[live]
    assert (site.root / ".site/previous").resolve() == live
    assert tree(site.spare) == kept_before[previous]  # no longer kept: the next spare, untouched


def test_a_folder_the_live_build_has_empty_stays_the_others_go(site):
    live = (site.root / ".site/current").resolve()
    (live / "output/vide").mkdir()  # as a build that makes an empty folder would leave it
    for name in ("vide", "vide-aussi/dedans"):
        (site.spare / "output" / name).mkdir(parents=True)
    site.edit("deux", "Encore.")
    result = site.build()
    assert (result.folder / "output/vide").is_dir()
    assert not (result.folder / "output/vide-aussi").exists()


def test_a_spare_made_under_other_settings_is_not_reused(site):
    # Under these, an article is a file where the spare has its folder.
    site.overrides.update(ARTICLE_URL="{slug}", ARTICLE_SAVE_AS="{slug}")
    site.build()
    site.edit("un", "Sous d’autres réglages.")
    site.build()
    assert (site.spare / "output/un").is_dir()  # from before the change
    site.edit("deux", "Encore sous d’autres réglages.")
    result = site.build()
    assert (result.folder / "output/un").is_file()
    assert tree(site.root / "output") == site.clean_tree("propre")


@pytest.mark.parametrize("rogue", ["link", "file"])
def test_something_else_in_place_of_the_spare_is_set_aside(site, tmp_path, rogue):
    elsewhere = tmp_path / "ailleurs"
    (elsewhere / "output").mkdir(parents=True)
    (elsewhere / "output/garder.txt").write_text("à garder", "utf-8")
    os.rename(site.spare, tmp_path / "vraie-reserve")
    if rogue == "link":
        site.spare.symlink_to(elsewhere, target_is_directory=True)
    else:
        site.spare.write_text("pas un dossier", "utf-8")
    site.edit("un", "Retouche.")
    result = site.build()
    assert result.changed
    assert not result.folder.is_symlink()
    # Set aside; then the build no longer kept is the spare.
    assert not site.spare.is_symlink()
    assert site.spare.is_dir()
    assert (elsewhere / "output/garder.txt").read_text("utf-8") == "à garder"
    assert tree(site.root / "output") == site.clean_tree("propre")


def test_a_failed_build_is_thrown_away_and_the_spare_waits_for_the_next(site):
    live = (site.root / ".site/current").resolve()
    before = tree(live)
    # An unknown group in the tag map (a content file: the same code digest) fails the build.
    (site.content / "tagmap.toml").write_text('[tags.x]\ngroup = "inconnu"\nfr = "X"\nen = "x"\n', "utf-8")
    with pytest.raises(BuildFailed):
        site.build()
    assert tree(live) == before
    assert (site.root / ".site/current").resolve() == live
    # Its folder was the spare: thrown away with what it wrote, never the spare again.
    assert not site.spare.exists()
    assert len(list((site.root / ".site/builds").iterdir())) == 2
    (site.content / "tagmap.toml").unlink()
    site.edit("trois", "Après la table cassée.")
    site.build()
    assert tree(live) == before
    assert tree(site.root / "output") == site.clean_tree("propre")


def test_a_spare_that_cannot_be_emptied_gives_way_to_a_fresh_folder(site, monkeypatch):
    live = (site.root / ".site/current").resolve()
    # An empty folder the live build has stays in a reused spare: here it tells one from a fresh folder.
    for build in (live, site.spare):
        (build / "output/marque").mkdir()
    before = tree(live)
    emptied = area.remove_files

    def stopped_midway(folder):
        emptied(folder / "output" / "un")
        raise PermissionError(13, "Permission non accordée", str(folder / "output/deux/index.html"))

    monkeypatch.setattr(area, "remove_files", stopped_midway)
    site.edit("trois", "Avec une réserve qui résiste.")
    result = site.build()
    assert not (result.folder / "output/marque").exists()
    assert tree(live) == before
    assert tree(site.root / "output") == site.clean_tree("propre")


def test_a_full_build_starts_from_an_empty_folder(site):
    folder_of_un = (site.spare / "output/un").stat().st_ino
    result = site.build(full=True)
    assert (result.folder / "output/un").stat().st_ino != folder_of_un
    assert (site.spare / "output/un").stat().st_ino == folder_of_un  # still there for the next


def test_remove_files_keeps_the_folders_and_never_follows_a_link(tmp_path):
    live, spare, elsewhere = tmp_path / "live", tmp_path / "spare", tmp_path / "ailleurs"
    for folder in (live / "a", spare / "a/b/c", elsewhere):
        folder.mkdir(parents=True)
    (live / "a/page.html").write_text("en ligne", "utf-8")
    os.link(live / "a/page.html", spare / "a/page.html")  # a page the two builds share
    (spare / "a/b/c/vieux.html").write_text("ancien", "utf-8")
    (spare / "inputs.json").write_text("{}", "utf-8")
    (elsewhere / "garder.txt").write_text("à garder", "utf-8")
    (spare / "a/lien").symlink_to(elsewhere, target_is_directory=True)
    folders = area.remove_files(spare)
    assert sorted(folders) == ["a", "a/b", "a/b/c"]
    assert folders.index("a") < folders.index("a/b") < folders.index("a/b/c")
    assert [path for path in spare.rglob("*") if not path.is_dir() or path.is_symlink()] == []
    assert (live / "a/page.html").read_text("utf-8") == "en ligne"
    assert (live / "a/page.html").stat().st_nlink == 1
    assert (elsewhere / "garder.txt").read_text("utf-8") == "à garder"


def test_a_folder_of_the_spare_the_live_build_lacks_cannot_stand_where_a_page_goes(site):
    (site.spare / "output/conflit/dedans").mkdir(parents=True)  # an article's folder, two builds ago
    (site.content / "articles/quatre.md").write_text(
        article("Article quatre", Slug="quatre", Save_as="conflit", URL="conflit"), "utf-8"
    )
    result = site.build()
    assert (result.folder / "output/conflit").is_file()
    assert tree(site.root / "output") == site.clean_tree("propre")


def test_a_page_given_the_path_of_a_folder_the_live_build_has(site):
    # « trois » has its folder in the live build and in the spare: a page now goes there as a file.
    (site.content / "articles/trois.md").unlink()
    moved = article("Article un", Slug="un", Save_as="trois", URL="trois")
    (site.content / "articles/un.md").write_text(moved, "utf-8")
    result = site.build()
    assert (result.folder / "output/trois").is_file()
    assert tree(site.root / "output") == site.clean_tree("propre")


def test_a_static_file_named_as_a_folder_the_live_build_has(site):
    # An article's folder under images/ (pelicanconf.py's STATIC_PATHS), in the live build and
    # the spare; then the article goes and a static file takes its name.
    page = article("Image", Slug="image", Save_as="images/pic/index.html", URL="images/pic/")
    (site.content / "articles/image.md").write_text(page, "utf-8")
    for number in range(3):
        site.build()
        site.edit("deux", f"Retouche {number}.")
    assert (site.spare / "output/images/pic").is_dir()
    assert ((site.root / ".site/current").resolve() / "output/images/pic").is_dir()
    (site.content / "articles/image.md").unlink()
    (site.content / "images").mkdir()
    (site.content / "images/pic").write_text("une image", "utf-8")
    result = site.build()
    assert not [finding for finding in result.report.findings if "pic" in finding.message]  # no copy failed
    assert (result.folder / "output/images/pic").read_text("utf-8") == "une image"
    assert tree(site.root / "output") == site.clean_tree("propre")
