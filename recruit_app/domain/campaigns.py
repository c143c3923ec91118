"""Rules for campaign titles and references."""

from __future__ import annotations

import re
import unicodedata

from recruit_app.errors import ValidationError

TITLE_MAX = 200
REFERENCE_MAX = 40
_REFERENCE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")


def clean_title(title: str | None) -> str:
    """A title with outer spaces trimmed; refused when empty, too long or holding control codes."""
    cleaned = " ".join((title or "").split())
    if not cleaned:
        raise ValidationError("Give the campaign a title.", field="title")
    if len(cleaned) > TITLE_MAX:
        raise ValidationError(
            f"The title is {len(cleaned)} characters long; keep it to {TITLE_MAX} or fewer.",
            field="title",
        )
    if any(unicodedata.category(ch) == "Cc" for ch in cleaned):
        raise ValidationError("The title contains control characters.", field="title")
    return cleaned


def clean_reference(reference: str | None) -> str:
    """A reference such as 283922 or HO-DDaT-2026/14: letters, digits and . _ / -."""
    cleaned = (reference or "").strip()
    if not cleaned:
        raise ValidationError("Give the campaign a reference.", field="reference")
    if len(cleaned) > REFERENCE_MAX:
        raise ValidationError(
            f"The reference is {len(cleaned)} characters long; "
            f"keep it to {REFERENCE_MAX} or fewer.",
            field="reference",
        )
    if not _REFERENCE_PATTERN.match(cleaned):
        raise ValidationError(
            "A reference may hold letters, digits and . _ / - only, starting with a letter "
            "or digit.",
            field="reference",
        )
    return cleaned


def next_reference(existing: list[str], year: int) -> str:
    """The next free reference of the form YYYY-NNNN, after the highest used this year."""
    prefix = f"{year}-"
    numbers = [
        int(ref[len(prefix) :])
        for ref in existing
        if ref.startswith(prefix) and ref[len(prefix) :].isdigit()
    ]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def copy_title(title: str, taken: set[str]) -> str:
    """'Copy of X', then 'Copy of X (2)'... whichever is free, cut to fit the title limit."""
    base = f"Copy of {title}"[:TITLE_MAX]
    candidate, n = base, 2
    while candidate in taken:
        suffix = f" ({n})"
        candidate = base[: TITLE_MAX - len(suffix)] + suffix
        n += 1
    return candidate
