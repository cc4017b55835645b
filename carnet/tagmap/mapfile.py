"""Load and validate the tag map file (TOML): themes, and each tag's labels, slugs and aliases.

[groups.partenariat]
fr = "Le partenariat"
en = "Partnership"

[tags.partenariat]
group = "partenariat"
fr = "Partenariat"
en = "partnership"
aliases = ["partenaires"]                 # optional
slug_fr = "partenariat"                   # optional: default, the label slugified
slug_en = "partnership"                   # optional
description_fr = "Travailler à plusieurs." # optional, one line
description_en = "Working together."      # optional, one line

Every problem is collected with its line, so that one build reports them all.
"""

import difflib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from slugify import slugify

from .matching import Resolver, fold

GROUP_FIELDS = ("fr", "en")
TAG_FIELDS = ("group", "fr", "en", "slug_fr", "slug_en", "aliases", "description_fr", "description_en")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")
_KEY_PART = re.compile(r"""\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*(?:\.|$)""")


@dataclass(frozen=True)
class Problem:
    line: int | None
    message: str


class TagMapError(ValueError):
    """The map cannot be used; each problem says where it is and how to fix it."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = problems
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        return [
            f"{self.source}:{problem.line}: {problem.message}"
            if problem.line
            else f"{self.source}: {problem.message}"
            for problem in self.problems
        ]


@dataclass(frozen=True)
class Group:
    key: str
    fr: str
    en: str
    line: int | None = None


@dataclass(frozen=True)
class TagEntry:
    key: str
    group: str
    fr: str
    en: str
    slug_fr: str
    slug_en: str
    aliases: tuple[str, ...] = ()
    description_fr: str = ""
    description_en: str = ""
    line: int | None = None

    @property
    def forms(self) -> tuple[str, ...]:
        """Every way an author may write this tag."""
        return (self.fr, self.en, *self.aliases)


@dataclass(frozen=True)
class TagMap:
    source: str
    groups: dict[str, Group]
    tags: dict[str, TagEntry]

    def resolver(self) -> Resolver:
        return Resolver((entry.key, form) for entry in self.tags.values() for form in entry.forms)


def load_map(path: Path) -> TagMap | None:
    """The map in `path`, or None when there is no such file (the plugin then stays idle)."""
    if not path.is_file():
        return None
    return parse_map(path.read_text(encoding="utf-8"), source=str(path))


def parse_map(text: str, source: str = "tagmap.toml") -> TagMap:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise TagMapError(source, [_toml_problem(error)]) from None
    lines = _Lines(text)
    problems: list[Problem] = []
    for name in data:
        if name not in ("groups", "tags"):
            problems.append(
                Problem(
                    lines.table(name),
                    f"table inconnue [{name}] : la carte ne contient que des tables [groups.<clé>] "
                    "et [tags.<clé>]",
                )
            )
    groups = _parse_groups(_table(data, "groups", lines, problems), lines, problems)
    tags = _parse_tags(_table(data, "tags", lines, problems), groups, lines, problems)
    _check_slugs(tags, problems)
    _check_forms(tags, lines, problems)
    if problems:
        raise TagMapError(source, sorted(problems, key=lambda p: p.line or 0))
    return TagMap(source=source, groups=groups, tags=tags)


def _toml_problem(error: tomllib.TOMLDecodeError) -> Problem:
    # tomllib's message ends with "(at line N, column M)": keep the line for the prefix.
    message = str(error)
    position = _TOML_POSITION.search(message)
    if position is None:
        return Problem(None, f"TOML invalide : {toml_reason(message)}")
    reason = toml_reason(message[: position.start()])
    return Problem(
        int(position.group(1)),
        f"TOML invalide à la colonne {position.group(2)} : {reason} ; vérifiez les guillemets, "
        'les crochets et le « = » de cette ligne (une étiquette s’écrit fr = "…")',
    )


# tomllib's usual reasons, in French; another one is quoted as tomllib says it.
_TOML_REASONS = [
    (
        re.compile(r"^Expected '(\]\]?)' at the end of an? (?:table|array) declaration"),
        "il manque « {0} » à la fin de l’en-tête",
    ),
    (re.compile(r"^Expected '=' after a key in a key/value pair"), "il manque « = » après la clé"),
    (re.compile(r"^Invalid value"), 'valeur illisible (un texte s’écrit entre guillemets droits "…")'),
    (re.compile(r"^Unterminated string"), "texte non fermé : il manque le guillemet de fin"),
    (re.compile(r"^Illegal character"), "caractère interdit ici"),
    (re.compile(r"^Invalid statement"), "ligne illisible (ni en-tête [..] ni clé = valeur)"),
    (re.compile(r"^Cannot (?:declare|overwrite)"), "cette clé ou cette table est déjà définie plus haut"),
    (re.compile(r"^Invalid initial character for a key part"), "caractère inattendu au début d’une clé"),
    (
        re.compile(r"^Expected newline or end of document"),
        "texte en trop après la valeur (une clé par ligne)",
    ),
]


def toml_reason(reason: str) -> str:
    """tomllib's reason for refusing a file, in French."""
    reason = reason.strip()
    for pattern, french in _TOML_REASONS:
        match = pattern.match(reason)
        if match:
            return french.format(*match.groups())
    return f"« {reason} »"


def _table(data: dict, name: str, lines: "_Lines", problems: list[Problem]) -> dict:
    value = data.get(name, {})
    if isinstance(value, dict):
        return value
    problems.append(
        Problem(lines.key_line(name), f"« {name} » doit être fait de tables : écrivez [{name}.<clé>]")
    )
    return {}


def _text(
    raw: dict, field: str, where: str, line: int | None, problems: list[Problem], required: bool
) -> str:
    value = raw.get(field)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        problems.append(Problem(line, f'{where} : il manque {field} = "…", un texte non vide'))
        return ""
    if "\n" in value.strip():
        problems.append(Problem(line, f"{where} : {field} doit tenir sur une ligne"))
    return value.strip()


def _unknown_fields(raw: dict, allowed: tuple[str, ...], where: str, line: int | None) -> list[Problem]:
    problems = []
    for name in sorted(set(raw) - set(allowed)):
        close = difflib.get_close_matches(name, allowed, n=1)
        hint = f"vouliez-vous dire « {close[0]} » ?" if close else f"utilisez {', '.join(allowed)}"
        problems.append(Problem(line, f"{where} : clé inconnue « {name} » : {hint}"))
    return problems


def _parse_groups(data: dict, lines: "_Lines", problems: list[Problem]) -> dict[str, Group]:
    groups = {}
    for key, raw in data.items():
        where, line = f"[groups.{key}]", lines.table("groups", key)
        if not isinstance(raw, dict):
            problems.append(Problem(line, f"{where} doit être une table avec fr et en"))
            continue
        problems.extend(_unknown_fields(raw, GROUP_FIELDS, where, line))
        fr = _text(raw, "fr", where, lines.field(line, "fr"), problems, required=True)
        en = _text(raw, "en", where, lines.field(line, "en"), problems, required=True)
        groups[key] = Group(key=key, fr=fr, en=en, line=line)
    return groups


def _parse_tags(
    data: dict, groups: dict[str, Group], lines: "_Lines", problems: list[Problem]
) -> dict[str, TagEntry]:
    tags = {}
    for key, raw in data.items():
        where, line = f"[tags.{key}]", lines.table("tags", key)
        if not isinstance(raw, dict):
            problems.append(Problem(line, f"{where} doit être une table avec group, fr et en"))
            continue
        problems.extend(_unknown_fields(raw, TAG_FIELDS, where, line))
        required = ("group", "fr", "en")
        values = {
            field: _text(raw, field, where, lines.field(line, field), problems, field in required)
            for field in (*required, "description_fr", "description_en")
        }
        group = values["group"]
        if group and group not in groups:
            known = ", ".join(groups) or "aucun pour l’instant"
            problems.append(
                Problem(
                    lines.field(line, "group"),
                    f"{where} : le groupe « {group} » n’est pas défini ; ajoutez une table [groups.{group}] "
                    f"avec fr et en, ou choisissez un groupe défini ({known})",
                )
            )
        slugs = {
            lang: _slug(raw, f"slug_{lang}", values[lang], where, lines.field(line, f"slug_{lang}"), problems)
            for lang in ("fr", "en")
        }
        aliases = _aliases(raw, where, lines.field(line, "aliases"), problems)
        if not (values["fr"] and values["en"]):
            continue  # nothing to compare with the other tags; the problem is already said
        tags[key] = TagEntry(
            key=key,
            group=group,
            fr=values["fr"],
            en=values["en"],
            slug_fr=slugs["fr"],
            slug_en=slugs["en"],
            aliases=aliases,
            description_fr=values["description_fr"],
            description_en=values["description_en"],
            line=line,
        )
    return tags


def _slug(raw: dict, field: str, label: str, where: str, line: int | None, problems: list[Problem]) -> str:
    value = raw.get(field)
    if value is None:
        slug = slugify(label)
        if label and not slug:
            problems.append(
                Problem(line, f'{where} : « {label} » ne donne pas d’adresse ; écrivez {field} = "…"')
            )
        return slug
    if not isinstance(value, str) or not _SLUG.match(value):
        problems.append(
            Problem(
                line,
                f"{where} : {field} = {value!r} n’est pas un slug ; utilisez des minuscules sans accent, "
                'des chiffres et des tirets simples, comme "savoir-etre"',
            )
        )
        return ""
    return value


def _aliases(raw: dict, where: str, line: int | None, problems: list[Problem]) -> tuple[str, ...]:
    value = raw.get("aliases", [])
    if not isinstance(value, list) or not all(isinstance(a, str) and a.strip() for a in value):
        example = 'aliases = ["…", "…"]'
        problems.append(Problem(line, f"{where} : aliases doit être une liste de textes, comme {example}"))
        return ()
    return tuple(alias.strip() for alias in value)


def _check_slugs(tags: dict[str, TagEntry], problems: list[Problem]) -> None:
    for lang, language in (("fr", "français"), ("en", "anglais")):
        owners: dict[str, TagEntry] = {}
        for entry in tags.values():
            slug = getattr(entry, f"slug_{lang}")
            if not slug:
                continue  # an invalid slug, already reported
            other = owners.setdefault(slug, entry)
            if other is not entry:
                problems.append(
                    Problem(
                        entry.line,
                        f"[tags.{entry.key}] et [tags.{other.key}] (ligne {other.line}) ont le même slug "
                        f"{language} « {slug} » : leurs pages auraient la même adresse ; "
                        f'donnez à l’une un autre slug_{lang} = "…"',
                    )
                )


def _check_forms(tags: dict[str, TagEntry], lines: "_Lines", problems: list[Problem]) -> None:
    """A written tag must lead to one tag only: no label or alias may name two tags."""
    owners: dict[str, tuple[TagEntry, str]] = {}
    for entry in tags.values():
        for form in entry.forms:
            folded = fold(form)
            if not folded:
                problems.append(
                    Problem(entry.line, f"[tags.{entry.key}] : « {form} » n’a ni lettre ni chiffre")
                )
                continue
            other, other_form = owners.setdefault(folded, (entry, form))
            if other is not entry:
                field = "aliases" if form in entry.aliases else ("fr" if form == entry.fr else "en")
                problems.append(
                    Problem(
                        lines.field(entry.line, field),
                        f"[tags.{entry.key}] : « {form} » nomme déjà [tags.{other.key}] "
                        f"(« {other_form} », ligne {other.line}), sans compter majuscules et accents ; "
                        "une étiquette écrite mène à une seule entrée : gardez-la dans une seule",
                    )
                )


class _Lines:
    """Find where a table or a key is written, for messages that give a line number."""

    def __init__(self, text: str):
        self.lines = text.splitlines()

    def table(self, *path: str) -> int | None:
        for number, line in enumerate(self.lines, start=1):
            header = _HEADER.match(line)
            parts = _split_key(header.group(1)) if header else None
            if parts and parts[: len(path)] == list(path):
                return number
        # Not a [header]: an inline table or a dotted key, `name = {…}` or `name.fr = …`.
        return self.key_line(path[-1])

    def key_line(self, name: str) -> int | None:
        pattern = re.compile(rf"""^\s*(?:[\w."'-]+\.)?["']?{re.escape(name)}["']?\s*[.=]""")
        for number, line in enumerate(self.lines, start=1):
            if pattern.match(line):
                return number
        return None

    def field(self, table_line: int | None, name: str) -> int | None:
        """The line of `name = …` inside the table that starts at `table_line`."""
        if table_line is None:
            return None
        pattern = re.compile(rf"^\s*{re.escape(name)}\s*=")
        for number in range(table_line + 1, len(self.lines) + 1):
            line = self.lines[number - 1]
            if _HEADER.match(line):
                break
            if pattern.match(line):
                return number
        return table_line


def _split_key(dotted: str) -> list[str] | None:
    parts, position = [], 0
    while position < len(dotted):
        match = _KEY_PART.match(dotted, position)
        if match is None or match.end() == position:
            return None
        parts.append(next(group for group in match.groups() if group is not None))
        position = match.end()
    return parts
