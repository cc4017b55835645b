"""`invoke build | head`: when the reader of the output goes away, the build still goes live,
without a traceback; the stream's later writes go nowhere."""

import os
import subprocess

from carnet.builds.closed_output import QuietWhenClosed
from tests.project import INVOKE, TIMEOUT_S, environment, project_copy


def test_writes_after_the_reader_has_gone_are_dropped(tmp_path):
    read_end, write_end = os.pipe()
    stream = QuietWhenClosed(os.fdopen(write_end, "w", encoding="utf-8"))
    stream.write("lu\n")
    stream.flush()
    assert os.read(read_end, 100) == b"lu\n"
    os.close(read_end)
    stream.write("perdu\n")
    stream.flush()  # the pipe's reader has gone: Python raises BrokenPipeError here
    stream.write("perdu aussi\n" * 10_000)
    stream.flush()
    # The descriptor now leads to /dev/null: the flush at exit is quiet too.
    assert os.path.samestat(os.fstat(stream.fileno()), os.stat(os.devnull))
    stream.close()


def test_a_build_whose_output_nobody_reads_goes_live(tmp_path):
    project = project_copy(tmp_path)
    article = project / "content/articles/perdre-des-clients.md"
    article.write_text(article.read_text("utf-8").replace("Perdre", "Perdre encore", 1), "utf-8")
    said = tmp_path / "stderr.txt"
    with said.open("w", encoding="utf-8") as errors:
        build = subprocess.Popen(
            [*INVOKE, "build"], cwd=project, env=environment(), stdout=subprocess.PIPE, stderr=errors
        )
        build.stdout.close()  # as `head` does once it has its lines
        assert build.wait(timeout=TIMEOUT_S) == 0
    assert "Perdre encore" in (project / "output/perdre-des-clients/index.html").read_text("utf-8")
    assert "BrokenPipeError" not in said.read_text("utf-8")
