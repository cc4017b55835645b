"""Kill `invoke build` at chosen points, deterministically, then build again (a test helper).

Run in a project folder that holds a live build and a `.site` snapshot of it:

    python killpoints.py reference SNAPSHOT        a clean `invoke build --full`: its checksums
    python killpoints.py changes SNAPSHOT          the file changes a build makes, in order
    python killpoints.py run SNAPSHOT REF CASES    each case (JSON) starts from the snapshot and
        {"kill": N}                                    kills `invoke build` (SIGKILL) just before
                                                       its N-th change, or
        {"cut": PATH, "keep": "empty" | "half"}        cuts a kept file to nothing or to half;
                                                   then a plain `invoke build` runs, and its site
                                                   is compared with REF (one JSON line a case)

A change is what Python's audit hooks see: a file opened for writing, a rename, a link,
a folder made or removed, a process started. Each build runs in a forked child of this
process, so that Python and Pelican are imported once, not once per case.
"""

import hashlib
import json
import os
import shutil
import signal
import sys
from pathlib import Path

PROJECT = Path.cwd()
sys.path.insert(0, str(PROJECT))
# Imported before forking, Pelican's plugins too: the children only run the build.
import invoke.main  # noqa: E402
from pelican.plugins._utils import load_plugins  # noqa: E402
from pelican.settings import read_settings  # noqa: E402

import tasks  # noqa: E402
from carnet.builds.kept import TEMPORARY_MARK  # noqa: E402

load_plugins(read_settings(str(PROJECT / tasks.CONFIG["settings_base"])))

CHANGES = {
    "os.rename",  # os.rename and os.replace
    "os.remove",
    "os.rmdir",
    "os.mkdir",
    "os.symlink",
    "os.link",
    "os.truncate",
    "shutil.rmtree",
    "shutil.copyfile",
    "subprocess.Popen",
}
WRITING_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
COMPARED_INDEX_FILES = ("documents.json", "vocabulary.json", "tag-names.json", "tag-labels.json")


def describe(event: str, args: tuple) -> str | None:
    """A short description of a change under the project, None for anything else."""
    if event == "open":
        path, mode, flags = args
        writing = any(c in mode for c in "wax+") if isinstance(mode, str) else bool(flags & WRITING_FLAGS)
        if not writing or not isinstance(path, str | bytes | os.PathLike):
            return None
        paths = [path]
    elif event in CHANGES:
        paths = [arg for arg in args if isinstance(arg, str | bytes | os.PathLike)]
    else:
        return None
    shown = [os.path.relpath(os.fsdecode(p), PROJECT) for p in paths if isinstance(p, str | os.PathLike)]
    if event != "subprocess.Popen" and (not shown or shown[0].startswith("..")):
        return None
    return f"{event} {' '.join(shown)}"


def run_build(argv: list[str], log: Path, kill_at: int | None = None, changes: Path | None = None) -> int:
    """Run `invoke build` in a forked child; its exit status (-9 when it was killed)."""
    child = os.fork()
    if child == 0:
        with open(log, "wb") as out:
            os.dup2(out.fileno(), 1)
            os.dup2(out.fileno(), 2)
        seen = 0
        listing = open(changes, "w", encoding="utf-8") if changes else None  # noqa: SIM115

        def hook(event, args):
            nonlocal seen
            description = describe(event, args)
            if description is None:
                return
            seen += 1
            if listing:
                listing.write(json.dumps(description) + "\n")
                listing.flush()
            if seen == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)

        sys.addaudithook(hook)
        code = 1
        try:
            invoke.main.program.run(["invoke", *argv])
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    _, status = os.waitpid(child, 0)
    return os.waitstatus_to_exitcode(status)


def restore(snapshot: Path) -> None:
    site = PROJECT / ".site"
    while site.exists():  # the background removal of old builds may still be running
        shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(snapshot, site, symlinks=True)
    for leftover in PROJECT.glob(".*.tmp"):
        leftover.unlink()


def published() -> dict[str, str]:
    """Every file of the live site, and the index's companions, with their checksums."""
    prints = {}
    output = (PROJECT / "output").resolve()
    for path in sorted(output.rglob("*")):
        if path.is_file():
            prints[f"output/{path.relative_to(output)}"] = hashlib.sha256(path.read_bytes()).hexdigest()
    for name in COMPARED_INDEX_FILES:
        path = PROJECT / "search-index" / name
        prints[f"search-index/{name}"] = hashlib.sha256(path.read_bytes()).hexdigest()
    return prints


def cut(path: Path, keep: str) -> None:
    data = path.read_bytes()
    path.write_bytes(b"" if keep == "empty" else data[: len(data) // 2])


def main() -> None:
    mode, snapshot = sys.argv[1], Path(sys.argv[2])
    logs = PROJECT.parent / "logs"
    logs.mkdir(exist_ok=True)
    restore(snapshot)
    if mode == "reference":
        code = run_build(["build", "--full"], logs / "reference.log")
        print(json.dumps({"code": code, "published": published() if code == 0 else {}}))
    elif mode == "changes":
        listing = logs / "changes.jsonl"
        code = run_build(["build"], logs / "changes.log", changes=listing)
        print(json.dumps({"code": code, "changes": [json.loads(line) for line in listing.open()]}))
    else:
        reference = json.loads(Path(sys.argv[3]).read_text("utf-8"))
        for number, case in enumerate(json.loads(sys.argv[4])):
            restore(snapshot)
            result = dict(case)
            if "kill" in case:
                result["killed"] = run_build(["build"], logs / f"killed-{number}.log", kill_at=case["kill"])
            else:
                [path] = PROJECT.glob(case["cut"])
                cut(path, case["keep"])
            log = logs / f"after-{number}.log"
            result["code"] = run_build(["build"], log)
            mine = published() if result["code"] == 0 else {}
            differing = sorted(name for name in {*mine, *reference} if mine.get(name) != reference.get(name))
            result["differing"] = differing[:5]
            # Temporary files of kept files: none left where the next builds look.
            places = [PROJECT / ".site/cache", (PROJECT / ".site/current").resolve()]
            result["leftovers"] = [str(p) for place in places for p in place.rglob(f"*.{TEMPORARY_MARK}*")]
            result["log"] = log.read_text("utf-8", "replace")
            print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
