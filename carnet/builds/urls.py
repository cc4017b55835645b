"""Content addresses computed once per build instead of at every use.

Pelican's `url` and `save_as` format a setting with a fresh copy of the content's metadata at
each access: 193 000 times in a 5 000-article build (11 of 123 profiled seconds), mostly from
the templates. Once every generator has read and settled its content (translations, drafts,
slugs, overrides), the answers can no longer change until the next build, so the first one is
kept on the object; `thaw` forgets them when the build ends (livereload reads again)."""

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


def install() -> None:
    """Route Pelican's address lookup through the kept answers (an object not frozen is unchanged)."""
    Content.get_url_setting = _get_url_setting


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
