"""Importing applications: a table of answers and/or a folder or ZIP file of documents;
a preview with the columns' mapping and every problem; the import; a report.

Reading (which for a big folder of PDFs takes a while) and importing run in workers with
a progress dialog that can cancel. The documents are read once per preview of the files
chosen: changing a column's mapping reads the table again, not every document. The import
adds everything in one transaction, so a cancelled one leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from recruit_app.errors import Cancelled, RecruitError, ValidationError
from ui import change_bus
from ui.applications.import_pages import (
    TABLE_TYPES,
    ZIP_TYPES,
    ChoosePage,
    PreviewPage,
    ReportPage,
)
from ui.candidates.import_pages import plural
from ui.context import AppContext
from ui.errors import error_box
from ui.progress import JobProgress
from ui.widgets import fit_to_screen

if TYPE_CHECKING:
    from recruit_app.readmodels import IsCancelled, PhasedProgress
    from recruit_app.services.applications import ApplicationImport
    from recruit_app.services.context import ServiceContext

CHOOSE, PREVIEW, REPORT = "choose", "preview", "report"
TITLE = "Import applications"


@dataclass(frozen=True)
class Preview:
    """What the files would give: the table's part and the documents' part apart, since a
    new mapping reads the table again but not the documents."""

    choices: dict[str, str]  # target -> words, for the mapping's drop-downs
    headers: tuple[str, ...] = ()
    mapping: dict[str, str] | None = None  # as guessed or chosen (also when it fails)
    table: ApplicationImport | None = None
    table_error: ValidationError | None = None  # the mapping will not do: put it right
    table_unreadable: ValidationError | None = None  # the file itself cannot be read
    documents: ApplicationImport | None = None
    documents_unreadable: ValidationError | None = None

    @property
    def parts(self) -> int:
        return sum(r.parts for r in (self.table, self.documents) if r is not None)

    @property
    def results(self) -> list[ApplicationImport]:
        return [r for r in (self.table, self.documents) if r is not None]


def read_preview(
    ctx: ServiceContext,
    campaign_id: int,
    table: Path | None,
    documents: Path | None,
    *,
    overrides: dict[str, str] | None,
    choices: dict[str, str] | None,
    headers: tuple[str, ...],
    documents_done: ApplicationImport | None,
    progress: PhasedProgress,
    cancelled: IsCancelled,
) -> Preview:
    """In a worker: preview the table (with `overrides`) and the documents (unless
    `documents_done` holds their preview already)."""
    from recruit_app.services.applications import mapping_choices, preview_applications

    if choices is None:
        choices = mapping_choices(ctx, campaign_id)
    found: dict[str, Any] = {"choices": choices, "headers": headers}
    if table is not None:
        try:
            result = preview_applications(
                ctx, campaign_id, table, overrides=overrides, progress=progress, cancelled=cancelled
            )
            found |= {"table": result, "headers": result.headers, "mapping": result.mapping}
        except ValidationError as exc:
            found |= _mapping_failed(
                ctx, campaign_id, table, exc, overrides, headers, progress, cancelled
            )
    if documents is not None:
        try:
            found["documents"] = documents_done or preview_applications(
                ctx, campaign_id, None, documents=documents, progress=progress, cancelled=cancelled
            )
        except ValidationError as exc:
            found["documents_unreadable"] = exc
    return Preview(**found)


def _mapping_failed(
    ctx: ServiceContext,
    campaign_id: int,
    table: Path,
    exc: ValidationError,
    overrides: dict[str, str] | None,
    headers: tuple[str, ...],
    progress: PhasedProgress,
    cancelled: IsCancelled,
) -> dict[str, Any]:
    """The headings and the mapping when the one guessed or chosen will not do, so that it
    can be put right; or, when the file cannot be read at all, why."""
    from recruit_app.domain.application_import import CriterionChoice, guess_mapping
    from recruit_app.services.adverts import get_advert
    from recruit_app.services.tabular import read_table

    if headers:  # the columns are on screen already: only the mapping needs putting right
        return {"mapping": overrides, "table_error": exc}
    try:
        read = read_table(
            table,
            progress=lambda done, total: progress(done, total, f"Reading {table.name}"),
            cancelled=cancelled,
        )
    except ValidationError as unreadable:
        return {"table_unreadable": unreadable}
    criteria = [
        CriterionChoice(c.code, c.title, c.element)
        for c in get_advert(ctx, campaign_id).criteria
        if c.code
    ]
    return {
        "headers": tuple(read.headers),
        "mapping": guess_mapping(read.headers, criteria),
        "table_error": exc,
    }


class ImportApplicationsDialog(QDialog):
    step_shown = Signal(str)  # CHOOSE, PREVIEW or REPORT, once its content is in
    previewed = Signal(object)  # each Preview once shown
    imported = Signal(object)  # the ApplicationImport of a finished import

    def __init__(
        self, context: AppContext, campaign_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("importApplicationsDialog")
        self.setWindowTitle(TITLE)
        self.setMinimumSize(880, 560)
        self.context = context
        self.campaign_id = campaign_id
        self.job: JobProgress | None = None
        self.error_box: QMessageBox | None = None
        self.chooser: QFileDialog | None = None
        self.step = CHOOSE
        self.last: Preview | None = None  # the preview on screen
        self._read_for: tuple[Path | None, Path | None] = (None, None)  # its files

        self.choose_page = ChoosePage()
        self.choose_page.changed.connect(self._update_buttons)
        self.choose_page.browse.connect(self._browse)
        self.preview_page = PreviewPage()
        self.preview_page.mapping_box.changed.connect(lambda _h: self._remap())
        self.report_page = ReportPage()
        self.pages = QStackedWidget()
        for page in (self.choose_page, self.preview_page, self.report_page):
            self.pages.addWidget(page)
        self.back_button = self._button("< &Back", "backButton", self._back)
        self.preview_button = self._button("&Preview >", "previewButton", self.preview)
        self.import_button = self._button("&Import", "importButton", self.start_import)
        self.close_button = self._button("Close", "closeButton", self.accept)
        self.cancel_button = self._button("Cancel", "cancelButton", self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        for button in (
            self.preview_button,
            self.import_button,
            self.close_button,
            self.cancel_button,
        ):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)
        self._show_step(CHOOSE)
        fit_to_screen(self, 1080, 680)

    def _button(self, text: str, name: str, slot: Any) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    def sizeHint(self) -> QSize:
        return QSize(1000, 640)

    # --- steps ---------------------------------------------------------------------------

    def _show_step(self, step: str) -> None:
        self.step = step
        self.pages.setCurrentIndex((CHOOSE, PREVIEW, REPORT).index(step))
        self.back_button.setVisible(step == PREVIEW)
        self.preview_button.setVisible(step == CHOOSE)
        self.import_button.setVisible(step == PREVIEW)
        self.close_button.setVisible(step == REPORT)
        self.cancel_button.setVisible(step != REPORT)
        self._update_buttons()
        default = {CHOOSE: self.preview_button, PREVIEW: self.import_button}
        default.get(step, self.close_button).setDefault(True)
        if step == CHOOSE:
            self.choose_page.table_edit.setFocus()
        self.step_shown.emit(step)

    def _update_buttons(self) -> None:
        idle = self.job is None
        table, documents = self.choose_page.paths()
        self.preview_button.setEnabled(idle and (table is not None or documents is not None))
        last = self.last
        ready = last is not None and last.parts > 0 and last.table_error is None
        self.import_button.setEnabled(idle and ready)
        self.back_button.setEnabled(idle)
        self.pages.setEnabled(idle)

    def _back(self) -> None:
        self._show_step(CHOOSE)

    def _begin(self, title: str) -> JobProgress:
        job = JobProgress(self, title)
        self.job = job
        self._update_buttons()
        job.start()
        return job

    def _end(self, job: JobProgress) -> None:
        job.finish()
        job.deleteLater()
        if self.job is job:
            self.job = None
        self._update_buttons()

    def reject(self) -> None:
        if self.job is not None:
            self.job.cancel()  # an import stopped now adds nothing
        super().reject()

    def _context(self) -> ServiceContext | None:
        try:
            return self.context.service_context()
        except RecruitError as exc:
            self.error_box = error_box(self, exc, TITLE)
            return None

    # --- choosing the files --------------------------------------------------------------

    def set_paths(self, table: Path | None, documents: Path | None) -> None:
        """As if the user chose them (tests use it too)."""
        self.choose_page.table_edit.setText(str(table) if table else "")
        self.choose_page.documents_edit.setText(str(documents) if documents else "")

    def _browse(self, what: str) -> None:
        if self.chooser is not None:
            return
        table, documents = self.choose_page.paths()
        start = table if what == "table" else documents
        folder = str(start.parent if start else Path.home())
        titles = {
            "table": "Choose the table of answers",
            "folder": "Choose the folder of documents",
            "zip": "Choose the ZIP file of documents",
        }
        chooser = QFileDialog(self, titles[what], folder)
        chooser.setObjectName("applicationsFileDialog")
        if what == "folder":
            chooser.setFileMode(QFileDialog.FileMode.Directory)
            chooser.setOption(QFileDialog.Option.ShowDirsOnly, True)
        else:
            chooser.setFileMode(QFileDialog.FileMode.ExistingFile)
            chooser.setNameFilter(TABLE_TYPES if what == "table" else ZIP_TYPES)
        edit = self.choose_page.table_edit if what == "table" else self.choose_page.documents_edit
        chooser.fileSelected.connect(edit.setText)
        chooser.finished.connect(lambda _r: setattr(self, "chooser", None))
        self.chooser = chooser
        chooser.open()

    def _check_paths(self) -> bool:
        table, documents = self.choose_page.paths()
        table_error = documents_error = ""
        if table is not None and not table.is_file():
            table_error = f"There is no file at {table}."
        if documents is not None and not documents.exists():
            documents_error = f"There is no folder or file at {documents}."
        if table is None and documents is None:
            self.choose_page.show_errors(
                form="Choose a table of answers, a folder or ZIP file of documents, or both."
            )
            return False
        self.choose_page.show_errors(table_error, documents_error)
        return not (table_error or documents_error)

    # --- previewing ----------------------------------------------------------------------

    def preview(self) -> None:
        """Check the chosen files: the first read of these files, or the same again."""
        if self.job is not None or not self._check_paths():
            return
        paths = self.choose_page.paths()
        if self.last is not None and paths == self._read_for and self._usable(self.last):
            self._show_step(PREVIEW)
            return
        self._read_for, self.last = paths, None  # what was read before is for other files
        self._run_preview(overrides=None, fresh=True)

    @staticmethod
    def _usable(preview: Preview) -> bool:
        return preview.table_unreadable is None and preview.documents_unreadable is None

    def _remap(self) -> None:
        """A column's choice changed: check the table again with the mapping on screen."""
        if self.job is None:
            self._run_preview(overrides=self.preview_page.mapping_box.mapping(), fresh=False)

    def _run_preview(self, *, overrides: dict[str, str] | None, fresh: bool) -> None:
        ctx = self._context()
        if ctx is None:
            return
        table, documents = self._read_for
        last = None if fresh else self.last
        choices = last.choices if last else None
        headers = last.headers if last else ()
        documents_done = last.documents if last else None
        campaign_id = self.campaign_id
        names = " and ".join(p.name for p in (table, documents) if p is not None)
        job = self._begin(f"Reading {names}")

        def work() -> Preview:
            return read_preview(
                ctx,
                campaign_id,
                table,
                documents,
                overrides=overrides,
                choices=choices,
                headers=headers,
                documents_done=documents_done,
                progress=job.report,
                cancelled=job.cancelled,
            )

        def done(preview: Preview) -> None:
            self._end(job)
            self._previewed(preview, fresh)

        def failed(exc: BaseException) -> None:
            self._end(job)
            if isinstance(exc, Cancelled):
                if not fresh and self.last is not None:  # back to the mapping shown before
                    self.preview_page.mapping_box.set_mapping(self.last.mapping or {})
                return
            if isinstance(exc, RecruitError) and self.step == CHOOSE:
                self.choose_page.show_errors(form=exc.message)
            else:
                self.error_box = error_box(self, exc, TITLE)

        self.context.reads.start(work, done, failed)

    def _previewed(self, preview: Preview, fresh: bool) -> None:
        if not self._usable(preview):
            self.choose_page.show_errors(
                table=preview.table_unreadable.message if preview.table_unreadable else "",
                documents=(
                    preview.documents_unreadable.message if preview.documents_unreadable else ""
                ),
            )
            self.last = None
            self._show_step(CHOOSE)
            return
        self.last = preview
        page = self.preview_page
        table, _documents = self._read_for
        box = page.mapping_box
        if fresh and table is not None:
            box.set_columns(table.name, preview.headers, preview.choices)
        box.setVisible(table is not None)
        box.set_mapping(preview.mapping or {})
        box.clear_errors()
        page.show_note("")
        if preview.table_error is not None and box.show_error(preview.table_error) is None:
            page.show_note(preview.table_error.message)
        self._show_counts(preview)
        results = preview.results
        page.findings.show_findings(
            [p for r in results for p in r.skipped],
            [f for r in results for f in r.over_limit],
            [f for r in results for f in r.no_text],
        )
        self.import_button.setText(f"&Import {plural(preview.parts, 'part')}")
        self._show_step(PREVIEW)
        self.previewed.emit(preview)

    def _show_counts(self, preview: Preview) -> None:
        page = self.preview_page
        table, documents = self._read_for
        parts = preview.parts
        page.title.setText(
            f"{plural(parts, 'part')} of applications ready to import"
            if parts
            else "Nothing to import yet"
        )
        lines = []
        if table is not None and preview.table is not None:
            found = preview.table
            lines.append(
                f"{table.name}: {plural(found.parts, 'answer')} from "
                f"{plural(found.imported, 'candidate')}."
            )
        elif table is not None:
            lines.append(f"{table.name}: choose what the columns hold.")
        if documents is not None and preview.documents is not None:
            found = preview.documents
            lines.append(
                f"{documents.name}: {plural(found.documents, 'document')} for "
                f"{plural(found.imported, 'candidate')}."
            )
        results = preview.results
        skipped = sum(len(r.skipped) for r in results)
        over = sum(len(r.over_limit) for r in results)
        blank = sum(len(r.no_text) for r in results)
        lines.append(
            f"{plural(skipped, 'problem')} will be skipped; put them right and import again "
            "later to add them."
            if skipped
            else "No problems found."
        )
        if over:
            lines.append(f"{plural(over, 'part')} over the word limit (imported all the same).")
        if blank:
            lines.append(
                f"{plural(blank, 'document')} with no text to read (imported; read in the "
                "original)."
            )
        page.summary.setText(" ".join(lines))

    # --- importing -----------------------------------------------------------------------

    def start_import(self) -> None:
        from recruit_app.services.applications import import_applications

        last = self.last
        if self.job is not None or last is None or not self.import_button.isEnabled():
            return
        ctx = self._context()
        if ctx is None:
            return
        table, documents = self._read_for
        mapping = dict(last.mapping or {}) if table is not None else None
        campaign_id = self.campaign_id
        job = self._begin("Importing applications")

        def work() -> ApplicationImport:
            return import_applications(
                ctx,
                campaign_id,
                table,
                documents=documents,
                overrides=mapping,
                progress=job.report,
                cancelled=job.cancelled,
            )

        def done(report: ApplicationImport) -> None:
            self._end(job)
            self.report_page.show_report(
                report.imported,
                report.parts,
                report.documents,
                report.skipped,
                report.over_limit,
                report.no_text,
            )
            self._show_step(REPORT)
            self.imported.emit(report)
            if report.parts:
                self.context.bus.publish(change_bus.APPLICATIONS)

        def failed(exc: BaseException) -> None:
            self._end(job)
            if isinstance(exc, Cancelled):
                self.preview_page.show_note("The import was cancelled; nothing was added.")
            elif isinstance(exc, ValidationError):
                self.preview_page.show_note(exc.message)
            else:
                self.error_box = error_box(self, exc, TITLE)
            self.step_shown.emit(PREVIEW)

        self.context.writes.start(work, done, failed)
