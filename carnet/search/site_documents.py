"""A build's articles as the index holds them, made once per build and shared.

The index (plugins/search) and « À lire aussi » (plugins/related) both need every article's
text: taking it out of the HTML costs seconds at 5 000 articles, so the documents are made
once, by whichever plugin asks first, and kept in the build's context under `DOCUMENTS`.
(Apart from documents.py: the index process imports that one, and must not import Pelican.)
"""

import hashlib

from slugify import slugify

from carnet.articles.attributes import article_tags, search_terms, tag_key, tag_map_build

from .analysis import fold
from .documents import TEXT_RULES_KEY, SearchDocument, html_to_text
from .indexing import load_texts

# The context key of this build's documents: Pelican makes a new context for every run,
# so nothing of one build survives into the next.
DOCUMENTS = "search_documents"


def build_documents(context: dict, articles) -> list[SearchDocument]:
    """The documents of `articles` (the published ones, once every article is read).

    An incremental build takes the text of each HTML unchanged since the live build from
    that build's index (its TEXTS_FILE) instead of taking it out of the HTML again."""
    documents = context.get(DOCUMENTS)
    if documents is None:
        previous = context.get("SEARCH_PREVIOUS_INDEX_PATH")
        known = load_texts(previous) if previous else {}
        documents = context[DOCUMENTS] = [document_for(article, known) for article in articles]
    return documents


def html_digest(html: str) -> str:
    return hashlib.blake2b(html.encode(), digest_size=16, key=TEXT_RULES_KEY).hexdigest()


def tag_forms(tag) -> tuple[str, list[str]]:
    """A tag's key and every way of writing it. The tag map, when present, adds
    English labels and aliases to its tags; a plain Pelican tag has its name."""
    return tag_key(tag) or tag.slug, [str(tag), *search_terms(tag)]


def document_for(article, known_texts: dict[str, str] | None = None) -> SearchDocument:
    """`known_texts`: HTML digest → the text taken out of that HTML (by a previous build)."""
    # The HTML as read: `content` would resolve {attach} and {static} links now, before the
    # static files are known, and Pelican would keep that unresolved HTML for the page.
    html = article._content or ""
    source = html_digest(html)
    body = (known_texts or {}).get(source)
    if body is None:
        body = html_to_text(html)
    tags = article_tags(article)
    keys, forms = [], []
    for tag in tags:
        key, tag_names = tag_forms(tag)
        keys.append(key)
        forms.extend(tag_names[1:])
    return SearchDocument(
        url=article.url,
        title=article.title,
        body=body,
        resume=article.description_text if article.resume_html else "",
        tags=[str(tag) for tag in tags],
        tag_keys=keys,
        tag_terms=forms,
        # Pelican's own, absent when neither the header nor a setting (AUTHOR, DEFAULT_CATEGORY) gives one.
        author=str(getattr(article, "author", "")),
        category=str(getattr(article, "category", "")),
        date=None if article.date_unknown else article.date,
        source=source,
    )


def mapped_tag_forms(context) -> dict[str, list[str]]:
    """Every tag of the tag map, used or not, with all its names (French label first),
    for the search's expansion across languages; empty without a tag map."""
    build = tag_map_build(context)
    return dict(tag_forms(tag) for tag in build.tags.values()) if build is not None else {}


def tag_names(articles) -> dict[str, str]:
    """Every way of writing each tag of `articles` (folded, slugified) → the tag's key."""
    names = {}
    # Each tag object's names are worked out once: thousands of articles share a few dozen
    # tags (by identity: the articles keep every tag alive while this runs).
    known: dict[int, list[tuple[str, str]]] = {}
    for article in articles:
        for tag in article_tags(article):
            if id(tag) not in known:
                key, forms = tag_forms(tag)
                known[id(tag)] = [
                    (name, key) for form in [*forms, tag.slug, key] for name in (fold(form), slugify(form))
                ]
            names.update(known[id(tag)])
    return names
