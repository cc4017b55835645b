"""What Pelican and the plugins log, in French, as findings with a file and a line.

The project's own review (plugins/article_review) attaches its findings to its log
records; every other line the build logs is read here, against one table of the
messages known, so that the author reads French and a place, never a Python class.
"""

import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from carnet.review.findings import ERROR, LOG_KEY, WARNING, Finding
from carnet.review.header import KNOWN_KEYS, header_end, header_problem, is_placeholder, read_header
from carnet.tagmap.mapfile import toml_reason

READ_FAILURE = "fichier illisible"


@dataclass(frozen=True)
class Known:
    pattern: re.Pattern
    severity: str | None  # None: not shown, the review already says it with the article's line
    kind: str
    message: str  # str.format with the pattern's named groups
    fix: str = ""
    header_key: str | None = None  # the line of this header key is the finding's line
    repeated_key: bool = False  # the line of the second `key` of the header (the one ignored)
    at_header_end: bool = False  # the line where a missing key goes: the end of the header


# Most specific first. `file` and `line` groups give the place.
KNOWN = [
    Known(
        re.compile(r"^Could not process (?P<file>\S+)"),
        ERROR,
        READ_FAILURE,
        "Pelican n’a pas pu lire ce fichier",
        "vérifiez l’en-tête : des lignes « Clé: valeur », puis une ligne vide",
    ),
    # Its address (Slug, Lang) leads out of output/: Pelican leaves it out; it is held back.
    Known(
        re.compile(
            r"^Skipping (?P<file>.+?): file (?P<target>'.*'|\".*\") would be written outside output path"
        ),
        ERROR,
        READ_FAILURE,
        "l’adresse de sa page, {target}, sortirait du site",
        "écrivez « Slug: » en minuscules et tirets, et « Lang: » en code de langue (fr, en, pt-BR)",
    ),
    Known(
        re.compile(r"^Unable to find '(?P<target>[^']*)', skipping url replacement"), None, "lien cassé", ""
    ),
    # Two articles at one address: the review says which keeps it and what to change.
    Known(re.compile(r"^There are \d+ (?:items|original)"), None, "adresse en double", ""),
    Known(
        re.compile(r"^(?P<file>\S+?) : (?P<what>octet .*?\(ligne (?P<line>\d+)\)) : (?P<rest>.*)$", re.S),
        ERROR,
        READ_FAILURE,
        "{what} : {rest}",
    ),
    Known(
        re.compile(r"^tag_map: (?P<file>\S+): the tag « (?P<tag>.+?) » is not in the tag map (?P<map>\S+);"),
        WARNING,
        "étiquette",
        "l’étiquette « {tag} » n’est pas dans la carte des étiquettes",
        "ajoutez-la à {map} ([tags.<clé>]) ou ajoutez « {tag} » aux alias de l’étiquette voulue",
        header_key="tags",
    ),
    Known(
        re.compile(r"^script_guard: (?P<file>[^:\s]+):(?P<line>\d+|\?): (?P<what>.+?) ; retirez-le", re.S),
        WARNING,
        "script",
        "{what}",
        "retirez-le : les pages n’exécutent aucun script venu d’un article",
    ),
    Known(
        re.compile(r"^resume: (?P<file>[^:\s]+):(?P<line>\d+): (?P<what>.+)$", re.S),
        WARNING,
        "résumé",
        "{what}",
        "faites de ce texte un article, ou retirez le bloc : le reste de la page est publié",
    ),
    Known(
        re.compile(r"^author_profiles: (?P<file>\S+) describes '(?P<name>.+)', who signs no article"),
        WARNING,
        "auteurs",
        "la biographie de « {name} » ne correspond à aucun auteur d’article",
        "écrivez dans « nom » le nom exact de la ligne « Author: », ou retirez l’entrée",
    ),
    Known(
        re.compile(
            r"^author_profiles: (?P<file>\S+?): invalid TOML: (?P<what>.*?)"
            r"(?: \(at line (?P<line>\d+), column \d+\))?$",
            re.S,
        ),
        ERROR,
        "auteurs",
        "fichier TOML mal formé : {what}",
        "corrigez la ligne indiquée",
    ),
    Known(
        re.compile(r"^author_profiles: (?P<file>\S+?): entry \[\[auteur\]\] #(?P<n>\d+) needs both"),
        ERROR,
        "auteurs",
        "l’entrée [[auteur]] n° {n} n’a pas à la fois « nom » et « bio »",
        "écrivez les deux",
    ),
    Known(
        re.compile(r"^author_profiles: (?P<file>\S+?): author '(?P<name>.+)' is described twice"),
        ERROR,
        "auteurs",
        "« {name} » est décrit deux fois",
        "gardez une seule entrée [[auteur]]",
    ),
    Known(
        re.compile(
            r"^author_profiles: (?P<file>\S+?): entry for '(?P<name>.+)' has unknown keys (?P<keys>.*);"
        ),
        ERROR,
        "auteurs",
        "l’entrée de « {name} » a des clés inconnues : {keys}",
        "n’utilisez que nom, bio, note",
    ),
    Known(
        re.compile(r"^search: building the index failed \(exit code (?P<code>-?\d+)\)"),
        ERROR,
        "recherche",
        "la construction de l’index de recherche a échoué (code {code})",
        "relancez invoke build ; si cela se répète, invoke build --full",
    ),
    Known(
        re.compile(r"^incremental: every page is rendered, a setting cannot be followed: (?P<why>.*)$", re.S),
        WARNING,
        "construction",
        "toutes les pages sont reconstruites : un réglage ne peut pas être suivi ({why})",
    ),
    # A file that a {static} or {attach} link names and that is missing or unreadable: for an
    # article the review says it too, with the line (carnet/review/sources.py); pages have no review.
    Known(
        re.compile(r"^Cannot get modification stamp for (?P<file>[^\n]+)"),
        WARNING,
        "lien cassé",
        "fichier lié par un article ou une page, introuvable ou illisible",
        "corrigez le lien, ou remettez le fichier dans content/",
    ),
    # Pelican's word once it stops repeating a warning (LimitFilter): the first ones were said.
    Known(re.compile(r"^Other resources were not found"), None, "lien cassé", ""),
    Known(
        re.compile(r"^More \{attach\} warnings silenced"),
        WARNING,
        "lien vers un fichier",
        "d’autres liens {{attach}} ne peuvent pas placer leur fichier (Pelican ne les nomme pas)",
        "liez ces fichiers avec {{static}}, ou donnez à chaque article sa propre copie",
    ),
    Known(
        re.compile(r"^The \{attach\} link in (?P<file>\S+) cannot relocate (?P<target>\S+) because"),
        WARNING,
        "lien vers un fichier",
        "{{attach}} ne peut pas placer {target} à côté de cet article : un autre lien (ou un réglage) "
        "l’a déjà placé ailleurs, où ce lien le trouve",
        "liez ce fichier avec {{static}}, ou donnez à cet article sa propre copie",
    ),
    Known(
        re.compile(
            r"^\{filename\} used for linking to static content (?P<target>.+?) in (?P<file>\S+)\. Use"
        ),
        WARNING,
        "lien vers un fichier",
        "{{filename}} mène à un fichier, {target}, pas à un article",
        "écrivez {{static}} devant le chemin de ce fichier",
    ),
    Known(
        re.compile(
            r"^Replacement Indicator (?P<q>['\"])(?P<what>.*?)(?P=q) not recognized in "
            r"(?P<r>['\"])(?P<origin>.*?)(?P=r), skipping"
        ),
        WARNING,
        "lien cassé",
        "marque de lien inconnue « {{{what}}} » dans « {origin} » : le lien est publié tel quel",
        "écrivez {{filename}}, {{static}}, {{attach}}, {{tag}}, {{category}}, {{author}} ou {{index}}",
    ),
    Known(
        re.compile(r"^Empty alt attribute for image (?P<image>\S+) in (?P<file>\S+)"),
        WARNING,
        "image sans alt",
        "l’image {image} a un texte de remplacement (alt) vide",
        "écrivez dans alt ce que montre l’image",
    ),
    Known(
        re.compile(r"^Skipping (?P<file>\S+): could not find information about '(?P<what>\w+)'"),
        ERROR,
        READ_FAILURE,
        "il manque « {what} » : Pelican ne publie pas ce fichier",
        "ajoutez la ligne à l’en-tête",
        at_header_end=True,
    ),
    Known(
        re.compile(r"^Duplicate definition of `(?P<key>[^`]+)` for (?P<file>\S+?)\. Using first one"),
        WARNING,
        "clé en double",
        "« {Key} » est écrit deux fois dans l’en-tête : seule la première ligne compte",
        "gardez une seule ligne « {Key}: … »",
        repeated_key=True,
    ),
    Known(
        re.compile(r"^Unknown status '(?P<status>[^']*)' for file (?P<file>\S+), skipping it"),
        ERROR,
        READ_FAILURE,
        "statut inconnu « {status} » : l’article n’est pas publié",
        "écrivez « Status: draft » pour un brouillon, ou retirez la ligne pour publier",
        header_key="status",
    ),
]
_PLUGIN_PREFIX = re.compile(r"^[a-z_]+: ")


def finding_of(record: logging.LogRecord, content: Path) -> Finding | None:
    """The finding a log record says, in French; None when it is a repeat of the review's."""
    attached = record.__dict__.get(LOG_KEY)
    if attached is not None:
        return Finding(*attached)
    message = record.getMessage()
    for known in KNOWN:
        match = known.pattern.match(message)
        if match is None:
            continue
        if known.severity is None:
            return None
        fields = match.groupdict()
        if is_placeholder(fields.get("tag") or ""):
            return None  # « Tags: à compléter » is already an error of the article
        file = shown(fields.get("file") or "", content)
        if known.kind == "auteurs" and file:
            # A data file, not an article: named from the project, as the tag map is.
            file = os.path.relpath(content / file) if not os.path.isabs(file) else file
            if fields.get("what"):
                fields["what"] = toml_reason(fields["what"])
        line = fields.get("line")
        line = int(line) if line and line.isdigit() else None
        problem = _header_problem(content / file) if file and known.kind == READ_FAILURE else None
        if problem is not None:  # Pelican read the header otherwise than it is written: said where
            what = fields.get("what")
            consequence = f"sans « {KNOWN_KEYS.get(what, what)} », Pelican" if what else "Pelican"
            message = f"{problem.message} ; {consequence} ne publie pas ce fichier"
            return problem._replace(file=file, kind=READ_FAILURE, message=message)
        if known.repeated_key and file:
            fields["Key"] = fields["key"].capitalize()
            line = header_line(content / file, fields["key"].casefold(), second=True)
            if line is None:  # its second value is a line indented under it: the review says it
                return None
        elif known.header_key and file:
            line = header_line(content / file, known.header_key)
        elif known.at_header_end and file:
            line = header_line(content / file, None)
        return Finding(
            known.severity,
            file,
            line,
            known.kind,
            known.message.format(**fields),
            known.fix.format(**fields),
        )
    severity = ERROR if record.levelno >= logging.ERROR else WARNING
    return Finding(severity, "", None, "construction", _PLUGIN_PREFIX.sub("", message))


def shown(path: str, content: Path) -> str:
    """A path as the review names it: relative to content/ when it is inside."""
    if not path:
        return ""
    absolute = Path(path) if os.path.isabs(path) else Path.cwd() / path
    for base in (content, content.resolve()):
        try:
            return absolute.relative_to(base).as_posix()
        except ValueError:
            pass
    return path if not (content / path).exists() else Path(path).as_posix()


def header_line(path: Path, key: str | None, second: bool = False) -> int | None:
    """The line of `key` in the file's header (`second`: of its second time); with None,
    the line just after the header."""
    text = _source_text(path)
    if text is None:
        return None
    entries = read_header(text)
    if key is None:
        return header_end(entries)
    lines = [entry.line for entry in entries if entry.key.casefold() == key]
    if second:
        return lines[1] if len(lines) > 1 else None
    return lines[0] if lines else None


def _header_problem(path: Path) -> Finding | None:
    text = _source_text(path)
    return None if text is None else header_problem("", text)


def _source_text(path: Path) -> str | None:
    """An article's text, or None when it cannot be read (then said by what read it first)."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None


# Exceptions that stop Pelican, in French (the message a bare exception gives misleads:
# « set override=True if intended »).
_OVERWRITE = re.compile(r'Failed to overwrite "(?:.*/output/)?(?P<file>[^"]+)"')


def exception_message(error: BaseException) -> str:
    if type(error).__name__ == "FileOverwriteFailedError":
        match = _OVERWRITE.search(str(error))
        where = f"/{match.group('file')}" if match else "le même fichier"
        return f"deux pages s’écriraient dans {where}. Donnez-leur des « Slug: » différents."
    return f"{type(error).__name__} : {error}"


def exception_finding(error: BaseException, root: Path) -> Finding:
    """An exception that stopped the whole build, as an error of the site; a template's
    error at the template's file and line (paths shown from `root`, the project)."""
    template = _template_place(error)
    if template is None:
        return Finding(ERROR, "", None, "construction", exception_message(error))
    path, line = template
    file = shown(path, root) if os.path.isabs(path) else path
    return Finding(
        ERROR,
        file,
        line,
        "gabarit",
        f"erreur dans le gabarit : {_template_reason(error)}",
        "corrigez cette ligne du gabarit (theme/templates/) ; le site en ligne n’a pas changé",
    )


def _template_place(error: BaseException) -> tuple[str, int | None] | None:
    """Where in a Jinja template `error` happened: Jinja puts the template's own frames
    (file name, line) into the traceback; a syntax error carries them itself."""
    try:
        from jinja2 import TemplateError, TemplateSyntaxError
    except ImportError:  # pragma: no cover - Pelican requires Jinja
        return None
    if not isinstance(error, TemplateError):
        return None
    if isinstance(error, TemplateSyntaxError) and (error.filename or error.name):
        return (error.filename or error.name, error.lineno)
    place = None
    trace = error.__traceback__
    while trace is not None:
        name = trace.tb_frame.f_code.co_filename
        if name.endswith((".html", ".xml", ".j2", ".jinja")):
            place = (name, trace.tb_lineno)  # the innermost template frame wins
        trace = trace.tb_next
    return place or ("theme/templates", None)


# Jinja's usual messages, in French; anything else is quoted as Jinja says it.
_JINJA = [
    (
        re.compile(r"^'(?P<what>.+)' has no attribute '(?P<name>.+)'$"),
        "« {what} » n’a pas d’attribut « {name} »",
    ),
    (re.compile(r"^'(?P<name>.+)' is undefined$"), "« {name} » n’est pas défini"),
    (
        re.compile(r"^Expected an expression, got '(?P<got>.+)'$"),
        "une expression était attendue, pas « {got} »",
    ),
    (re.compile(r"^unexpected '(?P<got>.+)'$"), "« {got} » inattendu"),
    (re.compile(r"^Unexpected end of template\b"), "le gabarit se termine avant la fin d’un bloc"),
    (re.compile(r"^Encountered unknown tag '(?P<tag>.+?)'"), "balise inconnue « {tag} »"),
    (re.compile(r"^expected token '(?P<want>.+)', got '(?P<got>.+)'$"), "« {want} » attendu, pas « {got} »"),
    (re.compile(r"^no filter named '(?P<name>.+)'$"), "pas de filtre nommé « {name} »"),
]


def _template_reason(error: BaseException) -> str:
    said = getattr(error, "message", None) or str(error)
    said = said.replace("pelican.contents.", "").replace(" object'", "'")
    said = said.replace("end of print statement", "}}").replace("end of statement block", "%}")
    for pattern, french in _JINJA:
        match = pattern.match(said)
        if match:
            return french.format(**match.groupdict())
    return f"{'erreur de syntaxe' if 'Syntax' in type(error).__name__ else 'erreur'} (Jinja : « {said} »)"
