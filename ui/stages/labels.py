"""Words and small helpers the stage tabs share: labels for codes, dates, scales, buttons."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from PySide6.QtWidgets import QPushButton

from recruit_app.domain.dates import compact_date, day_and_month
from recruit_app.domain.stage_rules import SCALES, Scale, scale_for
from recruit_app.errors import ValidationError
from recruit_app.vocabulary import StageKind

CUSTOM_SCALE = "custom"


def kind_label(kind: str) -> str:
    return StageKind.label_for(kind)


def says_kind(name: str, kind: str) -> bool:
    """Whether a stage's name already tells its kind ("CV sift" is a sift)."""
    return kind_label(kind).casefold() in name.casefold()


def stage_title(name: str, kind: str) -> str:
    """ "Final interview (Panel interview)", or just "CV sift" when the name says the kind."""
    return name if says_kind(name, kind) else f"{name} ({kind_label(kind)})"


def date_span(starts: date | None, ends: date | None) -> str:
    """ "11–12 Jan 2027", "30 Jan – 2 Feb 2027": as short as it can be and still clear."""
    if starts and ends:
        if starts == ends:
            return compact_date(starts)
        if (starts.year, starts.month) == (ends.year, ends.month):
            return f"{starts.day}–{compact_date(ends)}"
        if starts.year == ends.year:
            return f"{day_and_month(starts)} – {compact_date(ends)}"
        return f"{compact_date(starts)} – {compact_date(ends)}"
    if starts:
        return f"from {compact_date(starts)}"
    if ends:
        return f"until {compact_date(ends)}"
    return "—"


def scale_of(code: str, custom: Sequence[Mapping[str, Any]] = ()) -> Scale | None:
    """The stage's scale, or None while its custom points are not a valid scale yet."""
    try:
        return scale_for(code, custom)
    except ValidationError:
        return None


def scale_name(code: str) -> str:
    return SCALES[code].name if code in SCALES else "Custom scale"


def button(text: str, name: str, slot: Callable[[], Any]) -> QPushButton:
    widget = QPushButton(text)
    widget.setObjectName(name)
    widget.clicked.connect(lambda _checked=False: slot())
    return widget
