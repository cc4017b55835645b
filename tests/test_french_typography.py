"""French dates and spacing, without building a site."""

import datetime
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from carnet.text.dates import LONG_DATE, SHORT_DATE, french_date, french_short_date
from carnet.text.spacing import NARROW_NBSP, NBSP, french_spacing, french_spacing_html


def test_long_date_reads_as_a_french_blog_writes_it():
    assert french_date(datetime.date(2009, 4, 16)) == "jeudi 16 avril 2009"
    assert french_date(datetime.datetime(2006, 2, 22, 10, 30)) == "mercredi 22 février 2006"
    assert french_date(datetime.date(2020, 8, 1)) == "samedi 1 août 2020"


def test_an_iso_date_as_the_search_index_stores_it_reads_the_same():
    # The search service's results print the index's ISO dates through this same function.
    assert french_date("2009-04-16") == french_date(datetime.date(2009, 4, 16)) == "jeudi 16 avril 2009"


@settings(max_examples=300, deadline=None)
@given(
    st.datetimes(min_value=datetime.datetime(1900, 1, 1), max_value=datetime.datetime(2100, 1, 1)),
    st.sampled_from([None, datetime.UTC, datetime.timezone(datetime.timedelta(hours=-10))]),
    st.sampled_from([LONG_DATE, SHORT_DATE]),
)
def test_kept_dates_are_the_dates_babel_writes(moment, zone, pattern):
    """Formatted once per value: equal instants in other zones, naive or not, each get their own."""
    from babel.dates import format_date, format_datetime

    value = moment if zone is None else moment.replace(tzinfo=zone)
    for shown in (value, value.date(), value.astimezone(datetime.UTC) if zone else value):
        expected = (
            format_datetime(shown, pattern, locale="fr_FR")
            if isinstance(shown, datetime.datetime)
            else format_date(shown, pattern, locale="fr_FR")
        )
        assert french_date(shown, pattern) == expected


def test_short_date():
    assert french_short_date(datetime.date(2026, 11, 22)) == "22 novembre 2026"


def test_spaces_before_high_punctuation_become_no_break():
    assert french_spacing("Vraiment ? Oui ! Ainsi ; voici : « fin »") == (
        f"Vraiment{NARROW_NBSP}? Oui{NARROW_NBSP}! Ainsi{NARROW_NBSP}; voici{NBSP}: «{NBSP}fin{NARROW_NBSP}»"
    )


def test_spacing_adds_nothing_where_the_author_put_no_space():
    for text in ["http://exemple.fr", "10:30", "Quoi?", "«mot»", "a;b"]:
        assert french_spacing(text) == text


def test_html_spacing_leaves_markup_and_code_alone():
    html = '<p>Quoi ? <a href="http://x.fr/?a=1">lien !</a></p><pre><code>x = a ? b : c</code></pre>'
    spaced = french_spacing_html(html)
    assert f"Quoi{NARROW_NBSP}?" in spaced
    assert f"lien{NARROW_NBSP}!" in spaced
    assert 'href="http://x.fr/?a=1"' in spaced
    assert "x = a ? b : c" in spaced


# The rule as it reads (and as it was written before it was read backwards, for speed).
SPACES = "[ \u00a0\u202f]+"
RULE = [(re.compile(SPACES + "(?=[;!?»])"), NARROW_NBSP), (re.compile(SPACES + "(?=:)"), NBSP)]
RULE.append((re.compile("(?<=«)" + SPACES), NBSP))


def spaced_by_the_rule(text: str) -> str:
    for pattern, space in RULE:
        text = pattern.sub(space, text)
    return text


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from([" ", "  ", NBSP, NARROW_NBSP, ";", ":", "!", "?", "«", "»", "a", "\n"])).map(
        "".join
    )
)
def test_spacing_read_backwards_follows_the_rule(text):
    assert french_spacing(text) == spaced_by_the_rule(text)


def test_spacing_of_a_guillemet_before_a_mark():
    # Both rules reach the space of « « ? »: the guillemet's comes last.
    assert french_spacing("« ? »") == f"«{NBSP}?{NARROW_NBSP}»"
    assert french_spacing("Il dit : « Quoi ?! »") == f"Il dit{NBSP}: «{NBSP}Quoi{NARROW_NBSP}?!{NARROW_NBSP}»"


def test_html_without_punctuation_is_returned_unchanged():
    html = "<p>Rien à faire</p>"
    assert french_spacing_html(html) is html


def test_a_french_date_is_read_whole_and_says_whether_it_has_a_time():
    # One reading for the importer and for the review of `Date:` (carnet/text/dates.py).
    from carnet.text.dates import read_french_date

    assert read_french_date("jeudi 16 avril 2009") == (datetime.datetime(2009, 4, 16), False)
    assert read_french_date("03/04/2015 10:30") == (datetime.datetime(2015, 4, 3, 10, 30), True)
    assert read_french_date("avril 2009") is None  # no day: not a date to publish
    assert read_french_date("hier") is None  # relative: says nothing of the article
    # Written and read back, the long form gives the same day.
    assert read_french_date(french_date(datetime.date(2020, 8, 1)))[0].date() == datetime.date(2020, 8, 1)
