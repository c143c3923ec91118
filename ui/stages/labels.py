"""Words and small helpers the stage tabs share: labels for codes, dates, scales, buttons."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from recruit_app.domain.library_format import STAGE_KINDS
from recruit_app.domain.stage_rules import SCALES, Scale, scale_for
from recruit_app.errors import ValidationError

MODE_LABELS = {
    "": "Not set",
    "in_person": "In person",
    "video": "Video",
    "telephone": "Telephone",
    "online": "Online",
}
PANEL_ROLE_LABELS = {"chair": "Chair", "member": "Member", "independent": "Independent"}
# The people service's roles (db.models.ROLES), which the interface may not import.
PERSON_ROLE_LABELS = {
    "panel_member": "Panel member",
    "recruiting_manager": "Recruiting manager",
    "administrator": "Administrator",
}
CUSTOM_SCALE = "custom"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def kind_label(kind: str) -> str:
    return STAGE_KINDS.get(kind, kind)


def says_kind(name: str, kind: str) -> bool:
    """Whether a stage's name already tells its kind ("CV sift" is a sift)."""
    return kind_label(kind).casefold() in name.casefold()


def stage_title(name: str, kind: str) -> str:
    """ "Final interview (Panel interview)", or just "CV sift" when the name says the kind."""
    return name if says_kind(name, kind) else f"{name} ({kind_label(kind)})"


def short_date(day: date) -> str:
    """Like "11 Jan 2027", whatever the machine's locale."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def date_span(starts: date | None, ends: date | None) -> str:
    """ "11–12 Jan 2027", "30 Jan – 2 Feb 2027": as short as it can be and still clear."""
    if starts and ends:
        if starts == ends:
            return short_date(starts)
        if (starts.year, starts.month) == (ends.year, ends.month):
            return f"{starts.day}–{short_date(ends)}"
        if starts.year == ends.year:
            return f"{starts.day} {_MONTHS[starts.month - 1]} – {short_date(ends)}"
        return f"{short_date(starts)} – {short_date(ends)}"
    if starts:
        return f"from {short_date(starts)}"
    if ends:
        return f"until {short_date(ends)}"
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


def with_error(field: QWidget, error: QLabel) -> QWidget:
    """A field with its error message underneath; the hidden message takes no room."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(field)
    layout.addWidget(error)
    box.setFocusProxy(field)
    return box
