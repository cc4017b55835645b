"""Pelican glue: a writer that reuses the pages of the previous build whose inputs did not change.

Each build is written into a fresh folder (see carnet/builds/); the build runner names that
folder and the live build in the settings. Without them, Pelican's own writer is used.
"""

import logging
import os
from pathlib import Path

from pelican import signals
from pelican.writers import Writer

from carnet.builds.fingerprint import Unfingerprintable
from carnet.builds.memo import MemoTemplate, RenderMemo, link_in_place
from carnet.builds.sources import site_digest
from carnet.builds.urls import FrozenUrls, install, settled_contents

logger = logging.getLogger(__name__)

DEFAULTS = {
    "INCREMENTAL_BUILD": None,  # the folder of this build (holds output/); None: no memo
    "INCREMENTAL_PREVIOUS_BUILD": None,  # the live build, whose pages may be reused
}
# The build runner names the settings that name this build's folders (BUILD_VOLATILE_SETTINGS,
# carnet/builds/runner.py and pipeline.py): they change every time, the pages do not.
VOLATILE_SETTINGS = frozenset({"BUILD_VOLATILE_SETTINGS", *DEFAULTS})
# The contents whose addresses this process keeps during the current build (carnet/builds/urls.py).
FROZEN = FrozenUrls()


class MemoWriter(Writer):
    memo: RenderMemo  # set on the subclass made for each build: get_writer returns a class

    def write_file(self, name, template, context, *args, **kwargs):
        return super().write_file(name, MemoTemplate(template, self.memo), context, *args, **kwargs)

    def _open_w(self, filename, encoding, override=False):
        # Pelican opens the page it has just rendered: a reused page is linked instead.
        reused = self.memo.take_reused(os.path.relpath(filename, os.path.abspath(self.output_path)))
        if filename not in self._overridden_files and os.path.lexists(filename):
            # Written twice in this build (override): the first may be a link into the live build.
            os.unlink(filename)
        handle = super()._open_w(filename, encoding, override)
        if reused is None or handle.name == os.devnull:
            return handle
        handle.close()
        link_in_place(reused, filename)
        return open(os.devnull, "w", encoding=encoding)  # takes the empty text Pelican writes


def choose_writer(pelican):
    settings = pelican.settings
    if not settings.get("INCREMENTAL_BUILD"):
        return None
    try:
        # The build runner names the settings it sets for this build alone (carnet/builds/pipeline.py).
        volatile = VOLATILE_SETTINGS | frozenset(settings.get("BUILD_VOLATILE_SETTINGS", ()))
        digest = site_digest(settings, volatile)
    except Unfingerprintable as reason:
        logger.warning("incremental: every page is rendered, a setting cannot be followed: %s", reason)
        return None
    previous = settings.get("INCREMENTAL_PREVIOUS_BUILD")
    memo = RenderMemo(digest, Path(previous) if previous else None)
    # get_writer and finalized receive the Pelican object, not the context: the memo rides on
    # it from one to the other, and is taken off at finalized (livereload runs it again).
    pelican.render_memo = memo
    return type(MemoWriter.__name__, (MemoWriter,), {"memo": memo})


def save_memo(pelican) -> None:
    memo = vars(pelican).pop("render_memo", None)
    if memo is None:
        return
    memo.save(Path(pelican.settings["INCREMENTAL_BUILD"]))
    logger.info("incremental: %d pages rendered, %d reused", len(memo.rendered), memo.reused)


def freeze_urls(generators) -> None:
    FROZEN.freeze(settled_contents(generators))


def thaw_urls(pelican) -> None:
    FROZEN.thaw()


def register():
    install()
    # all_generators_finalized: every content is read and settled; its addresses cannot change now.
    signals.all_generators_finalized.connect(freeze_urls)
    # finalized: the next build reads its contents again.
    signals.finalized.connect(thaw_urls)
    # get_writer: every page goes through the writer, which can reuse it or render it.
    signals.get_writer.connect(choose_writer)
    # finalized: the whole site was written; its keys become the next build's reference.
    signals.finalized.connect(save_memo)
