"""tagmap.json: what the map page shows, for machines, with site-relative URLs."""

import json
from collections.abc import Sequence
from typing import Any

from .mapfile import TagEntry


def tag_record(
    entry: TagEntry,
    fr_url: str,
    en_url: str,
    articles: Sequence[str],
    related: Sequence[tuple[str, int]],
) -> dict[str, Any]:
    return {
        "key": entry.key,
        "group": entry.group,
        "fr": {"label": entry.fr, "url": fr_url},
        "en": {"label": entry.en, "url": en_url},
        "count": len(articles),
        "articles": list(articles),
        "related": [{"key": key, "weight": weight} for key, weight in related],
    }


def tagmap_json(page_url: str, records: Sequence[dict[str, Any]]) -> str:
    return json.dumps({"page": page_url, "tags": list(records)}, ensure_ascii=False, indent=2) + "\n"
