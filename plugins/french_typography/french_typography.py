"""Pelican glue: French dates as Jinja filters, and French spacing in article text."""

from pelican import signals
from pelican.contents import Content
from pelican.readers import MarkdownReader

from carnet.text.dates import french_date, french_short_date
from carnet.text.languages import own_name
from carnet.text.markdown_spacing import FrenchSpacingExtension
from carnet.text.spacing import french_spacing, french_spacing_html


def add_filters(generator) -> None:
    generator.env.filters.update(
        date_fr=french_date,
        date_fr_court=french_short_date,
        espaces_fr=french_spacing,
        espaces_fr_html=french_spacing_html,
        nom_de_langue=own_name,
    )


def add_markdown_extension(pelican) -> None:
    """Markdown articles are spaced as they are converted (a copy of the setting is
    changed: the same settings module may serve several builds in one process)."""
    markdown = dict(pelican.settings.get("MARKDOWN", {}))
    extensions = list(markdown.get("extensions", []))
    if FrenchSpacingExtension() not in extensions:
        extensions.append(FrenchSpacingExtension())
    markdown["extensions"] = extensions
    pelican.settings["MARKDOWN"] = markdown


def space_content(instance: Content) -> None:
    """Content from other readers (HTML, reStructuredText) is spaced here instead."""
    # Content made by code has no source file: it is spaced here too.
    if instance._content and not (instance.source_path or "").endswith(
        tuple(f".{extension}" for extension in MarkdownReader.file_extensions)
    ):
        instance._content = french_spacing_html(instance._content)


def register():
    # initialized: the Markdown readers are not created yet and will read the setting.
    signals.initialized.connect(add_markdown_extension)
    # generator_init: each generator owns a Jinja environment; the theme needs the filters in all.
    signals.generator_init.connect(add_filters)
    # content_object_init: the HTML of other formats is read but not yet summarised or written.
    signals.content_object_init.connect(space_content)
