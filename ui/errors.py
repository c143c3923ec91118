"""Showing errors to a person: known ones in their own words, unknown ones folded away."""

from __future__ import annotations

import logging
import traceback

from PySide6.QtWidgets import QMessageBox, QWidget

from recruit_app.errors import Cancelled, ConflictError, RecruitError

log = logging.getLogger(__name__)


def error_box(
    parent: QWidget | None, exc: BaseException, title: str = "Recruit"
) -> QMessageBox | None:
    """Open (non-blocking) a message box for `exc`; None for a cancellation, which shows nothing."""
    if isinstance(exc, Cancelled):
        return None
    box = QMessageBox(parent)
    box.setWindowTitle(title)
    if isinstance(exc, RecruitError):
        box.setIcon(QMessageBox.Icon.Warning)
        box.setText(exc.message)
    else:
        log.error("unexpected error: %s", type(exc).__name__)
        box.setIcon(QMessageBox.Icon.Critical)
        box.setText("Something went wrong that Recruit did not expect. Nothing more was changed.")
        box.setInformativeText("If it happens again, send the details to your administrator.")
        box.setDetailedText("".join(traceback.format_exception(exc)))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setObjectName("errorBox")
    box.open()
    return box


def is_conflict(exc: BaseException) -> bool:
    return isinstance(exc, ConflictError)
