"""What the library screen's buttons do: each runs one use case off the GUI thread.

Every change publishes "library" on the change bus; the page (and any other view) then
refreshes itself, selecting what changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from recruit_app.errors import ConflictError
from ui.change_bus import LIBRARY

if TYPE_CHECKING:
    from recruit_app.services.library import CriterionView
    from recruit_app.services.library_files import ImportReport
    from ui.context import AppContext
    from ui.library.dialog_base import ServiceDialog
    from ui.library.page import LibraryPage


class LibraryActions(QObject):
    """Opens the library dialogs and starts the library use cases for one page."""

    def __init__(self, page: LibraryPage) -> None:
        super().__init__(page)
        self.page = page

    @property
    def context(self) -> AppContext:
        return self.page.context

    # --- after a change --------------------------------------------------------------

    def _changed(self, kind: str, code: str) -> None:
        """Select what changed once the list reloads, and tell every view."""
        self.page.select_after_load(kind, code)
        self.context.bus.publish(LIBRARY)

    def failed(self, exc: BaseException) -> None:
        if isinstance(exc, ConflictError):
            self.page.refresh()  # the list is stale: show the newer state, then explain
        from ui.errors import error_box

        self.page.dialog = error_box(self.page, exc)

    def _open(self, dialog: ServiceDialog, kind: str, code_of: Any) -> None:
        dialog.saved.connect(lambda result: self._changed(kind, code_of(result)))
        dialog.finished.connect(self._dialog_closed)
        self.page.dialog = dialog
        dialog.open()

    def _dialog_closed(self) -> None:
        self.page.dialog = None

    # --- frameworks and templates ------------------------------------------------------

    def new_framework(self) -> None:
        if self.context.database is None:
            return
        from ui.library.framework_dialogs import FrameworkDialog

        dialog = FrameworkDialog(self.context, parent=self.page)
        self._open(dialog, "framework", lambda view: view.definition.code)

    def new_template(self) -> None:
        if self.context.database is None:
            return
        from recruit_app.domain.library_format import RoleTemplateDef
        from recruit_app.services.library import save_template
        from ui.library.framework_dialogs import CodeNameDialog

        ctx = self.context.service_context()
        dialog = CodeNameDialog(
            self.context,
            heading="New role template",
            intro="Start an empty template; add its criteria and stages with Edit… next.",
            name_label="&Title",
            submit=lambda code, title: save_template(
                ctx, RoleTemplateDef(code=code, title=title), create=True
            ),
            parent=self.page,
        )
        self._open(dialog, "template", lambda view: view.definition.code)

    def edit_selected(self) -> None:
        entry = self.page.selected()
        if entry is None or entry.builtin or self.page.snapshot is None:
            return
        if entry.kind == "framework":
            from ui.library.framework_dialogs import FrameworkDialog

            dialog: ServiceDialog = FrameworkDialog(
                self.context, framework=self.page.snapshot.frameworks[entry.code], parent=self.page
            )
        else:
            from ui.library.template_dialog import TemplateDialog

            dialog = TemplateDialog(
                self.context,
                template=self.page.snapshot.templates[entry.code],
                snapshot=self.page.snapshot,
                parent=self.page,
            )
        self._open(dialog, entry.kind, lambda view: view.definition.code)

    def duplicate_selected(self) -> None:
        entry = self.page.selected()
        if entry is None:
            return
        from recruit_app.services.library import duplicate_framework, duplicate_template
        from ui.library.framework_dialogs import CodeNameDialog

        ctx, source = self.context.service_context(), entry.code
        if entry.kind == "framework":

            def submit(code: str, name: str) -> Any:
                return duplicate_framework(ctx, source, new_code=code, new_name=name)
        else:

            def submit(code: str, name: str) -> Any:
                return duplicate_template(ctx, source, new_code=code, new_title=name)

        dialog = CodeNameDialog(
            self.context,
            heading=f"Duplicate {entry.code}",
            intro=f"Make an editable copy of “{entry.name}” under a new code.",
            code=f"{entry.code}-COPY"[:40],
            name=f"{entry.name} (copy)",
            name_label="&Name" if entry.kind == "framework" else "&Title",
            submit=submit,
            parent=self.page,
        )
        self._open(dialog, entry.kind, lambda view: view.definition.code)

    def toggle_retired(self) -> None:
        entry = self.page.selected()
        if entry is None or entry.builtin:
            return
        from recruit_app.services.library import set_framework_retired, set_template_retired

        ctx = self.context.service_context()
        retire = set_framework_retired if entry.kind == "framework" else set_template_retired
        self.context.writes.start(
            lambda: retire(
                ctx, entry.code, retired=not entry.retired, expected_version=entry.version
            ),
            lambda _view: self._changed(entry.kind, entry.code),
            self.failed,
        )

    # --- criteria and questions ----------------------------------------------------------

    def _framework_code(self) -> str | None:
        entry = self.page.selected()
        return entry.code if entry is not None and entry.kind == "framework" else None

    def add_criterion(self) -> None:
        self._criterion_dialog(None)

    def edit_criterion(self) -> None:
        criterion = self.page.framework_detail.selected()
        if criterion is not None:
            self._criterion_dialog(criterion)

    def _criterion_dialog(self, criterion: CriterionView | None) -> None:
        code = self._framework_code()
        entry = self.page.selected()
        if code is None or entry is None or entry.builtin:
            return
        from ui.library.criterion_dialog import CriterionDialog

        dialog = CriterionDialog(
            self.context, framework_code=code, criterion=criterion, parent=self.page
        )
        self._open(dialog, "framework", lambda _view: code)

    def toggle_criterion_retired(self) -> None:
        code, criterion = self._framework_code(), self.page.framework_detail.selected()
        if code is None or criterion is None:
            return
        from recruit_app.services.library import set_criterion_retired

        ctx = self.context.service_context()
        self.context.writes.start(
            lambda: set_criterion_retired(
                ctx,
                criterion.id,
                retired=not criterion.retired,
                expected_version=criterion.version,
            ),
            lambda _view: self._changed("framework", code),
            self.failed,
        )

    def add_question(self) -> None:
        code, criterion = self._framework_code(), self.page.framework_detail.selected()
        if code is None or criterion is None:
            return
        from ui.library.framework_dialogs import QuestionDialog

        dialog = QuestionDialog(
            self.context, framework_code=code, criterion=criterion.definition, parent=self.page
        )
        self._open(dialog, "framework", lambda _question: code)

    # --- files -----------------------------------------------------------------------

    def choose_import(self) -> None:
        if self.context.database is None:
            return
        from ui.library.transfer import import_dialog

        dialog = import_dialog(self.page, self.page.folder)
        dialog.fileSelected.connect(lambda path: self.import_from(Path(path)))
        dialog.finished.connect(self._dialog_closed)
        self.page.dialog = dialog
        dialog.open()

    def import_from(self, path: Path) -> None:
        from recruit_app.services.library_files import import_file

        self.page.folder = str(path.parent)
        ctx = self.context.service_context()
        self.page.status.setText(f"Importing {path.name}…")
        self.context.writes.start(
            lambda: import_file(ctx, path), self._imported, self._import_failed
        )

    def _imported(self, report: ImportReport) -> None:
        from ui.library.transfer import report_text

        self.page.status.setText(report_text(report))
        self._changed(report.kind, report.code)
        self.page.imported.emit(report)

    def _import_failed(self, exc: BaseException) -> None:
        from ui.errors import error_box

        self.page.status.setText("Nothing was imported.")
        self.page.dialog = error_box(self.page, exc, "Import into the library")

    def choose_export(self) -> None:
        entry = self.page.selected()
        if entry is None:
            return
        from ui.library.transfer import export_dialog

        dialog = export_dialog(self.page, self.page.folder, entry.code)
        dialog.fileSelected.connect(lambda path: self.export_to(entry.code, Path(path)))
        dialog.finished.connect(self._dialog_closed)
        self.page.dialog = dialog
        dialog.open()

    def export_to(self, code: str, path: Path) -> None:
        """JSON or CSV by the file's suffix; the service refuses any other."""
        from recruit_app.services.library_files import export_entry

        self.page.folder = str(path.parent)
        ctx = self.context.service_context()
        self.context.exports.start(
            lambda: export_entry(ctx, code, path),
            lambda written: self._exported(code, written),
            self.failed,
        )

    def _exported(self, code: str, path: Path) -> None:
        self.page.status.setText(f"Exported {code} to {path}")
        self.page.exported.emit(str(path))
