"""A save that only edits the text of existing articles, shown in about a second.

The session keeps the ArticlesGenerator of its last build (its articles, context, readers,
templates). The edited files are read again by its readers, as Pelican's generate_context
reads them (same signals: résumé, typography, review and tag map run); when what other pages
show of each article is unchanged (its header: title, date, address, tags, category, status),
only its page is rendered, with the kept context and the call of Pelican's generate_articles,
and put into the live build by a rename (see _publish). The exact
incremental build follows at once and reloads the browsers if its pages differ: until then
the lists show the article's old summary, and its page the « À lire aussi » of the last build.
"""

import copy
import json
import logging
import os
import shutil
import tempfile
from contextlib import contextmanager
from itertools import chain
from pathlib import Path

from pelican import signals
from pelican.contents import Article, Content
from pelican.generators import ArticlesGenerator
from pelican.log import console
from pelican.writers import Writer

from carnet.builds.area import BuildArea, BuildLocked
from carnet.builds.index_update import INDEX_RUN
from carnet.builds.kept import atomic_file
from carnet.builds.memo import MANIFEST_NAME, load_manifest
from carnet.builds.pelican_cache import forget_file_stamps
from carnet.builds.pipeline import forget_inputs

# The review plugin keeps the source texts it read in the context (by file): the edited
# file must be read anew.
_REVIEW_SOURCES = "article_review_sources"
# The generator's lists whose articles generate_articles writes, in its order.
_WRITTEN = ("translations", "articles", "hidden_translations", "hidden_articles")


class KeptGenerator:
    """The ArticlesGenerator of the session's last build, caught at all_generators_finalized.

    `caught` is the one of the build that is running; the session `keep`s it once that build
    went live (a build that failed leaves no generator: the next save builds as before)."""

    def __init__(self):
        self.caught: ArticlesGenerator | None = None
        self.generator: ArticlesGenerator | None = None
        signals.all_generators_finalized.connect(self._catch, weak=False)

    def _catch(self, generators) -> None:
        self.caught = next((g for g in generators if isinstance(g, ArticlesGenerator)), None)

    def keep(self) -> None:
        self.generator, self.caught = self.caught, None

    def forget(self) -> None:
        self.generator = self.caught = None


class Skipped(Exception):
    """The fast step does not apply; the message says why (for the tests and the curious)."""


def edited_articles(changed: list[Path], content: Path, before: dict[str, object]) -> list[Path]:
    """The saved files if each is an existing article's Markdown source edited in place,
    else Skipped. `before`: the paths the live build read (its sources)."""
    paths = []
    for path in changed:
        path = Path(path).resolve()
        if not path.is_relative_to(content) or path.suffix != ".md" or not path.is_file():
            raise Skipped(f"{path.name} n’est pas un article modifié")
        if str(path) not in before:
            raise Skipped(f"{path.name} n’était pas dans la dernière construction")
        paths.append(path)
    return paths


@contextmanager
def heard_problems():
    """Every warning or error logged meanwhile, instead of the console's (and Pelican's console
    quiet: the tag map says there what no article uses, and here there is one article): the
    exact build that follows says them in its report."""
    heard: list[logging.LogRecord] = []

    class Hear(logging.Handler):
        def emit(self, record):
            heard.append(record)

    hear = Hear(logging.WARNING)
    loggers = [logging.getLogger(), logging.getLogger("pelican")]
    saved = [(logger, logger.handlers[:], logger.propagate) for logger in loggers]
    for logger in loggers:
        logger.handlers = [hear]
    quiet, console.quiet = console.quiet, True
    try:
        yield heard
    finally:
        console.quiet = quiet
        for logger, handlers, propagate in saved:
            logger.handlers, logger.propagate = handlers, propagate


def read_again(generator: ArticlesGenerator, path: Path, old: Article) -> Article:
    """`path` read as generate_context reads it, with the pretaxonomy hooks on it alone;
    the old article with the new text when nothing other pages show has changed."""
    proxy = copy.copy(generator)
    left_out = (INDEX_RUN, _REVIEW_SOURCES)
    context = {key: value for key, value in generator.context.items() if key not in left_out}
    proxy.context = context
    with heard_problems() as heard:
        fresh = generator.readers.read_file(
            base_path=generator.path,
            path=str(path),
            content_class=Article,
            context=context,
            preread_signal=signals.article_generator_preread,
            preread_sender=proxy,
            context_signal=signals.article_generator_context,
            context_sender=proxy,
        )
        if not isinstance(fresh, Article) or not fresh.is_valid() or fresh.status != old.status:
            raise Skipped(f"{path.name} : statut ou validité changés")
        lists = {name: [] for name in (*_WRITTEN, "drafts", "drafts_translations")}
        lists["hidden_articles" if fresh.status == "hidden" else "articles"] = [fresh]
        if fresh.status not in ("published", "hidden") or getattr(fresh, "translation_of", None):
            raise Skipped(f"{path.name} : brouillon ou traduction")
        vars(proxy).update(lists)
        signals.article_generator_pretaxonomy.send(proxy)
        if not any(article is fresh for article in chain(*(getattr(proxy, name) for name in _WRITTEN))):
            raise Skipped(f"{path.name} est retenu par la relecture")
        fresh.refresh_metadata_intersite_links()
    if fresh.resume_html and fresh._get_intrasite_link_regex().search(fresh.resume_html):
        # Resolved once every generator has read its files (plugins/resume): the exact build.
        raise Skipped(f"{path.name} : liens internes dans le résumé")
    if heard:
        raise Skipped(f"{path.name} : {heard[0].getMessage()}")
    if _header(fresh) != _header(old):
        raise Skipped(f"{path.name} : l’en-tête a changé")
    page = copy.copy(old)
    metadata = {key.lower() for key in fresh.metadata}
    for name, value in vars(fresh).items():
        # What the header gives is unchanged (the old one went through the whole build), and so
        # are the links to other articles that the build drew once all were read (neighbours,
        # « À lire aussi », translations: carnet/articles/attributes.py); the rest (the text
        # and what the hooks drew from it) is the new one.
        if name not in metadata and name != "_context" and not _links(vars(old).get(name)):
            vars(page)[name] = value
    return page


def _links(value) -> bool:
    """Whether `value` names other contents (an article, or a list of them)."""
    if isinstance(value, list | tuple):
        return any(isinstance(item, Content) for item in value)
    return isinstance(value, Content)


def _header(article: Article) -> dict:
    """What other pages show of an article, but its summary: a summary drawn from a new first
    paragraph shows on the lists once the exact build is done, the page at once."""
    return {key: value for key, value in article.metadata.items() if key != "summary"}


def fast_edit(kept: KeptGenerator, root: Path, changed: list[Path]) -> Path:
    """Publish the edited articles' pages in the live build; its folder.
    Raises Skipped when the save is not only an edit of existing articles' text."""
    generator = kept.generator
    if generator is None:
        raise Skipped("pas de construction gardée en mémoire")
    area = BuildArea(root)
    forget_file_stamps()  # the saved files are read anew, not as the last build knew them
    by_source = {a.source_path: a for a in chain(*(getattr(generator, name) for name in _WRITTEN))}
    pages = [
        read_again(generator, path, by_source[str(path)])
        for path in edited_articles(changed, Path(generator.path).resolve(), by_source)
    ]
    try:
        with area.lock(wait_s=0):
            # The live build read under the lock: an `invoke build` in another terminal may
            # have switched builds since the save.
            live = area.live_build()
            if live is None or not (live / "output").is_dir():
                raise Skipped("pas de construction en ligne")
            return _publish(area, live, generator, pages)
    except BuildLocked:
        raise Skipped("une autre construction tient le verrou") from None


def _publish(area: BuildArea, live: Path, generator: ArticlesGenerator, pages: list[Article]) -> Path:
    """The pages put into the live build, each by one rename: a new file, so that the builds
    sharing the old one through a hard link keep it whole (a copy of the whole tree in hard
    links took 1.4 s at 5 000 articles). First the live build stops claiming to match the
    files: no inputs digest (the exact build that follows always runs, whatever the files
    hold by then) and no key for these pages (it never reuses them as the page of a key)."""
    forget_inputs(live)
    names = [page.save_as for page in pages]
    forget_keys(live, names)
    scratch = Path(tempfile.mkdtemp(prefix="fast-", dir=area.state))
    try:
        write_pages(generator, scratch, pages)
        for name in names:
            target = live / "output" / name
            for stale in target.parent.glob(target.name + ".*"):  # a compressed copy of the old page
                stale.unlink()
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(scratch / name, target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return live


def write_pages(generator: ArticlesGenerator, output: Path, pages: list[Article]) -> None:
    """Each page into `output` as generate_articles writes it."""
    writer = Writer(str(output), settings=generator.settings)
    relative = generator.settings["RELATIVE_URLS"]  # as generate_output's partial gives it
    for page in pages:
        signals.article_generator_write_article.send(generator, content=page)
        writer.write_file(
            page.save_as,
            generator.get_template(page.template),
            generator.context,
            relative_urls=relative,
            article=page,
            category=getattr(page, "category", None),
            override_output=hasattr(page, "override_save_as"),
            url=page.url,
            blog=True,
        )


def forget_keys(build: Path, names: list[str]) -> None:
    """The build's page keys but those of the pages `names` (rewritten by one new file)."""
    manifest = load_manifest(build)
    for name in names:
        manifest.get("pages", {}).pop(name, None)
    with atomic_file(build / MANIFEST_NAME) as handle:
        handle.write(json.dumps(manifest, indent=0, sort_keys=True).encode())


def same_pages(shown: Path, built: Path) -> bool:
    """Whether the exact build's output is the fast build's, file for file (links compared by inode)."""
    files = {}
    for base in (shown, built):
        found = {}
        for folder, _, names in os.walk(base):
            for name in names:
                path = os.path.join(folder, name)
                found[os.path.relpath(path, base)] = path
        files[base] = found
    if files[shown].keys() != files[built].keys():
        return False
    for name, path in files[built].items():
        other = files[shown][name]
        a, b = os.stat(path), os.stat(other)
        if (a.st_ino, a.st_dev) == (b.st_ino, b.st_dev):
            continue
        if a.st_size != b.st_size or Path(path).read_bytes() != Path(other).read_bytes():
            return False
    return True
