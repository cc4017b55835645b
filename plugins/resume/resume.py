"""Pelican glue: the résumé block on article pages, in listings, feeds and meta descriptions."""

import logging

from pelican import signals
from pelican.contents import Article

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


def register():
    attributes.register()
    # readers_init: the block must be cut out of the Markdown before it is converted.
    signals.readers_init.connect(use_resume_reader)
    # content_object_init: the HTML and its heading ids exist; summaries are not yet computed.
    signals.content_object_init.connect(attach_resume)
