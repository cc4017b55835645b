"""HTTP glue: a WSGI application for the search pages and the static site.

    /search?q=…        results in the site's own search page
    /search.json?q=…   the same results as JSON
    anything else      the files of output/, or the theme's 404 page

It reads the index and output/ and keeps nothing between requests but the
opened index and the results page, which it reads again when a build replaces them.
"""

import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from functools import cached_property
from pathlib import Path
from urllib.parse import parse_qs

from carnet.publishing.headers import SECURITY_HEADERS
from carnet.search.indexing import IndexMissing
from carnet.search.querying import MAX_QUERY_LENGTH, ArchiveSearch, SearchResponse

from .admission import Lanes
from .pages import DEFAULT_PAGE_SIZE, ResultsPages
from .static_files import SiteFiles

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
CACHE_RESULTS = ("Cache-Control", "public, max-age=60")
# Types Pelican writes as UTF-8, which the answer says.
UTF8_TYPES = (
    "application/json",
    "application/xml",
    "application/atom+xml",
    "image/svg+xml",
    "application/javascript",
)


class Request:
    """One request: what it asks, and how it is answered (HEAD gets the headers alone)."""

    def __init__(self, environ: dict, start_response: Callable):
        self.environ = environ
        self.start_response = start_response
        self.method = environ.get("REQUEST_METHOD", "GET")
        self.query_string = environ.get("QUERY_STRING", "")

    @cached_property
    def path(self) -> str | None:
        """The path as UTF-8 text (WSGI gives it as Latin-1); None when it is not UTF-8."""
        try:
            return self.environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8")
        except UnicodeError:
            return None

    @cached_property
    def params(self) -> dict[str, str]:
        return read_params(self.query_string)

    @property
    def query(self) -> str:
        """The reader's words, as far as a page shows them."""
        return self.params.get("q", "")[:MAX_QUERY_LENGTH]

    def respond(self, status: str, body: bytes, content_type: str, extra=()) -> list[bytes]:
        if content_type.startswith("text/") or content_type in UTF8_TYPES:
            content_type += "; charset=utf-8"
        headers = [("Content-Type", content_type), ("Content-Length", str(len(body))), *extra]
        self.start_response(status, headers)
        return [b""] if self.method == "HEAD" else [body]


Handler = Callable[[Request], Iterable[bytes]]


class SearchApp:
    def __init__(self, output: Path, index: Path, siteurl: str = "", lanes: Lanes | None = None):
        # Kept unresolved: `output` and `index` may be links that each build switches.
        self.output = Path(output)
        self.index_path = Path(index)
        self.siteurl = siteurl.rstrip("/")
        self._search: ArchiveSearch | None = None
        self._reopen_lock = threading.Lock()
        # Searches beyond their lane's slots get a 503 with Retry-After; pages never wait.
        self.lanes = lanes or Lanes.for_threads(4)
        self.files = SiteFiles(self.output)
        self._index_version: tuple[str, int] | None = None
        self.pages = ResultsPages(self.siteurl)
        # Any other path is a file of the site.
        self.routes: dict[str, Handler] = {
            "/search": self.search_page,
            "/search/": self.search_page,
            "/search.json": self.search_json,
        }

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

        return self.route(Request(environ, secured))

    def route(self, request: Request) -> Iterable[bytes]:
        if request.method not in ("GET", "HEAD"):
            body = METHOD_MESSAGE.encode("utf-8")
            return request.respond("405 Method Not Allowed", body, "text/plain", [("Allow", "GET, HEAD")])
        path = request.path
        if path is None:
            return self.not_found(request)
        if len(path) > MAX_PATH_LENGTH or len(request.query_string) > MAX_RAW_QUERY_STRING:
            return request.respond("414 URI Too Long", TOO_LONG_MESSAGE.encode("utf-8"), "text/plain")
        handler = self.routes.get(path)
        if handler is not None:
            return handler(request)
        served = self.files.live(self.site_root()).respond(path, request.environ, request.start_response)
        return served if served is not None else self.not_found(request)

    # -- the routes ------------------------------------------------------

    def search_page(self, request: Request) -> Iterable[bytes]:
        return self._search_answered(request, self._page_answer)

    def search_json(self, request: Request) -> Iterable[bytes]:
        return self._search_answered(request, self._json_answer)

    def not_found(self, request: Request) -> Iterable[bytes]:
        page = self.site_root() / "404.html"
        body = page.read_bytes() if page.is_file() else b"Page introuvable"
        return request.respond("404 Not Found", body, "text/html", [("Cache-Control", "no-cache")])

    # -- searching -------------------------------------------------------

    def _search_answered(self, request: Request, answer: Callable) -> Iterable[bytes]:
        """The search in its lane; `answer(request, status, response_or_message, extra)` words it."""
        params = request.params
        with self.lanes.for_query(params.get("q", "")).slot() as admitted:
            if not admitted:
                return answer(request, "503 Service Unavailable", BUSY_MESSAGE, unavailable("1"))
            try:
                return answer(request, "200 OK", self._run(params), [CACHE_RESULTS])
            except IndexMissing as missing:
                return answer(request, "503 Service Unavailable", str(missing), unavailable("30"))
            except Exception:
                # A bug, not the reader's doing: logged whole, answered in French with our headers.
                logger.exception("search: erreur pour %r", params.get("q", "")[:200])
                return answer(request, "500 Internal Server Error", FAILED_MESSAGE, [])

    def _run(self, params: dict[str, str]) -> SearchResponse:
        sort = params.get("tri") or params.get("sort") or "pertinence"
        return self.archive_search().search(
            params.get("q", ""),
            page=params.get("page", 1),
            page_size=params.get("taille") or params.get("page_size") or DEFAULT_PAGE_SIZE,
            sort={"relevance": "pertinence"}.get(sort, sort),
            # explain=1: each hit says which words in which fields made its score.
            explain=str(params.get("explain", "")).strip().lower() in ("1", "true", "oui"),
        )

    def _page_answer(self, request: Request, status: str, found: SearchResponse | str, extra) -> list[bytes]:
        """The results, or a message in their place, in the live build's search page."""
        frame = self.pages.frame(self.index_path)
        if isinstance(found, SearchResponse):
            html = self.pages.results(frame, found)
        else:
            html = self.pages.notice(frame, found, request.query)  # the reader's words stay in the form
        return request.respond(status, html.encode("utf-8"), "text/html", extra)

    @staticmethod
    def _json_answer(request: Request, status: str, found: SearchResponse | str, extra) -> list[bytes]:
        data = found.as_json() if isinstance(found, SearchResponse) else {"error": found}
        body = safe_json(json.dumps(data, ensure_ascii=False))
        return request.respond(status, body, "application/json", extra)


def unavailable(retry_after: str) -> list[tuple[str, str]]:
    """A 503's headers: when to come back, and never kept by a cache."""
    return [("Retry-After", retry_after), ("Cache-Control", "no-store")]


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
