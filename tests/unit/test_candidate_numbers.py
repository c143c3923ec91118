"""Candidate numbers: kept as typed, sorted as numbers, new ones at the campaign's width."""

from __future__ import annotations

import pytest

from recruit_app.domain.candidate_numbers import next_numbers, number_key, sort_numbers


def test_numbers_sort_as_numbers_whatever_their_width():
    assert sort_numbers(["10", "9", "0011", "0100", "1"]) == ["1", "9", "10", "0011", "0100"]


def test_the_same_number_written_two_ways_sorts_together_and_stays_apart():
    assert sort_numbers(["9", "0010", "0009", "10"]) == ["0009", "9", "0010", "10"]


def test_numbers_with_a_prefix_sort_by_their_number_too():
    assert sort_numbers(["HO-10", "HO-9", "HO-100", "A7"]) == ["A7", "HO-9", "HO-10", "HO-100"]


def test_numbers_and_other_references_mixed():
    # Shorter before longer once leading zeros are set aside, then as text.
    assert sort_numbers(["A7", "0010", "0009", "B1"]) == ["0009", "0010", "A7", "B1"]


def test_the_key_is_total_and_stable():
    numbers = ["", "0", "00", "7", "07", "x"]
    assert sorted(numbers, key=number_key) == sort_numbers(numbers)
    assert sort_numbers(numbers) == ["", "0", "00", "07", "7", "x"]


@pytest.mark.parametrize(
    ("existing", "count", "expected"),
    [
        (set(), 3, ["0001", "0002", "0003"]),
        ({"0001", "0002"}, 2, ["0003", "0004"]),
        # Imported numbers six digits wide: new ones are six wide too.
        ({"000123", "000045"}, 2, ["000124", "000125"]),
        # Imported numbers two digits wide: so are new ones.
        ({"12", "7"}, 2, ["13", "14"]),
        # The widest number sets the width, even if it is not the highest.
        ({"0000009", "12"}, 1, ["0000013"]),
        # Numbers that outgrow the width take the digits they need.
        ({"9998"}, 3, ["9999", "10000", "10001"]),
        # References that are not numbers set neither the width nor the start.
        ({"HO-7", "C-12", "²"}, 2, ["0001", "0002"]),
    ],
)
def test_new_numbers_follow_the_highest_at_the_campaigns_width(existing, count, expected):
    assert next_numbers(existing, count) == expected
