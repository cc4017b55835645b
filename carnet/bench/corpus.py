"""A synthetic French archive, the same bytes for a given seed, size and corpus.

Two corpora (`invoke bench --corpus`):
- `french` (the bench's default): words drawn by their real French frequencies, from wordfreq's
  French list, so that a few words (mostly stop words) are everywhere and most words are rare;
- `uniform` (the bench's corpus until issue 19): Faker's French word list, inflected, plus the carnet's
  own words, in an order shuffled by the seed, under a 1/rank law. Which words are frequent says
  nothing about French, so common words match most articles.
Lengths, tags, résumés, dates and authors are drawn the same way in both.
"""

import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from importlib.metadata import version
from itertools import accumulate
from pathlib import Path

from faker import Faker

THEMES = ["Synchronicité", "Partenariat", "Savoir-être", "Achats et référencement"]
AUTHORS_COUNT = 8
UNDATED_SHARE = 0.05
RESUME_SHARE = 0.8

CORPORA = ("french", "uniform")
# wordfreq's French list down to Zipf 3 (once per million words): some 31 000 forms, the
# rarest of which come up a few times in 5 000 articles.
FRENCH_LIST = "large"
FRENCH_MIN_ZIPF = 3.0
# wordfreq cuts at apostrophes: halves of « l’ », « qu’ », « aujourd’hui » are not words of a text.
ELISION_HALVES = frozenset({"qu", "jusqu", "lorsqu", "puisqu", "quelqu", "aujourd", "hui"})
SINGLE_LETTER_WORDS = frozenset({"a", "à", "y", "ô"})
FRENCH_WORD = re.compile(r"[a-zàâäçéèêëîïôöûùüÿœæ]+")


@dataclass(frozen=True)
class Vocabulary:
    """Words, most frequent first, with the cumulated weights `random.choices` draws them by."""

    words: tuple[str, ...]
    weights: tuple[float, ...]
    cum_weights: tuple[float, ...]
    source: dict  # what results.json records of it

    @classmethod
    def weighted(cls, words: list[str], weights: list[float], source: dict) -> "Vocabulary":
        # Cumulated once: `choices(weights=...)` would redo it for every sentence.
        return cls(tuple(words), tuple(weights), tuple(accumulate(weights)), source)


@cache
def french_vocabulary() -> Vocabulary:
    """wordfreq's French forms, each weighted by its frequency in French."""
    from wordfreq import get_frequency_list

    # One bin per centibel, most frequent first, each in the list's stored order (not a set): the
    # same words in the same order for a given wordfreq version.
    bins = get_frequency_list("fr", wordlist=FRENCH_LIST)
    last_bin = round((9 - FRENCH_MIN_ZIPF) * 100)  # Zipf 9 is a word that is every word
    words, weights = [], []
    for centibels, forms in enumerate(bins[: last_bin + 1]):
        for word in forms:
            if is_french_word(word):
                words.append(word)
                weights.append(10 ** (-centibels / 100))
    source = {
        "words": "wordfreq-fr",
        "version": version("wordfreq"),
        "list": FRENCH_LIST,
        "min_zipf": FRENCH_MIN_ZIPF,
        "forms": len(words),
    }
    return Vocabulary.weighted(words, weights, source)


def is_french_word(word: str) -> bool:
    """Letters only (no digits, signs or emoji), and no lone letter but « a », « à », « y », « ô »."""
    if not FRENCH_WORD.fullmatch(word) or word in ELISION_HALVES:
        return False
    return len(word) > 1 or word in SINGLE_LETTER_WORDS


def vocabulary(seed: int, own_text: str = "") -> list[str]:
    """The uniform corpus's French word forms, in an order shuffled by the seed."""
    fake = Faker("fr_FR")
    fake.seed_instance(seed)
    base = [w for w in fake.get_words_list() if " " not in w]
    forms = []
    for word in base:
        forms.append(word)
        if word.endswith("er"):  # a few conjugated forms of first-group verbs
            stem = word[:-2]
            forms += [stem + "é", stem + "ée", stem + "ons", stem + "ait", stem + "aient"]
        elif not word.endswith(("s", "x", "z", "ir", "re")):  # plurals of nouns and adjectives
            forms.append(word + "s")
    forms += re.findall(r"[a-zàâçéèêëîïôûùüÿœæ]{3,}", own_text.lower())
    unique = list(dict.fromkeys(forms))
    random.Random(seed).shuffle(unique)
    return unique


def uniform_vocabulary(seed: int, own_text: str = "") -> Vocabulary:
    words = vocabulary(seed, own_text)
    # Zipf: the word of rank r comes up in proportion to 1/r.
    weights = [1 / (rank + 1) for rank in range(len(words))]
    source = {"words": "faker-fr", "version": version("faker"), "forms": len(words)}
    return Vocabulary.weighted(words, weights, source)


def corpus_vocabulary(corpus: str, seed: int, own_text: str = "") -> Vocabulary:
    if corpus == "french":
        return french_vocabulary()
    if corpus == "uniform":
        return uniform_vocabulary(seed, own_text)
    raise ValueError(f"corpus inconnu : {corpus!r} (au choix : {', '.join(CORPORA)})")


def corpus_description(corpus: str, seed: int, own_text: str = "") -> dict:
    """What `bench/results.json` records of the corpus a run drew its words from."""
    return {"name": corpus, **corpus_vocabulary(corpus, seed, own_text).source, "seed": seed}


class CorpusWriter:
    # `uniform` by default: the relevance set's filler (bench/relevance.py) and the tests'
    # archives were judged and written on it.
    def __init__(self, seed: int, tag_forms: list[list[str]], own_text: str = "", corpus: str = "uniform"):
        self.random = random.Random(seed)
        self.vocabulary = corpus_vocabulary(corpus, seed, own_text)
        self.words, self.weights = self.vocabulary.words, self.vocabulary.weights
        fake = Faker("fr_FR")
        fake.seed_instance(seed)
        self.authors = [fake.name() for _ in range(AUTHORS_COUNT)]
        self.tag_forms = tag_forms  # for each tag: French label, English label, aliases

    def sentence(self, low: int = 6, high: int = 18) -> str:
        count = self.random.randint(low, high)
        words = self.random.choices(self.words, cum_weights=self.vocabulary.cum_weights, k=count)
        text = " ".join(words)
        return text[0].upper() + text[1:] + self.random.choice([".", ".", ".", " ?", " !"])

    def paragraph(self, words: int) -> str:
        sentences, count = [], 0
        while count < words:
            sentence = self.sentence()
            sentences.append(sentence)
            count += len(sentence.split())
        return " ".join(sentences)

    def article(self, number: int) -> tuple[str, str]:
        """(file name, Markdown) of article `number`."""
        title = self.sentence(3, 8).rstrip(" .?!")
        slug = f"article-{number:05d}"
        length = self.random.randint(300, 2000)
        headings = [self.sentence(2, 4).rstrip(" .?!") for _ in range(max(1, length // 400))]
        body, written = [], 0
        for position in range(length // 80 + 1):
            if position and position % 4 == 0 and headings:
                body.append(f"## {headings[(position // 4 - 1) % len(headings)]}")
            size = min(80, length - written)
            if size <= 0:
                break
            body.append(self.paragraph(size))
            written += size
        tags = self.random.sample(self.tag_forms, k=self.random.randint(1, 4))
        written_tags = [self.random.choice(forms) for forms in tags]
        header = {
            "Title": title,
            "Author": self.random.choice(self.authors),
            "Category": self.random.choice(THEMES),
            "Tags": ", ".join(written_tags),
            "Slug": slug,
            "Lang": "fr",
        }
        if self.random.random() < UNDATED_SHARE:
            header["Modified"] = "2026-11-22"
        else:
            start = datetime(2006, 1, 1)
            header["Date"] = (start + timedelta(minutes=self.random.randint(0, 20 * 365 * 24 * 60))).strftime(
                "%Y-%m-%d %H:%M"
            )
        text = "\n".join(f"{key}: {value}" for key, value in header.items()) + "\n\n"
        if self.random.random() < RESUME_SHARE:
            points = [self.sentence(3, 9).rstrip(" .?!") for _ in range(self.random.randint(3, 6))]
            points[0] = headings[0]  # a point that names a section: linked automatically
            text += "::: résumé\n" + "\n".join(f"- {point}" for point in points) + "\n:::\n\n"
        text += "\n\n".join(body) + "\n"
        return f"{slug}.md", text


def write_corpus(
    folder: Path,
    articles: int,
    seed: int,
    tag_forms: list[list[str]],
    extra: dict[str, str],
    own_text: str = "",
    corpus: str = "uniform",
) -> Path:
    """Write `articles` articles into `folder`/articles, plus data files (`extra`)."""
    writer = CorpusWriter(seed, tag_forms, own_text, corpus)
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    (folder / "pages").mkdir(exist_ok=True)
    for number in range(articles):
        name, text = writer.article(number)
        (folder / "articles" / name).write_text(text, encoding="utf-8")
    for name, text in extra.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder
