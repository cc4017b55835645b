"""A build that fails, is interrupted or killed leaves yesterday's site and search as they were."""

import signal
import subprocess
import time
from pathlib import Path

import pytest

from carnet.search.querying import ArchiveSearch
from tests.project import INVOKE, environment, fingerprint, invoke, project_copy
from tests.sitebuild import article


@pytest.fixture
def project(tmp_path):
    copy = project_copy(tmp_path)
    result = invoke(copy, "build")
    assert result.returncode == 0, result.stderr
    return copy


def test_build_publishes_through_links(project):
    assert (project / "output").is_symlink()
    assert (project / "search-index").is_symlink()
    assert (project / "output/index.html").is_file()
    # The live index answers: « tarte au riz » is written in one article only.
    found = ArchiveSearch.open(project / "search-index").search('"tarte au riz"')
    assert [hit.url for hit in found.results] == ["aujourdhui-jai-rencontre-un-partenaire/"]


def test_a_broken_article_is_held_back_and_the_site_stays_as_it_was(project):
    before = fingerprint(project)
    (project / "content/articles/casse.md").write_text(
        article("Cassé", Date="pas une date"), encoding="utf-8"
    )
    result = invoke(project, "build")
    assert result.returncode == 1
    assert "1 article retenu, non publié" in result.stderr
    assert fingerprint(project) == before  # the rest of the site, rebuilt, is the same site


def test_a_strict_build_with_a_held_back_article_leaves_everything_as_it_was(project):
    before = fingerprint(project)
    live = (project / "output").resolve()
    (project / "content/articles/casse.md").write_text(
        article("Cassé", Date="pas une date"), encoding="utf-8"
    )
    result = invoke(project, "build", "--strict")
    assert result.returncode == 1
    assert "le site en ligne (output/) et l’index de recherche n’ont pas changé" in result.stderr
    assert (project / "output").resolve() == live
    assert fingerprint(project) == before


def test_a_template_error_leaves_everything_as_it_was(project):
    before = fingerprint(project)
    template = project / "theme/templates/article.html"
    template.write_text(
        template.read_text(encoding="utf-8").replace("{{ article.title", "{{ article.title|nope"),
        encoding="utf-8",
    )
    result = invoke(project, "build")
    assert result.returncode == 1
    assert "nope" in result.stderr
    assert fingerprint(project) == before


@pytest.mark.parametrize(
    ("name", "broken"),
    [
        ("auteurs.toml", "[[auteur]\nnom = 'x'\n"),  # malformed TOML
        ("tagmap.toml", '[tags.x]\ngroup = "inconnu"\nfr = "X"\nen = "x"\n'),  # an unknown group
    ],
)
def test_an_invalid_data_file_leaves_everything_as_it_was(project, name, broken):
    before = fingerprint(project)
    (project / "content" / name).write_text(broken, encoding="utf-8")
    result = invoke(project, "build")
    assert result.returncode == 1
    assert fingerprint(project) == before


def slow_down(project: Path, count: int = 150) -> None:
    """Enough articles for a build to take a few seconds: copies of a real one."""
    source = (project / "content/articles/perdre-des-clients.md").read_text(encoding="utf-8")
    header, body = source.split("\n\n", 1)
    for number in range(count):
        text = header.replace("Slug: perdre-des-clients", f"Slug: lest-{number}")
        text = text.replace("Title: Perdre des clients", f"Title: Perdre des clients, copie {number}")
        (project / f"content/articles/lest-{number}.md").write_text(text + "\n\n" + body, encoding="utf-8")


@pytest.mark.parametrize("signal_number", [signal.SIGKILL, signal.SIGINT])
def test_a_killed_or_interrupted_build_leaves_everything_as_it_was(project, signal_number):
    before = fingerprint(project)
    slow_down(project)
    build = subprocess.Popen(
        [*INVOKE, "build"], cwd=project, env=environment(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    builds = project / ".site/builds"
    deadline = time.monotonic() + 60
    # Wait until the new build has started writing pages, then strike.
    while not any(builds.glob("*/output/lest-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    build.send_signal(signal_number)
    _, stderr = build.communicate(timeout=60)
    assert build.returncode != 0
    if signal_number == signal.SIGINT:
        assert "interrompue" in stderr.decode("utf-8")
    assert fingerprint(project) == before
    # The lock died with the process: the next build runs and goes live.
    result = invoke(project, "build")
    assert result.returncode == 0, result.stderr
    assert (project / "output/lest-0/index.html").is_file()
    assert len(list(builds.iterdir())) <= 2


def test_two_builds_at_once_take_turns(project):
    first, second = (
        subprocess.Popen(
            [*INVOKE, "build", "--full"],
            cwd=project,
            env=environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    )
    results = [process.communicate(timeout=120) for process in (first, second)]
    assert first.returncode == 0, results[0]
    assert second.returncode == 0, results[1]
    assert (project / "output/index.html").is_file()
    assert len(list((project / ".site/builds").iterdir())) == 2


def test_rollback_puts_the_previous_build_back(project):
    first = fingerprint(project)
    (project / "content/articles/nouveau.md").write_text(article("Tout nouveau"), encoding="utf-8")
    assert invoke(project, "build").returncode == 0
    assert (project / "output/tout-nouveau/index.html").is_file()
    result = invoke(project, "rollback")
    assert result.returncode == 0, result.stderr
    assert fingerprint(project) == first
    assert invoke(project, "rollback").returncode == 0
    assert (project / "output/tout-nouveau/index.html").is_file()


def test_the_pages_of_a_livereload_fast_step_killed_midway_go_with_the_next_build(project):
    left = project / ".site/fast-k1ll3d"  # carnet/preview/fast_edit.py's scratch folder
    left.mkdir()
    (left / "index.html").write_text("<p>jamais publiée</p>", encoding="utf-8")
    (project / "content/articles/nouveau.md").write_text(article("Tout nouveau"), encoding="utf-8")
    assert invoke(project, "build").returncode == 0
    assert not left.exists()
    assert (project / "output/tout-nouveau/index.html").is_file()


def test_rollback_without_a_previous_build_says_so(tmp_path):
    copy = project_copy(tmp_path)
    result = invoke(copy, "rollback")
    assert result.returncode == 1
    assert "aucune construction précédente" in result.stderr


def test_a_plain_output_folder_from_before_is_kept_as_the_previous_build(tmp_path):
    copy = project_copy(tmp_path)
    (copy / "output").mkdir()
    (copy / "output/ancien.html").write_text("ancien", encoding="utf-8")
    assert invoke(copy, "build").returncode == 0
    assert (copy / "output").is_symlink()
    rolled = invoke(copy, "rollback")
    assert rolled.returncode == 0
    assert (copy / "output/ancien.html").read_text(encoding="utf-8") == "ancien"
    # Named for what it is: its folder's time is the build's that adopted it, not its own.
    old = "l’ancien dossier output/ (d’avant les constructions atomiques)"
    assert rolled.stdout.splitlines()[0] == f"Remise en ligne : {old} (site)."
    assert rolled.stdout.splitlines()[1].startswith("La construction du ")
    again = invoke(copy, "rollback").stdout.splitlines()
    assert again[1] == f"L{old[1:]} est gardé : relancez invoke rollback pour y revenir."
