"""French dates through Babel, so that no system locale has to be installed."""

from datetime import date, datetime

from babel.dates import format_date, format_datetime

LOCALE = "fr_FR"
# « jeudi 16 avril 2009 », as French blogs write a post's date.
LONG_DATE = "EEEE d MMMM y"
SHORT_DATE = "d MMMM y"


def french_date(value: date | datetime | str, pattern: str = LONG_DATE) -> str:
    """The date in French words; `value` may be an ISO date (« 2009-04-16 »), as the
    search index stores it."""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    if isinstance(value, datetime):
        return format_datetime(value, pattern, locale=LOCALE)
    return format_date(value, pattern, locale=LOCALE)


def french_short_date(value: date | datetime) -> str:
    return french_date(value, SHORT_DATE)
