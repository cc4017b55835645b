"""No crash can poison the next build: killed at any point, or with a kept file (content
cache, page keys, index bookkeeping) found empty or cut, the next plain `invoke build`
succeeds and writes what a clean `invoke build --full` writes, byte for byte.

The builds run in tests/killpoints.py, which kills them just before a chosen file change
(a deterministic point, seen through Python's audit hooks) and forks each build from one
process, so that many points fit in a few seconds each.
"""

import json
import shutil
import sys
import time
from pathlib import Path

import pytest

from tests.project import invoke, project_copy, run
from tests.sitebuild import article

DRIVER = Path(__file__).with_name("killpoints.py")
# What a build keeps for the next one, as globs from the project's root.
KEPT = {
    "content cache": ".site/cache/*/ArticlesGenerator-Readers.0",  # one of its shards
    "pages cache": ".site/cache/*/PagesGenerator-Readers.0",
    "related terms": ".site/cache/*/related-terms.pickle",
    "review of the texts": ".site/cache/*/review-texts.pickle",
    "script checks": ".site/cache/*/script-checks.pickle",
    "content files' digests": ".site/sources.pickle",
    "page keys": ".site/current/render-manifest.json",
    "inputs digest": ".site/current/inputs.json",
    "index digests": ".site/current/search-index/documents.json",
    "index vocabulary": ".site/current/search-index/vocabulary.json",
    "index table of contents": ".site/current/search-index/_carnet_*.toc",
}


def drive(project: Path, *args: str) -> list[dict]:
    # The same hash seed in every run, so that the pages are written in the same order
    # when the changes are listed and when the builds are killed; Rich: one record, one line.
    result = run(
        [sys.executable, str(DRIVER), *args],
        project,
        columns=400,
        extra_env={"PYTHONHASHSEED": "0"},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """A project with a live build, the author's next edits made but not built yet,
    a snapshot of its .site, and the checksums of a clean build of those edits."""
    base = tmp_path_factory.mktemp("crash")
    project = project_copy(base)
    assert invoke(project, "build").returncode == 0
    edited = project / "content/articles/perdre-des-clients.md"
    edited.write_text(edited.read_text("utf-8") + "\nUne phrase de plus.\n", "utf-8")
    (project / "content/articles/nouveau.md").write_text(article("Tout nouveau"), "utf-8")
    deadline = time.monotonic() + 10
    while any((project / ".site/trash").iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)  # the removal of older builds runs in the background
    snapshot = base / "snapshot"
    shutil.copytree(project / ".site", snapshot, symlinks=True)
    [clean] = drive(project, "reference", str(snapshot))
    assert clean["code"] == 0
    reference = base / "reference.json"
    reference.write_text(json.dumps(clean["published"]), "utf-8")
    return project, snapshot, reference


def run_cases(live, cases: list[dict]) -> list[dict]:
    project, snapshot, reference = live
    return drive(project, "run", str(snapshot), str(reference), json.dumps(cases))


def kill_points(changes: list[str]) -> list[int]:
    """Before each change to what the build keeps or publishes (caches, page keys, the
    index's place, the switch, the clean-up), and a few in the rest: the new index being
    written in the build's folder, the pages. Folders made are left out (one kill a
    stage is enough there), and so is the point after the end."""
    kept, index, pages = [], [], []
    for number, change in enumerate(changes, start=1):
        if "/output/" in change:
            pages.append(number)
        elif "search-index.new/" in change:
            if change.startswith("os.rename") or change.endswith("documents.json"):
                kept.append(number)  # the index's table of contents, its digests
            else:
                index.append(number)
        elif not change.startswith("os.mkdir"):
            kept.append(number)
    return sorted({*kept, index[0], index[len(index) // 2], *pages[:: max(1, len(pages) // 3)]})


def test_a_build_killed_at_any_point_never_fails_the_next(live):
    [listing] = drive(live[0], "changes", str(live[1]))
    changes = listing["changes"]
    assert listing["code"] == 0
    points = kill_points(changes)
    # Each kept file is reached while it is written: its temporary file opened, then renamed.
    # (The pages' cache is not: no page changed, so none of its shards is written.)
    kept_files = ("ArticlesGenerator-Readers", "related-terms.pickle")
    for name in (*kept_files, "render-manifest.json", "inputs.json"):
        assert sum(name in changes[n - 1] for n in points) >= 2, name
    assert any("os.rename .site/.current" in changes[n - 1] for n in points)
    results = run_cases(live, [{"kill": point} for point in points])
    assert len(results) == len(points) >= 25
    for result in results:
        where = changes[result["kill"] - 1]
        assert result["killed"] == -9, f"not killed before « {where} »:\n{result['log']}"
        assert result["code"] == 0, f"killed before « {where} », the next build failed:\n{result['log']}"
        assert result["differing"] == [], f"killed before « {where} »: {result['differing']}"
        assert result["leftovers"] == [], f"killed before « {where} »"


def test_a_kept_file_found_empty_or_cut_is_set_aside_and_rebuilt(live):
    cases = [{"cut": path, "keep": keep} for path in KEPT.values() for keep in ("empty", "half")]
    for result in run_cases(live, cases):
        case = f"{result['cut']} ({result['keep']})"
        assert result["code"] == 0, f"{case}: the next build failed:\n{result['log']}"
        assert result["differing"] == [], f"{case}: {result['differing']}"
        # One line says which file was set aside; it is a notice, not a warning.
        notices = [line for line in result["log"].splitlines() if "illisible" in line]
        assert len(notices) == 1, f"{case}:\n{result['log']}"
        assert "avertissement" not in notices[0], notices[0]  # a warning would say so
        assert "mis de côté" in notices[0], notices[0]
        shown = result["cut"].split("/")[-1].replace("*", "")
        if "search-index" in result["cut"]:
            shown = "search-index"  # the index as a whole is rebuilt
        assert shown in notices[0], notices[0]


def test_a_strict_build_passes_over_an_unreadable_cache(tmp_path):
    """The notice is not a warning: `invoke build --strict` still passes."""
    project = project_copy(tmp_path)
    assert invoke(project, "build", "--strict").returncode == 0
    cache = max(project.glob(".site/cache/*/ArticlesGenerator-Readers.*"), key=lambda p: p.stat().st_size)
    data = cache.read_bytes()
    cache.write_bytes(data[: len(data) // 2])  # what Pelican's own saving left when killed
    (project / "content/articles/nouveau.md").write_text(article("Tout nouveau", Tags="coaching"), "utf-8")
    result = invoke(project, "build", "--strict", columns=400)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{cache.name} illisible (données abîmées, UnpicklingError)" in result.stdout
    assert (project / "output/tout-nouveau/index.html").is_file()


def test_every_kept_file_emptied_at_once_is_said_once_each_on_one_line(tmp_path):
    """The tester's case: every file under .site/cache/ emptied, then a build with work to do,
    in a narrow terminal. One plain French line per file, its path whole."""
    project = project_copy(tmp_path)
    assert invoke(project, "build").returncode == 0
    emptied = sorted(path for path in project.glob(".site/cache/*/*") if path.is_file())
    assert len(emptied) >= 3
    for path in emptied:
        path.write_bytes(b"")
    (project / "content/articles/nouveau.md").write_text(article("Tout nouveau", Tags="coaching"), "utf-8")
    result = invoke(project, "build", columns=60)
    assert result.returncode == 0, result.stdout + result.stderr
    notices = [line for line in result.stdout.splitlines() if "illisible" in line]
    assert len(notices) == len(emptied), result.stdout
    for path in emptied:
        shown = str(path.relative_to(project))
        [said] = [line for line in notices if line.startswith(shown + " ")]
        assert said.startswith(f"{shown} illisible (fichier vide) : mis de côté, "), said


@pytest.mark.parametrize("damage", ["empty", "garbage", "folder"])
def test_a_damaged_report_is_never_said_as_an_empty_one(tmp_path, damage):
    """With nothing changed, a build says again what the live build found, from its report.json:
    damaged, that report is set aside and the site built again, once, not summed up as empty."""
    project = project_copy(tmp_path)
    (project / "content/articles/nouveau.md").write_text(article("Tout nouveau", Tags="mystère"), "utf-8")
    first = invoke(project, "build")
    summary = first.stdout.strip().splitlines()[-1]
    assert "1 avertissement" in summary, first.stdout
    report = project / ".site/current/report.json"
    if damage == "folder":
        report.unlink()
        report.mkdir()
    else:
        report.write_text("" if damage == "empty" else "{not json", "utf-8")
    again = invoke(project, "build")
    assert again.returncode == 0, again.stdout + again.stderr
    notices = [line for line in again.stdout.splitlines() if "report.json illisible" in line]
    assert len(notices) == 1, again.stdout
    assert "le site est reconstruit" in notices[0]
    assert again.stdout.strip().splitlines()[-1] == summary
    third = invoke(project, "build")
    assert "illisible" not in third.stdout
    assert third.stdout.strip().splitlines()[-1] == summary
