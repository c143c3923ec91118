"""The base of the schedule dialogs: a service dialog that grows to show its messages."""

from __future__ import annotations

from PySide6.QtWidgets import QLayout

from recruit_app.errors import ValidationError
from ui.library.dialog_base import ServiceDialog

MIN_WIDTH = 440


class ScheduleDialog(ServiceDialog):
    def finish_layout(self, body: QLayout) -> None:
        super().finish_layout(body)
        self.setMinimumWidth(MIN_WIDTH)

    def show_error(self, exc: ValidationError) -> None:
        super().show_error(exc)
        self.adjustSize()  # a message shown after opening makes room for itself, never clipped
