"""HTTP glue: a WSGI application for the search pages and the static site.

    /search?q=…        results in the site's own search page
    /search.json?q=…   the same results as JSON
    anything else      the files of output/, or the theme's 404 page

It reads the index and output/ and keeps nothing between requests but the
opened index, which it reopens when a build replaces it.
"""

import json
import logging
import mimetypes
import os
import threading
import time
from datetime import date
from email.utils import formatdate, parsedate_to_datetime
from html import escape
from pathlib import Path
from urllib.parse import parse_qs, urlencode

from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, select_autoescape

from .headers import SECURITY_HEADERS
from .indexing import IndexMissing
from .querying import MAX_QUERY_LENGTH, ArchiveSearch

RESULTS_START, RESULTS_END = "<!-- resultats:debut -->", "<!-- resultats:fin -->"
SEARCH_PATHS = {"/search", "/search/"}
MAX_PATH_LENGTH = 2048
# A longer query string is refused outright (414); shorter ones are cut to MAX_QUERY_STRING.
MAX_RAW_QUERY_STRING = 64 * 1024
# Raw query strings longer than this are cut before parsing (the query itself is cut shorter).
MAX_QUERY_STRING = 8 * MAX_QUERY_LENGTH
BUSY_MESSAGE = "Trop de recherches en même temps : réessayez dans un instant."
INDEX_MISSING_MESSAGE = (
    "La recherche est momentanément indisponible : l’index de recherche est introuvable. "
    "Lancez « invoke build » pour le construire."
)

mimetypes.add_type("image/svg+xml", ".svg")


def content_type_of(path: Path) -> str:
    if path.name.endswith(".atom.xml"):  # a double suffix that mimetypes cannot see
        return "application/atom+xml"
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def french_date(iso: str) -> str:
    return format_date(date.fromisoformat(iso), "EEEE d MMMM y", locale="fr_FR")


class SearchApp:
    def __init__(
        self, output: Path, index: Path, siteurl: str = "", max_searches: int = 4, search_wait_s: float = 5.0
    ):
        # Kept unresolved: `output` may be a link that each build switches.
        self.output = Path(output)
        self.index_path = Path(index)
        self.siteurl = siteurl.rstrip("/")
        self._search: ArchiveSearch | None = None
        self._reopen_lock = threading.Lock()
        # Searches beyond this many at once wait a little, then get a 503 with Retry-After.
        self._search_slots = threading.BoundedSemaphore(max_searches)
        self.search_wait_s = search_wait_s
        self._index_version: tuple[str, int] | None = None
        templates = Environment(
            loader=FileSystemLoader(Path(__file__).parent / "templates"),
            autoescape=select_autoescape(default=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.results_template = templates.get_template("results.html")

    # -- the index -------------------------------------------------------

    def archive_search(self) -> ArchiveSearch:
        """The search over the current index, reopened when a build has replaced it."""
        version = self._current_version()
        search = self._search
        if search is None or version != self._index_version:
            with self._reopen_lock:
                if self._search is None or version != self._index_version:
                    # Open the new index by its real folder: requests in flight keep the old one.
                    folder = Path(version[0])
                    self._search = ArchiveSearch.open(folder)
                    self._index_version = version
                search = self._search
        return search

    def _current_version(self) -> tuple[str, int]:
        """Which index is live: its real folder (a build switches the link) and its time."""
        real = os.path.realpath(self.index_path)
        try:
            return real, os.stat(real).st_mtime_ns
        except FileNotFoundError:
            raise IndexMissing(INDEX_MISSING_MESSAGE) from None

    def site_root(self) -> Path:
        """The live build's output folder, resolved once per request so that a
        request started on one build finishes on it."""
        return Path(os.path.realpath(self.output))

    # -- WSGI ------------------------------------------------------------

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD", "GET")
        if method not in ("GET", "HEAD"):
            return self._respond(
                start_response, method, "405 Method Not Allowed", b"", "text/plain", [("Allow", "GET, HEAD")]
            )
        try:
            path = environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8")
        except UnicodeError:
            return self._not_found(start_response, method)
        query_string = environ.get("QUERY_STRING", "")
        if len(path) > MAX_PATH_LENGTH or len(query_string) > MAX_RAW_QUERY_STRING:
            return self._respond(start_response, method, "414 URI Too Long", b"", "text/plain")
        if path in SEARCH_PATHS or path == "/search.json":
            return self._limited_search(start_response, method, path, read_params(query_string))
        return self._static(start_response, method, path, environ)

    def _limited_search(self, start_response, method, path, params):
        if not self._search_slots.acquire(timeout=self.search_wait_s):
            body = BUSY_MESSAGE.encode("utf-8")
            return self._respond(
                start_response, method, "503 Service Unavailable", body, "text/plain", [("Retry-After", "1")]
            )
        try:
            if path == "/search.json":
                return self._search_json(start_response, method, params)
            return self._search_page(start_response, method, params)
        finally:
            self._search_slots.release()

    def _run(self, params):
        sort = params.get("tri") or params.get("sort") or "pertinence"
        return self.archive_search().search(
            params.get("q", ""),
            page=params.get("page", 1),
            page_size=params.get("taille") or params.get("page_size") or 10,
            sort={"relevance": "pertinence"}.get(sort, sort),
        )

    def _search_json(self, start_response, method, params):
        try:
            response = self._run(params)
        except IndexMissing:
            body = json.dumps({"error": INDEX_MISSING_MESSAGE}, ensure_ascii=False)
            return self._respond(
                start_response,
                method,
                "503 Service Unavailable",
                safe_json(body),
                "application/json",
                [("Retry-After", "30")],
            )
        body = json.dumps(response.as_json(), ensure_ascii=False)
        return self._respond(start_response, method, "200 OK", safe_json(body), "application/json")

    def _search_page(self, start_response, method, params):
        shell = self._read_shell()
        try:
            response = self._run(params)
        except IndexMissing:
            notice = f'<p class="resultats__avis">{INDEX_MISSING_MESSAGE}</p>'
            html = self._fill_shell(shell, f'<div class="resultats" id="resultats">{notice}</div>', "")
            return self._respond(
                start_response,
                method,
                "503 Service Unavailable",
                html.encode("utf-8"),
                "text/html",
                [("Retry-After", "30")],
            )

        def link(**changes):
            values = {"q": response.query, "tri": response.sort, "page": response.page}
            values.update({"tri" if key == "sort" else key: value for key, value in changes.items()})
            if values["tri"] == "pertinence":
                del values["tri"]
            if values["page"] == 1:
                del values["page"]
            return f"{self.siteurl}/search?{urlencode(values)}"

        fragment = self.results_template.render(
            response=response, link=link, siteurl=self.siteurl, french_date=french_date
        )
        html = self._fill_shell(shell, fragment, response.query)
        return self._respond(start_response, method, "200 OK", html.encode("utf-8"), "text/html")

    def _read_shell(self) -> str:
        shell = self.site_root() / "search" / "index.html"
        if shell.is_file():
            return shell.read_text(encoding="utf-8")
        # No built search page: a bare one, so that results still show.
        head = '<!doctype html><html lang="fr"><meta charset="utf-8"><title>Recherche</title>'
        return f"{head}<main>{RESULTS_START}{RESULTS_END}</main></html>"

    @staticmethod
    def _fill_shell(shell: str, fragment: str, query: str) -> str:
        before, _, rest = shell.partition(RESULTS_START)
        _, _, after = rest.partition(RESULTS_END)
        page = before + fragment + after
        if query:
            escaped = escape(query, quote=True)
            page = page.replace(
                'name="q" type="search" value=""', f'name="q" type="search" value="{escaped}"'
            )
            page = page.replace("<title>Recherche", f"<title>« {escaped} » — Recherche", 1)
        return page

    def _static(self, start_response, method, path, environ):
        target = self._resolve(path)
        if target is None:
            return self._not_found(start_response, method)
        if target.is_dir():
            if not path.endswith("/"):
                return self._respond(
                    start_response,
                    method,
                    "301 Moved Permanently",
                    b"",
                    "text/plain",
                    [("Location", path + "/")],
                )
            target = target / "index.html"
            if not target.is_file():
                return self._not_found(start_response, method)
        return self._file(start_response, method, target, environ)

    def _file(self, start_response, method, target: Path, environ):
        """A file with validators, answering 304 when the client's copy is current."""
        stat = target.stat()
        etag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'
        content_type = content_type_of(target)
        headers = [
            ("ETag", etag),
            ("Last-Modified", formatdate(stat.st_mtime, usegmt=True)),
            # Pages change with each build: revalidate them; theme files may be kept an hour.
            ("Cache-Control", "no-cache" if content_type == "text/html" else "public, max-age=3600"),
        ]
        if not_modified(environ, etag, stat.st_mtime):
            start_response("304 Not Modified", [*headers, *SECURITY_HEADERS])
            return [b""]
        return self._respond(start_response, method, "200 OK", target.read_bytes(), content_type, headers)

    def _resolve(self, path: str) -> Path | None:
        """The file under output/ for `path`, or None for anything that would leave it."""
        if "\x00" in path or "\\" in path:
            return None
        parts = [part for part in path.split("/") if part]
        if any(part in (".", "..") for part in parts):
            return None
        root = self.site_root()
        candidate = root.joinpath(*parts) if parts else root
        real = Path(os.path.realpath(candidate))
        if real != root and root not in real.parents:
            return None  # a symlink that points outside output/
        return real if real.exists() else None

    def _not_found(self, start_response, method):
        page = self.site_root() / "404.html"
        body = page.read_bytes() if page.is_file() else b"Page introuvable"
        return self._respond(start_response, method, "404 Not Found", body, "text/html")

    @staticmethod
    def _respond(start_response, method, status, body: bytes, content_type, extra=()):
        if content_type.startswith("text/") or content_type in (
            "application/json",
            "application/xml",
            "application/atom+xml",
            "image/svg+xml",
            "application/javascript",
        ):
            content_type += "; charset=utf-8"
        headers = [
            ("Content-Type", content_type),
            ("Content-Length", str(len(body))),
            *SECURITY_HEADERS,
            *extra,
        ]
        start_response(status, headers)
        return [b""] if method == "HEAD" else [body]


def not_modified(environ, etag: str, mtime: float) -> bool:
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        return if_none_match.strip() == "*" or etag in [tag.strip() for tag in if_none_match.split(",")]
    if_modified_since = environ.get("HTTP_IF_MODIFIED_SINCE")
    if if_modified_since:
        try:
            return int(mtime) <= parsedate_to_datetime(if_modified_since).timestamp()
        except (TypeError, ValueError, IndexError, OverflowError):
            return False
    return False


class AccessLog:
    """One line per request: client, method, path, status, size and time."""

    def __init__(self, app, logger: logging.Logger | None = None):
        self.app = app
        self.logger = logger or logging.getLogger("carnet.access")

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        seen = {}

        def recording_start_response(status, headers, exc_info=None):
            seen["status"] = status.split(" ", 1)[0]
            return start_response(status, headers, exc_info)

        body = self.app(environ, recording_start_response)
        size = sum(len(chunk) for chunk in body)
        target = environ.get("PATH_INFO", "") + (
            "?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else ""
        )
        self.logger.info(
            "%s %s %s %s %dB %.1fms",
            environ.get("REMOTE_ADDR", "-"),
            environ.get("REQUEST_METHOD", "-"),
            printable(target[:300]),
            seen.get("status", "-"),
            size,
            (time.perf_counter() - started) * 1000,
        )
        return body


def printable(text: str) -> str:
    """A log line is one line: control characters are shown escaped."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def read_params(query_string: str) -> dict[str, str]:
    """The first value of each parameter, decoded as UTF-8 whatever the client sent."""
    raw = query_string[:MAX_QUERY_STRING].encode("latin-1", "replace").decode("utf-8", "replace")
    parsed = parse_qs(raw, keep_blank_values=True, encoding="utf-8", errors="replace")
    return {key: values[0] for key, values in parsed.items()}


def safe_json(text: str) -> bytes:
    """JSON that stays inert even if a browser were to sniff it as HTML."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").encode("utf-8")
