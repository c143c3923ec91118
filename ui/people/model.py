"""The people list as a table model, filtered by a plain scan (a team is small)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from recruit_app.vocabulary import Role

if TYPE_CHECKING:
    from recruit_app.services.people import PersonRow

Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("Name", "E-mail", "Role", "Active", "Can sign in", "Panels")
NAME, EMAIL, ROLE, ACTIVE, SIGN_IN, PANELS = range(len(COLUMNS))
ROW_ROLE = Qt.ItemDataRole.UserRole
DIMMED = QColor("#7b8794")


def role_label(role: str) -> str:
    return Role.label_for(role)


def panels_text(person: PersonRow) -> str:
    if not person.panels:
        return "—"
    first = person.panels[0]
    more = len(person.panels) - 1
    return f"{first} and {more} more" if more else first


class PeopleTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[PersonRow] = []
        self._rows: list[PersonRow] = []
        self._filter = ""

    # --- feeding -------------------------------------------------------------------

    def set_people(self, people: list[PersonRow]) -> None:
        self.beginResetModel()
        self._all = list(people)
        self._rows = self._filtered()
        self.endResetModel()

    def set_filter(self, text: str) -> None:
        self.beginResetModel()
        self._filter = " ".join(text.split()).casefold()
        self._rows = self._filtered()
        self.endResetModel()

    def _filtered(self) -> list[PersonRow]:
        if not self._filter:
            return list(self._all)
        return [p for p in self._all if self._filter in _haystack(p)]

    @property
    def total(self) -> int:
        return len(self._all)

    def person_at(self, row: int) -> PersonRow:
        return self._rows[row]

    def row_of(self, person_id: int) -> int | None:
        for row, person in enumerate(self._rows):
            if person.id == person_id:
                return row
        return None

    # --- Qt model API ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        person = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(person, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == PANELS and person.panels:
            return "\n".join(person.panels)
        if role == Qt.ItemDataRole.ForegroundRole and not person.active:
            return DIMMED
        if role == ROW_ROLE:
            return person
        return None


def _display(person: PersonRow, column: int) -> str:
    if column == NAME:
        return person.name
    if column == EMAIL:
        return person.email
    if column == ROLE:
        return role_label(person.role)
    if column == ACTIVE:
        return "Yes" if person.active else "No (deactivated)"
    if column == SIGN_IN:
        return "Yes" if person.can_sign_in else "No password yet"
    return panels_text(person)


def _haystack(person: PersonRow) -> str:
    return " ".join((person.name, person.email, role_label(person.role), *person.panels)).casefold()
