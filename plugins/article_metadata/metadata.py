"""Which metadata an article lacks, and how an article without a known date is placed."""

from collections.abc import Iterable, Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

# An article whose source gives no date still needs a place in date order:
# this sentinel puts it after every dated article and is never shown.
UNKNOWN_DATE = datetime(1900, 1, 1, tzinfo=ZoneInfo("UTC"))


def missing_metadata(metadata: Mapping[str, object], required: Iterable[str]) -> list[str]:
    """Return the required keys that are absent or empty, in the order asked."""
    missing = []
    for key in required:
        value = metadata.get(key)
        if isinstance(value, str):
            value = value.strip()
        if value is None or (hasattr(value, "__len__") and len(value) == 0):
            missing.append(key)
    return missing
