"""The question plan of a stage: for each criterion it assesses, the questions to ask in
order (from the bank or written here), their probes and minutes, the total against the
slot length, and the chair's welcome and close. Reads and the save run in workers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from recruit_app.domain.plans import MINUTES_MAX, STRENGTHS, PlanItem, timing_finding
from ui.context import AppContext
from ui.library.dialog_base import ServiceDialog
from ui.stages.labels import button
from ui.widgets import MessageLine, fit_to_screen

if TYPE_CHECKING:
    from recruit_app.domain.plans import StagePlan
    from recruit_app.services.plans import BankQuestion

DEFAULT_MINUTES = 10


@dataclass
class _Question:
    """A question as it is being edited."""

    text: str
    probes: list[str] = field(default_factory=list)
    minutes: int = DEFAULT_MINUTES
    unseen: bool = False
    sent_on: date | None = None
    question_id: int | None = None


@dataclass
class _Cell:
    cell_id: int
    code: str
    title: str
    element: str
    questions: list[_Question] = field(default_factory=list)


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class PlanEditorDialog(ServiceDialog):
    """Edits one stage's plan; Save replaces it in one transaction."""

    plan_loaded = Signal()
    bank_loaded = Signal(int)  # the cell whose bank questions arrived

    def __init__(self, context: AppContext, stage_id: int, parent: QWidget | None = None):
        super().__init__(context, "Question plan", parent)
        self.setObjectName("planEditor")
        fit_to_screen(self, 1000, 720)
        self.stage_id = stage_id
        self.cells: list[_Cell] = []
        self.slot_minutes: int | None = None
        self.bank: dict[int, list[BankQuestion]] = {}
        self._filling = False  # fields being filled by code, not typed

        self.heading = QLabel("Loading the plan…")
        self.heading.setObjectName("planHeading")
        self.cell_list = QListWidget()
        self.cell_list.setObjectName("planCells")
        self.cell_list.setWordWrap(True)
        self.cell_list.currentRowChanged.connect(self._cell_changed)
        self.question_list = QListWidget()
        self.question_list.setObjectName("planQuestions")
        self.question_list.setWordWrap(True)
        self.question_list.currentRowChanged.connect(self._question_changed)
        self.bank_list = QListWidget()
        self.bank_list.setObjectName("bankQuestions")
        self.bank_list.setWordWrap(True)
        self.bank_note = QLabel("")
        self.bank_note.setObjectName("bankNote")
        self.bank_note.setEnabled(False)

        self.add_bank_button = button("Add from &bank", "addFromBank", self.add_from_bank)
        self.add_own_button = button("Add &own question", "addOwnQuestion", self.add_own)
        self.up_button = button("Move &up", "questionUp", lambda: self.move_question(-1))
        self.down_button = button("Move do&wn", "questionDown", lambda: self.move_question(1))
        self.remove_button = button("&Remove", "removeQuestion", self.remove)

        self.text_edit = QPlainTextEdit()
        self.text_edit.setObjectName("questionText")
        self.text_edit.setPlaceholderText("The question, as the panel asks it")
        self.probes_edit = QPlainTextEdit()
        self.probes_edit.setObjectName("questionProbes")
        self.probes_edit.setPlaceholderText("Follow-up probes, one a line")
        self.minutes_spin = QSpinBox()
        self.minutes_spin.setObjectName("questionMinutes")
        self.minutes_spin.setRange(0, MINUTES_MAX)
        self.minutes_spin.setSuffix(" min")
        self.unseen_check = QCheckBox("Unseen: not sent to candidates in advance")
        self.unseen_check.setObjectName("questionUnseen")
        # A presentation topic may be sent to candidates in advance: on which day.
        self.sent_check = QCheckBox("Sent to candidates on")
        self.sent_check.setObjectName("questionSent")
        self.sent_date = QDateEdit()
        self.sent_date.setObjectName("questionSentOn")
        self.sent_date.setCalendarPopup(True)
        self.sent_date.setDisplayFormat("d MMM yyyy")
        self.sent_date.setDate(QDate.currentDate())
        self.sent_check.toggled.connect(self._edited)
        self.sent_date.dateChanged.connect(self._edited)
        self.text_edit.textChanged.connect(self._edited)
        self.probes_edit.textChanged.connect(self._edited)
        self.minutes_spin.valueChanged.connect(self._edited)
        self.unseen_check.toggled.connect(self._edited)

        self.timing = QLabel("")
        self.timing.setObjectName("planTiming")
        # Room kept for two lines of warnings (more end in "…", all in the tooltip).
        self.warning = MessageLine("planWarning", lines=2, style="color: #b45309;")
        self.warning.hide()

        self.welcome_edit = QPlainTextEdit()
        self.welcome_edit.setObjectName("welcomeScript")
        self.welcome_edit.setPlaceholderText("What the chair says to open the interview")
        self.close_edit = QPlainTextEdit()
        self.close_edit.setObjectName("closeScript")
        self.close_edit.setPlaceholderText("What the chair says to close it")

        self.finish_layout(self._body())
        self.save_button.setEnabled(False)
        self._update_buttons()
        self._load()

    # --- building --------------------------------------------------------------------

    def _body(self) -> QVBoxLayout:
        grid = QGridLayout()
        grid.addWidget(QLabel("Criteria"), 0, 0)
        grid.addWidget(self.cell_list, 1, 0)
        questions = QVBoxLayout()
        questions.addWidget(QLabel("Questions, in the order they are asked"))
        questions.addWidget(self.question_list, 1)
        row = QHBoxLayout()
        for widget in (self.add_own_button, self.up_button, self.down_button, self.remove_button):
            row.addWidget(widget)
        row.addStretch(1)
        questions.addLayout(row)
        grid.addLayout(questions, 0, 1, 2, 1)
        bank = QVBoxLayout()
        bank.addWidget(QLabel("Question bank for this criterion"))
        bank.addWidget(self.bank_list, 1)
        bank.addWidget(self.bank_note)
        bank.addWidget(self.add_bank_button)
        grid.addLayout(bank, 0, 2, 2, 1)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(2, 3)

        editor = QGroupBox("The question")
        form = QFormLayout(editor)
        form.addRow("&Text", self.checked("questions", self.text_edit))
        form.addRow("&Probes", self.probes_edit)
        form.addRow("&Minutes", self.minutes_spin)
        form.addRow("", self.unseen_check)
        sent = QHBoxLayout()
        sent.addWidget(self.sent_check)
        sent.addWidget(self.sent_date)
        sent.addStretch(1)
        form.addRow("", sent)

        scripts = QGroupBox("The chair's script")
        script_form = QFormLayout(scripts)
        script_form.addRow("&Welcome", self.checked("welcome_script", self.welcome_edit))
        script_form.addRow("&Close", self.checked("close_script", self.close_edit))

        lower = QHBoxLayout()
        lower.addWidget(editor, 1)
        lower.addWidget(scripts, 1)
        layout = QVBoxLayout()
        layout.addWidget(self.heading)
        layout.addLayout(grid, 3)
        layout.addLayout(lower, 2)
        layout.addWidget(self.timing)
        layout.addWidget(self.warning)
        return layout

    # --- loading ---------------------------------------------------------------------

    def _load(self) -> None:
        from recruit_app.services.plans import stage_plan

        ctx, stage_id = self.context.service_context(), self.stage_id
        self.context.reads.start(lambda: stage_plan(ctx, stage_id), self._loaded, self._failed)

    def _loaded(self, plan: StagePlan) -> None:
        self.expected_version = plan.version
        self.slot_minutes = plan.slot_minutes
        self.heading.setText(f"{plan.stage_name}: the same questions for every candidate")
        self.cells = [
            _Cell(
                c.cell_id,
                c.code,
                c.title,
                c.element,
                [
                    _Question(q.text, list(q.probes), q.minutes, q.unseen, q.sent_on, q.question_id)
                    for q in c.questions
                ],
            )
            for c in plan.cells
        ]
        self._filling = True
        self.welcome_edit.setPlainText(plan.welcome_script)
        self.close_edit.setPlainText(plan.close_script)
        self._filling = False
        self.cell_list.clear()
        for cell in self.cells:
            self.cell_list.addItem(self._cell_words(cell))
        if not self.cells:
            self.bank_note.setText("This stage assesses no criteria yet: tick them in the matrix.")
        self.save_button.setEnabled(True)
        if self.cells:
            self.cell_list.setCurrentRow(0)
        self._update_timing()
        self.plan_loaded.emit()

    def _load_bank(self, cell: _Cell) -> None:
        from recruit_app.services.plans import bank_questions

        if cell.cell_id in self.bank:
            self._show_bank(cell.cell_id)
            return
        self.bank_list.clear()
        self.bank_note.setText("Loading the bank…")
        ctx, stage_id, cell_id = self.context.service_context(), self.stage_id, cell.cell_id
        self.context.reads.start(
            lambda: bank_questions(ctx, stage_id, cell_id),
            lambda found: self._bank_arrived(cell_id, found),
            self._failed,
        )

    def _bank_arrived(self, cell_id: int, found: list[BankQuestion]) -> None:
        self.bank[cell_id] = found
        self._show_bank(cell_id)
        self.bank_loaded.emit(cell_id)

    def _show_bank(self, cell_id: int) -> None:
        cell = self.current_cell
        if cell is None or cell.cell_id != cell_id:
            return
        found = self.bank[cell_id]
        self.bank_list.clear()
        for question in found:
            level = f"Level {question.level}: " if question.level else ""
            self.bank_list.addItem(f"{level}{question.text}")
        if found:
            self.bank_list.setCurrentRow(0)
        self.bank_note.setText(
            "" if found else "The bank has no questions for this criterion: write your own."
        )
        self._update_buttons()

    # --- state -----------------------------------------------------------------------

    @property
    def current_cell(self) -> _Cell | None:
        row = self.cell_list.currentRow()
        return self.cells[row] if 0 <= row < len(self.cells) else None

    @property
    def current_question(self) -> _Question | None:
        cell = self.current_cell
        row = self.question_list.currentRow()
        if cell is None or not 0 <= row < len(cell.questions):
            return None
        return cell.questions[row]

    @property
    def total_minutes(self) -> int:
        return sum(q.minutes for c in self.cells for q in c.questions)

    def _cell_words(self, cell: _Cell) -> str:
        count = len(cell.questions)
        said = "no questions" if not count else f"{count} question{'s' * (count != 1)}"
        return f"{cell.code} {_short(cell.title, 40)} · {said}"

    def _question_words(self, question: _Question) -> str:
        unseen = " · unseen" if question.unseen else ""
        return f"{_short(question.text) or '(no text yet)'} · {question.minutes} min{unseen}"

    def _update_buttons(self) -> None:
        cell, question = self.current_cell, self.current_question
        row = self.question_list.currentRow()
        count = len(cell.questions) if cell else 0
        self.add_own_button.setEnabled(cell is not None)
        self.add_bank_button.setEnabled(cell is not None and self.bank_list.currentRow() >= 0)
        self.up_button.setEnabled(question is not None and row > 0)
        self.down_button.setEnabled(question is not None and row < count - 1)
        self.remove_button.setEnabled(question is not None)
        for widget in (self.text_edit, self.probes_edit, self.minutes_spin):
            widget.setEnabled(question is not None)
        self.unseen_check.setEnabled(question is not None)
        self.sent_check.setEnabled(question is not None)
        self.sent_date.setEnabled(question is not None and self.sent_check.isChecked())

    def _update_timing(self) -> None:
        total = self.total_minutes
        slots = f" of {self.slot_minutes}-minute slots" if self.slot_minutes else ""
        self.timing.setText(f"Total: {total} minutes{slots}.")
        warnings = []
        finding = timing_finding(total, self.slot_minutes)
        if finding is not None:
            warnings.append(finding.message)
        for cell in self.cells:
            if cell.element != STRENGTHS and any(q.unseen for q in cell.questions):
                warnings.append(
                    f"{cell.code} is not a strength: its questions are usually sent in advance."
                )
        self.warning.setText("\n".join(warnings))
        self.warning.setVisible(bool(warnings))

    def _refresh_lists(self, question_row: int | None = None) -> None:
        cell = self.current_cell
        row = self.cell_list.currentRow()
        if cell is not None:
            item = self.cell_list.item(row)
            if item is not None:
                item.setText(self._cell_words(cell))
        keep = self.question_list.currentRow() if question_row is None else question_row
        self.question_list.blockSignals(True)
        self.question_list.clear()
        for question in cell.questions if cell else []:
            self.question_list.addItem(self._question_words(question))
        self.question_list.blockSignals(False)
        if cell is not None and cell.questions:
            self.question_list.setCurrentRow(max(0, min(keep, len(cell.questions) - 1)))
        else:
            self._question_changed(-1)
        self._update_timing()
        self._update_buttons()

    # --- reacting --------------------------------------------------------------------

    def _cell_changed(self, _row: int) -> None:
        cell = self.current_cell
        self._refresh_lists(0)
        if cell is not None:
            self._load_bank(cell)

    def _question_changed(self, _row: int) -> None:
        question = self.current_question
        self._filling = True
        self.text_edit.setPlainText(question.text if question else "")
        self.probes_edit.setPlainText("\n".join(question.probes) if question else "")
        self.minutes_spin.setValue(question.minutes if question else 0)
        self.unseen_check.setChecked(question.unseen if question else False)
        sent_on = question.sent_on if question else None
        self.sent_check.setChecked(sent_on is not None)
        if sent_on is not None:
            self.sent_date.setDate(QDate(sent_on.year, sent_on.month, sent_on.day))
        self._filling = False
        self._update_buttons()

    def _edited(self, *_args: Any) -> None:
        question = self.current_question
        if self._filling or question is None:
            return
        question.text = self.text_edit.toPlainText()
        question.probes = [p for p in self.probes_edit.toPlainText().splitlines() if p.strip()]
        question.minutes = self.minutes_spin.value()
        question.unseen = self.unseen_check.isChecked()
        day = self.sent_date.date()
        question.sent_on = (
            date(day.year(), day.month(), day.day()) if self.sent_check.isChecked() else None
        )
        self.sent_date.setEnabled(self.sent_check.isChecked())
        item = self.question_list.currentItem()
        if item is not None:
            item.setText(self._question_words(question))
        self._update_timing()

    # --- actions ---------------------------------------------------------------------

    def _append(self, question: _Question) -> None:
        cell = self.current_cell
        if cell is None:
            return
        cell.questions.append(question)
        self._refresh_lists(len(cell.questions) - 1)

    def add_from_bank(self) -> None:
        cell = self.current_cell
        row = self.bank_list.currentRow()
        found = self.bank.get(cell.cell_id, []) if cell else []
        if cell is None or not 0 <= row < len(found):
            return
        chosen = found[row]
        self._append(
            _Question(
                chosen.text,
                list(chosen.probes),
                unseen=cell.element == STRENGTHS,
                question_id=chosen.id,
            )
        )

    def add_own(self) -> None:
        cell = self.current_cell
        if cell is None:
            return
        self._append(_Question("", unseen=cell.element == STRENGTHS))
        self.text_edit.setFocus()

    def move_question(self, step: int) -> None:
        cell, row = self.current_cell, self.question_list.currentRow()
        if cell is None or not 0 <= row + step < len(cell.questions) or row < 0:
            return
        items = cell.questions
        items[row], items[row + step] = items[row + step], items[row]
        self._refresh_lists(row + step)

    def remove(self) -> None:
        cell, row = self.current_cell, self.question_list.currentRow()
        if cell is None or not 0 <= row < len(cell.questions):
            return
        del cell.questions[row]
        self._refresh_lists(row)

    # --- saving ----------------------------------------------------------------------

    def items(self) -> list[PlanItem]:
        return [
            PlanItem(
                cell.cell_id,
                q.text,
                tuple(q.probes),
                q.minutes,
                q.unseen,
                q.sent_on,
                q.question_id,
            )
            for cell in self.cells
            for q in cell.questions
        ]

    def work(self) -> Callable[[], Any]:
        from recruit_app.services.plans import save_plan

        ctx = self.context.service_context()
        stage_id, items, version = self.stage_id, self.items(), self.expected_version
        welcome, close = self.welcome_edit.toPlainText(), self.close_edit.toPlainText()
        return lambda: save_plan(
            ctx,
            stage_id,
            items,
            welcome_script=welcome,
            close_script=close,
            expected_version=version,
        )

    def reload_work(self) -> Callable[[], tuple[int, str]] | None:
        from recruit_app.services.plans import stage_plan

        ctx, stage_id = self.context.service_context(), self.stage_id

        def reload() -> tuple[int, str]:
            plan = stage_plan(ctx, stage_id)
            return plan.version, f"Their plan has {plan.questions} questions."

        return reload
