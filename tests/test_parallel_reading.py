"""Articles read by worker processes (carnet/builds/read_ahead.py) make the site a serial read
makes, byte for byte, with the same findings, also when a file cannot be read or a worker dies."""

import os
import shutil
from pathlib import Path

from pelican.readers import MarkdownReader

from carnet.builds.pipeline import build_site
from carnet.builds.runner import BuildFailed
from tests.project import ROOT
from tests.sitebuild import article

SETTINGS = ROOT / "pelicanconf.py"
BUILD = os.getpid()  # the test's process runs the build; a worker is a child of it


class DiesInWorkerReader(MarkdownReader):
    """Reads .mdx as Markdown in the build, and kills the worker process that tries (leaving
    a mark that it did)."""

    file_extensions = ("mdx",)
    mark: Path | None = None

    def read(self, source_path):
        if os.getpid() != BUILD:
            self.mark.write_text(source_path)
            os._exit(3)
        return super().read(source_path)


def tree(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def write_content(base: Path) -> Path:
    content = base / "content"
    shutil.copytree(ROOT / "content", content)
    articles = content / "articles"
    for number in range(30):
        title = f"Article numéro {number}"
        resume = "::: résumé\n- Premier point\n- [Un point](#la-suite)\n:::\n\n" if number % 3 else ""
        body = f"{resume}Un paragraphe « {number} » ; fin.\n\n## La suite\n\nEt une suite !"
        (articles / f"numero-{number}.md").write_text(article(title, body), "utf-8")
    # A résumé linked to a section the article lacks: a warning with its line.
    (articles / "resume-perdu.md").write_text(
        article("Résumé perdu", "::: résumé\n- [Ailleurs](#nulle-part)\n:::\n\nLe texte."), "utf-8"
    )
    # An unreadable date: held back, with the line of its header.
    (articles / "date-illisible.md").write_text(article("Date illisible", Date="le 45 de mai"), "utf-8")
    # Not UTF-8: the reader fails; the file is named.
    (articles / "latin1.md").write_bytes(article("Encodé en latin-1", "Café crème.").encode("latin-1"))
    # Read by a reader that kills the worker reading it.
    (articles / "mourant.mdx").write_text(article("Un lecteur mortel"), "utf-8")
    return content


def build(content: Path, root: Path, workers: int, full: bool = True):
    overrides = {
        "PATH": str(content),
        "READ_PROCESSES": workers,
        "READ_PARALLEL_FROM": 1,
        "READERS": {"mdx": DiesInWorkerReader},
    }
    root.mkdir(exist_ok=True)
    try:
        result = build_site(root, SETTINGS, overrides=overrides, full=full)
    except BuildFailed as failed:
        raise AssertionError(str(failed)) from failed
    return result.report


def test_parallel_reading_builds_what_serial_reading_builds(tmp_path):
    content = write_content(tmp_path)
    DiesInWorkerReader.mark = tmp_path / "worker-died"
    serial = build(content, tmp_path / "serial", workers=1)
    parallel = build(content, tmp_path / "parallel", workers=2)

    mine, reference = tree(tmp_path / "parallel" / "output"), tree(tmp_path / "serial" / "output")
    assert sorted(mine) == sorted(reference)
    assert [name for name in reference if mine[name] != reference[name]] == []
    assert "un-lecteur-mortel/index.html" in reference
    assert DiesInWorkerReader.mark.read_text().endswith("mourant.mdx")  # in a worker, which died
    assert parallel.findings == serial.findings
    assert parallel.held == serial.held
    places = {(f.file, f.line) for f in serial.findings}
    assert ("articles/resume-perdu.md", 10) in places
    assert ("articles/date-illisible.md", 2) in places
    assert "articles/latin1.md" in {held.file for held in serial.held}
    assert (parallel.articles, parallel.pages) == (serial.articles, serial.pages)


def test_an_incremental_build_after_a_parallel_one_is_a_clean_build(tmp_path):
    """What the workers read is kept in the content cache: the next build reuses it."""
    content = write_content(tmp_path)
    DiesInWorkerReader.mark = tmp_path / "worker-died"
    build(content, tmp_path / "parallel", workers=2)
    edited = content / "articles" / "numero-4.md"
    edited.write_text(edited.read_text("utf-8").replace("Et une suite", "Et une autre suite"), "utf-8")
    incremental = build(content, tmp_path / "parallel", workers=2, full=False)
    clean = build(content, tmp_path / "clean", workers=1)

    mine, reference = tree(tmp_path / "parallel" / "output"), tree(tmp_path / "clean" / "output")
    assert sorted(mine) == sorted(reference)
    assert [name for name in reference if mine[name] != reference[name]] == []
    assert b"Et une autre suite" in mine["article-numero-4/index.html"]
    assert incremental.findings == clean.findings
