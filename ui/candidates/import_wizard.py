"""Importing candidates from a CSV or Excel file: match the columns, preview, import, report.

Reading and checking the file (which may be big) and the import itself run in workers with
a progress dialog that can cancel; a cancelled import leaves nothing behind, because the
service adds every row in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from recruit_app.errors import Cancelled, RecruitError, ValidationError
from ui.candidates.import_pages import MappingPage, PreviewPage, ReportPage, examples_of, plural
from ui.context import AppContext
from ui.errors import error_box
from ui.progress import JobProgress
from ui.widgets import ERROR_STYLE

if TYPE_CHECKING:
    from recruit_app.services.candidates import ImportPreview, ImportReport

LOADING, MAPPING, PREVIEW, REPORT = "loading", "mapping", "preview", "report"


@dataclass(frozen=True)
class _Read:
    """A preview, or (when the mapping guessed from the headings will not do) the headings."""

    preview: ImportPreview | None = None
    headers: tuple[str, ...] = ()
    examples: dict[str, str] = field(default_factory=dict)
    error: ValidationError | None = None


def raw_examples(table: Any, rows: int = 50) -> dict[str, str]:
    """Each column's first value in the file's first rows, for a mapping not yet checked."""
    found: dict[str, str] = {}
    for column, header in enumerate(table.headers):
        values = (c[column].strip() for _line, c in table.rows[:rows] if column < len(c))
        found[header] = next((v for v in values if v), "")
    return found


class ImportWizard(QDialog):
    step_shown = Signal(str)  # LOADING, MAPPING, PREVIEW or REPORT, once its content is in
    imported = Signal(object)  # the ImportReport of a finished import

    def __init__(
        self, context: AppContext, campaign_id: int, path: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("importWizard")
        self.setWindowTitle("Import candidates")
        self.context = context
        self.campaign_id = campaign_id
        self.path = path
        self.job: JobProgress | None = None
        self.error_box: QMessageBox | None = None
        self.step = LOADING
        self.headers: tuple[str, ...] = ()
        self._preview: ImportPreview | None = None  # the last one, for the mapping it used
        self._shown_mapping: dict[str, str] = {}

        self.loading = QLabel(f"Reading {path.name}…")
        self.loading.setObjectName("loadingText")
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.loading.setWordWrap(True)
        self.mapping_page = MappingPage()
        self.preview_page = PreviewPage()
        self.report_page = ReportPage()
        self.pages = QStackedWidget()
        for page in (self.loading, self.mapping_page, self.preview_page, self.report_page):
            self.pages.addWidget(page)
        self.back_button = self._button("< &Back", "backButton", self._back)
        self.next_button = self._button("&Preview >", "previewButton", self.preview)
        self.import_button = self._button("&Import", "importButton", self.start_import)
        self.close_button = self._button("Close", "closeButton", self.accept)
        self.cancel_button = self._button("Cancel", "cancelButton", self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        for button in (self.next_button, self.import_button, self.close_button, self.cancel_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)
        self._show_step(LOADING)

    def _button(self, text: str, name: str, slot: Any) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    def sizeHint(self) -> QSize:
        return QSize(900, 640)

    # --- steps ---------------------------------------------------------------------------

    def _show_step(self, step: str) -> None:
        self.step = step
        self.pages.setCurrentIndex((LOADING, MAPPING, PREVIEW, REPORT).index(step))
        self.back_button.setVisible(step == PREVIEW)
        self.next_button.setVisible(step == MAPPING)
        self.import_button.setVisible(step == PREVIEW)
        self.close_button.setVisible(step == REPORT)
        self.cancel_button.setVisible(step != REPORT)
        (self.close_button if step == REPORT else self.next_button).setDefault(True)
        self.step_shown.emit(step)

    def _back(self) -> None:
        self._show_step(MAPPING)

    def _busy(self, job: JobProgress | None) -> None:
        """While a job runs only Cancel works; the progress dialog can cancel it too."""
        self.job = job
        for widget in (self.back_button, self.next_button, self.import_button, self.pages):
            widget.setEnabled(job is None)

    def _begin(self, title: str) -> JobProgress:
        job = JobProgress(self, title)
        self._busy(job)
        job.start()
        return job

    def _end(self, job: JobProgress) -> None:
        job.finish()
        job.deleteLater()
        if self.job is job:
            self._busy(None)

    def reject(self) -> None:
        if self.job is not None:
            self.job.cancel()  # an import stopped now adds nothing
        super().reject()

    # --- reading and checking the file ---------------------------------------------------

    def start(self) -> None:
        """Read the file and guess the mapping; the mapping step follows."""
        self._read(None)

    def preview(self) -> None:
        """Check every row with the mapping on screen (again only if it changed)."""
        mapping = self.mapping_page.mapping()
        self.mapping_page.clear_errors()
        if self._preview is not None and self._preview.mapping == mapping:
            self._show_preview(self._preview)
        else:
            self._read(mapping)

    def _read(self, overrides: dict[str, str] | None) -> None:
        from recruit_app.services.candidates import preview_import
        from recruit_app.services.tabular import read_table

        try:
            ctx = self.context.service_context()
        except RecruitError as exc:
            self.error_box = error_box(self, exc, "Import candidates")
            return
        job = self._begin(f"Reading {self.path.name}")
        campaign_id, path, known = self.campaign_id, self.path, bool(self.headers)

        def work() -> _Read:
            try:
                return _Read(
                    preview_import(
                        ctx,
                        campaign_id,
                        path,
                        overrides=overrides,
                        progress=job.report,
                        cancelled=job.cancelled,
                    )
                )
            except ValidationError as exc:
                if known:
                    raise
                # The guessed mapping may be what is wrong: the headings are still needed
                # to put it right. A file that cannot be read fails here again, in words.
                table = read_table(
                    path,
                    progress=lambda done, total: job.report(done, total, f"Reading {path.name}"),
                    cancelled=job.cancelled,
                )
                return _Read(headers=table.headers, examples=raw_examples(table), error=exc)

        def done(result: _Read) -> None:
            self._end(job)
            self._read_done(result)

        def failed(exc: BaseException) -> None:
            self._end(job)
            self._read_failed(exc)

        self.context.reads.start(work, done, failed)

    def _read_done(self, result: _Read) -> None:
        from recruit_app.domain.candidate_import import guess_mapping

        preview = result.preview
        if not self.headers:
            headers = preview.headers if preview else result.headers
            mapping = preview.mapping if preview else guess_mapping(headers)
            examples = examples_of(mapping, preview.sample) if preview else result.examples
            self.headers = headers
            self.mapping_page.set_columns(self.path.name, headers, mapping, examples)
        if preview is None:
            assert result.error is not None
            self.mapping_page.show_error(result.error)
            self._show_step(MAPPING)
            return
        self._preview = preview
        if self.step == MAPPING:
            self._show_preview(preview)
        else:
            self._show_step(MAPPING)  # the first read: the mapping is checked before anything

    def _read_failed(self, exc: BaseException) -> None:
        if isinstance(exc, Cancelled):
            if not self.headers:
                super().reject()  # cancelled before anything was shown: nothing to return to
            return
        if isinstance(exc, ValidationError) and self.headers:
            self.mapping_page.show_error(exc)
            self._show_step(MAPPING)
        elif isinstance(exc, RecruitError) and not self.headers:
            self.loading.setText(f"{self.path.name} cannot be imported.\n\n{exc.message}")
            self.loading.setStyleSheet(ERROR_STYLE)
            self.step_shown.emit(LOADING)
        else:
            self.error_box = error_box(self, exc, "Import candidates")

    def _show_preview(self, preview: ImportPreview) -> None:
        self.preview_page.show_preview(
            preview.good, preview.problems, preview.sample, preview.mapping
        )
        self._shown_mapping = dict(preview.mapping)
        self.import_button.setText(f"&Import {plural(preview.good, 'candidate')}")
        self._show_step(PREVIEW)
        self.import_button.setEnabled(preview.good > 0)

    # --- importing -----------------------------------------------------------------------

    def start_import(self) -> None:
        from recruit_app.services.candidates import import_candidates

        try:
            ctx = self.context.service_context()
        except RecruitError as exc:
            self.error_box = error_box(self, exc, "Import candidates")
            return
        job = self._begin("Importing candidates")
        campaign_id, path, mapping = self.campaign_id, self.path, dict(self._shown_mapping)

        def work() -> ImportReport:
            return import_candidates(
                ctx,
                campaign_id,
                path,
                overrides=mapping,
                progress=job.report,
                cancelled=job.cancelled,
            )

        def done(report: ImportReport) -> None:
            self._end(job)
            self.report_page.show_report(report.imported, report.numbers, report.skipped, mapping)
            self._show_step(REPORT)
            self.imported.emit(report)

        def failed(exc: BaseException) -> None:
            self._end(job)
            if isinstance(exc, Cancelled):
                self.preview_page.show_note("The import was cancelled; nothing was added.")
            elif isinstance(exc, ValidationError):
                self.preview_page.show_note(exc.message)
            else:
                self.error_box = error_box(self, exc, "Import candidates")
            self.step_shown.emit(PREVIEW)

        self.context.writes.start(work, done, failed)
