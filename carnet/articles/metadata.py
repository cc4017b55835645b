"""How an article without a known date is placed, and dated in feeds (what it lacks: carnet/review)."""

from datetime import datetime
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from feedgenerator import get_tag_uri

# An article whose source gives no date still needs a place in date order:
# this sentinel puts it after every dated article and is never shown.
UNKNOWN_DATE = datetime(1900, 1, 1, tzinfo=ZoneInfo("UTC"))


def undated_feed_item(item: dict, undated: dict[str, datetime]) -> None:
    """An Atom entry needs `updated` but must not claim a publication date that the source
    never gave: an undated article's entry (`undated`: its URL, its `modified`) gets the date
    of this edition instead."""
    path = urlparse(item["link"]).path
    for url, modified in undated.items():
        if path.endswith("/" + url):
            item["pubdate"] = None
            item["updateddate"] = modified
            item["unique_id"] = get_tag_uri(item["link"], modified)
            return
