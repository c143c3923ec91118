"""Text a spreadsheet would run as a formula: defused when written, restored when read back."""

from __future__ import annotations

# What Excel, LibreOffice and Google Sheets treat as the start of a formula (tab and
# carriage return too: some programs strip them and then see the next character).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could take this text for a formula, once leading quotes go."""
    return text.lstrip("'").startswith(FORMULA_STARTS)


def neutralise(value: object) -> object:
    """Text a spreadsheet would run as a formula gets a leading apostrophe.

    Text already starting with apostrophes before a formula start gets one more, so that
    `restore` can always give back exactly what was written.
    """
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def restore(text: str) -> str:
    """The text `neutralise` was given: its added apostrophe taken off again."""
    if text.startswith("'") and is_formula_like(text[1:]):
        return text[1:]
    return text
