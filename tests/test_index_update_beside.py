"""An edit's index update runs in a forked copy of the build while the pages are written (from
SEARCH_BACKGROUND_FROM articles on); in the build's own process when threads run beside the
build (livereload's server) or the archive is small."""

import os
import threading

import pytest

from carnet.builds import index_update
from tests.test_incremental import Workspace, found


@pytest.fixture
def space(tmp_path, monkeypatch):
    space = Workspace(tmp_path)
    space.overrides["SEARCH_BACKGROUND_FROM"] = 10  # its 30 articles make a large archive
    space.build(space.incremental)
    record = tmp_path / "updated-in.txt"
    real = index_update.update_copy

    def recorded(*args):
        record.write_text(str(os.getpid()), "utf-8")
        return real(*args)

    monkeypatch.setattr(index_update, "update_copy", recorded)
    space.updated_in = lambda: int(record.read_text("utf-8"))
    return space


def edit(space: Workspace, word: str) -> None:
    path = space.article("perdre-des-clients.md")
    path.write_text(path.read_text("utf-8").replace("\n\n", f"\n\nLe mot {word} arrive.\n\n", 1), "utf-8")


def test_an_edits_index_is_brought_up_to_date_beside_the_build(space, monkeypatch):
    # As in `invoke build`'s process: no other thread (others in the test session may have left one).
    monkeypatch.setattr(index_update, "only_thread", lambda: True)
    edit(space, "zanzibar")
    space.rebuild_and_compare()  # the pages and the index as a clean build's
    assert space.updated_in() != os.getpid()
    assert found(space.incremental, "zanzibar") == ["perdre-des-clients/"]


def test_beside_threads_the_update_stays_in_the_build_process(space):
    release = threading.Event()
    server = threading.Thread(target=release.wait)
    server.start()
    try:
        edit(space, "tombouctou")
        space.rebuild_and_compare()
    finally:
        release.set()
        server.join()
    assert space.updated_in() == os.getpid()
    assert found(space.incremental, "tombouctou") == ["perdre-des-clients/"]


def test_a_small_archive_is_updated_in_the_build_process(space):
    space.overrides.pop("SEARCH_BACKGROUND_FROM")  # 200: its 30 articles are few
    edit(space, "ouagadougou")
    space.rebuild_and_compare()
    assert space.updated_in() == os.getpid()


def test_a_copy_that_dies_leaves_the_index_to_the_build(space, monkeypatch):
    monkeypatch.setattr(index_update, "only_thread", lambda: True)
    build_process, real = os.getpid(), index_update.update_copy

    def dying(*args):
        if os.getpid() != build_process:
            os._exit(3)  # as if killed, sending nothing back
        return real(*args)

    monkeypatch.setattr(index_update, "update_copy", dying)
    edit(space, "valparaiso")
    space.rebuild_and_compare()
    assert found(space.incremental, "valparaiso") == ["perdre-des-clients/"]
