"""Pelican's list of the files an article links, made to agree with how it resolves the links.

Pelican (4.12, contents.py) resolves `{static}/images/caf%C3%A9.png` by trying the path as
written, then percent-decoded, and finds `content/images/café.png`; but the list of files to
publish (`get_static_links`) decodes only `%20`, so it names a file that does not exist and
warns in English that it cannot stamp it, which fails `invoke build --strict`. Here a listed
path that does not exist while its decoded form does is listed decoded, as the link resolves.
"""

import os
from urllib.parse import unquote

from pelican.contents import Content

_pelican_get_static_links = Content.get_static_links


def _get_static_links(self) -> set[str]:
    return {as_found(self.settings["PATH"], path) for path in _pelican_get_static_links(self)}


def as_found(content: str, path: str) -> str:
    """`path` (in content/) as Pelican's link finds it: as written, else percent-decoded."""
    if "%" not in path:
        return path
    decoded = unquote(path)
    if os.path.exists(os.path.join(content, path)) or not os.path.exists(os.path.join(content, decoded)):
        return path
    return decoded


def install() -> None:
    Content.get_static_links = _get_static_links
