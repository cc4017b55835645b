"""The HTML of /search: the results (templates/results.html) in the frame of the live build's
search page (carnet/search/results_page.py). No HTTP here: web.py answers with it."""

import logging
import os
import threading
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, Template, TemplateError, select_autoescape
from markupsafe import Markup

from carnet.search import results_page
from carnet.search.querying import SearchResponse
from carnet.text.dates import french_date

logger = logging.getLogger(__name__)

DEFAULT_PAGE_SIZE = 10
NOTICE = Markup('<div class="resultats" id="resultats"><p class="resultats__avis">{}</p></div>')
# Without a results page beside the index (no index, or one made by other means than a build):
# a plain page that still says what the service has to say.
BARE = results_page.load(
    '<!doctype html><html lang="fr"><meta charset="utf-8">'
    f"<title>{results_page.HOLES['title']}Recherche</title><main>{results_page.HOLES['results']}</main></html>"
)


@lru_cache(maxsize=8192)
def shown_date(iso: str) -> str:
    """A hit's date in French words, by its ISO text: Babel's formatting was a tenth of a
    results page's processor time, for the same few thousand dates again and again."""
    return french_date(iso)


class ResultsPages:
    def __init__(self, siteurl: str = ""):
        self.siteurl = siteurl.rstrip("/")
        templates = Environment(
            loader=FileSystemLoader(Path(__file__).parent / "templates"),
            autoescape=select_autoescape(default=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.results_template = templates.get_template("results.html")
        self._frame: tuple[tuple, Template] | None = None
        self._lock = threading.Lock()

    def frame(self, index: Path) -> Template:
        """The results page of the build whose index is at `index` (a link that each build
        switches): read again when the build changes, the plain page when there is none."""
        path = Path(os.path.realpath(index)) / results_page.FILE_NAME
        try:
            stat = path.stat()
        except OSError:
            return BARE
        version = (str(path), stat.st_mtime_ns, stat.st_size)
        cached = self._frame
        if cached is None or cached[0] != version:
            with self._lock:
                if self._frame is None or self._frame[0] != version:
                    try:
                        self._frame = (version, results_page.load(path.read_text(encoding="utf-8")))
                    except (OSError, UnicodeError, TemplateError) as error:
                        logger.error("search: page de résultats %s illisible : %s", path, error)
                        return BARE
                cached = self._frame
        return cached[1]

    def results(self, frame: Template, response: SearchResponse) -> str:
        fragment = self.results_template.render(
            response=response,
            link=lambda **changes: self.link(response, **changes),
            siteurl=self.siteurl,
            french_date=shown_date,
        )
        return frame.render(query=response.query, results=Markup(fragment))

    @staticmethod
    def notice(frame: Template, message: str, query: str) -> str:
        """A message in place of the results (the service is busy, the index unreadable…)."""
        return frame.render(query=query, results=NOTICE.format(message))

    def link(self, response: SearchResponse, **changes) -> str:
        """The address of these results with `changes` (q, sort, page, taille), the defaults left out."""
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
