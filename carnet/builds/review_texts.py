"""What the review found in each article's text, kept from one build to the next.

The rules on one text (header, leftovers, images, links to files, the paragraphs that the
archive-wide repetition check compares: carnet/review/articles.py TextReview) find the same
in the same text: kept with Pelican's content cache, an unchanged article is not read
through again, only its links to files are checked against content/ again.
"""

import pickle
from pathlib import Path

from carnet.review.articles import KeptReviews

from .kept import atomic_file, notice_unreadable

# Changed when what is kept changes: an older file is then ignored, not misread.
FORMAT = 2
FILE_NAME = "review-texts.pickle"


def _path(settings: dict) -> Path | None:
    return Path(settings["CACHE_PATH"]) / FILE_NAME if settings.get("CACHE_CONTENT") else None


def load_reviews(settings: dict) -> KeptReviews:
    """Read from the content cache when the build loads it (LOAD_CONTENT_CACHE), else empty."""
    path = _path(settings)
    if path is None or not settings.get("LOAD_CONTENT_CACHE") or not path.is_file():
        return KeptReviews()
    try:
        kept = pickle.loads(path.read_bytes())
        return KeptReviews(kept["reviews"] if kept.get("format") == FORMAT else None)
    except Exception as error:  # whatever a damaged pickle raises: the texts are reviewed again
        notice_unreadable(path, error, "les articles seront relus")
        return KeptReviews()


def save_reviews(settings: dict, reviews: KeptReviews) -> None:
    """Keep this build's texts only: an article gone, or whose text changed, leaves nothing."""
    path = _path(settings)
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_file(path) as handle:
        pickle.dump({"format": FORMAT, "reviews": reviews.used}, handle, protocol=pickle.HIGHEST_PROTOCOL)
