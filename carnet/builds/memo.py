"""The render memo: which key each page of a build had, and reuse of unchanged pages.

A page's key digests the site (settings, theme and plugin sources, versions), its
template and path, and every context variable its templates read. When the previous
build wrote the same path with the same key, its bytes are reused instead of rendering.

A page whose render read no article's or page's text (texts_read.py: most listings, tag and
author pages) gets a `textless` key, where the contents count without their texts: an edit
of a text then leaves it alone. The manifest says which keys are textless, so that the next
build digests each page as its key was made.
"""

import hashlib
import json
import logging
import os
import shutil
from pathlib import Path
from typing import NamedTuple

from .fingerprint import Fingerprints, Unfingerprintable
from .kept import atomic_file, notice_unreadable
from .parallel import Share
from .templates import variables_read
from .texts_read import install_text_watch, watch_templates, watching_texts

logger = logging.getLogger(__name__)

MANIFEST_NAME = "render-manifest.json"


class Pending(NamedTuple):
    """A page rendered as nothing: link `source` at `name`, or (None) another process writes it."""

    name: str
    source: Path | None


_MISSING = object()


class RenderMemo:
    def __init__(self, site_digest: bytes, previous_build: Path | None):
        install_text_watch()  # a page's textless key rests on it
        self.site_digest = site_digest
        self.fingerprints = Fingerprints()
        self.previous_output = previous_build / "output" if previous_build else None
        manifest = load_manifest(previous_build) if previous_build else {}
        self.previous_keys = manifest.get("pages", {})
        self._previous_site = manifest.get("site")
        self.previous_textless = _kept_textless(manifest.get("textless"))
        # The names each template reads: parsing the theme's templates again costs a quarter of a
        # second, and the site digest covers the theme, so under the same digest they are the same.
        self._names: dict[str, list[str] | None] = {}
        if self._previous_site == site_digest.hex():
            self._names = _kept_names(manifest.get("variables"))
        self.keys: dict[str, str] = {}
        self.textless: set[str] = set()  # the pages of `keys` whose keys leave the texts out
        self.rendered: list[str] = []
        self.reused = 0
        self._pending: Pending | None = None
        # Set when pages are shared between processes (plugins/incremental): this process's
        # share, and whether the generator now writing has its pages shared.
        self.share: Share | None = None
        self.sharing = False
        # Per template: the names it reads, sorted, each as it enters the key (None: unknown).
        self._variables: dict[str, tuple[tuple[str, bytes], ...] | None] = {}
        self._by_object: dict[tuple[int, bool], tuple[object, bytes | Unfingerprintable]] = {}
        # Most of the values pages read are the settings' texts and numbers, the same on every
        # page: 130 000 of the 147 000 values 9 042 pages read at 5 000 articles.
        self._by_value: dict[tuple[type, object], bytes] = {}

    def renders_everything(self) -> bool:
        """Whether no page of the previous build can be reused: none, or another site digest."""
        return not self.previous_keys or self._previous_site != self.site_digest.hex()

    def key_for(self, template, context: dict, textless: bool = False) -> str | None:
        """The page's key, or None when its inputs cannot be followed (it is then always rendered).
        `textless`: the articles and pages it reads count without their texts."""
        if template.name not in self._variables:
            if template.name not in self._names:
                found = variables_read(template)
                self._names[template.name] = None if found is None else sorted(found)
            names = self._names[template.name]
            self._variables[template.name] = (
                None if names is None else tuple((name, name.encode() + b"=") for name in sorted(names))
            )
        names = self._variables[template.name]
        if names is None:
            return None
        hasher = hashlib.blake2b(self.site_digest, digest_size=16)
        hasher.update(f"{template.name}\n{context.get('output_file')}\n".encode())
        parts = [b"textless\n" if textless else b"texts\n"]
        try:
            for name, label in names:
                value = context.get(name, _MISSING)
                parts.append(label)
                parts.append(b"<missing>" if value is _MISSING else self._digest(value, textless))
        except Unfingerprintable as reason:
            logger.debug("incremental: %s is always rendered: %s", context.get("output_file"), reason)
            return None
        hasher.update(b"".join(parts))
        return hasher.hexdigest()

    def _digest(self, value, textless: bool) -> bytes:
        """The digest of a context value, once per object and build: most pages share the site's
        lists and dictionaries, which stay as they are while the pages are written."""
        if value is None or isinstance(value, float):
            return self.fingerprints.digest(value)  # 0.0 == -0.0: not kept by value
        if isinstance(value, str | int):
            # By type and value: True and 1 are equal, but not the same input.
            key = (type(value), value)
            digest = self._by_value.get(key)
            if digest is None:
                digest = self._by_value[key] = self.fingerprints.digest(value)
            return digest
        kept = self._by_object.get((id(value), textless))
        if kept is None or kept[0] is not value:
            try:
                kept = (value, self.fingerprints.digest(value, textless))
            except Unfingerprintable as reason:
                kept = (value, reason)
            self._by_object[(id(value), textless)] = kept  # the object is kept too: its id is not reused
        if isinstance(kept[1], Unfingerprintable):
            raise kept[1]
        return kept[1]

    def previous_page(self, name: str, key: str | None) -> Path | None:
        """The file the previous build wrote at `name`, if it was rendered from the same inputs."""
        if key is None or self.previous_output is None or self.previous_keys.get(name) != key:
            return None
        path = self.previous_output / name
        return path if path.is_file() else None

    def render(self, template, context: dict) -> str:
        """The page's text; or nothing, when the writer is to link the previous build's page in
        place (`take_pending`) instead of reading and writing it again, or when another render
        process writes this page (carnet/builds/parallel.py)."""
        name = context["output_file"]
        if self.sharing and self.share is not None and not self.share.owns(name):
            self._pending = Pending(name, None)
            return ""
        # Digested as the previous build made its key; nothing to compare with when every page
        # is rendered: the key is then made after the page, knowing whether it read a text.
        textless = name in self.previous_textless
        key = None if self.renders_everything() else self.key_for(template, context, textless)
        previous = self.previous_page(name, key)
        if previous is None:
            watch_templates(template.environment)
            with watching_texts() as texts:
                text = template.render(context)
            self.rendered.append(name)
            if key is None or textless != (not texts):
                textless = not texts
                key = self.key_for(template, context, textless)
        else:
            text = ""
            self._pending = Pending(name, previous)
            self.reused += 1
        if key is not None:
            self.keys[name] = key
            if textless:
                self.textless.add(name)
        return text

    def take_pending(self, name: str) -> "Pending | None":
        """What to do instead of writing the text just rendered for `name`, if anything."""
        pending, self._pending = self._pending, None
        if pending is None:
            return None
        if os.path.normpath(pending.name) != os.path.normpath(name):
            # The writer opens each page right after rendering it; anything else would write "".
            raise RuntimeError(f"incremental: {pending.name} rendered but {name} written")
        return pending

    def merge(
        self,
        keys: dict[str, str],
        textless: set[str],
        rendered: list[str],
        reused: int,
        names: dict[str, list[str] | None],
    ) -> None:
        """Add what a render process did with its share of the pages."""
        self.keys.update(keys)
        self.textless |= textless
        self._names.update(names)
        self.rendered.extend(rendered)
        self.reused += reused

    def outcome(self) -> tuple[dict[str, str], set[str], list[str], int, dict[str, list[str] | None]]:
        """What `merge` takes in: this process's keys (and which are textless), pages rendered
        and reused, names read."""
        return self.keys, self.textless, self.rendered, self.reused, self._names

    def save(self, build: Path) -> None:
        manifest = {
            "pages": self.keys,
            "rendered": sorted(self.rendered),
            "site": self.site_digest.hex(),
            "textless": sorted(self.textless),
            "variables": self._names,
        }
        with atomic_file(build / MANIFEST_NAME) as handle:
            handle.write(json.dumps(manifest, indent=0, sort_keys=True).encode())


def load_manifest(build: Path) -> dict:
    """The page keys of `build`; none (every page is rendered) when they cannot be read."""
    path = build / MANIFEST_NAME
    if not path.is_file():
        return {"pages": {}, "rendered": []}  # a build made without the memo
    try:
        manifest = json.loads(path.read_text("utf-8"))
        if not isinstance(manifest.get("pages"), dict):
            raise ValueError("pas de clés de pages")
    except (OSError, ValueError, AttributeError) as error:
        notice_unreadable(path, error, "toutes les pages seront rendues")
        return {"pages": {}, "rendered": []}
    return manifest


def _kept_textless(kept) -> frozenset[str]:
    """The pages whose keys the previous build made without the texts; none from a damaged
    manifest (their keys then differ, and they are rendered)."""
    if not isinstance(kept, list) or not all(isinstance(name, str) for name in kept):
        return frozenset()
    return frozenset(kept)


def _kept_names(kept) -> dict[str, list[str] | None]:
    """The names read by each template, as the previous build saved them; a template whose
    entry is not a list of names (a damaged manifest) is parsed again."""
    if not isinstance(kept, dict):
        return {}
    return {
        template: names
        for template, names in kept.items()
        if names is None or (isinstance(names, list) and all(isinstance(name, str) for name in names))
    }


class MemoTemplate:
    """Stands in for a Jinja template in Pelican's writer: renders through the memo."""

    def __init__(self, template, memo: RenderMemo):
        self._template = template
        self._memo = memo
        self.name = template.name

    def render(self, context: dict) -> str:
        return self._memo.render(self._template, context)

    def __getattr__(self, name):
        return getattr(self._template, name)


def link_in_place(source: Path, target: str) -> None:
    """Put the previous build's file at `target` without reading it: a hard link (builds are
    never written once live), a copy on another file system."""
    if os.path.lexists(target):
        os.unlink(target)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
