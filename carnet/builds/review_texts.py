"""What the review and the script check found in each article, kept from one build to the next.

The review's rules on one text (header, leftovers, images, links to files, the paragraphs that
the archive-wide repetition check compares: carnet/review/articles.py TextReview) find the same
in the same text; so does the script check in the HTML read from it. Kept with Pelican's
content cache (one per settings and code), by file and checksum, an unchanged article is not
read through again: only the review's links to files are checked against content/ again.
"""

import logging
import pickle
from pathlib import Path

from carnet.review.articles import KeptReviews

from .kept import atomic_file, notice_unreadable

logger = logging.getLogger(__name__)

# Changed when what is kept changes: an older file is then ignored, not misread.
FORMAT = 4  # 3: by the file’s checksum, not the text’s digest; 4: links shown as code left out
FILE_NAME = "review-texts.pickle"
SCRIPTS_FORMAT = 1
SCRIPTS_FILE_NAME = "script-checks.pickle"


def _path(settings: dict, name: str) -> Path | None:
    return Path(settings["CACHE_PATH"]) / name if settings.get("CACHE_CONTENT") else None


def load_kept(settings: dict, name: str, version: int) -> dict:
    """What a build kept under `name` with the content cache, when the build loads the cache
    (LOAD_CONTENT_CACHE); else, or in another format, nothing."""
    path = _path(settings, name)
    if path is None or not settings.get("LOAD_CONTENT_CACHE") or not path.is_file():
        return {}
    try:
        kept = pickle.loads(path.read_bytes())
        return dict(kept["kept"]) if kept.get("format") == version else {}
    except Exception as error:  # whatever a damaged pickle raises: the articles are read again
        notice_unreadable(path, error, "les articles seront relus")
        return {}


def save_kept(settings: dict, name: str, version: int, kept: dict, loaded: dict | None = None) -> None:
    """Keep `kept` (this build's only: an article gone, or changed, leaves nothing), unless it is
    what was `loaded`. A file that cannot be written is a warning, as Pelican's own cache's."""
    path = _path(settings, name)
    if path is None or kept == loaded:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_file(path) as handle:
            pickle.dump({"format": version, "kept": kept}, handle, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError as error:
        logger.warning("%s non enregistré : %s", path, error)


def load_reviews(settings: dict) -> KeptReviews:
    return KeptReviews(load_kept(settings, FILE_NAME, FORMAT))


def save_reviews(settings: dict, reviews: KeptReviews) -> None:
    save_kept(settings, FILE_NAME, FORMAT, reviews.used, reviews.loaded)
