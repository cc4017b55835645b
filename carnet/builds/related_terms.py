"""The terms « À lire aussi » counted in each article's text, kept from one build to the next.

Counting an article's terms is most of the work of « À lire aussi » (carnet/search/related.py);
an article whose text did not change has the same terms. So they are kept with Pelican's
content cache, keyed by the text itself, and a rebuild counts only the changed texts.
"""

import pickle
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from carnet.search.documents import SearchDocument
from carnet.search.related import terms_key

from .kept import atomic_file, notice_unreadable


class RememberedTerms(dict[str, Counter]):
    """`terms_key(document)` → its terms. Read from the content cache when the build loads it
    (LOAD_CONTENT_CACHE), kept there when the build keeps one (CACHE_CONTENT), else empty."""

    FILE_NAME = "related-terms.pickle"

    def __init__(self, settings: dict, documents: Sequence[SearchDocument]):
        super().__init__()
        self.path = Path(settings["CACHE_PATH"]) / self.FILE_NAME if settings.get("CACHE_CONTENT") else None
        self.documents = documents
        if self.path and settings.get("LOAD_CONTENT_CACHE") and self.path.is_file():
            try:
                self.update(dict(pickle.loads(self.path.read_bytes())))
            except Exception as error:  # whatever a damaged pickle raises: the terms are counted again
                notice_unreadable(self.path, error, "les termes seront recomptés")

    def save(self) -> None:
        """Keep the terms of this build's documents only: an article gone, or whose text
        changed, leaves its old terms behind."""
        if self.path is None:
            return
        kept = {key: self[key] for key in map(terms_key, self.documents) if key in self}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_file(self.path) as handle:
            pickle.dump(kept, handle, protocol=pickle.HIGHEST_PROTOCOL)
