"""Whether rendering a page read the text of any article or page.

Most pages show other contents by their fields alone: a listing shows titles, dates and
summaries, never a text. Their keys can then leave the texts out (RenderMemo's `textless`
keys), so that editing an article's text renders its own page again, not the 90 listing and
neighbour pages that merely name it.

A text is read through Pelican's `get_content` (the `content` property), through a summary
that Pelican cuts from the text (`get_summary` without a `summary` in the metadata), or, in a
template, through the raw `_content` attribute. All three are watched while a page renders.
A filter written in Python that reads `_content` itself (Jinja's `attr` filter included) is
not seen: the project's filters take texts, not contents.
"""

from contextlib import contextmanager

from pelican.contents import Content

_TEXT_CONTENT = Content.__dict__["get_content"]  # Pelican's memoized descriptors
_TEXT_SUMMARY = Content.__dict__["get_summary"]
# Attributes that give the text itself to a template.
_RAW_TEXT = frozenset({"_content"})
# The contents whose text the page being rendered read; None when no page is rendering.
_reading: set[int] | None = None


@contextmanager
def watching_texts():
    """The ids of the contents whose text is read inside the block."""
    global _reading
    outer, found = _reading, set()
    _reading = found
    try:
        yield found
    finally:
        _reading = outer
        if outer is not None:
            outer |= found


def _get_content(self: Content, siteurl: str) -> str:
    if _reading is not None:
        _reading.add(id(self))
    return _TEXT_CONTENT.__get__(self, type(self))(siteurl)


def _get_summary(self: Content, siteurl: str) -> str:
    # Pelican keeps the summary it cut, so a second page would not see the text read again.
    if _reading is not None and "summary" not in self.metadata:
        _reading.add(id(self))
    return _TEXT_SUMMARY.__get__(self, type(self))(siteurl)


def forget_kept_texts() -> None:
    """Pelican keeps every text and summary it made (`memoized`, on the class, by content), and
    through each content the whole build it belongs to: a session that builds again and again
    (livereload) would keep every build. Forgotten once a build is over."""
    _TEXT_CONTENT.cache.clear()
    _TEXT_SUMMARY.cache.clear()


def install_text_watch() -> None:
    """Route Pelican's text and summary through the watch (outside a render: unchanged)."""
    Content.get_content = _get_content
    Content.get_summary = _get_summary


def watch_templates(environment) -> None:
    """Make `environment`'s templates report `_content`, which they read without Pelican."""
    if getattr(environment, "_carnet_watches_texts", False):
        return
    plain_getattr, plain_getitem = environment.getattr, environment.getitem

    def getattr_watched(obj, attribute):
        if _reading is not None and attribute in _RAW_TEXT:
            _reading.add(id(obj))
        return plain_getattr(obj, attribute)

    def getitem_watched(obj, argument):
        if _reading is not None and isinstance(argument, str) and argument in _RAW_TEXT:
            _reading.add(id(obj))
        return plain_getitem(obj, argument)

    environment.getattr, environment.getitem = getattr_watched, getitem_watched
    environment._carnet_watches_texts = True
