"""Pelican glue: every problem of every article, found once, with its line (carnet/review); an
article with an error is held back (not written, listed nowhere) while the rest of the site builds.

Findings are logged with the finding attached (`extra={"finding": …}`): `invoke build`
(carnet/builds/report.py), `invoke check` and the tests collect the same records.
Held-back articles and the site's counts are sent on named blinker signals.
"""

import logging
from pathlib import Path

import blinker
from pelican import signals

from carnet.articles import attributes
from carnet.articles.attributes import article_tags, tag_key
from carnet.builds import read_ahead, static_links
from carnet.builds.parallel import map_shared
from carnet.builds.pelican_cache import checksum_taken
from carnet.builds.review_texts import load_reviews, save_reviews
from carnet.review.articles import (
    SourceTexts,
    article_findings,
    blocked_files,
    duplicate_findings,
    held_back,
    links_to_drafts,
    links_to_held_back,
    notes,
    page_file_links,
    page_header_findings,
    translations_held_back,
)
from carnet.review.findings import LOG_KEY, Finding
from carnet.review.links import written_link_findings
from carnet.review.readers import french_dates
from carnet.review.sources import paragraph_starts, repetitions

logger = logging.getLogger(__name__)

HELD_BACK = blinker.signal("carnet.held_back")  # sender: a list of HeldBack
SITE_COUNTS = blinker.signal("carnet.site_counts")  # sender: {"articles": n} or {"pages": n}
# Notes are hints for `invoke check`, not problems: sent, not logged (a strict build would fail).
NOTES = blinker.signal("carnet.notes")  # sender: a list of Finding

# In the context, for this build: the source texts read (a SourceTexts), and what the rules
# found in each text, kept from the previous build (a KeptReviews).
SOURCES_KEY = "article_review_sources"
REVIEWS_KEY = "article_review_texts"
# The draft articles' source paths, for the pages' links (the pages are read after the articles).
DRAFTS_KEY = "article_review_drafts"

# The published articles, handed from the articles generator to the link check at `finalized`:
# the check must wait for the static files, which Pelican copies last, and that signal receives
# only the Pelican object, not the context. Emptied at `finalized`.
_published: list = []
_pages: list = []  # the published pages, whose links only this check reads


def report(finding: Finding) -> None:
    fix = f" ; {finding.fix}" if finding.fix else ""
    logger.warning("%s: %s%s", finding.where(), finding.message, fix, extra={LOG_KEY: finding})


def read_dates_in_french(readers) -> None:
    """`Date: 3 mars 2015` is read; an unreadable date no longer stops Pelican from reading
    the file (« Could not process »): the review holds the article back and says why."""
    for extension, reader in list(readers.reader_classes.items()):
        if reader is not None:
            readers.reader_classes[extension] = french_dates(reader)


def source_texts(generator) -> SourceTexts:
    # By the content cache's own checksums: taken once per build, most from the build's
    # digests of content/ (carnet/builds/source_digests.py), so that unchanged texts are not read.
    return generator.context.setdefault(SOURCES_KEY, SourceTexts(checksum_taken))


def reviews(generator):
    context = generator.context
    if REVIEWS_KEY not in context:
        context[REVIEWS_KEY] = load_reviews(generator.settings)
    return context[REVIEWS_KEY]


def review_articles(generator) -> None:
    """Before tags, categories and authors are gathered: what is held back is listed nowhere."""
    lists = ("articles", "translations", "hidden_articles", "hidden_translations")
    listed = [article for name in lists for article in getattr(generator, name)]
    source_text, kept, settings = source_texts(generator), reviews(generator), generator.settings
    # A full build reviews every text while the other core waits: the texts are shared.
    kept.review_all(
        listed,
        source_text,
        lambda review, pairs: map_shared(review, pairs, read_ahead.worker_count(settings, len(pairs))),
    )
    findings = []
    for article in listed:
        findings.extend(article_findings(article, kept.of(article, source_text), generator.path))
    findings.extend(duplicate_findings(listed, source_text))
    blocked = blocked_files(findings)
    findings.extend(links_to_held_back(listed, blocked, lambda a: kept.of(a, source_text).file_links))
    if blocked:
        originals = [*generator.articles, *generator.hidden_articles]
        translated = [*generator.translations, *generator.hidden_translations]
        findings.extend(translations_held_back(originals, translated, blocked))
    drafts = {draft.relative_source_path for draft in [*generator.drafts, *generator.drafts_translations]}
    generator.context[DRAFTS_KEY] = drafts
    if drafts:
        published = [article for article in listed if article.relative_source_path not in blocked]
        findings.extend(links_to_drafts(published, drafts, lambda a: kept.of(a, source_text).file_links))
    for finding in sorted(findings, key=lambda f: (f.file, f.line or 0)):
        report(finding)
    for name in lists:
        setattr(
            generator, name, [a for a in getattr(generator, name) if a.relative_source_path not in blocked]
        )
    if blocked:
        HELD_BACK.send(held_back(generator.settings, listed, blocked))


def review_archive(generator) -> None:
    """What needs the whole archive: paragraphs repeated across articles."""
    published = [
        *generator.articles,
        *generator.translations,
        *generator.hidden_articles,
        *generator.hidden_translations,
    ]
    source_text, kept = source_texts(generator), reviews(generator)
    texts = [(a.relative_source_path, kept.of(a, source_text)) for a in published]
    by_source = {article.relative_source_path: article for article in published}
    summaries = [(source, review.paragraphs, review.written_on) for source, review in texts]
    originals = {
        translation.relative_source_path: original.relative_source_path
        for original in [*generator.articles, *generator.hidden_articles]
        for translation in original.translations
    }
    starts = lambda source: paragraph_starts(source_text(by_source[source]))  # noqa: E731
    for finding in repetitions(summaries, starts, originals):
        report(finding)
    save_reviews(generator.settings, kept)
    _published[:] = published
    NOTES.send([note for article in published for note in notes(article)])
    keys = {tag_key(tag) for a in published for tag in article_tags(a)}
    SITE_COUNTS.send({"articles": len(generator.articles), "tag_keys": keys - {None}})


def count_pages(generator) -> None:
    _pages[:] = [*generator.pages, *generator.hidden_pages]
    SITE_COUNTS.send({"pages": len(generator.pages)})


def review_links_to_drafts(generator) -> None:
    """What the articles' review could not see, the pages being read after it: a page that
    links to a draft (article or page), and an article that links to a draft page."""
    draft_pages = {page.relative_source_path for page in generator.draft_pages + generator.draft_translations}
    drafts = draft_pages | generator.context.get(DRAFTS_KEY, set())
    findings = []
    if draft_pages and _published:
        source_text, kept = source_texts(generator), reviews(generator)
        links_of = lambda article: kept.of(article, source_text).file_links  # noqa: E731
        findings.extend(links_to_drafts(_published, draft_pages, links_of))
    if drafts:
        lists = ("pages", "hidden_pages", "translations", "hidden_translations")
        pages = [page for name in lists for page in getattr(generator, name)]
        findings.extend(links_to_drafts(pages, drafts, page_file_links))
    for finding in sorted(findings, key=lambda f: (f.file, f.line or 0)):
        report(finding)


def review_page_headers(generator) -> None:
    lists = (
        "pages",
        "hidden_pages",
        "translations",
        "hidden_translations",
        "draft_pages",
        "draft_translations",
    )
    for finding in page_header_findings(page for name in lists for page in getattr(generator, name)):
        report(finding)


def check_written_links(pelican) -> None:
    for finding in written_link_findings(Path(pelican.output_path), _published, _pages):
        report(finding)
    _published.clear()
    _pages.clear()


def register():
    attributes.register()
    # The review finds a percent-escaped file name (caf%C3%A9.png) as Pelican's link does; so
    # must the list of files Pelican publishes.
    static_links.install()
    # readers_init: after the résumé plugin chose its reader, its dates are read in French too.
    signals.readers_init.connect(read_dates_in_french)
    # article_generator_pretaxonomy: every article is read, none is yet filed under a tag,
    # category or author; what is held back here is listed nowhere.
    signals.article_generator_pretaxonomy.connect(review_articles)
    # article_generator_finalized: the published articles are known.
    signals.article_generator_finalized.connect(review_archive)
    signals.page_generator_finalized.connect(count_pages)
    signals.page_generator_finalized.connect(review_links_to_drafts)
    signals.page_generator_finalized.connect(review_page_headers)
    # finalized: every page is written, so links can be followed.
    signals.finalized.connect(check_written_links)
