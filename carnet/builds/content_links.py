"""What content/ may hold: nothing that leads outside it.

Pelican follows links: `ln -s /etc/passwd content/images/passwd.txt`, or a link to a
whole folder, would be copied into the site and served. Such links are refused before
a build writes anything. A link to another place inside content/ stays allowed.
"""

import os
import stat
from pathlib import Path


def refused_places(content: Path, root: Path) -> list[tuple[str, str]]:
    """(path shown, why in French) for each link under `content` that leads outside it (or
    nowhere, or round in a loop), and for each entry that is neither a file nor a folder (a
    named pipe would make the build wait forever). Paths are shown relative to `root`."""
    content = Path(content)
    inside = content.resolve()
    content_shown = _shown(content, root)
    problems = []
    for folder, folders, files in os.walk(content):  # links to folders are listed, not followed
        for name in sorted([*folders, *files]):
            path = Path(folder) / name
            if path.is_symlink():
                problem = _link_problem(path, inside, content_shown)
            elif name in files and not stat.S_ISREG(path.lstat().st_mode):
                problem = "ni un fichier ni un dossier (tube, périphérique ?) : refusé"
            else:
                problem = None
            if problem:
                problems.append((_shown(path, root), problem))
    return problems


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
