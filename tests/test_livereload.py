"""`invoke livereload`: every save rebuilds once and reloads the browser; busy ports are said in French."""

import queue
import re
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from carnet.preview.debounce import Debouncer
from carnet.preview.server import watch
from carnet.preview.watching import changed_files, snapshot
from tests.project import INVOKE, environment, invoke, project_copy


def test_a_burst_of_saves_is_one_build_once_the_files_are_still():
    debouncer = Debouncer(quiet_s=0.3, longest_s=2.0)
    assert not debouncer.due(0.0)
    for now in (10.0, 10.1, 10.2):
        debouncer.changed(now)
        assert not debouncer.due(now + 0.05)
    assert not debouncer.due(10.45)
    assert debouncer.due(10.5)
    debouncer.take()
    assert not debouncer.pending
    assert not debouncer.due(20.0)


def test_saves_that_never_stop_still_build_after_the_longest_wait():
    debouncer = Debouncer(quiet_s=0.3, longest_s=2.0)
    now = 0.0
    while not debouncer.due(now):
        debouncer.changed(now)
        now += 0.1
    assert now == pytest.approx(2.0)


class _Stop(Exception):
    pass


@pytest.mark.parametrize(
    ("browsers", "said"), [(1, "Page rechargée dans le navigateur"), (0, "Aucune page ouverte")]
)
def test_the_fast_preview_says_a_page_was_reloaded_only_when_one_was(tmp_path, capsys, browsers, said):
    article = tmp_path / "content/articles/a.md"
    article.parent.mkdir(parents=True)
    article.write_text("avant", encoding="utf-8")
    reloads = []

    def build(saved):
        raise _Stop  # the exact build: the fast step has spoken by then

    def edit_soon():
        time.sleep(0.2)
        article.write_text("après", encoding="utf-8")

    threading.Thread(target=edit_soon, daemon=True).start()
    with pytest.raises(_Stop):
        watch(
            tmp_path,
            ["content/**/*"],
            build,
            lambda: reloads.append(1) or browsers,
            poll_s=0.02,
            debouncer=Debouncer(quiet_s=0.05, longest_s=1.0),
            fast=lambda saved: True,
        )
    fast_line = [line for line in capsys.readouterr().out.splitlines() if "aperçu rapide" in line]
    assert len(fast_line) == 1, fast_line
    assert said in fast_line[0]
    assert reloads == [1]


def test_a_look_sees_additions_edits_and_removals_but_not_editor_files(tmp_path):
    (tmp_path / "content").mkdir()
    kept = tmp_path / "content/a.md"
    kept.write_text("un", encoding="utf-8")
    gone = tmp_path / "content/b.md"
    gone.write_text("deux", encoding="utf-8")
    before = snapshot(tmp_path, ["content/**/*"])
    assert set(before) == {"content/a.md", "content/b.md"}
    kept.write_text("un, modifié", encoding="utf-8")
    gone.unlink()
    (tmp_path / "content/c.md").write_text("trois", encoding="utf-8")
    for editor_file in (".#a.md", ".a.md.swp", "a.md~"):
        (tmp_path / "content" / editor_file).write_text("x", encoding="utf-8")
    after = snapshot(tmp_path, ["content/**/*"])
    assert changed_files(before, after) == ["content/a.md", "content/b.md", "content/c.md"]
    assert changed_files(after, snapshot(tmp_path, ["content/**/*"])) == []


class Preview:
    """`invoke livereload --port 0` running in a copy of the project, its output read line by line."""

    def __init__(self, project: Path):
        self.process = subprocess.Popen(
            [*INVOKE, "livereload", "--port", "0"],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env=environment(),
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, pattern: str, timeout: float = 90) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                assert self.process.poll() is None, self.process.stderr.read()
                continue
            self.seen.append(line)
            match = re.search(pattern, line)
            if match:
                return match
        raise AssertionError(f"never printed {pattern!r}: {self.seen}")

    def drain(self) -> list[str]:
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return self.seen


@pytest.mark.browser
def test_each_save_reloads_the_page_even_within_seconds_of_the_last_reload(browser, tmp_path):
    project = project_copy(tmp_path)
    article = project / "content/articles/perdre-des-clients.md"
    original = article.read_text(encoding="utf-8")
    preview = Preview(project)
    try:
        address = preview.wait_for(r"Aperçu en direct : (http://127\.0\.0\.1:\d+/)").group(1)
        page = browser.new_page()
        loads = []
        page.on("load", lambda: loads.append(time.monotonic()))
        page.goto(address + "perdre-des-clients/")
        connected = "() => !!(window.LiveReload && window.LiveReload.connector._isSocketConnected())"
        page.wait_for_function(connected, timeout=10000)

        article.write_text(original + "\nPremier enregistrement.\n", encoding="utf-8")
        page.wait_for_function(
            "() => document.body.innerText.includes('Premier enregistrement')", timeout=30000
        )
        # Saved again at once: livereload's own server ignored a change this close to a reload.
        article.write_text(original + "\nDeuxième enregistrement.\n", encoding="utf-8")
        assert time.monotonic() - loads[-1] < 3
        page.wait_for_function(
            "() => document.body.innerText.includes('Deuxième enregistrement')", timeout=30000
        )
        assert len(loads) == 3  # the first visit, then one reload per save
        page.wait_for_function(connected, timeout=10000)

        # Three quick saves: one build, and the page ends on the last.
        builds_before = sum("reconstruction…" in line for line in preview.drain())
        for number in range(1, 4):
            article.write_text(original + f"\nRafale {number}.\n", encoding="utf-8")
            time.sleep(0.05)
        page.wait_for_function("() => document.body.innerText.includes('Rafale 3')", timeout=30000)
        preview.wait_for("Page rechargée")
        time.sleep(1)
        builds = sum("reconstruction…" in line for line in preview.drain()) - builds_before
        assert builds == 1, preview.seen
        assert len(loads) == 4

        # A save that breaks the build: the preview goes on, and the next save shows.
        article.write_text(original.replace("Title:", "Date: le jour d’après\nTitle:", 1), encoding="utf-8")
        preview.wait_for("reconstruction…")
        preview.wait_for("Page rechargée")
        assert preview.process.poll() is None
        page.wait_for_function(connected, timeout=10000)
        article.write_text(original + "\nRéparé.\n", encoding="utf-8")
        page.wait_for_function("() => document.body.innerText.includes('Réparé')", timeout=30000)
        page.close()
    finally:
        preview.process.send_signal(signal.SIGINT)
        stderr = preview.process.communicate(timeout=30)[1]
    assert preview.process.returncode == 0, stderr
    assert "Traceback" not in stderr
    assert "Aperçu arrêté" in stderr


def test_a_busy_port_is_said_in_french_without_a_traceback(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = time.monotonic()
        result = invoke(project_copy(tmp_path), "livereload", "--port", str(port))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    assert f"le port {port} est déjà utilisé" in result.stderr
    assert "--port 0" in result.stderr
    assert time.monotonic() - started < 30  # said before building anything
    assert not (tmp_path / "projet/output").exists()
