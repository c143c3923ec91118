"""Name-blind reading: what is hidden in a candidate's own text (issue 15)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recruit_app.domain.redaction import Person, Span, apply, check_spans, merge, redact
from recruit_app.errors import ValidationError

SIAN = Person("Siân", "O'Brien-Smith", "sian.obrien@example.org", "07700 900123")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # accents written or not, any case for the whole name
        ("I am Siân O'Brien-Smith.", "I am [name]."),
        ("I am Sian OBrien-Smith.", "I am [name]."),
        ("SIAN O’BRIEN SMITH, developer", "[name], developer"),
        ("O'Brien-Smith, Siân", "[name]"),
        # each name word alone, written as a name; the same word as an ordinary word is kept
        ("Ms O’Brien led it; Smith reviewed it.", "Ms [name] led it; [name] reviewed it."),
        ("Siân's team", "[name]'s team"),
        ("We will smith the iron.", "We will smith the iron."),
        # e-mails, links, phones in several formats
        ("Write to sian.obrien@example.org.", "Write to [e-mail]."),
        ("or to s.o+jobs@mail.example.co.uk", "or to [e-mail]"),
        (
            "See https://github.com/sian, www.sian.dev and linkedin.com/in/sian.",
            "See [link], [link] and [link].",
        ),
        ("Call 07700 900123 or 07700900123", "Call [phone] or [phone]"),
        ("Call +44 7700 900123 or +44 (0)20 7946 0000", "Call [phone] or [phone]"),
        ("Call (0113) 496 0000 or 0161-496-0000", "Call [phone] or [phone]"),
        ("Call +1 202-555-0143", "Call [phone]"),
        # postcodes, dates of birth, ages, labelled lines
        ("Leeds LS1 4AB and SW1A 1AA", "Leeds [postcode] and [postcode]"),
        ("Date of birth: 3 March 1985", "Date of birth: [date of birth]"),
        ("DOB 03/03/1985; born on March 3, 1985", "DOB [date of birth]; born on [date of birth]"),
        ("Aged 39, I moved", "Aged [age], I moved"),
        ("Name: Jo Bloggs\nAddress: 1 High St, Leeds", "Name: [name]\nAddress: [address]"),
    ],
)
def test_what_is_hidden(text: str, expected: str) -> None:
    assert redact(text, SIAN).text == expected


def test_what_is_kept():
    text = (
        "From 2015 to 2019 I ran a budget of £1,200,000 for 3,500 users; "
        "version 2.4.1 shipped on 12 May 2021. Smith-Jones is my manager's name? No: Jones."
    )
    hidden = redact(text, Person("Ann", "Lee"))
    assert hidden.text == text and hidden.spans == ()


def test_double_barrelled_and_particle_names():
    gareth = Person("Gareth", "Pryce-Jones")
    assert redact("Gareth Pryce Jones and Pryce–Jones", gareth).text == "[name] and [name]"
    aoife = Person("Aoife", "Ní Bhriain")
    assert redact("Aoife Ni Bhriain; Bhriain", aoife).text == "[name]; [name]"
    ursula = Person("Ursula", "von der Leyen")
    assert redact("von der Leyen met von Trapp", ursula).text == "von der [name] met von Trapp"


def test_the_spans_say_what_and_where():
    hidden = redact("Hi, Siân here (07700 900123).", SIAN)
    assert [(s.kind, "Hi, Siân here (07700 900123)."[s.start : s.end]) for s in hidden.spans] == [
        ("name", "Siân"),
        ("phone", "07700 900123"),
    ]


def test_a_managers_spans_are_checked_and_merged():
    text = "Worked at Leeds City Council."
    spans = check_spans(text, [(10, 15, "manual"), (13, 28, "manual")])
    assert spans == (Span(10, 28, "manual"),)
    assert apply(text, spans) == "Worked at [removed]."
    with pytest.raises(ValidationError):
        check_spans(text, [(5, 500, "name")])
    with pytest.raises(ValidationError):
        check_spans(text, [(0, 3, "secret")])


@given(st.text(max_size=300), st.text(max_size=20), st.text(max_size=20))
def test_any_text_redacts_without_error_and_spans_fit(text: str, first: str, last: str) -> None:
    hidden = redact(text, Person(first, last, "", ""))
    assert all(0 <= s.start < s.end <= len(text) for s in hidden.spans)
    assert merge(hidden.spans) == hidden.spans
    assert hidden.text == apply(text, hidden.spans)
