"""Pelican glue: the résumé block on article pages, in listings, feeds and meta descriptions."""

import logging
import re
from html import unescape

from pelican import signals
from pelican.contents import Article

from .linking import section_targets
from .reader import ResumeMarkdownReader
from .rendering import first_paragraph, resume_html, resume_summary_html, resume_text

logger = logging.getLogger(__name__)

# Values of the `Resume_source` metadata that say the author wrote the résumé.
AUTHOR_VALUES = {"auteur", "autrice", "author"}


def use_resume_reader(readers) -> None:
    for extension in ResumeMarkdownReader.file_extensions:
        readers.reader_classes[extension] = ResumeMarkdownReader


# Python-Markdown's toc extension writes headings as <h2 id="…">…</h2>: a pattern reads them
# far faster than a parser, which matters on a large archive.
_HEADING = re.compile(r'<h([234])\b[^>]*\bid="([^"]+)"[^>]*>(.*?)</h\1>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def headings_of(html: str) -> dict[str, str]:
    return {
        anchor: " ".join(unescape(_TAG.sub(" ", inner)).split())
        for _, anchor, inner in _HEADING.findall(html)
    }


def attach_resume(instance) -> None:
    if not isinstance(instance, Article):
        return
    extraction = instance.metadata.pop("resume_extraction", None)
    instance.__dict__.pop("resume_extraction", None)
    source = instance.relative_source_path
    block = extraction.block if extraction else None
    problems = list(extraction.problems) if extraction else []
    instance.resume_html = ""
    if block is not None:
        problems.extend(block.problems)
        targets, link_problems = section_targets(block.points, headings_of(instance._content or ""))
        problems.extend(link_problems)
        if block.points:
            instance.resume_html = resume_html(block, targets)
            instance.metadata["summary"] = resume_summary_html(block)
            instance.description_text = resume_text(block)
    for problem in problems:
        logger.warning("resume: %s:%s: %s", source, problem.line, problem.message)
    origin = str(instance.metadata.get("resume_source", "auteur")).strip().casefold()
    instance.resume_by_author = origin in AUTHOR_VALUES
    if not instance.resume_html:
        fallback_html, fallback_text = first_paragraph(instance._content or "")
        if "summary" not in instance.metadata and fallback_html:
            instance.metadata["summary"] = fallback_html
        instance.description_text = fallback_text or instance.title


def register():
    # readers_init: the block must be cut out of the Markdown before it is converted.
    signals.readers_init.connect(use_resume_reader)
    # content_object_init: the HTML and its heading ids exist; summaries are not yet computed.
    signals.content_object_init.connect(attach_resume)
