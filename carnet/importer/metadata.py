"""Find an article's metadata in its raw text: title, subtitle, date, author, tags.

Each value is read from a place that says what it is: the first line, the line
under a date header, a byline (« Ecrit par Patrick le … », « Publié par … »), a
newsletter's sign-off (« A demain, / Jason »), a signature (« BWOW © »). A date
inside a sentence of the text is never taken for the article's date. What is not
found stays missing, for the draft to say so: nothing is invented.
"""

import logging
import re
from dataclasses import dataclass

from carnet.text.dates import read_french_date
from carnet.text.folding import matchable

from .model import LIKELY, SURE, UNSURE, Finding, Line, Metadata, Removal
from .text import is_person_name, is_title_like

logger = logging.getLogger(__name__)

_BYLINE = re.compile(
    r"^(?:[ée]crit|publi[ée]|post[ée]|r[ée]dig[ée]|envoy[ée]|propos[ée]|sign[ée])e?s?\s+par\s+(?P<rest>.+)$",
    re.IGNORECASE,
)
_BYLINE_DATE_FIRST = re.compile(
    r"^(?:[ée]crit|publi[ée]|post[ée]|r[ée]dig[ée]|envoy[ée]|mis en ligne)e?s?\s+le\s+(?P<when>.+?)"
    r"\s+par\s+(?P<name>.+?)\.?$",
    re.IGNORECASE,
)
_HEAD_BY = re.compile(r"^par\s+(?P<rest>.+)$", re.IGNORECASE)
_LABELLED_AUTHOR = re.compile(r"^(?:auteur|autrice|author|sign[ée]e?)\s*:\s*(?P<rest>.+)$", re.IGNORECASE)
# An e-mail's header: « De : Marie Dubois <marie@exemple.fr> ».
_SENDER = re.compile(r"^(?:de|from)\s*:\s*[\"«]?(?P<rest>[^<>\"»@]+?)[\"»]?\s*<[^>]+@[^>]+>$", re.IGNORECASE)
_READ_COUNT = re.compile(r"[\s,.;–—-]*\blu\s+[\d\s\u00a0\u202f.]+\s*fois\s*\.?\s*$", re.IGNORECASE)
_RUBRIC_IN_BYLINE = re.compile(r"\s+dans\s+(?P<rubric>[«\"“].+?[»\"”]|\D.*?)\s*\.?$", re.IGNORECASE)
_NAME_DATE_SEPARATOR = re.compile(r"\s*,?\s+(?:le|du)\s+|\s*,\s*|\s+[-–—]\s+|\s+à\s+(?=\d)", re.IGNORECASE)
_TIME_ONLY = re.compile(r"^(?:à\s+)?(?P<hour>\d{1,2})\s*[:h]\s*(?P<minute>\d{2})\.?$", re.IGNORECASE)
_DATE_PREFIX = re.compile(
    r"^(?:(?:publi[ée]|post[ée]|mis en ligne|[ée]crit|r[ée]dig[ée]|envoy[ée])e?\s+le|"
    r"date(?:\s+de\s+publication)?\s*:|envoy[ée]\s*:|sent\s*:|le)\s+",
    re.IGNORECASE,
)
_TITLE_LABEL = re.compile(r"^(?:titre|sujet|objet|subject|title)\s*:\s*(?:re\s*:\s*)?(?P<title>.+)$", re.I)
_SUMMARY_LABEL = re.compile(r"^(?:en bref|chap[ôo]|r[ée]sum[ée]|summary)\s*:\s*(?P<text>.+)$", re.IGNORECASE)
_TAGS_LABEL = re.compile(
    r"^(?:libell[ée]s?|tags?|mots[- ]cl[ée]s|[ée]tiquettes?|labels?)\s*:\s*(?P<tags>.+)$", re.IGNORECASE
)
_RUBRIC_LABEL = re.compile(r"^(?:cat[ée]gories?|rubrique|forum|section)\s*:\s*(?P<rubric>.+)$", re.I)
_GREETING = re.compile(r"^(?:bonjour|bonsoir|salut|hello|coucou|cher|chere|chers|cheres)\b")
_RESUME_HEADING = re.compile(r"^cet article (?:pas )?en resume\b")
# « A demain, », « Bien à vous, », « Belle journée ! »: how a newsletter's author signs off.
_SIGNOFF = (
    r"(?:a|à) (?:demain|bientot|tres bientot|tres vite|plus|la semaine prochaine|la prochaine|suivre|"
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)(?: prochain)?|"
    r"bien (?:a|à) (?:vous|toi)|(?:tres |bien )?cordialement|amicalement|sinceres salutations|"
    r"(?:belle|bonne) (?:journee|semaine|soiree|lecture|continuation|fin de semaine)|au plaisir|"
    r"chaleureusement|(?:grosses )?bises|amities|avec (?:toute )?mon amitie|prenez soin de vous|"
    r"merci(?: de votre lecture| pour votre lecture)?|see you|cheers|best regards|kind regards"
)
_SIGNOFF_LINE = re.compile(rf"^(?:{_SIGNOFF})[\s!,.…]*$")
_SIGNOFF_WITH_NAME = re.compile(rf"^(?:{_SIGNOFF})\s*[,!]\s*(?P<name>[^,!]+?)\.?$")
_SIGNATURE_DASH = re.compile(r"^[—–-]\s*(?P<name>.+)$")
_SIGNATURE_COPYRIGHT = re.compile(r"^(?P<name>.+?)\s*(?:©|\([cC]\))\s*(?:\d{4})?$")
_POSTSCRIPT = re.compile(r"^p\.?\s?s\.?\b", re.IGNORECASE)
_FULL_NAME_AFTER = r"\s+(?P<last>[A-ZÀ-Þ][\w'’-]+(?:[ -][A-ZÀ-Þ][\w'’-]+)?)"


@dataclass(frozen=True)
class Byline:
    author: str
    date: str | None  # "YYYY-MM-DD" or "YYYY-MM-DD HH:MM"
    time: str | None  # « Publié par X à 10:30 »: a time without a date
    rubric: str | None


def parse_date(text: str) -> str | None:
    """« jeudi 16 avril 2009 » → "2009-04-16"; « Mercredi 22 Février 2006, 10:30 » →
    "2006-02-22 10:30"; None when the whole text is not a full date."""
    text = text.strip().strip(".,;")
    if not text or len(text) > 60 or not re.search(r"\d", text):
        return None
    found = read_french_date(text)
    if found is None or not 1900 < found[0].year < 2200:
        return None
    when, with_time = found
    return when.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


def _leading_date(text: str) -> str | None:
    """The longest run of words at the start of `text` that is a date."""
    tokens = text.split()
    for count in range(min(len(tokens), 8), 0, -1):
        found = parse_date(" ".join(tokens[:count]))
        if found:
            return found
    return None


def parse_date_line(text: str) -> str | None:
    """A line that is only a date, perhaps introduced (« Publié le », « Date : », « Le »)."""
    text = text.strip()
    if len(text) > 70 or len(text.split()) > 10:
        return None
    return parse_date(_DATE_PREFIX.sub("", text))


def _byline_name(text: str) -> bool:
    """A byline names its author with a few words; forum pseudonyms may be in lower case."""
    tokens = text.split()
    return (
        1 <= len(tokens) <= 5
        and len(text) <= 60
        and all(re.fullmatch(r"[\w'’.@-]+", token) for token in tokens)
        and not any(token.isdigit() for token in tokens)
        and text[0].isalpha()
    )


def parse_byline(text: str) -> Byline | None:
    """« Ecrit par Patrick le Mercredi 22 Février 2006, 10:30 dans "Expériences clients"
    Lu 4196 fois. », « Publié par Marie à 09:12 », « Posté le 5 juin 2017 par Alain »."""
    text = text.strip()
    first = _BYLINE_DATE_FIRST.match(text)
    if first and _byline_name(first["name"]):
        date = _leading_date(first["when"])
        if date:
            return Byline(first["name"].strip(), date, None, None)
    match = _BYLINE.match(text)
    if not match:
        return None
    rest = _READ_COUNT.sub("", match["rest"]).strip().rstrip(".")
    rubric = None
    in_rubric = _RUBRIC_IN_BYLINE.search(rest)
    if in_rubric:
        rubric = in_rubric["rubric"].strip('«»"“” ')
        rest = rest[: in_rubric.start()].strip()
    for separator in _NAME_DATE_SEPARATOR.finditer(rest):
        name, when = rest[: separator.start()].strip(), rest[separator.end() :].strip()
        if not _byline_name(name):
            continue
        if separator.group().strip() == "à":
            when = "à " + when
        time = _TIME_ONLY.match(when)
        if time:
            return Byline(name, None, f"{int(time['hour']):02d}:{time['minute']}", rubric)
        date = _leading_date(when)
        if date:
            return Byline(name, date, None, rubric)
    if _byline_name(rest):
        return Byline(rest, None, None, rubric)
    return None


def find_metadata(lines: list[Line], removed: dict[int, Removal]) -> Metadata:
    return _Finder(lines, removed).run()


class _Finder:
    def __init__(self, lines: list[Line], removed: dict[int, Removal]):
        self.lines = lines
        self.by_number = {line.number: line for line in lines}
        self.removed = removed
        self.content = [line for line in lines if not line.blank and line.number not in removed]
        self.meta = Metadata()
        self.dates = {line.number: parse_date_line(line.content) for line in self.content}
        self.dates = {number: date for number, date in self.dates.items() if date}

    def consume(self, line: Line, reason: str) -> None:
        self.meta.consumed[line.number] = Removal(line.number, line.content, reason, "métadonnée")

    def live(self) -> list[Line]:
        return [line for line in self.content if line.number not in self.meta.consumed]

    def run(self) -> Metadata:
        """The steps, in the one order that works. Each step skips the lines that the steps
        before it consumed (`meta.consumed`, read by `live`, `in_head`, `in_trailer`):
        1. bylines first: a signature line is metadata wherever it stands, and the later
           steps' « only metadata before (or after) this line » counts it as such;
        2. labels (« Tags : », « Rubrique : », « En bref : ») next, for the same reason;
        3. the title: the first live line once those are gone; then the line under it;
        4. the date, which needs the title's line (a date just above the title counts);
        5. the author last: its fall-backs read the last live line, which by then is
           neither a date nor a label.
        What a step needs from an earlier one besides `consumed` is passed to it."""
        if not self.content:
            return self.meta
        bylines = self.find_bylines()
        self.find_labels()
        title = self.find_title()
        self.find_subtitle(title)
        self.find_date(bylines, title)
        self.find_author(bylines)
        return self.meta

    # -- the trailer: what a page prints after the article ------------------------------

    def in_trailer(self, line: Line) -> bool:
        """True when only metadata, chrome or a date header and its title follow `line`."""
        after = [other for other in self.content if other.number > line.number]
        for position, other in enumerate(after):
            if other.number in self.meta.consumed or other.number in self.dates:
                continue
            if (
                parse_byline(other.content)
                or _TAGS_LABEL.match(other.content)
                or _RUBRIC_LABEL.match(other.content)
            ):
                continue
            previous = after[position - 1] if position else line
            if previous.number in self.dates and is_title_like(other.content):
                continue
            return False
        return True

    def in_head(self, line: Line) -> bool:
        """True when only metadata or title-like lines come before `line`: the page's header."""
        for other in self.content:
            if other.number >= line.number:
                return True
            if other.number not in self.meta.consumed and not is_title_like(other.content):
                return False
        return True

    # -- bylines and labels ----------------------------------------------------------

    def find_bylines(self) -> list[tuple[Line, Byline]]:
        found = []
        for position, line in enumerate(self.content):
            byline = parse_byline(line.content)
            if byline is None and position < 3:
                head = (
                    _HEAD_BY.match(line.content)
                    or _LABELLED_AUTHOR.match(line.content)
                    or _SENDER.match(line.content)
                )
                if head:
                    byline = parse_byline(f"écrit par {head['rest']}")
            # « Posté par erreur » is a sentence: without a date, a byline names someone.
            if byline is None or not (byline.date or byline.time or byline.author[0].isupper()):
                continue
            found.append((line, byline))
            self.consume(line, "ligne de signature de la plateforme (auteur, date)")
            if byline.rubric and not self.meta.rubric:
                self.meta.rubric = byline.rubric
        return found

    def find_labels(self) -> None:
        for position, line in enumerate(self.content):
            if line.number in self.meta.consumed:
                continue
            at_edge = self.in_head(line) or self.in_trailer(line)
            tags = _TAGS_LABEL.match(line.content)
            if tags and at_edge:
                values = [tag.strip(" .") for tag in re.split(r"[,;]", tags["tags"]) if tag.strip(" .")]
                if values and all(len(value.split()) <= 5 for value in values):
                    self.meta.tags.extend(value for value in values if value not in self.meta.tags)
                    self.consume(line, "étiquettes de la plateforme (reprises dans Tags)")
                    continue
            rubric = _RUBRIC_LABEL.match(line.content)
            if rubric and at_edge:
                self.meta.rubric = self.meta.rubric or rubric["rubric"].strip(' .«»"')
                self.consume(line, "rubrique de la plateforme (reprise dans Source)")
                continue
            summary = _SUMMARY_LABEL.match(line.content)
            if summary and position < 4 and not self.meta.summary:
                self.meta.summary = Finding(
                    summary["text"].strip(), SURE, "ligne « En bref : » en tête", (line.number,)
                )
                self.consume(line, "résumé de la source (repris dans Summary)")

    # -- title and subtitle ----------------------------------------------------------

    def title_candidate(self, line: Line) -> bool:
        text = line.content
        following = self.by_number.get(line.number + 1)
        # A line whose sentence goes on, in lower case, on the next line is a wrapped line.
        goes_on = (
            following is not None and following.number not in self.removed and following.content[:1].islower()
        )
        return (
            is_title_like(text)
            and not goes_on
            and line.number not in self.dates
            and not _GREETING.match(matchable(text))
            and not _RESUME_HEADING.match(matchable(text))
            and not parse_byline(text)
        )

    def stands_alone(self, line: Line) -> bool:
        """A title is a block of its own (perhaps with a subtitle), unless the text has no
        blank lines at all, as some scrapes have none."""
        block = []
        for number in range(line.number, len(self.lines) + 1):
            other = self.by_number[number]
            if other.blank or number in self.removed:
                break
            block.append(other)
        if len(block) == 1 or (len(block) == 2 and is_title_like(block[1].content)):
            return True
        numbers = [other.number for other in self.content]
        blank_between = any(
            self.by_number[number].blank
            for number in range(numbers[0], numbers[-1])
            if number not in self.removed
        )
        return not blank_between

    def find_title(self) -> Finding | None:
        live = self.live()
        if not live:
            return None
        for line in live[:5]:
            label = _TITLE_LABEL.match(line.content)
            if label:
                return self.set_title(line, label["title"].strip(), SURE, "ligne « Titre : » ou « Sujet : »")
        # A date header then the title, as blog platforms print them.
        for position, line in enumerate(live[:3]):
            if (
                line.number in self.dates
                and position + 1 < len(live)
                and self.title_candidate(live[position + 1])
            ):
                for before in live[:position]:
                    if is_title_like(before.content):
                        self.consume(before, "en-tête du site (nom du blogue ?)")
                return self.set_title(live[position + 1], None, SURE, "ligne sous la date, en tête de page")
        first = live[0]
        if self.title_candidate(first) and len(live) > 1 and self.stands_alone(first):
            return self.set_title(first, None, LIKELY, "première ligne")
        # Some scrapes put the date header and the title after the article (Blogger).
        for position, line in enumerate(live[:-1]):
            after = live[position + 1]
            if line.number in self.dates and self.title_candidate(after) and self.in_trailer(after):
                return self.set_title(
                    after, None, LIKELY, "ligne sous la date, en fin de page (mise en page de blogue)"
                )
        self.meta.notes.append("Pas de titre dans la source : à écrire (puis Title_editorial: oui).")
        return None

    def set_title(self, line: Line, value: str | None, confidence: str, origin: str) -> Finding:
        self.meta.title = Finding(value or line.content, confidence, origin, (line.number,))
        self.consume(line, "titre (repris dans Title)")
        return self.meta.title

    def find_subtitle(self, title: Finding | None) -> None:
        if title is None:
            return
        following = self.by_number.get(title.lines[0] + 1)
        if following is None or following.blank or following.number in self.removed:
            return
        live = self.live()
        rest = [line for line in live if line.number > following.number]
        text = following.content
        if (
            self.title_candidate(following)
            and following.number in {line.number for line in live}
            and len(text) <= 120
            and not text.rstrip().endswith(("?", "!"))
            and rest
        ):
            self.meta.subtitle = Finding(text, LIKELY, "ligne sous le titre", (following.number,))
            self.consume(following, "sous-titre (repris dans Subtitle)")

    # -- date ------------------------------------------------------------------------

    def find_date(self, bylines: list[tuple[Line, Byline]], title: Finding | None) -> None:
        candidates: list[tuple[str, str, str, Line]] = []  # value, confidence, origin, line
        for line, byline in bylines:
            if byline.date:
                candidates.append((byline.date, SURE, f"ligne « {line.content} »", line))
        title_line = title.lines[0] if title else None
        for line in self.content:
            date = self.dates.get(line.number)
            if not date or line.number in self.meta.consumed:
                continue
            next_live = next((other for other in self.content if other.number > line.number), None)
            if self.in_head(line) or (next_live and next_live.number == title_line) or self.in_trailer(line):
                candidates.append((date, SURE, f"ligne de date « {line.content} »", line))
                self.consume(line, "date de l’article (reprise dans Date)")
            else:
                self.meta.notes.append(
                    f"Ligne {line.number} : date isolée dans le texte, non retenue comme date de "
                    f"l’article : « {line.content} »."
                )
        if not candidates:
            self.meta.notes.append("Pas de date dans la source : Modified porte la date de l’import.")
            return
        value, confidence, origin, line = candidates[0]
        time = next((byline.time for _, byline in bylines if byline.time), None)
        if time and len(value) == 10:
            value, origin = f"{value} {time}", f"{origin} et heure de la ligne « Publié par »"
        others = sorted({candidate[0][:10] for candidate in candidates[1:]} - {value[:10]})
        if others:
            self.meta.notes.append(f"Autre(s) date(s) trouvée(s), non retenue(s) : {', '.join(others)}.")
            confidence = LIKELY
        self.meta.date = Finding(value, confidence, origin, (line.number,))

    # -- author ----------------------------------------------------------------------

    def find_author(self, bylines: list[tuple[Line, Byline]]) -> None:
        if bylines:
            line, byline = bylines[0]
            self.meta.author = Finding(byline.author, SURE, f"ligne « {line.content} »", (line.number,))
            return
        live = self.live()
        if not live:
            return
        signoff = self.find_signoff(live)
        if signoff:
            self.meta.author = signoff
            return
        last = live[-1]
        previous = self.by_number.get(last.number - 1)
        standalone = previous is None or previous.blank or previous.number in self.removed
        for pattern, confidence in ((_SIGNATURE_COPYRIGHT, LIKELY), (_SIGNATURE_DASH, LIKELY)):
            match = pattern.match(last.content)
            if match and is_person_name(match["name"]):
                self.meta.author = Finding(
                    match["name"].strip(), confidence, f"signature « {last.content} »", (last.number,)
                )
                return
        if standalone and is_person_name(last.content, max_words=3) and len(live) > 2:
            self.meta.author = Finding(
                last.content, UNSURE, f"dernière ligne, seule : « {last.content} »", (last.number,)
            )
            return
        self.meta.notes.append("Pas d’auteur dans la source : à écrire dans Author.")

    def find_signoff(self, live: list[Line]) -> Finding | None:
        """« A demain, / Jason » near the end, perhaps followed by a P.S."""
        for position in range(len(live) - 1, max(-1, len(live) - 15), -1):
            line = live[position]
            folded = matchable(line.content)
            name, name_line = None, None
            with_name = _SIGNOFF_WITH_NAME.match(folded)
            if with_name and is_person_name(line.content[-len(with_name["name"]) :].strip(" .")):
                name, name_line = line.content[-len(with_name["name"]) :].strip(" ."), line
            elif _SIGNOFF_LINE.match(folded) and position + 1 < len(live):
                following = live[position + 1]
                if is_person_name(following.content):
                    name, name_line = following.content, following
            if name is None:
                continue
            after = [other for other in live if other.number > name_line.number]
            if after and not _POSTSCRIPT.match(after[0].content):
                continue
            full = self.full_name(name, name_line.number)
            origin = f"formule de fin « {line.content} » suivie de « {name} »"
            if full:
                return Finding(
                    full, SURE, f"{origin} ; nom complet dans le pied de lettre", (name_line.number,)
                )
            return Finding(name, LIKELY, origin, (name_line.number,))
        return None

    def full_name(self, first: str, after_line: int) -> str | None:
        """A newsletter signed « Jason » whose footer says « Jason Verdier, Vivre du coaching »."""
        if len(first.split()) != 1:
            return None
        pattern = re.compile(rf"^{re.escape(first)}{_FULL_NAME_AFTER}\b")
        for line in self.lines:
            if line.number <= after_line or line.blank:
                continue
            match = pattern.match(line.content)
            if match:
                return f"{first} {match['last']}"
        return None
