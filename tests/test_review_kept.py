"""The review keeps what it found in each text from one build to the next: a rebuild says the
same findings, in the same order, as a clean build of the same sources, after an edit, a link's
target added or removed under an unchanged article, and an article removed."""

import shutil

from carnet.builds.pipeline import build_site
from tests.project import ROOT
from tests.sitebuild import article

REPEATED = "Ce paragraphe est assez long pour compter comme répété quand deux articles le portent."
SETTINGS = ROOT / "pelicanconf.py"
LINK = "{filename}/articles/trois.md"


def write_site(content) -> None:
    articles = content / "articles"
    articles.mkdir(parents=True)
    for name in ("tagmap.toml", "auteurs.toml"):
        shutil.copy(ROOT / "content" / name, content / name)
    texts = {
        "un.md": article("Un", f'{REPEATED}\n\nLu 12 fois\n\n<img src="/x.png">', Tags="confiance"),
        "deux.md": article("Deux", f"{REPEATED}\n\nVoir [trois]({LINK}).", Tags="confiance"),
        "quatre.md": article("Quatre", "Un texte sans problème.", Tags="confiance"),
    }
    for name, text in texts.items():
        (articles / name).write_text(text, "utf-8")


def findings(root, content, full=False):
    result = build_site(root, SETTINGS, overrides={"PATH": str(content)}, full=full)
    return [tuple(finding) for finding in result.report.findings]


def test_a_rebuild_says_what_a_clean_build_says(tmp_path):
    content = tmp_path / "content"
    write_site(content)
    first = findings(tmp_path / "site", content)
    assert any("trois.md" in finding[4] for finding in first)  # the link to a missing file
    articles = content / "articles"
    steps = [
        lambda: (articles / "trois.md").write_text(article("Trois", REPEATED, Tags="confiance"), "utf-8"),
        lambda: (articles / "quatre.md").write_text(article("Quatre", "Lu 3 fois", Tags="achats"), "utf-8"),
        lambda: (articles / "trois.md").unlink(),
        lambda: (articles / "un.md").unlink(),
    ]
    said = first
    for number, step in enumerate(steps):
        step()
        now = findings(tmp_path / "site", content)
        assert now == findings(tmp_path / f"clean-{number}", content, full=True), f"step {number}"
        assert now != said, f"step {number} changed nothing the review says"
        said = now


def test_a_rebuild_reads_the_text_of_the_edited_article_alone(tmp_path, monkeypatch):
    """The reviews are kept by their file's checksum, the one Pelican's cache takes anyway:
    the review opens no unchanged text."""
    from carnet.review import articles as review_articles

    content = tmp_path / "content"
    write_site(content)
    findings(tmp_path / "site", content)
    read: list[str] = []
    original = review_articles.SourceTexts.__call__

    def counted(self, article):
        read.append(article.source_path)
        return original(self, article)

    monkeypatch.setattr(review_articles.SourceTexts, "__call__", counted)
    edited = article("Quatre", "Un texte revu.", Tags="confiance")
    (content / "articles" / "quatre.md").write_text(edited, "utf-8")
    findings(tmp_path / "site", content)
    assert [path.rsplit("/", 1)[-1] for path in read] == ["quatre.md"]


def test_a_text_that_could_not_be_read_leaves_no_review_to_keep(tmp_path):
    """Pelican read the file and took its checksum; then it was gone a moment (an editor's
    backup rename) when the review read it: the review of "" must not be kept under it."""
    from pelican.contents import Article
    from pelican.settings import DEFAULT_CONFIG

    from carnet.review.articles import KeptReviews, SourceTexts

    path = tmp_path / "parti.md"
    settings = {**DEFAULT_CONFIG, "PATH": str(tmp_path)}
    gone = Article("", metadata={"title": "Parti"}, settings=settings, source_path=str(path))
    texts = SourceTexts(lambda _: b"\x01" * 16)  # the checksum taken while it was there
    kept = KeptReviews()
    review = kept.of(gone, texts)
    assert review.header is not None  # this build still has a review of what it could read
    assert kept.used == {}
    path.write_text("Title: Là\n\nUn texte.\n", "utf-8")
    present = Article("", metadata={"title": "Là"}, settings=settings, source_path=str(path))
    here = SourceTexts()  # the md5 of its bytes
    kept.of(present, here)
    assert list(kept.used) == [("parti.md", here.checksum(present))]
