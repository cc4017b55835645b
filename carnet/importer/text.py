"""Small judgements on one line of French text, shared by the recognisers."""

import re
import unicodedata

from .model import Line

URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+", re.IGNORECASE)
# A sentence ends with one of these (closing quotes and brackets may follow).
_TERMINAL = re.compile(r"[.!?…:;,][\s\"'»”’)\]]*$")
_SENTENCE_END = re.compile(r"[.!?…][\s\"'»”’)\]]*$")
_LETTER = re.compile(r"[^\W\d_]")


def words(text: str) -> list[str]:
    return text.split()


def without_trailing_symbols(text: str) -> str:
    """The text without trailing emoji and symbols (« bien ! 🐄 » ends with « ! »)."""
    end = len(text)
    while end and (text[end - 1].isspace() or unicodedata.category(text[end - 1]) in {"So", "Sk", "Cf"}):
        end -= 1
    return text[:end]


def ends_with_punctuation(text: str) -> bool:
    """Ends as a clause does: with . ! ? … : ; or a comma."""
    return bool(_TERMINAL.search(without_trailing_symbols(text)))


def ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(without_trailing_symbols(text)))


def starts_upper(text: str) -> bool:
    """Starts, after any opening quote or bracket, with a capital letter or a digit."""
    stripped = text.lstrip("«\"'“‘([ \u00a0")
    return bool(stripped) and (stripped[0].isupper() or stripped[0].isdigit())


def letter_ratio(text: str) -> float:
    compact = text.replace(" ", "")
    return len(_LETTER.findall(compact)) / len(compact) if compact else 0.0


def is_title_like(text: str, max_words: int = 20, max_length: int = 150) -> bool:
    """Reads as a title: short, starting with a capital, not ending as a clause
    does (a question mark or exclamation mark is allowed), mostly letters."""
    text = text.strip()
    if not 2 <= len(text) <= max_length or len(words(text)) > max_words:
        return False
    if URL.search(text) or not starts_upper(text) or letter_ratio(text) < 0.6:
        return False
    if re.search(r"[.!?…]\s+[A-ZÀ-Þ]", text):
        return False  # two sentences are a paragraph
    bare = without_trailing_symbols(text)
    return not re.search(r"[.…:;,][\s\"'»”’)\]]*$", bare)


def is_heading_like(text: str) -> bool:
    """A section heading: a short title-like line that is not a question or exclamation."""
    text = text.strip()
    if not is_title_like(text, max_words=8, max_length=60):
        return False
    bare = without_trailing_symbols(text)
    return not re.search(r"[!?\"'»”’\]]$", bare) and bare == text


def is_person_name(text: str, max_words: int = 4) -> bool:
    """A signature's name: a few capitalised words (« Jason », « Marie Dubois », « BWOW »)."""
    tokens = text.strip().split()
    if not 1 <= len(tokens) <= max_words or len(text) > 50:
        return False
    particles = {"de", "du", "des", "d'", "d’", "le", "la", "van", "von", "da", "di", "et"}
    for token in tokens:
        if token.lower() in particles:
            continue
        if not re.fullmatch(r"[^\W\d_][\w'’.-]*", token) or not token[0].isupper():
            return False
    return tokens[-1].lower() not in particles


def split_lines(text: str) -> list[Line]:
    return [Line(number, raw.rstrip()) for number, raw in enumerate(text.split("\n"), start=1)]
