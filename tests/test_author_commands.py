"""The author's everyday commands say what they did, in French: new, clean, rollback."""

import re
import shlex
from datetime import datetime

from babel.dates import format_datetime

from carnet.tagmap.mapfile import load_map
from tests.project import ROOT, invoke, project_copy


def header_of(path) -> dict[str, str]:
    return dict(
        line.split(": ", 1) for line in path.read_text(encoding="utf-8").split("\n\n")[0].splitlines()
    )


def test_new_takes_a_title_without_quotes(tmp_path):
    project = project_copy(tmp_path)
    result = invoke(project, "new", "Mon", "premier", "article", "--author", "Camille")
    assert result.returncode == 0, result.stderr
    header = header_of(project / "content/articles/mon-premier-article.md")
    assert header["Title"] == "Mon premier article"
    assert header["Author"] == "Camille"
    # Options before the words, and a quoted title, as before.
    result = invoke(project, "new", "--tags", "coaching", "Deuxième", "essai")
    assert result.returncode == 0, result.stderr
    assert header_of(project / "content/articles/deuxieme-essai.md")["Tags"] == "coaching"
    result = invoke(project, "new", "L’écoute active")
    assert result.returncode == 0, result.stderr
    assert header_of(project / "content/articles/lecoute-active.md")["Title"] == "L’écoute active"


def test_new_and_import_with_nothing_named_say_so_in_french(tmp_path):
    project = project_copy(tmp_path)
    for command, message in [
        (["new", "--author", "Camille"], 'le titre est vide ; écrivez par exemple invoke new "Mon titre"'),
        (["import"], "nommez les fichiers à importer, par exemple invoke import ../shared/seeds/*.txt"),
    ]:
        result = invoke(project, *command)
        assert result.returncode == 1
        assert result.stderr.strip() == f"invoke {command[0]} : {message}"


def test_the_readmes_new_example_uses_tags_of_the_map():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    [command] = re.findall(r"^invoke new .*--tags .*$", readme, re.MULTILINE)
    arguments = shlex.split(command)
    tags = arguments[arguments.index("--tags") + 1]
    resolver = load_map(ROOT / "content/tagmap.toml").resolver()
    for tag in tags.split(","):
        assert resolver.resolve(tag.strip()), f"« {tag.strip()} » is not in content/tagmap.toml"
    # The header the README shows is the one that command writes.
    assert f"Tags: {tags}" in readme


def build_when(folder) -> str:
    """When a build was made, from its folder's name, in Babel's French."""
    started = datetime.strptime(re.match(r"(\d{8}T\d{6})-", folder.name).group(1), "%Y%m%dT%H%M%S")
    return format_datetime(started, "EEEE d MMMM y 'à' HH:mm", locale="fr")


def test_rollback_names_builds_by_their_date_and_clean_says_what_it_removed(tmp_path):
    project = project_copy(tmp_path)
    assert invoke(project, "build").returncode == 0
    [first] = (project / ".site/builds").iterdir()
    article = project / "content/articles/perdre-des-clients.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nUne ligne de plus.\n", encoding="utf-8")
    assert invoke(project, "build").returncode == 0
    [second] = [folder for folder in (project / ".site/builds").iterdir() if folder != first]

    result = invoke(project, "rollback")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    # To the second if both were made in the same minute.
    assert re.fullmatch(
        f"Remise en ligne : la construction du {re.escape(build_when(first))}(:\\d\\d)? "
        r"\(site et index de recherche\)\.",
        lines[0],
    ), lines
    assert lines[1].startswith(f"La construction du {build_when(second)}"), lines
    assert "relancez invoke rollback pour y revenir" in lines[1]
    assert first.name not in result.stdout

    result = invoke(project, "clean")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "Supprimé : output/ (le site), search-index/ (l’index de recherche), "
        ".site/ (2 constructions gardées et le cache). « invoke build » reconstruit tout."
    )
    assert not (project / ".site").exists()
    assert not (project / "output").exists()
    result = invoke(project, "clean")
    assert result.stdout.strip() == "Rien à supprimer : le site n’est pas construit."
