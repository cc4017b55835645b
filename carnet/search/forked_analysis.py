"""The full index's analysis on two cores: a forked process analyses the second part of the
articles while this one analyses the first, and hands back its postings, grouped by term.

What costs a full index is the analysis (one Python step per word) and the grouping of
postings by term; both are per article, so each process takes a contiguous run of articles.
The other process's articles come after this one's, so its postings follow this one's in
each term's list, which is then what one process would have grouped: the one writer writes
the same files, byte for byte (tests/test_search_segment_writing.py). The per-document
files (stored fields, lengths) and the postings files stay with this process, in order.

A fork, not a new interpreter: the child has the writer, its schema and the documents as
they are here, with nothing to import or send. It writes nothing but its answer to a pipe,
and leaves by os._exit, so nothing of this process (buffers, atexit) runs twice."""

import ctypes
import os
import pickle
import signal
import sys
import traceback
from collections import Counter

from .documents import count_words
from .segment_writing import TermPool, add_document, fast_values_apply

# Below this many documents a second process costs more than it saves.
FORK_FROM = 200
# The other process's part: this one also writes every document's stored fields, then reads
# back and merges the child's postings, so the child takes a little more than half. At 5 000
# articles on a quiet machine, four rounds alternately: 0.55 took 14.3 to 15.5 s, 0.75 15.9 to
# 18.1 s, 0.4 and 0.65 in between.
CHILD_SHARE = 0.55
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def can_fork(documents: int) -> bool:
    return documents >= FORK_FROM and hasattr(os, "fork") and (os.cpu_count() or 1) > 1


def add_documents(writer, documents: list, fields: list[dict]) -> Counter:
    """Add every document (`fields`: each one's Whoosh fields) to `writer`, a SegmentWriter
    on the cheaper path, analysing the later ones in a forked process. Returns the words of
    `documents` as written, counted (documents.count_words)."""
    split = len(fields) - int(len(fields) * CHILD_SHARE)
    analysed = [name for name in writer.schema.names() if fast_values_apply(writer.schema[name])]
    read_end, write_end = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: analyse, answer, leave
        status = 1
        try:
            _die_with(parent)
            os.close(read_end)
            answer = _analyse(writer, fields, split, analysed, documents[split:])
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(answer)
            status = 0
        except BaseException:
            traceback.print_exc()
            sys.stderr.flush()
        finally:
            os._exit(status)
    os.close(write_end)
    pipe = os.fdopen(read_end, "rb")  # closed whatever happens here (a new save may stop a build)
    reaped = False
    try:
        for document_fields in fields[:split]:
            add_document(writer, document_fields)
        words = count_words(documents[:split])
        answer = pipe.read()
        _, status = os.waitpid(pid, 0)
        reaped = True
        if status != 0 or not answer:
            code = os.waitstatus_to_exitcode(status)
            raise RuntimeError(
                f"index de recherche : le second processus d’analyse a échoué (code {code},"
                " sa trace est ci-dessus)"
            )
        terms, in_order, lengths, child_words = pickle.loads(answer)
        for document_fields, known in zip(fields[split:], lengths, strict=True):
            add_document(writer, document_fields, known)
        _merge(writer.pool, terms, in_order)
        words.update(child_words)
        return words
    finally:
        pipe.close()
        if not reaped:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def _find_prctl():
    """Linux's prctl, looked up here: after a fork beside threads, the child must not load
    libraries (another thread may have held the loader's lock)."""
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _find_prctl()


def _die_with(parent: int) -> None:
    """The child is killed with this process: a failed build kills the index process, which
    cannot stop its child itself (Linux's PR_SET_PDEATHSIG; elsewhere the child ends at its
    answer, which no one reads)."""
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # gone before the line above
        os._exit(1)


def _analyse(writer, fields: list[dict], start: int, analysed: list[str], documents: list) -> bytes:
    """In the child: the postings of the documents from `start` on, for the `analysed` fields,
    as add_document would pool them, and each document's length in each of those fields."""
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
    answer = (pool.fields, pool.in_order, lengths, count_words(documents))
    return pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)


def _merge(pool: TermPool, terms: dict, in_order: bool) -> None:
    """The child's postings after this process's: its documents' numbers are all higher."""
    for fieldname, child_terms in terms.items():
        mine = pool.fields.setdefault(fieldname, {})
        for term, postings in child_terms.items():
            have = mine.get(term)
            if have is None:
                mine[term] = postings
            else:
                for column, more in zip(have, postings, strict=True):
                    column.extend(more)
    pool.in_order = pool.in_order and in_order
