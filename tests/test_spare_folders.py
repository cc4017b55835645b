"""A build made in the folders of one no longer kept (carnet/builds/area.py, the spare): the
same pages as a clean build, folder for folder, and not a byte of the kept builds changed."""

import hashlib
import os
from pathlib import Path

import pytest

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
    live = (site.root / ".site/current").resolve()
    kept_before = {build: tree(build) for build in (live, (site.root / ".site/previous").resolve())}
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


def test_a_failed_build_leaves_the_kept_builds_whole_and_its_folder_is_not_reused(site):
    live = (site.root / ".site/current").resolve()
    before = tree(live)
    os.rename(site.spare, site.base / "vraie-reserve")  # the failed build's folder becomes the spare
    (site.content / "articles/casse.md").write_text("Title: Cassé\nDate: pas une date\n\nTexte.\n", "utf-8")
    with pytest.raises(BuildFailed):
        build_site(site.root, SETTINGS, overrides=site.overrides, strict=True)
    assert (site.spare / "output").is_dir()
    assert tree(live) == before
    (site.content / "articles/casse.md").unlink()
    site.edit("trois", "Après l’article cassé.")
    site.build()
    assert tree(live) == before
    assert tree(site.root / "output") == site.clean_tree("propre")
