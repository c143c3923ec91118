"""Campaign title and reference rules."""

import pytest

from recruit_app.domain.campaigns import clean_reference, clean_title, copy_title, next_reference
from recruit_app.errors import ValidationError


def test_title_is_trimmed_and_inner_spaces_folded():
    assert clean_title("  Software   Developer ") == "Software Developer"


@pytest.mark.parametrize("title", ["", "   ", None, "\t\n"])
def test_empty_title_is_refused_on_the_title_field(title):
    with pytest.raises(ValidationError) as caught:
        clean_title(title)
    assert caught.value.field == "title"
    assert caught.value.message == "Give the campaign a title."


def test_title_of_200_characters_is_kept_and_201_refused():
    assert clean_title("x" * 200) == "x" * 200
    with pytest.raises(ValidationError, match="201 characters long; keep it to 200"):
        clean_title("x" * 201)


def test_title_with_control_character_is_refused():
    with pytest.raises(ValidationError, match="control characters"):
        clean_title("Developer\x07")


def test_title_keeps_accents_quotes_and_ampersands():
    assert clean_title("Siân's <Data> & “Digital” team") == "Siân's <Data> & “Digital” team"


@pytest.mark.parametrize("reference", ["283922", "HO-DDaT/2026.14", "a_b"])
def test_good_references(reference):
    assert clean_reference(f" {reference} ") == reference


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("", "Give the campaign a reference."),
        ("-abc", "letters, digits and . _ / - only"),
        ("ab cd", "letters, digits and . _ / - only"),
        ("x" * 41, "41 characters long; keep it to 40"),
        ("DROP TABLE;", "letters, digits and . _ / - only"),
    ],
)
def test_bad_references(reference, message):
    with pytest.raises(ValidationError, match=message) as caught:
        clean_reference(reference)
    assert caught.value.field == "reference"


def test_next_reference_follows_the_highest_of_the_year():
    existing = ["2026-0001", "2026-0007", "2025-0099", "283922", "2026-abc"]
    assert next_reference(existing, 2026) == "2026-0008"
    assert next_reference(existing, 2027) == "2027-0001"
    assert next_reference([], 2026) == "2026-0001"


def test_copy_title_finds_a_free_name():
    assert copy_title("Developer", set()) == "Copy of Developer"
    taken = {"Copy of Developer", "Copy of Developer (2)"}
    assert copy_title("Developer", taken) == "Copy of Developer (3)"


def test_copy_title_stays_within_the_limit():
    long = "y" * 200
    first = copy_title(long, set())
    assert len(first) == 200
    second = copy_title(long, {first})
    assert len(second) == 200 and second.endswith(" (2)")
