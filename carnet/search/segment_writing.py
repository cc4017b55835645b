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

import bisect
import contextlib
import pickle
from itertools import accumulate

from whoosh import formats

from .analysis import IndexingAnalyzer
from .postings_blocks import TERM_COST, write_postings


class TermPool:
    """Stands for Whoosh's posting pool: postings grouped by field and term as they come,
    each term's document numbers, weights and values in three lists."""

    def __init__(self):
        self.fields: dict[str, dict[bytes, tuple[list, list, list]]] = {}
        # Documents come in their numbers' order, so each term's postings do too, unless a
        # field gives one term twice for a document: then they are sorted as Whoosh sorts.
        self.in_order = True
        # Postings that another process pooled for later documents (forked_analysis.py), not
        # merged yet: (the term where the second run of terms starts, or None when that
        # process had none, the postings of the terms before it, those of the terms from it
        # on), each run pickled on its own, so that each process of the flush
        # (postings_blocks.py) unpickles only its run.
        self.incoming: tuple[tuple[str, bytes] | None, bytes, bytes] | None = None

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

    def terms(self, start: tuple[str, bytes] | None = None, end: tuple[str, bytes] | None = None):
        """The pooled (field, term) in the order Whoosh writes them: by field, then term;
        from `start` on, up to `end` excluded, when given."""
        run = []
        for fieldname in sorted(self.fields):
            run.extend((fieldname, term) for term in sorted(self.fields[fieldname]))
        low = 0 if start is None else bisect.bisect_left(run, start)
        high = len(run) if end is None else bisect.bisect_left(run, end)
        return run[low:high]

    def work_split(self, share: float) -> tuple[str, bytes] | None:
        """The (field, term) where the terms are cut in two runs, the first holding about
        `share` of the work of writing them (each term's postings, plus its own cost)."""
        terms = self.terms()
        work = list(accumulate(len(self.fields[field][term][0]) + TERM_COST for field, term in terms))
        cut = bisect.bisect_left(work, work[-1] * share) if work else 0
        return terms[cut] if cut < len(terms) else None

    def runs(self, start: tuple[str, bytes] | None) -> tuple[bytes, bytes]:
        """The pooled postings cut at `start`, each run pickled: for TermPool.merge."""
        first: dict[str, dict] = {}
        second: dict[str, dict] = {}
        for fieldname, terms in self.fields.items():
            for term, postings in terms.items():
                run = first if start is None or (fieldname, term) < start else second
                run.setdefault(fieldname, {})[term] = postings
        return tuple(
            pickle.dumps((run, self.in_order), protocol=pickle.HIGHEST_PROTOCOL) for run in (first, second)
        )

    def merge(self, pickled: bytes) -> None:
        """Add a run of postings (TermPool.runs) of later documents: all their numbers are
        higher than this pool's, so they follow this pool's in each term's lists."""
        terms, in_order = pickle.loads(pickled)
        for fieldname, more_terms in terms.items():
            mine = self.fields.setdefault(fieldname, {})
            for term, postings in more_terms.items():
                have = mine.get(term)
                if have is None:
                    mine[term] = postings
                else:
                    for column, more in zip(have, postings, strict=True):
                        column.extend(more)
        self.in_order = self.in_order and in_order

    def cleanup(self) -> None:
        self.fields = {}
        self.incoming = None


@contextlib.contextmanager
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
    then every field's terms in order, each term's postings block by block (on two cores
    when the analysis was: postings_blocks.py)."""
    writer.perdocwriter.close()
    lengths = writer.per_document_reader() if writer.codec.length_stats else None
    documents = writer.docnum
    field_lengths = {}
    for fieldname, field in writer.schema.items():
        if not field.indexed:
            continue
        if lengths is not None:
            length_of = lengths.doc_field_length_reader(fieldname)
            field_lengths[fieldname] = [length_of(docnum) for docnum in range(documents)]
        else:
            field_lengths[fieldname] = [0] * documents
    try:
        write_postings(writer, field_lengths)
    except BaseException:
        with contextlib.suppress(Exception):  # files of a folder that the failed build throws away
            writer.fieldwriter.close()
        raise
    else:
        writer.fieldwriter.close()
    finally:
        if lengths is not None:
            lengths.close()
