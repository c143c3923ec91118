"""The questions both stage tabs ask: what to do about someone else's change, and confirmations."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from recruit_app.errors import ConflictError


def ask_about_conflict(
    parent: QWidget,
    exc: ConflictError,
    *,
    what: str,
    keep_mine: Callable[[], None],
    load_theirs: Callable[[], None],
    done: Callable[[], None],
) -> QMessageBox:
    """Open (non-blocking) the keep-mine / load-theirs question; `done` runs when it closes."""
    box = QMessageBox(parent)
    box.setObjectName("stageConflict")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(f"Someone else changed {what}")
    box.setText(exc.message)
    box.setInformativeText(
        "Keep your version (it replaces theirs), or load theirs "
        "(your unsaved changes are discarded)."
    )
    mine = box.addButton("Keep mine", QMessageBox.ButtonRole.AcceptRole)
    theirs = box.addButton("Load theirs", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)

    def answered(_result: int) -> None:
        done()
        if box.clickedButton() is mine:
            keep_mine()
        elif box.clickedButton() is theirs:
            load_theirs()

    box.finished.connect(answered)
    box.open()
    return box


def confirm(
    parent: QWidget,
    *,
    name: str,
    title: str,
    text: str,
    detail: str,
    action: str,
    answered: Callable[[bool], None],
) -> QMessageBox:
    """Open (non-blocking) a yes/cancel question; `answered(True)` when the action is chosen."""
    box = QMessageBox(parent)
    box.setObjectName(name)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    box.setInformativeText(detail)
    yes = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    yes.setObjectName(f"{name}Button")
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.finished.connect(lambda _r: answered(box.clickedButton() is yes))
    box.open()
    return box
