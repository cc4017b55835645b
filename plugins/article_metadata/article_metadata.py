"""Pelican glue: give undated articles an honest place (their problems: plugins/article_review)."""

from pelican import signals
from pelican.contents import Article

from carnet.articles import attributes
from carnet.articles.metadata import UNKNOWN_DATE, undated_feed_item

# In the context, for this build: the URL of each undated article that has a `modified` date, with it.
UNDATED_KEY = "article_metadata_undated"


def check_article(instance) -> None:
    if not isinstance(instance, Article):
        return
    instance.date_unknown = "date" not in instance.metadata
    if instance.date_unknown:
        instance.date = UNKNOWN_DATE


def remember_undated(generator) -> None:
    generator.context[UNDATED_KEY] = {
        article.url: article.modified  # Pelican sets `modified` only from the header's `Modified:`
        for article in generator.articles
        if article.date_unknown and hasattr(article, "modified")
    }


def link_neighbours(generator) -> None:
    """Previous (older) and next (newer) article, for the navigation under each article."""
    articles = generator.articles  # newest first
    for position, article in enumerate(articles):
        article.prev_article = articles[position + 1] if position + 1 < len(articles) else None
        article.next_article = articles[position - 1] if position > 0 else None


def mark_groups_without_page(generator) -> None:
    """On the articles that are written but not listed, which of their tags, category and
    authors have no page (only the listed articles make them)."""
    with_page = {tag.url for tag in generator.tags}
    with_page.update(group.url for group, _ in generator.categories)
    with_page.update(group.url for group, _ in generator.authors)
    unlisted = (
        "translations",
        "hidden_articles",
        "hidden_translations",
        "drafts",
        "drafts_translations",
    )
    for name in unlisted:
        for article in getattr(generator, name, []):
            groups = [*getattr(article, "tags", []), *getattr(article, "authors", [])]
            if getattr(article, "category", None) is not None:
                groups.append(article.category)
            article.without_page = frozenset(group.url for group in groups if group.url not in with_page)


def fix_undated_feed_items(context, feed) -> None:
    for item in feed.items:
        undated_feed_item(item, context.get(UNDATED_KEY, {}))


def register():
    attributes.register()
    # content_object_init: the article exists but Pelican has not yet rejected it for lacking a date.
    signals.content_object_init.connect(check_article)
    # article_generator_finalized: URLs are final, feeds are not yet written.
    signals.article_generator_finalized.connect(remember_undated)
    signals.article_generator_finalized.connect(link_neighbours)
    signals.article_generator_finalized.connect(mark_groups_without_page)
    # feed_generated: the last moment to correct an entry before it is written.
    signals.feed_generated.connect(fix_undated_feed_items)
