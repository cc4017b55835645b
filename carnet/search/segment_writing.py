"""A cheaper path for Whoosh's full index: the same segment files, written for a fraction of the cost.

Whoosh's writer sends every posting (an article's word in a field) through a sorting pool,
then through a generic loop that reads the article's field length back from disk and checks
the posting's types, one Python call after another: at 5 000 articles, 2.4 million postings
and two thirds of the index's time. Here the postings are grouped by term as articles come
(in their numbers' order, so each term's list is already sorted), the lengths are read once
per article, and each block of postings is handed to Whoosh's own block writer whole. The
analysed words go from the analyser's word cache to Whoosh's own value encoding without the
token stream in between. What is written is what Whoosh writes, byte for byte
(tests/test_search_segment_writing.py); an incremental update keeps Whoosh's own path."""

from contextlib import contextmanager

from whoosh import formats

from .analysis import IndexingAnalyzer


class TermPool:
    """Stands for Whoosh's posting pool: postings grouped by field and term as they come,
    each term's document numbers, weights and values in three lists."""

    def __init__(self):
        self.fields: dict[str, dict[bytes, tuple[list, list, list]]] = {}
        # Documents come in their numbers' order, so each term's postings do too, unless a
        # field gives one term twice for a document: then they are sorted as Whoosh sorts.
        self.in_order = True

    def add_field(self, fieldname: str, docnum: int, items, boost: float, scorable: bool) -> int:
        """Add one document's postings for one field, as field.index gives them; return
        the field's length in that document (0 when it is not scorable)."""
        terms = self.fields.setdefault(fieldname, {})
        known = terms.get
        length = 0
        for term, frequency, weight, value in items:
            length += frequency
            postings = known(term)
            if postings is None:
                terms[term] = ([docnum], [weight * boost], [value])
                continue
            docnums = postings[0]
            if docnums[-1] >= docnum:
                self.in_order = False
            docnums.append(docnum)
            postings[1].append(weight * boost)
            postings[2].append(value)
        return length if scorable else 0

    def postings(self, fieldname: str, term: bytes) -> tuple[list, list, list]:
        docnums, weights, values = self.fields[fieldname][term]
        if not self.in_order:
            # Whoosh's pool sorts whole postings: by document, then weight, then value.
            ordered = sorted(zip(docnums, weights, [v or b"" for v in values], strict=True))
            docnums, weights, values = (list(column) for column in zip(*ordered, strict=True))
        return docnums, weights, values

    def cleanup(self) -> None:
        self.fields = {}


@contextmanager
def fast_segment(writer):
    """While `writer` (a fresh SegmentWriter) adds documents and commits, its postings take
    the cheaper path. Every patch is on the writer's own objects, never on Whoosh's classes,
    and the schema's fields get theirs back before the commit stores the schema."""
    if any(field.separate_spelling() or field.vector for field in writer.schema):
        yield None  # spelling words and term vectors take other paths: Whoosh's own
        return
    patched = []
    try:
        for field in writer.schema:
            if fast_values_apply(field):
                field.index = _fast_index(field)
                patched.append(field)
        writer.pool.cleanup()
        writer.pool = TermPool()
        writer.add_document = lambda **fields: add_document(writer, fields)
        writer._flush_segment = lambda: flush_segment(writer)
        yield writer
    finally:
        for field in patched:
            del field.index


def fast_values_apply(field) -> bool:
    return isinstance(field.analyzer, IndexingAnalyzer) and type(field.format) in (
        formats.Positions,
        formats.Characters,
    )


def field_index(field):
    """The cheaper field.index where it applies, else the field's own."""
    return _fast_index(field) if fast_values_apply(field) else field.index


def _fast_index(field):
    """field.index for a text field: (term bytes, frequency, weight, encoded positions) for
    each distinct word, as Whoosh's word_values gives them for the same analyser."""
    plain_index = field.index
    analyzer, format_ = field.analyzer, field.format
    chars = type(format_) is formats.Characters
    boost = format_.field_boost
    encode = format_.encode

    def index(value, **options):
        if options or not isinstance(value, str):
            return plain_index(value, **options)
        return [
            (term, len(places), float(len(places)) * boost, encode(places))
            for term, places in analyzer.term_places(value, chars).items()
        ]

    return index


def add_document(writer, fields: dict, pooled: dict[str, int] | None = None) -> None:
    """Whoosh's SegmentWriter.add_document (without spelling words and term vectors, which
    the schema has none of), each field's postings going to the pool in one call.

    `pooled`: fields whose postings another process has pooled (forked_analysis.py), with
    their lengths in this document."""
    writer._check_state()
    perdocwriter, schema, docnum = writer.perdocwriter, writer.schema, writer.docnum
    docboost = writer._doc_boost(fields)
    fieldnames = sorted(name for name in fields if not name.startswith("_"))
    writer._check_fields(schema, fieldnames)
    perdocwriter.start_doc(docnum)
    try:
        for fieldname in fieldnames:
            value = fields.get(fieldname)
            if value is None:
                continue
            field = schema[fieldname]
            length = 0
            if pooled and fieldname in pooled:
                length = pooled[fieldname]
            elif field.indexed:
                boost = writer._field_boost(fields, fieldname, docboost)
                items = field.index(value)
                length = writer.pool.add_field(fieldname, docnum, items, boost, field.scorable)
            stored = fields.get(f"_stored_{fieldname}", value)
            perdocwriter.add_field(fieldname, field, stored if field.stored else None, length)
            column = field.column_type
            if column and stored is not None:
                perdocwriter.add_column_value(fieldname, column, field.to_column_value(stored))
    except ValueError:
        perdocwriter.cancel_doc()
        raise
    perdocwriter.finish_doc()
    writer._added = True
    writer.docnum += 1


def flush_segment(writer) -> None:
    """Whoosh's SegmentWriter._flush_segment with the pool above: per-document files closed,
    then every field's terms in order, each term's postings block by block."""
    writer.perdocwriter.close()
    lengths = writer.per_document_reader() if writer.codec.length_stats else None
    fieldwriter = writer.fieldwriter
    documents = writer.docnum
    for fieldname in sorted(writer.pool.fields):
        if not writer.pool.fields[fieldname]:
            continue  # a field with no terms: Whoosh's loop never starts it
        fieldobj = writer.schema[fieldname]
        if lengths is not None:
            length_of = lengths.doc_field_length_reader(fieldname)
            field_lengths = [length_of(docnum) for docnum in range(documents)]
        else:
            field_lengths = [0] * documents
        fieldwriter.start_field(fieldname, fieldobj)
        for term in sorted(writer.pool.fields[fieldname]):
            docnums, weights, values = writer.pool.postings(fieldname, term)
            fieldwriter.start_term(term)
            _add_postings(fieldwriter._postwriter, docnums, weights, values, field_lengths)
            fieldwriter.finish_term()
        fieldwriter.finish_field()
    fieldwriter.close()
    if lengths is not None:
        lengths.close()


def _add_postings(postwriter, docnums: list, weights: list, values: list, field_lengths: list) -> None:
    """What W3PostingsWriter.add_posting does one posting at a time, a block at a time."""
    limit = postwriter._blocklimit
    for start in range(0, len(docnums), limit):
        if start:
            postwriter._write_block()
        ids = docnums[start : start + limit]
        block_weights = weights[start : start + limit]
        postwriter._ids.extend(ids)
        postwriter._weights.extend(block_weights)
        # add_posting keeps the largest weight, and 0 when none is above 0
        heaviest = max(block_weights)
        postwriter._maxweight = heaviest if heaviest > 0 else 0
        postwriter._values.extend(filter(None, values[start : start + limit]))
        known = list(filter(None, map(field_lengths.__getitem__, ids)))
        if known:
            postwriter._minlength = min(known)
            postwriter._maxlength = max(known)
