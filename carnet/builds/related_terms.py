"""What « À lire aussi » computed, kept from one build to the next.

Counting an article's terms is most of the work of « À lire aussi » (carnet/search/related.py),
and an edit changes the weights of few articles: so each text's terms (keyed by the text
itself) and the last result with what it was made of are kept with Pelican's content cache,
and a rebuild counts only the changed texts and recomputes only what they reach.
"""

import pickle
from pathlib import Path

from carnet.search.related import Relatedness, TermStore

from .kept import atomic_file, notice_unreadable

# Changed when what is kept changes: an older file is then ignored, not misread.
FORMAT = 3


class KeptRelatedness:
    """The terms and the last `Relatedness`, read from the content cache when the build loads
    it (LOAD_CONTENT_CACHE), kept there when the build keeps one (CACHE_CONTENT), else empty."""

    FILE_NAME = "related-terms.pickle"

    def __init__(self, settings: dict):
        self.path = Path(settings["CACHE_PATH"]) / self.FILE_NAME if settings.get("CACHE_CONTENT") else None
        self.store = TermStore()
        self.previous: Relatedness | None = None
        if self.path and settings.get("LOAD_CONTENT_CACHE") and self.path.is_file():
            try:
                kept = pickle.loads(self.path.read_bytes())
                if kept.get("format") == FORMAT:
                    self.store = TermStore(kept["vocabulary"], kept["texts"])
                    self.previous = Relatedness(**kept["relatedness"])
            except Exception as error:  # whatever a damaged pickle raises: the terms are counted again
                self.store, self.previous = TermStore(), None
                notice_unreadable(self.path, error, "les termes seront recomptés")

    def save(self, relatedness: Relatedness) -> None:
        """Keep the terms of this build's texts only: an article gone, or whose text
        changed, leaves its old terms behind."""
        if self.path is None:
            return
        store = self.store.kept(relatedness.keys, len(relatedness.frequency))
        kept = {
            "format": FORMAT,
            "vocabulary": store.vocabulary,
            "texts": store.encoded,
            "relatedness": vars(relatedness),
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_file(self.path) as handle:
            pickle.dump(kept, handle, protocol=pickle.HIGHEST_PROTOCOL)
