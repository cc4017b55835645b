"""Tasks for the author: build, serve, write and publish the Carnet d'accompagnement.

Modelled on the `tasks.py` that pelican-quickstart writes; run `invoke --list`.
"""

import datetime
import os
import sys
from pathlib import Path

from invoke import task
from pelican.settings import DEFAULT_CONFIG, get_settings_from_file
from slugify import slugify

from carnet.builds.area import BuildArea, NothingToRollBack
from carnet.builds.closed_output import quiet_when_closed
from carnet.builds.pipeline import build_site
from carnet.builds.report import counts_line, report_lines
from carnet.builds.runner import BuildFailed
from carnet.importer.cli import ManyFilesTask, run_import
from carnet.preview.interrupt import BuildSuperseded

# `invoke build | head`: once the reader has gone, the task goes on without a word.
quiet_when_closed()

ROOT = Path(__file__).resolve().parent
SETTINGS_FILE_BASE = "pelicanconf.py"
SETTINGS = {**DEFAULT_CONFIG, **get_settings_from_file(str(ROOT / SETTINGS_FILE_BASE))}

CONFIG = {
    "settings_base": SETTINGS_FILE_BASE,
    "settings_publish": "publishconf.py",
    "deploy_path": "output",
    "content_path": SETTINGS["PATH"],
    "articles_path": str(Path(SETTINGS["PATH"]) / SETTINGS["ARTICLE_PATHS"][0]),
    "index_path": "search-index",
    "host": "127.0.0.1",
    "port": 8000,
}


def atomic_build(
    settings_file: str,
    strict: bool = False,
    full: bool = False,
    overrides: dict | None = None,
    builder=None,
) -> Path:
    """Build into a fresh folder, reusing what did not change; make it live only if everything succeeded."""

    def say_waiting():
        print("Une autre construction est en cours : j’attends qu’elle se termine…", file=sys.stderr)

    try:
        if builder is not None:  # livereload's session (carnet/preview/live.py)
            result = builder(on_wait=say_waiting)
        else:
            result = build_site(
                ROOT, ROOT / settings_file, strict=strict, full=full, overrides=overrides, on_wait=say_waiting
            )
    except BuildSuperseded:  # livereload: a save came during the build, which starts again with it
        raise
    except BaseException as error:
        report = getattr(error, "report", None)
        if report and report_lines(report):
            print("\n".join(report_lines(report)), file=sys.stderr)
        said = report is not None and any(finding.message == str(error) for finding in report.findings)
        if isinstance(error, BuildFailed) and not said:
            print(f"Construction refusée : {error}", file=sys.stderr)
        elif not isinstance(error, KeyboardInterrupt | BuildFailed):
            print(f"Erreur : {type(error).__name__} : {error}", file=sys.stderr)
        reason = "interrompue" if isinstance(error, KeyboardInterrupt) else "en échec"
        unchanged = "le site en ligne (output/) et l’index de recherche n’ont pas changé"
        print(f"Construction {reason} : {unchanged}.", file=sys.stderr)
        # Not the counts of a site that went live: this one did not.
        counted = report and (report.articles or report.pages or report.held)
        refused = f" (la construction refusée comptait {counts_line(report)})" if counted else ""
        print(f"Bilan : rien n’est publié, le site en ligne reste celui d’avant{refused}.", file=sys.stderr)
        raise SystemExit(130 if isinstance(error, KeyboardInterrupt) else 1) from None
    report = result.report
    if report_lines(report):
        print("\n".join(report_lines(report)), file=sys.stderr)
    if result.changed:
        print(f"Site construit : {CONFIG['deploy_path']}/ et {CONFIG['index_path']}/ sont à jour.")
    else:
        print("Rien n’a changé depuis la dernière construction : le site en ligne est à jour.")
    print(f"Bilan : {counts_line(report)}.")
    if report.held:
        # The rest of the site is online; the author must still see that something is not.
        raise SystemExit(1)
    return result.folder


FULL_HELP = "Read and render every article again, ignoring the live build and the content cache."


@task(
    help={"strict": "Fail on any warning (broken link, missing metadata, unknown tag…).", "full": FULL_HELP}
)
def build(c, strict=False, full=False):
    """Build the site into output/ and its search index, atomically and incrementally."""
    atomic_build(CONFIG["settings_base"], strict=strict, full=full)


@task(help={"strict": "Fail on any warning.", "full": FULL_HELP})
def publish(c, strict=False, full=False):
    """Build the site for publication (publishconf.py: absolute URLs, feeds), atomically."""
    atomic_build(CONFIG["settings_publish"], strict=strict, full=full)


@task
def rollback(c):
    """Put the previous build back online (site and search index)."""
    area = BuildArea(ROOT)
    with area.lock():
        try:
            restored = area.rollback()
        except NothingToRollBack as error:
            raise SystemExit(f"invoke rollback : {error}") from None
        newer = area.previous_build()
    # Two builds of the same minute are told apart by their seconds.
    seconds = newer is not None and build_name(newer) == build_name(restored)
    what = "site et index de recherche" if (restored / "search-index").is_dir() else "site"
    print(f"Remise en ligne : {build_name(restored, seconds)} ({what}).")
    if newer is not None:
        kept = build_name(newer, seconds)
        kept = f"{kept[0].upper()}{kept[1:]} est {'gardé' if kept.startswith('l’ancien') else 'gardée'}"
        print(f"{kept} : relancez invoke rollback pour y revenir.")


def build_name(folder: Path, seconds: bool = False) -> str:
    """A build as the author knows it: by when it was made (« la construction du samedi 28 … à 06:12 »)."""
    from carnet.builds.area import LEGACY_MARK, build_time
    from carnet.text.dates import french_date

    if (folder / LEGACY_MARK).exists():
        return "l’ancien dossier output/ (d’avant les constructions atomiques)"
    started = build_time(folder)
    if started is None:
        return f"la construction {folder.name}"
    when = "EEEE d MMMM y 'à' HH:mm" + (":ss" if seconds else "")
    return "la construction du " + french_date(started, when)


@task
def clean(c):
    """Remove the generated site, its search index and the kept builds."""
    area = BuildArea(ROOT)
    builds = len(area.kept_builds())
    with area.lock():
        removed = area.remove_all()
    what = {
        "output": "output/ (le site)",
        "search-index": "search-index/ (l’index de recherche)",
        area.state.name: f"{area.state.name}/ ({builds} construction{'s' if builds > 1 else ''} "
        f"gardée{'s' if builds > 1 else ''} et le cache)",
    }
    if not builds and not set(removed) & {"output", "search-index"}:
        print("Rien à supprimer : le site n’est pas construit.")
    else:
        print(f"Supprimé : {', '.join(what[name] for name in removed)}. « invoke build » reconstruit tout.")


@task(
    help={
        "port": "Port to listen on (default 8000; 0 for any free port).",
        "host": "Address (default 127.0.0.1).",
        "workers": "Server processes (default: one per processor core).",
        "threads": "Threads in each process (default 13: three always free for pages).",
    }
)
def serve(c, port=CONFIG["port"], host=CONFIG["host"], workers=0, threads=0):
    """Serve the site and its search on http://127.0.0.1:PORT/ (default port 8000)."""
    import logging

    from carnet.service.serving import DEFAULT_THREADS, serve_site

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    workers = int(workers) or os.cpu_count() or 1
    threads = int(threads) or DEFAULT_THREADS
    if not (ROOT / CONFIG["deploy_path"]).exists():
        # It starts all the same: the service follows the live build, and serves the site once built.
        print(
            f"invoke serve : le site n’est pas encore construit ({CONFIG['deploy_path']}/ manque) ;"
            " lancez « invoke build » : le service le servira dès qu’il existera.",
            file=sys.stderr,
        )
    serve_site(CONFIG["deploy_path"], CONFIG["index_path"], host, int(port), workers, threads)


@task(
    help={
        "query": 'What to look for, in quotes: words, "a phrase", -word, prefix*, tag:, auteur:, date:.',
        "json": "Print the results as JSON.",
        "page": "Page of results (default 1).",
        "page_size": "Results per page (default 10, at most 50).",
        "sort": "pertinence (default) or date.",
        "explain": "Show, for each result, which words in which fields made its score.",
    }
)
def search(c, query, json=False, page="1", page_size="10", sort="pertinence", explain=False):
    """Search the built site's index from the terminal (--json for machines)."""
    import json as json_module

    from carnet.search.indexing import IndexMissing
    from carnet.search.querying import SORTS, ArchiveSearch
    from carnet.service.terminal import print_results

    # Read here, not by invoke (which answers « abc » with a Python traceback in English).
    page, page_size = _whole_number(page, "--page"), _whole_number(page_size, "--page-size")
    sort = sort.strip().lower()
    if sort not in SORTS:
        raise SystemExit(
            f"invoke search : --sort « {sort} » inconnu ; choisissez "
            + " ou ".join(f"« {known} »" for known in SORTS)
            + "."
        )
    try:
        archive = ArchiveSearch.open(CONFIG["index_path"])
    except IndexMissing:
        raise SystemExit(
            f"invoke search : pas d’index dans {CONFIG['index_path']} ; lancez d’abord invoke build"
        ) from None
    response = archive.search(query, page=page, page_size=page_size, sort=sort, explain=explain)
    if json:
        print(json_module.dumps(response.as_json(), ensure_ascii=False, indent=2))
    else:
        print_results(response)


def _whole_number(value: str, option: str) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        raise SystemExit(f"invoke search : {option} « {value} » n’est pas un nombre entier.") from None


@task(help={"port": "Port to listen on (default 8000; 0 for any free port)."})
def livereload(c, port=CONFIG["port"]):
    """Rebuild when content/, theme/, plugins/ or carnet/ change, and reload the browser."""
    from carnet.preview.live import LiveSite
    from carnet.preview.server import serve

    site = LiveSite(ROOT, ROOT / CONFIG["settings_base"])

    def rebuild(changed):
        built = []
        try:
            paths = None if changed is None else [ROOT / name for name in changed]
            builder = lambda on_wait: _kept(built, site.build(paths, on_wait))  # noqa: E731
            atomic_build(CONFIG["settings_base"], builder=builder)
        except SystemExit as stop:
            if stop.code == 130:  # Ctrl-C during a build stops the preview
                raise KeyboardInterrupt from None
            # A broken article: the error is shown and the last good site stays online.
            return True
        # False: the browsers already show these pages (the save's fast step showed them).
        return not site.shows_what_was_built(built[0])

    def restart(port_in_use: int) -> None:
        # A new session on the same port, from the same folder: it imports the saved code.
        os.environ[RESTARTED] = "1"
        os.execv(sys.executable, [sys.executable, "-m", "invoke", "livereload", "--port", str(port_in_use)])

    watched = [CONFIG["settings_base"], f"{CONFIG['content_path']}/**/*", f"{SETTINGS['THEME']}/**/*"]
    serve(
        ROOT,
        ROOT / CONFIG["deploy_path"],
        # The plugins and the carnet package: a save that shapes no page says « Rien n’a changé ».
        [*watched, "plugins/**/*.py", "carnet/**/*.py"],
        rebuild,
        CONFIG["host"],
        int(port),
        # Python keeps the modules it imported: a save to one restarts the session.
        imported=lambda name: name.endswith(".py") and name.split("/")[0] in ("plugins", "carnet"),
        restart=restart,
        restarted=os.environ.pop(RESTARTED, None) is not None,
        # A save that only edits articles' text: their pages first, then the exact build.
        fast=lambda changed: site.fast([ROOT / name for name in changed]),
    )


def _kept(into: list, result):
    into.append(result)
    return result


RESTARTED = "CARNET_LIVERELOAD_RESTARTED"


@task(
    # The title's words, quoted or not, as `invoke import` takes its file names.
    klass=ManyFilesTask,
    help={
        "title": "The article's title (quotes optional).",
        "author": "Author as it should appear (default: to fill in).",
        "category": "Category (theme) of the article.",
        "tags": "Comma-separated tags.",
    },
)
def new(c, title, author="", category="", tags=""):
    """Create a draft article in content/articles/ with its metadata header filled in."""
    path = new_article(" ".join(title), author=author, category=category, tags=tags)
    print(f"Nouvel article : {path}")


@task(
    klass=ManyFilesTask,
    name="import",
    help={
        "files": "Raw .txt files (UTF-8 or Windows-1252), as many as needed: ../shared/seeds/*.txt",
        "out": "Folder of the drafts (default content/articles/drafts/, built as drafts).",
        "force": "Replace a draft of the same name instead of numbering the new one.",
        "json": "Print the report as JSON.",
    },
)
def import_(c, files, out="", force=False, json=False):
    """Turn raw scraped articles into Markdown drafts, with a report of what was removed."""
    if not files:
        raise SystemExit(
            "invoke import : nommez les fichiers à importer, par exemple invoke import ../shared/seeds/*.txt"
        )
    drafts = Path(out) if out else ROOT / CONFIG["articles_path"] / "drafts"
    tag_map = ROOT / CONFIG["content_path"] / SETTINGS.get("TAG_MAP_FILE", "tagmap.toml")
    articles = ROOT / CONFIG["articles_path"]
    status = run_import(files, drafts, force=force, as_json=json, tag_map=tag_map, articles=articles)
    if status:
        raise SystemExit(status)


def new_article(
    title: str,
    author: str = "",
    category: str = "",
    tags: str = "",
    directory: Path | None = None,
    today: datetime.datetime | None = None,
) -> Path:
    """Write the Markdown file of a new draft; never overwrite an existing one."""
    # One header line per key: a line break typed in a value would start another key.
    title, author, category, tags = (" ".join(value.split()) for value in (title, author, category, tags))
    if not title:
        raise SystemExit('invoke new : le titre est vide ; écrivez par exemple invoke new "Mon titre"')
    # A file name stays short (systems refuse names over 255 bytes); the title itself is kept whole.
    slug = slugify(title, max_length=80, word_boundary=True)
    if not slug:
        raise SystemExit(
            f"invoke new : « {title} » n’a ni lettre ni chiffre pour nommer le fichier ; "
            'écrivez par exemple invoke new "Mon titre"'
        )
    now = today or datetime.datetime.now()
    path = (directory or ROOT / CONFIG["articles_path"]) / f"{slug}.md"
    if path.exists():
        raise SystemExit(f"invoke new : {path} existe déjà ; choisissez un autre titre")
    header = [
        ("Title", title),
        ("Date", now.strftime("%Y-%m-%d %H:%M")),
        ("Author", author or "À compléter"),
        ("Category", category or "À compléter"),
        ("Tags", tags or "à compléter"),
        ("Slug", slug),
        ("Lang", "fr"),
        ("Status", "draft"),
    ]
    text = "\n".join(f"{key}: {value}" for key, value in header)
    text += "\n\nÉcrivez ici le texte de l’article. Retirez la ligne « Status: draft » pour le publier.\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@task(
    help={
        "json": "Print the report as JSON.",
        "strict": "Warnings count as problems too (non-zero exit).",
        "content": "Check another content folder (default: content/).",
    }
)
def check(c, json=False, strict=False, content=""):
    """Editorial health report: metadata, tags, links, images, repeats, scrape leftovers."""
    from carnet.check.findings import exit_code
    from carnet.check.report import as_json, report_text
    from carnet.check.run import check_archive

    # The build's own run and rules, into a scratch folder: the same findings as invoke build.
    findings, articles = check_archive(ROOT / CONFIG["settings_base"], Path(content) if content else None)
    print(as_json(findings, articles) if json else report_text(findings, articles))
    raise SystemExit(exit_code(findings, strict))


@task(
    help={
        "articles": "Archive sizes, comma-separated (default 1000).",
        "quick": "One run of each build and 3 s of HTTP load: a smoke test, not a measurement.",
        "out": "Folder of results.json and results.svg (default bench/).",
        "corpus": "french (real French word frequencies, default) or uniform (the corpus before issue 19).",
    }
)
def bench(c, articles="1000", quick=False, out="bench", corpus="french"):
    """Measure builds, rebuilds, index, queries and HTTP against plain Pelican on a synthetic archive."""
    try:
        from carnet.bench.corpus import CORPORA
        from carnet.bench.run import run_bench
    except ImportError as missing:  # the bench's own dependencies (faker, wordfreq): not in `make build`
        raise SystemExit(
            f"invoke bench : il manque {missing.name} ; `make test` installe les dépendances du bench,"
            " ou : .venv/bin/pip install -c constraints.txt -e '.[bench]'"
        ) from None

    if corpus not in CORPORA:
        raise SystemExit(f"invoke bench : corpus inconnu « {corpus} » (au choix : {', '.join(CORPORA)})")
    sizes = [int(size) for size in str(articles).split(",") if size.strip()]
    run_bench(sizes, quick, ROOT / out, corpus=corpus)


@task(
    help={
        "out": "Folder to write into (default deploy/rendered/).",
        "server_name": "nginx server_name: the site's domain (default _: any).",
        "listen": "nginx listen: port, or address:port (default 80).",
        "ports": "Ports of the search instances, comma-separated (default 8001,8002).",
        "root": "The project's folder on the server (default: this one).",
    }
)
def deploy_config(c, out="deploy/rendered", server_name="_", listen="80", ports="8001,8002", root=""):
    """Write the nginx site and the search's systemd unit for this machine (see deploy/)."""
    from carnet.deploy.render import Deployment, write

    try:
        deployment = Deployment(
            root=Path(root or ROOT),
            server_name=server_name,
            listen=str(listen),
            ports=[port for port in str(ports).split(",") if port.strip()],
        )
    except ValueError as error:
        raise SystemExit(f"Erreur : {error}") from None
    for path in write(deployment, Path(out)):
        print(path)
