"""Stable digests of the values a template reads, so that a page whose inputs did not
change between two builds can be taken from the previous build instead of rendered.

Three depths, so that one edited article does not make every page look changed:
- a value a template reads directly (an article, a page of a listing) counts whole,
  with the articles it links to (related articles, neighbours, translations);
- those linked articles count by their own fields, and link on by address only;
- a tag, category or author counts by its own fields; the articles it gathers count by
  address and title (templates list them through the listing pages, not through the tag).

Each article and page also has a digest without its text, for the pages whose rendering read
no text (RenderMemo's textless keys, texts_read.py).

A value that cannot be read safely (an object of unknown shape, a structure too deep)
raises `Unfingerprintable`, and the page is rendered as usual.
"""

import contextlib
import datetime
import hashlib
import logging
from collections.abc import Callable

from pelican.contents import Content
from pelican.paginator import Paginator
from pelican.urlwrappers import URLWrapper

from .parallel import WorkerFailed, map_shared
from .urls import FROZEN_ATTRIBUTE

logger = logging.getLogger(__name__)

# Attributes that are build plumbing, not what a page shows.
IGNORED_ATTRIBUTES = frozenset({"settings", "_context", "_content", FROZEN_ATTRIBUTE})
MAX_DEPTH = 12
# Exact types answered before the chain of isinstance checks (subclasses go through it).
_SCALARS = frozenset({type(None), bool, int, float})
# Marks, among the objects being followed, that we are inside a tag, category or author.
_IN_TAXONOMY = -1


class Unfingerprintable(Exception):
    """A value whose changes a digest could not follow."""


class Fingerprints:
    """Digests for one build; articles are digested once and remembered."""

    def __init__(self):
        self._own: dict[int, tuple[bytes, bytes, list[Content]]] = {}
        self._whole: dict[int, bytes] = {}
        self._whole_shown_digests: dict[int, bytes] = {}
        self._taxonomy: dict[int, bytes] = {}
        self._addresses: dict[int, str] = {}

    def address(self, item: Content | URLWrapper) -> str:
        """Pelican computes `url` from the settings at each call: once per build is enough."""
        key = id(item)
        if key not in self._addresses:
            if isinstance(item, URLWrapper):
                self._addresses[key] = f"{type(item).__qualname__}:{item.name}|{item.slug}|{item.url}"
            else:
                self._addresses[key] = f"{item.source_path}|{item.url}|{getattr(item, 'title', '')}"
        return self._addresses[key]

    def work_out_ahead(self, contents: list[Content], processes: int) -> None:
        """Each content's own digest, worked out now by `processes` processes (map_shared), so that
        the render processes forked next inherit them: each needs nearly every article's (its
        pages and their neighbours, the listings), and worked them all out itself, 0.9 s at 5 000
        articles, twice. A content whose digest cannot be made, or that links to one outside
        `contents`, is left to be worked out when a page reads it, as before; so is everything
        if a copy fails: this only saves time."""
        # Pelican's `content` resolves {attach} and {static} links, and moves the attached files
        # (Static.attach_to): that must happen here, where the static files are written, for
        # every content, not only for this process's half. Kept (memoized), it costs little more.
        for content in contents:
            with contextlib.suppress(Exception):  # raised again when a page reads it, as before
                _ = content.content
        place = {id(content): number for number, content in enumerate(contents)}

        def own(content: Content) -> tuple[bytes, bytes, list[int]] | None:
            try:
                digest, shown, linked = self._own_content(content)
            except Exception:  # said when a page reads it, as before (Unfingerprintable or not)
                return None
            places = [place.get(id(other)) for other in linked]
            return None if None in places else (digest, shown, places)

        try:
            found = map_shared(own, contents, processes)
        except WorkerFailed as failure:
            logger.debug("incremental: digests left to the pages: %s", failure)
            return
        for content, kept in zip(contents, found, strict=True):
            if kept is not None and id(content) not in self._own:
                self._own[id(content)] = (kept[0], kept[1], [contents[number] for number in kept[2]])

    def digest(self, value, textless: bool = False) -> bytes:
        """`textless`: the articles and pages in `value` count without their texts."""
        hasher = hashlib.blake2b(digest_size=16)
        self._feed(hasher, value, self._whole_shown if textless else self._whole_content, 0, set())
        return hasher.digest()

    # -- articles and pages ------------------------------------------------

    def _whole_content(self, hasher, content: Content) -> None:
        self._whole_of(hasher, content, 0, self._whole)

    def _whole_shown(self, hasher, content: Content) -> None:
        """`_whole_content` without the texts, for a page that reads none (texts_read.py)."""
        self._whole_of(hasher, content, 1, self._whole_shown_digests)

    def _whole_of(self, hasher, content: Content, part: int, kept: dict[int, bytes]) -> None:
        """The content's own digest (`part` of `_own_content`: 0 with its text, 1 without) with
        those of the contents it links to, once per build."""
        key = id(content)
        if key not in kept:
            own = self._own_content(content)
            whole = hashlib.blake2b(own[part], digest_size=16)
            for other in own[2]:
                whole.update(self._own_content(other)[part])
            kept[key] = whole.digest()
        hasher.update(kept[key])

    def _own_content(self, content: Content) -> tuple[bytes, bytes, list[Content]]:
        """The content's own digest, the same without its text, and the contents it links to."""
        key = id(content)
        if key not in self._own:
            linked: list[Content] = []

            def link(hasher, other: Content) -> None:
                linked.append(other)
                _feed_text(hasher, "→" + self.address(other))

            kind = type(content).__qualname__
            # `content` resolves {filename} links against the other articles' addresses.
            text = content.content or ""
            hasher = hashlib.blake2b(digest_size=16)
            self._feed_attributes(hasher, content, link, 1, {id(content)})
            fields = hasher.digest()
            with_text = hashlib.blake2b(digest_size=16)
            _feed_text(with_text, kind)
            _feed_text(with_text, text)
            with_text.update(fields)
            shown = hashlib.blake2b(digest_size=16)
            _feed_text(shown, kind + " without its text")
            shown.update(fields)
            self._own[key] = (with_text.digest(), shown.digest(), linked)
        return self._own[key]

    # -- any value ---------------------------------------------------------

    def _feed(self, hasher, value, on_content: Callable, depth: int, seen: set[int]) -> None:
        if depth > MAX_DEPTH:
            raise Unfingerprintable(f"structure deeper than {MAX_DEPTH} levels")
        kind = type(value)
        if kind is str:  # most values, first: an article's fields are mostly texts
            _feed_text(hasher, value)
        elif kind in _SCALARS or value is None or isinstance(value, bool | int | float):
            _feed_text(hasher, f"{type(value).__name__}:{value!r}")
        elif isinstance(value, str):
            _feed_text(hasher, value)
        elif isinstance(value, Content):
            on_content(hasher, value)
        elif isinstance(value, bytes):
            hasher.update(b"b%d:" % len(value) + value)
        elif isinstance(value, datetime.date | datetime.time):
            _feed_text(hasher, f"{type(value).__name__}:{value.isoformat()}:{getattr(value, 'tzinfo', None)}")
        elif isinstance(value, datetime.tzinfo):
            _feed_text(hasher, f"tz:{value}")
        elif isinstance(value, URLWrapper):
            self._feed_taxonomy(hasher, value, depth, seen)
        elif isinstance(value, Paginator):
            # Templates reach a listing's articles through its Page, not the paginator.
            fields = (value.name, value.url, value.per_page, value.orphans, value.count, value.num_pages)
            _feed_text(hasher, f"paginator:{fields!r}")
        elif callable(value) and hasattr(value, "__qualname__"):
            _feed_text(hasher, f"callable:{getattr(value, '__module__', '')}.{value.__qualname__}")
        elif id(value) in seen:
            _feed_text(hasher, "cycle")
        elif isinstance(value, dict):
            seen = seen | {id(value)}
            _feed_text(hasher, f"dict:{len(value)}")
            for item_key in sorted(value, key=str):
                _feed_text(hasher, str(item_key))
                self._feed(hasher, value[item_key], on_content, depth + 1, seen)
        elif isinstance(value, list | tuple):
            seen = seen | {id(value)}
            _feed_text(hasher, f"{type(value).__name__}:{len(value)}")
            for item in value:
                self._feed(hasher, item, on_content, depth + 1, seen)
        elif isinstance(value, set | frozenset):
            digests = sorted(self._digest_with(item, on_content, depth + 1, seen) for item in value)
            _feed_text(hasher, f"set:{len(digests)}")
            for item_digest in digests:
                hasher.update(item_digest)
        elif hasattr(value, "__dict__"):
            _feed_text(hasher, f"object:{type(value).__module__}.{type(value).__qualname__}")
            self._feed_attributes(hasher, value, on_content, depth + 1, seen | {id(value)})
        else:
            raise Unfingerprintable(f"cannot follow a {type(value).__qualname__}")

    def _digest_with(self, value, on_content, depth, seen) -> bytes:
        hasher = hashlib.blake2b(digest_size=16)
        self._feed(hasher, value, on_content, depth, seen)
        return hasher.digest()

    def _feed_attributes(self, hasher, value, on_content, depth, seen) -> None:
        fields = {name: item for name, item in vars(value).items() if name not in IGNORED_ATTRIBUTES}
        self._feed(hasher, fields, on_content, depth, seen)

    def _feed_taxonomy(self, hasher, wrapper: URLWrapper, depth: int, seen: set[int]) -> None:
        key = id(wrapper)
        if _IN_TAXONOMY in seen:  # a tag's related tags count by name and address
            _feed_text(hasher, self.address(wrapper))
            return
        if key not in self._taxonomy:

            def by_address(inner, content: Content) -> None:
                _feed_text(inner, "→" + self.address(content))

            inner = hashlib.blake2b(digest_size=16)
            _feed_text(inner, self.address(wrapper))
            self._feed_attributes(inner, wrapper, by_address, depth + 1, seen | {key, _IN_TAXONOMY})
            self._taxonomy[key] = inner.digest()
        hasher.update(self._taxonomy[key])


def _feed_text(hasher, text: str) -> None:
    data = text.encode("utf-8", "surrogatepass")
    hasher.update(b"%d:" % len(data) + data)
