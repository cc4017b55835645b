"""Pelican glue: the résumé block on article pages, in listings, feeds and meta descriptions."""

import copy
import logging

from pelican import signals
from pelican.contents import Article
from pelican.generators import ArticlesGenerator
from pelican.utils import get_relative_path, path_to_url

from carnet.articles import attributes
from carnet.resume.origin import resume_origin
from carnet.resume.rendering import RenderedResume

from .reader import ResumeMarkdownReader

logger = logging.getLogger(__name__)


def use_resume_reader(readers) -> None:
    for extension in ResumeMarkdownReader.file_extensions:
        readers.reader_classes[extension] = ResumeMarkdownReader


def attach_resume(instance) -> None:
    if not isinstance(instance, Article):
        rendered = instance.metadata.get("resume_rendered")
        if rendered is not None and rendered.line is not None:
            # The reader took the block out of the page's text: say so, or it would vanish unseen.
            logger.warning(
                "resume: %s:%s: le bloc « ::: résumé » n’est affiché que sur les articles ; "
                "cette page ne le montre pas",
                instance.relative_source_path,
                rendered.line,
            )
        return
    rendered = instance.metadata.pop("resume_rendered", None) or RenderedResume()
    instance.__dict__.pop("resume_rendered", None)
    # Reported, in French and with the other problems of the article, by plugins/article_review.
    instance.resume_problems = rendered.problems
    instance.resume_html = rendered.html
    if rendered.html:
        instance.metadata["summary"] = rendered.summary_html
        instance.description_text = rendered.text
    source = str(instance.metadata.get("resume_source", "auteur"))
    # Pelican gives `author` only to an article that names one (or when AUTHOR is set).
    author = instance.author.name if hasattr(instance, "author") else None
    instance.resume_origin = resume_origin(source, author)
    if not instance.resume_html:
        if "summary" not in instance.metadata and rendered.fallback_html:
            instance.metadata["summary"] = rendered.fallback_html
        # (No title: Pelican then skips the file, and says why; this must not fail first.)
        instance.description_text = rendered.fallback_text or getattr(instance, "title", "")


def register_resume_files(generator) -> None:
    """The files that only a résumé links with {static} or {attach}: Pelican gathers those an
    article links from its text alone, and would neither publish nor find them."""
    links = generator.context.setdefault("static_links", set())
    for article in attributes.every_article(generator):
        if _may_link(article.resume_html):
            as_text = copy.copy(article)
            as_text._content = article.resume_html
            links |= as_text.get_static_links()


def resolve_resume_links(generators) -> None:
    """{filename}, {attach} and {static} links in the résumé, resolved as Pelican resolves them
    in the text, once every generator has read its files (the static ones included). The
    listing summary taken from the résumé is Pelican's own `summary`, which it resolves next."""
    for generator in generators:
        if not isinstance(generator, ArticlesGenerator):
            continue
        for article in attributes.every_article(generator):
            if _may_link(article.resume_html):
                # As read, for the written-links check: the review has said its marks already.
                article.resume_html_as_read = article.resume_html
                article.resume_html = article._update_content(article.resume_html, _own_page_siteurl(article))


def _may_link(html: str) -> bool:
    # Pelican's marks open with { or | (INTRASITE_LINK_REGEX); most résumés have neither.
    return "{" in html or "|" in html


def _own_page_siteurl(article) -> str:
    """The site's address as the article's page sees it: the résumé shows on that page only.
    With RELATIVE_URLS, relative to it, as Pelican's writer gives it to the page."""
    if article.settings.get("RELATIVE_URLS"):
        return path_to_url(get_relative_path(article.save_as))
    return article.get_siteurl()


def register():
    attributes.register()
    # readers_init: the block must be cut out of the Markdown before it is converted.
    signals.readers_init.connect(use_resume_reader)
    # content_object_init: the HTML and its heading ids exist; summaries are not yet computed.
    signals.content_object_init.connect(attach_resume)
    # article_generator_finalized: every article is read; the static files are not yet gathered.
    signals.article_generator_finalized.connect(register_resume_files)
    # all_generators_finalized: the static files are known, so {attach} and {static} resolve.
    signals.all_generators_finalized.connect(resolve_resume_links)
