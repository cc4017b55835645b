"""Digests of what a build reads, to know when nothing changed and which content cache fits."""

import hashlib
import json
from importlib.metadata import packages_distributions, version
from pathlib import Path

from plugins.incremental.sources import tree_digest

# Import names, not distribution names: `whoosh` came from whoosh-reloaded and now comes
# from whoosh3, and the digest follows whichever is installed.
LIBRARIES = ("pelican", "markdown", "jinja2", "whoosh", "babel")


def code_digest(settings_files: list[Path], settings: dict, folders: list[Path], options: dict) -> str:
    """Everything but the content: the settings files and the values they gave (a value
    may come from the environment, as SITEURL does), theme and plugin code, versions,
    build options."""
    hasher = hashlib.blake2b(digest_size=16)
    for path in [*settings_files, *folders]:
        tree_digest(path, hasher)
    hasher.update(json.dumps(settings, sort_keys=True, default=_named).encode())
    for name, number in library_versions(LIBRARIES).items():
        hasher.update(f"{name}={number}\n".encode())
    hasher.update(repr(sorted(options.items())).encode())
    return hasher.hexdigest()


def library_versions(import_names) -> dict[str, str]:
    """The version of each distribution that provides these imports, by distribution name."""
    providers = packages_distributions()
    return {
        distribution: version(distribution)
        for name in import_names
        for distribution in sorted(set(providers.get(name, [name])))
    }


def _named(value) -> str:
    """Functions and objects in the settings count by name; their code is hashed with the files."""
    if isinstance(value, set | frozenset):
        return repr(sorted(map(repr, value)))
    name = getattr(value, "__qualname__", type(value).__qualname__)
    return f"{getattr(value, '__module__', type(value).__module__)}.{name}"


def inputs_digest(code: str, content: Path) -> str:
    """The code digest and every content file: equal digests, equal sites."""
    hasher = hashlib.blake2b(code.encode(), digest_size=16)
    tree_digest(content, hasher)
    return hasher.hexdigest()
