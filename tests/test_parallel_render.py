"""Pages rendered by two processes: the same site, byte for byte, as one process writes.

The threshold is lowered so that a tiny site is shared between processes; the serial build
of the same sources is the oracle (trees, page keys, pages rendered, report). A worker that
fails makes the build fail as the serial build does, with nothing published or left running.
"""

import logging
import os
import signal
from pathlib import Path

import pytest

from carnet.builds.parallel import WorkerFailed, fork_workers, join, map_shared, share_of
from carnet.builds.runner import BuildFailed
from carnet.preview.live import LIVE_OVERRIDES
from tests.test_incremental import Workspace, manifest, tree

PARALLEL = {"RENDER_PARALLEL_FROM": 1, "RENDER_PROCESSES": 2}
SERIAL = {"RENDER_PROCESSES": 1}


def build(space: Workspace, root: Path, settings: dict, full: bool = False):
    space.overrides = {**space.overrides, **settings}
    try:
        return space.build(root, full=full)
    finally:
        for name in settings:
            space.overrides.pop(name)


def assert_same_build(one: Path, other: Path) -> None:
    mine, reference = tree(one / "output"), tree(other / "output")
    assert sorted(mine) == sorted(reference), "files missing or left over"
    assert [name for name in reference if mine[name] != reference[name]] == []
    assert manifest(one) == manifest(other)  # the same keys, the same pages rendered
    reports = [(root / ".site/current/report.json").read_bytes() for root in (one, other)]
    assert reports[0] == reports[1]


@pytest.fixture(autouse=True)
def earlier_children():
    """The children other tests of the session left (a server, an index process being reaped):
    `children()` counts only the ones started since."""
    _EARLIER.clear()
    _EARLIER.update(_all_children())


_EARLIER: set[int] = set()


def children() -> list[int]:
    """The processes this test started that are still there (zombies included)."""
    return [pid for pid in _all_children() if pid not in _EARLIER]


def _all_children() -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid():
            found.append(int(stat.parent.name))
    return found


@pytest.fixture(scope="module")
def space(tmp_path_factory):
    return Workspace(tmp_path_factory.mktemp("parallel"))


def test_two_processes_write_what_one_writes(space, caplog):
    with caplog.at_level(logging.INFO):
        build(space, space.base / "parallel", PARALLEL)
    assert "incremental: pages rendered by 2 processes" in caplog.messages
    build(space, space.base / "serial", SERIAL)
    assert_same_build(space.base / "parallel", space.base / "serial")
    assert len(manifest(space.base / "parallel")["rendered"]) > 60
    assert children() == []


def test_incremental_after_parallel(space, caplog):
    path = space.article("perdre-des-clients.md")
    path.write_text(path.read_text("utf-8").replace("\n\n", "\n\nUne phrase en plus.\n\n", 1), "utf-8")
    root = space.base / "parallel"
    previous = (root / ".site/current").resolve()
    with caplog.at_level(logging.INFO):
        build(space, root, PARALLEL)
    # Most pages are reused, and their keys are worked out by both processes, each for its share.
    assert "incremental: pages rendered by 2 processes" in caplog.messages
    build(space, space.base / "serial-clean", SERIAL, full=True)
    mine, reference = tree(root / "output"), tree(space.base / "serial-clean/output")
    assert sorted(mine) == sorted(reference)
    assert [name for name in reference if mine[name] != reference[name]] == []
    pages = manifest(root)
    assert "perdre-des-clients/index.html" in pages["rendered"]
    assert len(pages["rendered"]) < len(pages["pages"]) / 2
    # Reused pages of either share are the live build's files, linked.
    for name in sorted(set(pages["pages"]) - set(pages["rendered"])):
        assert (root / "output" / name).stat().st_ino == (previous / "output" / name).stat().st_ino


def test_livereload_renders_an_edit_in_one_process(space, caplog):
    """Its server's threads run beside the build: it forks only when every page is to be rendered."""
    assert LIVE_OVERRIDES["RENDER_SHARED_EDITS"] is False
    live = {**PARALLEL, **LIVE_OVERRIDES}
    with caplog.at_level(logging.INFO):
        build(space, space.base / "live", live)
    assert "incremental: pages rendered by 2 processes" in caplog.messages  # every page: shared
    caplog.clear()
    path = space.article("perdre-des-clients.md")
    path.write_text(path.read_text("utf-8").replace("\n\n", "\n\nEncore une phrase.\n\n", 1), "utf-8")
    with caplog.at_level(logging.INFO):
        build(space, space.base / "live", live)
    assert not any("rendered by 2 processes" in message for message in caplog.messages)
    assert "perdre-des-clients/index.html" in manifest(space.base / "live")["rendered"]
    build(space, space.base / "live-clean", {**SERIAL, **LIVE_OVERRIDES}, full=True)
    mine, reference = tree(space.base / "live" / "output"), tree(space.base / "live-clean" / "output")
    assert sorted(mine) == sorted(reference)
    assert [name for name in reference if mine[name] != reference[name]] == []
    assert children() == []


def test_a_failing_worker_fails_the_build(space):
    # An article page that only the second process renders breaks its template.
    slug = next(
        name for name in (f"article-{n:05d}" for n in range(1, 27)) if share_of(f"{name}/index.html", 2) == 1
    )
    template = space.theme / "templates/article.html"
    original = template.read_text("utf-8")
    broken = f'{{% if article.slug == "{slug}" %}}{{{{ article.no_such_method() }}}}{{% endif %}}\n'
    template.write_text(broken + original, "utf-8")
    try:
        root = space.base / "parallel"
        live = (root / ".site/current").resolve()
        with pytest.raises(BuildFailed) as parallel:
            build(space, root, PARALLEL, full=True)
        assert (root / ".site/current").resolve() == live  # nothing published
        assert children() == []
        with pytest.raises(BuildFailed) as serial:
            build(space, space.base / "serial-broken", SERIAL, full=True)
        assert str(parallel.value) == str(serial.value)
        assert "no_such_method" in str(parallel.value)
    finally:
        template.write_text(original, "utf-8")


# The processes themselves, without a site.


def test_workers_send_back_their_results_and_warnings(caplog):
    def work(index):
        logging.getLogger("carnet.test").warning("avertissement du processus %d", index)
        return index * 10

    with caplog.at_level(logging.WARNING):
        outcomes = join(fork_workers(3, work))
    assert [outcome.value for outcome in outcomes] == [10, 20]
    assert caplog.messages == ["avertissement du processus 1", "avertissement du processus 2"]
    assert children() == []


def test_a_worker_error_is_raised_here():
    def work(index):
        raise ValueError(f"échec {index}")

    with pytest.raises(ValueError, match="échec 1"):
        join(fork_workers(2, work))
    assert children() == []


def test_a_killed_worker_is_a_failure():
    def work(index):
        os.kill(os.getpid(), signal.SIGKILL)

    with pytest.raises(WorkerFailed, match="signal 9"):
        join(fork_workers(2, work))
    assert children() == []


def test_a_worker_whose_build_died_before_it_could_ask_to_die_with_it_stops_at_once():
    # A build killed between the fork and the worker's prctl sends no signal: the worker, whose
    # parent is then another process, must stop instead of rendering its share for no one.
    from carnet.builds import parallel

    def exit_code(parent_given) -> int:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child ends in os._exit, whatever happens
            code = 2
            try:
                parallel.die_with(parent_given(os.getppid()))
                code = 0
            finally:
                os._exit(code)
        return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])

    assert exit_code(lambda parent: parent) == 0
    assert exit_code(lambda parent: parent + 1_000_000) == 1


def test_shares_are_stable_and_spread():
    names = [f"article-{n:05d}/index.html" for n in range(1000)]
    shares = [share_of(name, 2) for name in names]
    assert shares == [share_of(name, 2) for name in names]
    assert 400 < shares.count(1) < 600
    assert share_of("a/./b.html", 2) == share_of("a/b.html", 2)


def test_map_shared_gives_each_result_in_its_place_from_every_process():
    here = os.getpid()
    results = map_shared(lambda n: (n * n, os.getpid()), list(range(11)), 3)
    assert [value for value, _ in results] == [n * n for n in range(11)]
    # Each third item from one process: this one takes the first, two forked copies the others.
    assert {pid for _, pid in results[::3]} == {here}
    assert len({pid for _, pid in results[1::3]} | {pid for _, pid in results[2::3]}) == 2
    assert here not in {pid for _, pid in results[1::3] + results[2::3]}
    assert map_shared(lambda n: (n, os.getpid()), [7], 2) == [(7, here)]  # one item: no fork
    assert children() == []


def test_map_shared_raises_a_worker_error_here():
    def square(n):
        if n == 4:
            raise ValueError(f"échec sur {n}")
        return n * n

    with pytest.raises(ValueError, match="échec sur 4"):
        map_shared(square, list(range(6)), 2)  # 4 is this process's own item: the worker is stopped
    with pytest.raises(ValueError, match="échec sur 4"):
        map_shared(square, list(range(6)), 3)  # 4 is the second worker's
    assert children() == []


def test_the_tag_maps_english_pages_are_shared_too(space, tmp_path, monkeypatch):
    # Each process renders its share of them; the map's own files are the build process's.
    from carnet.builds import memo

    record = tmp_path / "rendered.txt"
    render = memo.RenderMemo.render

    def recorded(self, template, context):
        text = render(self, template, context)
        if text:
            with open(record, "a", encoding="utf-8") as handle:
                handle.write(f"{os.getpid()} {context['output_file']}\n")
        return text

    monkeypatch.setattr(memo.RenderMemo, "render", recorded)
    build(space, space.base / "tag-map-shared", PARALLEL, full=True)
    by_process: dict[str, set[str]] = {}
    for line in record.read_text("utf-8").splitlines():
        pid, name = line.split(" ", 1)
        by_process.setdefault("build" if int(pid) == os.getpid() else "worker", set()).add(name)
    english = {name for names in by_process.values() for name in names if name.startswith("en/")}
    assert len(english) >= 2
    assert english & by_process["worker"]
    assert english & by_process["build"]
    monkeypatch.undo()
    build(space, space.base / "tag-map-serial", SERIAL, full=True)
    assert_same_build(space.base / "tag-map-shared", space.base / "tag-map-serial")
    assert children() == []


def test_group_pages_are_the_same_with_the_lent_lists_in_every_process(space, tmp_path, monkeypatch):
    # carnet/builds/listings.py: both processes write tag, category and author pages with the
    # lists lent (installed before the fork), and the site is the one plain lists give.
    from carnet.builds import listings

    record = tmp_path / "lent.txt"
    lend = listings.lend_members

    def recorded(generator):
        give_back = lend(generator)
        groups = [*generator.tags.values(), *(group for _, group in generator.categories + generator.authors)]
        with open(record, "a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()} {sorted({type(group).__name__ for group in groups})}\n")
        return give_back

    monkeypatch.setattr(listings, "lend_members", recorded)
    build(space, space.base / "lent", PARALLEL, full=True)
    seen = dict(line.split(" ", 1) for line in record.read_text("utf-8").splitlines())
    assert len(seen) == 2
    assert str(os.getpid()) in seen
    assert set(seen.values()) == {"['Members']"}
    monkeypatch.setattr(listings, "lend_members", lambda generator: lambda: None)
    build(space, space.base / "not-lent", PARALLEL, full=True)
    assert_same_build(space.base / "lent", space.base / "not-lent")
    assert children() == []


def test_each_contents_own_digest_is_worked_out_once_before_the_fork(space, tmp_path, monkeypatch):
    # carnet/builds/fingerprint.py work_out_ahead: the build's process and one copy share the
    # contents' own digests; the render processes forked next inherit them instead of each
    # working out nearly every one again.
    from carnet.builds import fingerprint

    record = tmp_path / "own.txt"
    own = fingerprint.Fingerprints._own_content

    def recorded(self, content):
        if id(content) not in self._own:
            with open(record, "a", encoding="utf-8") as handle:
                handle.write(f"{os.getpid()} {content.source_path}\n")
        return own(self, content)

    monkeypatch.setattr(fingerprint.Fingerprints, "_own_content", recorded)
    build(space, space.base / "ahead", PARALLEL, full=True)
    worked_out = [line.split(" ", 1) for line in record.read_text("utf-8").splitlines()]
    sources = [source for _, source in worked_out]
    assert len(sources) > 10
    assert len(sources) == len(set(sources)), "a content digested twice"
    assert len({pid for pid, _ in worked_out}) == 2
    monkeypatch.undo()
    build(space, space.base / "ahead-serial", SERIAL, full=True)
    assert_same_build(space.base / "ahead", space.base / "ahead-serial")
    assert children() == []


def test_attached_files_follow_their_page_whichever_process_digests_or_writes_it(tmp_path):
    # Pelican moves a file linked with {attach} beside the page that links it when the page's
    # `content` is first read; the static files are written by the build's process alone, so
    # that reading must happen there even for the pages another process digests and writes.
    space = Workspace(tmp_path)
    (space.content / "images").mkdir(exist_ok=True)
    (space.content / "pages").mkdir()
    slugs = ["schema-1", "schema-2", "schema-4", "schema-7"]  # the render process's share (2 processes)
    assert all(share_of(f"{slug}/index.html", 2) == 1 for slug in slugs)
    for slug in slugs:
        (space.content / "images" / f"{slug}.png").write_bytes(b"\x89PNG\r\n\x1a\n" + slug.encode())
        text = f"Title: Schéma {slug}\nSlug: {slug}\n\n![Schéma {slug}]({{attach}}../images/{slug}.png)\n"
        (space.content / "pages" / f"{slug}.md").write_text(text, "utf-8")
    build(space, tmp_path / "parallel", PARALLEL, full=True)
    build(space, tmp_path / "serial", SERIAL, full=True)
    assert_same_build(tmp_path / "parallel", tmp_path / "serial")
    for slug in slugs:
        assert (tmp_path / "parallel/output" / slug / f"{slug}.png").is_file()
        page = (tmp_path / "parallel/output" / slug / "index.html").read_text("utf-8")
        assert f'src="/{slug}/{slug}.png"' in page
    assert children() == []


def test_a_failed_digest_copy_leaves_the_digests_to_the_pages(space, monkeypatch):
    # Working the digests out ahead only saves time: if its copy dies, the build goes on.
    from carnet.builds import fingerprint

    def killed(function, items, workers):
        raise WorkerFailed("un processus de la construction s'est arrêté (signal 9)")

    monkeypatch.setattr(fingerprint, "map_shared", killed)
    build(space, space.base / "copy-died", PARALLEL, full=True)
    monkeypatch.undo()
    build(space, space.base / "copy-lived", PARALLEL, full=True)
    assert_same_build(space.base / "copy-died", space.base / "copy-lived")
    assert children() == []
