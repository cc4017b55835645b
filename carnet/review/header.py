"""The metadata header an author writes, checked line by line: no Pelican here.

Pelican keeps only the values; the author needs the line of each key, the keys it
silently ignores (« Statut: draft » publishes a draft) and the values that were never
filled in (« À compléter », « [TITRE À TROUVER] »).
"""

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache

from babel import Locale, UnknownLocaleError
from markdown.extensions.meta import BEGIN_RE, END_RE, META_MORE_RE, META_RE
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
# A line an author means as `Key: value`, read more loosely than Pelican reads it (a space
# before the colon, an accent, a space or an apostrophe in the key), so that it is said.
# Any space counts, as the no-break spaces of French typography (« Status\u202f: draft »).
_KEY_LINE = re.compile(r"^(?P<indent>[^\S\n]*)(?P<key>\w[\w\-’' ]{0,40}?)[^\S\n]*:\s?(?P<value>.*)$")
_BOM = "\ufeff"
# A language code as BCP 47 writes it: the language in small letters, then subtags (pt-BR).
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
# Keys whose lines Pelican joins (its FORMATTED_FIELDS); of any other, a second line (indented,
# or the key written again) is a second value: Pelican keeps the first of those it allows
# once (its DUPLICATES_DEFINITIONS_ALLOWED), and makes a list of the others' values.
FORMATTED_KEYS = frozenset({"summary"})
# Pelican's DUPLICATES_DEFINITIONS_ALLOWED (pelican/readers.py), its keys allowed once
# (tests/test_author_mistakes.py checks that they are still Pelican's).
ONCE_KEYS = frozenset(
    {"tags", "date", "modified", "status", "category", "author", "save_as", "url", "authors", "slug"}
)
# Python-Markdown's tab width: it expands tabs before reading the header.
_TAB = 4


@dataclass(frozen=True)
class Entry:
    key: str  # as written; empty for a line that is no `Key: value` at all
    value: str
    line: int
    # Whether Pelican reads it: Python-Markdown's header ends at the first line it does not
    # take (META_RE: no space before the colon, no accent or space in the key), and that line
    # and the ones after are the article's text.
    read: bool = True
    # The lines indented under it (Python-Markdown's META_MORE_RE), each (line, text): the
    # project's reader joins them to the value (plugins/resume/reader.py), but for a key
    # Pelican allows once (ONCE_KEYS), of which it keeps the first line only.
    continued: tuple[tuple[int, str], ...] = ()
    indent: bool = False  # it starts with spaces (not enough for Pelican to read it as a continuation)


def read_header(text: str) -> list[Entry]:
    """The `Key: value` lines at the top of a Markdown article, as Python-Markdown's meta
    extension reads them (its own expressions; `---` before and `---` or `...` after are
    allowed; a line indented by four spaces continues the key above), and then on, more
    loosely, past a line where Pelican's header ends, up to the blank line: a key Pelican
    misses is still found, and said (`read` False from there)."""
    lines = text.removeprefix(_BOM).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    first = 1 if lines and BEGIN_RE.match(lines[0]) else 0
    # The header's block: up to the first blank line (the text after it is not read).
    end = next((index for index in range(first, len(lines)) if not lines[index].strip()), len(lines))
    lines = [line.expandtabs(_TAB) for line in lines[:end]]
    entries: list[Entry] = []
    read = True
    known_after = _known_keys_after(lines, first)
    for index in range(first, len(lines)):
        line, number = lines[index], index + 1
        if END_RE.match(line):
            break
        meta = META_RE.match(line)
        if meta is None and entries and META_MORE_RE.match(line):
            last = entries[-1]
            more = line.strip()
            joined = last.key and not _known(last.key, ONCE_KEYS)  # (a line that is no key: its own)
            value = f"{last.value} {more}".strip() if joined else last.value
            entries[-1] = replace(last, value=value, continued=(*last.continued, (number, more)))
            continue
        read = read and meta is not None
        if meta is not None:
            entries.append(Entry(meta.group("key"), meta.group("value").strip(), number, read))
            continue
        loose = _KEY_LINE.match(line)
        if loose is not None:
            key = loose.group("key").strip()
            entries.append(
                Entry(key, loose.group("value").strip(), number, False, indent=bool(loose["indent"]))
            )
        elif known_after[index]:  # a line that is no key, a known key line after it
            entries.append(Entry("", line.strip(), number, False, indent=line[:1].isspace()))
        else:
            break
    return entries


def _known_keys_after(lines: list[str], first: int) -> list[bool]:
    """For each line of the header's block, whether a line of a known key follows it: then a
    line that is no key at all does not end the author's header, only Pelican's (one made of
    a paragraph with no blank line before it does)."""
    after = [False] * (len(lines) + 1)
    for index in range(len(lines) - 1, first - 1, -1):
        after[index] = after[index + 1] or _key_line_of(lines[index]) is not None
    return after[1:]


def _key_line_of(text: str) -> str | None:
    """The known key of a `Key: value` line, read loosely (an indented one too), or None."""
    match = META_RE.match(text) or _KEY_LINE.match(text)
    return _known(match.group("key").strip()) if match else None


def header_end(entries: list[Entry]) -> int:
    """The line after the header's last."""
    return (
        max((max((entry.line, *(line for line, _ in entry.continued))) for entry in entries), default=0) + 1
    )


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
    found.extend(structure_findings(source, entries))
    for entry in entries:  # a key line indented by mistake is said (_continued_findings), not missing
        meant_keys.update(key.casefold() for _, text in entry.continued if (key := _key_line_of(text)))
    for entry in entries:
        key = matchable(entry.key).replace(" ", "_")
        if not entry.key:  # no key at all: said by structure_findings
            continue
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


def structure_findings(
    source: str, entries: list[Entry], severity: str = ERROR, misspelt_too: bool = False
) -> list[Finding]:
    """What makes Pelican read the header otherwise than it is written: the line where its
    header ends before the author's, a line indented under a key, a key written twice that
    Pelican would make a list of. Errors for an article (it is held back), warnings for a page.
    A cut at a misspelt key (`Catégorie:`) only with `misspelt_too`: an article's review says
    « vouliez-vous dire » there (header_findings)."""
    found = []
    cut = next((entry for entry in entries if not entry.read), None)
    if cut is not None and (misspelt_too or not cut.key or _known(cut.key) or suggestion(cut.key) is None):
        found.append(_cut_header(source, cut, entries, severity))
    seen: set[str] = set()
    for entry in entries:
        key = _known(entry.key)
        if not entry.read or key is None:
            continue
        found.extend(_continued_findings(source, key, entry, severity))
        if key.casefold() in FORMATTED_KEYS:  # Pelican joins its lines, and a second one's
            continue
        if key.casefold() in seen and key.casefold() not in ONCE_KEYS:
            found.append(  # (the others, Pelican says itself: builds/messages.py)
                Finding(
                    severity,
                    source,
                    entry.line,
                    "clé en double",
                    f"« {key} » est écrit deux fois dans l’en-tête : ses valeurs seraient jointes",
                    f"gardez une seule ligne « {key}: … »",
                )
            )
        seen.add(key.casefold())
    return found


def _continued_findings(source: str, key: str, entry: Entry, severity: str) -> Iterable[Finding]:
    """Lines indented under `entry`: a `Key: value` line indented by mistake, taken for the
    rest of the value above; or the rest of a value Pelican keeps the first line of."""
    for line, text in entry.continued:
        if META_RE.match(text) or _KEY_LINE.match(text):  # any key, known or not
            yield Finding(
                severity,
                source,
                line,
                "ligne en retrait",
                f"« {text} » est en retrait : Pelican la prend pour la suite de « {key} »",
                "retirez les espaces au début de cette ligne",
            )
            return
    if entry.continued and key.casefold() in ONCE_KEYS:
        yield Finding(
            severity,
            source,
            entry.continued[0][0],
            "ligne en retrait",
            f"ligne en retrait sous « {key} » : Pelican n’en garde que la première ligne",
            f"écrivez toute la valeur sur la ligne « {key}: … » (ligne {entry.line})",
        )


def header_problem(source: str, text: str, severity: str = ERROR) -> Finding | None:
    """The first of the header's structure_findings, if any."""
    found = structure_findings(source, read_header(text), severity)
    return min(found, key=lambda finding: finding.line) if found else None


def _known(key: str, among=KNOWN_KEYS) -> str | None:
    """The known key `key` is (as the README writes it), or None; with `among`, only of those."""
    known = KNOWN_KEYS.get(matchable(key).replace(" ", "_")) if key else None
    return known if known is not None and known.casefold() in among else None


def _cut_header(source: str, entry: Entry, entries: list[Entry], severity: str) -> Finding:
    """The line where Pelican's header ends before the author's: that line and the ones after
    it (a « Status: draft » among them) show as the text."""
    after = header_end(entries) - 1 - entry.line
    lines = f"cette ligne et les {after} suivantes" if after > 1 else "cette ligne et la suivante"
    lines = lines if after else "cette ligne"
    key = _known(entry.key)
    if not entry.key:
        cause = f"« {entry.value} » n’est pas une ligne « Clé: valeur » et"
        fix = (
            "pour continuer la valeur au-dessus, commencez la ligne par quatre espaces ; sinon retirez-la"
            if entry.indent
            else "ajoutez une ligne vide avant elle si le texte commence là ; sinon retirez-la"
        )
    elif entry.indent:
        cause = f"« {entry.key} » : le retrait au début de la ligne"
        fix = "retirez les espaces au début de cette ligne"
    elif re.fullmatch(r"[A-Za-z0-9_-]+", entry.key):
        cause = f"« {entry.key} : » : l’espace avant les deux-points"
        fix = f"écrivez « {key or entry.key}: {entry.value} »"
    else:
        cause = f"« {entry.key} » : l’espace, l’accent ou le signe dans la clé"
        fix = "retirez la ligne, écrivez une des clés du README, ou ajoutez une ligne vide avant elle"
        meant = key or suggestion(entry.key)
        fix = f"écrivez « {meant}: {entry.value} »" if meant else fix
    return Finding(
        severity,
        source,
        entry.line,
        "en-tête coupé",
        f"{cause} arrête l’en-tête : Pelican lit {lines} comme du texte",
        fix,
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
