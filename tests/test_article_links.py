"""Pelican's {attach}, {static} and {filename} links in an article's text and in its résumé
are published as addresses of files that exist, on a first build and after an edit."""

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from carnet.builds.pipeline import build_site
from tests.project import ROOT
from tests.sitebuild import article, build_test_site, tiny_content

# A 1×1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415478da63f8cfc0000003010100c9fe92ef0000000049454e44ae426082"
)
SCHEMA = article(
    "Un schéma",
    "Voici le schéma ![Le schéma]({attach}../images/schema.png).\n\n"
    "Et la [fiche]({static}../images/fiche.png), près d’[un autre article]({filename}suite.md).",
    Date="2021-03-01",
)
SUITE = article(
    "La suite",
    "::: résumé\n- Elle prolonge [le schéma]({filename}schema.md), "
    "![fiche]({static}../images/fiche.png).\n:::\n\n"
    "Le texte de la suite.",
    Date="2021-04-01",
)
PLACEHOLDERS = ("{attach}", "{static}", "{filename}")


def write_content(tmp: Path) -> Path:
    content = tiny_content(tmp, {"schema.md": SCHEMA, "suite.md": SUITE})
    (content / "images").mkdir()
    (content / "images" / "schema.png").write_bytes(PNG)
    (content / "images" / "fiche.png").write_bytes(PNG)
    return content


def no_placeholder_left(output: Path) -> None:
    for page in output.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not [mark for mark in PLACEHOLDERS if mark in text], page


def file_at(output: Path, address: str) -> Path:
    """The file that a root-relative address of the site names."""
    assert address.startswith("/"), address
    return output / address.lstrip("/")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("links")
    # Strict: Pelican's « Unable to find … skipping url replacement » fails the build.
    return build_test_site(tmp / "out", write_content(tmp), settings_file="pelicanconf.py")


def test_attached_and_static_files_in_the_text_are_linked_where_they_are(site):
    text = site.html("un-schema/index.html").select_one("#texte")
    image = text.select_one("img")
    assert image["src"] == "/un-schema/schema.png"  # {attach}: beside the page that links it
    assert file_at(site.output, image["src"]).read_bytes() == PNG
    hrefs = [link["href"] for link in text.select("a")]
    assert "/images/fiche.png" in hrefs
    assert file_at(site.output, "/images/fiche.png").is_file()
    assert "/la-suite/" in hrefs


def test_links_in_the_resume_and_its_listing_summary_are_resolved(site):
    resume = site.html("la-suite/index.html").select_one("section.resume")
    assert [link["href"] for link in resume.select("a")] == ["/un-schema/"]
    assert [image["src"] for image in resume.select("img")] == ["/images/fiche.png"]
    card = site.html("index.html").find("a", href="/un-schema/", string="le schéma")
    assert card is not None, "the listing's summary, taken from the résumé, links the article"
    no_placeholder_left(site.output)


def test_an_incremental_build_keeps_the_links_resolved(tmp_path):
    content = write_content(tmp_path)
    root = tmp_path / "site"
    overrides = {"PATH": str(content), "THEME": str(shutil.copytree(ROOT / "theme", tmp_path / "theme"))}
    build_site(root, ROOT / "pelicanconf.py", overrides=overrides)
    suite = content / "articles" / "suite.md"
    suite.write_text(suite.read_text(encoding="utf-8").replace("Le texte", "Tout le texte"), "utf-8")
    assert build_site(root, ROOT / "pelicanconf.py", overrides=overrides).changed
    output = root / "output"
    page = BeautifulSoup((output / "la-suite/index.html").read_text(encoding="utf-8"), "lxml")
    assert "Tout le texte" in page.select_one("#texte").get_text()
    assert [link["href"] for link in page.select("section.resume a")] == ["/un-schema/"]
    schema = BeautifulSoup((output / "un-schema/index.html").read_text(encoding="utf-8"), "lxml")
    assert file_at(output, schema.select_one("#texte img")["src"]).read_bytes() == PNG
    no_placeholder_left(output)


def test_a_file_that_only_the_resume_attaches_is_published_beside_the_article(tmp_path):
    # Pelican gathers the files an article links from its text alone.
    resume = "::: résumé\n- En une image : ![la photo]({attach}photo.png).\n:::\n\nLe texte, sans image."
    content = tiny_content(tmp_path, {"photo.md": article("Une photo", resume)})
    (content / "articles" / "photo.png").write_bytes(PNG)
    site = build_test_site(tmp_path / "out", content, settings_file="pelicanconf.py")
    image = site.html("une-photo/index.html").select_one("section.resume img")
    assert image["src"] == "/une-photo/photo.png"
    assert file_at(site.output, image["src"]).read_bytes() == PNG


def test_with_relative_urls_the_resume_links_from_its_own_page(tmp_path):
    site = build_test_site(tmp_path / "out", write_content(tmp_path), "pelicanconf.py", RELATIVE_URLS=True)
    page = site.output / "la-suite/index.html"
    resume = site.html("la-suite/index.html").select_one("section.resume")
    targets = [link["href"] for link in resume.select("a")] + [image["src"] for image in resume.select("img")]
    assert targets == ["../un-schema/", "../images/fiche.png"]
    for target in targets:
        assert (page.parent / target).resolve().exists(), target
    no_placeholder_left(site.output)
