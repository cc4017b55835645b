"""Tasks for the author: build, serve, write and publish the Carnet d'accompagnement.

Modelled on the `tasks.py` that pelican-quickstart writes; run `invoke --list`.
"""

import contextlib
import datetime
import shutil
import sys
from pathlib import Path

from invoke import task
from pelican import main as pelican_main
from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer
from pelican.settings import DEFAULT_CONFIG, get_settings_from_file
from slugify import slugify

ROOT = Path(__file__).resolve().parent
SETTINGS_FILE_BASE = "pelicanconf.py"
SETTINGS = {**DEFAULT_CONFIG, **get_settings_from_file(str(ROOT / SETTINGS_FILE_BASE))}

CONFIG = {
    "settings_base": SETTINGS_FILE_BASE,
    "settings_publish": "publishconf.py",
    "deploy_path": SETTINGS["OUTPUT_PATH"],
    "content_path": SETTINGS["PATH"],
    "articles_path": str(Path(SETTINGS["PATH"]) / SETTINGS["ARTICLE_PATHS"][0]),
    "host": "127.0.0.1",
    "port": 8000,
}


def pelican_run(settings_file: str, *extra: str) -> None:
    """Run Pelican in-process, as the quickstart does."""
    pelican_main(["-s", settings_file, *extra])


@task(help={"strict": "Fail on any warning (broken link, missing metadata, unknown tag…)."})
def build(c, strict=False):
    """Build the site into output/ with the local settings."""
    pelican_run(CONFIG["settings_base"], *(["--fatal", "warnings"] if strict else []))


@task(help={"strict": "Fail on any warning."})
def publish(c, strict=False):
    """Build the site for publication (publishconf.py: absolute URLs, feeds)."""
    pelican_run(CONFIG["settings_publish"], *(["--fatal", "warnings"] if strict else []))


@task
def clean(c):
    """Remove the generated site (output/)."""
    shutil.rmtree(CONFIG["deploy_path"], ignore_errors=True)


@task(help={"port": "Port to listen on (default 8000).", "host": "Address (default 127.0.0.1)."})
def serve(c, port=CONFIG["port"], host=CONFIG["host"]):
    """Serve output/ at http://127.0.0.1:PORT/ (default port 8000)."""

    class AddressReuseTCPServer(RootedHTTPServer):
        allow_reuse_address = True

    server = AddressReuseTCPServer(CONFIG["deploy_path"], (host, int(port)), ComplexHTTPRequestHandler)
    sys.stderr.write(f"Le carnet est servi sur http://{host}:{port}/ (Ctrl-C pour arrêter)\n")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.server_close()


@task(help={"port": "Port to listen on (default 8000)."})
def livereload(c, port=CONFIG["port"]):
    """Rebuild when content/, theme/ or plugins/ change, and reload the browser."""
    from livereload import Server

    def rebuild():
        # A broken article: Pelican has shown the error; keep serving the last site.
        with contextlib.suppress(SystemExit):
            pelican_run(CONFIG["settings_base"])

    rebuild()
    server = Server()
    for pattern in (
        CONFIG["settings_base"],
        f"{CONFIG['content_path']}/**/*",
        f"{SETTINGS['THEME']}/**/*",
        "plugins/**/*.py",
    ):
        server.watch(pattern, rebuild)
    server.serve(host=CONFIG["host"], port=int(port), root=CONFIG["deploy_path"])


@task(
    help={
        "title": "The article's title, in quotes.",
        "author": "Author as it should appear (default: to fill in).",
        "category": "Category (theme) of the article.",
        "tags": "Comma-separated tags.",
    }
)
def new(c, title, author="", category="", tags=""):
    """Create a draft article in content/articles/ with its metadata header filled in."""
    path = new_article(title, author=author, category=category, tags=tags)
    print(f"Nouvel article : {path}")


def new_article(
    title: str,
    author: str = "",
    category: str = "",
    tags: str = "",
    directory: Path | None = None,
    today: datetime.datetime | None = None,
) -> Path:
    """Write the Markdown file of a new draft; never overwrite an existing one."""
    title = title.strip()
    if not title:
        raise SystemExit('invoke new : le titre est vide ; écrivez par exemple invoke new "Mon titre"')
    slug = slugify(title)
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
