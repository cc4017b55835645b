"""Search results for a terminal: readable text, highlights in reverse video."""

import re
from html import unescape

from rich.console import Console
from rich.text import Text

from carnet.search.querying import SearchResponse

_MARK = re.compile(r"<mark[^>]*>(.*?)</mark>", re.DOTALL)


def snippet_text(snippet_html: str) -> Text:
    """A highlighted snippet (escaped HTML with <mark>) as rich Text."""
    text = Text()
    position = 0
    for match in _MARK.finditer(snippet_html):
        text.append(unescape(snippet_html[position : match.start()]))
        text.append(unescape(match.group(1)), style="reverse bold")
        position = match.end()
    text.append(unescape(snippet_html[position:]))
    return text


def print_results(response: SearchResponse, console: Console | None = None) -> None:
    console = console or Console()
    for notice in response.notices:
        console.print(Text(notice, style="yellow"))
    if response.total == 0:
        console.print(Text(f"Aucun article ne correspond à « {response.query} »."))
    else:
        console.print(
            Text(
                f"{response.total} article{'s' if response.total > 1 else ''} pour « {response.query} »"
                f" — page {response.page} sur {response.pages}, tri par {response.sort}",
                style="bold",
            )
        )
    if response.any_word:
        console.print(
            Text("Aucun article ne contient tous ces mots : voici ceux qui en contiennent au moins un.")
        )
    if response.suggestion:
        console.print(Text(f"Vouliez-vous dire « {response.suggestion} » ?", style="cyan"))
    for number, hit in enumerate(response.results, start=(response.page - 1) * response.page_size + 1):
        console.print()
        console.print(Text(f"{number}. {hit.title}", style="bold"))
        details = " · ".join(filter(None, [hit.date or "date inconnue", hit.author, ", ".join(hit.tags)]))
        scored = "" if hit.score is None else f"; score {hit.score}"
        console.print(Text(f"   {hit.url}  ({details}{scored})", style="dim"))
        console.print(Text("   ") + snippet_text(hit.snippet))
        for part in hit.explain or []:
            console.print(Text(explained_line(part), style="dim"))
    facets = response.facets
    if facets["tags"]:
        console.print()
        console.print(
            Text("Étiquettes : " + ", ".join(f"{f['label']} ({f['count']})" for f in facets["tags"]))
        )
    if facets["years"]:
        years = ", ".join(f"{f['year'] or 'inconnue'} ({f['count']})" for f in facets["years"])
        console.print(Text("Années : " + years))


def explained_line(part: dict) -> str:
    """One share of a score, as `invoke search --explain` prints it."""
    points = f"{part['score']:.2f}".replace(".", ",")
    other = "  (autre nom de l’étiquette)" if part["expanded"] else ""
    return f"      {points:>6}  {part['field']:<10} « {part['word']} »{other}"
