"""Pelican glue: each article page ends with « À lire aussi », the articles closest to it.

The choice: carnet/search/related.py; the terms kept from one build to the next:
carnet/builds/related_terms.py. The articles' texts are the index's documents, made once
per build for both (carnet/search/site_documents.py).
"""

from pelican import signals

from carnet.articles import attributes
from carnet.builds.related_terms import KeptRelatedness
from carnet.search.related import update
from carnet.search.site_documents import build_documents

DEFAULTS = {
    "SEARCH_RELATED_COUNT": 3,  # articles listed under each article
}


def add_related(generator) -> None:
    settings = generator.settings
    articles = generator.articles
    documents = build_documents(generator.context, articles)
    kept = KeptRelatedness(settings)
    count = settings.get("SEARCH_RELATED_COUNT", DEFAULTS["SEARCH_RELATED_COUNT"])
    relatedness = update(kept.previous, documents, count, kept.store)
    # Saved at once: it says what it was made of, so it stays true even if the build fails.
    kept.save(relatedness)
    related = relatedness.by_url()
    # Each address once: until the output starts, Pelican formats it again at every access.
    urls = [article.url for article in articles]
    by_url = dict(zip(urls, articles, strict=True))
    for url, article in zip(urls, articles, strict=True):
        article.related_articles = [by_url[other] for other in related.get(url, []) if other in by_url]


def register():
    attributes.register()  # the documents read the résumé's and the date's attributes
    # article_generator_finalized: every article is read and rendered, no page is written yet,
    # so the lists still reach the article pages.
    signals.article_generator_finalized.connect(add_related)
