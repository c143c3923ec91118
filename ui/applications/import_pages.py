"""The application import's screens: choose the files, check the columns and every
problem, report what was imported."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from recruit_app.domain.application_import import CRITERION_PREFIX, IGNORE, ONE_COLUMN
from ui.candidates.import_pages import QUIET_STYLE, heading, plural, words
from ui.candidates.text_table import TextTableModel, text_table
from ui.widgets import field_error_label, guard_wheel

if TYPE_CHECKING:
    from recruit_app.errors import ValidationError
    from recruit_app.services.applications import Flag, ImportProblem

TABLE_TYPES = "Spreadsheets (*.csv *.txt *.xlsx *.xlsm);;All files (*)"
ZIP_TYPES = "ZIP files (*.zip);;All files (*)"


def _path_row(edit: QLineEdit, *buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    for button in buttons:
        button.setAutoDefault(False)
        row.addWidget(button)
    return row


class ChoosePage(QWidget):
    """Two choosers: a table of answers, and a folder or ZIP file of documents."""

    changed = Signal()
    browse = Signal(str)  # "table", "folder" or "zip": the dialog opens the chooser

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("choosePage")
        self.title = heading("Import applications", "chooseHeading")
        self.intro = words(
            "Choose the table of answers your recruitment system exported (CSV or Excel: "
            "a line per candidate, a column per answer), a folder or ZIP file of their "
            "documents, or both. Documents are matched by the candidate number or e-mail "
            "address in their file names, such as “0007 CV.pdf”. Importing again replaces a "
            "candidate's answer, statement or file of the same name."
        )
        self.table_edit = self._edit("tablePath", "A .csv or .xlsx file (optional)")
        self.table_button = QPushButton("Choose &file…")
        self.table_button.setObjectName("chooseTable")
        self.table_button.clicked.connect(lambda: self.browse.emit("table"))
        self.table_error = field_error_label("tableError", lines=1)
        self.documents_edit = self._edit("documentsPath", "A folder or a .zip file (optional)")
        self.folder_button = QPushButton("Choose f&older…")
        self.folder_button.setObjectName("chooseFolder")
        self.folder_button.clicked.connect(lambda: self.browse.emit("folder"))
        self.zip_button = QPushButton("Choose &ZIP file…")
        self.zip_button.setObjectName("chooseZip")
        self.zip_button.clicked.connect(lambda: self.browse.emit("zip"))
        self.documents_error = field_error_label("documentsError", lines=1)
        self.form_error = field_error_label("chooseError")

        table_box = QGroupBox("&Answers: one line per candidate, one column per answer")
        table_layout = QVBoxLayout(table_box)
        table_layout.addLayout(_path_row(self.table_edit, self.table_button))
        table_layout.addWidget(self.table_error)
        documents_box = QGroupBox("&Documents: CVs, statements and other files")
        documents_layout = QVBoxLayout(documents_box)
        documents_layout.addLayout(
            _path_row(self.documents_edit, self.folder_button, self.zip_button)
        )
        documents_layout.addWidget(self.documents_error)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addSpacing(8)
        layout.addWidget(table_box)
        layout.addWidget(documents_box)
        layout.addWidget(self.form_error)
        layout.addStretch(1)

    def _edit(self, name: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        edit.setClearButtonEnabled(True)
        edit.textChanged.connect(lambda _t: self._edited())
        return edit

    def _edited(self) -> None:
        self.clear_errors()
        self.changed.emit()

    def paths(self) -> tuple[Path | None, Path | None]:
        table, documents = self.table_edit.text().strip(), self.documents_edit.text().strip()
        return (Path(table) if table else None, Path(documents) if documents else None)

    def show_errors(self, table: str = "", documents: str = "", form: str = "") -> None:
        for label, text in (
            (self.table_error, table),
            (self.documents_error, documents),
            (self.form_error, form),
        ):
            label.setText(text)
            label.setVisible(bool(text))

    def clear_errors(self) -> None:
        self.show_errors()


class MappingBox(QGroupBox):
    """One line per column of the table: its heading and what it holds."""

    changed = Signal(str)  # the heading whose choice the user changed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mappingBox")
        self.combos: dict[str, QComboBox] = {}
        self.errors: dict[str, QLabel] = {}
        self.choices: dict[str, str] = {}
        self.note = words("", "mappingNote")
        self.note.setStyleSheet(QUIET_STYLE)
        self.note.hide()
        self._host = QWidget()
        self.grid = QGridLayout(self._host)
        self.grid.setColumnStretch(0, 1)
        self.grid.setHorizontalSpacing(12)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._host)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.note)

    def set_columns(self, source: str, headers: Sequence[str], choices: Mapping[str, str]) -> None:
        """Build the lines once per file; `choices` is target -> words."""
        self.setTitle(f"Columns of {source}")
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.combos.clear()
        self.errors.clear()
        self.choices = dict(choices)
        for text, column in (("Column in the file", 0), ("What it holds", 1)):
            label = QLabel(text)
            font = label.font()
            font.setBold(True)
            label.setFont(font)
            self.grid.addWidget(label, 0, column)
        for number, header in enumerate(headers):
            row = 1 + 2 * number
            name = QLabel(header)
            name.setObjectName(f"header:{header}")
            name.setWordWrap(True)
            name.setMinimumWidth(120)
            combo = self._combo(header)
            name.setBuddy(combo)
            error = field_error_label(f"mappingError:{header}")
            self.grid.addWidget(name, row, 0)
            self.grid.addWidget(combo, row, 1)
            self.grid.addWidget(error, row + 1, 0, 1, 2)
            self.combos[header] = combo
            self.errors[header] = error
        self.grid.setRowStretch(1 + 2 * len(headers), 1)
        guard_wheel(self._host)
        self.note.hide()

    def _combo(self, header: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(f"mapping:{header}")
        criteria = [t for t in self.choices if t.startswith(CRITERION_PREFIX)]
        plain = [t for t in self.choices if t not in criteria and t != IGNORE]
        for target in plain:
            combo.addItem(self.choices[target], target)
        if criteria:
            combo.insertSeparator(combo.count())
        for target in criteria:
            combo.addItem(self.choices[target], target)
        combo.insertSeparator(combo.count())
        combo.addItem(self.choices.get(IGNORE, "Not imported"), IGNORE)
        # Criteria have long titles: the box stays narrow, its list opens wide enough.
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(22)
        widest = max(
            (combo.fontMetrics().horizontalAdvance(w) for w in self.choices.values()), default=0
        )
        combo.view().setMinimumWidth(min(widest + 48, 900))
        combo.activated.connect(lambda _i, h=header: self._chosen(h))
        combo.currentIndexChanged.connect(lambda _i, c=combo: c.setToolTip(c.currentText()))
        return combo

    def set_mapping(self, mapping: Mapping[str, str]) -> None:
        for header, combo in self.combos.items():
            index = combo.findData(mapping.get(header, IGNORE))
            combo.setCurrentIndex(index if index >= 0 else combo.findData(IGNORE))

    def mapping(self) -> dict[str, str]:
        return {header: combo.currentData() for header, combo in self.combos.items()}

    def choose(self, header: str, target: str) -> None:
        """As if the user picked `target` for `header` (tests use it too)."""
        combo = self.combos[header]
        combo.setCurrentIndex(combo.findData(target))
        self._chosen(header)

    def _chosen(self, header: str) -> None:
        target = self.combos[header].currentData()
        moved = []
        if target in ONE_COLUMN or str(target).startswith(CRITERION_PREFIX):
            # One column each: the column that held it is no longer imported.
            for other, combo in self.combos.items():
                if other != header and combo.currentData() == target:
                    combo.setCurrentIndex(combo.findData(IGNORE))
                    moved.append(other)
        if moved:
            names = " and ".join(f"“{m}”" for m in moved)
            self.note.setText(
                f"{names} now not imported: {self.choices.get(target, target)} comes from "
                f"“{header}”."
            )
            self.note.show()
        else:
            self.note.hide()
        self.clear_errors()
        self.changed.emit(header)

    def show_error(self, exc: ValidationError) -> QLabel | None:
        """Beside the column the error names; None when it names none."""
        label = self.errors.get(exc.field or "")
        if label is not None:
            label.setText(exc.message)
            label.show()
        return label

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.clear()
            label.hide()


def where(line: int | None, file: str) -> str:
    return f"Line {line}" if line is not None else file


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


class Findings(QTabWidget):
    """Every problem, the answers over the word limit and the documents without text,
    one tab each, with their counts."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.problems = TextTableModel(("Line or file", "Column", "Problem"), self)
        self.over_limit = TextTableModel(("Candidate", "Part", "Words", "Limit", "Where"), self)
        self.no_text = TextTableModel(("Candidate", "Document", "File"), self)
        problems = text_table(f"{name}Problems", self.problems, 2)
        # A long heading in the column column would leave the reason no room.
        problems.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        problems.horizontalHeader().resizeSection(
            1, problems.fontMetrics().horizontalAdvance("M" * 14)
        )
        self.addTab(problems, "")
        self.addTab(text_table(f"{name}OverLimit", self.over_limit, 1), "")
        self.addTab(text_table(f"{name}NoText", self.no_text, 1), "")

    def show_findings(
        self,
        skipped: Sequence[ImportProblem],
        over_limit: Sequence[Flag],
        no_text: Sequence[Flag],
        *,
        skipped_words: str = "Problems",
    ) -> None:
        self.problems.set_rows(
            [(where(p.line, p.file), p.column, _sentence(p.reason)) for p in skipped]
        )
        self.over_limit.set_rows(
            [
                (f.candidate_number, f.part, f"{f.words:,}", f"{f.limit:,}", where(f.line, f.file))
                for f in over_limit
            ]
        )
        self.no_text.set_rows([(f.candidate_number, f.part, f.file) for f in no_text])
        self.setTabText(0, f"{skipped_words} ({len(skipped):,})")
        self.setTabText(1, f"Over the word limit ({len(over_limit):,})")
        self.setTabText(2, f"No text to read ({len(no_text):,})")
        first = next((n for n, rows in enumerate((skipped, over_limit, no_text)) if rows), 0)
        self.setCurrentIndex(first)


class PreviewPage(QWidget):
    """The counts, the columns' mapping, and every problem."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("previewPage")
        self.title = heading("", "previewHeading")
        self.summary = words("", "previewSummary")
        self.note = field_error_label("previewNote", lines=2)
        self.mapping_box = MappingBox()
        self.findings = Findings("preview")
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setObjectName("previewSplit")
        split.setChildrenCollapsible(False)
        split.addWidget(self.mapping_box)
        split.addWidget(self.findings)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([430, 620])
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.note)
        layout.addWidget(split, 1)

    def show_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))


class ReportPage(QWidget):
    """How many were imported, and what was skipped or needs a look."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportPage")
        self.title = heading("", "reportHeading")
        self.summary = words("", "reportSummary")
        self.findings = Findings("report")
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.findings, 1)

    def show_report(
        self,
        imported: int,
        parts: int,
        documents: int,
        skipped: Sequence[ImportProblem],
        over_limit: Sequence[Flag],
        no_text: Sequence[Flag],
    ) -> None:
        self.title.setText(f"Imported the applications of {plural(imported, 'candidate')}")
        lines = [
            f"{plural(parts, 'part')} added or replaced"
            + (f", {documents:,} of them documents." if documents else ".")
        ]
        lines.append(
            f"{plural(len(skipped), 'problem')} skipped, listed below."
            if skipped
            else "Nothing was skipped."
        )
        if over_limit or no_text:
            lines.append(
                "Check the parts over the word limit and read the documents without text "
                "in their original files."
            )
        lines.append(
            "Before the sift opens, check what name-blind reading hides with Check name-blind text…"
        )
        self.summary.setText(" ".join(lines))
        self.findings.show_findings(skipped, over_limit, no_text, skipped_words="Skipped")
