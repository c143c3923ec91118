"""The import wizard's screens: match the columns, preview the rows, report what happened."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from recruit_app.domain.candidate_import import EXTRA, FIELDS, IGNORE, MANY_COLUMN_FIELDS
from recruit_app.domain.candidate_numbers import sort_numbers
from recruit_app.domain.dates import short_date
from ui.candidates.text_table import TextTableModel, text_table
from ui.widgets import field_error_label

if TYPE_CHECKING:
    from recruit_app.domain.candidate_import import CandidateRow, RowProblem
    from recruit_app.errors import ValidationError

# The data fields first, then what to do with a column that holds none of them.
CHOICES = [f for f in FIELDS if f not in MANY_COLUMN_FIELDS] + [EXTRA, IGNORE]
QUIET_STYLE = "color: palette(placeholder-text);"


def heading(text: str, name: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.25)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def words(text: str, name: str = "") -> QLabel:
    label = QLabel(text)
    if name:
        label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


def column_of(field: str, mapping: Mapping[str, str]) -> str:
    """The file's heading a problem is about: problems name a field or an extra heading."""
    if field in mapping:
        return field
    return next((h for h, f in mapping.items() if f == field), FIELDS.get(field, field))


def problem_rows(
    problems: Sequence[RowProblem], mapping: Mapping[str, str]
) -> list[tuple[str, ...]]:
    # The checks word their reasons for the command line's "line 4: reason"; a cell of its
    # own starts with a capital.
    return [
        (str(p.line), column_of(p.field, mapping), p.message[:1].upper() + p.message[1:])
        for p in problems
    ]


def examples_of(mapping: Mapping[str, str], rows: Sequence[CandidateRow]) -> dict[str, str]:
    """Each column's first value in the good rows, as Recruit read it."""
    found: dict[str, str] = {}
    for header, field in mapping.items():
        values = (example_of(header, field, row) for row in rows)
        found[header] = next((v for v in values if v), "")
    return found


def example_of(header: str, field: str, row: CandidateRow) -> str:
    """What a column holds in one good row, as Recruit read it."""
    if field == EXTRA:
        return row.extra.get(header, "")
    if field == "full_name":
        return f"{row.first_name} {row.last_name}"
    if field in ("guaranteed_interview", "redeployment"):
        return "yes" if getattr(row, field) else "no"
    if field == "extra_minutes":
        return str(row.extra_minutes)
    if field == "unavailable_dates":
        return ", ".join(short_date(date.fromisoformat(d)) for d in row.unavailable_dates)
    return str(getattr(row, field, "") or "") if field != IGNORE else ""


def details(row: CandidateRow) -> str:
    """The rest of a row in a line: schemes, adjustments, time, dates, other columns."""
    schemes = (("GIS", row.guaranteed_interview), ("RIS", row.redeployment))
    parts = [name for name, on in schemes if on]
    if row.adjustments:
        parts.append(f"adjustments: {row.adjustments}")
    if row.extra_minutes:
        parts.append(f"+{row.extra_minutes} minutes")
    if row.unavailable_dates:
        days = (short_date(date.fromisoformat(d)) for d in row.unavailable_dates)
        parts.append("away " + ", ".join(days))
    parts += [f"{k}: {v}" for k, v in row.extra.items()]
    return "; ".join(parts)


class MappingPage(QWidget):
    """One line per column of the file: its heading, an example, and the field it fills."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mappingPage")
        self.combos: dict[str, QComboBox] = {}
        self.errors: dict[str, QLabel] = {}
        self.title = heading("Match the columns", "mappingHeading")
        self.intro = words(
            "Recruit has guessed what each column holds; check and change any it got wrong. "
            "It needs the e-mail address, and either the first and last names or the full "
            "name. Columns kept as other information are shown with the candidate."
        )
        self.form_error = field_error_label("mappingError", lines=2)
        self.note = words("", "mappingNote")
        self.note.setStyleSheet(QUIET_STYLE)
        self.note.hide()
        self._grid_host = QWidget()
        self.grid = QGridLayout(self._grid_host)
        self.grid.setColumnStretch(2, 1)
        self.grid.setHorizontalSpacing(16)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._grid_host)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addWidget(self.form_error)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.note)

    def set_columns(
        self,
        source: str,
        headers: Sequence[str],
        mapping: Mapping[str, str],
        examples: Mapping[str, str],
    ) -> None:
        self.title.setText(f"Match the columns of {source}")
        # The field beside its heading, where the eye goes next; the example trails after.
        for text, column in (("Column in the file", 0), ("Recruit field", 1), ("Example", 2)):
            label = QLabel(text)
            font = label.font()
            font.setBold(True)
            label.setFont(font)
            self.grid.addWidget(label, 0, column)
        for number, header in enumerate(headers):
            row = 1 + 2 * number
            name = QLabel(header)
            name.setObjectName(f"header:{header}")
            example = QLabel(_one_line(examples.get(header, "")))
            example.setObjectName(f"example:{header}")
            example.setStyleSheet(QUIET_STYLE)
            example.setToolTip(examples.get(header, ""))
            combo = self._combo(header)
            error = field_error_label(f"mappingError:{header}")
            self.grid.addWidget(name, row, 0)
            self.grid.addWidget(combo, row, 1)
            self.grid.addWidget(example, row, 2)
            self.grid.addWidget(error, row + 1, 0, 1, 3)
            self.combos[header] = combo
            self.errors[header] = error
        self.grid.setRowStretch(1 + 2 * len(headers), 1)
        self.set_mapping(mapping)

    def _combo(self, header: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(f"mapping:{header}")
        for field in CHOICES:
            if field == EXTRA:
                combo.insertSeparator(combo.count())
            combo.addItem(FIELDS[field], field)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        combo.activated.connect(lambda _i, h=header: self._chosen(h))
        return combo

    def set_mapping(self, mapping: Mapping[str, str]) -> None:
        for header, combo in self.combos.items():
            combo.setCurrentIndex(combo.findData(mapping.get(header, EXTRA)))

    def mapping(self) -> dict[str, str]:
        return {header: combo.currentData() for header, combo in self.combos.items()}

    def choose(self, header: str, field: str) -> None:
        """As if the user picked `field` for `header` (tests use it too)."""
        combo = self.combos[header]
        combo.setCurrentIndex(combo.findData(field))
        self._chosen(header)

    def _chosen(self, header: str) -> None:
        field = self.combos[header].currentData()
        moved = []
        if field not in MANY_COLUMN_FIELDS:
            # Each field takes one column: the column that had it becomes other information.
            for other, combo in self.combos.items():
                if other != header and combo.currentData() == field:
                    combo.setCurrentIndex(combo.findData(EXTRA))
                    moved.append(other)
        if moved:
            names = " and ".join(f"“{m}”" for m in moved)
            self.note.setText(
                f"{names} now kept as other information: {FIELDS[field]} comes from “{header}”."
            )
            self.note.show()
        else:
            self.note.hide()
        self.clear_errors()
        self.changed.emit()

    def show_error(self, exc: ValidationError) -> None:
        label = self.errors.get(exc.field or "", self.form_error)
        label.setText(exc.message)
        label.show()

    def clear_errors(self) -> None:
        for label in (self.form_error, *self.errors.values()):
            label.clear()
            label.hide()


def _one_line(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= 40 else line[:39] + "…"


class PreviewPage(QWidget):
    """The counts, every bad row with its line and reason, and the first good rows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("previewPage")
        self.title = heading("", "previewHeading")
        self.summary = words("", "previewSummary")
        self.note = field_error_label("previewNote", lines=2)
        self.problems = TextTableModel(("Line", "Column", "Problem"), self)
        self.sample = TextTableModel(
            ("Line", "First name", "Last name", "E-mail", "Phone", "Number", "Details"), self
        )
        self.problems_box = QGroupBox()
        QVBoxLayout(self.problems_box).addWidget(text_table("problemsTable", self.problems, 2))
        self.sample_box = QGroupBox()
        QVBoxLayout(self.sample_box).addWidget(text_table("sampleTable", self.sample, 6))
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.note)
        layout.addWidget(self.problems_box, 2)
        layout.addWidget(self.sample_box, 3)

    def show_preview(
        self,
        good: int,
        problems: Sequence[RowProblem],
        sample: Sequence[CandidateRow],
        mapping: Mapping[str, str],
    ) -> None:
        bad = len({p.line for p in problems})
        self.title.setText(f"{plural(good, 'row')} ready to import")
        if bad:
            self.summary.setText(
                f"{plural(bad, 'row')} with problems will be skipped. Put them right in the "
                "file and import it again later to add them: rows already imported are "
                "recognised by their e-mail and skipped."
            )
        else:
            self.summary.setText("No problems found: every row can be imported.")
        self.problems.set_rows(problem_rows(problems, mapping))
        self.problems_box.setTitle(f"Rows with problems ({bad:,})")
        self.problems_box.setVisible(bool(problems))
        self.sample.set_rows(
            [
                (str(r.line), r.first_name, r.last_name, r.email, r.phone, r.candidate_number,
                 details(r))
                for r in sample
            ]
        )  # fmt: skip
        shown = f"the first {len(sample)} of {good:,}" if len(sample) < good else f"all {good:,}"
        self.sample_box.setTitle(f"Rows to import ({shown})")
        self.sample_box.setVisible(good > 0)
        self.show_note("")

    def show_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))


class ReportPage(QWidget):
    """How many were added, with their numbers, and each skipped row with its reason."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportPage")
        self.title = heading("", "reportHeading")
        self.summary = words("", "reportSummary")
        self.skipped = TextTableModel(("Line", "Column", "Reason"), self)
        self.skipped_box = QGroupBox()
        QVBoxLayout(self.skipped_box).addWidget(text_table("skippedTable", self.skipped, 2))
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.skipped_box, 1)
        layout.addStretch(0)

    def show_report(
        self,
        imported: int,
        numbers: Sequence[str],
        skipped: Sequence[RowProblem],
        mapping: Mapping[str, str],
    ) -> None:
        self.title.setText(f"Imported {plural(imported, 'candidate')}")
        bad = len({p.line for p in skipped})
        parts = []
        if numbers:
            ordered = sort_numbers(numbers)  # as numbers: "9 to 10", never "10 to 9"
            span = ordered[0] if len(ordered) == 1 else f"{ordered[0]} to {ordered[-1]}"
            parts.append(f"Their candidate numbers: {span}.")
        parts.append(
            f"{plural(bad, 'row')} skipped, listed below." if bad else "No rows were skipped."
        )
        self.summary.setText(" ".join(parts))
        self.skipped.set_rows(problem_rows(skipped, mapping))
        self.skipped_box.setTitle(f"Skipped rows ({bad:,})")
        self.skipped_box.setVisible(bool(skipped))
