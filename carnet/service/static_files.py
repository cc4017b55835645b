"""HTTP glue for the built site's files: WhiteNoise over the live build, one scan per build.

WhiteNoise serves only canonical paths under the build's folder (no `..`, `%2e%2e`,
backslash), with the content types, ranges and the `.gz` copies. What it does not do for
us is added here: validators that survive a rebuild and never lie after a rollback, no
link that leaves the build, the content types of feeds, and our caching policy.
"""

import hashlib
import logging
import os
import threading
from functools import lru_cache
from http import HTTPStatus
from pathlib import Path
from urllib.parse import quote

from whitenoise import WhiteNoise
from whitenoise.responders import IsDirectoryError, MissingFileError, Redirect, Response

from carnet.publishing.fingerprint import FINGERPRINTED

logger = logging.getLogger(__name__)

# Pelican writes these as UTF-8; WhiteNoise names a charset for text/* only.
UTF8_TYPES = {
    "application/json",
    "application/xml",
    "application/atom+xml",
    "image/svg+xml",
    "application/javascript",
    "text/javascript",
}
# Fingerprinted theme files never change at their URL: a year, immutable.
IMMUTABLE = "public, max-age=31536000, immutable"
# Everything else may change with any build: keep it, but ask first (a 304 is cheap).
REVALIDATE = "no-cache"


@lru_cache(maxsize=65536)
def _digest(path: str, inode: int, size: int, mtime_ns: int) -> str:
    # Keyed by what stat says, so a file changed in place is hashed again.
    digest = hashlib.blake2b(digest_size=12)
    with open(path, "rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def content_etag(path: str) -> str:
    """A validator from the bytes: the same file in two builds has the same ETag."""
    stat = os.stat(path)
    return f'"{_digest(path, stat.st_ino, stat.st_size, stat.st_mtime_ns)}"'


def is_fingerprinted(path: str, url: str) -> bool:
    return url.startswith("/theme/") and bool(FINGERPRINTED.search(url))


def inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


class BuildFiles(WhiteNoise):
    """The files of one build, looked up when asked for, with our headers.

    WhiteNoise's table made at start-up would cost seconds at each build switch (a
    5 000-article site has 19 000 addresses to stat and hash); its look-up per request
    costs a few stats, and the digests are kept while the files do not change."""

    def __init__(self, root: str):
        self.root = os.path.realpath(root)
        super().__init__(
            application=None,
            root=self.root,
            autorefresh=True,
            max_age=None,
            allow_all_origins=False,
            index_file=True,
            immutable_file_test=is_fingerprinted,
            add_headers_function=self._add_headers,
        )

    def get_static_file(self, path, url, stat_cache=None):
        # WhiteNoise keeps the joined path under the root, but a link may still lead out.
        real = os.path.realpath(path)
        if not inside(real, self.root):
            logger.warning("search: %s mène hors du site (%s) : pas servi", path, real)
            raise MissingFileError(path)
        # WhiteNoise adds headers before it looks at the file: ours read it, so look first.
        if os.path.isdir(real):
            raise IsDirectoryError(path)
        if not os.path.isfile(real):
            raise MissingFileError(path)
        return super().get_static_file(path, url, stat_cache)

    def _add_headers(self, headers, path: str, url: str) -> None:
        headers["ETag"] = content_etag(path)
        media_type = headers["Content-Type"].split(";")[0]
        if path.endswith(".atom.xml"):  # a double suffix that WhiteNoise cannot see
            media_type = "application/atom+xml"
        if media_type.startswith("text/") or media_type in UTF8_TYPES:
            headers["Content-Type"] = f"{media_type}; charset=utf-8"  # wsgiref's Headers replaces
        headers["Cache-Control"] = IMMUTABLE if is_fingerprinted(path, url) else REVALIDATE

    def redirect(self, from_url, to_url):
        # A folder's address is for ever the one with a slash: a 301 to the site path,
        # percent-encoded (a header is Latin-1: « /日本€ » must travel as %-escapes).
        redirect = super().redirect(from_url, to_url)
        location = ("Location", quote(to_url.encode("utf-8")))
        redirect.response = Response(HTTPStatus.MOVED_PERMANENTLY, [location], None)
        return redirect

    def respond(self, path: str, environ, start_response):
        """The file at URL `path` (conditional requests answered), or None if there is none."""
        if "\x00" in path:  # no file has it; the system calls would refuse it
            return None
        static_file = self.find_file(path)
        if static_file is None:
            return None
        if isinstance(static_file, Redirect) and environ.get("QUERY_STRING"):
            # The address with its slash, and the reader's query with it (nginx keeps it too).
            location = dict(static_file.response.headers)["Location"] + "?" + environ["QUERY_STRING"]
            start_response("301 Moved Permanently", [("Location", location)])
            return []
        return self.serve(static_file, with_plain_validators(environ, static_file), start_response)


def with_plain_validators(environ, static_file):
    """The request's validators as WhiteNoise can judge them.

    If-Modified-Since is set aside: file times do not order versions here (a rollback
    puts older files back, and two builds may fall in the same second), so only the
    content's ETag may answer 304 (RFC 9110 lets a server ignore the date). WhiteNoise
    compares If-None-Match with its ETag as one string: a weak `W/` tag or a list of tags
    (§13.1.2) is brought to that form first."""
    header = environ.get("HTTP_IF_NONE_MATCH")
    etag = getattr(static_file, "etag", None)
    environ = {name: value for name, value in environ.items() if name != "HTTP_IF_MODIFIED_SINCE"}
    # WhiteNoise looks for the word « gzip » alone: `gzip;q=0` (refused) would get it.
    environ["HTTP_ACCEPT_ENCODING"] = "gzip" if accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING", "")) else ""
    if header is not None and etag is not None:
        tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
        environ["HTTP_IF_NONE_MATCH"] = etag if "*" in tags or etag in tags else '"-"'
    return environ


def accepts_gzip(header: str) -> bool:
    """Whether an Accept-Encoding header accepts gzip (RFC 9110 §12.5.3: any case, q=0 refuses)."""
    accepted = {}
    for item in header.lower().split(","):
        coding, _, parameters = item.strip().partition(";")
        quality = 1.0
        for parameter in parameters.split(";"):
            name, _, value = parameter.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        accepted[coding.strip()] = quality
    quality = accepted.get("gzip", accepted.get("x-gzip", accepted.get("*", 0.0)))
    return quality > 0


class SiteFiles:
    """The live build's files: a new scan when a build or a rollback switches the link."""

    def __init__(self, output: Path):
        self.output = Path(output)  # kept unresolved: each build switches the link
        self._lock = threading.Lock()
        self._current: BuildFiles | None = None

    def live(self, root: Path) -> BuildFiles:
        """The files of the build at `root` (the request's resolved output folder)."""
        current = self._current
        if current is None or current.root != str(root):
            with self._lock:
                if self._current is None or self._current.root != str(root):
                    self._current = BuildFiles(str(root))
                current = self._current
        return current
