"""A Markdown reader that takes the résumé block out before Markdown sees the text."""

from markdown import Markdown
from pelican.readers import MarkdownReader

from carnet.resume.parsing import extract_resume
from carnet.resume.rendering import render_extraction
from carnet.resume.source import read_text
from carnet.review.header import FORMATTED_KEYS, ONCE_KEYS

META = "meta"  # the name of Python-Markdown's metadata preprocessor


class ResumeMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, plus `resume_rendered` in the metadata.

    `read` mirrors MarkdownReader.read: the block has to be cut from the raw
    text, so that line numbers in messages are those of the author's file.
    The résumé is rendered here, so that Pelican's content cache keeps it too."""

    def read(self, source_path):
        self._source_path = source_path
        self._md = self._converter()
        text = read_text(source_path)
        extraction = extract_resume(text)
        content = self._md.convert(extraction.text)
        if extraction.block is not None:
            # « [texte][étiquette] » in a point, its definition further down the article.
            extraction.block.references = dict(self._md.references)
        metadata = self._parse_metadata(single_values(self._md.Meta)) if hasattr(self._md, "Meta") else {}
        metadata["resume_rendered"] = render_extraction(extraction, content)
        return content, metadata

    def _converter(self) -> Markdown:
        """One Markdown per reader, reset between files, where Pelican builds one per file:
        building it took 5 s of a 123 s profiled build at 5 000 articles. Pelican's
        `_parse_metadata` takes the metadata preprocessor out (so that a summary's lines
        are not read as metadata): it is put back at its place before the next file."""
        md = getattr(self, "_reused_md", None)
        if md is None:
            md = self._reused_md = Markdown(**self.settings["MARKDOWN"])
            self._meta = (md.preprocessors[META], _priority(md, META))
            return md
        if META not in md.preprocessors:
            md.preprocessors.register(self._meta[0], META, self._meta[1])
        return md.reset()


def single_values(meta: dict[str, list[str]]) -> dict[str, list[str]]:
    """The header's values, a key written on several lines (indented, or written again) joined
    into one, as the author meant: Pelican would make a list of them, which no template shows
    (a title's list failed the whole build). Its summary's lines it joins itself; of a key it
    allows once (Tags, Slug…) it keeps the first, as before. The review says each case, at its
    line (carnet/review/header.py)."""
    return {
        key: [" ".join(values).strip()]
        if len(values) > 1 and key.lower() not in FORMATTED_KEYS and key.lower() not in ONCE_KEYS
        else values
        for key, values in meta.items()
    }


def _priority(md: Markdown, name: str) -> float:
    # Python-Markdown's registry says an item's place only through its (private) list.
    return next(item.priority for item in md.preprocessors._priority if item.name == name)
