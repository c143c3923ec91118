"""Candidate import rules: guessing columns, overrides, and every row problem in words."""

from __future__ import annotations

import pytest

from recruit_app.domain.candidate_import import (
    EXTRA,
    FIELDS,
    IGNORE,
    CandidateRow,
    RowProblem,
    apply_overrides,
    check_mapping,
    check_rows,
    guess_mapping,
    parse_overrides,
    split_full_name,
)
from recruit_app.errors import ValidationError

HEADERS = (
    "Forename",
    "Surname",
    "Email",
    "Phone",
    "Ref",
    "GIS",
    "RIS",
    "Adjustments",
    "Extra minutes",
    "Unavailable dates",
    "Notes",
)
GOOD = ("Ann", "Lee", "ann@example.org", "07700 900123", "C-1", "yes", "no", "", "", "", "")


def row(**changes: str) -> tuple[str, ...]:
    """GOOD with some cells changed, named by their field (or "notes")."""
    fields = (*guess_mapping(HEADERS).values(),)
    cells = list(GOOD)
    for name, value in changes.items():
        cells[fields.index(name) if name in fields else HEADERS.index("Notes")] = value
    return tuple(cells)


def check(*rows: tuple[str, ...], **kwargs):
    numbered = [(line, cells) for line, cells in enumerate(rows, start=2)]
    return check_rows(HEADERS, numbered, guess_mapping(HEADERS), **kwargs)


def problems(*rows: tuple[str, ...], **kwargs) -> list[tuple[int, str, str]]:
    return [(p.line, p.field, p.message) for p in check(*rows, **kwargs).problems]


# --- guessing the mapping ----------------------------------------------------------------

SYNONYMS = {
    "first_name": ["First name", "Forename", "Given name", "First names"],
    "last_name": ["Surname", "Last name", "Family name"],
    "full_name": ["Name", "Full name", "Candidate name"],
    "email": ["Email", "E-mail", "E-mail address", "Email address"],
    "phone": ["Phone", "Telephone", "Mobile", "Phone number"],
    "candidate_number": ["Candidate number", "Applicant ID", "Application number", "Ref"],
    "guaranteed_interview": ["Guaranteed interview", "GIS", "Disability Confident", "DCS"],
    "redeployment": ["Redeployment", "RIS", "Redeployment interview scheme"],
    "adjustments": ["Reasonable adjustments", "Adjustments", "Assistance required"],
    "extra_minutes": ["Extra time (minutes)", "Extra minutes"],
    "unavailable_dates": ["Unavailable dates", "Dates unavailable"],
}


@pytest.mark.parametrize(
    ("header", "field"),
    [(header, field) for field, headers in SYNONYMS.items() for header in headers],
)
def test_each_synonym_is_recognised_whatever_its_case_spacing_or_punctuation(header, field):
    assert guess_mapping([header]) == {header: field}
    shouted = f"  {header.upper().replace(' ', '_')}: "
    assert guess_mapping([shouted]) == {shouted: field}


def test_unknown_headers_are_kept_as_extra_and_the_first_match_wins():
    mapping = guess_mapping(["E-mail", "Email address", "Notes", "Name", "Full name"])
    assert mapping == {
        "E-mail": "email",
        "Email address": EXTRA,
        "Notes": EXTRA,
        "Name": "full_name",
        "Full name": EXTRA,
    }


def test_every_field_has_a_label():
    assert set(FIELDS) >= set(SYNONYMS) | {IGNORE, EXTRA}
    assert all(FIELDS.values())


# --- overrides -----------------------------------------------------------------------------


def test_an_override_moves_a_field_and_the_old_column_becomes_extra():
    mapping = guess_mapping(["Preferred name", "Forename", "Surname", "Email", "Secret"])
    changed = apply_overrides(mapping, {"preferred NAME": "First name", "Secret": "ignore"})
    assert changed == {
        "Preferred name": "first_name",
        "Forename": EXTRA,
        "Surname": "last_name",
        "Email": "email",
        "Secret": IGNORE,
    }
    assert mapping["Forename"] == "first_name"  # the original is left alone


def test_command_line_overrides_are_parsed_at_the_last_equals_sign():
    parsed = parse_overrides(["Forename=first_name", " Score = 2=1 =ignore"])
    assert parsed == {"Forename": "first_name", "Score = 2=1": "ignore"}
    with pytest.raises(ValidationError, match="such as 'Forename=first_name'"):
        parse_overrides(["Forename"])


def test_an_override_naming_an_unknown_header_is_refused_naming_it():
    with pytest.raises(ValidationError) as caught:
        apply_overrides(guess_mapping(["Forename", "Email"]), {"Given": "first_name"})
    assert caught.value.field == "Given"
    assert caught.value.message.startswith("There is no column headed 'Given'")


def test_an_override_naming_an_unknown_field_is_refused_naming_the_header():
    with pytest.raises(ValidationError) as caught:
        apply_overrides(guess_mapping(["Forename", "Email"]), {"Forename": "given_name"})
    assert caught.value.field == "Forename"
    assert "cannot be mapped to 'given_name'" in caught.value.message


def test_two_overrides_for_one_field_are_refused():
    mapping = guess_mapping(["A", "B", "Email"])
    with pytest.raises(ValidationError, match="Both 'A' and 'B' are mapped to First name"):
        apply_overrides(mapping, {"A": "first_name", "B": "first_name"})


def test_a_mapping_without_email_or_names_is_refused():
    with pytest.raises(ValidationError, match="e-mail addresses"):
        check_mapping({"Name": "full_name"})
    with pytest.raises(ValidationError, match="first and last names, or their full name"):
        check_mapping({"Forename": "first_name", "Email": "email"})
    with pytest.raises(ValidationError, match="unknown field 'age'"):
        check_mapping({"Age": "age", "Email": "email", "Name": "full_name"})


# --- good rows ------------------------------------------------------------------------------


def test_a_good_row_becomes_a_candidate():
    preview = check(
        row(
            phone=" 07700 900123 ",
            adjustments="Step-free access\nLarge print",
            extra_minutes="15",
            unavailable_dates="2026-12-08; 09/12/2026, 2026-12-08",
        )
    )
    assert preview.problems == ()
    assert preview.rows == (
        CandidateRow(
            line=2,
            first_name="Ann",
            last_name="Lee",
            email="ann@example.org",
            phone="07700 900123",
            candidate_number="C-1",
            guaranteed_interview=True,
            redeployment=False,
            adjustments="Step-free access\nLarge print",
            extra_minutes=15,
            unavailable_dates=("2026-12-08", "2026-12-09"),
            extra={},
        ),
    )
    assert preview.mapping == guess_mapping(HEADERS)


@pytest.mark.parametrize(
    ("text", "answer"),
    [(word, True) for word in ("yes", "Y", "TRUE", "1")]
    + [(word, False) for word in ("no", "n", "False", "0", "", "  ")],
)
def test_yes_no_answers(text, answer):
    (candidate,) = check(row(guaranteed_interview=text, redeployment=text)).rows
    assert candidate.guaranteed_interview is answer
    assert candidate.redeployment is answer


def test_extra_columns_are_kept_under_their_headers_and_blank_ones_left_out():
    headers = ("Name", "Email", "Source", "Notes", "Skip")
    mapping = apply_overrides(guess_mapping(headers), {"Skip": "ignore"})
    rows = [
        (2, ("Ann Lee", "ann@example.org", "Jobs site", "  ", "x")),
        (3, ("Bo Yu", "bo@example.org", "", "Met at fair", "y")),
    ]
    preview = check_rows(headers, rows, mapping)
    assert [c.extra for c in preview.rows] == [{"Source": "Jobs site"}, {"Notes": "Met at fair"}]


def test_hostile_text_is_kept_exactly_as_typed():
    headers = ("First name", "Last name", "Email", "Adjustments", "Note")
    hostile = {
        "first": '=HYPERLINK("http://evil.example","Click")',
        "last": "<script>alert('x')</script> O'Brien 😀",
        "adjustments": "Łukasz needs ‘quiet’ room — café\u202e",
        "note": "+SUM(A1:A9)",
    }
    cells = (hostile["first"], hostile["last"], "niamh.o'brien@example.ie", hostile["adjustments"])
    preview = check_rows(headers, [(2, (*cells, hostile["note"]))], guess_mapping(headers))
    (candidate,) = preview.rows
    assert (candidate.first_name, candidate.last_name) == (hostile["first"], hostile["last"])
    assert candidate.email == "niamh.o'brien@example.ie"
    assert candidate.adjustments == hostile["adjustments"]
    assert candidate.extra == {"Note": hostile["note"]}


# --- full names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("full", "first", "last"),
    [
        ("Mei Lin Chen", "Mei Lin", "Chen"),
        ("Aoife Ní Bhriain", "Aoife", "Ní Bhriain"),
        ("Seán Ó Briain", "Seán", "Ó Briain"),
        ("Niamh O'Brien", "Niamh", "O'Brien"),
        ("Niamh O' Brien", "Niamh", "O' Brien"),
        ("Síle Nic Giolla", "Síle", "Nic Giolla"),
        ("Aonghas Mac Néill", "Aonghas", "Mac Néill"),
        ("Ludwig van der Berg", "Ludwig", "van der Berg"),
        ("Maria de la Cruz", "Maria", "de la Cruz"),
        ("Ursula von Braun", "Ursula", "von Braun"),
        ("Leonardo da Vinci", "Leonardo", "da Vinci"),
        ("Le Van", "Le", "Van"),
        ("Chen, Mei Lin", "Mei Lin", "Chen"),
        ("  Mary  Jane   Smith ", "Mary  Jane", "Smith"),
    ],
)
def test_full_names_split_at_the_surname_and_keep_their_text(full, first, last):
    assert split_full_name(full) == (first, last)


@pytest.mark.parametrize("full", ["Cher", "", "  ", "Chen,", ", Mei"])
def test_a_single_name_does_not_split(full):
    assert split_full_name(full) is None


def test_a_full_name_column_fills_in_first_and_last_names():
    headers = ("Candidate name", "Email")
    rows = [(2, ("Aoife Ní Bhriain", "aoife@example.ie")), (3, ("Cher", "cher@example.org"))]
    preview = check_rows(headers, rows, guess_mapping(headers))
    assert [(c.first_name, c.last_name) for c in preview.rows] == [("Aoife", "Ní Bhriain")]
    assert preview.problems == (RowProblem(3, "full_name", "missing name"),)


# --- row problems -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"first_name": ""}, [("first_name", "missing name")]),
        ({"last_name": "  "}, [("last_name", "missing name")]),
        ({"email": ""}, [("email", "missing e-mail")]),
        ({"email": "ann.example.org"}, [("email", "malformed e-mail 'ann.example.org'")]),
        ({"email": "ann@@example.org"}, [("email", "malformed e-mail 'ann@@example.org'")]),
        ({"email": "ann@example"}, [("email", "malformed e-mail 'ann@example'")]),
        ({"email": "ann lee@example.org"}, [("email", "malformed e-mail 'ann lee@example.org'")]),
        ({"guaranteed_interview": "maybe"}, [("guaranteed_interview", "'maybe' is not yes or no")]),
        ({"redeployment": "Yes please"}, [("redeployment", "'Yes please' is not yes or no")]),
        (
            {"extra_minutes": "241"},
            [("extra_minutes", "'241' is not a whole number of minutes from 0 to 240")],
        ),
        (
            {"extra_minutes": "7.5"},
            [("extra_minutes", "'7.5' is not a whole number of minutes from 0 to 240")],
        ),
        (
            {"extra_minutes": "-5"},
            [("extra_minutes", "'-5' is not a whole number of minutes from 0 to 240")],
        ),
        (
            {"unavailable_dates": "2026-12-08; 31/02/2026; next Tuesday"},
            [
                ("unavailable_dates", "'31/02/2026' is not a date (use 2026-12-08 or 08/12/2026)"),
                (
                    "unavailable_dates",
                    "'next Tuesday' is not a date (use 2026-12-08 or 08/12/2026)",
                ),
            ],
        ),
        (
            {"candidate_number": "C 1"},
            [
                (
                    "candidate_number",
                    "candidate number 'C 1' may only contain letters, digits, - and /, and "
                    "starts with a letter or digit",
                )
            ],
        ),
        (
            {"candidate_number": "-1"},
            [
                (
                    "candidate_number",
                    "candidate number '-1' may only contain letters, digits, - and /, and "
                    "starts with a letter or digit",
                )
            ],
        ),
        (
            {"candidate_number": "C" * 21},
            [("candidate_number", "candidate number is too long (21 characters; the limit is 20)")],
        ),
        (
            {"first_name": "A" * 201},
            [("first_name", "first name is too long (201 characters; the limit is 200)")],
        ),
        (
            {"phone": "0" * 61},
            [("phone", "phone is too long (61 characters; the limit is 60)")],
        ),
        (
            {"adjustments": "x" * 5_001},
            [("adjustments", "adjustments is too long (5,001 characters; the limit is 5,000)")],
        ),
        (
            {"notes": "x" * 1_001},
            [("Notes", "Notes is too long (1,001 characters; the limit is 1,000)")],
        ),
        ({"last_name": "Lee\x07"}, [("last_name", "last name contains a control character")]),
        ({"adjustments": "a\tb"}, [("adjustments", "adjustments contains a control character")]),
        ({"notes": "a\x00b"}, [("Notes", "Notes contains a control character")]),
        ({"first_name": "Ann\nMarie"}, [("first_name", "first name contains a line break")]),
    ],
)
def test_each_row_problem_is_named_with_its_line(changes, expected):
    first = row(email="first@example.org", candidate_number="C-0")
    assert problems(first, row(**changes)) == [(3, field, msg) for field, msg in expected]


def test_a_bad_row_is_left_out_and_all_its_problems_are_listed():
    preview = check(
        row(first_name="", email="nope", extra_minutes="lots"),
        row(email="bo@x.org", candidate_number="C-2"),
    )
    assert [c.line for c in preview.rows] == [3]
    assert [(p.line, p.field) for p in preview.problems] == [
        (2, "first_name"),
        (2, "email"),
        (2, "extra_minutes"),
    ]


def test_long_values_are_shortened_in_messages_only():
    value = "x" * 100 + "@nowhere"
    (problem,) = check(row(email=value)).problems
    assert problem.message == f"malformed e-mail '{'x' * 59}…'"


# --- duplicates -------------------------------------------------------------------------------


def test_duplicates_within_the_file_name_the_first_line():
    found = problems(
        row(email="ann@example.org", candidate_number="C-1"),
        row(email="bo@example.org", candidate_number="C-2"),
        row(email=" ANN@Example.org ", candidate_number="C-3"),
        row(email="cy@example.org", candidate_number="c-2"),
        row(email="ann@example.org", candidate_number=""),
    )
    assert found == [
        (4, "email", "duplicate of line 2"),
        (5, "candidate_number", "duplicate of line 3"),
        (6, "email", "duplicate of line 2"),
    ]


def test_duplicates_of_candidates_already_in_the_campaign_are_refused():
    found = problems(
        row(email="Ann@Example.org", candidate_number="C-1"),
        row(email="bo@example.org", candidate_number="C-9"),
        row(email="cy@example.org", candidate_number="C-3"),
        existing_emails={"ann@example.org"},
        existing_numbers={"c-9"},
    )
    assert found == [
        (2, "email", "already in this campaign"),
        (3, "candidate_number", "already in this campaign"),
    ]


def test_candidate_numbers_may_be_blank():
    preview = check(row(candidate_number=""), row(email="bo@example.org", candidate_number=""))
    assert [c.candidate_number for c in preview.rows] == ["", ""]


# --- speed ----------------------------------------------------------------------------------


def test_ten_thousand_rows_are_checked():
    # Speed is measured in benchmarks/, not here: this checks the big case is right.
    rows = [
        (n + 2, row(email=f"ann{n}@example.org", candidate_number=f"C-{n}", notes="note"))
        for n in range(10_000)
    ]
    preview = check_rows(HEADERS, rows, guess_mapping(HEADERS))
    assert len(preview.rows) == 10_000 and preview.problems == ()


def test_equality_monitoring_columns_are_never_kept_with_the_candidate():
    """Kept apart (fairness import reads the same file), never as other information."""
    from recruit_app.domain.candidate_import import guess_mapping

    mapping = guess_mapping(
        ["First name", "Surname", "Email", "Sex", "Ethnic group", "What is your age?",
         "Religion or belief", "Gender", "Team", "Disability Confident"]
    )  # fmt: skip
    assert mapping == {
        "First name": "first_name",
        "Surname": "last_name",
        "Email": "email",
        "Sex": "ignore",
        "Ethnic group": "ignore",
        "What is your age?": "ignore",
        "Religion or belief": "ignore",
        "Gender": "ignore",
        "Team": "extra",
        "Disability Confident": "guaranteed_interview",
    }


def test_a_number_with_or_without_leading_zeros_is_the_same_number():
    # Score files, application files and monitoring answers match "41" to "0041": two
    # candidates numbered so could not be told apart there.
    found = problems(
        row(email="ann@example.org", candidate_number="41"),
        row(email="bo@example.org", candidate_number="007"),
        row(email="cy@example.org", candidate_number="7"),
        row(email="di@example.org", candidate_number="0"),
        row(email="ed@example.org", candidate_number="000"),
        existing_numbers={"0041"},
    )
    assert found == [
        (2, "candidate_number", "already in this campaign"),
        (4, "candidate_number", "duplicate of line 3"),
        (6, "candidate_number", "duplicate of line 5"),
    ]
