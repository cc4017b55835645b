"""What content/ may hold: nothing that leads outside it.

Pelican follows links: `ln -s /etc/passwd content/images/passwd.txt`, or a link to a
whole folder, would be copied into the site and served. Such links are refused before
a build writes anything. A link to another place inside content/ stays allowed.
A link to nowhere whose name Pelican ignores (IGNORE_FILES) is left alone, as Pelican leaves
it: Emacs locks an article being edited with `.#article.md`, a link to nowhere, and that must
not refuse the build while the author has the article open. (Only links to nowhere: the
project reads some files Pelican ignores, such as `tagmap.toml`, itself.)
"""

import fnmatch
import os
from collections.abc import Iterable
from pathlib import Path


def refused_places(
    content: Path, root: Path, ignored: Iterable[str] = (), read_anyway: Iterable[str] = ()
) -> list[tuple[str, str]]:
    """(path shown, why in French) for each link under `content` that leads outside it (or
    nowhere, or round in a loop), and for each entry that is neither a file nor a folder (a
    named pipe would make the build wait forever). Paths are shown relative to `root`.
    `ignored`: the patterns of Pelican's IGNORE_FILES; a link to nowhere whose name matches
    one leads nowhere for anyone, and is not refused, unless the project reads that file itself
    (`read_anyway`: paths relative to `content`, such as the tag map's `tagmap.toml`)."""
    ignored = tuple(ignored)
    read_anyway = {os.path.normpath(os.path.join(content, name)) for name in read_anyway}
    content = Path(content)
    inside = content.resolve()
    content_shown = _shown(content, root)
    problems = []

    # One scandir walk: its entries know their kind without a status call each (0.4 s at
    # 5 000 articles with os.walk and two stats per file). Links to folders are not followed.
    def walk(folder: str) -> None:
        try:
            with os.scandir(folder) as listed:
                entries = sorted(listed, key=lambda entry: entry.name)
        except OSError:
            return  # an unreadable folder: Pelican says so, as os.walk left it
        folders = []
        for entry in entries:
            if entry.is_symlink():
                if _ignored_and_dangling(entry, ignored) and os.path.normpath(entry.path) not in read_anyway:
                    continue
                problem = _link_problem(Path(entry.path), inside, content_shown)
            elif entry.is_dir(follow_symlinks=False):
                folders.append(entry.path)  # after this folder's own entries, as os.walk
                continue
            elif not entry.is_file(follow_symlinks=False):
                problem = "ni un fichier ni un dossier (tube, périphérique ?) : refusé"
            else:
                problem = None
            if problem:
                problems.append((_shown(Path(entry.path), root), problem))
        for path in folders:
            walk(path)

    walk(str(content))
    return problems


def _ignored_and_dangling(entry: os.DirEntry, ignored: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatch(entry.name, pattern) for pattern in ignored) and not os.path.exists(entry.path)


def _link_problem(link: Path, inside: Path, content_shown: str) -> str | None:
    written = os.readlink(link)
    try:
        target = link.resolve(strict=True)
    except FileNotFoundError:
        return f"lien vers {written}, qui n’existe pas : refusé (supprimez-le)"
    except (OSError, RuntimeError):
        return f"lien vers {written}, qui tourne en boucle : refusé (supprimez-le)"
    kind = "du dossier" if target.is_dir() else "du fichier"
    if not target.is_relative_to(inside):
        return f"lien vers {target}, hors de {content_shown}/ : refusé (remplacez-le par une copie {kind})"
    if target.is_dir() and link.parent.resolve().is_relative_to(target):
        return f"lien vers {target}, un dossier qui le contient (boucle) : refusé (supprimez-le)"
    return None


def _shown(path: Path, root: Path) -> str:
    relative = os.path.relpath(path, root)
    return str(path) if relative.startswith("..") else relative
