"""The author's invoke tasks, run as the author runs them."""

import datetime
import re
import subprocess
import urllib.request

import pytest

import tasks
from tests.project import ROOT, answering, free_port, invoke, project_copy, serving, wait_until


def test_invoke_list_explains_every_task():
    result = invoke(ROOT, "--list")
    assert result.returncode == 0, result.stderr
    lines = {line.split()[0]: line for line in result.stdout.splitlines()[1:] if line.strip()}
    for name in ["build", "publish", "serve", "livereload", "new", "clean"]:
        assert name in lines, result.stdout
        assert len(lines[name].split()) > 3, f"{name} has no one-line explanation"


def test_build_strict_then_clean_in_a_fresh_copy(tmp_path):
    project = project_copy(tmp_path)
    result = invoke(project, "build", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (project / "output/index.html").is_file()
    # Each published article has its page, at the slug its header gives.
    for source in sorted((project / "content/articles").glob("*.md")):
        header = source.read_text("utf-8").split("\n\n", 1)[0]
        [slug] = re.findall(r"^Slug: (.+)$", header, re.MULTILINE)
        published = "Status: draft" not in header
        assert (project / "output" / slug / "index.html").is_file() == published, source.name
    assert invoke(project, "clean").returncode == 0
    assert not (project / "output").exists()


def test_publish_writes_absolute_urls_and_feeds(tmp_path):
    project = project_copy(tmp_path)
    result = invoke(project, "publish", "--strict", input="")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (project / "output/feeds/tous.atom.xml").is_file()
    home = (project / "output/index.html").read_text(encoding="utf-8")
    assert 'href="https://carnet-accompagnement.example/perdre-des-clients/"' in home


def test_serve_answers_on_the_chosen_port(tmp_path):
    project = project_copy(tmp_path)
    assert invoke(project, "build").returncode == 0
    port = free_port()
    server = serving(project, "--port", str(port))
    try:
        wait_until(answering(port), process=server)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/perdre-des-clients/") as response:
            body = response.read().decode("utf-8")
        assert "Perdre des clients" in body
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_before_any_build_says_so_then_serves_the_first_build(tmp_path):
    project = project_copy(tmp_path)
    port = free_port()
    server = serving(project, "--port", str(port), "--workers", "1", stderr=subprocess.PIPE)
    try:
        wait_until(answering(port), process=server)
        assert invoke(project, "build").returncode == 0
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/perdre-des-clients/") as response:
            assert "Perdre des clients" in response.read().decode("utf-8")
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=10)
    assert "le site n’est pas encore construit (output/ manque)" in errors


def test_new_article_has_its_metadata_header(tmp_path):
    now = datetime.datetime(2026, 11, 22, 9, 5)
    path = tasks.new_article(
        "L’écoute active, ça s’apprend ?", author="Camille", directory=tmp_path, today=now
    )
    assert path.name == "lecoute-active-ca-sapprend.md"
    header = dict(
        line.split(": ", 1) for line in path.read_text(encoding="utf-8").split("\n\n")[0].splitlines()
    )
    assert header["Title"] == "L’écoute active, ça s’apprend ?"
    assert header["Date"] == "2026-11-22 09:05"
    assert header["Slug"] == "lecoute-active-ca-sapprend"
    assert header["Lang"] == "fr"
    assert header["Author"] == "Camille"
    assert header["Status"] == "draft"


def test_new_never_overwrites(tmp_path):
    tasks.new_article("Deux fois", directory=tmp_path)
    with pytest.raises(SystemExit, match="existe déjà"):
        tasks.new_article("Deux fois", directory=tmp_path)


def test_new_refuses_an_empty_title(tmp_path):
    with pytest.raises(SystemExit, match="titre est vide"):
        tasks.new_article("   ", directory=tmp_path)


def test_new_refuses_a_title_without_letters_and_keeps_names_short(tmp_path):
    with pytest.raises(SystemExit, match="ni lettre ni chiffre"):
        tasks.new_article("???", directory=tmp_path)
    long_title = "Un titre " + "très " * 200 + "long"
    path = tasks.new_article(long_title, tags="savoir-être\nStatus: published", directory=tmp_path)
    assert len(path.name) <= 83
    header = path.read_text(encoding="utf-8").split("\n\n")[0].splitlines()
    assert f"Title: {long_title}" in header
    assert "Tags: savoir-être Status: published" in header  # a line break cannot add a key
    assert [line for line in header if line.startswith("Status:")] == ["Status: draft"]


def test_new_from_the_command_line_makes_a_draft_that_builds(tmp_path):
    project = project_copy(tmp_path)
    result = invoke(project, "new", "Un titre tout neuf", "--author", "Camille")
    assert result.returncode == 0, result.stderr
    assert (project / "content/articles/un-titre-tout-neuf.md").is_file()
    build = invoke(project, "build", "--strict")
    assert build.returncode == 0, build.stdout + build.stderr
    assert (project / "output/brouillons/un-titre-tout-neuf/index.html").is_file()
