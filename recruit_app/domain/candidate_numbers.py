"""Candidate numbers: kept as typed, sorted as numbers, new ones at the campaign's width.

A number is an identifier: it may come from another system (an applicant ID on Civil
Service Jobs), is quoted in letters and matched in score files, so Recruit never rewrites
one. It sorts as a number wherever candidates are listed: 9 before 10, 0009 beside 9, and
HO-9 before HO-10. Numbers Recruit gives follow the highest all-digit number, as wide as
the widest one in the campaign, so a campaign keeps one width.

The sort key is the number without its leading zeros, shorter first, then as text, then
the number as typed: one rule that SQL can follow too (`db.ordering.by_number`).
"""

from __future__ import annotations

from collections.abc import Iterable

NUMBER_WIDTH = 4  # the width of a campaign's first numbers: 0001, 0002, ...


def number_key(number: str) -> tuple[int, str, str]:
    """Sort key: numbers in numeric order, the same number written two ways side by side."""
    digits = number.lstrip("0")
    return len(digits), digits, number


def matching_key(number: str) -> str:
    """A number as compared when matching or checking for a repeat: case and leading zeros
    do not matter ("7" is "0007", "ho-9" is "HO-9")."""
    text = number.strip().casefold()
    return (text.lstrip("0") or "0") if text.isdigit() else text


def sort_numbers(numbers: Iterable[str]) -> list[str]:
    return sorted(numbers, key=number_key)


def next_numbers(existing: Iterable[str], count: int) -> list[str]:
    """`count` new numbers after the highest all-digit one, at the campaign's widest width
    (four digits in a campaign without any yet); a number that outgrows it is longer."""
    numeric = [n for n in existing if n.isascii() and n.isdigit()]  # not "²": int() refuses it
    highest = max((int(n) for n in numeric), default=0)
    width = max((len(n) for n in numeric), default=NUMBER_WIDTH)
    return [f"{highest + step:0{width}d}" for step in range(1, count + 1)]
