"""Reading an article's `Date:` and `Modified:`: ISO as Pelican reads it, and French in words."""

import re
from datetime import datetime

from pelican.utils import get_date

from carnet.text.dates import read_french_date

ACCEPTED_FORMS = "2015-03-03, 2015-03-03 10:30, 03/03/2015, 3 mars 2015, mardi 3 mars 2015 10:30"
# Year first: Pelican's reading. Anything else is French (« 03/04/2015 » is the 3rd of April,
# which Pelican's reader would take for the 4th of March).
_ISO = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}")
# Day, month and year in figures. dateparser swaps day and month when the month is over 12:
# « 03/13/2015 » is no date here (the README's form is day first), not the 13th of March.
_FIGURES = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}\b")


def read_date(value: str) -> datetime | None:
    """The date `value` gives, or None when it cannot be read as a whole."""
    value = str(value).strip().replace("_", " ")
    if not value:
        return None
    if _ISO.match(value):
        try:
            return get_date(value)
        except (ValueError, OverflowError):
            return None
    if len(value) > 60 or not any(char.isdigit() for char in value):
        return None
    found = read_french_date(value)
    if found is None or not 1000 < found[0].year < 3000:
        return None
    figures = _FIGURES.match(value)
    if figures and (found[0].day, found[0].month) != (int(figures[1]), int(figures[2])):
        return None
    return found[0]
