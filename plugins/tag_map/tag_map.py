"""Pelican glue: every tag an author writes resolves through the map to one canonical tag
(carnet/tagmap/resolution.py); the map's own pages come from its generator."""

import logging

from pelican import signals
from pelican.log import console
from pelican.urlwrappers import Tag

from carnet.articles import attributes
from carnet.articles.attributes import TAG_MAP_BUILD, TagMapBuild, article_tags, tag_key
from carnet.tagmap.collisions import describe, find_collisions
from carnet.tagmap.config import map_path
from carnet.tagmap.mapfile import TagMap, TagMapError, load_map
from carnet.tagmap.resolution import canonical_tags, resolve_article, written_tags

from .generator import TagMapGenerator

logger = logging.getLogger(__name__)


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


def report_collisions(articles, tag_map: TagMap | None, source: str | None) -> set[str]:
    """One error for every page that two different tags would write (it fails the build);
    returns the slugs concerned."""
    # The `Tags:` lines are looked up only to say a collision: reading every article's header
    # for them took 0.2 s of each build at 5 000 articles.
    collisions = find_collisions(written_tags(articles, tag_map, with_lines=False))
    if collisions:
        collisions = find_collisions(written_tags(articles, tag_map))
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
    used = {tag_key(tag) for a in generator.articles for tag in article_tags(a)}
    report_unused(tag_map, [key for key in tag_map.tags if key not in used])
    generator.context[TAG_MAP_BUILD] = build


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
    attributes.register()
    # article_generator_pretaxonomy: articles are read and Pelican has not yet grouped them
    # by tag, so its tag pages and feeds are built from the canonical tags.
    signals.article_generator_pretaxonomy.connect(resolve_tags)
    # get_generators: the English pages and tagmap.json are written like Pelican's own pages.
    signals.get_generators.connect(add_generator)
