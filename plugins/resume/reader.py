"""A Markdown reader that takes the résumé block out before Markdown sees the text."""

from markdown import Markdown
from pelican.readers import MarkdownReader

from carnet.resume.parsing import extract_resume
from carnet.resume.rendering import render_extraction
from carnet.resume.source import read_text


class ResumeMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, plus `resume_rendered` in the metadata.

    `read` mirrors MarkdownReader.read: the block has to be cut from the raw
    text, so that line numbers in messages are those of the author's file.
    The résumé is rendered here, so that Pelican's content cache keeps it too."""

    def read(self, source_path):
        self._source_path = source_path
        self._md = Markdown(**self.settings["MARKDOWN"])
        text = read_text(source_path)
        extraction = extract_resume(text)
        content = self._md.convert(extraction.text)
        metadata = self._parse_metadata(self._md.Meta) if hasattr(self._md, "Meta") else {}
        metadata["resume_rendered"] = render_extraction(extraction, content)
        return content, metadata
