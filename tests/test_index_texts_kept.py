"""An edit rebuild takes each unchanged article's text from the live build's index (its
texts file, keyed by the digest of the article's HTML) instead of taking it out of the HTML
again; a changed article, a full build, and a texts file that cannot be read take it anew."""

import json
import pickle
import re
import shutil
from pathlib import Path

import pytest

from carnet.builds.pipeline import build_site
from carnet.search.indexing import DOCUMENTS_FILE, TEXTS_FILE, load_texts
from carnet.search.querying import ArchiveSearch
from tests.project import ROOT

SETTINGS = ROOT / "pelicanconf.py"
PLANTED = "zanzibarique"  # a word of no article


def build(content: Path, root: Path, full: bool = False) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    result = build_site(root, SETTINGS, overrides={"PATH": str(content)}, full=full)
    assert result.changed
    return result.folder / "search-index"


def found(index: Path, query: str) -> list[str]:
    return [hit.url for hit in ArchiveSearch.open(index).search(query, page_size=50).results]


def edit_one(content: Path, sentence: str) -> str:
    """Add `sentence` to an article; return its URL (the project's articles give their slug)."""
    article = sorted((content / "articles").glob("*.md"))[0]
    text = article.read_text("utf-8")
    article.write_text(text + f"\n\n{sentence}\n", "utf-8")
    return re.search(r"^Slug: (.*)$", text, re.MULTILINE).group(1).strip() + "/"


@pytest.fixture
def content(tmp_path):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return tmp_path / "content"


def test_unchanged_texts_come_from_the_live_index_and_a_full_build_takes_them_anew(content, tmp_path):
    live = build(content, tmp_path / "site")
    texts = load_texts(live)
    digests = json.loads((live / DOCUMENTS_FILE).read_text("utf-8"))
    assert len(texts) == len(digests) > 2  # one text per article indexed
    # A word planted in every text of the live build's file.
    (live / TEXTS_FILE).write_bytes(pickle.dumps({key: f"{PLANTED} {text}" for key, text in texts.items()}))
    edited = edit_one(content, "Une phrase ajoutée : hippocampiques.")

    updated = build(content, tmp_path / "site")
    planted = found(updated, PLANTED)
    assert len(planted) == len(digests) - 1  # taken from the file, not from the HTML
    assert found(updated, "hippocampiques") == [edited]  # the edited article's text is new
    assert edited not in planted

    clean = build(content, tmp_path / "clean", full=True)
    assert found(clean, PLANTED) == []
    assert found(clean, "hippocampiques") == found(updated, "hippocampiques")


def test_a_texts_file_that_cannot_be_read_gives_the_clean_build_s_index(content, tmp_path):
    live = build(content, tmp_path / "site")
    (live / TEXTS_FILE).write_bytes(b"\x80 pas un pickle")
    edit_one(content, "Une phrase ajoutée : hippocampiques.")
    updated = build(content, tmp_path / "site")
    clean = build(content, tmp_path / "clean", full=True)
    for name in (DOCUMENTS_FILE, TEXTS_FILE, "vocabulary.json"):
        assert (updated / name).read_bytes() == (clean / name).read_bytes(), name
    for query in ("hippocampiques", "confiance", "partenariat"):
        assert found(updated, query) == found(clean, query), query
