"""The advert checker's word lists, read from recruit_app/library/data/wordlists.

Each file holds one entry a line; blank lines and "#" comments are ignored. The stem
files (masculine.txt, feminine.txt) may also hold "!word" lines: whole words that begin
with a stem but are not coded. The mapping files (exclusionary.txt, jargon.txt) hold
"phrase | suggestion" lines. Parsing is kept apart from reading so that it can be tested
on plain strings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from types import MappingProxyType

from recruit_app.domain.advert_language import WordLists

_FOLDER = "wordlists"
# A comment is a whole "#" line, or "#" after a space at the end of an entry.
_COMMENT = re.compile(r"(?:^|\s)#.*$")


@cache
def load_word_lists() -> WordLists:
    """The built-in word lists, read once."""
    masculine, masculine_exceptions = parse_stems(_read("masculine.txt"))
    feminine, feminine_exceptions = parse_stems(_read("feminine.txt"))
    return WordLists(
        masculine=masculine,
        feminine=feminine,
        # Read-only views: the cached lists are shared by every caller.
        exclusionary=MappingProxyType(parse_mapping(_read("exclusionary.txt"), "exclusionary.txt")),
        jargon=MappingProxyType(parse_mapping(_read("jargon.txt"), "jargon.txt")),
        known_acronyms=frozenset(
            entry.upper() for _, entry in entries(_read("known_acronyms.txt"))
        ),
        not_coded=masculine_exceptions | feminine_exceptions,
    )


def _read(name: str) -> str:
    folder = resources.files(__package__).joinpath("data", _FOLDER)
    return folder.joinpath(name).read_text(encoding="utf-8")


def entries(text: str) -> Iterator[tuple[int, str]]:
    """(line number, entry) for each line that is not blank or a comment."""
    for number, line in enumerate(text.splitlines(), start=1):
        entry = _COMMENT.sub("", line).strip()
        if entry:
            yield number, entry


def parse_stems(text: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """(stems, exceptions): "!word" lines are exceptions, other lines stems; lower case."""
    stems: list[str] = []
    exceptions: set[str] = set()
    for _, entry in entries(text):
        if entry.startswith("!"):
            exceptions.add(entry[1:].strip().lower())
        elif entry.lower() not in stems:
            stems.append(entry.lower())
    return tuple(stems), frozenset(exceptions)


def parse_mapping(text: str, name: str) -> dict[str, str]:
    """{phrase: suggestion} from "phrase | suggestion" lines; a bad line names its place."""
    mapping: dict[str, str] = {}
    for number, entry in entries(text):
        phrase, bar, suggestion = (part.strip() for part in entry.partition("|"))
        if not (bar and phrase and suggestion):
            raise ValueError(f"{name} line {number}: expected “phrase | suggestion”, got “{entry}”")
        mapping[phrase] = suggestion
    return mapping
