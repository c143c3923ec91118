"""Declaring a conflict of interest with a candidate, with a note for the manager."""

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
        body.addWidget(self.error_label("note", self.note))
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
