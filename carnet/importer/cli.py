"""Command-line glue for `invoke import`: many files as arguments, a progress bar, the report.

Kept free of the importer's heavy imports (dateparser…), since tasks.py imports it for
every `invoke` command.
"""

import sys
from pathlib import Path
from typing import Any

from invoke import Task
from invoke.parser import Argument


class _FileNames(Argument):
    """A positional argument that takes `expected` values, given as a list."""

    def __init__(self, expected: int, **kwargs: Any):
        super().__init__(**kwargs)
        self.expected = expected
        self.files: list[str] = []

    @property
    def value(self) -> list[str] | None:
        # None while file names are still expected: the parser then hands over the next token.
        return self.files if len(self.files) >= self.expected else None

    @value.setter
    def value(self, token: str) -> None:
        self.set_value(token)

    def set_value(self, value: Any, cast: bool = True) -> None:
        self.raw_value = value
        self.files.append(str(value))

    @property
    def got_value(self) -> bool:
        return bool(self.files)


class ManyFilesTask(Task):
    """A task whose first parameter takes every file named after the task on the command line.

    Invoke gives a positional parameter exactly one value (pyinvoke/invoke#760), so
    `invoke import a.txt b.txt` would read b.txt as a task name. This task counts the
    names that follow it in `sys.argv` (skipping options and their values) and has its
    first parameter take that many; the body receives them as a list, empty if none."""

    def get_arguments(self, ignore_unknown_help: bool | None = None) -> list[Argument]:
        arguments = super().get_arguments(ignore_unknown_help=ignore_unknown_help)
        first = self.positional[0]
        with_values = {
            name if len(name) == 1 else name.replace("_", "-")
            for argument in arguments
            if argument.takes_value and not argument.positional
            for name in argument.names
        }
        # None named: an empty list, for the task to say in French what is missing
        # (invoke's own « did not receive required positional arguments » is English).
        expected = count_file_names(sys.argv[1:], self.name, self.aliases, with_values)
        return [
            _FileNames(expected, names=argument.names, positional=True, help=argument.help)
            if argument.name == first
            else argument
            for argument in arguments
        ]


def count_file_names(argv: list[str], name: str, aliases: tuple[str, ...], with_values: set[str]) -> int:
    """How many plain words follow the task's name in `argv`, options and their values aside."""
    names = {name, *aliases}
    start = next((index for index, token in enumerate(argv) if token in names), None)
    if start is None:
        return 0
    count = 0
    tokens = iter(argv[start + 1 :])
    for token in tokens:
        if token == "--":
            break
        if token.startswith("-") and token != "-":
            option = token.lstrip("-").split("=", 1)[0]
            if option in with_values and "=" not in token:
                next(tokens, None)  # the option's value
            continue
        count += 1
    return count


def run_import(
    files: list[str],
    out: Path,
    force: bool,
    as_json: bool,
    tag_map: Path,
    console: Any = None,
    articles: Path | None = None,
) -> int:
    """Import `files` into `out`, print the report; the exit status (1 if a file failed).
    The progress bar goes to `console` (standard error by default), for many files;
    `articles`, the carnet's, give the categories to choose from and show copies."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from .pipeline import import_files
    from .report import as_json as json_report
    from .report import as_text

    paths = [Path(name) for name in files]
    errors = console or Console(stderr=True)
    with Progress(
        TextColumn("Import"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        console=errors,
        transient=True,
        disable=len(paths) < 2 or not errors.is_terminal,
    ) as progress:
        bar = progress.add_task("", total=len(paths))

        def advance(result) -> None:
            progress.update(bar, advance=1, description=result.source.name)

        results, notes = import_files(
            paths, out, force=force, tag_map=tag_map, on_done=advance, articles=articles
        )
    print(json_report(results, out, notes) if as_json else as_text(results, out, notes))
    return 1 if any(result.error for result in results) else 0
