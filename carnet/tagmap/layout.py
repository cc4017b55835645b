"""Lay out the tag graph as an arc diagram that stays legible on a phone.

One row per tag, rows grouped by theme in the order of the map file; the nodes sit
on a vertical axis, their labels to the right, and an arc on the left joins two tags
that share articles. Nothing is random: the same map and articles give the same picture.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from math import sqrt

from .graph import Pair

# Geometry, in viewBox units (the SVG is scaled to the width of its column).
WIDTH = 400
AXIS_X = 150  # the nodes' centres; arcs bulge to the left of it
LABEL_X = AXIS_X + 24
COUNT_X = WIDTH - 8
TOP, BOTTOM = 6, 10
HEADER = 34  # a theme's heading row
ROW = 46  # a tag's row: French label, English label below
GROUP_GAP = 10
R_MIN, R_MAX = 6.0, 15.0
ARC_MIN, ARC_MARGIN = 20.0, 8.0  # the narrowest arc's bulge; room kept left of the widest
FONT_FR, FONT_EN, FONT_HEADER = 16, 14, 12.5
# Rough advance of a character, as a share of the font size, to keep labels inside the box.
CHAR_WIDTH = 0.56

# One colour per theme; each is at least 5:1 against the page's paper (#fbf8f1).
PALETTE = ("#9a3412", "#0f766e", "#2f4b8a", "#6a3569", "#5e6b1c", "#1f5f7a", "#7a2e0e")
NEUTRAL = "#8c7f70"  # arcs between themes


@dataclass(frozen=True)
class NodeSpec:
    key: str
    fr: str
    en: str
    count: int


@dataclass(frozen=True)
class GroupSpec:
    key: str
    fr: str
    en: str
    nodes: tuple[NodeSpec, ...]


@dataclass(frozen=True)
class PlacedNode:
    key: str
    fr: str
    en: str
    count: int
    group: str
    color: str
    x: float
    y: float
    r: float


@dataclass(frozen=True)
class PlacedEdge:
    a: str
    b: str
    weight: int
    path: str
    width: float
    color: str


@dataclass(frozen=True)
class PlacedGroup:
    key: str
    fr: str
    en: str
    color: str
    baseline: float  # of the heading
    top: float  # the theme's stretch of the axis
    bottom: float


@dataclass(frozen=True)
class Layout:
    width: int
    height: float
    groups: tuple[PlacedGroup, ...]
    nodes: tuple[PlacedNode, ...]
    edges: tuple[PlacedEdge, ...]


def group_color(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def theme_class(index: int) -> str:
    return f"theme-etiquettes--{index}"


def theme_colors_css(colors: Sequence[str]) -> str:
    """Each theme's colour on the map page as a class of a style sheet: the pages' Content-
    Security-Policy (style-src 'self') lets no inline style="…" through."""
    return "".join(f".{theme_class(index)} {{ --theme: {color}; }}\n" for index, color in enumerate(colors))


def node_radius(count: int, max_count: int) -> float:
    """Area in proportion to the article count, never too small to see."""
    if max_count <= 0:
        return R_MIN
    return round(max(R_MIN, R_MAX * sqrt(count / max_count)), 1)


def edge_width(weight: int) -> float:
    return min(1.5 + 2.0 * (weight - 1), 9.0)


def fits(text: str, font_size: float, room: float) -> bool:
    return len(text) * font_size * CHAR_WIDTH <= room


def lay_out(groups: Sequence[GroupSpec], weights: dict[Pair, int]) -> Layout:
    """Place the non-empty themes and their tags (tags without articles are left out)."""
    shown = [(g, [n for n in g.nodes if n.count > 0]) for g in groups]
    shown = [(g, nodes) for g, nodes in shown if nodes]
    max_count = max((n.count for _, nodes in shown for n in nodes), default=0)
    placed_groups, placed_nodes = [], []
    y = TOP
    for index, (group, nodes) in enumerate(shown):
        color = group_color(index)
        baseline = y + HEADER - 12
        y += HEADER
        first = y + ROW / 2
        for node in nodes:
            placed_nodes.append(
                PlacedNode(
                    key=node.key,
                    fr=node.fr,
                    en=node.en,
                    count=node.count,
                    group=group.key,
                    color=color,
                    x=AXIS_X,
                    y=y + ROW / 2,
                    r=node_radius(node.count, max_count),
                )
            )
            y += ROW
        placed_groups.append(PlacedGroup(group.key, group.fr, group.en, color, baseline, first, y - ROW / 2))
        y += GROUP_GAP
    height = (y - GROUP_GAP if shown else y) + BOTTOM
    by_key = {node.key: node for node in placed_nodes}
    span = (placed_nodes[-1].y - placed_nodes[0].y) / 2 if placed_nodes else 0
    edges = [
        _arc(by_key[a], by_key[b], weight, span)
        for (a, b), weight in weights.items()
        if weight > 0 and a in by_key and b in by_key
    ]
    # Light arcs first, so that the strongest links are drawn on top.
    edges.sort(key=lambda edge: (edge.weight, edge.a, edge.b))
    return Layout(WIDTH, height, tuple(placed_groups), tuple(placed_nodes), tuple(edges))


def _arc(one: PlacedNode, other: PlacedNode, weight: int, span: float) -> PlacedEdge:
    top, bottom = sorted((one, other), key=lambda node: node.y)
    half = (bottom.y - top.y) / 2
    # The farther apart two rows are, the wider the arc: a half circle for close rows, then
    # growing with the square root of the distance up to the left margin, so that long arcs
    # spread over the room instead of bunching at its edge.
    reach = ARC_MIN + (AXIS_X - ARC_MARGIN - ARC_MIN) * sqrt(half / span) if span else ARC_MIN
    bulge = round(max(min(half, reach), ARC_MIN / 2), 1)
    path = f"M{top.x:g} {top.y:g} A{bulge:g} {half:g} 0 0 0 {bottom.x:g} {bottom.y:g}"
    color = top.color if top.group == bottom.group else NEUTRAL
    a, b = sorted((one.key, other.key))
    return PlacedEdge(a, b, weight, path, edge_width(weight), color)
