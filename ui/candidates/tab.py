"""The Candidates tab: everyone in the campaign, searchable, filtered by stage and status."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from recruit_app.errors import RecruitError
from recruit_app.vocabulary import Outcome
from ui import change_bus
from ui.candidates.data import CandidatesData, read_candidates
from ui.candidates.flags import FlagsDelegate
from ui.candidates.import_pages import plural
from ui.candidates.model import APPLIED, EMAIL, FLAGS, NAME, NUMBER, STATUS, CandidatesModel
from ui.context import AppContext
from ui.errors import error_box
from ui.widgets import load_waits

if TYPE_CHECKING:
    from recruit_app.services.candidates import CandidateView, ImportReport

REFRESH_ON = frozenset({change_bus.CANDIDATES, change_bus.STAGES, change_bus.DATABASE})
FILE_TYPES = "Spreadsheets (*.csv *.txt *.xlsx *.xlsm);;All files (*)"


class CandidatesTab(QWidget):
    """Reads in a worker; edits and imports run on the writer, then every view is told."""

    loaded = Signal()  # after each (re)load from the database
    changed = Signal()  # after an edit or an import is saved and shown

    def __init__(
        self, context: AppContext, campaign_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        from recruit_app.services.permissions import ALLOWED

        self.setObjectName("candidatesTab")
        self.context = context
        self.campaign_id = campaign_id
        self.stage_id: int | None = None
        self.stage_name = ""
        self.dialog: QWidget | None = None  # the dialog open now, kept for tests to drive
        self.can_manage = context.actor.role in ALLOWED["campaign.manage"]
        self._chosen_file: Path | None = None
        self._serial = 0
        self._publishing = False

        self.search = QLineEdit()
        self.search.setObjectName("candidateSearch")
        self.search.setPlaceholderText("Search by number, name or e-mail")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self._filter_changed())
        self.stage_combo = QComboBox()
        self.stage_combo.setObjectName("stageFilter")
        self.stage_combo.setToolTip("Show only the candidates who reached a stage")
        self.stage_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.stage_combo.addItem("All candidates", None)
        self.stage_combo.activated.connect(self._stage_chosen)
        self.status_combo = self._status_filter()
        self.edit_button = self._button("&Edit…", "editCandidate", self.edit)
        self.import_button = self._button(
            "&Import candidates…", "importCandidates", self.ask_import
        )
        self.import_button.setToolTip("Add candidates from a CSV or Excel file")
        self.add_button = self._button("A&dd candidate…", "addCandidate", self.add_candidate)
        self._select_after_load: int | None = None
        self.add_button.setToolTip(
            "Add one candidate by hand: a late or paper application, checked as an import is"
        )
        # Applications: managers only, so a panel member is not shown them at all.
        self.import_applications_button = self._button(
            "Import &applications…", "importApplicationsButton", self.import_applications
        )
        self.import_applications_button.setToolTip(
            "Add the candidates' answers from a CSV or Excel file, and their CVs and other "
            "documents from a folder or ZIP file"
        )
        self.review_redaction_button = self._button(
            "Check &name-blind text…", "reviewRedactionButton", self.review_redaction
        )
        self.review_redaction_button.setToolTip(
            "See and correct what is hidden from a panel at a name-blind stage"
        )
        self.search_applications_button = self._button(
            "Search app&lications…", "searchApplicationsButton", self.search_applications
        )
        self.search_applications_button.setToolTip(
            "Find words, such as a qualification, in the applications"
        )
        self.application_buttons = (
            self.import_applications_button,
            self.review_redaction_button,
            self.search_applications_button,
        )
        for button in self.application_buttons:
            button.setVisible(self.can_manage)
        self.count = QLabel("Loading…")
        self.count.setObjectName("candidateCount")
        self.notice = QLabel()
        self.notice.setObjectName("nameBlindNotice")
        self.notice.hide()
        self.model = CandidatesModel(self)
        self.table = self._build_table()
        self._lay_out()
        context.bus.changed.connect(self._bus_changed)
        self._update_buttons()

    # --- building ------------------------------------------------------------------------

    def _button(self, text: str, name: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    def _status_filter(self) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName("statusFilter")
        combo.setToolTip("Show only the candidates whose latest outcome is this")
        combo.addItem("Any status", None)
        combo.addItem("Applied (no outcome yet)", APPLIED)
        for kind, label in Outcome.labels().items():
            combo.addItem(label, kind)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        combo.currentIndexChanged.connect(lambda _i: self._filter_changed())
        return combo

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("candidatesTable")
        table.setModel(self.model)
        table.setItemDelegateForColumn(FLAGS, FlagsDelegate(table))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        rows = table.verticalHeader()
        rows.hide()
        # Fixed-height rows and fixed column widths: nothing measures 10,000 rows' contents.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(table.fontMetrics().height() + 10)
        header = table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(EMAIL, QHeaderView.ResizeMode.Stretch)
        metrics = table.fontMetrics()
        header.resizeSection(NUMBER, metrics.horizontalAdvance("Number") + 36)
        header.resizeSection(FLAGS, metrics.horizontalAdvance("GIS RIS Adj +15 min Away ×2") + 64)
        longest = max(Outcome.labels().values(), key=len)
        header.resizeSection(STATUS, metrics.horizontalAdvance(f"{longest} (CV sift)") + 24)
        header.setSortIndicator(NUMBER, Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)
        table.activated.connect(lambda _index: self.edit())  # double-click, or Enter
        table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        return table

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.search, 2)
        for text, combo in (("Stage", self.stage_combo), ("Status", self.status_combo)):
            label = QLabel(text)
            label.setBuddy(combo)
            top.addSpacing(8)
            top.addWidget(label)
            top.addWidget(combo)
        top.addStretch(1)
        top.addWidget(self.edit_button)
        top.addWidget(self.add_button)
        top.addWidget(self.import_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count)
        bottom.addStretch(1)
        bottom.addWidget(self.notice)
        for button in self.application_buttons:
            bottom.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

    # --- loading -------------------------------------------------------------------------

    def load(self) -> None:
        if load_waits(self):  # hidden in its campaign window: read when shown
            return
        try:
            ctx = self.context.service_context()
        except RecruitError as exc:
            self._load_failed(exc)
            return
        self._serial += 1
        serial, campaign_id, stage_id = self._serial, self.campaign_id, self.stage_id

        def done(data: CandidatesData) -> None:
            if serial == self._serial:  # a newer load is on its way otherwise
                self.fill(data)

        self.context.reads.start(
            lambda: read_candidates(ctx, campaign_id, stage_id), done, self._load_failed
        )

    def fill(self, data: CandidatesData) -> None:
        self.stage_combo.clear()
        if data.everyone_allowed:
            self.stage_combo.addItem("All candidates", None)
        for stage_id, name in data.stages:
            self.stage_combo.addItem(name, stage_id)
        self.stage_id = data.stage_id
        self.stage_combo.setCurrentIndex(max(0, self.stage_combo.findData(self.stage_id)))
        self.stage_name = self.stage_combo.currentText() if self.stage_id is not None else ""
        chosen = self.selected_ids()
        if self._select_after_load is not None:  # a candidate just added by hand
            chosen, self._select_after_load = [self._select_after_load], None
        self.model.set_rows(data.rows)
        self._fit_status(data)
        self._after_reset(chosen)
        self.table.setEnabled(True)
        self.loaded.emit()

    def _fit_status(self, data: CandidatesData) -> None:
        """Room for the longest status: few distinct ones, whatever the number of rows."""
        header, metrics = self.table.horizontalHeader(), self.table.fontMetrics()
        statuses = {row.view.status for row in data.rows}
        widest = max(map(metrics.horizontalAdvance, statuses), default=0)
        header.resizeSection(STATUS, max(header.sectionSize(STATUS), widest + 24))

    def _load_failed(self, exc: BaseException) -> None:
        if isinstance(exc, RecruitError):
            self.count.setText(f"The candidates could not be read: {exc.message}")
        else:
            self.dialog = error_box(self, exc, "Candidates")

    def _stage_chosen(self, index: int) -> None:
        self.stage_id = self.stage_combo.itemData(index)
        self.load()

    def _bus_changed(self, topics: frozenset[str]) -> None:
        # Our own changes are shown already; a reload would only lose the scroll position.
        if topics & REFRESH_ON and not self._publishing:
            self.load()

    # --- filtering and showing ------------------------------------------------------------

    def _filter_changed(self) -> None:
        chosen = self.selected_ids()
        self.model.set_filter(self.search.text(), self.status_combo.currentData())
        self._after_reset(chosen)

    def _after_reset(self, chosen: list[int]) -> None:
        from recruit_app.services.access import NAME_BLIND_RULE

        self._reselect(chosen)
        self._show_count()
        hidden = self.model.names_hidden
        # Name-blind: the name would only repeat the number; e-mail and flags are blank.
        for column in (NAME, EMAIL, FLAGS):
            self.table.setColumnHidden(column, hidden)
        self.search.setPlaceholderText(
            "Search by number" if hidden else "Search by number, name or e-mail"
        )
        self.notice.setText(NAME_BLIND_RULE)  # the core's words (access.py)
        self.notice.setVisible(hidden)
        self._update_buttons()

    def _show_count(self) -> None:
        total, shown = self.model.total, self.model.rowCount()
        if total == 0 and self.stage_id is None:
            self.count.setText(
                "No candidates yet. Add them from a file with Import candidates…, "
                "or one by one with Add candidate…"
                if self.can_manage
                else "No candidates yet."
            )
            return
        words = plural(total, "candidate")
        if self.stage_id is not None:
            words += f" reached {self.stage_name}"
        self.count.setText(words if shown == total else f"{words}, {shown:,} shown")

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.candidate_at(r).id for r in rows if r < self.model.rowCount()]

    def selected_candidates(self) -> list[CandidateView]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.candidate_at(r) for r in rows if r < self.model.rowCount()]

    def select_candidate(self, candidate_id: int) -> None:
        self._reselect([candidate_id])
        row = self.model.row_of(candidate_id)
        if row is not None:
            self.table.scrollTo(self.model.index(row, 0))

    def _reselect(self, candidate_ids: list[int]) -> None:
        selection = self.table.selectionModel()
        selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        rows = [r for r in map(self.model.row_of, candidate_ids) if r is not None]
        for row in rows:
            selection.select(self.model.index(row, 0), flags)
        if rows:  # keyboard moves then start from the chosen row, not the top
            current = QItemSelectionModel.SelectionFlag.NoUpdate
            selection.setCurrentIndex(self.model.index(rows[0], NAME), current)
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.selected_candidates()
        hidden = self.model.names_hidden
        self.edit_button.setEnabled(self.can_manage and not hidden and len(chosen) == 1)
        self.import_button.setEnabled(self.can_manage)
        self.add_button.setEnabled(self.can_manage)
        if not self.can_manage:
            tip = "Only a recruiting manager or an administrator can change candidates."
        elif hidden:
            tip = "Names are hidden at this stage: choose All candidates to edit."
        else:
            tip = "Change the chosen candidate's details"
        self.edit_button.setToolTip(tip)

    # --- editing -------------------------------------------------------------------------

    def edit(self) -> None:
        from ui.candidates.edit_dialog import CandidateDialog

        chosen = self.selected_candidates()
        if len(chosen) != 1 or not self.edit_button.isEnabled() or self.dialog is not None:
            return
        dialog = CandidateDialog(self.context, self.campaign_id, chosen[0], self)
        dialog.saved.connect(self._edited)
        self._open(dialog)

    def add_candidate(self) -> None:
        from ui.candidates.edit_dialog import NewCandidateDialog

        if not self.add_button.isEnabled() or self.dialog is not None:
            return
        dialog = NewCandidateDialog(self.context, self.campaign_id, self)
        dialog.saved.connect(self._added)
        self._open(dialog)

    def _added(self, view: CandidateView) -> None:
        self._select_after_load = view.id
        self._changed()
        self.load()  # the list's order, count and filters take the newcomer in

    def _edited(self, view: CandidateView | None) -> None:
        if view is None:
            return  # nothing was changed
        chosen = self.selected_ids()
        self.model.replace(view)
        self._after_reset(chosen)
        self._changed()

    def _open(self, dialog: QDialog) -> None:
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()

    def _changed(self) -> None:
        """Tell the other views; this one shows the change already."""
        self.changed.emit()
        self._publishing = True
        try:
            self.context.bus.publish(change_bus.CANDIDATES)
        finally:
            self._publishing = False

    # --- importing -----------------------------------------------------------------------

    def ask_import(self) -> None:
        if not self.can_manage or self.dialog is not None:
            return
        chooser = QFileDialog(self, "Import candidates from a file", str(Path.home()))
        chooser.setObjectName("importFileDialog")
        chooser.setFileMode(QFileDialog.FileMode.ExistingFile)
        chooser.setNameFilter(FILE_TYPES)
        # Opened only once the chooser has closed, so the wizard is not stacked on it.
        chooser.fileSelected.connect(lambda path: setattr(self, "_chosen_file", Path(path)))
        chooser.finished.connect(self._file_chosen)
        self.dialog = chooser
        chooser.open()

    def _file_chosen(self, _result: int) -> None:
        self.dialog = None
        path, self._chosen_file = self._chosen_file, None
        if path is not None:
            self.import_file(path)

    def import_file(self, path: Path) -> None:
        from ui.candidates.import_wizard import ImportWizard

        wizard = ImportWizard(self.context, self.campaign_id, path, self)
        wizard.imported.connect(self._imported)
        self._open(wizard)
        wizard.start()

    def _imported(self, report: ImportReport) -> None:
        if report.imported:
            # A big import takes a moment to list: say so until the list is read again.
            self.count.setText(f"Adding {report.imported:,} new candidates to the list…")
            self.table.setEnabled(False)
            self.load()
            self._changed()

    # --- applications (managers only) ----------------------------------------------------

    def import_applications(self) -> None:
        from ui.applications.import_dialog import ImportApplicationsDialog

        if self.can_manage and self.dialog is None:
            self._open_applications(ImportApplicationsDialog(self.context, self.campaign_id, self))

    def review_redaction(self) -> None:
        from ui.applications.review_dialog import ReviewDialog

        if self.can_manage and self.dialog is None:
            dialog = ReviewDialog(self.context, self.campaign_id, self)
            self._open_applications(dialog)
            dialog.load()

    def search_applications(self) -> None:
        from ui.applications.search import SearchDialog

        if self.can_manage and self.dialog is None:
            self._open_applications(SearchDialog(self.context, self.campaign_id, self))

    def _open_applications(self, dialog: QDialog) -> None:
        # Gone once closed: the review holds every part's text, a big campaign's megabytes.
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        self._open(dialog)
