"""The base of the results dialogs, and the reads they use to reload after a conflict."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QLayout

from recruit_app.errors import NotFound
from ui.context import AppContext
from ui.library.dialog_base import ServiceDialog
from ui.results.words import outcome_text

MIN_WIDTH = 480


class ResultsDialog(ServiceDialog):
    def finish_layout(self, body: QLayout) -> None:
        super().finish_layout(body)
        self.setMinimumWidth(MIN_WIDTH)


def note(text: str, name: str = "") -> QLabel:
    """A wrapped explanatory line in a dialog."""
    label = QLabel(text)
    label.setWordWrap(True)
    if name:
        label.setObjectName(name)
    return label


def outcome_version(
    context: AppContext, stage_id: int, candidate_id: int
) -> Callable[[], tuple[int, str]]:
    """A worker call: the candidate's outcome as it is now, for a second, knowing save."""
    from recruit_app.services.results import stage_results

    ctx = context.service_context()

    def work() -> tuple[int, str]:
        view = stage_results(ctx, stage_id)
        row = next((r for r in view.rows if r.candidate_id == candidate_id), None)
        if row is None:
            raise NotFound("That candidate is no longer at this stage; they may have withdrawn.")
        now = outcome_text(row) or "not decided"
        return row.outcome_version, f"Their outcome is now: {now}."

    return work
