"""The project's code that shapes a build: the plugins Pelican loads, and every module of
carnet/ that they import, directly or not. Nothing else counts: a change to the service, the
importer, the check or the bench leaves the build at « Rien n’a changé »."""

import re
from collections.abc import Iterable
from pathlib import Path

PACKAGE = "carnet"
# carnet/ itself: the folder that holds this package's rooms.
PACKAGE_DIR = Path(__file__).resolve().parents[1]

# `from carnet.x import a, b`, `from .x import a`, `from .. import x`, `import carnet.x`: the
# project is formatted by ruff, so an import sits on its own line (a parenthesised list aside).
_FROM = re.compile(r"^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+\(?([^)#\n]*)", re.MULTILINE)
_IMPORT = re.compile(r"^[ \t]*import[ \t]+(carnet(?:\.\w+)*)", re.MULTILINE)
# The top-level name of every absolute import, for the libraries the code reaches.
_TOP_LEVEL = re.compile(r"^[ \t]*(?:from|import)[ \t]+([A-Za-z_]\w*)", re.MULTILINE)


def page_code_files(plugin_paths: Iterable[Path], package_dir: Path = PACKAGE_DIR) -> list[Path]:
    """Every file under the plugin folders, and the carnet/ modules they reach, sorted."""
    files = {path.resolve() for folder in plugin_paths for path in _files_under(Path(folder))}
    queue = [path for path in files if path.suffix == ".py"]
    while queue:
        path = queue.pop()
        for module in _imported_modules(path, package_dir):
            for reached in _module_files(module, package_dir):
                if reached not in files:
                    files.add(reached)
                    queue.append(reached)
    return sorted(files)


def _files_under(folder: Path) -> list[Path]:
    if folder.is_file():
        return [folder]
    return [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts]


def _imported_modules(path: Path, package_dir: Path) -> set[str]:
    """Dotted names of the carnet modules (or their attributes) that a file imports."""
    text = path.read_text(encoding="utf-8")
    inside = _module_name(path, package_dir)
    names = set(_IMPORT.findall(text))
    for dots, module, imported in _FROM.findall(text):
        if dots:
            if inside is None:
                continue  # a plugin's import of its own sibling: already a file under plugins/
            package = inside if path.name == "__init__.py" else inside.rpartition(".")[0]
            parts = package.split(".")
            base = parts[: len(parts) - (len(dots) - 1)]
            module = ".".join([*base, module] if module else base)
        if module != PACKAGE and not module.startswith(PACKAGE + "."):
            continue
        names.add(module)
        # `from carnet.search import indexing`: the name may be a module of the package.
        names.update(
            f"{module}.{name.split(' as ')[0].strip()}" for name in imported.split(",") if name.strip()
        )
    return names


def _module_name(path: Path, package_dir: Path) -> str | None:
    try:
        relative = path.resolve().relative_to(package_dir.parent)
    except ValueError:
        return None
    parts = relative.with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _module_files(module: str, package_dir: Path) -> list[Path]:
    """The module's file and the __init__.py of every package on its way, when they exist."""
    parts = module.split(".")
    found = []
    for depth in range(1, len(parts) + 1):
        base = package_dir.parent.joinpath(*parts[:depth])
        for candidate in (base / "__init__.py", base.with_suffix(".py")):
            if candidate.is_file():
                found.append(candidate.resolve())
    return found


def imported_top_levels(files: Iterable[Path]) -> set[str]:
    """The top-level names these Python files import absolutely (carnet, the standard library
    and the libraries alike: the caller keeps those that an installed distribution provides)."""
    names = set()
    for path in files:
        if path.suffix == ".py":
            names.update(_TOP_LEVEL.findall(path.read_text(encoding="utf-8")))
    return names - {PACKAGE}
