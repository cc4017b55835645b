"""The import, step by step: decode, remove chrome, read metadata, rebuild the body,
suggest tags, write the draft. `import_files` does it for many files, and goes on
after a file that cannot be imported."""

import datetime
import logging
import os
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from slugify import slugify

from carnet.importer import chrome, drafts, metadata, structure

from .archive import Archive, Copy, load_archive
from .decoding import read_raw
from .errors import RawTextError
from .model import Body, Metadata, Removal
from .tags import Suggestion, TagForms, TagMapUnusable, load_tag_forms, suggest_tags
from .text import split_lines

logger = logging.getLogger(__name__)

# As `invoke new` writes them: the build keeps the article offline until they are filled in.
CATEGORY_TO_FILL = "À compléter"
TAGS_TO_FILL = "à compléter"

_KIND_NAMES = {
    chrome.BLOG: "Billet de blogue",
    chrome.FORUM: "Message de forum",
    chrome.NEWSLETTER: "Lettre d’information",
}


@dataclass
class Draft:
    """Everything found in one raw text, before it is written."""

    source: str  # the raw file's name
    metadata: Metadata
    body: Body
    removals: list[Removal]  # every line taken out of the text, in source order
    notes: list[str]  # what could not be decided, in French
    suggestions: list[Suggestion] = field(default_factory=list)
    encoding: str = "utf-8"
    today: datetime.date = field(default_factory=datetime.date.today)
    copy_of: Copy | None = None  # the article of the carnet this text copies

    @property
    def stem(self) -> str:
        if self.metadata.title:
            # « Qu'en est-il » → « quen-est-il », as `invoke new` does with « L’écoute ».
            slug = slugify(self.metadata.title.value.replace("'", "").replace("’", ""))
            if slug:
                return slug[:80].rstrip("-")
        return "sans-titre-" + (slugify(Path(self.source).stem) or "brouillon")

    def header(self) -> list[tuple[str, str]]:
        meta = self.metadata
        header = [("Title", meta.title.value if meta.title else drafts.TITLE_MARKER)]
        if meta.title is None:
            header.append(("Title_missing", "oui"))
        if meta.subtitle:
            header.append(("Subtitle", meta.subtitle.value))
        if meta.date:
            header.append(("Date", meta.date.value))
        else:
            header.append(("Modified", self.today.isoformat()))
        header.append(("Author", meta.author.value if meta.author else drafts.AUTHOR_MARKER))
        if meta.author is None:
            header.append(("Author_missing", "oui"))
        header.append(("Category", CATEGORY_TO_FILL))
        header.append(("Tags", ", ".join(meta.tags) if meta.tags else TAGS_TO_FILL))
        if self.suggestions:
            header.append(("Tags_suggested", ", ".join(s.label for s in self.suggestions)))
        if meta.summary:
            header.append(("Summary", drafts.escape_inline(meta.summary.value)))
        header += [("Slug", ""), ("Lang", "fr"), ("Status", "draft")]
        if self.body.resume:
            header.append(("Resume_source", "auteur"))
        source = self.source_line()
        if source:
            header.append(("Source", source))
        header.append(("Source_file", Path(self.source).name))
        return header

    def source_line(self) -> str | None:
        kind = _KIND_NAMES.get(self.metadata.kind or "")
        if kind and self.metadata.rubric:
            return f"{kind}, rubrique « {self.metadata.rubric} »"
        return kind

    def markdown_body(self) -> str:
        parts = []
        if self.body.resume:
            parts.append(drafts.render_resume(self.body.resume))
        parts.extend(drafts.render_block(block) for block in self.body.blocks)
        return "\n\n".join(parts)

    def text(self) -> drafts.DraftText:
        return drafts.DraftText(self.header(), self.markdown_body())


@dataclass
class ImportResult:
    source: Path
    draft: Draft | None = None
    path: Path | None = None  # where the draft was written
    error: str | None = None


def import_text(
    text: str,
    source: str,
    tag_forms: list[TagForms] | None = None,
    today: datetime.date | None = None,
    encoding: str = "utf-8",
    categories: list[str] | None = None,
) -> Draft:
    """Read one raw text; a `RawTextError` if no article is left once the chrome is out."""
    lines = split_lines(text)
    found = chrome.find_chrome(lines)
    meta = metadata.find_metadata(lines, found.removed)
    meta.kind = _kind(found, meta)
    meta.rubric = meta.rubric or found.section
    body = structure.build_body(lines, found.removed, meta)
    if not body.blocks and not body.resume:
        raise RawTextError(
            source, "aucun texte d’article : tout ce qui reste ressemble à l’habillage d’une page"
        )
    removals = sorted(
        [*found.removed.values(), *meta.consumed.values(), *body.removals], key=lambda removal: removal.line
    )
    draft = Draft(
        source=source,
        metadata=meta,
        body=body,
        removals=removals,
        notes=[*meta.notes, *found.notes, *body.notes],
        encoding=encoding,
        today=today or datetime.date.today(),
    )
    if tag_forms:
        body_text = " ".join(block.text for block in body.blocks)
        title = meta.title.value if meta.title else ""
        draft.suggestions = suggest_tags(title, body_text, tag_forms, given=meta.tags)
    choose = f"Catégorie à choisir (Category: {CATEGORY_TO_FILL}) avant publication"
    draft.notes.append(
        f"{choose}, parmi celles du carnet : {', '.join(categories)}." if categories else f"{choose}."
    )
    if not meta.tags:
        draft.notes.append(f"Étiquettes à écrire (Tags: {TAGS_TO_FILL}) avant publication.")
    return draft


def _kind(found: chrome.Chrome, meta: Metadata) -> str | None:
    kinds = found.kinds()
    for kind in (chrome.FORUM, chrome.NEWSLETTER, chrome.BLOG):
        if kind in kinds:
            return kind
    if any("plateforme" in removal.reason for removal in meta.consumed.values()):
        return chrome.FORUM if meta.rubric else chrome.BLOG
    return None


def import_file(
    path: Path,
    out: Path,
    force: bool = False,
    tag_forms: list[TagForms] | None = None,
    today: datetime.date | None = None,
    archive: Archive | None = None,
) -> ImportResult:
    result = ImportResult(source=path)
    try:
        refuse_outside_link(path)
        raw = read_raw(path)
        draft = import_text(
            raw.text,
            path.name,
            tag_forms=tag_forms,
            today=today,
            encoding=raw.encoding,
            categories=archive.categories if archive else None,
        )
        if archive is not None:
            # With --force, the draft it replaces is not a copy to report.
            replaced = out / f"{draft.stem}.md" if force else None
            draft.copy_of = archive.copy_of(draft.markdown_body(), skip=replaced)
        result.draft = draft
        result.path = drafts.write_draft(draft.text(), out, draft.stem, force=force)
    except RawTextError as error:
        result.error = str(error)
    except OSError as error:
        result.error = str(RawTextError(str(path), f"écriture du brouillon impossible ({error})"))
    return result


def refuse_outside_link(path: Path) -> None:
    """A raw file that is a link leading out of its folder is refused: its draft would go
    online under /brouillons/ (`ln -s /etc/passwd x.txt`). So is what is no plain file (a
    named pipe would wait forever)."""
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            raise RawTextError(str(path), f"lien vers {os.readlink(path)}, introuvable : refusé") from None
        if not target.is_relative_to(path.parent.resolve()):
            raise RawTextError(
                str(path),
                f"lien vers {target}, hors de son dossier : refusé "
                "(importez une copie du fichier, pas un lien)",
            )
    if path.exists() and not path.is_dir() and not stat.S_ISREG(path.stat().st_mode):
        raise RawTextError(str(path), "ni un fichier ni un dossier (tube, périphérique ?) : refusé")


def import_files(
    paths: Iterable[Path],
    out: Path,
    force: bool = False,
    tag_map: Path | None = None,
    today: datetime.date | None = None,
    on_done: Callable[[ImportResult], None] | None = None,
    articles: Path | None = None,
) -> tuple[list[ImportResult], list[str]]:
    """Import every file; returns the results and notes about the whole run (the tag map).
    `articles`: the carnet's articles, for its categories and to see copies of them."""
    notes: list[str] = []
    # Read before any draft is written: a draft of this run is not « already in the carnet ».
    archive = load_archive(articles) if articles is not None and articles.is_dir() else None
    tag_forms = None
    if tag_map is not None:
        try:
            tag_forms = load_tag_forms(tag_map)
        except TagMapUnusable as error:
            notes.append(f"Carte des étiquettes inutilisable, pas de suggestion d’étiquettes : {error}")
        else:
            if tag_forms is None:
                notes.append(f"Pas de carte des étiquettes ({tag_map}) : pas de suggestion d’étiquettes.")
    results = []
    for path in paths:
        result = import_file(Path(path), out, force=force, tag_forms=tag_forms, today=today, archive=archive)
        results.append(result)
        if on_done is not None:
            on_done(result)
    return results, notes
