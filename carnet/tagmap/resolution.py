"""Every tag an author writes resolved through the map to one canonical tag (a `MapTag`).

The canonical tag is named by its French label, with the French slug, so Pelican's own tag
pages and feeds are the French ones; it also carries its English label and URL, its theme
and its aliases for the templates, tagmap.json and search.
"""

from pelican.urlwrappers import Tag

from carnet.articles.attributes import article_tags, tag_key

from .collisions import WrittenTag
from .config import setting
from .mapfile import TagMap
from .matching import Resolver, fold


def canonical_tags(tag_map: TagMap, settings: dict) -> dict[str, Tag]:
    """Each entry's tag, with every attribute of `MapTag`."""
    tags = {}
    for entry in tag_map.tags.values():
        tag = Tag(entry.fr, settings)
        tag.slug = entry.slug_fr
        tag.key = entry.key
        tag.group = tag_map.groups[entry.group]
        tag.en_label = entry.en
        tag.en_url = setting(settings, "TAG_EN_URL").format(slug=entry.slug_en)
        tag.en_save_as = setting(settings, "TAG_EN_SAVE_AS").format(slug=entry.slug_en)
        tag.description_fr = entry.description_fr
        tag.description_en = entry.description_en
        tag.search_terms = [entry.en, *entry.aliases]
        tag.count, tag.articles, tag.related = 0, [], []
        tags[entry.key] = tag
    return tags


def resolve_article(article, resolver: Resolver, canonical: dict[str, Tag]) -> list[Tag]:
    """Put the canonical tags in place of the written ones; return those outside the map."""
    unique: dict[str, Tag] = {}
    strays: list[Tag] = []
    for tag in article_tags(article):
        key = resolver.resolve(str(tag))
        if key is None:
            strays.append(tag)
        # « savoir-être, soft skills » is one tag. Not `in` a list: Pelican's tags are equal
        # when their slugs are, and a stray tag with a mapped tag's slug is another tag.
        identity = fold(str(tag)) if key is None else f"[tags.{key}]"
        unique.setdefault(identity, tag if key is None else canonical[key])
    resolved = list(unique.values())
    if "tags" in article.metadata:  # Pelican gives `tags` only to an article that has some
        article.tags = resolved
        article.metadata["tags"] = resolved
    return strays


def written_tags(articles, tag_map: TagMap | None, with_lines: bool = True) -> list[WrittenTag]:
    """Each tag of each article, as the collision check sees it. `with_lines`: each source
    names the line of its `Tags:` (which reads the file); without, the file alone."""
    written = []
    for article in articles:
        place = article.relative_source_path
        line = tags_line(article.source_path or "") if with_lines else None
        for tag in article_tags(article):
            key = tag_key(tag)
            entry = tag_map.tags[key] if tag_map is not None and key is not None else None
            written.append(
                WrittenTag(
                    name=str(tag),
                    slug=tag.slug,
                    url=tag.url,
                    identity=f"[tags.{key}]" if key is not None else fold(str(tag)),
                    source=f"{place}:{line}" if line else place,  # the `Tags:` line, for editors
                    map_key=key,
                    map_line=entry.line if entry is not None else None,
                )
            )
    return written


def tags_line(path: str) -> int | None:
    """The line of the `Tags:` key in the header of the file at `path`."""
    try:
        with open(path, encoding="utf-8-sig") as text:
            for number, line in enumerate(text, start=1):
                if not line.strip():
                    return None  # the header ends at the first blank line
                if line.split(":", 1)[0].strip().casefold() == "tags":
                    return number
    except (OSError, UnicodeDecodeError):
        return None
    return None
