"""The Template library screen: browse and search frameworks and role templates, edit your own."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui import change_bus
from ui.context import AppContext
from ui.library.actions import LIBRARY, LibraryActions
from ui.library.detail import FrameworkDetail, TemplateDetail
from ui.library.header import EntryHeader
from ui.library.models import Column, RecordTableModel
from ui.library.snapshot import EntryRow, LibrarySnapshot, load_snapshot, search
from ui.widgets import MessageLine, MessagePanel, page_heading

if TYPE_CHECKING:
    from recruit_app.services.library import LibraryEntry, QuestionView

KIND_NAMES = {"framework": "Framework", "template": "Role template"}


def _name(row: EntryRow) -> str:
    name = row.entry.name + (" (retired)" if row.entry.retired else "")
    if row.matches:
        count = len(row.matches)
        name += f"  · {count} matching {'criterion' if count == 1 else 'criteria'}"
    return name


def _name_tip(row: EntryRow) -> str:
    facts = " · ".join(part for part in (row.entry.code, row.entry.detail) if part)
    tip = f"{row.entry.name}\n{facts}"
    if row.matches:
        tip += "\n\nMatching criteria:\n" + "\n".join(f"{c}: {n}" for c, n in row.matches)
    return tip


ENTRY_COLUMNS = (
    Column("Name", _name, _name_tip),
    Column("Kind", lambda r: KIND_NAMES[r.entry.kind]),
    Column("Source", lambda r: "Built in" if r.entry.builtin else "Yours"),
)


class LibraryPage(QWidget):
    """Lists the library; every change runs as a use case off the GUI thread.

    Signals: `loaded(int)` rows listed after each refresh; `detail_shown(str)` the code now
    shown on the right; `questions_loaded(str)` a framework's questions arrived;
    `imported(object)` an ImportReport; `exported(str)` the path written.
    """

    loaded = Signal(int)
    detail_shown = Signal(str)
    questions_loaded = Signal(str)
    imported = Signal(object)
    exported = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("libraryPage")
        self.context = context
        self.dialog: QWidget | None = None  # the dialog or message open now, if any
        self.snapshot: LibrarySnapshot | None = None
        self.folder = str(Path.home())
        self._select_after_load: tuple[str, str] | None = None
        self._load_token = 0  # refreshes started
        self._snapshot_serial = 0  # snapshots shown
        self._questions_token = 0
        self._restoring = False
        self._shown: tuple[Any, ...] | None = None  # what the detail side shows now
        self.commands = LibraryActions(self)

        heading = page_heading("Template library")

        self.search = QLineEdit()
        self.search.setObjectName("librarySearch")
        self.search.setPlaceholderText("Search names and codes, and the criteria inside")
        self.search.setClearButtonEnabled(True)
        self.show_retired = QCheckBox("Show retired")
        self.show_retired.setObjectName("showRetired")
        self.new_framework_button = self._button(
            "&New framework…", "newFrameworkButton", self.commands.new_framework
        )
        self.new_template_button = self._button(
            "New role &template…", "newTemplateButton", self.commands.new_template
        )
        self.import_button = self._button("&Import…", "importButton", self.commands.choose_import)

        self.entries = RecordTableModel(
            ENTRY_COLUMNS, dimmed=lambda r: r.entry.retired, parent=self
        )
        self.table = QTableView()
        self.table.setObjectName("libraryTable")
        self.table.setModel(self.entries)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._entry_changed())
        self.table.doubleClicked.connect(lambda _index: self.commands.edit_selected())

        self.message = MessagePanel()
        self.empty_new_button = self._button(
            "New framework…", "emptyNewButton", self.commands.new_framework
        )
        self.empty_import_button = self._button(
            "Import…", "emptyImportButton", self.commands.choose_import
        )
        self.list_stack = QStackedWidget()
        self.list_stack.setMinimumWidth(300)  # names stay readable when the window is narrow
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.message)

        self.header = EntryHeader()
        self.header.edit_button.clicked.connect(self.commands.edit_selected)
        self.header.duplicate_button.clicked.connect(self.commands.duplicate_selected)
        self.header.retire_button.clicked.connect(self.commands.toggle_retired)
        self.header.export_button.clicked.connect(self.commands.choose_export)
        self.framework_detail = FrameworkDetail()
        self.framework_detail.criterion_selected.connect(self._update_actions)
        self.framework_detail.add_button.clicked.connect(self.commands.add_criterion)
        self.framework_detail.edit_button.clicked.connect(self.commands.edit_criterion)
        self.framework_detail.retire_button.clicked.connect(self.commands.toggle_criterion_retired)
        self.framework_detail.question_button.clicked.connect(self.commands.add_question)
        self.template_detail = TemplateDetail()
        self.placeholder = QLabel("Select a framework or role template to see what is in it.")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.detail_stack = QStackedWidget()
        for widget in (self.placeholder, self.framework_detail, self.template_detail):
            self.detail_stack.addWidget(widget)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 0, 0, 0)
        right_layout.addWidget(self.header)
        right_layout.addWidget(self.detail_stack, 1)

        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.setObjectName("librarySplit")
        self.split.setChildrenCollapsible(False)
        self.split.addWidget(self.list_stack)
        self.split.addWidget(right)
        self.split.setStretchFactor(0, 2)
        self.split.setStretchFactor(1, 3)
        self.split.setSizes([470, 790])

        self.status = MessageLine("libraryStatus", lines=2)

        tools = QHBoxLayout()
        tools.addWidget(self.search, 1)
        tools.addWidget(self.show_retired)
        tools.addSpacing(12)
        for button in (self.new_framework_button, self.new_template_button, self.import_button):
            tools.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(tools)
        layout.addWidget(self.split, 1)
        layout.addWidget(self.status)

        self.search.textChanged.connect(lambda _text: self._show_entries())
        self.show_retired.toggled.connect(lambda _on: self._show_entries())
        context.bus.changed.connect(self._on_changed)
        self._show_message("Opening the database…")
        self._entry_changed()
        if context.database is not None:  # built when first shown, the database long open
            self.refresh()

    def _button(self, text: str, name: str, slot: Any) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    # --- what is selected --------------------------------------------------------------

    def selected(self) -> LibraryEntry | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= self.entries.rowCount():
            return None
        return self.entries.record(index.row()).entry

    def select_entry(self, kind: str, code: str) -> bool:
        row = self.entries.find(lambda r: r.entry.kind == kind and r.entry.code == code)
        if row is None:
            return False
        index = self.entries.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        return True

    def _can_edit(self) -> bool:
        from recruit_app.services.permissions import ALLOWED

        return self.context.actor.role in ALLOWED["library.edit"]

    def _update_actions(self) -> None:
        entry = self.selected()
        editable = self.context.database is not None and self._can_edit()
        own = editable and entry is not None and not entry.builtin
        for button in (self.new_framework_button, self.new_template_button, self.import_button):
            button.setEnabled(editable)
        self.header.edit_button.setEnabled(own)
        self.header.retire_button.setEnabled(own)
        self.header.duplicate_button.setEnabled(editable and entry is not None)
        self.header.export_button.setEnabled(entry is not None)
        criterion = self.framework_detail.selected()
        detail = self.framework_detail
        detail.add_button.setEnabled(own)
        detail.edit_button.setEnabled(own and criterion is not None)
        detail.retire_button.setEnabled(own and criterion is not None)
        detail.retire_button.setText(
            "Restore criterion"
            if criterion is not None and criterion.retired
            else "Retire criterion"
        )
        # The service lets anyone who edits the library add questions, built-in criteria too.
        detail.question_button.setEnabled(editable and criterion is not None)

    # --- loading -------------------------------------------------------------------------

    def select_after_load(self, kind: str, code: str) -> None:
        """After the next refresh, select this entry (one just created or changed)."""
        self._select_after_load = (kind, code)

    def _on_changed(self, topics: frozenset[str]) -> None:
        if topics & {LIBRARY, change_bus.DATABASE}:
            self.refresh()

    def refresh(self) -> None:
        if self.context.database is None:
            return
        ctx = self.context.service_context()
        self._load_token += 1
        token = self._load_token
        self.context.reads.start(
            lambda: load_snapshot(ctx),
            lambda snapshot: self._loaded(token, snapshot),
            self.show_database_error,
        )

    def _loaded(self, token: int, snapshot: LibrarySnapshot) -> None:
        if token != self._load_token:
            return  # a newer refresh is on its way
        self.snapshot = snapshot
        self._snapshot_serial += 1
        self._show_entries()
        self.loaded.emit(self.entries.rowCount())

    def show_database_error(self, exc: BaseException) -> None:
        text = getattr(exc, "message", None) or "The library could not be read."
        self._show_message(text)

    def _show_message(self, text: str, buttons: list[QPushButton] | None = None) -> None:
        self.message.show_message(text, buttons)
        self.list_stack.setCurrentWidget(self.message)

    def _show_entries(self) -> None:
        """Filter the loaded library by the search box; keep (or make) the selection."""
        if self.snapshot is None:
            return
        current = self.selected()
        keep = self._select_after_load or (current and (current.kind, current.code))
        self._select_after_load = None
        rows = search(
            self.snapshot, self.search.text(), include_retired=self.show_retired.isChecked()
        )
        self._restoring = True  # one detail refresh below, not one per selection signal
        self.entries.set_rows(rows)
        if keep:
            self.select_entry(*keep)
        self._restoring = False
        if not self.snapshot.entries:
            self._show_message(
                "The library is empty. Create a framework, or import one from a file.",
                [self.empty_new_button, self.empty_import_button],
            )
        elif not rows:
            self._show_message("Nothing in the library matches your search.")
        else:
            self.list_stack.setCurrentWidget(self.table)
        self._entry_changed()

    def _entry_changed(self) -> None:
        if self._restoring:
            return
        entry = self.selected()
        row = self.entries.record(self.table.currentIndex().row()) if entry else None
        # Typing in the search box keeps the selection: redraw only when something changed.
        shown = (
            (
                entry.kind,
                entry.code,
                self._snapshot_serial,
                self.show_retired.isChecked(),
                row.matches[:1] if row else (),
            )
            if entry
            else None
        )
        if shown is not None and shown == self._shown:
            return
        self._shown = shown
        if entry is None or self.snapshot is None:
            self.header.hide()
            self.detail_stack.setCurrentWidget(self.placeholder)
            self._update_actions()
            return
        self.header.show()
        self.header.show_entry(entry, self.snapshot)
        if entry.kind == "framework":
            view = self.snapshot.frameworks[entry.code]
            self.framework_detail.show_framework(
                view, include_retired=self.show_retired.isChecked()
            )
            if row is not None and row.matches:  # from a search: show the criterion that matched
                self.framework_detail.select_criterion(row.matches[0][0])
            self.detail_stack.setCurrentWidget(self.framework_detail)
            self._load_questions(entry.code)
        else:
            self.template_detail.show_template(self.snapshot.templates[entry.code], self.snapshot)
            self.detail_stack.setCurrentWidget(self.template_detail)
        self._update_actions()
        self.detail_shown.emit(entry.code)

    def _load_questions(self, code: str) -> None:
        if self.context.database is None:
            return  # closing down, or the database is being switched
        from recruit_app.services.library import list_questions

        ctx = self.context.service_context()
        self._questions_token += 1
        token = self._questions_token

        def loaded(questions: list[QuestionView]) -> None:
            if token == self._questions_token:
                self.framework_detail.set_questions(questions)
                self.questions_loaded.emit(code)

        self.context.reads.start(lambda: list_questions(ctx, code), loaded, self.commands.failed)
