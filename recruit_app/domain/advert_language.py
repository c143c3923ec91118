"""The advert checker: wording that may put people off applying, or make an advert hard to read.

`check_language` reads an advert's text fields in order and returns `LanguageFlag`s:

* gender-coded words (Gaucher, Friesen and Kay, 2011), matched as word stems;
* exclusionary phrases (age, disability, nationality, gendered job titles) and jargon,
  each with a plainer alternative or a piece of advice;
* sentences longer than `max_sentence_words`, and sections of 100 words or more whose
  Flesch reading ease is below `min_reading_ease`;
* acronyms that are not spelled out before, or where, they are first used.

Every flag is a warning: the checker advises, it never blocks publishing. Offsets are
character positions in the section's own text, so an editor can underline the words.
The word lists are data (see `recruit_app.library.wordlists`); this module only applies them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

SEVERITY = "warning"
KINDS = (
    "reading-ease",
    "long-sentence",
    "exclusionary",
    "jargon",
    "masculine-coded",
    "feminine-coded",
    "acronym",
)
# Flesch scores are unstable on short texts, so shorter sections are not scored.
MIN_WORDS_FOR_READING_EASE = 100
PLAIN_READING_EASE = 60


@dataclass(frozen=True)
class LanguageFlag:
    """One wording problem: where it is, what it says, and what to write instead."""

    kind: str
    section: str
    start: int
    end: int
    text: str
    message: str
    suggestion: str = ""
    severity: str = SEVERITY


@dataclass(frozen=True)
class WordLists:
    """The words the checker looks for.

    `masculine` and `feminine` are stems matched at word starts ("compet" finds
    "competitive"). `not_coded` holds whole words that begin with a stem but mean something
    else in adverts ("competency", "committee"), so they are not flagged. In `exclusionary`
    and `jargon` each phrase maps to a plain replacement or, when it ends with a full stop,
    to a piece of advice.
    """

    masculine: tuple[str, ...] = ()
    feminine: tuple[str, ...] = ()
    exclusionary: Mapping[str, str] = field(default_factory=dict)
    jargon: Mapping[str, str] = field(default_factory=dict)
    known_acronyms: frozenset[str] = frozenset()
    not_coded: frozenset[str] = frozenset()


def check_language(
    sections: Mapping[str, str],
    lists: WordLists,
    *,
    max_sentence_words: int = 25,
    min_reading_ease: float = 50.0,
) -> list[LanguageFlag]:
    """Every flag for an advert, in section order and then position order."""
    acronyms = _acronym_flags(sections, lists.known_acronyms)
    flags: list[LanguageFlag] = []
    for section, text in sections.items():
        words = _word_flags(section, text, lists)
        found = [
            *_reading_ease_flags(section, text, min_reading_ease),
            *_long_sentence_flags(section, text, max_sentence_words),
            *words,
            # "ROCKSTARS" is jargon in capitals, not an acronym as well.
            *_without_overlaps(acronyms[section], words),
        ]
        flags.extend(sorted(found, key=_reading_order))
    return flags


def _reading_order(flag: LanguageFlag) -> tuple[int, int, int]:
    # Wider spans first at the same start, so a section's score comes before its words.
    return flag.start, -flag.end, KINDS.index(flag.kind)


# --- Sentences and words -----------------------------------------------------------

# A word for counting: letters or digits, with inner apostrophes, dots, commas and
# hyphens kept, so "don't", "GOV.UK", "3.5", "39,000" and "well-known" count once.
_COUNTED_WORD = re.compile(r"[^\W_](?:[\w'’.,&/-]*[^\W_])?")
# A list marker at the start of a line: "- ", "• ", "1. ", "(a) ".
_BULLET = re.compile(r"[ \t]*(?:[-*•·▪◦–—]|\(?\d{1,3}[.)]|\(?[a-z]\))[ \t]+")
# Sentence-ending punctuation, with any closing quote or bracket, then a space or the end.
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s|$)")
# Words written with a full stop that do not end a sentence.
_ABBREVIATIONS = frozenset(
    {"e.g", "eg", "i.e", "ie", "dr", "mr", "mrs", "ms", "mx", "prof", "st", "vs", "approx"}
    | {"incl", "cf", "p.a", "ca", "jr", "sr"}
)


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences in `text`, without surrounding spaces.

    Each line is its own sentence boundary, so bullet lists are not read as one long
    sentence; a list marker at a line's start is not part of the sentence.
    """
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        marker = _BULLET.match(text, line.start(), line.end())
        start = marker.end() if marker else line.start()
        for end in _sentence_ends(text, start, line.end()):
            _add_span(spans, text, start, end)
            start = end
        _add_span(spans, text, start, line.end())
    return spans


def _sentence_ends(text: str, start: int, stop: int) -> Iterator[int]:
    for mark in _SENTENCE_END.finditer(text, start, stop):
        if _ends_sentence(text, mark, start, stop):
            yield mark.end()


def _ends_sentence(text: str, mark: re.Match[str], start: int, stop: int) -> bool:
    """Whether punctuation really ends a sentence, not an abbreviation or an initial."""
    following = text[mark.end() : stop].lstrip()
    if following[:1].islower():
        return False  # "p.a. plus", "incl. travel": a sentence would start with a capital
    if not mark.group().startswith("."):
        return True
    before = re.search(r"[^\s(\[\"'“‘]*$", text[start : mark.start()])
    assert before is not None  # `*$` matches, if only the empty string
    word = before.group()
    is_initial = len(word) == 1 and word.isupper()  # "J. Smith"
    return not is_initial and word.lower() not in _ABBREVIATIONS


def _add_span(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    # Trim spaces, and skip pieces with no words (a stray bullet or "...").
    piece = text[start:end]
    if not _COUNTED_WORD.search(piece):
        return
    lead = len(piece) - len(piece.lstrip())
    spans.append((start + lead, start + len(piece.rstrip())))


def _count_words(text: str) -> int:
    return len(_COUNTED_WORD.findall(text))


# --- Reading ease ------------------------------------------------------------------

_LETTER_RUN = re.compile(r"[^\W\d_]+")
_VOWEL_GROUP = re.compile(r"[aeiouy]+")
# Vowel pairs usually said as two syllables: "media", "studio", "actual", "video",
# "experience", "being"; the regex for vowel groups counts each of these as one.
_SPLIT_VOWELS = re.compile(
    r"(?<![cgstq])ia|io$|(?<![gq])u[ao]|(?<!p)eo|(?<![ct])(?<!fr)ien|[aeiouy]ing"
)


def reading_ease(text: str) -> float:
    """Flesch reading ease: about 60 to 70 is plain English, below 50 is hard to read.

    206.835 - 1.015 × (words ÷ sentences) - 84.6 × (syllables ÷ words). A text with
    no words scores 0.0.
    """
    words = _COUNTED_WORD.findall(text)
    if not words:
        return 0.0
    sentence_count = max(1, len(sentences(text)))
    syllable_count = sum(count_syllables(word) for word in words)
    return 206.835 - 1.015 * (len(words) / sentence_count) - 84.6 * (syllable_count / len(words))


def count_syllables(word: str) -> int:
    """Syllables in a word, by an English spelling heuristic (right for most words).

    Numbers count as one syllable; a short capitalised acronym ("NHS", "HR") is spelled
    out, a letter at a time.
    """
    runs = _LETTER_RUN.findall(word)
    return max(1, sum(_syllables_in_run(run) for run in runs))


def _syllables_in_run(run: str) -> int:
    if len(run) > 1 and run.isupper() and (len(run) <= 3 or not _VOWEL_GROUP.search(run.lower())):
        return len(run)
    lower = run.lower()
    if len(lower) <= 3:
        return 1
    count = len(_VOWEL_GROUP.findall(lower)) + len(_SPLIT_VOWELS.findall(lower))
    if count > 1 and _has_silent_ending(lower):
        count -= 1
    return max(1, count)


def _has_silent_ending(word: str) -> bool:
    """Silent final "e", "es" or "ed": "make", "makes", "worked", but not "table", "boxes",
    "wanted" or "studied"."""
    if word.endswith("ed"):
        return word[-3] not in "aeioutd"
    if word.endswith("es") and not word.endswith(("ses", "xes", "zes", "ces", "ges", "shes")):
        word = word[:-1]
        if word.endswith("che"):
            return False
    if not word.endswith("e") or word[-2] in "aeiouy":
        return False
    is_consonant_le = word.endswith("le") and word[-3] not in "aeiouy"
    return not is_consonant_le


def _reading_ease_flags(section: str, text: str, minimum: float) -> list[LanguageFlag]:
    if _count_words(text) < MIN_WORDS_FOR_READING_EASE:
        return []
    score = reading_ease(text)
    if score >= minimum:
        return []
    message = (
        f"Reading ease score {round(score)} ({_reading_band(score)}): aim for "
        f"{PLAIN_READING_EASE} or more by using shorter sentences and everyday words."
    )
    return [LanguageFlag("reading-ease", section, 0, len(text), text, message)]


def _reading_band(score: float) -> str:
    if score < 30:
        return "very hard to read"
    if score < 50:
        return "hard to read"
    if score < PLAIN_READING_EASE:
        return "fairly hard to read"
    return "plain English"


def _long_sentence_flags(section: str, text: str, limit: int) -> list[LanguageFlag]:
    flags = []
    for start, end in sentences(text):
        count = _count_words(text[start:end])
        if count > limit:
            message = (
                f"This sentence has {count} words; aim for {limit} or fewer. "
                "Split it up, or turn it into a list."
            )
            flags.append(
                LanguageFlag("long-sentence", section, start, end, text[start:end], message)
            )
    return flags


# --- Phrases and gender-coded words ------------------------------------------------


def _word_flags(section: str, text: str, lists: WordLists) -> list[LanguageFlag]:
    """Exclusionary phrases, then jargon, then gender-coded words, each kind skipping
    words an earlier kind has already flagged: one message per piece of text."""
    kept = _phrase_flags("exclusionary", section, text, lists.exclusionary)
    kept += _without_overlaps(_phrase_flags("jargon", section, text, lists.jargon), kept)
    kept += _without_overlaps(_gender_flags(section, text, lists), kept)
    return kept


def _without_overlaps(flags: list[LanguageFlag], kept: list[LanguageFlag]) -> list[LanguageFlag]:
    return [
        flag
        for flag in flags
        if not any(flag.start < other.end and other.start < flag.end for other in kept)
    ]


def _phrase_flags(
    kind: str, section: str, text: str, phrases: Mapping[str, str]
) -> list[LanguageFlag]:
    if not phrases:
        return []
    keys = tuple(phrases)
    flags = []
    for match in _phrase_pattern(keys).finditer(text):
        assert match.lastgroup is not None  # every alternative is a named group
        phrase = keys[int(match.lastgroup[1:])]
        message, suggestion = _phrase_advice(kind, match.group(), phrases[phrase])
        flags.append(
            LanguageFlag(
                kind, section, match.start(), match.end(), match.group(), message, suggestion
            )
        )
    return flags


# What may separate the words of a phrase: "able bodied", "work hard, play hard".
_PHRASE_GAP = re.compile(r"[\s,\-–—]+")


@lru_cache(maxsize=32)
def _phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One regex for all phrases, longest first so "native English speaker" wins over
    "English speaker". Words may be split by spaces, hyphens or commas ("able bodied",
    "work hard, play hard"), and a plural "s" is allowed ("rockstars")."""
    alternatives = []
    for index in sorted(range(len(phrases)), key=lambda i: -len(phrases[i])):
        words = [re.escape(word) for word in _PHRASE_GAP.split(phrases[index]) if word]
        alternatives.append(f"(?P<p{index}>{_PHRASE_GAP.pattern.join(words)})")
    return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})s?(?!\w)", re.IGNORECASE)


def _phrase_advice(kind: str, written: str, suggestion: str) -> tuple[str, str]:
    """(message, replacement). A suggestion ending in a full stop is advice, not a swap."""
    opening = "is jargon" if kind == "jargon" else "may put off or exclude some applicants"
    if suggestion.endswith("."):
        return f"“{written}” {opening}. {suggestion}", ""
    if written[:1].isupper() and suggestion[:1].islower():
        suggestion = suggestion[0].upper() + suggestion[1:]
    return f"“{written}” {opening}; say “{suggestion}” instead", suggestion


# A word with inner hyphens or apostrophes: "self-confident", "leader's".
_LETTER_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_WORD_PART_END = re.compile(r"[-'’]")
_GENDER_MESSAGES = {
    "masculine-coded": (
        "“{word}” is masculine-coded: research (Gaucher, Friesen and Kay, 2011) found that "
        "words like this make an advert less appealing to women. Use a neutral word if you can."
    ),
    "feminine-coded": (
        "“{word}” is feminine-coded. Research found such words put few people off, "
        "but check the advert's wording is balanced overall."
    ),
}


def _gender_flags(section: str, text: str, lists: WordLists) -> list[LanguageFlag]:
    stems = sorted(
        [(stem.lower(), "masculine-coded") for stem in lists.masculine]
        + [(stem.lower(), "feminine-coded") for stem in lists.feminine],
        key=lambda pair: -len(pair[0]),
    )
    not_coded = {word.lower() for word in lists.not_coded}
    flags: list[LanguageFlag] = []
    for word in _LETTER_WORD.finditer(text):
        flags.extend(_coded_parts(section, word, stems, not_coded))
    return flags


def _coded_parts(
    section: str, word: re.Match[str], stems: list[tuple[str, str]], not_coded: set[str]
) -> Iterator[LanguageFlag]:
    """Coded stems at the start of a word or of a hyphenated part ("well-supported").

    A stem may itself hold a hyphen ("self-confiden"); the longest stem wins, and the
    flag covers the word part the stem starts.
    """
    token = word.group().lower()
    covered = 0  # a stem with a hyphen covers the next part too: "self-confident"
    for start in [0] + [i + 1 for i, char in enumerate(token) if char == "-"]:
        found = next(((s, k) for s, k in stems if token.startswith(s, start)), None)
        if start < covered or found is None:
            continue
        stem, kind = found
        part_end = _WORD_PART_END.search(token, start + len(stem))
        end = part_end.start() if part_end else len(token)
        covered = end
        written = word.group()[start:end]
        if written.lower() not in not_coded:
            message = _GENDER_MESSAGES[kind].format(word=written)
            yield LanguageFlag(
                kind, section, word.start() + start, word.start() + end, written, message
            )


# --- Acronyms ----------------------------------------------------------------------

# Capitals and digits, maybe joined by "&", "/" or ".", with an optional plural "s":
# "AWS", "CI/CD", "GOV.UK", "APIs".
_ACRONYM = re.compile(r"(?<![\w&/.])([A-Z0-9](?:[A-Z0-9&/.]*[A-Z0-9])?)s?(?![\w&/])")
# Roman numerals up to 89, as used for parts and grades ("Part II", "Band IV").
_ROMAN = re.compile(r"(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
# Short joining words an expansion may skip: "Department for Work and Pensions (DWP)".
_MINOR_WORDS = frozenset({"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to"})
_EXPANSION_WORD = re.compile(r"[^\W_][\w'’]*")
_MAX_EXPANSION_WORDS = 12
_OPENING_BRACKET = re.compile(r"\(\s*$")
_CLOSING_BRACKET = re.compile(r"\s*\)")
_BRACKETED = re.compile(r"[ \t]*\(([^()\n]*)\)")


def _acronym_flags(
    sections: Mapping[str, str], known: frozenset[str]
) -> dict[str, list[LanguageFlag]]:
    """The first unexplained use of each acronym, reading the sections in order.

    An acronym is explained by "Full Words (ACR)" or "ACR (full words)" anywhere before
    it, in its own section or an earlier one.
    """
    known_upper = {name.upper() for name in known}
    explained: set[str] = set()
    flags: dict[str, list[LanguageFlag]] = {section: [] for section in sections}
    for section, text in sections.items():
        for match in _ACRONYM.finditer(text):
            written = match.group(1)
            acronym = written.replace(".", "")  # "U.K." is "UK"; "GOV.UK" is known as written
            if not _looks_like_acronym(acronym) or _in_heading(text, match.start()):
                continue
            if _is_expansion(text, match, acronym):
                explained.add(acronym)
            elif not {written, acronym} & (known_upper | explained):
                explained.add(acronym)  # flag only the first use
                flags[section].append(_acronym_flag(section, match, acronym))
    return flags


def _looks_like_acronym(acronym: str) -> bool:
    """Two or more capitals in a row, and not a Roman numeral or a code such as "KR8",
    "SW1A" or "2AA", where digits are a third or more of it or come before letters."""
    if not re.search(r"[A-Z]{2}", acronym) or _ROMAN.fullmatch(acronym):
        return False
    alphanumerics = re.sub(r"[^A-Z0-9]", "", acronym)
    digits = sum(char.isdigit() for char in alphanumerics)
    return digits * 3 < len(alphanumerics) and not re.search(r"\d[A-Z]", acronym)


def _in_heading(text: str, position: int) -> bool:
    # A line with no lower-case letters is a heading written in capitals.
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    line = text[start : end if end != -1 else len(text)]
    return line == line.upper()


def _is_expansion(text: str, match: re.Match[str], acronym: str) -> bool:
    letters = re.sub(r"[^A-Z0-9]", "", acronym)
    line_start = text.rfind("\n", 0, match.start()) + 1
    opening = _OPENING_BRACKET.search(text, line_start, match.start())
    if opening and _CLOSING_BRACKET.match(text, match.end()):
        words = _EXPANSION_WORD.findall(text, line_start, opening.start())
        words = words[-_MAX_EXPANSION_WORDS:]
        # "Full Words (ACR)": the words just before the bracket, starting where they spell it.
        return any(_spells(words[start:], letters, skip_first=False) for start in range(len(words)))
    bracket = _BRACKETED.match(text, match.end())
    if bracket:
        words = _EXPANSION_WORD.findall(bracket.group(1))[:_MAX_EXPANSION_WORDS]
        # "ACR (full words)": the words in the bracket, perhaps followed by others.
        return any(_spells(words[:count], letters) for count in range(1, len(words) + 1))
    return False


def _spells(words: Sequence[str], letters: str, *, skip_first: bool = True) -> bool:
    """Whether the words give the acronym's letters in order.

    Each word gives its first letter and perhaps later letters of its own ("Database
    (DB)"); short joining words may give nothing. With skip_first False the first word
    must give a letter, so that a match starts exactly where the expansion starts.
    """
    if not words:
        return not letters
    word, rest = words[0], words[1:]
    if letters and word[0].upper() == letters[0]:
        for used in range(1, len(letters) + 1):
            if _in_order(letters[1:used], word[1:].upper()) and _spells(rest, letters[used:]):
                return True
    return skip_first and word.lower() in _MINOR_WORDS and _spells(rest, letters)


def _in_order(wanted: str, within: str) -> bool:
    remaining = iter(within)
    return all(char in remaining for char in wanted)


def _acronym_flag(section: str, match: re.Match[str], acronym: str) -> LanguageFlag:
    message = (
        f"“{acronym}” is not spelled out. Write it in full the first time, "
        f"with the acronym in brackets: “Full Name ({acronym})”."
    )
    return LanguageFlag("acronym", section, match.start(), match.end(), match.group(), message)


# --- Gender balance ------------------------------------------------------------------

GENDER_KINDS = ("masculine-coded", "feminine-coded")


def gender_lean(flags: Sequence[LanguageFlag], margin: int = 2) -> tuple[str | None, int, int]:
    """Which way the whole advert leans: the kind with `margin` more words, if any.

    One coded word is normal in any advert ("support", "confident"); what puts people
    off is wording that leans one way overall, so only the leaning side is worth showing.
    """
    masculine = sum(f.kind == "masculine-coded" for f in flags)
    feminine = sum(f.kind == "feminine-coded" for f in flags)
    if masculine - feminine >= margin:
        return "masculine-coded", masculine, feminine
    if feminine - masculine >= margin:
        return "feminine-coded", masculine, feminine
    return None, masculine, feminine


def keep_leaning_side(flags: Sequence[LanguageFlag], margin: int = 2) -> list[LanguageFlag]:
    """The flags with gender-coded words kept only for the side the advert leans to."""
    lean, _masculine, _feminine = gender_lean(flags, margin)
    return [f for f in flags if f.kind not in GENDER_KINDS or f.kind == lean]
