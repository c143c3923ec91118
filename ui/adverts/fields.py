"""Small editors for advert fields: each has value(), set_value() and an `edited` signal."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QTime, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from recruit_app.domain.dates import LONDON


class FieldEditor(QWidget):
    """Base: a labelled editor for one advert field."""

    edited = Signal()

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def focus(self, start: int = -1, end: int = -1, text: str = "") -> None:
        """Focus the field; editors of text select `text`, found at start:end of the value
        as checked (or wherever it now is, after edits), when given."""
        self.setFocus()


def _find(raw: str, checked: str, start: int, end: int, text: str) -> tuple[int, int] | None:
    """Where the words checked at start:end of `checked` (the stripped value) are in the
    editor's `raw` text: the same place if they are still there, else their first match."""
    if not text or start < 0:
        return None
    lead = raw.find(checked) if checked else 0
    if lead >= 0 and raw[lead + start : lead + end] == text:
        return lead + start, lead + end
    found = raw.find(text)
    return (found, found + len(text)) if found >= 0 else None


def _bare(layout: QHBoxLayout | QVBoxLayout) -> None:
    layout.setContentsMargins(0, 0, 0, 0)


class _OneLine(FieldEditor):
    """A line of text, with suggestions to choose from where there are `choices`."""

    def __init__(self, limit: int, placeholder: str = "", choices: tuple[str, ...] = ()) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        _bare(layout)
        if choices:
            self.combo: QComboBox | None = QComboBox()
            self.combo.setEditable(True)
            self.combo.addItems(["", *choices])
            line = self.combo.lineEdit()
            assert line is not None  # an editable combo box has its line edit
            self.edit = line
            layout.addWidget(self.combo)
        else:
            self.combo = None
            self.edit = QLineEdit()
            layout.addWidget(self.edit)
        self.edit.setMaxLength(limit + 100)  # longer text gets a message, not a silent cut
        self.edit.setPlaceholderText(placeholder)
        self.edit.textChanged.connect(self.edited)  # set_value is muted by the builder
        if self.combo is not None:
            self.combo.activated.connect(lambda _i: self.edited.emit())

    def focus(self, start: int = -1, end: int = -1, text: str = "") -> None:
        self.edit.setFocus()
        raw = self.edit.text()
        span = _find(raw, raw.strip(), start, end, text)
        if span is not None:
            self.edit.setSelection(span[0], span[1] - span[0])


class LineField(_OneLine):
    def value(self) -> str:
        return self.edit.text().strip()

    def set_value(self, value: Any) -> None:
        self.edit.setText(str(value or ""))


class ListField(_OneLine):
    """A short list typed as comma-separated values ("Glasgow, Manchester")."""

    def value(self) -> list[str]:
        return [part.strip() for part in self.edit.text().split(",") if part.strip()]

    def set_value(self, value: Any) -> None:
        self.edit.setText(", ".join(value or []))


class TextField(FieldEditor):
    def __init__(self, placeholder: str = "", lines: int = 5) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        _bare(layout)
        self.edit = QPlainTextEdit()
        self.edit.setPlaceholderText(placeholder)
        self.edit.setTabChangesFocus(True)
        self.edit.setMinimumHeight(self.fontMetrics().lineSpacing() * lines + 12)
        self.edit.textChanged.connect(self.edited)
        layout.addWidget(self.edit)

    def value(self) -> str:
        return self.edit.toPlainText().strip("\n\r ")

    def set_value(self, value: Any) -> None:
        self.edit.setPlainText(str(value or ""))

    def focus(self, start: int = -1, end: int = -1, text: str = "") -> None:
        self.edit.setFocus()
        raw = self.edit.toPlainText()
        span = _find(raw, self.value(), start, end, text)
        if span is not None:
            cursor = self.edit.textCursor()
            cursor.setPosition(span[0])
            cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
            self.edit.setTextCursor(cursor)
            self.edit.ensureCursorVisible()


class SectionField(TextField):
    """A standard section's words, with a button that fills in Recruit's suggestion.

    The builder answers `suggest_requested` with the wording for the advert as it stands
    (its dates, stages and contact), which the manager then edits.
    """

    suggest_requested = Signal()

    def __init__(self, placeholder: str = "", lines: int = 3) -> None:
        super().__init__(placeholder, lines)
        layout = self.layout()
        assert layout is not None
        self.suggest_button = QPushButton("Use suggested wording")
        self.suggest_button.setObjectName("suggestWording")
        self.suggest_button.setToolTip(
            "Fill this section with Recruit's wording for this advert; edit it as you wish."
        )
        self.suggest_button.clicked.connect(self.suggest_requested)
        row = QHBoxLayout()
        row.addWidget(self.suggest_button)
        row.addStretch(1)
        assert isinstance(layout, QVBoxLayout)
        layout.addLayout(row)

    def suggest(self, text: str) -> None:
        """Put the suggestion in; an edit like typing (the builder sees it as unsaved), which
        Ctrl+Z takes back, so words of one's own are never lost to it."""
        cursor = self.edit.textCursor()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)  # through the cursor: one step on the undo stack
        self.edit.setTextCursor(cursor)
        self.edit.setFocus()


class CountField(FieldEditor):
    def __init__(self, low: int, high: int, suffix: str = "", none: str = "") -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        _bare(layout)
        self.spin = QSpinBox()
        self.spin.setRange(low, high)
        self.spin.setSuffix(suffix)
        if none:  # the lowest value reads as words ("No limit")
            self.spin.setSpecialValueText(none)
        self.spin.valueChanged.connect(lambda _v: self.edited.emit())
        layout.addWidget(self.spin)
        layout.addStretch(1)

    def value(self) -> int:
        return self.spin.value()

    def set_value(self, value: Any) -> None:
        self.spin.setValue(int(value or 0))


class CheckField(FieldEditor):
    """A yes-or-no choice, said in words beside the box."""

    def __init__(self, text: str) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        _bare(layout)
        self.box = QCheckBox(text)
        self.box.toggled.connect(lambda _on: self.edited.emit())
        layout.addWidget(self.box)
        layout.addStretch(1)

    def value(self) -> bool:
        return self.box.isChecked()

    def set_value(self, value: Any) -> None:
        self.box.setChecked(bool(value))


class MomentField(FieldEditor):
    """A date and time typed in London time, stored as UTC; "not set" is allowed."""

    def __init__(self) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        _bare(layout)
        self.enabled = QCheckBox("Set")
        self.edit = QDateTimeEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("ddd d MMM yyyy  HH:mm")
        self.edit.setDateTime(QDateTime(QDate.currentDate().addDays(28), QTime(23, 55)))
        self.edit.setEnabled(False)
        note = QLabel("UK time")
        note.setEnabled(False)
        self.enabled.toggled.connect(self.edit.setEnabled)
        self.enabled.toggled.connect(lambda _on: self.edited.emit())
        self.edit.dateTimeChanged.connect(lambda _dt: self.edited.emit())
        layout.addWidget(self.enabled)
        layout.addWidget(self.edit)
        layout.addWidget(note)
        layout.addStretch(1)

    def value(self) -> datetime | None:
        if not self.enabled.isChecked():
            return None
        qt = self.edit.dateTime()
        d, t = qt.date(), qt.time()
        local = datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=LONDON)
        return local.astimezone(UTC)

    def set_value(self, value: Any) -> None:
        self.enabled.setChecked(value is not None)
        if value is not None:
            local = value.astimezone(LONDON)
            self.edit.setDateTime(
                QDateTime(
                    QDate(local.year, local.month, local.day), QTime(local.hour, local.minute)
                )
            )


class PayZonesField(FieldEditor):
    """Salary bands by pay zone (National, London...): one row each."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[QWidget, QLineEdit, QSpinBox, QSpinBox]] = []
        self.box = QVBoxLayout(self)
        _bare(self.box)
        self.add_button = QPushButton("Add pay zone")
        self.add_button.setObjectName("addPayZone")
        self.add_button.clicked.connect(self._add_blank_row)
        self.box.addWidget(self.add_button)

    def _money(self) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(0, 10_000_000)
        spin.setPrefix("£")
        spin.setSingleStep(500)
        spin.setGroupSeparatorShown(True)
        spin.setMinimumWidth(110)
        spin.valueChanged.connect(lambda _v: self.edited.emit())
        return spin

    def _add_blank_row(self) -> None:
        self._add_row("", 0, 0)
        self.edited.emit()

    def _add_row(self, zone: str, low: int, high: int) -> None:
        row = QWidget()
        line = QHBoxLayout(row)
        _bare(line)
        name = QLineEdit(zone)
        name.setPlaceholderText("Zone, e.g. National")
        name.textChanged.connect(self.edited)
        minimum, maximum = self._money(), self._money()
        minimum.setValue(low)
        maximum.setValue(high)
        remove = QPushButton("Remove")
        remove.clicked.connect(lambda: self._remove(row))
        for widget in (name, QLabel("from"), minimum, QLabel("to"), maximum, remove):
            line.addWidget(widget)
        self.box.insertWidget(len(self.rows), row)
        self.rows.append((row, name, minimum, maximum))

    def _remove(self, row: QWidget) -> None:
        self.rows = [r for r in self.rows if r[0] is not row]
        row.setParent(None)
        row.deleteLater()
        self.edited.emit()

    def value(self) -> list[dict[str, Any]]:
        return [
            {"zone": name.text().strip(), "min": low.value(), "max": high.value()}
            for _row, name, low, high in self.rows
        ]

    def set_value(self, value: Any) -> None:
        for row, *_rest in self.rows:
            row.setParent(None)
            row.deleteLater()
        self.rows = []
        for zone in value or []:
            self._add_row(
                str(zone.get("zone", "")), int(zone.get("min") or 0), int(zone.get("max") or 0)
            )
