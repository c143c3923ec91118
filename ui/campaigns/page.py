"""The Campaigns screen: list, search, create, rename, duplicate, archive, delete."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from recruit_app.errors import ConflictError
from ui import change_bus
from ui.campaigns.model import CampaignTableModel
from ui.context import AppContext
from ui.widgets import MessagePanel, page_heading

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

    from recruit_app.services.campaign_list import CampaignSummary
    from ui.campaigns.dialogs import CampaignDialog


class CampaignsPage(QWidget):
    """Lists campaigns; every change runs as a use case off the GUI thread."""

    loaded = Signal(int)  # number of campaigns shown, after each refresh
    settings_requested = Signal()
    open_requested = Signal(int, str, str)  # campaign id, reference, title

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("campaignsPage")
        self.context = context
        self.dialog: QWidget | None = None  # the dialog or question open now, if any
        self._select_after_load: int | None = None

        heading = page_heading("Campaigns")

        self.search = QLineEdit()
        self.search.setObjectName("campaignSearch")
        self.search.setPlaceholderText("Search by title or reference")
        self.search.setClearButtonEnabled(True)
        self.show_archived = QCheckBox("Show archived")
        self.show_archived.setObjectName("showArchived")

        self.new_button = self._button("&New campaign…", "newButton", self.new_campaign)
        self.open_button = self._button("&Open", "openButton", self.open_selected)
        self.rename_button = self._button("&Rename…", "renameButton", self.rename_selected)
        self.duplicate_button = self._button(
            "D&uplicate", "duplicateButton", self.duplicate_selected
        )
        self.archive_button = self._button("&Archive", "archiveButton", self.toggle_archive)
        self.delete_button = self._button("&Delete…", "deleteButton", self.delete_selected)

        self.model = CampaignTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("campaignTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(3, Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().selectionChanged.connect(self._update_actions)
        # A double-click or Enter on a campaign (the view's "activated") opens it.
        self.table.activated.connect(lambda _index: self.open_selected())

        self.message = MessagePanel()
        self.empty_new_button = QPushButton("New campaign…")
        self.empty_new_button.clicked.connect(self.new_campaign)
        self.demo_button = QPushButton("Add the demo campaign")
        self.demo_button.setObjectName("demoButton")
        self.demo_button.clicked.connect(self.add_demo)
        self.settings_button = QPushButton("Choose another database…")
        self.settings_button.clicked.connect(self.settings_requested)
        self.body = QStackedWidget()
        self.body.addWidget(self.table)
        self.body.addWidget(self.message)

        tools = QHBoxLayout()
        tools.addWidget(self.search, 1)
        tools.addWidget(self.show_archived)
        buttons = QHBoxLayout()
        for button in (
            self.new_button,
            self.open_button,
            self.rename_button,
            self.duplicate_button,
            self.archive_button,
            self.delete_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(tools)
        layout.addLayout(buttons)
        layout.addWidget(self.body, 1)

        self.search.textChanged.connect(self._filter_changed)
        self.show_archived.toggled.connect(lambda _checked: self.refresh())
        context.bus.changed.connect(self._on_changed)
        self._add_shortcut("Delete", self.delete_selected)
        self._add_shortcut("F2", self.rename_selected)
        self._add_shortcut("Ctrl+D", self.duplicate_selected)
        self.show_loading("Opening the database…")

    # --- building blocks -------------------------------------------------------------

    def _button(self, text: str, name: str, slot: Any) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    def _add_shortcut(self, keys: str, slot: Any) -> None:
        action = QAction(self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)

    def selected(self) -> CampaignSummary | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.campaign_at(rows[0].row()) if rows else None

    def _update_actions(self) -> None:
        from recruit_app.services.permissions import ALLOWED

        campaign = self.selected()
        ready = self.context.database is not None
        self.new_button.setEnabled(ready)
        for button in (
            self.open_button,
            self.rename_button,
            self.duplicate_button,
            self.archive_button,
            self.delete_button,
        ):
            button.setEnabled(ready and campaign is not None)
        # A panel member opens campaigns; making and changing them is not theirs to offer.
        manages = self.context.actor.role in ALLOWED["campaign.manage"]
        for button in (
            self.new_button,
            self.empty_new_button,
            self.rename_button,
            self.duplicate_button,
            self.archive_button,
            self.delete_button,
        ):
            button.setVisible(manages)
        self.archive_button.setText("Rest&ore" if campaign and campaign.archived else "&Archive")

    # --- states ----------------------------------------------------------------------

    def show_loading(self, text: str) -> None:
        self.message.show_message(text)
        self.body.setCurrentWidget(self.message)
        self._update_actions()

    def show_database_error(self, exc: BaseException) -> None:
        text = getattr(exc, "message", None) or "The database could not be opened."
        self.message.show_message(text, [self.settings_button])
        self.body.setCurrentWidget(self.message)
        self._update_actions()

    def _show_list_or_empty(self) -> None:
        if self.model.total == 0 and not self.show_archived.isChecked():
            self.message.show_message(
                "No campaigns yet. Create your first one, or add the demo campaign to explore.",
                [self.empty_new_button, self.demo_button],
            )
            self.body.setCurrentWidget(self.message)
        elif self.model.rowCount() == 0:
            self.message.show_message("No campaign matches your search.")
            self.body.setCurrentWidget(self.message)
        else:
            self.body.setCurrentWidget(self.table)

    # --- loading ---------------------------------------------------------------------

    def _on_changed(self, topics: frozenset[str]) -> None:
        if topics & {change_bus.CAMPAIGNS, change_bus.DATABASE}:
            self.refresh()

    def refresh(self) -> None:
        if self.context.database is None:
            return
        # The light listing (services.campaign_list): the window's first read does not wait
        # for the table classes; it hands over to services.campaigns where rules apply.
        from recruit_app.services.campaign_list import list_campaigns

        ctx = self.context.service_context()
        include = self.show_archived.isChecked()
        self.context.reads.start(
            lambda: list_campaigns(ctx, include_archived=include),
            self._loaded,
            self.show_database_error,
        )

    def _loaded(self, campaigns: list[CampaignSummary]) -> None:
        current = self.selected()
        keep = self._select_after_load or (current.id if current else None)
        self._select_after_load = None
        self.model.set_campaigns(campaigns)
        self._show_list_or_empty()
        if keep is not None:
            self.select_campaign(keep)
        self._update_actions()
        self.loaded.emit(self.model.rowCount())

    def select_campaign(self, campaign_id: int) -> None:
        row = self.model.row_of(campaign_id)
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def _filter_changed(self, text: str) -> None:
        self.model.set_filter(text)
        self._show_list_or_empty()
        self._update_actions()

    # --- actions ---------------------------------------------------------------------

    def _changed(self, result: Any) -> None:
        """After a successful change: reselect it and tell every view."""
        if result is not None and hasattr(result, "id"):
            self._select_after_load = result.id
        self.context.bus.publish(change_bus.CAMPAIGNS)

    def open_selected(self) -> None:
        campaign = self.selected()
        if campaign is not None:
            self.open_requested.emit(campaign.id, campaign.reference, campaign.title)

    def new_campaign(self) -> None:
        """Ask for a title, a reference and, optionally, a role template to start from."""
        if self.context.database is None:
            return
        from recruit_app.services.library import list_library

        ctx = self.context.service_context()
        self.context.reads.start(lambda: list_library(ctx), self._open_new_dialog, self._failed)

    def _open_new_dialog(self, entries: list[Any]) -> None:
        from recruit_app.services.campaign_files import create_from_template
        from recruit_app.services.campaigns import create_campaign
        from ui.campaigns.dialogs import CampaignDialog

        ctx = self.context.service_context()
        templates = [
            (e.code, f"{e.name} ({e.detail or e.code})") for e in entries if e.kind == "template"
        ]

        def submit(title: str, ref: str, template: str = "") -> Any:
            if template:
                return create_from_template(ctx, template, title=title, reference=ref or None)
            return create_campaign(ctx, title=title, reference=ref or None)

        dialog = CampaignDialog(
            self.context, heading="New campaign", submit=submit, templates=templates, parent=self
        )
        self._open(dialog)
        # A campaign just made is one to work on: it opens as it is listed.
        dialog.saved.connect(self._open_created)

    def _open_created(self, created: Any) -> None:
        if created is not None and hasattr(created, "id"):
            self.open_requested.emit(created.id, created.reference, created.title)

    def rename_selected(self) -> None:
        campaign = self.selected()
        if campaign is None:
            return
        from recruit_app.services.campaigns import find_campaign, rename_campaign
        from ui.campaigns.dialogs import CampaignDialog

        ctx = self.context.service_context()
        seen = {"version": campaign.version}

        def submit(title: str, _reference: str, _template: str = "") -> Any:
            return rename_campaign(ctx, campaign.id, title=title, expected_version=seen["version"])

        def reload() -> str:
            latest = find_campaign(ctx, campaign.reference)
            seen["version"] = latest.version
            return (
                f"It is now titled “{latest.title}” (changed by {latest.updated_by}). "
                "Save again to replace that with your title, or cancel to keep theirs."
            )

        dialog = CampaignDialog(
            self.context,
            heading=f"Rename {campaign.reference}",
            submit=submit,
            title=campaign.title,
            ask_reference=False,
            reload=reload,
            parent=self,
        )
        self._open(dialog)

    def _open(self, dialog: CampaignDialog) -> None:
        dialog.saved.connect(self._changed)
        dialog.finished.connect(self._dialog_closed)
        self.dialog = dialog
        dialog.open()

    def _dialog_closed(self) -> None:
        self.dialog = None

    def duplicate_selected(self) -> None:
        campaign = self.selected()
        if campaign is None:
            return
        from recruit_app.services.campaigns import duplicate_campaign

        ctx = self.context.service_context()
        self.context.writes.start(
            lambda: duplicate_campaign(ctx, campaign.id), self._changed, self._failed
        )

    def toggle_archive(self) -> None:
        campaign = self.selected()
        if campaign is None:
            return
        from recruit_app.services.campaigns import set_archived

        ctx = self.context.service_context()
        self.context.writes.start(
            lambda: set_archived(
                ctx, campaign.id, archived=not campaign.archived, expected_version=campaign.version
            ),
            self._changed,
            self._failed,
        )

    def delete_selected(self) -> None:
        campaign = self.selected()
        if campaign is None:
            return
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(self)
        box.setObjectName("confirmDelete")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Delete campaign")
        box.setText(f"Delete “{campaign.title}” ({campaign.reference})?")
        box.setInformativeText(
            "Its advert, stages, candidates, scores and results are deleted too. "
            "This cannot be undone. The audit trail keeps a record of the deletion."
        )
        delete = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
        delete.setObjectName("confirmDeleteButton")
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.finished.connect(lambda _result: self._delete_answered(box, delete, campaign))
        self.dialog = box
        box.open()

    def _delete_answered(
        self, box: QMessageBox, delete: QPushButton, campaign: CampaignSummary
    ) -> None:
        self.dialog = None
        if box.clickedButton() is not delete:
            return
        from recruit_app.services.campaigns import delete_campaign

        ctx = self.context.service_context()
        self.context.writes.start(
            lambda: delete_campaign(ctx, campaign.id, expected_version=campaign.version),
            self._changed,
            self._failed,
        )

    def add_demo(self) -> None:
        if self.context.database is None:
            return
        from recruit_app.services.demo import build_demo

        ctx = self.context.service_context()
        self.demo_button.setEnabled(False)

        def done(report: Any) -> None:
            self.demo_button.setEnabled(True)
            self.context.bus.publish(change_bus.CAMPAIGNS)

        def failed(exc: BaseException) -> None:
            self.demo_button.setEnabled(True)
            self._failed(exc)

        self.context.writes.start(lambda: build_demo(ctx), done, failed)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ConflictError):
            # The list is stale: show the newer state, then explain.
            self.refresh()
        from ui.errors import error_box

        self.dialog = error_box(self, exc)
