"""Pelican glue: an Atom entry's title is the article's title as written, as text.

Pelican reads a title as markup and strips its tags for the feed (`Markup(title).striptags()`),
so `Titre <script>alert('title')</script>` became `Titre alert('title')`: the feed lost words
the pages show. The title is text everywhere else (the theme escapes it), so the feed gets it
whole; feedgenerator escapes it in the XML.
"""

from urllib.parse import urlsplit

from pelican import signals


def entry_titles(articles, site_url: str) -> dict[str, str]:
    """The title of each article by the path of its feed link."""
    base = urlsplit(site_url).path.rstrip("/")
    return {f"{base}/{article.url}": article.title for article in articles}


def restore_titles(context, feed) -> None:
    articles = [*context.get("articles", []), *context.get("translations", [])]
    titles = entry_titles(articles, context.get("SITEURL", ""))  # what Pelican joins links to
    for item in feed.items:
        title = titles.get(urlsplit(item["link"]).path)  # the path: FEED_APPEND_REF adds ?ref=feed
        if title is not None:
            item["title"] = str(title)


def register():
    # feed_generated: every entry is added, nothing is written yet.
    signals.feed_generated.connect(restore_titles)
