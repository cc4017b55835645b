"""Pelican glue: the search index of each build, and the page the search service fills.

How the index is made and when it goes live: carnet/builds/index_update.py; the articles as
the index holds them: carnet/search/site_documents.py; the results page: results_page.py.
"""

import atexit
import logging
from pathlib import Path
from urllib.parse import urlsplit

import blinker
from pelican import signals
from pelican.contents import Article

from carnet.articles import attributes
from carnet.builds.index_update import INDEX_RUN, IndexRun
from carnet.publishing.meta_policy import meta_policy
from carnet.search import results_page
from carnet.search.documents import html_to_text
from carnet.search.site_documents import build_documents, mapped_tag_forms, tag_names

logger = logging.getLogger(__name__)

DEFAULTS = {
    "SEARCH_INDEX_PATH": None,  # default: search-index/ beside content/
    # From this many articles on, the index is built in a second process while
    # Pelican writes the pages, or (an incremental build) the live one is brought up to date
    # by a forked copy of the build (below, starting that process costs more than it saves).
    "SEARCH_BACKGROUND_FROM": 200,
    # The index of the live build: when set, it is copied and brought up to date
    # (only changed articles re-indexed) instead of being rebuilt. Set by the build runner
    # (carnet/builds/pipeline.py).
    "SEARCH_PREVIOUS_INDEX_PATH": None,
}


def setting(settings, name):
    return settings.get(name, DEFAULTS[name])


def index_path(settings) -> Path:
    configured = setting(settings, "SEARCH_INDEX_PATH")
    if configured:
        return Path(configured)
    return Path(settings["PATH"]).parent / "search-index"


def start_index(generator) -> None:
    """Before the articles are read: this build's index run, and its results page's template."""
    settings = generator.settings
    previous = setting(settings, "SEARCH_PREVIOUS_INDEX_PATH")
    run = generator.context[INDEX_RUN] = IndexRun.start(
        settings,
        index_path(settings),
        Path(previous) if previous else None,
        lambda: len(generator.get_files(settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"])),
        setting(settings, "SEARCH_BACKGROUND_FROM"),
    )
    generator.context[results_page.FRAME] = generator.env.from_string(results_page.FRAME_TEMPLATE)
    run.companions[results_page.FILE_NAME] = None  # until the search page is written


def stream_article(instance) -> None:
    """An article just read: its texts go to be analysed while the next ones are read.
    (Should a text change before the index is built, it is simply analysed again.)"""
    if not isinstance(instance, Article) or instance.status != "published":
        return
    # The signal carries the article alone; Pelican gives it its generator's context (for its links).
    run = instance._context.get(INDEX_RUN)
    stream = run.stream if run is not None else None
    if stream is None:
        return
    stream.analyse("title", instance.title)
    # The HTML as read: `content` would fill in {filename} links now, before the pages
    # they point to are known, and Pelican keeps that first result. Links only change
    # attributes, so the text is the one indexed at the end.
    stream.analyse("body", html_to_text(instance._content))
    if instance.resume_html:
        stream.analyse("resume", instance.description_text)


def index_articles(generator) -> None:
    documents = build_documents(generator.context, generator.articles)
    names = tag_names(generator.articles)
    generator.context[INDEX_RUN].index(documents, names, mapped_tag_forms(generator.context))


def make_results_page(path, context) -> None:
    """The search page was just written: the same template, with the same context, becomes
    the service's results page, which goes live with the index."""
    # Where Pelican writes its direct template « search » (generators.py: <NAME>_SAVE_AS).
    if context.get("output_file") != context.get("SEARCH_SAVE_AS", "search.html") or INDEX_RUN not in context:
        return
    page = context[results_page.FRAME].render({**context, "search_hole": results_page.search_hole})
    source = results_page.frame_source(page)
    if source is None:
        logger.warning(
            "search : le gabarit search.html ne déclare pas de {% block search_results %} ; "
            "le service de recherche montrera ses résultats dans une page nue"
        )
        return
    context[INDEX_RUN].companions[results_page.FILE_NAME] = source


def swap_index(pelican) -> None:
    """The site is written: only now does the new index replace the old one."""
    # `finalized` carries the Pelican object, which keeps its context to itself: the run is
    # found by the settings it shares with every generator.
    run = IndexRun.of_build(pelican.settings)
    if run is not None:
        run.swap()


def add_page_policy(pelican) -> None:
    """The service's Content-Security-Policy as the theme's <meta> (CONTENT_SECURITY_POLICY_META),
    so that a static host protects readers as the service does; relaxed for `invoke livereload`."""
    target = urlsplit(pelican.settings.get("SEARCH_URL", ""))
    origin = f"{target.scheme}://{target.netloc}" if target.scheme and target.netloc else None
    livereload = bool(pelican.settings.get("CONTENT_SECURITY_POLICY_LIVERELOAD", False))
    pelican.settings["CONTENT_SECURITY_POLICY_META"] = meta_policy(
        livereload=livereload, search_origin=origin
    )


def stop_unfinished(sender=None, **data) -> None:
    IndexRun.stop_unfinished()


def register():
    attributes.register()  # the résumé's attributes are read, with or without its plugin
    # initialized: the settings become every template's context when the run starts.
    signals.initialized.connect(add_page_policy)
    # Before and while the articles are read: their texts are analysed on the second core.
    signals.article_generator_init.connect(start_index)
    signals.content_object_init.connect(stream_article)
    # article_generator_finalized: every article is read; the index is written beside the live one.
    signals.article_generator_finalized.connect(index_articles)
    # content_written: the search page is written with its context, which the results page needs.
    signals.content_written.connect(make_results_page)
    # finalized: the whole site was written without error; the new index may go live.
    signals.finalized.connect(swap_index)
    # A failed build: carnet/builds/runner.py says so before it throws the build folder away (a named
    # signal, so neither side imports the other); and at exit, for any other way out (once,
    # however many builds this process runs).
    blinker.signal("carnet.build_failed").connect(stop_unfinished)
    atexit.unregister(stop_unfinished)
    atexit.register(stop_unfinished)
