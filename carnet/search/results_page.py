"""The search service's results page: the theme's own search page, with holes the service fills.

The theme declares where the reader's query goes (`{% block search_query %}`, in the value of
every search field) and where the results go (`{% block search_results %}`, around what a
static host shows). At build time, plugins/search renders the theme's search.html a second
time, with the context Pelican gave it, through FRAME_TEMPLATE: those blocks, and the start
of the title, become holes. The page is kept as a small Jinja template (`FILE_NAME`) in the
index's folder, so that it goes live with the index of the same build; the service fills it
with `query` (escaped there) and `results` (the results' HTML). Everything else is the static
page's own bytes, written once by the theme, never matched as text.
"""

import re

from jinja2 import Environment, StrictUndefined, Template
from markupsafe import Markup

FILE_NAME = "results-page.html"
# The context key of the frame template, compiled by Pelican's template environment.
FRAME = "search_results_frame"
# Rendered by Pelican's environment, with `search_hole` in the context.
FRAME_TEMPLATE = """{% extends "search.html" %}
{% block search_query %}{{ search_hole("query") }}{% endblock %}
{% block title %}{{ search_hole("title") }}{{ super() }}{% endblock %}
{% block search_results %}{{ search_hole("results") }}{% endblock %}
"""
# What each hole becomes in the frame, for the service.
HOLES = {
    "query": "{{ query }}",
    "title": "{% if query %}« {{ query }} » — {% endif %}",
    "results": "{{ results }}",
}
# A hole's mark in the rendered page: NUL never occurs in a page (Jinja output of Markdown and
# templates), and Markup keeps autoescape from touching it.
_MARK = "\x00"
# A `{` that would open a Jinja tag, expression or comment in the page's own text.
_OPENING = re.compile(r"\{(?=[{%#])")


def search_hole(name: str) -> Markup:
    return Markup(f"{_MARK}{name}{_MARK}")


def frame_source(page: str) -> str | None:
    """The page rendered through FRAME_TEMPLATE, as the service's Jinja template; None when
    the theme declares no results block (the service then answers in a plain page)."""
    pieces = page.split(_MARK)
    names = pieces[1::2]
    if len(pieces) % 2 == 0 or not set(names) <= set(HOLES) or "results" not in names:
        return None
    # Text, hole, text, hole, …, text.
    return "".join(HOLES[piece] if number % 2 else literal(piece) for number, piece in enumerate(pieces))


def literal(text: str) -> str:
    """`text` as Jinja source that renders as itself."""
    return _OPENING.sub("{{ '{' }}", text)


# The service's environment for frames: no trimming (the page's bytes stay as they are),
# and a hole the service forgets to fill is an error, not an empty string.
_FRAMES = Environment(autoescape=True, keep_trailing_newline=True, undefined=StrictUndefined)


def load(source: str) -> Template:
    """A frame as the service fills it: `render(query=…, results=Markup(…))`."""
    return _FRAMES.from_string(source)
