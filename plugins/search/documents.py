"""What the index holds for each article, taken from the rendered HTML."""

from dataclasses import dataclass, field
from datetime import datetime

from bs4 import BeautifulSoup
from slugify import slugify


@dataclass
class SearchDocument:
    url: str  # site-relative, as in output/
    title: str
    body: str  # plain text
    resume: str = ""
    tags: list[str] = field(default_factory=list)  # French labels, as shown
    tag_keys: list[str] = field(default_factory=list)
    tag_terms: list[str] = field(default_factory=list)  # every label and alias, both languages
    author: str = ""
    category: str = ""
    date: datetime | None = None

    def fields(self) -> dict:
        """The document as Whoosh fields."""
        searchable_tags = " ; ".join([*self.tags, *self.tag_terms])
        values = {
            "url": self.url,
            "title": self.title,
            "resume": self.resume,
            "body": self.body,
            "tags": searchable_tags,
            "tag_keys": ",".join(self.tag_keys),
            "tag_labels": list(self.tags),
            "tag_text": searchable_tags,
            "author": self.author,
            # "jason-verdier jason verdier": auteur:jason and author:"Jason Verdier" both match
            "author_key": " ".join([slugify(self.author), *slugify(self.author).split("-")]),
            "category": self.category,
            "year": self.date.year if self.date else 0,
            "vocabulary": " ".join([self.title, self.resume, self.body, searchable_tags]),
        }
        if self.date is not None:
            values["date"] = self.date.replace(tzinfo=None)
        return values


def html_to_text(html: str) -> str:
    """The words of an HTML fragment, one space between blocks, no markup."""
    soup = BeautifulSoup(html or "", "html.parser")
    for hidden in soup(["script", "style", "nav"]):
        hidden.decompose()
    return " ".join(soup.get_text(" ").split())
