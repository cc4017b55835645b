"""What the map page (tags.html) shows: the themes with their tags, the SVG, the tags outside the map."""

from dataclasses import dataclass, field

from markupsafe import Markup
from pelican.urlwrappers import Tag

from carnet.articles.attributes import TagMapBuild, is_map_tag

from .layout import GroupSpec, NodeSpec, group_color, lay_out, theme_class
from .svg import render_svg


@dataclass
class GroupView:
    key: str
    fr: str
    en: str
    color: str
    tags: list[Tag]
    css_class: str = ""  # its colour, from the style sheet at MapView.css_url


@dataclass
class MapView:
    """What tags.html shows: the themes with their tags, the SVG, the tags outside the map."""

    groups: list[GroupView]
    svg: Markup
    json_url: str
    stray: list[tuple[Tag, list]] = field(default_factory=list)
    css_url: str = ""


def map_view(build: TagMapBuild, weights, by_tag: dict, json_url: str, css_url: str) -> MapView:
    tag_map = build.tag_map
    groups, specs = [], []
    for group in tag_map.groups.values():
        members = [t for t in build.tags.values() if t.group.key == group.key]
        used = [t for t in members if t.count]
        if used:
            position = len(groups)
            color, css_class = group_color(position), theme_class(position)
            groups.append(GroupView(group.key, group.fr, group.en, color, used, css_class))
        nodes = tuple(NodeSpec(t.key, t.name, t.en_label, t.count) for t in members)
        specs.append(GroupSpec(group.key, group.fr, group.en, nodes))
    svg = Markup(render_svg(lay_out(specs, weights)))  # render_svg escapes every text
    stray = [(tag, articles) for tag, articles in by_tag.items() if not is_map_tag(tag)]
    return MapView(groups, svg, json_url, sorted(stray, key=lambda item: item[0].slug), css_url)
