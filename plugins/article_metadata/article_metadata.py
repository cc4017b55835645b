"""Pelican glue: give undated articles an honest place (their problems: plugins/article_review)."""

from urllib.parse import urlparse

from feedgenerator import get_tag_uri
from pelican import signals
from pelican.contents import Article

from carnet.articles.metadata import UNKNOWN_DATE

# Feed links of undated articles, collected per build and reset at `finalized`.
_undated_links: dict[str, object] = {}


def check_article(instance) -> None:
    if not isinstance(instance, Article):
        return
    instance.date_unknown = "date" not in instance.metadata
    if instance.date_unknown:
        instance.date = UNKNOWN_DATE


def remember_undated(generator) -> None:
    for article in generator.articles:
        if article.date_unknown:
            _undated_links[article.url] = getattr(article, "modified", None)


def link_neighbours(generator) -> None:
    """Previous (older) and next (newer) article, for the navigation under each article."""
    articles = generator.articles  # newest first
    for position, article in enumerate(articles):
        article.prev_article = articles[position + 1] if position + 1 < len(articles) else None
        article.next_article = articles[position - 1] if position > 0 else None


def fix_undated_feed_items(context, feed) -> None:
    """An Atom entry needs `updated` but must not claim a publication date that
    the source never gave: use the date of this edition instead."""
    for item in feed.items:
        path = urlparse(item["link"]).path
        for url, modified in _undated_links.items():
            if modified is not None and path.endswith("/" + url):
                item["pubdate"] = None
                item["updateddate"] = modified
                item["unique_id"] = get_tag_uri(item["link"], modified)
                break


def reset(pelican) -> None:
    _undated_links.clear()


def register():
    # content_object_init: the article exists but Pelican has not yet rejected it for lacking a date.
    signals.content_object_init.connect(check_article)
    # article_generator_finalized: URLs are final, feeds are not yet written.
    signals.article_generator_finalized.connect(remember_undated)
    signals.article_generator_finalized.connect(link_neighbours)
    # feed_generated: the last moment to correct an entry before it is written.
    signals.feed_generated.connect(fix_undated_feed_items)
    signals.finalized.connect(reset)
