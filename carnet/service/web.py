"""HTTP glue: a WSGI application for the search pages and the static site.

    /search?q=…        results in the site's own search page
    /search.json?q=…   the same results as JSON
    anything else      the files of output/, or the theme's 404 page

It reads the index and output/ and keeps nothing between requests but the
opened index, which it reopens when a build replaces it.
"""

import json
import logging
import os
import threading
import time
from datetime import date
from html import escape
from pathlib import Path
from urllib.parse import parse_qs, urlencode

from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, select_autoescape

from carnet.publishing.headers import SECURITY_HEADERS
from carnet.search.indexing import IndexMissing
from carnet.search.querying import MAX_QUERY_LENGTH, ArchiveSearch

from .admission import Lanes
from .static_files import SiteFiles

RESULTS_START, RESULTS_END = "<!-- resultats:debut -->", "<!-- resultats:fin -->"
SEARCH_PATHS = {"/search", "/search/"}
MAX_PATH_LENGTH = 2048
# A longer query string is refused outright (414); shorter ones are cut to MAX_QUERY_STRING.
MAX_RAW_QUERY_STRING = 64 * 1024
# Raw query strings longer than this are cut before parsing (the query itself is cut shorter).
MAX_QUERY_STRING = 8 * MAX_QUERY_LENGTH
BUSY_MESSAGE = "Trop de recherches en même temps : réessayez dans un instant."
INDEX_UNREADABLE_MESSAGE = (
    "La recherche est momentanément indisponible : l’index de recherche est illisible. "
    "Lancez « invoke build --full » pour le reconstruire."
)
FAILED_MESSAGE = (
    "La recherche a rencontré une erreur interne ; elle est consignée dans le journal du service."
)
METHOD_MESSAGE = "Méthode non autorisée : ce site ne répond qu’à GET et HEAD."
TOO_LONG_MESSAGE = "Adresse trop longue."

logger = logging.getLogger(__name__)
INDEX_MISSING_MESSAGE = (
    "La recherche est momentanément indisponible : l’index de recherche est introuvable. "
    "Lancez « invoke build » pour le construire."
)
# Results may be kept a minute by a browser or a proxy: a rebuild shows within that.
DEFAULT_PAGE_SIZE = 10
CACHE_RESULTS = ("Cache-Control", "public, max-age=60")


def french_date(iso: str) -> str:
    return format_date(date.fromisoformat(iso), "EEEE d MMMM y", locale="fr_FR")


class SearchApp:
    def __init__(self, output: Path, index: Path, siteurl: str = "", lanes: Lanes | None = None):
        # Kept unresolved: `output` may be a link that each build switches.
        self.output = Path(output)
        self.index_path = Path(index)
        self.siteurl = siteurl.rstrip("/")
        self._search: ArchiveSearch | None = None
        self._reopen_lock = threading.Lock()
        # Searches beyond their lane's slots get a 503 with Retry-After; pages never wait.
        self.lanes = lanes or Lanes.for_threads(4)
        self.files = SiteFiles(self.output)
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
                    try:
                        self._search = ArchiveSearch.open(folder)
                    except Exception as error:  # a damaged index: say so, keep serving pages
                        logger.error("search: index %s illisible : %s", folder, error)
                        raise IndexMissing(INDEX_UNREADABLE_MESSAGE) from error
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
        def secured(status, headers, exc_info=None):
            # Every answer carries them, 304s and WhiteNoise's own included.
            present = {name.lower() for name, _ in headers}
            extra = [(name, value) for name, value in SECURITY_HEADERS if name.lower() not in present]
            return start_response(status, [*headers, *extra], exc_info)

        return self._route(environ, secured)

    def _route(self, environ, start_response):
        method = environ.get("REQUEST_METHOD", "GET")
        if method not in ("GET", "HEAD"):
            body = METHOD_MESSAGE.encode("utf-8")
            return self._respond(
                start_response, method, "405 Method Not Allowed", body, "text/plain", [("Allow", "GET, HEAD")]
            )
        try:
            path = environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8")
        except UnicodeError:
            return self._not_found(start_response, method)
        query_string = environ.get("QUERY_STRING", "")
        if len(path) > MAX_PATH_LENGTH or len(query_string) > MAX_RAW_QUERY_STRING:
            body = TOO_LONG_MESSAGE.encode("utf-8")
            return self._respond(start_response, method, "414 URI Too Long", body, "text/plain")
        if path in SEARCH_PATHS or path == "/search.json":
            return self._limited_search(start_response, method, path, read_params(query_string))
        root = self.site_root()
        served = self.files.live(root).respond(path, environ, start_response)
        return served if served is not None else self._not_found(start_response, method)

    def _limited_search(self, start_response, method, path, params):
        with self.lanes.for_query(params.get("q", "")).slot() as admitted:
            if not admitted:
                return self._unavailable(start_response, method, path, params, BUSY_MESSAGE, "1")
            try:
                if path == "/search.json":
                    return self._search_json(start_response, method, params)
                return self._search_page(start_response, method, params)
            except IndexMissing as missing:
                return self._unavailable(start_response, method, path, params, str(missing), "30")
            except Exception:
                # A bug, not the reader's doing: logged whole, answered in French with our headers.
                logger.exception("search: erreur pour %r", params.get("q", "")[:200])
                return self._answer(
                    start_response, method, path, params, "500 Internal Server Error", FAILED_MESSAGE
                )

    def _unavailable(self, start_response, method, path, params, message: str, retry_after: str):
        """503 with Retry-After, in the site's own page (or JSON), the reader's query kept."""
        extra = [("Retry-After", retry_after), ("Cache-Control", "no-store")]
        return self._answer(start_response, method, path, params, "503 Service Unavailable", message, extra)

    def _answer(self, start_response, method, path, params, status: str, message: str, extra=()):
        if path == "/search.json":
            body = safe_json(json.dumps({"error": message}, ensure_ascii=False))
            return self._respond(start_response, method, status, body, "application/json", extra)
        notice = (
            f'<div class="resultats" id="resultats"><p class="resultats__avis">{escape(message)}</p></div>'
        )
        html = self._fill_shell(self._read_shell(), notice, params.get("q", "")[:MAX_QUERY_LENGTH])
        return self._respond(start_response, method, status, html.encode("utf-8"), "text/html", extra)

    def _run(self, params):
        sort = params.get("tri") or params.get("sort") or "pertinence"
        return self.archive_search().search(
            params.get("q", ""),
            page=params.get("page", 1),
            page_size=params.get("taille") or params.get("page_size") or DEFAULT_PAGE_SIZE,
            sort={"relevance": "pertinence"}.get(sort, sort),
            # explain=1: each hit says which words in which fields made its score.
            explain=str(params.get("explain", "")).strip().lower() in ("1", "true", "oui"),
        )

    def _search_json(self, start_response, method, params):
        response = self._run(params)
        body = json.dumps(response.as_json(), ensure_ascii=False)
        return self._respond(
            start_response,
            method,
            "200 OK",
            safe_json(body),
            "application/json",
            [CACHE_RESULTS],
        )

    def _search_page(self, start_response, method, params):
        shell = self._read_shell()
        response = self._run(params)

        def link(**changes):
            values = {
                "q": response.query,
                "tri": response.sort,
                "page": response.page,
                "taille": response.page_size,
            }
            values.update({"tri" if key == "sort" else key: value for key, value in changes.items()})
            if values["tri"] == "pertinence":
                del values["tri"]
            if values["page"] == 1:
                del values["page"]
            if values["taille"] == DEFAULT_PAGE_SIZE:
                del values["taille"]
            return f"{self.siteurl}/search?{urlencode(values)}"

        fragment = self.results_template.render(
            response=response, link=link, siteurl=self.siteurl, french_date=french_date
        )
        html = self._fill_shell(shell, fragment, response.query)
        return self._respond(
            start_response,
            method,
            "200 OK",
            html.encode("utf-8"),
            "text/html",
            [CACHE_RESULTS],
        )

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

    def _not_found(self, start_response, method):
        page = self.site_root() / "404.html"
        body = page.read_bytes() if page.is_file() else b"Page introuvable"
        return self._respond(
            start_response, method, "404 Not Found", body, "text/html", [("Cache-Control", "no-cache")]
        )

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
        headers = [("Content-Type", content_type), ("Content-Length", str(len(body))), *extra]
        start_response(status, headers)
        return [b""] if method == "HEAD" else [body]


class AccessLog:
    """One line per request: client, method, path, status, size and the time to answer.

    The size is the Content-Length the application announced: counting the body here
    would read a streamed file before the server could send it."""

    def __init__(self, app, logger: logging.Logger | None = None):
        self.app = app
        self.logger = logger or logging.getLogger("carnet.access")

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        seen = {}

        def recording_start_response(status, headers, exc_info=None):
            seen["status"] = status.split(" ", 1)[0]
            seen["size"] = next((value for name, value in headers if name.lower() == "content-length"), "0")
            return start_response(status, headers, exc_info)

        body = self.app(environ, recording_start_response)
        target = environ.get("PATH_INFO", "") + (
            "?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else ""
        )
        self.logger.info(
            "%s %s %s %s %sB %.1fms",
            environ.get("REMOTE_ADDR", "-"),
            environ.get("REQUEST_METHOD", "-"),
            printable(target[:300]),
            seen.get("status", "-"),
            "0" if environ.get("REQUEST_METHOD") == "HEAD" else seen.get("size", "0"),
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
