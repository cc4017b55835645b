"""French dates through Babel, so that no system locale has to be installed."""

from datetime import date, datetime

from babel.dates import format_date, format_datetime

LOCALE = "fr_FR"
# « jeudi 16 avril 2009 », as French blogs write a post's date.
LONG_DATE = "EEEE d MMMM y"
SHORT_DATE = "d MMMM y"


def french_date(value: date | datetime, pattern: str = LONG_DATE) -> str:
    if isinstance(value, datetime):
        return format_datetime(value, pattern, locale=LOCALE)
    return format_date(value, pattern, locale=LOCALE)


def french_short_date(value: date | datetime) -> str:
    return french_date(value, SHORT_DATE)
