"""Draw a laid-out tag graph as inline SVG: an image with a title and a text description."""

from html import escape

from .layout import (
    AXIS_X,
    COUNT_X,
    FONT_EN,
    FONT_FR,
    FONT_HEADER,
    LABEL_X,
    NEUTRAL,
    WIDTH,
    Layout,
    PlacedNode,
    fits,
)

INK, SOFT_INK, PAPER = "#1e1b18", "#4f4740", "#fbf8f1"
FONTS = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', sans-serif"
LABEL_ROOM = COUNT_X - 28 - LABEL_X  # keeps labels clear of the count column
HEADER_ROOM = COUNT_X - 64 - LABEL_X  # and theme names clear of the column's heading


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count > 1 else ''}"


def describe(layout: Layout, strongest: int = 3) -> str:
    """What the picture shows, in words, for readers who do not see it."""
    names = {node.key: node.fr for node in layout.nodes}
    text = (
        f"{plural(len(layout.nodes), 'étiquette')} en {plural(len(layout.groups), 'thème')}, "
        f"{plural(len(layout.edges), 'lien')} entre celles qui partagent des articles."
    )
    links = sorted(layout.edges, key=lambda e: (-e.weight, names[e.a], names[e.b]))[:strongest]
    if links:
        parts = [f"{names[e.a]} et {names[e.b]} ({plural(e.weight, 'article')})" for e in links]
        text += " Les liens les plus forts\u00a0: " + "\u202f; ".join(parts) + "."
    return text


def render_svg(layout: Layout, title: str = "Carte des étiquettes", ident: str = "carte-etiquettes") -> str:
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="carte-etiquettes__svg" role="img" '
        f'viewBox="0 0 {WIDTH} {layout.height:g}" width="{WIDTH}" height="{layout.height:g}" '
        f'aria-labelledby="{ident}-titre" aria-describedby="{ident}-desc" font-family="{FONTS}">',
        f'<title id="{ident}-titre">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(describe(layout))}</desc>',
    ]
    if layout.nodes:
        first = layout.groups[0]
        out.append(
            f'<text class="carte-etiquettes__entete" x="{COUNT_X}" y="{first.baseline:g}" '
            f'text-anchor="end" font-size="{FONT_HEADER:g}" fill="{SOFT_INK}">articles</text>'
        )
    for group in layout.groups:
        # The theme's English name is in the list under the map: a phone has no room for both.
        out.append(
            f'<g class="groupe" data-key="{escape(group.key)}">'
            f'<line x1="{AXIS_X}" y1="{group.top:g}" x2="{AXIS_X}" y2="{group.bottom:g}" '
            f'stroke="{group.color}" stroke-width="4" stroke-linecap="round" opacity="0.35"/>'
            + _label(
                group.fr.upper(),
                LABEL_X,
                group.baseline,
                FONT_HEADER,
                f'font-weight="700" letter-spacing="0.08em" fill="{group.color}"',
                room=HEADER_ROOM,
                wide=1.35,
            )
            + "</g>"
        )
    out.append('<g class="liens" fill="none" stroke-linecap="round">')
    for edge in layout.edges:
        out.append(
            f'<path class="lien" data-a="{escape(edge.a)}" data-b="{escape(edge.b)}" '
            f'data-weight="{edge.weight}" d="{edge.path}" stroke="{edge.color}" '
            f'stroke-width="{edge.width:g}" stroke-opacity="{0.75 if edge.color != NEUTRAL else 0.5}"/>'
        )
    out.append("</g>")
    for node in layout.nodes:
        out.append(_node(node))
    out.append("</svg>")
    return "\n".join(out)


def _label(
    text: str, x: float, y: float, size: float, attributes: str, room: float = LABEL_ROOM, wide: float = 1.0
) -> str:
    """A line of text, squeezed to fit its room when it is too long (`wide` > 1: capitals)."""
    squeeze = ""
    if not fits(text, size * wide, room):
        squeeze = f' textLength="{room:g}" lengthAdjust="spacingAndGlyphs"'
    return f'<text x="{x:g}" y="{y:g}" font-size="{size:g}"{squeeze} {attributes}>{escape(text)}</text>'


def _node(node: PlacedNode) -> str:
    tooltip = f"{node.fr} · {node.en}\u00a0: {plural(node.count, 'article')}"
    return (
        f'<g class="noeud" data-key="{escape(node.key)}" data-count="{node.count}">'
        f"<title>{escape(tooltip)}</title>"
        f'<circle cx="{node.x:g}" cy="{node.y:g}" r="{node.r:g}" fill="{node.color}" '
        f'stroke="{PAPER}" stroke-width="2.5"/>'
        + _label(node.fr, LABEL_X, node.y - 3, FONT_FR, f'font-weight="600" fill="{INK}"')
        + _label(node.en, LABEL_X, node.y + 14, FONT_EN, f'lang="en" font-style="italic" fill="{SOFT_INK}"')
        + f'<text x="{COUNT_X}" y="{node.y + 5:g}" text-anchor="end" font-size="{FONT_FR:g}" '
        f'font-weight="600" fill="{SOFT_INK}">{node.count}</text>'
        "</g>"
    )
