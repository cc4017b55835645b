"""A synthetic French archive, the same for a given seed and size.

Words follow a Zipf law over a vocabulary of several thousand French forms
(Faker's French word list, inflected, plus the carnet's own words), so that
indexing and search meet realistic repetition and realistic variety.
"""

import random
import re
from datetime import datetime, timedelta
from pathlib import Path

from faker import Faker

THEMES = ["Synchronicité", "Partenariat", "Savoir-être", "Achats et référencement"]
AUTHORS_COUNT = 8
UNDATED_SHARE = 0.05
RESUME_SHARE = 0.8


def vocabulary(seed: int, own_text: str = "") -> list[str]:
    """French word forms, most frequent first."""
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


class CorpusWriter:
    def __init__(self, seed: int, tag_forms: list[list[str]], own_text: str = ""):
        self.random = random.Random(seed)
        self.words = vocabulary(seed, own_text)
        # Zipf: the word of rank r comes up in proportion to 1/r.
        self.weights = [1 / (rank + 1) for rank in range(len(self.words))]
        fake = Faker("fr_FR")
        fake.seed_instance(seed)
        self.authors = [fake.name() for _ in range(AUTHORS_COUNT)]
        self.tag_forms = tag_forms  # for each tag: French label, English label, aliases

    def sentence(self, low: int = 6, high: int = 18) -> str:
        words = self.random.choices(self.words, self.weights, k=self.random.randint(low, high))
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
) -> Path:
    """Write `articles` articles into `folder`/articles, plus data files (`extra`)."""
    writer = CorpusWriter(seed, tag_forms, own_text)
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    (folder / "pages").mkdir(exist_ok=True)
    for number in range(articles):
        name, text = writer.article(number)
        (folder / "articles" / name).write_text(text, encoding="utf-8")
    for name, text in extra.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder
