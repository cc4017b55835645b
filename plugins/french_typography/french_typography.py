"""Pelican glue: French dates as Jinja filters, and French spacing in article text."""

from pelican import signals
from pelican.contents import Content

from .dates import french_date, french_short_date
from .spacing import french_spacing, french_spacing_html


def add_filters(generator) -> None:
    generator.env.filters.update(
        date_fr=french_date,
        date_fr_court=french_short_date,
        espaces_fr=french_spacing,
        espaces_fr_html=french_spacing_html,
    )


def space_content(instance: Content) -> None:
    if instance._content:
        instance._content = french_spacing_html(instance._content)


def register():
    # generator_init: each generator owns a Jinja environment; the theme needs the filters in all.
    signals.generator_init.connect(add_filters)
    # content_object_init: the HTML is read but not yet summarised or written.
    signals.content_object_init.connect(space_content)
