"""Incremental builds: a rebuild reuses what did not change, and its output is the one
a clean build of the same sources writes, byte for byte, with nothing stale left over.

Each step changes the sources the way an author does (edit, retitle, add, delete, change
the tag map or the theme), rebuilds incrementally, then builds the same sources from
scratch in another folder and compares the two trees file by file.
"""

import json
import re
import shutil
from pathlib import Path

import pytest

from carnet.bench.corpus import write_corpus
from carnet.bench.run import tag_forms
from carnet.builds.pipeline import build_site
from carnet.search.querying import ArchiveSearch
from tests.project import ROOT

SETTINGS = ROOT / "pelicanconf.py"
QUERIES = ["confiance", "partenariat", "tag:partnership", "fidélisation", "formation -confiance"]


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every file's bytes and every folder (None) under `folder`: an empty folder left over counts."""
    found = {}
    for path in folder.rglob("*"):
        found[str(path.relative_to(folder))] = path.read_bytes() if path.is_file() else None
    return found


def manifest(root: Path) -> dict:
    return json.loads((root / ".site/current/render-manifest.json").read_text("utf-8"))


def found(root: Path, query: str) -> list[str]:
    return [hit.url for hit in ArchiveSearch.open(root / "search-index").search(query, page_size=50).results]


class Workspace:
    """Sources in a temp folder, an incremental site built from them, and clean builds to compare."""

    def __init__(self, base: Path):
        self.base = base
        self.content = base / "content"
        self.theme = base / "theme"
        self.incremental = base / "incremental"
        self.clean_builds = 0
        shutil.copytree(ROOT / "content", self.content)
        shutil.copytree(ROOT / "theme", self.theme)
        # Enough generated articles for listings of several pages, whose pages shift.
        write_corpus(self.content / "generated", 26, 11, tag_forms(), {})
        (self.content / "generated" / "articles").rename(self.content / "articles" / "generated")
        shutil.rmtree(self.content / "generated")
        self.overrides = {"PATH": str(self.content), "THEME": str(self.theme)}

    def build(self, root: Path, full: bool = False):
        root.mkdir(parents=True, exist_ok=True)
        return build_site(root, SETTINGS, overrides=self.overrides, full=full)

    def rebuild_and_compare(self) -> dict:
        """Rebuild incrementally; assert it equals a clean build; return its manifest."""
        result = self.build(self.incremental)
        assert result.changed
        self.clean_builds += 1
        clean = self.base / f"clean-{self.clean_builds}"
        self.build(clean, full=True)
        mine, reference = tree(self.incremental / "output"), tree(clean / "output")
        assert sorted(mine) == sorted(reference), "files or folders missing or left over"
        differing = sorted(name for name in reference if mine[name] != reference[name])
        assert differing == [], f"pages differ from a clean build: {differing[:10]}"
        for query in QUERIES:
            assert found(self.incremental, query) == found(clean, query), query
        for name in ("vocabulary.json", "tag-names.json", "documents.json"):  # beside the index
            mine, reference = (root / "search-index" / name for root in (self.incremental, clean))
            assert mine.read_bytes() == reference.read_bytes(), name
        return manifest(self.incremental)

    def article(self, name: str) -> Path:
        return self.content / "articles" / name


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    space = Workspace(tmp_path_factory.mktemp("incremental"))
    assert space.build(space.incremental).changed
    return space


def test_first_build_renders_every_page(workspace):
    pages = manifest(workspace.incremental)
    assert len(pages["pages"]) > 60
    assert sorted(pages["rendered"]) == sorted(pages["pages"])


def test_nothing_changed_nothing_built(workspace):
    live = (workspace.incremental / ".site/current").resolve()
    result = workspace.build(workspace.incremental)
    assert not result.changed
    assert (workspace.incremental / ".site/current").resolve() == live


def test_edited_article_only_its_pages_are_rendered(workspace):
    path = workspace.article("perdre-des-clients.md")
    text = path.read_text("utf-8")
    path.write_text(text.replace("\n\n", "\n\nUne phrase ajoutée par le test.\n\n", 1), "utf-8")
    previous = (workspace.incremental / ".site/current").resolve()
    pages = workspace.rebuild_and_compare()
    assert "perdre-des-clients/index.html" in pages["rendered"]
    # A reused page is the previous build's file, linked, not read and written again.
    reused = sorted(set(pages["pages"]) - set(pages["rendered"]))
    assert reused
    for name in reused:
        now, before = (workspace.incremental / "output" / name).stat(), (previous / "output" / name).stat()
        assert (now.st_dev, now.st_ino) == (before.st_dev, before.st_ino), name
    edited = (workspace.incremental / "output/perdre-des-clients/index.html").stat()
    assert edited.st_ino != (previous / "output/perdre-des-clients/index.html").stat().st_ino
    # Besides the article: its neighbours and the articles that list it as related.
    generated = [name for name in pages["rendered"] if name.startswith("article-0")]
    assert len(generated) <= 6
    assert len(pages["rendered"]) < len(pages["pages"]) / 2
    assert found(workspace.incremental, '"Une phrase ajoutée par le test"') == ["perdre-des-clients/"]


def test_retitled_article_updates_listings_and_neighbours(workspace):
    path = workspace.article("quen-est-il-de-la-fidelisation-dans-le-be-to-be.md")
    text = path.read_text("utf-8")
    path.write_text(text.replace("Title: ", "Title: Nouveau titre — ", 1), "utf-8")
    pages = workspace.rebuild_and_compare()
    assert "index.html" in pages["rendered"] or "index2.html" in pages["rendered"]
    assert "archives/index.html" in pages["rendered"]


def test_added_article_shifts_the_listings(workspace):
    source = workspace.article("generated/article-00003.md").read_text("utf-8")
    added = source.replace("Slug: article-00003", "Slug: article-ajoute").replace(
        "Title: ", "Title: Ajouté ", 1
    )
    added = "\n".join(
        "Date: 2030-01-01 10:00" if line.startswith("Date:") else line for line in added.split("\n")
    )
    workspace.article("generated/article-ajoute.md").write_text(added, "utf-8")
    pages = workspace.rebuild_and_compare()
    assert "article-ajoute/index.html" in pages["rendered"]
    assert "index2.html" in pages["rendered"]  # every listing page moved by one article


def test_deleted_article_leaves_nothing_behind(workspace):
    workspace.article("generated/article-00005.md").unlink()
    workspace.rebuild_and_compare()
    assert not (workspace.incremental / "output/article-00005").exists()
    assert "article-00005/" not in found(workspace.incremental, "tag:partnership")


def test_tag_map_change_reaches_every_page_of_the_tag(workspace):
    tagmap = workspace.content / "tagmap.toml"
    text = tagmap.read_text("utf-8")
    assert 'en = "partnership"' in text
    tagmap.write_text(text.replace('en = "partnership"', 'en = "partnering"', 1), "utf-8")
    workspace.rebuild_and_compare()
    page = (workspace.incremental / "output/aujourdhui-jai-rencontre-un-partenaire/index.html").read_text(
        "utf-8"
    )
    assert "partnering" in page


def test_theme_change_renders_every_page(workspace):
    base = workspace.theme / "templates/base.html"
    base.write_text(base.read_text("utf-8").replace("</footer>", "<p>Pied modifié.</p></footer>", 1), "utf-8")
    pages = workspace.rebuild_and_compare()
    assert sorted(pages["rendered"]) == sorted(pages["pages"])
    assert "Pied modifié." in (workspace.incremental / "output/index.html").read_text("utf-8")


def test_a_page_added_to_the_menu_renders_every_page(workspace):
    # Every page reads the list of pages (the menu): one digest of it per build serves them all.
    pages = workspace.content / "pages"
    pages.mkdir(exist_ok=True)
    (pages / "a-propos.md").write_text("Title: À propos\nSlug: a-propos\n\nQui écrit ce carnet.\n", "utf-8")
    manifest = workspace.rebuild_and_compare()
    assert sorted(manifest["rendered"]) == sorted(manifest["pages"])
    assert "a-propos" in (workspace.incremental / "output/index.html").read_text("utf-8")


def test_a_template_that_starts_reading_a_value_follows_its_next_change(workspace):
    # The names each template reads are kept in the manifest under the site digest: once the
    # theme changes they are read again, or the value the 404 page now shows would not count.
    page = workspace.theme / "templates/404.html"
    text = page.read_text("utf-8")
    assert "drafts" not in text
    head, tail = text.rsplit("{% endblock %}", 1)  # the last block: the page's body
    page.write_text(f"{head}<p>Brouillons : {{{{ drafts|length }}}}</p>{{% endblock %}}{tail}", "utf-8")
    workspace.rebuild_and_compare()
    assert "Brouillons : 0" in (workspace.incremental / "output/404.html").read_text("utf-8")
    source = workspace.article("generated/article-00007.md").read_text("utf-8")
    draft = source.replace("Slug: article-00007", "Slug: brouillon\nStatus: draft")
    workspace.article("generated/brouillon.md").write_text(draft, "utf-8")
    pages = workspace.rebuild_and_compare()
    assert "404.html" in pages["rendered"]
    assert "Brouillons : 1" in (workspace.incremental / "output/404.html").read_text("utf-8")


LISTINGS = ("index", "archives/", "categorie", "etiquette", "auteur", "en/tag", "tags")


def with_resume(workspace) -> Path:
    """A generated article whose summary is its résumé, not its first paragraph."""
    for path in sorted((workspace.content / "articles/generated").glob("*.md")):
        if "::: résumé" in path.read_text("utf-8"):
            return path
    raise AssertionError("no generated article has a résumé")


def append_paragraph(path: Path, sentence: str) -> None:
    path.write_text(path.read_text("utf-8").rstrip("\n") + f"\n\n{sentence}\n", "utf-8")


def test_a_text_edit_leaves_the_listings_that_show_no_text_alone(workspace):
    # Listings show titles and summaries: their keys leave the texts out (render memo).
    path = with_resume(workspace)
    append_paragraph(path, "Un dernier paragraphe, ajouté au texte seul.")
    pages = workspace.rebuild_and_compare()
    slug = re.search(r"^Slug: (.*)$", path.read_text("utf-8"), re.MULTILINE).group(1)
    assert f"{slug}/index.html" in pages["rendered"]
    assert [name for name in pages["rendered"] if name.startswith(LISTINGS)] == []
    assert {"index.html", "archives/index.html"} <= set(pages["textless"])
    assert f"{slug}/index.html" not in pages["textless"]  # it shows its own text


def test_listings_that_show_texts_follow_them(workspace):
    # A theme whose cards show each article's text (through `content`), and whose archives
    # show it raw (`_content`): an edit of a text must then reach them.
    macros = workspace.theme / "templates/partials/macros.html"
    card = '<p class="carte__suite">'
    macros.write_text(
        macros.read_text("utf-8").replace(card, "<!-- {{ article.content|length }} -->" + card, 1), "utf-8"
    )
    archives = workspace.theme / "templates/archives.html"
    line = "<li>{{ m.article_date(article) }}"
    archives.write_text(
        archives.read_text("utf-8").replace(line, "<li>{{ article._content|length }} " + line[4:], 1), "utf-8"
    )
    pages = workspace.rebuild_and_compare()  # a theme change: every page is rendered
    assert not {"index.html", "archives/index.html"} & set(pages["textless"])
    path = with_resume(workspace)
    append_paragraph(path, "Encore un paragraphe, que les listes montrent désormais.")
    pages = workspace.rebuild_and_compare()  # equal to a clean build: every count followed
    assert "archives/index.html" in pages["rendered"]
    assert [name for name in pages["rendered"] if name.startswith(("etiquette", "categorie", "auteur"))]


def test_a_setting_from_the_environment_is_a_change(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    overrides = {"PATH": str(tmp_path / "content")}
    monkeypatch.setenv("SITEURL", "https://un.example")
    assert build_site(tmp_path / "site", ROOT / "publishconf.py", overrides=overrides).changed
    monkeypatch.setenv("SITEURL", "https://deux.example")
    assert build_site(tmp_path / "site", ROOT / "publishconf.py", overrides=overrides).changed
    home = (tmp_path / "site/output/index.html").read_text("utf-8")
    assert "https://deux.example/" in home
    assert "https://un.example" not in home


def test_an_article_written_over_the_home_page_follows_its_edit(tmp_path):
    # An article whose header says `Save_as: index.html` replaces the home page: Pelican writes
    # it first (override), then skips the listing's own index.html. When only the article
    # changed, the listing's unchanged key must not link the previous home page over it.
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    home = content / "articles/accueil.md"
    header = "Title: Accueil\nDate: 2020-01-01\nAuthor: Camille\nCategory: Partenariat\nTags: partenariat\n"
    header += "Slug: accueil\nLang: fr\nSave_as: index.html\nUrl: \n\n"
    # A résumé: the listing's card of this article (its summary) stays as it was.
    header += "::: résumé\n- Un point\n:::\n\nBienvenue.\n\n"
    home.write_text(header + "Sur le carnet.\n", "utf-8")
    overrides = {"PATH": str(content)}
    incremental, clean = tmp_path / "incremental", tmp_path / "clean"
    build_site(incremental, SETTINGS, overrides=overrides)
    home.write_text(header + "Sur le carnet !!!\n", "utf-8")  # its words, and so « À lire aussi », alike
    assert build_site(incremental, SETTINGS, overrides=overrides).changed
    build_site(clean, SETTINGS, overrides=overrides, full=True)
    page = (incremental / "output/index.html").read_bytes()
    assert "!!!" in page.decode("utf-8")
    assert manifest(incremental)["rendered"].count("index.html") == 1  # the listing's was not rendered
    assert page == (clean / "output/index.html").read_bytes()
