"""What our plugins add to Pelican's articles and tags, and what they share in the context: declared once.

Articles: every `Article` carries every field of `ArticleAttributes`, set by the plugin named in its
comment, else its default. Each plugin that sets or reads one calls `register()` from its own
register(); the defaults are given at content_object_init only where no plugin set the attribute
(so the order of handlers does not matter), and `article.resume_html` can be read without the
résumé plugin.

Tags: the tag map's canonical tags are Pelican `Tag`s with the attributes of `MapTag`; a tag
outside the map (every tag, without the tag map) has none of them, which the theme tells apart
with `tag.en_url is defined` and the code with `is_map_tag`. `tag_key` and `search_terms` read both.

Context: the tag map's decisions for this build, under `TAG_MAP_BUILD` (`tag_map_build(context)`).
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from typing import TYPE_CHECKING, Any, Protocol, TypeGuard

from pelican import signals
from pelican.contents import Article
from pelican.urlwrappers import Tag

if TYPE_CHECKING:
    # Names for the types only: the résumé and the tag map rooms build on these declarations,
    # so at run time this room imports neither (README « Project layout »).
    from carnet.resume.parsing import Problem
    from carnet.tagmap.mapfile import Group, TagMap


@dataclass
class ArticleAttributes:
    """What our plugins add to every article, with its value when their plugin is not loaded."""

    # plugins/resume
    resume_html: str = ""  # the « Cet article en résumé » block; "" when the article has none
    # <meta name="description">: the résumé's text, else the first paragraph's; the theme
    # falls back on the summary when it is "" (without the résumé plugin)
    description_text: str = ""
    resume_origin: str = ""  # the line under the block: « Résumé de Claire »
    resume_problems: list[Problem] = field(default_factory=list)  # said by plugins/article_review
    # plugins/article_metadata
    date_unknown: bool = False  # the source gives no date: `date` is UNKNOWN_DATE, never shown
    prev_article: Article | None = None  # older neighbour, for the navigation under the article
    next_article: Article | None = None  # newer neighbour
    # the addresses of its tags, category and authors that have no page: Pelican makes them
    # from the listed articles only, so a translation's, a hidden article's or a draft's own
    # are shown without a link
    without_page: frozenset[str] = frozenset()
    # plugins/related: « À lire aussi », the closest articles, set once every article is read
    related_articles: list[Article] = field(default_factory=list)


def give_defaults(instance) -> None:
    if not isinstance(instance, Article):
        return
    for declared in fields(ArticleAttributes):
        if declared.name not in instance.__dict__:
            value = declared.default_factory() if declared.default is MISSING else declared.default
            setattr(instance, declared.name, value)


def register() -> None:
    """Connected once however many plugins call it (blinker keeps one connection per receiver)."""
    # content_object_init: the article exists; no generator or template has read it yet.
    signals.content_object_init.connect(give_defaults)


class MapTag(Protocol):
    """A tag of the tag map: Pelican's `Tag`, named and slugged in French, with these attributes
    (set by plugins/tag_map). `is_map_tag(tag)` tells it from a tag outside the map."""

    key: str  # its [tags.<key>] table in tagmap.toml
    group: Group
    en_label: str
    en_url: str
    en_save_as: str
    description_fr: str
    description_en: str
    search_terms: list[str]  # its other names (English label, aliases), for the search index
    count: int  # the articles that carry it, set once Pelican has grouped them
    articles: list[Article]
    related: list[tuple[Tag, int]]  # tags that share articles with it, and how many


def is_map_tag(tag: Tag) -> TypeGuard[MapTag]:
    # plugins/tag_map gives a tag every attribute of MapTag at once (carnet/tagmap/resolution.py);
    # one look is enough, where isinstance with a runtime Protocol took 20 µs a tag.
    return "key" in vars(tag)


def tag_key(tag: Tag) -> str | None:
    """The tag's key in the tag map; None for a tag outside it."""
    return tag.key if is_map_tag(tag) else None


def search_terms(tag: Tag) -> list[str]:
    """The tag's other names, for the search index."""
    return tag.search_terms if is_map_tag(tag) else []


def every_article(generator) -> list[Article]:
    """Every article an ArticlesGenerator holds, hidden ones, drafts (online under /brouillons/)
    and translations included: what a pass over their HTML must see."""
    return [
        *generator.articles,
        *generator.translations,
        *generator.hidden_articles,
        *generator.hidden_translations,
        *generator.drafts,
        *generator.drafts_translations,
    ]


def article_tags(article) -> list[Tag]:
    """Pelican gives an article a `tags` attribute only when its header has tags."""
    return article.metadata.get("tags") or []


# The context key under which plugins/tag_map leaves its build, for its generator and search.
# Pelican makes a new context for every run, so nothing of one build survives into the next.
TAG_MAP_BUILD = "tag_map_build"


@dataclass
class TagMapBuild:
    """The map of this build and its canonical tags, by key."""

    tag_map: TagMap
    tags: dict[str, Tag]  # each one a MapTag


def tag_map_build(context: dict[str, Any]) -> TagMapBuild | None:
    """None when the tag map is not loaded, or has no usable map file."""
    return context.get(TAG_MAP_BUILD)
