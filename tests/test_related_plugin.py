"""« À lire aussi » is its own plugin (plugins/related): it works without the search plugin, the
search works without it, and together they take each article's text out of its HTML once."""

import json
import subprocess
import sys

import pytest
from pelican.settings import read_settings

import carnet.search.site_documents as site_documents
from carnet.search.querying import ArchiveSearch
from tests.project import ROOT
from tests.sitebuild import article, build_test_site, tiny_content

ARTICLES = {
    "potager.md": article(
        "Le potager en hiver", "Le potager, les poireaux et les choux du jardin.", Tags="jardin"
    ),
    "poireaux.md": article(
        "Semer les poireaux", "Les poireaux du potager se sèment au jardin.", Tags="jardin"
    ),
    "choux.md": article("Des choux au jardin", "Choux et poireaux : le potager nourrit.", Tags="jardin"),
}
PLUGINS = read_settings(str(ROOT / "pelicanconf.py"))["PLUGINS"]


def related_titles(site, slug: str) -> list[str]:
    return [link.get_text() for link in site.html(f"{slug}/index.html").select(".a-lire-aussi li a")]


def build(tmp_path, name: str, plugins: list[str]):
    (tmp_path / name).mkdir()
    content = tiny_content(tmp_path / name, ARTICLES)
    return build_test_site(
        tmp_path / name / "output", content, settings_file="pelicanconf.py", PLUGINS=plugins
    )


def test_each_article_text_is_taken_out_of_its_html_once(tmp_path, monkeypatch):
    taken = []
    original = site_documents.html_to_text
    monkeypatch.setattr(site_documents, "html_to_text", lambda html: taken.append(html) or original(html))
    site = build(tmp_path, "both", PLUGINS)
    assert len(taken) == len(ARTICLES)  # for the index and « À lire aussi » together
    assert related_titles(site, "le-potager-en-hiver") == ["Des choux au jardin", "Semer les poireaux"]
    assert ArchiveSearch.open(site.index).search("poireaux").total == 3


# Pelican's signals are process-wide: a plugin that an earlier build of the test run loaded
# stays connected. So a site built without one of them is built in an interpreter of its own.
WITHOUT = """
import json, sys
from pathlib import Path
from tests.test_related_plugin import ARTICLES, PLUGINS, build, related_titles
from carnet.search.querying import ArchiveSearch
left_out, tmp = sys.argv[1], Path(sys.argv[2])
site = build(tmp, left_out, [plugin for plugin in PLUGINS if plugin != left_out])
index = ArchiveSearch.open(site.index).search("poireaux").total if site.index.exists() else None
print(json.dumps({"related": related_titles(site, "le-potager-en-hiver"), "found": index}))
"""


@pytest.mark.parametrize(
    ("left_out", "related", "found"),
    [("search", ["Des choux au jardin", "Semer les poireaux"], None), ("related", [], 3)],
)
def test_each_plugin_works_without_the_other(tmp_path, left_out, related, found):
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT, left_out, str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == {"related": related, "found": found}
