"""Content addresses computed once per build instead of at every use.

Pelican's `url` and `save_as` format a setting with a fresh copy of the content's metadata at
each access: 193 000 times in a 5 000-article build (11 of 123 profiled seconds), mostly from
the templates. Once every generator has read and settled its content (translations, drafts,
slugs, overrides), the answers can no longer change until the next build, so the first one is
kept on the object; `thaw` forgets them when the build ends (livereload reads again)."""

import os
from collections.abc import Iterable

from pelican.contents import Content, Static

# Where the kept answers live on each content object; left out of the page keys (fingerprint.py).
FROZEN_ATTRIBUTE = "_carnet_frozen_urls"
_original_get_url_setting = Content.get_url_setting


def _get_url_setting(self: Content, key: str) -> str:
    frozen = self.__dict__.get(FROZEN_ATTRIBUTE)
    if frozen is None:
        return _original_get_url_setting(self, key)
    try:
        return frozen[key]
    except KeyError:
        value = frozen[key] = _original_get_url_setting(self, key)
        return value


# Pelican works out a content's path in content/ with os.path.relpath at every use (each
# address it formats, among others): 0.6 s of an edit at 5 000 articles. The answer depends
# on the two paths alone (and the working folder, when one is relative).
_original_relative_source_path = Content.get_relative_source_path
_relative_paths: dict[tuple, str] = {}


def _get_relative_source_path(self: Content, source_path: str | None = None) -> str | None:
    if not source_path:
        source_path = self.source_path
    if source_path is None:
        return None
    content = self.settings["PATH"]
    key = (content, source_path)
    if not (os.path.isabs(content) and os.path.isabs(source_path)):
        key = (*key, os.getcwd())
    found = _relative_paths.get(key)
    if found is None:
        found = _relative_paths[key] = _original_relative_source_path(self, source_path)
    return found


def install() -> None:
    """Route Pelican's address lookup through the kept answers (an object not frozen is
    unchanged), and its path of a content in content/ through the paths already worked out."""
    Content.get_url_setting = _get_url_setting
    Content.get_relative_source_path = _get_relative_source_path


def settled_contents(generators: Iterable) -> list[Content]:
    """Every article and page the generators hold, with their translations (static files
    compute their addresses otherwise)."""
    found: dict[int, Content] = {}
    for generator in generators:
        for value in vars(generator).values():
            if not isinstance(value, list):
                continue
            for item in value:
                if isinstance(item, Content) and not isinstance(item, Static):
                    found[id(item)] = item
                    for translation in getattr(item, "translations", ()):
                        if isinstance(translation, Content):
                            found[id(translation)] = translation
    return list(found.values())


class FrozenUrls:
    """The contents of one build whose addresses are kept, from `freeze` to `thaw`."""

    def __init__(self):
        self._contents: list[Content] = []

    def freeze(self, contents: Iterable[Content]) -> None:
        self.thaw()
        self._contents = list(contents)
        for content in self._contents:
            content.__dict__[FROZEN_ATTRIBUTE] = {}

    @property
    def contents(self) -> list[Content]:
        return self._contents

    def thaw(self) -> None:
        for content in self._contents:
            content.__dict__.pop(FROZEN_ATTRIBUTE, None)
        self._contents = []
        _relative_paths.clear()  # a long livereload session renames files
