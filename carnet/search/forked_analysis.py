"""The full index's analysis on two cores: a forked process analyses the second part of the
articles while this one analyses the first, and hands back its postings, grouped by term.

What costs a full index is the analysis (one Python step per word) and the grouping of
postings by term; both are per article, so each process takes a contiguous run of articles.
The other process's articles come after this one's, so its postings follow this one's in
each term's list, which is then what one process would have grouped: the one writer writes
the same files, byte for byte (tests/test_search_segment_writing.py). The per-document
files (stored fields, lengths) and the postings files stay with this process, in order.
The child's postings come back cut in two runs of terms, which the two processes of the
flush then encode each on its own core (postings_blocks.py)."""

import os
import pickle
import tempfile
from collections import Counter

from .documents import count_words
from .forking import Forked
from .postings_blocks import OWN_SHARE
from .segment_writing import TermPool, add_document, fast_values_apply

# Below this many documents a second process costs more than it saves.
FORK_FROM = 200
# The other process's part: this one also writes every document's stored fields and counts
# the words of all, so the child takes a little more than half. At 5 000 articles on a quiet
# machine, four rounds alternately: 0.55 took 14.3 to 15.5 s, 0.75 15.9 to 18.1 s, 0.4 and
# 0.65 in between. Since this process counts every word, 0.5, 0.55, 0.6 and 0.65 measured
# alike within the machine's noise (13.1 to 19.7 s, two rounds each), so 0.55 stayed.
CHILD_SHARE = 0.55


def can_fork(documents: int) -> bool:
    return documents >= FORK_FROM and hasattr(os, "fork") and (os.cpu_count() or 1) > 1


def add_documents(writer, documents: list, fields: list[dict]) -> Counter:
    """Add every document (`fields`: each one's Whoosh fields) to `writer`, a SegmentWriter
    on the cheaper path, analysing the later ones in a forked process. Returns the words of
    `documents` as written, counted (documents.count_words)."""
    split = len(fields) - int(len(fields) * CHILD_SHARE)
    analysed = [name for name in writer.schema.names() if fast_values_apply(writer.schema[name])]
    # The postings, tens of megabytes, go through an unnamed file: a pipe takes them three
    # times slower here, and would make the child wait until this process reads.
    with tempfile.TemporaryFile(prefix="carnet-postings-") as spill:
        child = Forked(
            lambda pipe: _analyse(writer, fields, split, analysed, pipe, spill),
            "index de recherche : le second processus d’analyse a échoué",
        )
        try:  # (a new save may stop a build here: the child is then stopped too)
            for document_fields in fields[:split]:
                add_document(writer, document_fields)
            # Counted here, while the other process still analyses and sends its part.
            words = count_words(documents)
            # Its documents' lengths come first: they are added while it pickles its postings.
            for document_fields, known in zip(fields[split:], child.receive(), strict=True):
                add_document(writer, document_fields, known)
            start_of_second, first_size, second_size = child.receive()
            child.finish()
        except BaseException:
            child.stop()
            raise
        spill.seek(0)
        writer.pool.incoming = (start_of_second, spill.read(first_size), spill.read(second_size))
    return words


def _analyse(writer, fields: list[dict], start: int, analysed: list[str], pipe, spill) -> None:
    """In the child: pool the postings of the documents from `start` on, for the `analysed`
    fields, as add_document would; send each document's length in each of those fields
    through `pipe`, then write the postings in two runs (TermPool.runs) to `spill` and send
    where the second starts and the runs' sizes."""
    schema, pool = writer.schema, TermPool()
    lengths = []
    for docnum, document_fields in enumerate(fields[start:], start):
        docboost = writer._doc_boost(document_fields)
        known = {}
        for fieldname in analysed:
            value = document_fields.get(fieldname)
            if value is None:
                continue
            field = schema[fieldname]
            boost = writer._field_boost(document_fields, fieldname, docboost)
            known[fieldname] = pool.add_field(fieldname, docnum, field.index(value), boost, field.scorable)
        lengths.append(known)
    pickle.dump(lengths, pipe, protocol=pickle.HIGHEST_PROTOCOL)
    pipe.flush()
    # Cut where the terms of this part of the archive split the postings' work in two.
    start_of_second = pool.work_split(OWN_SHARE)
    first, second = pool.runs(start_of_second)
    spill.write(first)
    spill.write(second)
    spill.flush()
    pickle.dump((start_of_second, len(first), len(second)), pipe, protocol=pickle.HIGHEST_PROTOCOL)
