"""A build's articles as the index holds them, made once per build and shared.

The index (plugins/search) and « À lire aussi » (plugins/related) both need every article's
text: taking it out of the HTML costs seconds at 5 000 articles, so the documents are made
once, by whichever plugin asks first, and kept in the build's context under `DOCUMENTS`.
(Apart from documents.py: the index process imports that one, and must not import Pelican.)
"""

from slugify import slugify

from .analysis import fold
from .documents import SearchDocument, html_to_text

# The context key of this build's documents: Pelican makes a new context for every run,
# so nothing of one build survives into the next.
DOCUMENTS = "search_documents"


def build_documents(context: dict, articles) -> list[SearchDocument]:
    """The documents of `articles` (the published ones, once every article is read)."""
    documents = context.get(DOCUMENTS)
    if documents is None:
        documents = context[DOCUMENTS] = [document_for(article) for article in articles]
    return documents


def tag_forms(tag) -> tuple[str, list[str]]:
    """A tag's key and every way of writing it. The tag map, when present, adds
    English labels and aliases to its tags; a plain Pelican tag has its name."""
    key = getattr(tag, "key", None) or tag.slug
    forms = [str(tag), *getattr(tag, "search_terms", [])]
    return key, forms


def document_for(article) -> SearchDocument:
    keys, forms = [], []
    for tag in getattr(article, "tags", []):
        key, tag_names = tag_forms(tag)
        keys.append(key)
        forms.extend(tag_names[1:])
    return SearchDocument(
        url=article.url,
        title=article.title,
        body=html_to_text(article.content),
        resume=getattr(article, "description_text", "") if getattr(article, "resume_html", "") else "",
        tags=[str(tag) for tag in getattr(article, "tags", [])],
        tag_keys=keys,
        tag_terms=forms,
        author=str(getattr(article, "author", "")),
        category=str(getattr(article, "category", "")),
        date=None if getattr(article, "date_unknown", False) else article.date,
    )


def mapped_tag_forms(context) -> dict[str, list[str]]:
    """Every tag of the tag map, used or not, with all its names (French label first),
    for the search's expansion across languages; empty without a tag map."""
    build = context.get("tag_map_build")  # plugins/tag_map/config.py BUILD_KEY
    forms = {}
    for tag in getattr(build, "tags", {}).values():
        key, names = tag_forms(tag)
        forms[key] = names
    return forms


def tag_names(articles) -> dict[str, str]:
    """Every way of writing each tag of `articles` (folded, slugified) → the tag's key."""
    names = {}
    # Each tag object's names are worked out once: thousands of articles share a few dozen
    # tags (by identity: the articles keep every tag alive while this runs).
    known: dict[int, list[tuple[str, str]]] = {}
    for article in articles:
        for tag in getattr(article, "tags", []):
            if id(tag) not in known:
                key, forms = tag_forms(tag)
                known[id(tag)] = [
                    (name, key) for form in [*forms, tag.slug, key] for name in (fold(form), slugify(form))
                ]
            names.update(known[id(tag)])
    return names
