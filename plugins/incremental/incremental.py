"""Pelican glue: a writer that reuses the pages of the previous build whose inputs did not change,
and shares the rendering of the others between processes on a large site.

Each build is written into a fresh folder (see carnet/builds/); the build runner names that
folder and the live build in the settings. Without them, Pelican's own writer is used.
"""

import itertools
import logging
import os
from pathlib import Path

import blinker
from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.writers import FileOverwriteFailedError, Writer

from carnet.builds.area import make_way
from carnet.builds.fingerprint import Unfingerprintable
from carnet.builds.listings import lend_members_while_writing
from carnet.builds.memo import MemoTemplate, RenderMemo, link_in_place
from carnet.builds.parallel import Share, Worker, fork_workers, join, stop
from carnet.builds.sources import site_digest
from carnet.builds.translations import install as install_linear_translations
from carnet.builds.urls import FrozenUrls, install, settled_contents

logger = logging.getLogger(__name__)

DEFAULTS = {
    "INCREMENTAL_BUILD": None,  # the folder of this build (holds output/); None: no memo
    "INCREMENTAL_PREVIOUS_BUILD": None,  # the live build, whose pages may be reused
    "RENDER_PROCESSES": None,  # processes that render pages; None: one per core this build may use
    "RENDER_PARALLEL_FROM": 1000,  # from this many articles and pages on; below, forking costs more
    "RENDER_SHARED_EDITS": True,  # False: an incremental build renders in this process alone
}
# Generators whose every output goes through the writer (pages, feeds): a render process runs
# them too, for its share. So does a generator whose class says SHARES_PAGES (the tag map's),
# when it comes before any other (see share_pages); it writes its other files only where the
# writer `writes_site_files`. The others (static files) run only here.
SHARED_GENERATORS = (ArticlesGenerator, PagesGenerator)
# The build runner names the settings that name this build's folders (BUILD_VOLATILE_SETTINGS,
# carnet/builds/runner.py and pipeline.py): they change every time, the pages do not. This
# plugin's own settings say how the pages are made, not what they hold: no page key reads them.
VOLATILE_SETTINGS = frozenset({"BUILD_VOLATILE_SETTINGS", *DEFAULTS})


class OutputPhase:
    """What one build's output phase holds in this process, from all_generators_finalized to
    finalized: Pelican gives the generators to the first signal, and the Pelican object only
    to get_writer and finalized."""

    def __init__(self):
        self.generators: list = []
        self.urls = FrozenUrls()  # the contents whose addresses are kept (carnet/builds/urls.py)
        self.workers: list[Worker] = []

    def end(self) -> None:
        stop(self.workers)  # none left unless the build failed
        self.workers = []
        self.urls.thaw()
        self.generators = []


PHASE = OutputPhase()


class MemoWriter(Writer):
    memo: RenderMemo  # set on the subclass made for each build: get_writer returns a class

    def write_file(self, name, template, context, *args, **kwargs):
        return super().write_file(name, MemoTemplate(template, self.memo), context, *args, **kwargs)

    @property
    def writes_site_files(self) -> bool:
        """False in a render process: the files that are not pages are the build's own process's."""
        return self.memo.share is None or self.memo.share.index == 0

    def write_feed(self, *args, **kwargs):
        if not self.writes_site_files:
            return None  # feeds are written by the build's own process
        return super().write_feed(*args, **kwargs)

    def _open_w(self, filename, encoding, override=False):
        # Pelican opens the page it has just rendered: a reused page is linked instead, and a
        # page of another process's share is only counted, as Pelican counts what it writes.
        pending = self.memo.take_pending(self._relative(filename))
        if pending is not None:
            # Pelican keeps the file an override wrote, and skips this write (or refuses it below).
            kept = filename in self._overridden_files
            self._count_written(filename, override)
            if pending.source is not None and not kept:
                link_in_place(pending.source, filename)  # without opening it: 9 000 pages after an edit
            return _Discarded()  # takes the empty text Pelican writes
        if filename not in self._overridden_files and os.path.lexists(filename):
            # Written twice in this build (override): the first may be a link into the live build.
            os.unlink(filename)
        return super()._open_w(filename, encoding, override)

    def _relative(self, filename: str) -> str:
        """The page's name in the output folder: Pelican joined it there (sanitised_join), and
        os.path.relpath costs more than the rest of linking a page."""
        prefix = os.path.join(os.path.abspath(self.output_path), "")
        if filename.startswith(prefix):
            return filename[len(prefix) :]
        return os.path.relpath(filename, prefix)

    def _count_written(self, filename, override) -> None:
        """Pelican's Writer._open_w without the open: the same refusals of a file written twice."""
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(f'Failed to overwrite "{filename}" a second time')
            return
        if filename in self._written_files and not override:
            raise FileOverwriteFailedError(f'Failed to overwrite "{filename}": already written')
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)


class _Discarded:
    """What Pelican writes a page's text to when the page is linked or another process's."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None

    def write(self, text: str) -> int:
        return len(text)


def keep_generators(generators) -> None:
    PHASE.end()  # what a build that failed without saying so (no build_failed) left behind
    PHASE.generators = generators


def start_output(pelican):
    """The context is final (intersite links refreshed too): keep the addresses, make the
    group pages' membership tests cheap, choose the writer, and start the render processes."""
    PHASE.urls.freeze(settled_contents(PHASE.generators))
    if pelican.settings.get("INCREMENTAL_REUSED_FOLDERS") and PHASE.generators:
        make_way(Path(pelican.settings["OUTPUT_PATH"]), files_written(PHASE.generators[0].context))
    for generator in PHASE.generators:
        if isinstance(generator, ArticlesGenerator):  # before the render processes fork
            lend_members_while_writing(generator)
    writer = choose_writer(pelican)
    if writer is not None:
        share_pages(pelican, writer)
    return writer


def files_written(context: dict) -> list[str]:
    """Where the contents and static files Pelican found go (the context is every generator's)."""
    found = [*context.get("generated_content", {}).values(), *context.get("static_content", {}).values()]
    return [content.save_as for content in found if getattr(content, "save_as", "")]


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


def render_processes(settings, generators) -> int:
    wanted = settings.get("RENDER_PROCESSES") or len(os.sched_getaffinity(0))
    context = generators[0].context if generators else {}
    size = len(context.get("articles", ())) + len(context.get("pages", ()))
    return max(1, int(wanted)) if size >= settings.get("RENDER_PARALLEL_FROM", 1000) else 1


def share_pages(pelican, writer_class) -> None:
    """Fork the render processes; each runs the shared generators with its own writer."""
    count = render_processes(pelican.settings, PHASE.generators)
    # Only those Pelican runs first: a generator before them might change what their pages show.
    shared = list(itertools.takewhile(shares_pages, PHASE.generators))
    memo = writer_class.memo
    # After an edit too: most pages are then linked from the live build, but each page's key
    # is digested first, which is most of the writing on a large site (5 000 articles, three
    # edits alternately, six times: 15.0 s median against 16.2 s). Unless RENDER_SHARED_EDITS
    # is off: livereload's process runs its server's threads, and a lock one of them holds at a
    # fork stays held in the copy; it forks only when it must render every page.
    if count < 2 or not shared:
        return
    if not pelican.settings.get("RENDER_SHARED_EDITS", True) and not memo.renders_everything():
        return

    # Before the fork, shared as the pages will be: each render process would otherwise digest
    # nearly every article itself.
    memo.fingerprints.work_out_ahead(PHASE.urls.contents, count)

    def work(index: int):
        memo.share, memo.sharing = Share(index, count), True
        mine = writer_class(pelican.output_path, settings=pelican.settings)
        for generator in shared:
            generator.generate_output(mine)
        return memo.outcome()

    PHASE.workers = fork_workers(count, work)
    logger.info("incremental: pages rendered by %d processes", count)
    memo.share = Share(0, count)
    for generator in shared:
        generator.generate_output = _sharing(generator.generate_output, memo)
    # Pelican calls the generators' generate_output in the order of this list, then finalized:
    # the last one waits for the render processes, so that finalized sees the whole site.
    PHASE.generators.append(JoinRenderers(memo))


def shares_pages(generator) -> bool:
    return type(generator) in SHARED_GENERATORS or getattr(type(generator), "SHARES_PAGES", False) is True


def _sharing(generate_output, memo: RenderMemo):
    def generate_shared_output(writer):
        memo.sharing = True
        try:
            generate_output(writer)
        finally:
            memo.sharing = False

    return generate_shared_output


class JoinRenderers:
    """Last among Pelican's generators: takes in what the render processes did."""

    def __init__(self, memo: RenderMemo):
        self.memo = memo

    def generate_output(self, writer) -> None:
        workers, PHASE.workers = PHASE.workers, []
        for outcome in join(workers):
            self.memo.merge(*outcome.value)


def save_memo(pelican) -> None:
    memo = vars(pelican).pop("render_memo", None)
    if memo is None:
        return
    memo.save(Path(pelican.settings["INCREMENTAL_BUILD"]))
    logger.info("incremental: %d pages rendered, %d reused", len(memo.rendered), memo.reused)


def end_output(sender=None, **data) -> None:
    PHASE.end()


def register():
    install()
    install_linear_translations()
    # all_generators_finalized: the generators, which get_writer does not receive.
    signals.all_generators_finalized.connect(keep_generators)
    # get_writer: every page goes through the writer, which can reuse it or render it, in one
    # or several processes.
    signals.get_writer.connect(start_output)
    # finalized: the whole site was written; its keys become the next build's reference.
    signals.finalized.connect(save_memo)
    # finalized, or a failed build: the next build reads its contents again; render processes
    # of a failed build are stopped, and write nothing more.
    signals.finalized.connect(end_output)
    blinker.signal("carnet.build_failed").connect(end_output)
