"""A generated archive for the tests: short French articles from the bench's corpus."""

from datetime import datetime, timedelta
from itertools import accumulate

from carnet.bench.corpus import CorpusWriter
from carnet.search.documents import SearchDocument
from tests.sitebuild import ROOT

TAG_FORMS = [
    ["Partenariat", "partnership"],
    ["Savoir-être", "soft skills", "compétences non techniques"],
    ["Achats", "procurement"],
    ["Synchronicité", "synchronicity"],
    ["Confiance", "trust"],
]


def generated_documents(count: int) -> list[SearchDocument]:
    """Short articles from the bench's French Zipf corpus, with the carnet's own words."""
    own_text = " ".join(path.read_text("utf-8") for path in sorted((ROOT / "content/articles").glob("*.md")))
    writer = CorpusWriter(7, TAG_FORMS, own_text)
    chooser = writer.random
    # The bench's Zipf weights, summed once rather than at each sentence.
    cumulative = list(accumulate(writer.weights))

    def sentence(low: int, high: int) -> str:
        return " ".join(chooser.choices(writer.words, cum_weights=cumulative, k=chooser.randint(low, high)))

    documents = []
    for number in range(count):
        tags = chooser.sample(TAG_FORMS, k=chooser.randint(1, 3))
        documents.append(
            SearchDocument(
                url=f"article-{number:05d}/",
                title=sentence(3, 8).capitalize(),
                resume=sentence(5, 12) if chooser.random() < 0.8 else "",
                body=". ".join(sentence(6, 18) for _ in range(chooser.randint(4, 9))),
                tags=[forms[0] for forms in tags],
                tag_keys=[forms[0].lower() for forms in tags],
                tag_terms=[form for forms in tags for form in forms[1:]],
                author=chooser.choice(writer.authors),
                date=datetime(2006, 1, 1) + timedelta(days=chooser.randint(0, 7000)),
            )
        )
    return documents
