"""The fields of the search index, and how much each one weighs."""

from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from .analysis import IndexingAnalyzer

# The title and the résumé say what an article is about better than its body.
BOOSTS = {"title": 4.0, "resume": 2.5, "tags": 2.5, "body": 1.0}
SEARCHED_FIELDS = tuple(BOOSTS)


def build_schema() -> Schema:
    analyzer = IndexingAnalyzer()
    return Schema(
        url=ID(stored=True, unique=True),
        title=TEXT(analyzer=analyzer, stored=True, field_boost=BOOSTS["title"]),
        resume=TEXT(analyzer=analyzer, stored=True, field_boost=BOOSTS["resume"]),
        # chars=True: the positions of every word are stored, so that snippets are cut
        # without analysing the whole text again for each result shown.
        body=TEXT(analyzer=analyzer, stored=True, chars=True, field_boost=BOOSTS["body"]),
        # French and English labels and aliases of the article's tags.
        tags=TEXT(analyzer=analyzer, field_boost=BOOSTS["tags"]),
        tag_keys=KEYWORD(stored=True, commas=True, scorable=False),
        tag_labels=STORED(),
        tag_text=STORED(),
        author=STORED(),
        author_key=KEYWORD(scorable=False),
        category=STORED(),
        date=DATETIME(stored=True, sortable=True),
        # 0 when the original date is unknown: such articles sort last by date.
        year=NUMERIC(stored=True, sortable=True),
    )
