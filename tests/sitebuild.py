"""Build a real site in-process and parse its output, for the tests.

The build goes through the project's one in-process runner (carnet.builds.runner), as
`invoke build` and `invoke check` do. It is strict: any warning or error that Pelican
or a plugin logs makes it fail, as `invoke build --strict` does; the failure lists the
messages as they were logged.
"""

import logging
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup
from markdown import Markdown
from pelican.settings import get_settings_from_file
from slugify import slugify

from carnet.builds.runner import BuildFailed, run_pelican
from tests.project import ROOT

TEST_SITEURL = "https://carnet.test"


class SiteBuildFailed(AssertionError):
    """The test build logged warnings or errors; the message lists them."""


class _Collector(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@dataclass
class Site:
    output: Path
    siteurl: str
    warnings: list[str]

    @property
    def index(self) -> Path:
        return self.output.parent / f"{self.output.name}-index"

    def html(self, path: str) -> BeautifulSoup:
        return BeautifulSoup((self.output / path).read_text(encoding="utf-8"), "lxml")

    def page_for_url(self, url: str) -> Path | None:
        """The file in output/ that a site URL (absolute or root-relative) points to."""
        if url.startswith(self.siteurl):
            url = url[len(self.siteurl) :]
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            return None  # another site
        path = unquote(parts.path).lstrip("/")
        target = self.output / path
        if path == "" or path.endswith("/"):
            target = target / "index.html"
        return target

    def html_files(self) -> list[Path]:
        return sorted(self.output.rglob("*.html"))


def build_test_site(
    output: Path,
    content: Path | None = None,
    settings_file: str = "publishconf.py",
    strict: bool = True,
    **overrides,
) -> Site:
    """Build `content` (default: the project's own) with the project's theme and plugins."""
    override = {"OUTPUT_PATH": str(output), "SITEURL": TEST_SITEURL, "FEED_DOMAIN": TEST_SITEURL}
    if settings_file == "pelicanconf.py":
        override.update(SITEURL="", FEED_DOMAIN="")
    if content is not None:
        override["PATH"] = str(content)
    override["CACHE_PATH"] = str(output.parent / f"{output.name}-cache")
    override["SEARCH_INDEX_PATH"] = str(output.parent / f"{output.name}-index")
    override.update(overrides)
    collector = _Collector()
    crash = None
    try:
        run_pelican(ROOT / settings_file, output.parent, overrides=override, listener=collector)
    except BuildFailed as refused:
        # Refused for an error: said below with the other messages (or returned, not strict).
        crash = refused.__cause__
    if crash is not None:
        raise crash  # the build crashed: the test sees the crash itself
    messages = [f"{r.levelname} {r.name}: {r.getMessage()}" for r in collector.records]
    if strict and messages:
        raise SiteBuildFailed("the build logged:\n" + "\n".join(messages))
    return Site(output=output, siteurl=override["SITEURL"], warnings=messages)


def tiny_content(tmp: Path, articles: dict[str, str], extra_files: dict[str, str] | None = None) -> Path:
    """Write a small content/ folder: {file name: Markdown text} under articles/."""
    content = tmp / "content"
    (content / "articles").mkdir(parents=True)
    (content / "pages").mkdir()
    for name, text in articles.items():
        (content / "articles" / name).write_text(text, encoding="utf-8")
    for name, text in (extra_files or {}).items():
        (content / name).write_text(text, encoding="utf-8")
    return content


def copy_theme(tmp: Path) -> Path:
    theme = tmp / "theme"
    shutil.copytree(ROOT / "theme", theme)
    return theme


def article(title: str, body: str = "Un paragraphe.", **metadata: str) -> str:
    """The Markdown of a valid article; keyword arguments add or replace header lines
    (pass an empty string to leave a line out)."""
    header = {
        "Title": title,
        "Date": "2020-05-04",
        "Author": "Camille",
        "Category": "Essais",
        "Tags": "essai",
        "Slug": slugify(title),
        "Lang": "fr",
        **metadata,
    }
    lines = [f"{key}: {value}" for key, value in header.items() if value]
    return "\n".join(lines) + "\n\n" + body + "\n"


def site_markdown() -> Markdown:
    """The site's Markdown, without smarty (which changes « ... » into « … » on purpose)."""
    configs = dict(get_settings_from_file(str(ROOT / "pelicanconf.py"))["MARKDOWN"]["extension_configs"])
    configs.pop("markdown.extensions.smarty")
    return Markdown(extensions=list(configs), extension_configs=configs, output_format="html5")
