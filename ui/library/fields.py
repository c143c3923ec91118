"""Field helpers shared by the library dialogs."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from recruit_app.domain.library_format import CODE_MAX, NAME_MAX


def line_edit(
    name: str, text: str = "", *, placeholder: str = "", limit: int = NAME_MAX
) -> QLineEdit:
    edit = QLineEdit(text)
    edit.setObjectName(name)
    # Longer input gets a message from the service rather than being cut silently.
    edit.setMaxLength(limit + 50)
    edit.setPlaceholderText(placeholder)
    return edit


def code_edit(name: str, text: str = "", *, placeholder: str = "") -> QLineEdit:
    return line_edit(name, text, placeholder=placeholder, limit=CODE_MAX)


def text_edit(
    name: str, text: str = "", *, placeholder: str = "", lines: int = 3
) -> QPlainTextEdit:
    """Multi-line text; Tab moves on to the next field rather than typing a tab."""
    edit = QPlainTextEdit(text)
    edit.setObjectName(name)
    edit.setTabChangesFocus(True)
    edit.setPlaceholderText(placeholder)
    line = edit.fontMetrics().lineSpacing()
    edit.setMinimumHeight(line * lines + 14)
    return edit


def lines_of(edit: QPlainTextEdit) -> tuple[str, ...]:
    """One entry per non-empty line."""
    return tuple(line.strip() for line in edit.toPlainText().splitlines() if line.strip())
