"""The build and the index collect cyclic garbage rarely (carnet/search/garbage.py): their full
collections went through the whole archive in memory again and again."""

import gc

import pytest
from pelican import signals

from carnet.search.garbage import ARCHIVE_THRESHOLDS, fewer_collections
from tests.sitebuild import article, build_test_site, tiny_content


def test_the_thresholds_are_set_inside_and_given_back_after_even_on_an_error():
    before = gc.get_threshold()
    assert before != ARCHIVE_THRESHOLDS
    inside = []

    def failing_build() -> None:
        with fewer_collections():
            inside.append(gc.get_threshold())
            raise RuntimeError("une erreur dans la construction")

    with pytest.raises(RuntimeError):
        failing_build()
    assert inside == [ARCHIVE_THRESHOLDS]
    assert gc.get_threshold() == before


def test_overlapping_builds_give_them_back_when_the_last_ends():
    # Two builds in two threads may end in either order: the last one gives them back.
    before = gc.get_threshold()
    first, second = fewer_collections(), fewer_collections()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert gc.get_threshold() == ARCHIVE_THRESHOLDS
    second.__exit__(None, None, None)
    assert gc.get_threshold() == before


def test_a_build_runs_with_them(tmp_path):
    seen = []

    def note(sender) -> None:
        seen.append(gc.get_threshold())

    signals.finalized.connect(note)
    try:
        build_test_site(tmp_path / "out", tiny_content(tmp_path, {"a.md": article("Un")}))
    finally:
        signals.finalized.disconnect(note)
    assert seen == [ARCHIVE_THRESHOLDS]
    assert gc.get_threshold() != ARCHIVE_THRESHOLDS


def test_a_finished_build_keeps_none_of_its_articles(tmp_path):
    # Pelican keeps each text it made (memoized, on the class), and through it the whole build:
    # livereload's session, which builds again at each save, grew by a build each time.
    import weakref

    kept = []

    def note(generator) -> None:
        kept.extend(weakref.ref(article) for article in generator.articles)

    signals.article_generator_finalized.connect(note)
    try:
        build_test_site(
            tmp_path / "out", tiny_content(tmp_path, {"a.md": article("Un"), "b.md": article("Deux")})
        )
    finally:
        signals.article_generator_finalized.disconnect(note)
    gc.collect()
    assert len(kept) == 2
    assert [ref() for ref in kept] == [None, None]
