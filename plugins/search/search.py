"""Pelican glue: index the articles after the site is generated, and give each
article page its « À lire aussi » list."""

import atexit
import contextlib
import logging
import pickle
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import blinker
from pelican import signals
from pelican.contents import Article
from slugify import slugify

from carnet.publishing.meta_policy import meta_policy
from carnet.search.analysis import fold
from carnet.search.documents import SearchDocument, html_to_text
from carnet.search.indexing import (
    IndexStream,
    build_index,
    can_update,
    replace_index,
    update_index,
)
from carnet.search.related import related_urls, terms_key

logger = logging.getLogger(__name__)

DEFAULTS = {
    "SEARCH_INDEX_PATH": None,  # default: search-index/ beside content/
    "SEARCH_RELATED_COUNT": 3,
    # From this many articles on, the index is built in a second process while
    # Pelican writes the pages (below, starting that process costs more than it saves).
    "SEARCH_BACKGROUND_FROM": 200,
    # The index of the live build: when set, it is copied and brought up to date
    # (only changed articles re-indexed) instead of being rebuilt. Set by builds/.
    "SEARCH_PREVIOUS_INDEX_PATH": None,
}

# The index being built during this run, swapped in at `finalized`; reset there.
_pending: dict[str, object] = {}


def setting(settings, name):
    return settings.get(name, DEFAULTS[name])


def index_path(settings) -> Path:
    configured = setting(settings, "SEARCH_INDEX_PATH")
    if configured:
        return Path(configured)
    return Path(settings["PATH"]).parent / "search-index"


def tag_forms(tag) -> tuple[str, list[str]]:
    """A tag's key and every way of writing it. The tag map, when present, adds
    English labels and aliases to its tags; a plain Pelican tag has its name."""
    key = getattr(tag, "key", None) or tag.slug
    forms = [str(tag), *getattr(tag, "search_terms", [])]
    return key, forms


def document_for(article) -> SearchDocument:
    keys, forms = [], []
    for tag in getattr(article, "tags", []):
        key, tag_names = tag_forms(tag)
        keys.append(key)
        forms.extend(tag_names[1:])
    return SearchDocument(
        url=article.url,
        title=article.title,
        body=html_to_text(article.content),
        resume=getattr(article, "description_text", "") if getattr(article, "resume_html", "") else "",
        tags=[str(tag) for tag in getattr(article, "tags", [])],
        tag_keys=keys,
        tag_terms=forms,
        author=str(getattr(article, "author", "")),
        category=str(getattr(article, "category", "")),
        date=None if getattr(article, "date_unknown", False) else article.date,
    )


def mapped_tag_forms(context) -> dict[str, list[str]]:
    """Every tag of the tag map, used or not, with all its names (French label first),
    for the search's expansion across languages; empty without a tag map."""
    build = context.get("tag_map_build")  # plugins/tag_map/config.py BUILD_KEY
    forms = {}
    for tag in getattr(build, "tags", {}).values():
        key, names = tag_forms(tag)
        forms[key] = names
    return forms


def tag_names(articles) -> dict[str, str]:
    names = {}
    # Each tag object's names are worked out once: thousands of articles share a few dozen
    # tags (by identity: the articles keep every tag alive while this runs).
    known: dict[int, list[tuple[str, str]]] = {}
    for article in articles:
        for tag in getattr(article, "tags", []):
            if id(tag) not in known:
                key, forms = tag_forms(tag)
                known[id(tag)] = [
                    (name, key) for form in [*forms, tag.slug, key] for name in (fold(form), slugify(form))
                ]
            names.update(known[id(tag)])
    return names


def start_stream(generator) -> None:
    """Before the articles are read: when the index will be built from nothing and the
    archive is large, start the process that analyses their texts as they are read."""
    stop_pending()  # what a failed build in this process may have left
    settings = generator.settings
    previous = setting(settings, "SEARCH_PREVIOUS_INDEX_PATH")
    with contextlib.suppress(Exception):  # a damaged index: index_articles says so and rebuilds it
        if previous and can_update(previous):
            return
    sources = generator.get_files(settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"])
    if len(sources) >= setting(settings, "SEARCH_BACKGROUND_FROM"):
        _pending["stream"] = IndexStream()


def stream_article(instance) -> None:
    """An article just read: its texts go to be analysed while the next ones are read.
    (Should a text change before the index is built, it is simply analysed again.)"""
    stream = _pending.get("stream")
    if stream is None or not isinstance(instance, Article) or instance.status != "published":
        return
    stream.analyse("title", instance.title)
    # The HTML as read: `content` would fill in {filename} links now, before the pages
    # they point to are known, and Pelican keeps that first result. Links only change
    # attributes, so the text is the one indexed at the end.
    stream.analyse("body", html_to_text(instance._content))
    if getattr(instance, "resume_html", ""):
        stream.analyse("resume", getattr(instance, "description_text", ""))


def index_articles(generator) -> None:
    articles = generator.articles
    settings = generator.settings
    documents = [document_for(article) for article in articles]
    target = index_path(settings)
    fresh = target.with_name(target.name + ".new")
    names = tag_names(articles)
    forms = mapped_tag_forms(generator.context)
    previous = setting(settings, "SEARCH_PREVIOUS_INDEX_PATH")
    stream = _pending.pop("stream", None)
    if stream is not None:
        _pending["process"] = stream.process  # tracked first, so that a failure stops it
        stream.finish(documents, fresh, names, forms)
    elif not (previous and updated(previous, fresh, documents, names, forms)):
        build_index(documents, fresh, names, tag_forms=forms)
    _pending["fresh"], _pending["target"] = fresh, target
    by_url = {article.url: article for article in articles}
    # Saved at once: keyed by the texts themselves, the terms stay true even if the build fails.
    terms = RememberedTerms(settings, documents)
    related = related_urls(documents, setting(settings, "SEARCH_RELATED_COUNT"), terms)
    terms.save()
    for article in articles:
        article.related_articles = [by_url[url] for url in related.get(article.url, []) if url in by_url]


def updated(previous: str, fresh: Path, documents, names, forms=None) -> bool:
    """Bring a copy of the live build's index up to date; False when that index (or the
    bookkeeping beside it) cannot be read, and a new one is to be built instead."""
    from carnet.builds.kept import notice_unreadable  # see RememberedTerms

    # A copy, not links: the live build's index must stay exactly as it is.
    shutil.rmtree(fresh, ignore_errors=True)
    try:
        if not can_update(previous):
            return False
        shutil.copytree(previous, fresh)
        changed, removed = update_index(fresh, documents, names, forms)
    except Exception as error:  # whatever a damaged file raises: the index is rebuilt from the articles
        notice_unreadable(Path(previous), error, "l’index de recherche est reconstruit")
        return False
    logger.info("search: %d articles re-indexed, %d removed", changed, removed)
    return True


class RememberedTerms(dict):
    """The terms « À lire aussi » counted in each article's text, kept with Pelican's
    content cache (when it is on) so that a rebuild counts only the changed texts."""

    FILE_NAME = "related-terms.pickle"

    def __init__(self, settings, documents):
        # Imported here, not at the top: the index process imports this package with only
        # plugins/ on its path (indexing.IndexStream), and never keeps anything itself.
        from carnet.builds.kept import notice_unreadable

        super().__init__()
        self.path = Path(settings["CACHE_PATH"]) / self.FILE_NAME if settings.get("CACHE_CONTENT") else None
        self.documents = documents
        if self.path and settings.get("LOAD_CONTENT_CACHE") and self.path.is_file():
            try:
                self.update(dict(pickle.loads(self.path.read_bytes())))
            except Exception as error:  # whatever a damaged pickle raises: the terms are counted again
                notice_unreadable(self.path, error, "les termes seront recomptés")

    def save(self) -> None:
        if self.path is None:
            return
        kept = {key: self[key] for key in map(terms_key, self.documents) if key in self}
        from carnet.builds.kept import atomic_file  # see __init__

        self.path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_file(self.path) as handle:
            pickle.dump(kept, handle, protocol=pickle.HIGHEST_PROTOCOL)


def stop_pending() -> None:
    """Stop the index process of a build that did not finish: it must not write anything."""
    stream = _pending.get("stream")
    if stream is not None:
        stream.abandon()
    process = _pending.get("process")
    if process is not None and process.poll() is None:
        process.kill()
        process.wait()
    _pending.clear()


# A failed build: builds/runner.py says so before it throws the build folder away (a named
# signal, so neither side imports the other); and at exit, for any other way out.
build_failed = blinker.signal("carnet.build_failed")
build_failed.connect(lambda sender, **data: stop_pending(), weak=False)
atexit.register(stop_pending)


def swap_index(pelican) -> None:
    """The site is written: only now does the new index replace the old one."""
    try:
        if "stream" in _pending:  # the articles were never all read: nothing to index
            stop_pending()
            return
        process = _pending.get("process")
        if process is not None and process.wait() != 0:
            logger.error("search: building the index failed (exit code %s)", process.returncode)
            return
        if "fresh" in _pending:
            replace_index(_pending["fresh"], _pending["target"])
            logger.info("search: index ready in %s", _pending["target"])
    finally:
        _pending.clear()


def add_page_policy(pelican) -> None:
    """The service's Content-Security-Policy as the theme's <meta> (CONTENT_SECURITY_POLICY_META),
    so that a static host protects readers as the service does; relaxed for `invoke livereload`."""
    target = urlsplit(pelican.settings.get("SEARCH_URL", ""))
    origin = f"{target.scheme}://{target.netloc}" if target.scheme and target.netloc else None
    livereload = bool(pelican.settings.get("CONTENT_SECURITY_POLICY_LIVERELOAD", False))
    pelican.settings["CONTENT_SECURITY_POLICY_META"] = meta_policy(
        livereload=livereload, search_origin=origin
    )


def register():
    # initialized: the settings become every template's context when the run starts.
    signals.initialized.connect(add_page_policy)
    # Before and while the articles are read: their texts are analysed on the second core.
    signals.article_generator_init.connect(start_stream)
    signals.content_object_init.connect(stream_article)
    # article_generator_finalized: every article is read and rendered, no page is written yet,
    # so the « À lire aussi » lists can still reach the article pages.
    signals.article_generator_finalized.connect(index_articles)
    # finalized: the whole site was written without error; the new index may go live.
    signals.finalized.connect(swap_index)
