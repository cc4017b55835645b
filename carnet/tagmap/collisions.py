"""Two different tags that would write the same tag page.

Pelican files tags by slug: a tag outside the map whose slug is a mapped tag's slug
(« Confi’ance » and « Confiance » both give `confiance`) would silently take over that
tag's page, its title, theme, English link and description. Each such clash is an
error that names both tags, the articles that write the stray one, and the fix.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class WrittenTag:
    """One tag as one article carries it after resolution through the map."""

    name: str  # the label shown: the map's French label, or the tag as written
    slug: str
    url: str  # the tag page's address, relative to the site
    identity: str  # two written tags are the same tag when this is equal
    source: str  # the article's file
    map_key: str | None = None  # the [tags.<key>] it resolved to, None outside the map
    map_line: int | None = None


@dataclass(frozen=True)
class Collision:
    url: str
    tags: tuple[tuple[WrittenTag, tuple[str, ...]], ...]  # each distinct tag with its files


def find_collisions(written: Iterable[WrittenTag]) -> list[Collision]:
    """Every page address that two distinct tags would write, in address order."""
    by_slug: dict[str, dict[str, list[WrittenTag]]] = defaultdict(dict)
    for tag in written:
        by_slug[tag.slug].setdefault(tag.identity, []).append(tag)
    collisions = []
    for slug in sorted(by_slug):
        tags = by_slug[slug]
        if len(tags) < 2:
            continue
        # Mapped tags first: they own the page; then the stray ones as first written.
        ordered = sorted(tags.values(), key=lambda group: group[0].map_key is None)
        collisions.append(
            Collision(
                url=ordered[0][0].url,
                tags=tuple((group[0], tuple(dict.fromkeys(t.source for t in group))) for group in ordered),
            )
        )
    return collisions


def describe(collision: Collision, map_source: str | None) -> str:
    """The error, in French, for the author: both tags, their articles, and how to fix it."""
    page = collision.url if collision.url.startswith(("/", "http")) else "/" + collision.url
    lines = [f"plusieurs étiquettes différentes écriraient la même page {page} :"]
    for tag, sources in collision.tags:
        if tag.map_key is not None:
            where = f"[tags.{tag.map_key}] de {map_source}" + (
                f", ligne {tag.map_line}" if tag.map_line else ""
            )
            lines.append(f"  « {tag.name} » ({where}), dans {', '.join(sources)}")
        else:
            lines.append(f"  « {tag.name} » (hors du tag map), dans {', '.join(sources)}")
    mapped = next((tag for tag, _ in collision.tags if tag.map_key is not None), None)
    strays = [tag.name for tag, _ in collision.tags if tag.map_key is None]
    spelled = " et ".join(f"« {name} »" for name in strays)
    if mapped is not None:
        lines.append(
            f"  Corrigez : utilisez « {mapped.name} » dans ces articles, ou ajoutez {spelled} au tag map "
            f"comme alias de [tags.{mapped.map_key}] ({map_source}) ; s’il s’agit d’une autre étiquette, "
            "donnez-lui sa propre table [tags.…] avec un autre slug_fr."
        )
    elif map_source:
        lines.append(
            f"  Corrigez : écrivez ces étiquettes de la même façon, ou ajoutez au tag map ({map_source}) "
            f"une table [tags.…] pour cette étiquette, avec {spelled} dans son fr, son en ou ses aliases."
        )
    else:
        lines.append(f"  Corrigez : écrivez {spelled} de la même façon dans tous les articles.")
    return "\n".join(lines)
