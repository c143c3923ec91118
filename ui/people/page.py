"""The People screen: list, search, add, edit, deactivate, passwords and panels.

What the acting role may not do is hidden or disabled here; the core refuses it anyway,
and its message is what the person sees if a refusal still happens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from recruit_app.errors import ConflictError, RecruitError
from ui import change_bus
from ui.context import AppContext
from ui.people import PEOPLE
from ui.people.model import NAME, PANELS, PeopleTableModel
from ui.widgets import MessagePanel, page_heading

if TYPE_CHECKING:
    from recruit_app.services.people import PersonRow

REFRESH_TOPICS = frozenset({PEOPLE, change_bus.DATABASE, change_bus.STAGES, change_bus.CAMPAIGNS})


class PeoplePage(QWidget):
    """Everyone who uses Recruit; every change runs as a use case off the GUI thread."""

    loaded = Signal(int)  # people shown, after each refresh
    changed = Signal()  # a change was saved (the bus has been told)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("peoplePage")
        self.context = context
        self.dialog: QWidget | None = None  # the dialog or message open now, if any
        self._select_after_load: int | None = None
        self._busy = False
        self._stale = True  # read when first shown

        heading = page_heading("People")
        self.intro = QLabel()
        self.intro.setObjectName("peopleIntro")
        self.intro.setWordWrap(True)
        self.intro.setEnabled(False)

        self.search = QLineEdit()
        self.search.setObjectName("peopleSearch")
        self.search.setPlaceholderText("Search by name, e-mail, role or panel")
        self.search.setClearButtonEnabled(True)

        self.add_button = self._button("&Add…", "addPersonButton", self.add_person)
        self.edit_button = self._button("&Edit…", "editPersonButton", self.edit_selected)
        self.active_button = self._button("&Deactivate", "activeButton", self.toggle_active)
        self.password_button = self._button("Set &password…", "passwordButton", self.set_password)
        self.panels_button = self._button("Pa&nels…", "panelsButton", self.open_panels)

        self.model = PeopleTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("peopleTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PANELS, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())

        self.message = MessagePanel()
        self.body = QStackedWidget()
        self.body.addWidget(self.table)
        self.body.addWidget(self.message)
        self.status = QLabel()
        self.status.setObjectName("peopleStatus")
        self.status.setWordWrap(True)

        tools = QHBoxLayout()
        tools.addWidget(self.search, 1)
        buttons = QHBoxLayout()
        for button in (
            self.add_button,
            self.edit_button,
            self.active_button,
            self.password_button,
            self.panels_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.intro)
        layout.addLayout(tools)
        layout.addLayout(buttons)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.status)

        self.search.textChanged.connect(self._filter_changed)
        context.bus.changed.connect(self._on_changed)
        self._apply_role()
        self.message.show_message("Opening the database…")
        self.body.setCurrentWidget(self.message)
        self._update_actions()

    def _button(self, text: str, name: str, slot: Any) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    # --- what the acting role may do ---------------------------------------------------

    @property
    def is_admin(self) -> bool:
        return self.context.actor.role == "administrator"

    @property
    def may_manage_panels(self) -> bool:
        return self.context.actor.role in ("administrator", "recruiting_manager")

    def may_change(self, person: PersonRow) -> bool:
        """Administrators change anyone; recruiting managers panel members only."""
        return self.is_admin or (
            self.context.actor.role == "recruiting_manager" and person.role == "panel_member"
        )

    def _apply_role(self) -> None:
        self.password_button.setVisible(self.is_admin)
        self.add_button.setVisible(self.may_manage_panels)
        self.edit_button.setVisible(self.may_manage_panels)
        self.active_button.setVisible(self.may_manage_panels)
        self.panels_button.setVisible(self.may_manage_panels)
        if self.is_admin:
            self.intro.setText(
                "Everyone who uses Recruit. People are never deleted: deactivate those who "
                "leave, and their scores and the audit trail still name them."
            )
        else:
            self.intro.setText(
                "Everyone who uses Recruit. You can add panel members, change their details "
                "and put them on the panels of your campaigns; an administrator manages the rest."
            )

    def selected(self) -> PersonRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.person_at(rows[0].row()) if rows else None

    def _update_actions(self) -> None:
        person = self.selected()
        ready = self.context.database is not None and not self._busy
        self.add_button.setEnabled(ready)
        changeable = ready and person is not None and self.may_change(person)
        self.edit_button.setEnabled(changeable)
        yourself = person is not None and person.id == self.context.actor.person_id
        active_self = yourself and person is not None and person.active
        self.active_button.setEnabled(changeable and not active_self)
        self.active_button.setText(
            "&Reactivate" if person is not None and not person.active else "&Deactivate"
        )
        self.password_button.setEnabled(ready and person is not None and self.is_admin)
        self.panels_button.setEnabled(ready and person is not None)
        tip = ""
        if person is not None and not self.may_change(person):
            tip = "Only an administrator can change administrators and recruiting managers."
        elif yourself:
            tip = "You cannot deactivate yourself."
        for button in (self.edit_button, self.active_button):
            button.setToolTip(tip if not button.isEnabled() else "")

    # --- loading ---------------------------------------------------------------------

    def _on_changed(self, topics: frozenset[str]) -> None:
        if change_bus.DATABASE in topics:
            self._apply_role()  # someone else may have signed in
        if topics & REFRESH_TOPICS:
            # Read now only while on screen: at start-up the campaign list comes first.
            if self.isVisible():
                self.refresh()
            else:
                self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        if self.context.database is None:
            return
        from recruit_app.services.people import list_people

        self._stale = False

        ctx = self.context.service_context()
        self.context.reads.start(lambda: list_people(ctx), self._loaded, self._load_failed)

    def _loaded(self, people: list[PersonRow]) -> None:
        current = self.selected()
        keep = self._select_after_load or (current.id if current else None)
        self._select_after_load = None
        self.model.set_people(people)
        self._show_list_or_empty()
        if keep is not None:
            self.select_person(keep)
        self._update_actions()
        self.loaded.emit(self.model.rowCount())

    def _load_failed(self, exc: BaseException) -> None:
        text = getattr(exc, "message", None) or "The people list could not be read."
        self.message.show_message(text)
        self.body.setCurrentWidget(self.message)
        self.model.set_people([])
        self._update_actions()

    def _show_list_or_empty(self) -> None:
        if self.model.total and not self.model.rowCount():
            self.message.show_message("Nobody matches your search.")
            self.body.setCurrentWidget(self.message)
        elif not self.model.total:
            self.message.show_message(
                "Nobody is listed yet. Add the people who run and sit on panels."
            )
            self.body.setCurrentWidget(self.message)
        else:
            self.body.setCurrentWidget(self.table)

    def select_person(self, person_id: int) -> None:
        row = self.model.row_of(person_id)
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, NAME))

    def _filter_changed(self, text: str) -> None:
        self.model.set_filter(text)
        self._show_list_or_empty()
        self._update_actions()

    # --- actions ---------------------------------------------------------------------

    def _done(self, message: str, person_id: int | None = None) -> None:
        """After a successful change: say so, reselect, tell every view."""
        self._busy = False
        self.status.setText(message)
        if person_id is not None:
            self._select_after_load = person_id
        self.changed.emit()
        self.context.bus.publish(PEOPLE)

    def _open(self, dialog: Any) -> None:
        dialog.finished.connect(self._dialog_closed)
        self.dialog = dialog
        dialog.open()

    def _dialog_closed(self) -> None:
        self.dialog = None

    def add_person(self) -> None:
        from ui.people.dialogs import PersonDialog

        if self.context.database is None:
            return
        dialog = PersonDialog(self.context, parent=self)
        dialog.saved.connect(lambda view: self._done(f"Added {view.name}.", view.id))
        self._open(dialog)

    def edit_selected(self) -> None:
        person = self.selected()
        if person is None or not self.may_change(person):
            return
        from ui.people.dialogs import PersonDialog

        dialog = PersonDialog(self.context, person, parent=self)
        dialog.saved.connect(
            lambda _r: self._done(f"Saved {dialog.name_edit.text().strip()}.", person.id)
        )
        self._open(dialog)

    def toggle_active(self) -> None:
        person = self.selected()
        if person is None:
            return
        from recruit_app.services.people import set_active

        try:
            ctx = self.context.service_context()
        except RecruitError as exc:
            self._failed(exc)
            return
        active = not person.active
        verb = "Reactivated" if active else "Deactivated"
        self._busy = True
        self._update_actions()
        self.context.writes.start(
            lambda: set_active(ctx, person.id, active, expected_version=person.version),
            lambda _r: self._done(f"{verb} {person.name}.", person.id),
            self._failed,
        )

    def set_password(self) -> None:
        person = self.selected()
        if person is None or not self.is_admin:
            return
        from ui.people.dialogs import PasswordDialog

        dialog = PasswordDialog(self.context, person, parent=self)
        dialog.saved.connect(
            lambda _r: self._done(f"Set a new password for {person.name}.", person.id)
        )
        self._open(dialog)

    def open_panels(self) -> None:
        person = self.selected()
        if person is None or not self.may_manage_panels:
            return
        from ui.people.panels import PanelsDialog

        dialog = PanelsDialog(self.context, person, parent=self)
        dialog.changed.connect(self._panel_changed)
        self._open(dialog)
        dialog.load()

    def _panel_changed(self) -> None:
        self.changed.emit()
        self.context.bus.publish(PEOPLE, change_bus.STAGES)

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self._update_actions()
        if isinstance(exc, ConflictError):
            self.refresh()  # the list is stale: show the newer state, then explain
        from ui.errors import error_box

        self.dialog = error_box(self, exc)
