"""Pelican glue: say at build time which article carries live script, file and line.

The theme's Content-Security-Policy keeps it from running (carnet/publishing/meta_policy.py);
this warning tells the author why it does nothing and where to remove it. `invoke check`
reports the same warning, and `invoke build --strict` fails on it.
"""

import logging
from pathlib import Path

from pelican import signals

from carnet.articles import attributes
from carnet.builds.pelican_cache import checksum_taken
from carnet.builds.review_texts import SCRIPTS_FILE_NAME, SCRIPTS_FORMAT, load_kept, save_kept
from carnet.review.scanning import article_scripts, may_hold_script

logger = logging.getLogger(__name__)


def warn_live_scripts(generator) -> None:
    # What each article's HTML was found to hold, kept by its file's checksum with the content
    # cache (whose HTML it is): an edit does not go through the 5 000 others' HTML again.
    kept = load_kept(generator.settings, SCRIPTS_FILE_NAME, SCRIPTS_FORMAT)
    used = {}
    for article in attributes.every_article(generator):
        try:
            key = (article.relative_source_path, checksum_taken(article.source_path))
        except OSError:
            key = None  # unreadable: already said by the reader
        found = kept.get(key) if key is not None else None
        if found is None:
            found = scripts_in(article)
        if key is not None:
            used[key] = found
        for line, message in found:
            logger.warning(
                "script_guard: %s:%s: %s ; retirez-le : les pages du site n’exécutent aucun script "
                "venu d’un article (Content-Security-Policy)",
                article.relative_source_path,
                line if line is not None else "?",
                message,
            )
    save_kept(generator.settings, SCRIPTS_FILE_NAME, SCRIPTS_FORMAT, used, kept)


def scripts_in(article) -> list[tuple[int | None, str]]:
    # The HTML as read, not `content`: its links are resolved once the static files are known,
    # and Pelican would keep a result worked out this early (with {attach} unresolved).
    html = [article._content or "", article.resume_html]
    # Nearly no article holds any: its source is read only for the lines of those that may.
    if not any(map(may_hold_script, html)):
        return []
    try:
        source = Path(article.source_path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        source = ""  # the findings still come, without their lines
    return article_scripts(source, *html)


def register():
    attributes.register()
    # article_generator_finalized: every article's HTML and résumé exist, no page is written yet.
    signals.article_generator_finalized.connect(warn_live_scripts)
