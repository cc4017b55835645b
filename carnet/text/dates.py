"""French dates: written through Babel, so that no system locale has to be installed, and
read through dateparser, as the importer and the review of `Date:` both read them."""

import functools
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
    # Equal datetimes may be in different time zones (one instant, two days): the zone and the
    # written date are part of the key.
    return _formatted(value, type(value), value.isoformat(), str(getattr(value, "tzinfo", None)), pattern)


@functools.lru_cache(maxsize=100_000)
def _formatted(value: date | datetime, kind: type, written: str, zone: str, pattern: str) -> str:
    """Babel parses its locale and pattern at each call, and each article's date is shown on
    its page and on every listing of it: 2 s of a full build at 5 000 articles, once each now."""
    if isinstance(value, datetime):
        return format_datetime(value, pattern, locale=LOCALE)
    return format_date(value, pattern, locale=LOCALE)


def french_short_date(value: date | datetime) -> str:
    return french_date(value, SHORT_DATE)


# A full date, never a relative one: what the importer finds in a scrape and what an author
# writes in `Date:` are read alike.
_READING = {
    "DATE_ORDER": "DMY",  # « 03/04/2015 » is the 3rd of April
    "REQUIRE_PARTS": ["day", "month", "year"],  # « avril 2009 » is not a date to publish
    "PREFER_DAY_OF_MONTH": "first",
    "RETURN_AS_TIMEZONE_AWARE": False,
    "RETURN_TIME_AS_PERIOD": True,  # tells « 10:30 » given from no time given
    "PARSERS": ["absolute-time"],  # « hier », « il y a 3 jours » say nothing of the article
}


@functools.cache
def _french_reader():
    from dateparser.date import DateDataParser  # its import costs a tenth of a second

    return DateDataParser(languages=["fr"], settings=_READING)


def read_french_date(text: str) -> tuple[datetime, bool] | None:
    """The date that the whole of `text` gives (« jeudi 16 avril 2009 », « 03/04/2015
    10:30 »), and whether it gives a time too; None when it is not a full date."""
    data = _french_reader().get_date_data(text)
    if data.date_obj is None:
        return None
    return data.date_obj, data.period == "time"
