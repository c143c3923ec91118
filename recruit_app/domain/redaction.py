"""Name-blind reading: a candidate's own identifiers found in their application's text,
and the text with each replaced by a neutral mark ("[name]", "[e-mail]", ...).

What is found: the candidate's names (the whole name in any case and spacing; each name
word alone where it is written with a capital, as names are), their e-mail address and
phone number as the app knows them, and by pattern any e-mail address, link, phone
number, UK postcode, date of birth or age, and the rest of a line labelled "Name:" or
"Address:". Accents, curly apostrophes and the hyphens of double-barrelled names do not
hide a name: "Sian O'Brien" finds "Siân O’Brien", "Smith-Jones" finds "Smith Jones".

Found spans are kept beside the text (offsets into it), so a manager can see what was
hidden, hide more or show some again; the redacted text is always `apply` of them.
Plain Python: no database, no Qt.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from recruit_app.errors import ValidationError
from recruit_app.vocabulary import Redaction


@dataclass(frozen=True)
class Person:
    """What the app knows about the candidate whose text it is."""

    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # a Redaction code

    def to_json(self, text: str) -> dict[str, object]:
        return {
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "text": text[self.start : self.end],
        }


@dataclass(frozen=True)
class Redacted:
    text: str  # with each span replaced by its mark
    spans: tuple[Span, ...]


# Lower-case words inside names that are not names on their own ("Ursula von der Leyen").
PARTICLES = frozenset(
    {"de", "da", "di", "du", "del", "della", "der", "den", "van", "von", "le", "la", "al",
     "el", "bin", "bint", "ibn", "ap", "st", "mac", "mc", "y", "e", "dos", "das", "do"}
)  # fmt: skip
SHORTEST_NAME_WORD = 2
SHORTEST_PHONE_DIGITS, LONGEST_PHONE_DIGITS = 10, 13
LABELLED_LINE_MAX = 80  # characters after "Name:" or "Address:" taken as the value

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_DASHES = "-\u2010\u2011\u2012\u2013\u2014"
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATE = (
    r"(?:\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}"
    r"|\d{4}-\d{2}-\d{2}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}\.?,?\s+\d{{4}}"
    rf"|{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"
)
# What a link is made of as written in text: not spaces, quotes, brackets or commas.
_URL_CHARS = r"[^\s\"'<>\[\]{}|\\^`,]"
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (Redaction.EMAIL, re.compile(r"[\w.+'\-]+@[\w\-]+(?:\.[\w\-]+)+", re.UNICODE)),
    (
        Redaction.LINK,
        re.compile(
            rf"(?:https?://|www\.){_URL_CHARS}+"
            r"|\b(?:[a-z0-9\-]+\.)*(?:linkedin|github|gitlab|twitter|x|facebook|instagram"
            rf"|behance|medium|about\.me)\.(?:com|me|io)/{_URL_CHARS}*",
            re.IGNORECASE,
        ),
    ),
    (
        Redaction.PHONE,
        re.compile(r"(?<![\w+])(?:\+\d{1,3}[\s.\-]?(?:\(0\)\s?)?|\(?0)\d[\d\s().\-]{7,16}\d(?!\w)"),
    ),
    (
        Redaction.POSTCODE,
        re.compile(r"\b(?:GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b"),
    ),
)
# Where only a part of the match is the identifier: (kind, pattern with group 1).
_LABELLED_VALUES = (
    (
        Redaction.BIRTH,
        re.compile(
            rf"\b(?:date\s+of\s+birth|d\.?o\.?b\.?|born(?:\s+on)?)\s*[:\-\u2013]?\s*({_DATE})",
            re.IGNORECASE,
        ),
    ),
    (
        Redaction.AGE,
        re.compile(r"\b(?:age|aged)\s*[:\-]?\s*(\d{2}(?:\s*years?(?:\s+old)?)?)(?!\d)", re.I),
    ),
    (Redaction.NAME, re.compile(r"(?im)^[ \t]*(?:full\s+)?name[ \t]*:[ \t]*([^\n]+)$")),
    (Redaction.ADDRESS, re.compile(r"(?im)^[ \t]*(?:home\s+)?address[ \t]*:[ \t]*([^\n]+)$")),
)
_TRAILING = ".,;:!?)]}>'\""
_NOT_DIGIT = re.compile(r"\D")
_WORDS = re.compile(r"[^\W\d_]+(?:['\-][^\W\d_]+)*")


def fold(text: str) -> str:
    """The text with each character's accents dropped and apostrophes made straight, one
    character for one, so offsets in the folded text are offsets in the text."""
    text = text.translate(_APOSTROPHES)
    if text.isascii():
        return text
    return "".join(_fold_char(c) for c in text)


@functools.lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    if char.isascii():
        return char
    base = unicodedata.normalize("NFD", char)[0]
    return base if len(base) == 1 else char


def redact(text: str, person: Person) -> Redacted:
    """The text with the person's identifiers replaced, and where each was."""
    if not text:
        return Redacted("", ())
    folded = fold(text)
    found: list[Span] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(folded):
            start, end = match.span()
            if kind == Redaction.LINK or kind == Redaction.EMAIL:
                end = _trim(folded, start, end)
            if kind == Redaction.PHONE:
                if not _phone_digits(folded[start:end]):
                    continue
                if folded[start] == "(" and ")" not in folded[start:end]:
                    start += 1  # "(07700 900123)": the brackets are around it, not in it
            found.append(Span(start, end, kind))
    for kind, pattern in _LABELLED_VALUES:
        for match in pattern.finditer(folded):
            start, end = match.span(1)
            value = folded[start:end].rstrip()
            if value and len(value) <= LABELLED_LINE_MAX:
                found.append(Span(start, start + len(value), kind))
    found.extend(_known(folded, person))
    spans = merge(found)
    return Redacted(apply(text, spans), spans)


def _trim(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in _TRAILING:
        end -= 1
    return end


def _phone_digits(run: str) -> bool:
    digits = len(_NOT_DIGIT.sub("", run))
    return SHORTEST_PHONE_DIGITS <= digits <= LONGEST_PHONE_DIGITS


def _known(folded: str, person: Person) -> Iterable[Span]:
    """The person's own name, e-mail address and phone number, wherever they appear."""
    email = fold(person.email.strip())
    if "@" in email:
        for match in re.finditer(re.escape(email), folded, re.IGNORECASE):
            yield Span(*match.span(), Redaction.EMAIL)
    digits = _NOT_DIGIT.sub("", person.phone)
    if len(digits) >= 7:
        national = digits[2:] if digits.startswith("44") and len(digits) == 12 else digits
        forms = {digits, national.lstrip("0")} - {""}
        for form in forms:
            pattern = r"(?<!\d)" + r"[\s\-.()/]*".join(form) + r"(?!\d)"
            for match in re.finditer(pattern, folded):
                yield Span(*match.span(), Redaction.PHONE)
    whole, words = _name_patterns(person.first_name, person.last_name)
    if whole is not None:
        for match in whole.finditer(folded):
            yield Span(*match.span(), Redaction.NAME)
    if words is not None:
        for match in words.finditer(folded):
            word = match.group()
            if word[:1].isupper():  # names are written with a capital; "will" is no Will
                yield Span(*match.span(), Redaction.NAME)


@functools.lru_cache(maxsize=1024)
def _name_patterns(first: str, last: str) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """(the whole name, any case; each name word, matched then kept if capitalised)."""
    first_words = _WORDS.findall(fold(first))
    last_words = _WORDS.findall(fold(last))
    whole = None
    if first_words and last_words:
        forward = _sequence(first_words + last_words)
        backward = _sequence(last_words) + r"\s*,\s*" + _sequence(first_words)
        whole = re.compile(rf"(?<!\w)(?:{forward}|{backward})(?!\w)", re.IGNORECASE)
    parts: set[str] = set()
    for word in first_words + last_words:
        for piece in {word, *re.split(r"-", word)}:
            if len(piece) >= SHORTEST_NAME_WORD and piece.lower() not in PARTICLES:
                parts.add(piece)
    if not parts:
        return whole, None
    alternatives = "|".join(_word(p) for p in sorted(parts, key=len, reverse=True))
    return whole, re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _word(word: str) -> str:
    """One name word: its apostrophes optional ("O'Brien", "OBrien"), hyphens as any dash
    or space ("Smith-Jones", "Smith Jones")."""
    out = []
    for char in word:
        if char == "'":
            out.append("'?")
        elif char == "-":
            out.append(f"[{_DASHES}\\s]?")
        else:
            out.append(re.escape(char))
    return "".join(out)


def _sequence(words: Sequence[str]) -> str:
    return r"\s+".join(_word(w) for w in words)


def merge(spans: Iterable[Span]) -> tuple[Span, ...]:
    """The spans in order, overlapping ones joined (the first's kind kept, or a name's)."""
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if span.end <= span.start:
            continue
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            if span.end > last.end:
                merged[-1] = Span(last.start, span.end, last.kind)
            continue
        merged.append(span)
    return tuple(merged)


def apply(text: str, spans: Sequence[Span]) -> str:
    """The text with each span (in order, not overlapping) replaced by its kind's mark."""
    out, at = [], 0
    for span in spans:
        out.append(text[at : span.start])
        out.append(Redaction.label_for(span.kind) if span.kind in _KINDS else "[removed]")
        at = span.end
    out.append(text[at:])
    return "".join(out)


_KINDS = frozenset(Redaction.codes())


def check_spans(text: str, spans: Iterable[tuple[int, int, str]]) -> tuple[Span, ...]:
    """Spans a manager gave, checked against the text: within it, of a known kind."""
    checked = []
    for start, end, kind in spans:
        if kind not in _KINDS:
            raise ValidationError(f"{kind!r} is not a kind of redaction.", "redactions")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            raise ValidationError(
                "A redaction must cover some of the text, within it.", "redactions"
            )
        checked.append(Span(start, end, kind))
    return merge(checked)


def spans_from_json(items: Iterable[dict[str, object]]) -> tuple[Span, ...]:
    spans = []
    for item in items:
        start, end, kind = item.get("start"), item.get("end"), item.get("kind")
        if isinstance(start, int) and isinstance(end, int) and isinstance(kind, str):
            spans.append(Span(start, end, kind))
    return tuple(spans)
