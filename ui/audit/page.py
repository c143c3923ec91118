"""The Audit screen: filters, the events newest first (fetched as you scroll), the chosen
event's values before and after, and a CSV export. Nothing here edits or deletes."""

from __future__ import annotations

import html
import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from recruit_app.errors import PermissionDenied, RecruitError, ValidationError
from recruit_app.vocabulary import AuditArea
from ui import change_bus
from ui.audit.model import AuditTableModel
from ui.context import AppContext
from ui.widgets import ERROR_STYLE, MessageLine, MessagePanel, field_error_label, page_heading

if TYPE_CHECKING:
    from recruit_app.services.audit_trail import AuditFilters, AuditRow

    # The service's page of events; AuditPage here is the widget.
    from recruit_app.services.audit_trail import AuditPage as EventsPage

PAGE_SIZE = 200
FILTER_DELAY_MS = 250
EVERYONE = "Everyone"
ALL_CAMPAIGNS = "All campaigns"
EVERY_KIND = "Every kind of change"


def _today() -> QDate:
    today = date.today()
    return QDate(today.year, today.month, today.day)


def _documents() -> str:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return found or str(Path.home())


class AuditPage(QWidget):
    """Reads the audit trail in pages off the GUI thread; read-only by design."""

    loaded = Signal(int)  # events matching the filters, after each (re)load
    exported = Signal(object)  # the Path written

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditPage")
        self.context = context
        self.dialog: QWidget | None = None  # the file dialog or message open now, if any
        self._generation = 0  # loads started: results of older ones are dropped
        self._filters: dict[str, Any] = {}
        self._stale = True  # load when first shown
        self._exporting = False

        heading = page_heading("Audit trail")
        intro = QLabel(
            "Every change to adverts, stages, scores, outcomes, people and settings, with "
            "who made it and when. The trail cannot be changed or deleted."
        )
        intro.setWordWrap(True)
        intro.setEnabled(False)

        self.campaign_combo = QComboBox()
        self.campaign_combo.setObjectName("auditCampaign")
        self.campaign_combo.setMinimumContentsLength(18)
        self.campaign_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.person_combo = QComboBox()
        self.person_combo.setObjectName("auditPerson")
        self.person_combo.setMinimumContentsLength(14)
        self.person_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("auditKind")
        self.kind_combo.addItem(EVERY_KIND, None)
        for area in AuditArea:
            self.kind_combo.addItem(area.label, str(area))
        self.kind_combo.setMinimumContentsLength(14)
        self.kind_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.since_check, self.since_edit = self._date_filter("&From", "auditSince", -30)
        self.until_check, self.until_edit = self._date_filter("&To", "auditUntil", 0)
        self.refresh_button = QPushButton("&Refresh")
        self.refresh_button.setObjectName("auditRefresh")
        self.refresh_button.clicked.connect(self.load)
        self.export_button = QPushButton("&Export CSV…")
        self.export_button.setObjectName("auditExport")
        self.export_button.clicked.connect(self.ask_export)
        self.filter_error = field_error_label("auditFilterError", lines=1)
        self.count_label = QLabel()
        self.count_label.setObjectName("auditCount")

        self.model = AuditTableModel(self)
        self.model.fetch_page = self._fetch_page
        self.table = QTableView()
        self.table.setObjectName("auditTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((190, 120, 130, 300, 80)):  # the date fits whole
            header.resizeSection(column, width)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_detail())

        self.detail = QTextBrowser()
        self.detail.setObjectName("auditDetail")
        self.detail.setOpenLinks(False)
        self.detail.setPlaceholderText("Choose an event to see its values before and after.")
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([720, 300])
        splitter.setChildrenCollapsible(False)

        self.message = MessagePanel()
        self.body = QStackedWidget()
        self.body.addWidget(splitter)
        self.body.addWidget(self.message)
        self.splitter = splitter
        self.status = MessageLine("auditStatus", lines=2)

        filters = QHBoxLayout()
        campaign_label = QLabel("&Campaign")
        campaign_label.setBuddy(self.campaign_combo)
        person_label = QLabel("&Person")
        person_label.setBuddy(self.person_combo)
        filters.addWidget(campaign_label)
        filters.addWidget(self.campaign_combo, 2)
        filters.addWidget(person_label)
        filters.addWidget(self.person_combo, 1)
        kind_label = QLabel("&Kind")
        kind_label.setBuddy(self.kind_combo)
        filters.addWidget(kind_label)
        filters.addWidget(self.kind_combo, 1)
        # The dates share the second row with the count and the buttons, so the page can be
        # narrowed to 1024 wide.
        actions = QHBoxLayout()
        actions.addWidget(self.count_label, 1)
        for check, edit in (
            (self.since_check, self.since_edit),
            (self.until_check, self.until_edit),
        ):
            actions.addWidget(check)
            actions.addWidget(edit)
            actions.addSpacing(6)
        actions.addWidget(self.refresh_button)
        actions.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addLayout(filters)
        layout.addWidget(self.filter_error)
        layout.addLayout(actions)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.status)

        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self.load_events)
        self.campaign_combo.currentIndexChanged.connect(lambda _i: self._filters_changed())
        self.person_combo.currentIndexChanged.connect(lambda _i: self._filters_changed())
        self.kind_combo.currentIndexChanged.connect(lambda _i: self._filters_changed())
        context.bus.changed.connect(self._on_changed)
        self._reset_pickers()
        self._show_message("Opening the database…")
        self._update_actions()

    def _date_filter(self, text: str, name: str, days: int) -> tuple[QCheckBox, QDateEdit]:
        check = QCheckBox(text)
        check.setObjectName(f"{name}On")
        edit = QDateEdit(_today().addDays(days))
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setEnabled(False)
        check.toggled.connect(edit.setEnabled)
        check.toggled.connect(lambda _on: self._filters_changed())
        edit.dateChanged.connect(lambda _d: self._filters_changed(dated=True))
        return check, edit

    # --- states ------------------------------------------------------------------------

    def _show_message(self, text: str) -> None:
        self.message.show_message(text)
        self.body.setCurrentWidget(self.message)

    def _update_actions(self) -> None:
        ready = self.context.database is not None and self.body.currentWidget() is self.splitter
        self.export_button.setEnabled(ready and not self._exporting and self.model.total > 0)
        self.refresh_button.setEnabled(self.context.database is not None)

    def _reset_pickers(self) -> None:
        for combo, everything in (
            (self.campaign_combo, ALL_CAMPAIGNS),
            (self.person_combo, EVERYONE),
        ):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, None)
            combo.blockSignals(False)

    # --- loading -----------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.load()

    def _on_changed(self, topics: frozenset[str]) -> None:
        if change_bus.DATABASE in topics:
            self._stale = True
            if self.isVisible():
                self.load()
        elif self.model.snapshot is not None:
            # Something changed elsewhere, so newer events exist. While the trail is on
            # screen, what is being read stays put until the person asks for the news.
            if self.isVisible():
                self.refresh_button.setText("&Refresh (newer events)")
            else:
                self._stale = True

    def load(self) -> None:
        """Read the pickers, then the first page of events."""
        if self.context.database is None:
            return
        from recruit_app.services.audit_trail import audit_filters

        self._stale = False
        self.refresh_button.setText("&Refresh")
        ctx = self.context.service_context()
        self._generation += 1
        generation = self._generation
        self.context.reads.start(
            lambda: audit_filters(ctx),
            lambda filters: self._filters_loaded(generation, filters),
            lambda exc: self._failed(generation, exc),
        )

    def _filters_loaded(self, generation: int, filters: AuditFilters) -> None:
        if generation != self._generation:
            return
        keep_campaign = self.campaign_combo.currentData()
        keep_person = self.person_combo.currentData()
        self._reset_pickers()
        for combo, choices, keep in (
            (self.campaign_combo, [(c.id, c.label) for c in filters.campaigns], keep_campaign),
            (self.person_combo, [(p.key, p.label) for p in filters.people], keep_person),
        ):
            combo.blockSignals(True)
            for key, label in choices:
                combo.addItem(label, key)
            combo.setCurrentIndex(max(combo.findData(keep), 0) if keep is not None else 0)
            combo.blockSignals(False)
        self.load_events()

    def current_filters(self) -> dict[str, Any]:
        def day(check: QCheckBox, edit: QDateEdit) -> date | None:
            if not check.isChecked():
                return None
            chosen = edit.date()
            return date(chosen.year(), chosen.month(), chosen.day())

        return {
            "campaign_id": self.campaign_combo.currentData(),
            "person": self.person_combo.currentData(),
            "area": self.kind_combo.currentData(),
            "since": day(self.since_check, self.since_edit),
            "until": day(self.until_check, self.until_edit),
        }

    def _filters_changed(self, *, dated: bool = False) -> None:
        if dated and not (self.since_check.isChecked() or self.until_check.isChecked()):
            return
        if self.context.database is not None and not self._stale:
            self._filter_timer.start()

    def load_events(self) -> None:
        """The first page for the filters as they are now."""
        if self.context.database is None:
            return
        from recruit_app.services.audit_trail import audit_events

        self._filter_timer.stop()
        self.filter_error.hide()
        ctx = self.context.service_context()
        filters = self.current_filters()
        self._filters = filters
        self._generation += 1
        generation = self._generation
        self.context.reads.start(
            lambda: audit_events(ctx, limit=PAGE_SIZE, **filters),
            lambda page: self._events_loaded(generation, page),
            lambda exc: self._failed(generation, exc),
        )

    def _events_loaded(self, generation: int, page: EventsPage) -> None:
        if generation != self._generation:
            return
        self.model.reset(page)
        self.body.setCurrentWidget(self.splitter)
        self._count_changed()
        self._update_actions()
        if self.model.rowCount():
            self.table.selectRow(0)
        else:
            self.detail.clear()
        self.loaded.emit(page.total)

    def _fetch_page(self, offset: int) -> None:
        """The model asks for more as the view scrolls: the next page, same filters."""
        from recruit_app.services.audit_trail import audit_events

        if self.context.database is None:
            self.model.fetching = False
            return
        ctx = self.context.service_context()
        filters, snapshot = dict(self._filters), self.model.snapshot
        generation = self._generation
        self.context.reads.start(
            lambda: audit_events(ctx, limit=PAGE_SIZE, offset=offset, snapshot=snapshot, **filters),
            lambda page: self._more_loaded(generation, page),
            lambda exc: self._failed(generation, exc),
            busy=False,
        )

    def _more_loaded(self, generation: int, page: EventsPage) -> None:
        if generation != self._generation:
            return
        self.model.append(page)
        self._count_changed()

    def _count_changed(self) -> None:
        total, shown = self.model.total, self.model.rowCount()
        if total == 0:
            self.count_label.setText("No events match these filters.")
        elif shown < total:
            self.count_label.setText(
                f"{total:,} events, newest first; the first {shown:,} are loaded "
                "and more follow as you scroll."
            )
        else:
            self.count_label.setText(f"{total:,} event{'s' if total != 1 else ''}, newest first.")

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self.model.fetching = False
        if isinstance(exc, ValidationError):
            self.filter_error.setText(exc.message)
            self.filter_error.show()
            self.model.reset()
            self.count_label.clear()
            self.detail.clear()
        elif isinstance(exc, PermissionDenied):
            self.model.reset()
            self.count_label.clear()
            self._show_message(exc.message)
        elif isinstance(exc, RecruitError):
            self._show_message(exc.message)
        else:
            from ui.errors import error_box

            self.dialog = error_box(self, exc)
        self._update_actions()

    # --- the chosen event -----------------------------------------------------------------

    def selected(self) -> AuditRow | None:
        index = self.table.selectionModel().currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _show_detail(self) -> None:
        event = self.selected()
        self.detail.setHtml(detail_html(event) if event is not None else "")

    # --- export ----------------------------------------------------------------------------

    def ask_export(self) -> None:
        if self.context.database is None or self._exporting:
            return
        dialog = QFileDialog(self, "Export the audit trail")
        dialog.setObjectName("auditExportDialog")
        dialog.setDirectory(_documents())
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter("CSV file (*.csv)")
        dialog.setDefaultSuffix("csv")
        dialog.selectFile(f"audit-trail-{date.today().isoformat()}.csv")
        dialog.fileSelected.connect(lambda path: self.export_to(Path(path)))
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()

    def export_to(self, path: Path) -> None:
        """Every event matching the filters on screen, written in a worker."""
        from recruit_app.services.audit_trail import export_audit_csv

        try:
            ctx = self.context.service_context()
        except RecruitError as exc:
            self._say(exc.message, error=True)
            return
        filters = dict(self._filters)
        self._exporting = True
        self._update_actions()
        self._say(f"Writing {path.name}…")
        self.context.exports.start(
            lambda: export_audit_csv(ctx, path, **filters), self._exported, self._export_failed
        )

    def _exported(self, path: Path) -> None:
        self._exporting = False
        self._update_actions()
        self._say(f"Wrote {path}")
        self.exported.emit(path)

    def _export_failed(self, exc: BaseException) -> None:
        self._exporting = False
        self._update_actions()
        if isinstance(exc, RecruitError):
            self._say(exc.message, error=True)
        else:
            from ui.errors import error_box

            self._say("")
            self.dialog = error_box(self, exc)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setStyleSheet(ERROR_STYLE if error else "")
        self.status.setText(text)


# --- the detail pane -------------------------------------------------------------------------


def detail_html(event: AuditRow) -> str:
    """The event in words, its changes as lines, then the full values before and after."""
    esc = html.escape
    meta = [esc(event.when) + " (UK time)", esc(event.who), f"<code>{esc(event.action)}</code>"]
    if event.campaign:
        meta.append(f"campaign {esc(event.campaign)}")
    parts = [f"<h3>{esc(event.what) or esc(event.action)}</h3>", f"<p>{' · '.join(meta)}</p>"]
    if event.changes:
        items = "".join(f"<li>{esc(line)}</li>" for line in event.changes)
        parts.append(f"<p><b>Changes</b></p><ul>{items}</ul>")
    else:
        parts.append("<p><i>No values were recorded for this event.</i></p>")
    for title, values in (("Before", event.before), ("After", event.after)):
        if values:
            text = json.dumps(values, ensure_ascii=False, indent=2, sort_keys=True, default=str)
            parts.append(f"<p><b>{title}</b></p><pre>{esc(text)}</pre>")
    return "".join(parts)
