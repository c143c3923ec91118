"""Declaring a conflict of interest with a candidate, with a note for the manager; recording
a departure from the stage's question plan with a candidate."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from recruit_app.errors import ValidationError
from ui.library.dialog_base import ServiceDialog

if TYPE_CHECKING:
    from ui.context import AppContext

NOTE_LIMIT = 2000  # what the service keeps of a note


class ConflictDialog(ServiceDialog):
    """Saves through `declare_conflict`; `saved` carries the message for the manager."""

    def __init__(
        self,
        context: AppContext,
        stage_id: int,
        person_id: int,
        person: str,
        candidate_id: int,
        candidate: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, "Declare a conflict of interest", parent)
        self.setObjectName("conflictDialog")
        self._ids = (stage_id, person_id, candidate_id)
        intro = QLabel(
            f"Declare that {person} knows or has a relationship with {candidate}. Once declared, "
            f"{person} does not score them: their draft scores for {candidate} at this stage "
            "are removed, and the recruiting manager is asked to find cover."
        )
        intro.setWordWrap(True)
        self.note = QPlainTextEdit()
        self.note.setObjectName("conflictNote")
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText("For example: we worked in the same team until 2024.")
        self.note.textChanged.connect(self._update_button)
        body = QVBoxLayout()
        body.addWidget(intro)
        body.addWidget(QLabel("What the conflict is (the manager sees this note):"))
        body.addWidget(self.note, 1)
        self.error_label("note", self.note)  # shown in the dialog's message area
        self.finish_layout(body)
        self.save_button.setText("Declare conflict")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
        self.setMinimumWidth(460)
        self._update_button()

    def _update_button(self) -> None:
        self.save_button.setEnabled(bool(self.note.toPlainText().strip()))

    def work(self) -> Callable[[], Any]:
        from recruit_app.services.scoring import declare_conflict

        note = self.note.toPlainText().strip()
        if not note:
            raise ValidationError("Say what the conflict is, for the manager.", "note")
        if len(note) > NOTE_LIMIT:
            raise ValidationError(f"Keep the note to {NOTE_LIMIT:,} characters.", "note")
        ctx = self.context.service_context()
        stage_id, person_id, candidate_id = self._ids
        return lambda: declare_conflict(ctx, stage_id, person_id, candidate_id, note)


class DeviationDialog(ServiceDialog):
    """Records through `record_deviation`; `saved` carries the DeviationView recorded."""

    def __init__(
        self,
        context: AppContext,
        stage_id: int,
        stage: str,
        candidate_id: int,
        candidate: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, "Record a departure from the plan", parent)
        self.setObjectName("deviationDialog")
        self._ids = (stage_id, candidate_id)
        intro = QLabel(
            f"Every candidate at {stage} is asked the same questions in the same order. Say "
            f"how the interview with {candidate} departed from the plan: a question left out, "
            "added or asked differently, and why. The chair's copy of the panel pack and the "
            "campaign report list it, by candidate number."
        )
        intro.setObjectName("deviationIntro")
        intro.setWordWrap(True)
        self.note = QPlainTextEdit()
        self.note.setObjectName("deviationNote")
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText(
            "For example: question 4 was not asked, as the candidate's connection dropped."
        )
        self.note.textChanged.connect(self._update_button)
        body = QVBoxLayout()
        body.addWidget(intro)
        label = QLabel("What happened:")
        label.setBuddy(self.note)
        body.addWidget(label)
        body.addWidget(self.note, 1)
        self.error_label("note", self.note)  # shown in the dialog's message area
        self.finish_layout(body)
        self.save_button.setText("Record")
        self.setMinimumWidth(460)
        self._update_button()

    def _update_button(self) -> None:
        self.save_button.setEnabled(bool(self.note.toPlainText().strip()))

    def work(self) -> Callable[[], Any]:
        from recruit_app.services.plans import NOTE_MAX, record_deviation

        note = self.note.toPlainText().strip()
        if not note:
            raise ValidationError("Say how the interview departed from the plan.", "note")
        if len(note) > NOTE_MAX:
            raise ValidationError(f"Keep the note to {NOTE_MAX:,} characters.", "note")
        ctx = self.context.service_context()
        stage_id, candidate_id = self._ids
        return lambda: record_deviation(ctx, stage_id, candidate_id, note)
