"""How an article without a known date is placed (what it lacks: plugins/article_review)."""

from datetime import datetime
from zoneinfo import ZoneInfo

# An article whose source gives no date still needs a place in date order:
# this sentinel puts it after every dated article and is never shown.
UNKNOWN_DATE = datetime(1900, 1, 1, tzinfo=ZoneInfo("UTC"))
