"""The metadata header an author writes, checked line by line: no Pelican here.

Pelican keeps only the values; the author needs the line of each key, the keys it
silently ignores (« Statut: draft » publishes a draft) and the values that were never
filled in (« À compléter », « [TITRE À TROUVER] »).
"""

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from babel import Locale, UnknownLocaleError
from markdown.extensions.meta import META_RE
from slugify import slugify

from carnet.text.folding import matchable

from .dates import ACCEPTED_FORMS, read_date
from .findings import ERROR, WARNING, Finding

# Every key an article may carry: the README's table, and Pelican's own.
KNOWN_KEYS = {
    "title": "Title",
    "title_editorial": "Title_editorial",
    "title_missing": "Title_missing",
    "subtitle": "Subtitle",
    "date": "Date",
    "modified": "Modified",
    "author": "Author",
    "authors": "Authors",
    "author_missing": "Author_missing",
    "category": "Category",
    "tags": "Tags",
    "tags_suggested": "Tags_suggested",
    "slug": "Slug",
    "lang": "Lang",
    "status": "Status",
    "summary": "Summary",
    "source": "Source",
    "credits": "Credits",
    "source_file": "Source_file",
    "resume_source": "Resume_source",
    "template": "Template",
    "save_as": "Save_as",
    "url": "Url",
    "translation": "Translation",
}
# The key a French author is likely to have meant.
FRENCH_KEYS = {
    "titre": "Title",
    "sous-titre": "Subtitle",
    "sous_titre": "Subtitle",
    "auteur": "Author",
    "autrice": "Author",
    "auteurs": "Authors",
    "categorie": "Category",
    "theme": "Category",
    "etiquettes": "Tags",
    "etiquette": "Tags",
    "mots-cles": "Tags",
    "tag": "Tags",
    "langue": "Lang",
    "statut": "Status",
    "etat": "Status",
    "modifie": "Modified",
    "modification": "Modified",
    "resume": "Summary",
    "adresse": "Slug",
}
FILL_HINTS = {
    "title": "écrivez le titre",
    "author": "écrivez le nom de l’auteur ou de l’autrice, tel que la source le donne",
    "category": "choisissez le thème : Synchronicité, Partenariat, Savoir-être, Achats et référencement",
    "tags": "écrivez les étiquettes, séparées par des virgules (voir content/tagmap.toml)",
    "slug": "écrivez l’adresse de la page, en minuscules et tirets",
    "lang": "écrivez « fr »",
    "modified": "écrivez la date de cette édition du texte (2026-11-22)",
}
# « À compléter » (invoke new), « [TITRE À TROUVER] » (invoke import), in any case or accents.
_PLACEHOLDER = re.compile(r"^\[?.*\b(a completer|a trouver)\b.*\]?$")
_KEY_LINE = re.compile(r"^(?P<key>[A-Za-zÀ-ÿ][\w\-À-ÿ ]*?)\s*:\s?(?P<value>.*)$")
_BOM = "\ufeff"
# A language code as BCP 47 writes it: the language in small letters, then subtags (pt-BR).
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class Entry:
    key: str  # as written
    value: str
    line: int
    # Whether Pelican reads it: Python-Markdown's header ends at the first line whose key it
    # does not take (META_RE: no space before the colon, no accent or space in the key), and
    # that line and the ones after are the article's text.
    read: bool = True


def read_header(text: str) -> list[Entry]:
    """The `Key: value` lines at the top of a Markdown article (Python-Markdown's meta
    syntax: a line indented by four spaces continues the value above). Read more loosely
    than Pelican reads them, so that a key Pelican misses is still found, and said."""
    entries: list[Entry] = []
    read = True
    for number, line in enumerate(text.removeprefix(_BOM).split("\n"), start=1):
        if not line.strip():
            break
        if line.startswith(("    ", "\t")) and entries:
            last = entries[-1]
            entries[-1] = Entry(last.key, f"{last.value} {line.strip()}", last.line, last.read)
            continue
        match = _KEY_LINE.match(line)
        if match is None:
            break
        read = read and META_RE.match(line) is not None
        entries.append(Entry(match.group("key").strip(), match.group("value").strip(), number, read))
    return entries


def header_end(entries: list[Entry]) -> int:
    return entries[-1].line + 1 if entries else 1


def suggestion(key: str) -> str | None:
    """The known key that `key` was probably meant to be, or None."""
    folded = matchable(key).replace(" ", "_")
    if folded in FRENCH_KEYS:
        return FRENCH_KEYS[folded]
    close = difflib.get_close_matches(folded, KNOWN_KEYS, n=1, cutoff=0.75)
    return KNOWN_KEYS[close[0]] if close else None


def is_placeholder(value: str) -> bool:
    return bool(_PLACEHOLDER.match(matchable(value).strip()))


def header_findings(
    source: str, text: str, required: Iterable[str], default_category: str | None = None
) -> list[Finding]:
    """Every problem of the header of `source` (its text: `text`)."""
    entries = read_header(text)
    found: list[Finding] = []
    present: dict[str, Entry] = {}
    meant_keys: set[str] = set()
    cut = next((entry for entry in entries if not entry.read), None)
    for entry in entries:
        key = matchable(entry.key).replace(" ", "_")
        if entry is cut and (key in KNOWN_KEYS or suggestion(entry.key) is None):
            found.append(_cut_header(source, entry, entries))
        if key in KNOWN_KEYS:
            present.setdefault(key, entry)
            found.extend(_value_findings(source, key, entry))
            continue
        meant = suggestion(entry.key)
        if meant is not None:
            meant_keys.add(meant.casefold())
            found.append(
                Finding(
                    ERROR,
                    source,
                    entry.line,
                    "clé inconnue",
                    f"clé inconnue « {entry.key} » : vouliez-vous dire « {meant} » ?",
                    f"écrivez « {meant}: {entry.value} »",
                )
            )
        elif entry.read:  # one that is not was said above (_cut_header)
            found.append(
                Finding(
                    WARNING,
                    source,
                    entry.line,
                    "clé inconnue",
                    f"clé inconnue « {entry.key} » : Pelican l’ignore",
                    "retirez la ligne, ou écrivez une des clés du README",
                )
            )
    required = [*required]
    if "date" not in present:
        required.append("modified")  # an undated article is dated by this edition
    for key in required:
        entry = present.get(key)
        empty = entry is None or not entry.value.strip()
        if key in LIST_KEYS and entry is not None:
            empty = not list_items(entry.value)  # « Tags: , , » gives Pelican no tag
        if key == "category" and entry is not None and entry.value.strip() == default_category:
            empty = True
        if empty and key not in meant_keys:  # already said: « vouliez-vous dire »
            found.append(
                Finding(
                    ERROR,
                    source,
                    entry.line if entry else header_end(entries),
                    "métadonnée manquante",
                    f"il manque la ligne « {KNOWN_KEYS[key]}: … »"
                    if entry is None
                    else f"« {KNOWN_KEYS[key]} » est vide",
                    FILL_HINTS.get(key, f"ajoutez « {KNOWN_KEYS[key]}: … » à l’en-tête"),
                )
            )
    return found


def header_cut(source: str, text: str) -> Finding | None:
    """The error of the line where Pelican's header ends before the author's, if one does."""
    entries = read_header(text)
    cut = next((entry for entry in entries if not entry.read), None)
    return None if cut is None else _cut_header(source, cut, entries)


def _cut_header(source: str, entry: Entry, entries: list[Entry]) -> Finding:
    """The line where Pelican's header ends before the author's does: an error, since it and
    the lines after it (a « Status: draft » among them) show as the article's text."""
    after = sum(1 for other in entries if other.line > entry.line)
    lines = f"cette ligne et les {after} suivantes" if after > 1 else "cette ligne et la suivante"
    lines = lines if after else "cette ligne"
    key = KNOWN_KEYS.get(matchable(entry.key).replace(" ", "_"))
    if re.fullmatch(r"[A-Za-z0-9_-]+", entry.key):
        cause = f"« {entry.key} : » : l’espace avant les deux-points"
    else:
        cause = f"« {entry.key} » : l’espace ou l’accent dans la clé"
    return Finding(
        ERROR,
        source,
        entry.line,
        "en-tête coupé",
        f"{cause} arrête l’en-tête : Pelican lit {lines} comme du texte",
        f"écrivez « {key}: {entry.value} »" if key else "retirez la ligne, ou écrivez une des clés du README",
    )


# An address as the README asks for it, and as `invoke new` and the importer write it.
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Keys whose value is a list, split as Pelican splits it (readers.ensure_metadata_list).
LIST_KEYS = frozenset({"tags", "authors"})


@cache  # an archive has a few codes, and each article's header is read
def _known_language(code: str) -> bool:
    """Whether a well-formed code names a language (CLDR's, through Babel): « xx » does not."""
    try:
        Locale.parse(code, sep="-")
    except (UnknownLocaleError, ValueError):
        return False
    return True


def list_items(value: str) -> list[str]:
    """The items of a list value as Pelican reads them: split on « ; » if there is one, else
    on « , », each stripped, the empty ones dropped."""
    return [item.strip() for item in value.split(";" if ";" in value else ",") if item.strip()]


def _value_findings(source: str, key: str, entry: Entry) -> Iterable[Finding]:
    shown = KNOWN_KEYS[key]
    if key.endswith("_missing") and matchable(entry.value) in {"oui", "yes", "true", "1"}:
        what = KNOWN_KEYS[key.removesuffix("_missing")]
        yield Finding(
            ERROR,
            source,
            entry.line,
            "à compléter",
            f"« {shown}: {entry.value} » : {what} reste à trouver",
            f"écrivez le vrai « {what}: », puis retirez la ligne « {shown} »",
        )
    elif entry.value and is_placeholder(entry.value):
        yield Finding(
            ERROR,
            source,
            entry.line,
            "à compléter",
            f"« {shown}: {entry.value} » n’est pas rempli",
            FILL_HINTS.get(key, f"remplacez « {entry.value} » par la vraie valeur"),
        )
    elif key in ("date", "modified") and entry.value and read_date(entry.value) is None:
        yield Finding(
            ERROR,
            source,
            entry.line,
            "date illisible",
            f"date illisible : « {entry.value} »",
            f"écrivez-la sous une de ces formes : {ACCEPTED_FORMS}",
        )
    elif key == "lang" and entry.value.strip() and not _LANGUAGE_CODE.match(entry.value.strip()):
        yield Finding(
            ERROR,
            source,
            entry.line,
            "langue",
            f"langue illisible : « {entry.value.strip()} » n’est pas un code de langue",
            "écrivez un code en minuscules : « fr », « en », « de », ou « pt-BR »",
        )
    elif key == "lang" and entry.value.strip() and not _known_language(entry.value.strip()):
        yield Finding(
            WARNING,
            source,
            entry.line,
            "langue",
            f"langue inconnue : « {entry.value.strip()} » n’est le code d’aucune langue",
            "écrivez « fr », ou le code d’une langue : « en », « de », « pt-BR »",
        )
    elif key == "slug" and entry.value.strip() and not _SLUG.fullmatch(entry.value.strip()):
        yield Finding(
            WARNING,
            source,
            entry.line,
            "adresse",
            f"adresse « {entry.value.strip()} » : ses majuscules, espaces, accents ou signes y restent",
            f"écrivez « Slug: {slugify(entry.value) or 'mon-article'} », en minuscules et tirets",
        )
    elif key == "tags_suggested" and entry.value:
        yield Finding(
            WARNING,
            source,
            entry.line,
            "étiquettes",
            f"étiquettes proposées à confirmer : {entry.value}",
            "déplacez celles qui conviennent dans « Tags: », puis retirez la ligne « Tags_suggested »",
        )
