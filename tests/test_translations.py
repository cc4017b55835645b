"""carnet/builds/translations.py gives what Pelican's own process_translations gives: the same
originals and translations in the same order, the same `translations` on each content and
the same warnings, for any mix of slugs, languages and `translation` metadata."""

import datetime
import logging

import pelican.utils
from hypothesis import given, settings
from hypothesis import strategies as st
from pelican.contents import Article
from pelican.log import LimitFilter
from pelican.settings import DEFAULT_CONFIG

from carnet.builds.translations import process_translations

SETTINGS = {**DEFAULT_CONFIG, "DEFAULT_LANG": "fr"}

entries = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "c", "d"]),  # slug
        st.sampled_from(["fr", "en", "de"]),  # lang
        st.sampled_from([None, "true", "false", "True"]),  # the `translation` metadata
    ),
    max_size=14,
)


def contents(specs) -> list[Article]:
    made = []
    for number, (slug, lang, translation) in enumerate(specs):
        metadata = {"title": f"T{number}", "slug": slug, "lang": lang, "date": datetime.datetime(2020, 1, 1)}
        if translation is not None:
            metadata["translation"] = translation
        made.append(Article("texte", metadata=metadata, settings=SETTINGS, source_path=f"/c/{number}.md"))
    return made


class Heard(logging.Handler):
    def __init__(self):
        super().__init__()
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def run(function, items, translation_id):
    # Pelican's log filter drops a warning already given: each run must hear its own.
    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()
    heard = Heard()
    logger = logging.getLogger("pelican.utils")
    logger.addHandler(heard)
    try:
        index, translations = function(items, translation_id)
    finally:
        logger.removeHandler(heard)
    numbers = {id(item): item.source_path for item in items}
    shown = {item.source_path: [numbers[id(other)] for other in item.translations] for item in items}
    return (
        [item.source_path for item in index],
        [item.source_path for item in translations],
        [item.source_path for item in items],  # sorted in place, as Pelican sorts
        shown,
        heard.messages,
    )


@settings(max_examples=300, deadline=None)
@given(entries, st.sampled_from(["slug", ("slug", "lang"), None, ""]))
def test_the_same_as_pelicans(specs, translation_id):
    assert run(process_translations, contents(specs), translation_id) == run(
        pelican.utils.process_translations, contents(specs), translation_id
    )


def test_pelicans_generators_call_it(monkeypatch):
    import pelican.generators

    original = pelican.utils.process_translations
    monkeypatch.setattr(pelican.generators, "process_translations", original)
    from plugins.incremental import incremental

    incremental.register()  # as Pelican loads the plugin
    assert pelican.generators.process_translations is process_translations
