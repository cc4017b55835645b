"""The project's rooms (README « Project layout »): what each may import, read from the sources
with Python's own parser, and the code that counts as a build input."""

import ast
import re
from pathlib import Path

from carnet.builds.page_code import imported_top_levels, page_code_files
from carnet.builds.sources import library_versions
from tests.project import INVOKE, project_copy, run

ROOT = Path(__file__).resolve().parents[1]
CARNET = ROOT / "carnet"
PLUGINS = ROOT / "plugins"

# What each room of carnet/ may import from the others (README « Project layout »).
ALLOWED = {
    "text": set(),
    "publishing": set(),
    "articles": {"text"},
    "resume": {"text", "articles"},
    "review": {"text", "articles", "resume"},
    "tagmap": {"text", "articles"},
    "search": {"text", "articles"},
    "builds": {"text", "articles", "review", "tagmap", "search", "publishing"},
    "service": {"text", "search", "publishing"},
    "check": {"text", "builds", "review", "tagmap"},
    "importer": {"text", "tagmap", "resume"},
    "bench": {"text", "builds", "search", "tagmap"},
    "preview": {"builds"},
    "deploy": {"publishing"},
}
# Rooms whose code never runs in a build: the plugins may not reach them.
NOT_IN_BUILDS = {"service", "check", "importer", "bench", "preview", "deploy"}


TYPE_ONLY = {"TYPE_CHECKING", "typing.TYPE_CHECKING"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, at_run_time: bool = False) -> set[str]:
    """Absolute names of what a file imports (`from a import b` gives a and a.b); `at_run_time`
    leaves out the imports under `if TYPE_CHECKING:`, which only name types."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    if at_run_time:
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and ast.unparse(node.test) in TYPE_ONLY:
                node.body = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def sources(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def room(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if parts[0] == "carnet" and len(parts) > 1 and (CARNET / parts[1]).is_dir() else None


PLUGIN_NAMES = {p.name for p in PLUGINS.iterdir() if (p / "__init__.py").is_file()}


def test_every_module_of_carnet_is_in_a_room():
    assert [p.name for p in CARNET.glob("*.py")] == ["__init__.py"]
    assert {p.name for p in CARNET.iterdir() if p.is_dir() and p.name != "__pycache__"} == set(ALLOWED)


def test_a_room_imports_only_what_it_may():
    wrong = []
    for path in (p for p in sources(CARNET) if p.parent != CARNET):
        own = room(module_name(path))
        for name in imports_of(path, at_run_time=True):
            other = room(name)
            if name.split(".")[0] in {"plugins", *PLUGIN_NAMES}:
                wrong.append(f"{path.relative_to(ROOT)} imports the Pelican glue: {name}")
            elif other and other != own and other not in ALLOWED[own]:
                wrong.append(f"{path.relative_to(ROOT)}: the {own} room may not import {name}")
    assert wrong == []


def test_a_plugin_imports_carnet_and_itself_never_a_sibling():
    wrong = []
    for path in sources(PLUGINS):
        plugin = path.relative_to(PLUGINS).parts[0]
        for name in imports_of(path):
            parts = name.split(".")
            sibling = parts[1] if parts[0] == "plugins" and len(parts) > 1 else parts[0]
            if sibling in PLUGIN_NAMES - {plugin} or name == "plugins":
                wrong.append(f"{path.relative_to(ROOT)} imports another plugin: {name}")
            if room(name) in NOT_IN_BUILDS:
                wrong.append(f"{path.relative_to(ROOT)}: a build would depend on {name}")
    assert wrong == []


def reached_from_plugins() -> set[Path]:
    """The carnet files that the plugins import, followed with Python's parser."""
    reached, queue = set(), [*sources(PLUGINS)]
    while queue:
        for name in imports_of(queue.pop()):
            parts = name.split(".")
            if parts[0] != "carnet":
                continue
            for depth in range(1, len(parts) + 1):
                base = ROOT.joinpath(*parts[:depth])
                for candidate in (base / "__init__.py", base.with_suffix(".py")):
                    if candidate.is_file() and candidate not in reached:
                        reached.add(candidate)
                        queue.append(candidate)
    return reached


def test_the_build_inputs_are_the_plugins_and_what_they_reach():
    files = set(page_code_files([PLUGINS]))
    plugin_files = {p.resolve() for p in PLUGINS.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert files - plugin_files == reached_from_plugins()
    assert plugin_files <= files
    rooms = {p.relative_to(CARNET).parts[0] for p in files - plugin_files if p.parent != CARNET}
    # The index and the tag map shape a build.
    assert "search" in rooms
    assert "tagmap" in rooms
    assert not rooms & NOT_IN_BUILDS
    # The libraries whose versions a build depends on: those this code imports, not the service's
    # or the bench's.
    libraries = set(library_versions({"pelican", *imported_top_levels(files)}))
    assert {"pelican", "Markdown", "Jinja2", "babel", "beautifulsoup4", "python-slugify"} <= libraries
    assert not libraries & {"waitress", "whitenoise", "faker", "wordfreq", "livereload", "rich"}


def test_a_comment_in_the_service_importer_check_or_bench_rebuilds_nothing(tmp_path):
    project = project_copy(tmp_path)
    first = run([*INVOKE, "build"], project)
    assert first.returncode == 0, first.stderr
    # One build after all four: the digest is over a set of files, none of these is in it.
    for module in ["service/web.py", "importer/pipeline.py", "check/run.py", "bench/run.py"]:
        with (project / "carnet" / module).open("a", encoding="utf-8") as source:
            source.write("# A comment that shapes no page.\n")
    again = run([*INVOKE, "build"], project)
    assert again.returncode == 0, again.stderr
    assert "Rien n’a changé" in again.stdout
    # The code that shapes the pages does count: the same comment in it makes a new build.
    with (project / "carnet" / "search" / "related.py").open("a", encoding="utf-8") as source:
        source.write("# A comment in code that shapes pages.\n")
    rebuilt = run([*INVOKE, "build"], project)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "Rien n’a changé" not in rebuilt.stdout


def test_the_rooms_build_on_each_other_without_a_cycle():
    placed: list[str] = []
    while len(placed) < len(ALLOWED):
        ready = sorted(name for name, needs in ALLOWED.items() if name not in placed and needs <= set(placed))
        assert ready, f"a cycle among {sorted(set(ALLOWED) - set(placed))}"
        placed.extend(ready)


def readme_tree() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Project layout") :]
    start = section.index("```\n") + 4
    return section[start : section.index("\n```", start)]


def test_the_readme_tree_names_every_module_and_plugin_there_is():
    """Each plugin under plugins/, each room of carnet/ with every one of its modules."""
    rooms: dict[str, set[str]] = {}
    plugins: set[str] = set()
    top = room_name = None
    for line in readme_tree().splitlines():
        if not line.startswith(" "):
            top = line.split("/")[0]
        elif top == "plugins":
            plugins.add(line.split("/")[0].strip())
        elif top == "carnet":
            if re.match(r"^  [a-z]+/", line):
                room_name = line.split("/")[0].strip()
                rooms[room_name] = set()
            rooms[room_name] |= set(re.findall(r"\w+\.py", line))
    assert plugins == PLUGIN_NAMES
    actual = {
        folder.name: {p.name for p in folder.glob("*.py") if p.name != "__init__.py"}
        for folder in CARNET.iterdir()
        if folder.is_dir() and folder.name != "__pycache__"
    }
    assert rooms == actual
