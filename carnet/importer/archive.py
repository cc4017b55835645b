"""What the carnet already holds, for the import's report: the categories of its published
articles (to choose a draft's from), and their paragraphs (to see that a raw text is a
copy of an article already there)."""

import os
from dataclasses import dataclass, field
from pathlib import Path

from carnet.text.folding import matchable

# Shorter paragraphs (« Oui. », a sign-off) are shared by chance; as in `invoke check`.
MIN_CHARS = 60
# A raw text is a copy of an article when that article holds at least half of its paragraphs.
COPY_SHARE = 0.5


@dataclass(frozen=True)
class Copy:
    article: Path
    shared: int  # the draft's paragraphs found in the article
    total: int  # the draft's paragraphs long enough to compare


@dataclass
class Archive:
    categories: list[str] = field(default_factory=list)
    paragraphs: dict[Path, set[str]] = field(default_factory=dict)

    def copy_of(self, markdown_body: str, skip: Path | None = None) -> Copy | None:
        """The article that `markdown_body` (a draft's Markdown) copies, if any."""
        mine = paragraphs(markdown_body)
        if not mine:
            return None
        best = max(
            ((len(mine & theirs), path) for path, theirs in self.paragraphs.items() if path != skip),
            default=(0, None),
            key=lambda pair: pair[0],
        )
        shared, article = best
        if article is None or shared < 2 or shared < COPY_SHARE * len(mine):
            return None
        return Copy(article, shared, len(mine))


def paragraphs(markdown: str) -> set[str]:
    """The long paragraphs of a Markdown text, spaces and case aside."""
    found = (" ".join(block.split()).casefold() for block in markdown.split("\n\n"))
    return {paragraph for paragraph in found if len(paragraph) >= MIN_CHARS}


def split_article(text: str) -> tuple[dict[str, str], str]:
    """Pelican's Markdown header (keys in lower case) and the body after it."""
    header, _, body = text.replace("\r\n", "\n").partition("\n\n")
    keys = {}
    for line in header.splitlines():
        key, colon, value = line.partition(":")
        if colon and key.strip() and " " not in key.strip():
            keys[key.strip().casefold()] = value.strip()
    return keys, body


def load_archive(folder: Path) -> Archive:
    """Every `.md` under `folder`, drafts included for the copies (importing the same text
    twice is a copy too); the categories of the published articles only."""
    archive = Archive()
    categories = set()
    for root, _, names in os.walk(folder):
        for name in sorted(names):
            if not name.endswith(".md"):
                continue
            path = Path(root) / name
            try:
                header, body = split_article(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                continue  # the build says what is wrong with it
            archive.paragraphs[path] = paragraphs(body)
            published = header.get("status", "published").casefold() == "published"
            if published and header.get("category"):
                categories.add(header["category"])
    archive.categories = sorted(categories, key=matchable)
    return archive
