"""A new segment's postings, encoded on two cores and written in Whoosh's order.

Once every article is analysed, the segment's postings file is written term after term:
each term's postings cut into blocks, each block pickled and compressed. At 5 000 articles
that is a third of the full index, all of it in one process while the other core waits.
Each term's bytes depend only on its own postings, so the terms, in Whoosh's order, are cut
into two runs of about equal work: a forked copy of this process (which has the pool as it
is here) encodes the second run while this one encodes the first. When the analysis too
was shared (forked_analysis.py), the other process's postings come in two pickled runs cut
at the same term, and each process unpickles only its own. Each run is encoded from offset
0 into memory; this process then writes the first run, then the second, moving each term's
offset by where its run landed. The files are the ones one process writes, byte for byte
(tests/test_search_segment_writing.py, tests/test_index_forked_analysis.py)."""

import io
import pickle
import tempfile
from dataclasses import dataclass

from whoosh.codec.whoosh3 import W3TermInfo
from whoosh.filedb.structfile import StructFile
from whoosh.system import pack_int, pack_long, pack_ushort

from .forking import Forked

# What a term costs beside its postings (its term info, its first block's header), counted in
# postings, to cut the terms into runs of equal work.
TERM_COST = 8
# The first run's share of the work (the process that writes the files encodes it). Measured
# at 5 000 articles, both runs then take the same time within a tenth of a second.
OWN_SHARE = 0.5


# W3TermInfo.to_bytes ends with the extent of the term's postings: offset (8 bytes), length (4).
_EXTENT_BYTES = 12


@dataclass
class EncodedRun:
    """A run of terms' postings, as if the postings file began with them."""

    data: bytes
    # Each term: (field, term, its term info's bytes without their extent, the offset of its
    # postings in `data`, their length). (Bytes: Whoosh's term info objects take a quarter
    # of a second to unpickle at 5 000 articles.)
    terms: list[tuple[str, bytes, bytes, int, int]]

    def spilled(self, spill) -> "EncodedRun":
        """The run with its data written to `spill` (a file this process shares with another)."""
        spill.write(self.data)
        spill.flush()
        return EncodedRun(b"", self.terms)

    def unspilled(self, spill) -> "EncodedRun":
        """The run that `spilled` wrote, its data read back from the file's beginning."""
        spill.seek(0)
        return EncodedRun(spill.read(), self.terms)


def write_postings(writer, field_lengths: dict[str, list]) -> None:
    """Write the postings and the term table of `writer`, a SegmentWriter on the cheaper path,
    in Whoosh's order; when the analysis was shared, the second run of terms is encoded by
    another process. (`field_lengths`: each indexed field's length in each document.)"""
    start, first, second = writer.pool.incoming or (None, None, None)
    writer.pool.incoming = None  # each process unpickles its own run, and only that
    table = _TermTable(writer)
    if start is None:  # one process: all the terms here
        for run in (first, second):
            if run is not None:
                writer.pool.merge(run)
        table.add(encode_run(writer, writer.pool.terms(), field_lengths))
    else:
        _write_on_two_cores(writer, table, start, first, second, field_lengths)
    table.finish_field()


def _write_on_two_cores(
    writer, table: "_TermTable", start, first: bytes, second: bytes, field_lengths
) -> None:
    # The other process's postings bytes go through an unnamed file rather than its answer's
    # pipe, which takes them three times slower here.
    with tempfile.TemporaryFile(prefix="carnet-postings-") as spill:

        def encode_second_run(pipe) -> None:
            writer.pool.merge(second)
            run = encode_run(writer, writer.pool.terms(start), field_lengths)
            pickle.dump(run.spilled(spill), pipe, protocol=pickle.HIGHEST_PROTOCOL)

        helper = Forked(encode_second_run, "index de recherche : le second processus d’écriture a échoué")
        try:
            writer.pool.merge(first)
            table.add(encode_run(writer, writer.pool.terms(end=start), field_lengths))
            run = helper.receive()
            helper.finish()
        except BaseException:
            helper.stop()
            raise
        table.add(run.unspilled(spill))


def encode_run(writer, terms: list[tuple[str, bytes]], field_lengths: dict[str, list]) -> EncodedRun:
    """The postings of `terms`, as the segment's postings writer would write them from offset 0.
    (Never inlined in the term table: Whoosh's codec inlines none with its default limit.)"""
    memory = StructFile(io.BytesIO())
    postwriter = writer.codec.postings_writer(memory)
    encoded = []
    for fieldname, term in terms:
        postwriter.start_postings(writer.schema[fieldname].format, W3TermInfo())
        docnums, weights, values = writer.pool.postings(fieldname, term)
        add_postings(postwriter, docnums, weights, values, field_lengths[fieldname])
        info = postwriter.finish_postings()
        offset, length = info.extent()
        encoded.append((fieldname, term, info.to_bytes()[:-_EXTENT_BYTES], offset, length))
    return EncodedRun(memory.file.getvalue(), encoded)


class _TermTable:
    """The segment's postings file and terms table, filled run after run, in order:
    what W3FieldWriter's start_field, start_term and finish_term write."""

    def __init__(self, writer):
        self.fieldwriter = writer.fieldwriter
        self.schema = writer.schema
        self.field: str | None = None

    def add(self, run: EncodedRun) -> None:
        fieldwriter = self.fieldwriter
        start = fieldwriter._postfile.tell()
        fieldwriter._postfile.write(run.data)
        for fieldname, term, info, offset, length in run.terms:
            if fieldname != self.field:
                self.finish_field()
                fieldwriter.start_field(fieldname, self.schema[fieldname])
                self.field = fieldname
            extent = pack_long(start + offset) + pack_int(length)
            fieldwriter._tindex.add(pack_ushort(fieldwriter._fieldid) + term, info + extent)

    def finish_field(self) -> None:
        if self.field is not None:
            self.fieldwriter.finish_field()
            self.field = None


def add_postings(postwriter, docnums: list, weights: list, values: list, field_lengths: list) -> None:
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
