"""Archives for the tests: a tiny hand-written corpus, and short French articles generated
from the bench's corpus."""

from datetime import datetime, timedelta
from itertools import accumulate

from carnet.bench.corpus import CorpusWriter
from carnet.search.documents import SearchDocument
from tests.project import ROOT

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


# Five short articles whose words and tags a reader can check by eye.
CORPUS = [
    SearchDocument(
        url="tarte/",
        title="Chez le boucher",
        body="Aller chez le boucher pour acheter une tarte au riz n’a pas de sens. Demandez conseil.",
        tags=["Partenariat"],
        tag_keys=["partenariat"],
        tag_terms=["partnership", "alliance"],
        author="Camille Durand",
        date=datetime(2009, 4, 16),
    ),
    SearchDocument(
        url="riz/",
        title="Le riz et la tarte",
        body="Du riz, puis une tarte aux pommes : deux choses différentes.",
        tags=["Savoir-être"],
        tag_keys=["savoir-etre"],
        tag_terms=["soft skills", "compétences non techniques"],
        author="Patrick",
        date=datetime(2006, 2, 22, 10, 30),
    ),
    SearchDocument(
        url="synergies/",
        title="Créer des synergies",
        resume="Des synergies entre partenaires",
        body="Les synergies naissent de la confiance. Fidéliser ses clients demande du temps.",
        tags=["Partenariat", "Savoir-être"],
        tag_keys=["partenariat", "savoir-etre"],
        tag_terms=["partnership", "soft skills"],
        author="Camille Durand",
        date=datetime(2012, 1, 1),
    ),
    SearchDocument(
        url="sans-date/",
        title="Un texte sans date",
        body="La fidélisation des acheteurs <script>alert(1)</script> passe par la confiance.",
        tags=["Achats"],
        tag_keys=["achats"],
        tag_terms=["procurement"],
        author="Anonyme",
        date=None,
    ),
    SearchDocument(
        url="confiance-titre/",
        title="Confiance",
        body="Un texte court.",
        tags=[],
        author="Patrick",
        date=datetime(2001, 5, 5),
    ),
]
TAG_NAMES = {
    "partenariat": "partenariat",
    "partnership": "partenariat",
    "alliance": "partenariat",
    "savoir-etre": "savoir-etre",
    "soft skills": "savoir-etre",
    "competences non techniques": "savoir-etre",
    "achats": "achats",
    "procurement": "achats",
}
