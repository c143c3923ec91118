"""The base of the schedule dialogs: a service dialog at least MIN_WIDTH wide (its messages have
their room kept, see ServiceDialog)."""

from __future__ import annotations

from PySide6.QtWidgets import QLayout

from ui.library.dialog_base import ServiceDialog

MIN_WIDTH = 440


class ScheduleDialog(ServiceDialog):
    def finish_layout(self, body: QLayout) -> None:
        super().finish_layout(body)
        self.setMinimumWidth(MIN_WIDTH)
