"""The statistics scoring reads, as a full index of the same articles would give them.

A build that updates the index deletes an article's old version and adds the new one in a
new segment; Whoosh keeps counting the deleted versions in its statistics until it rewrites
their segment: the number of articles, how many contain a word, and the fields' total
lengths. BM25 reads all three, so scores drifted from a full index's after every edit (and
a word found only in a deleted version still counted as known). Here the first two are
counted among the live articles, and the total lengths, which Whoosh stores only as sums
(each article's length only approximately, in one byte), are kept exactly in a file beside
the index, brought up to date by each build that updates it.
"""

import json
from pathlib import Path

STATISTICS_FILE = "statistics.json"


def scored_fields(schema) -> list[str]:
    return [name for name in schema.names() if schema[name].scorable]


def field_lengths(schema, values: dict) -> dict[str, int]:
    """Each scored field's length for a document with these field values, as the writer
    counts it: the number of words the analysis keeps (stop words left out)."""
    lengths = {}
    for name in scored_fields(schema):
        value = values.get(name)
        lengths[name] = sum(frequency for _, frequency, _, _ in schema[name].index(value)) if value else 0
    return lengths


def index_values(stored: dict) -> dict:
    """The values an article was indexed with, from its stored fields (its tags' words are
    stored apart, as tag_text: SearchDocument.fields)."""
    return {**stored, "tags": stored.get("tag_text", "")}


def load_lengths(folder: Path, schema=None) -> dict[str, int] | None:
    """The live articles' total length per field, or None: no file (an index written before
    it), or one that is damaged or not this schema's (`schema`, when given)."""
    try:
        data = json.loads((Path(folder) / STATISTICS_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    lengths = data.get("field_lengths") if isinstance(data, dict) else None
    if not isinstance(lengths, dict) or not lengths:
        return None
    if not all(type(n) is int and n >= 0 for n in lengths.values()):
        return None
    if schema is not None and set(lengths) != set(scored_fields(schema)):
        return None
    return lengths


def save_lengths(folder: Path, lengths: dict[str, int]) -> None:
    text = json.dumps({"field_lengths": lengths}, sort_keys=True)
    (Path(folder) / STATISTICS_FILE).write_text(text, "utf-8")


def live_doc_frequency(reader, fieldname: str, text) -> int:
    """How many live articles hold the word: the segments' counts, less their deleted
    articles that hold it (a segment's postings skip its deleted articles)."""
    total = 0
    for leaf, _ in reader.leaf_readers():
        if (fieldname, text) not in leaf:
            continue
        if not leaf.has_deletions():
            total += leaf.doc_frequency(fieldname, text)
        else:
            total += sum(1 for _ in leaf.postings(fieldname, text).all_ids())
    return total


def live_holds(reader, fieldname: str, text) -> bool:
    """Whether a live article holds the word (an update's deleted versions left out)."""
    for leaf, _ in reader.leaf_readers():
        if (fieldname, text) not in leaf:
            continue
        if not leaf.has_deletions() or leaf.postings(fieldname, text).is_active():
            return True
    return False
