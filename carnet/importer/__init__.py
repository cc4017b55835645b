"""Turn raw scraped articles (blog, forum, newsletter) into clean Markdown drafts.

An author's tool, run by `invoke import`; not a Pelican plugin. The pipeline, one
concern per module, each pure and testable on a few lines of text:

- `decoding`: bytes to text (UTF-8, else Windows-1252 detected), or a `RawTextError`;
- `chrome`: the platform's lines around the article (comment forms, « Lu N fois »,
  unsubscribe footers, the blog profile), to remove;
- `metadata`: title, subtitle, date (dateparser), author (byline, sign-off, signature);
- `structure`: the author's résumé, headings, lists, hard-wrapped lines, verse, and
  paragraphs that the scrape repeated;
- `tags`: tag suggestions from the tag map;
- `archive`: the carnet's articles: their categories to choose from, and copies of them;
- `drafts`: Markdown that keeps the author's words as text, written without overwriting;
- `report`: what was found, removed and left undecided, in French or as JSON;
- `pipeline`: the steps in order, for one text or many files;
- `cli`: the glue for `invoke import` (many file names, progress bar, exit status).

`model` holds the data passed between the steps and `text` the small judgements on a
line (does it read as a title, as a name…) that several steps share.

The importer removes only what it recognises and lists every removed line, so that
an author can put back anything it got wrong; it never rewrites a sentence.
"""

from .errors import RawTextError

__all__ = ["RawTextError"]
