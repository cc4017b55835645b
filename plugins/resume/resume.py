"""Pelican glue: the résumé block on article pages, in listings, feeds and meta descriptions."""

import logging

from pelican import signals
from pelican.contents import Article
from pelican.generators import ArticlesGenerator

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
        instance.description_text = rendered.fallback_text or instance.title


def resolve_resume_links(generators) -> None:
    """{filename}, {attach} and {static} links in the résumé point where the page's own do.

    Pelican resolves them in the article's text only; here, once every generator has read its
    files (the static ones included), the résumé and the listing summary taken from it get the
    same treatment. Before that, {attach} and {static} could not be resolved."""
    for generator in generators:
        if not isinstance(generator, ArticlesGenerator):
            continue
        for article in _every_article(generator):
            # Pelican's marks open with { or | (INTRASITE_LINK_REGEX); most résumés have neither.
            if "{" in article.resume_html or "|" in article.resume_html:
                siteurl = article.get_siteurl()
                article.resume_html = article._update_content(article.resume_html, siteurl)
                metadata = article.metadata
                if "summary" in metadata:  # taken from the résumé (attach_resume)
                    metadata["summary"] = article._update_content(metadata["summary"], siteurl)


def _every_article(generator: ArticlesGenerator):
    yield from generator.articles
    yield from generator.translations
    yield from generator.hidden_articles
    yield from generator.hidden_translations
    yield from generator.drafts
    yield from generator.drafts_translations


def register():
    attributes.register()
    # readers_init: the block must be cut out of the Markdown before it is converted.
    signals.readers_init.connect(use_resume_reader)
    # content_object_init: the HTML and its heading ids exist; summaries are not yet computed.
    signals.content_object_init.connect(attach_resume)
    signals.all_generators_finalized.connect(resolve_resume_links)
