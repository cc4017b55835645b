"""Build the index in a fresh folder and swap it in whole, so readers never see half an index."""

import collections
import contextlib
import fcntl
import hashlib
import json
import os
import pickle
import shutil
import subprocess
import sys
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path

from whoosh import index

from . import forked_analysis
from .documents import SearchDocument, word_counts
from .documents import vocabulary as words_vocabulary
from .forking import PIPE_BYTES
from .garbage import fewer_collections
from .live_statistics import field_lengths, index_values, load_lengths, save_lengths, scored_fields
from .schema import build_schema
from .segment_writing import fast_segment, field_index

INDEX_NAME = "carnet"
# Every way of writing a tag (labels, aliases, slugs, folded) → its key, for `tag:` filters.
TAG_NAMES_FILE = "tag-names.json"
# The archive's words as written, with their counts, for did-you-mean.
VOCABULARY_FILE = "vocabulary.json"
# A digest of each indexed document, so that the next build re-indexes only what changed.
DOCUMENTS_FILE = "documents.json"
# Each article's text by the digest of the HTML it was taken from, for the next build.
TEXTS_FILE = "texts.pickle"
# Each tag key with its French label, for the facets (without reading every article at start-up).
TAG_LABELS_FILE = "tag-labels.json"
# Each tag key with its labels and aliases as written (French label first), for the
# query-time expansion across languages and for did-you-mean.
TAG_FORMS_FILE = "tag-forms.json"
# Whoosh sorts postings in memory up to this size, then spills runs to disk and merges
# them again: 5 000 articles hold about 400 MB of postings, which fit.
POOL_LIMIT_MB = 1024
# Each segment's files stay apart: Whoosh copies a compound file's parts into memory for
# every searcher it opens (85 MB a thread at 5 000 articles), and assembling one costs
# a copy at each commit. Separate files are read through the page cache, shared by all.
WRITER_OPTIONS = {"compound": False}


class IndexMissing(RuntimeError):
    """No index at the expected place: the site has not been built yet."""


# Analysed field values: field name → text → what Whoosh's field.index(text) gives.
Analysed = dict[str, dict[str, list]]


def build_index(
    documents: Iterable[SearchDocument],
    folder: Path,
    tag_names: dict[str, str],
    analysed: Analysed | None = None,
    tag_forms: dict[str, list[str]] | None = None,
) -> Path:
    """Write a new index of `documents` into `folder`, which is emptied first.

    `analysed` holds field values analysed ahead of time; any other value is analysed here.
    `tag_forms`: every tag of the tag map with its labels and aliases, used or not."""
    folder = Path(folder)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()  # not its parents: a build folder thrown away must stay away
    documents = list(documents)
    built = index.create_in(str(folder), build_schema(), indexname=INDEX_NAME)
    words = None
    with (
        built.writer(limitmb=POOL_LIMIT_MB, **WRITER_OPTIONS) as writer,
        fast_segment(writer) as fast,
        analysis_reused(writer.schema, analysed or {}),
    ):
        if fast is not None and forked_analysis.can_fork(len(documents)):
            words = forked_analysis.add_documents(writer, documents, [d.fields() for d in documents])
        else:
            for document in documents:
                writer.add_document(**document.fields())
    vocabulary = word_counts(documents) if words is None else words_vocabulary(words)
    write_companions(folder, documents, tag_names, vocabulary, tag_forms)
    with built.reader() as reader:  # one segment, nothing deleted: Whoosh's sums are exact
        save_lengths(folder, {name: reader.field_length(name) for name in scored_fields(built.schema)})
    return folder


def analyse_ahead(schema, analysed: Analysed, fieldname: str, text: str) -> None:
    if text not in analysed.setdefault(fieldname, {}):
        analysed[fieldname][text] = list(field_index(schema[fieldname])(text))


@contextmanager
def analysis_reused(schema, analysed: Analysed):
    """While adding documents, the fields of `analysed` take a known value's analysis
    from it. The fields are put back before the writer commits, which stores the schema."""
    patched = []
    try:
        for fieldname, known in analysed.items():
            field = schema[fieldname]

            def reuse(value, _known=known, _index=field.index, **options):
                # Taken out once used: the writer holds the postings from then on.
                items = None if options else _known.pop(value, None)
                return items if items is not None else _index(value, **options)

            # What was there before: the class's method, or the cheaper path's.
            patched.append((field, field.__dict__.get("index")))
            field.index = reuse
        yield
    finally:
        for field, before in reversed(patched):
            if before is None:
                del field.index
            else:
                field.index = before


def write_companions(
    folder: Path,
    documents: list[SearchDocument],
    tag_names: dict[str, str],
    vocabulary: dict[str, int],
    tag_forms: dict[str, list[str]] | None = None,
    digests: dict[str, str] | None = None,
) -> None:
    """The files beside the Whoosh index: tag names, vocabulary, document digests, texts.
    (`digests`: the documents' digests, when already made.)"""
    texts = {document.source: document.body for document in documents if document.source}
    (folder / TEXTS_FILE).write_bytes(pickle.dumps(texts, protocol=pickle.HIGHEST_PROTOCOL))
    companions = {
        TAG_NAMES_FILE: tag_names,
        TAG_LABELS_FILE: {
            key: label for d in documents for key, label in zip(d.tag_keys, d.tags, strict=False)
        },
        TAG_FORMS_FILE: all_tag_forms(documents, tag_names, tag_forms),
        VOCABULARY_FILE: vocabulary,
        DOCUMENTS_FILE: document_digests(documents) if digests is None else digests,
    }
    for name, data in companions.items():
        (folder / name).write_text(json.dumps(data, ensure_ascii=False, sort_keys=True), "utf-8")


def all_tag_forms(
    documents: Iterable[SearchDocument], tag_names: dict[str, str], mapped: dict[str, list[str]] | None
) -> dict[str, list[str]]:
    """key → the tag's French label, then its other labels and aliases, as written: the
    tag map's (`mapped`, tags no article uses yet included), then the articles' own.

    A document lists its tags' other forms all together; `tag_names` (every folded
    form → key) tells which tag each belongs to. From what the build has, not from
    the index, so that an incremental update writes what a full build writes."""
    from .analysis import fold

    forms: dict[str, dict[str, None]] = {
        key: dict.fromkeys(written) for key, written in (mapped or {}).items()
    }
    for document in documents:
        for key, label in zip(document.tag_keys, document.tags, strict=False):
            forms.setdefault(key, {}).setdefault(label, None)
        for term in document.tag_terms:
            key = tag_names.get(fold(term))
            if key in forms:
                forms[key].setdefault(term, None)
    return {key: list(written) for key, written in forms.items()}


def document_digests(documents: Iterable[SearchDocument]) -> dict[str, str]:
    return {
        document.url: hashlib.blake2b(
            json.dumps(document.fields(), sort_keys=True, default=str).encode(), digest_size=16
        ).hexdigest()
        for document in documents
    }


def replace_index(fresh: Path, target: Path) -> None:
    """Put the index built in `fresh` where `target` was, keeping the old one until the end."""
    fresh, target = Path(fresh), Path(target)
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def update_index(
    folder: Path,
    documents: list[SearchDocument],
    tag_names: dict[str, str],
    tag_forms: dict[str, list[str]] | None = None,
) -> tuple[int, int]:
    """Bring the index in `folder` to `documents`: re-index the documents whose digest
    changed, drop those that are gone, leave the rest. Returns (changed, removed)."""
    folder = Path(folder)
    before = json.loads((folder / DOCUMENTS_FILE).read_text("utf-8"))
    after = document_digests(documents)
    changed = [document for document in documents if before.get(document.url) != after[document.url]]
    removed = [url for url in before if url not in after]
    vocabulary = load_vocabulary(folder)
    if changed or removed:
        existing = index.open_dir(str(folder), indexname=INDEX_NAME)
        # The words of the versions that leave the index leave the vocabulary too.
        with existing.searcher() as searcher:
            leaving = [searcher.document(url=url) for url in [*removed, *(d.url for d in changed)]]
        stale = [
            SearchDocument(url=d["url"], title=d["title"], body=d["body"], resume=d["resume"])
            for d in leaving
            if d
        ]
        for word, count in word_counts(stale).items():
            vocabulary[word] = vocabulary.get(word, 0) - count
        for word, count in word_counts(changed).items():
            vocabulary[word] = vocabulary.get(word, 0) + count
        vocabulary = {word: count for word, count in vocabulary.items() if count > 0}
        lengths = _live_lengths(folder, existing, leaving, changed)
        writer = existing.writer(**WRITER_OPTIONS)
        for url in removed:
            writer.delete_by_term("url", url)
        for document in changed:
            writer.update_document(**document.fields())
        writer.commit()
        if lengths is not None:
            save_lengths(folder, lengths)
    write_companions(folder, documents, tag_names, vocabulary, tag_forms, after)
    return len(changed), len(removed)


def _live_lengths(folder: Path, existing, leaving: list, changed: list[SearchDocument]) -> dict | None:
    """The live articles' total length per field once the versions `leaving` (their stored
    fields) are replaced by `changed` (live_statistics.py); None when the index has no record
    of them (written before it) and deletions already blur Whoosh's own sums."""
    schema = existing.schema
    lengths = load_lengths(folder, schema)
    if lengths is None:
        with existing.reader() as reader:
            if reader.has_deletions():
                return None
            lengths = {name: reader.field_length(name) for name in scored_fields(schema)}
    for stored in filter(None, leaving):
        for name, length in field_lengths(schema, index_values(stored)).items():
            lengths[name] = lengths.get(name, 0) - length
    for document in changed:
        for name, length in field_lengths(schema, document.fields()).items():
            lengths[name] = lengths.get(name, 0) + length
    return lengths


def can_update(folder: Path) -> bool:
    """An index that a build can bring up to date rather than rebuild: not one whose
    deletions blur Whoosh's statistics without the exact lengths kept beside it (written
    before them, or the file damaged), which only a full index makes right again."""
    folder = Path(folder)
    if not (folder / DOCUMENTS_FILE).is_file() or not index.exists_in(str(folder), indexname=INDEX_NAME):
        return False
    existing = index.open_dir(str(folder), indexname=INDEX_NAME, readonly=True)
    if load_lengths(folder, existing.schema) is not None:
        return True
    with existing.reader() as reader:
        return not reader.has_deletions()


def open_index(folder: Path):
    folder = Path(folder)
    if not index.exists_in(str(folder), indexname=INDEX_NAME):
        raise IndexMissing(f"no search index in {folder}; run `invoke build`")
    return index.open_dir(str(folder), indexname=INDEX_NAME, readonly=True)


def load_tag_names(folder: Path) -> dict[str, str]:
    path = Path(folder) / TAG_NAMES_FILE
    return json.loads(path.read_text("utf-8")) if path.exists() else {}


def load_tag_labels(folder: Path) -> dict[str, str] | None:
    path = Path(folder) / TAG_LABELS_FILE
    return json.loads(path.read_text("utf-8")) if path.exists() else None


def load_tag_forms(folder: Path) -> dict[str, list[str]]:
    path = Path(folder) / TAG_FORMS_FILE
    return json.loads(path.read_text("utf-8")) if path.exists() else {}


def load_texts(folder: Path | str) -> dict[str, str]:
    """The texts kept by the build that wrote the index in `folder` (TEXTS_FILE); none
    when it cannot be read: they are then taken out of the HTML again."""
    try:
        texts = pickle.loads((Path(folder) / TEXTS_FILE).read_bytes())
    except Exception:  # missing, or damaged: only a head start is lost
        return {}
    return texts if isinstance(texts, dict) else {}


def load_vocabulary(folder: Path) -> dict[str, int]:
    path = Path(folder) / VOCABULARY_FILE
    return json.loads(path.read_text("utf-8")) if path.exists() else {}


class IndexStream:
    """A second process (the second core) that analyses the articles' texts as Pelican
    reads them, then builds the index from the final documents, reusing that work.

    Messages go through its stdin without ever making reading wait: the pipe does not
    block, and what it cannot take yet waits here, to be sent at the next message.
    (Not a thread: a thread waking on the pipe would take Python's lock from the
    reading, at every file it opens.) If this process stops before `finish` (a failed
    build), the other one sees its input end and exits without writing anything."""

    def __init__(self):
        # A plain subprocess rather than multiprocessing: this runs inside `invoke`,
        # whose main module must not be imported again by a child.
        # The child imports the same carnet package as this process, wherever it lies.
        project = str(Path(__file__).resolve().parents[2])
        code = f"import sys; sys.path.insert(0, {project!r}); from carnet.search.indexing import main; main()"
        self.process = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE)
        self._pipe = self.process.stdin.fileno()
        os.set_blocking(self._pipe, False)
        with contextlib.suppress(OSError, AttributeError):  # a larger pipe, where Linux allows it
            fcntl.fcntl(self._pipe, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        self._waiting: collections.deque[memoryview] = collections.deque()
        self._partly_sent = False  # the first message waiting has been sent in part

    def analyse(self, fieldname: str, text: str) -> None:
        if text:
            self._send(("analyse", fieldname, text))

    def finish(
        self,
        documents: list[SearchDocument],
        folder: Path,
        tag_names: dict[str, str],
        tag_forms: dict[str, list[str]] | None = None,
    ) -> None:
        Path(folder).parent.mkdir(parents=True, exist_ok=True)
        # Texts not sent yet were only a head start: dropped, rather than make Pelican wait
        # for them (a message half sent is finished, so that what follows can be read).
        head = self._waiting[0] if self._waiting and self._partly_sent else None
        self._waiting.clear()
        if head is not None:
            self._waiting.append(head)
        os.set_blocking(self._pipe, True)  # reading is over: now the rest may wait
        self._send(("build", documents, str(folder), tag_names, tag_forms))
        with contextlib.suppress(OSError):
            self.process.stdin.close()

    def abandon(self) -> None:
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        self.process.kill()
        self.process.wait()

    def _send(self, message) -> None:
        self._waiting.append(memoryview(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)))
        try:
            while self._waiting:
                written = os.write(self._pipe, self._waiting[0])
                if written == len(self._waiting[0]):
                    self._waiting.popleft()
                    self._partly_sent = False
                else:
                    self._waiting[0] = self._waiting[0][written:]
                    self._partly_sent = True
        except BlockingIOError:
            pass  # the pipe is full: the rest goes with the next message
        except OSError:
            self._waiting.clear()  # the other process has gone: its exit status tells


def main() -> None:
    """Entry point of the second process: analyse texts as they come, then build the
    index described by the last message."""
    with fewer_collections():
        _serve(sys.stdin.buffer)


def _serve(source) -> None:
    schema = build_schema()
    analysed: Analysed = {}
    while True:
        try:
            message = pickle.load(source)
        except EOFError:
            return  # the build stopped before its end: nothing to write
        if message[0] == "analyse":
            analyse_ahead(schema, analysed, message[1], message[2])
        else:
            _, documents, folder, tag_names, tag_forms = message
            try:
                build_index(documents, Path(folder), tag_names, analysed, tag_forms)
            except FileNotFoundError:
                if Path(folder).parent.is_dir():
                    raise
                # else the build failed and its folder was thrown away meanwhile
            return
