"""Pelican glue: every tag an author writes resolves through the map to one canonical tag.

The canonical tag is a Pelican `Tag` named by its French label, with the French slug,
so Pelican's own tag pages and feeds are the French ones; it also carries its English
label and URL, its theme and its aliases for the templates, tagmap.json and search.
"""

import logging

from pelican import signals
from pelican.log import console
from pelican.urlwrappers import Tag

from carnet.tagmap.collisions import WrittenTag, describe, find_collisions
from carnet.tagmap.config import BUILD_KEY, TagMapBuild, map_path, setting
from carnet.tagmap.mapfile import TagMap, TagMapError, load_map
from carnet.tagmap.matching import Resolver, fold

from .generator import TagMapGenerator

logger = logging.getLogger(__name__)


def canonical_tags(tag_map: TagMap, settings: dict) -> dict[str, Tag]:
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
        # Other names of the tag, for the search index.
        tag.search_terms = [entry.en, *entry.aliases]
        tag.count, tag.articles, tag.related = 0, [], []
        tags[entry.key] = tag
    return tags


def resolve_article(article, resolver: Resolver, canonical: dict[str, Tag]) -> list[Tag]:
    """Put the canonical tags in place of the written ones; return those outside the map."""
    unique: dict[str, Tag] = {}
    strays: list[Tag] = []
    for tag in getattr(article, "tags", None) or []:
        key = resolver.resolve(str(tag))
        if key is None:
            strays.append(tag)
        # « savoir-être, soft skills » is one tag. Not `in` a list: Pelican's tags are equal
        # when their slugs are, and a stray tag with a mapped tag's slug is another tag.
        identity = fold(str(tag)) if key is None else f"[tags.{key}]"
        unique.setdefault(identity, tag if key is None else canonical[key])
    resolved = list(unique.values())
    if hasattr(article, "tags"):
        article.tags = resolved
        article.metadata["tags"] = resolved
    return strays


def warn_strays(article, strays: list[Tag], source: str, clashing: set[str]) -> None:
    for tag in strays:
        if tag.slug in clashing:
            continue  # already in the error about its page
        logger.warning(
            "tag_map: %s: the tag « %s » is not in the tag map %s; add a [tags.<key>] table for it, "
            "or add « %s » to the aliases of the tag it means",
            article.relative_source_path,
            tag,
            source,
            tag,
        )


def written_tags(articles, tag_map: TagMap | None) -> list[WrittenTag]:
    """Each tag of each article, as the collision check sees it."""
    written = []
    for article in articles:
        place = article.relative_source_path
        line = tags_line(getattr(article, "source_path", "") or "")
        for tag in getattr(article, "tags", None) or []:
            key = getattr(tag, "key", None)
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


def report_collisions(articles, tag_map: TagMap | None, source: str | None) -> set[str]:
    """One error for every page that two different tags would write (it fails the build);
    returns the slugs concerned."""
    collisions = find_collisions(written_tags(articles, tag_map))
    if collisions:
        logger.error("tag_map: %s", "\n".join(describe(collision, source) for collision in collisions))
    return {tag.slug for collision in collisions for tag, _ in collision.tags}


def resolve_tags(generator) -> None:
    path = map_path(generator.settings)
    listed = [*generator.articles, *generator.translations, *generator.hidden_articles]
    try:
        tag_map = load_map(path)
    except TagMapError as error:
        # One error per problem, at its line: the build is refused until the map is fixed.
        for problem in error.problems:
            logger.error(
                "tag_map: %s:%s: %s",
                path,
                problem.line or "",
                problem.message,
                extra={"finding": map_finding(str(path), problem.line, problem.message)},
            )
        report_collisions(listed, None, str(path))
        return
    if tag_map is None:
        logger.debug("tag_map: no %s; tags stay as the articles write them", path)
        report_collisions(listed, None, None)
        return
    build = TagMapBuild(tag_map, canonical_tags(tag_map, generator.settings))
    resolver = tag_map.resolver()
    strays = {id(article): resolve_article(article, resolver, build.tags) for article in listed}
    # A draft is work in progress: its tags resolve, but it is checked once published.
    for article in [*generator.drafts, *generator.drafts_translations, *generator.hidden_translations]:
        resolve_article(article, resolver, build.tags)
    # The clashes first: with --strict the first warning stops the build, and a stray tag that
    # takes over a mapped tag's page is more than « not in the tag map ».
    clashing = report_collisions(listed, tag_map, str(path))
    for article in listed:
        warn_strays(article, strays[id(article)], str(path), clashing)
    used = {getattr(tag, "key", None) for a in generator.articles for tag in getattr(a, "tags", [])}
    report_unused(tag_map, [key for key in tag_map.tags if key not in used])
    generator.context[BUILD_KEY] = build


def map_finding(source: str, line: int | None, message: str) -> tuple:
    """The build's finding (plugins/article_review's Finding, as a plain tuple)."""
    fix = f"corrigez {source} : la construction est refusée tant que la carte ne peut pas servir"
    return (
        "erreur",
        source,
        line,
        "carte des étiquettes",
        f"carte des étiquettes inutilisable : {message}",
        fix,
    )


def report_unused(tag_map: TagMap, unused: list[str]) -> None:
    """An entry that no article uses is not an error (it may be waiting for an article),
    so it must not fail a strict build; it is still said, in the build's summary."""
    for key in unused:
        entry = tag_map.tags[key]
        logger.info(
            "tag_map: %s:%s: [tags.%s] « %s » ne sert à aucun article ; sans page tant qu’aucun ne l’a",
            tag_map.source,
            entry.line,
            key,
            entry.fr,
        )
    if unused:
        console.print(
            f"tag_map : {len(unused)} étiquette(s) de {tag_map.source} sans article, donc sans page : "
            + ", ".join(unused),
            markup=False,
            soft_wrap=True,  # one line, as the build's other notices: never cut by the terminal
        )


def add_generator(pelican):
    return TagMapGenerator


def register():
    # article_generator_pretaxonomy: articles are read and Pelican has not yet grouped them
    # by tag, so its tag pages and feeds are built from the canonical tags.
    signals.article_generator_pretaxonomy.connect(resolve_tags)
    # get_generators: the English pages and tagmap.json are written like Pelican's own pages.
    signals.get_generators.connect(add_generator)
