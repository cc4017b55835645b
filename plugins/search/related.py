"""« À lire aussi »: the articles most like each one, by the words of their body and tags."""

from collections import defaultdict

# Tags say what an article is about in few words: they count as much as the body.
_FIELDS = {"body": 1.0, "tags": 1.0}


def related_urls(index, count: int = 3) -> dict[str, list[str]]:
    """For every article URL, the URLs of the `count` most similar articles."""
    related: dict[str, list[str]] = {}
    with index.searcher() as searcher:
        for docnum, stored in searcher.iter_docs():
            scores: dict[str, float] = defaultdict(float)
            for name, weight in _FIELDS.items():
                text = stored.get("body") if name == "body" else stored.get("tag_text", "")
                if not text:
                    continue
                hits = searcher.more_like(docnum, name, text=text, top=count + 5, numterms=25)
                best = max((hit.score for hit in hits), default=0) or 1
                for hit in hits:
                    scores[hit["url"]] += weight * hit.score / best
            scores.pop(stored["url"], None)
            ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
            related[stored["url"]] = [url for url, _ in ranked[:count]]
    return related
