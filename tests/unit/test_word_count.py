"""Counting words as a reader does: letters and digits, apostrophes and hyphens inside."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recruit_app.services.documents import word_count


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", 0),
        (" \n\t ", 0),
        ("hello", 1),
        ("Hello, world!", 2),
        # an apostrophe or a hyphen inside a word keeps it one word
        ("O'Brien", 1),
        ("O’Brien", 1),
        ("I’m", 1),
        ("well-known", 1),
        ("well‐known", 1),  # U+2010 HYPHEN
        ("non‑breaking", 1),  # U+2011 NON-BREAKING HYPHEN
        ("e-mail", 1),
        ("mother-in-law's", 1),
        ("rock 'n' roll", 3),
        ("'quoted'", 1),
        ("students' union", 2),
        # ... but not at its edge, nor alone, nor doubled
        ("- dash -", 1),
        ("--", 0),
        ("'", 0),
        ("well--known", 2),
        ("well - known", 2),
        # dashes and other punctuation part words
        ("a — b", 2),
        ("2019–2021", 2),
        ("and/or", 2),
        ("snake_case", 2),
        ("end.Start", 2),
        ("jane.doe@example.org", 4),
        # a point or a comma between digits keeps a number whole
        ("2,000 people", 2),
        ("3.5 years", 2),
        ("£1,250.50", 1),
        ("In 2019. Then", 3),
        ("1, 2, 3", 3),
        # letters of any script, with accents composed or combining
        ("Siân Zoë Łukasz Róisín", 4),
        ("cafe\u0301 au lait", 3),
        ("हिन्दी भाषा", 2),
        ("Ελληνικά και русский", 3),
        ("ﬁne", 1),
        ("A1 B2", 2),
    ],
)
def test_word_count(text: str, words: int) -> None:
    assert word_count(text) == words


def test_a_personal_statement() -> None:
    statement = (
        "I’m a well-known analyst with 12 years’ experience in HMRC’s data team.\n\n"
        "Since 2019 I have led a team of five – mentoring, planning and reporting."
    )
    assert word_count(statement) == 25  # the dash is no word


@given(st.text(), st.text())
def test_words_either_side_of_a_space_add_up(first: str, second: str) -> None:
    assert word_count(f"{first} {second}") == word_count(first) + word_count(second)
