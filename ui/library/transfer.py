"""File dialogs for importing and exporting library entries, and how a report is worded."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QWidget

from ui.library.header import plural

if TYPE_CHECKING:
    from recruit_app.services.library_files import ImportReport

JSON_FILTER = "JSON library file (*.json)"
CSV_FILTER = "CSV spreadsheet (*.csv)"


def import_dialog(parent: QWidget, folder: str) -> QFileDialog:
    dialog = QFileDialog(parent, "Import into the library", folder)
    dialog.setObjectName("importDialog")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setNameFilters(["Library files (*.json *.csv)", "All files (*)"])
    return dialog


def export_dialog(parent: QWidget, folder: str, code: str) -> QFileDialog:
    """JSON or CSV follows the name the user picks; the filter only supplies a missing suffix."""
    dialog = QFileDialog(parent, f"Export {code}", folder)
    dialog.setObjectName("exportDialog")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setNameFilters([JSON_FILTER, CSV_FILTER])
    dialog.setDefaultSuffix("json")
    dialog.selectFile(f"{code}.json")
    dialog.filterSelected.connect(
        lambda chosen: dialog.setDefaultSuffix("csv" if chosen == CSV_FILTER else "json")
    )
    return dialog


def report_text(report: ImportReport) -> str:
    """'Added the framework LOCAL: Local behaviours (12 criteria)'."""
    verb = "Added" if report.created else "Replaced"
    kind = "framework" if report.kind == "framework" else "role template"
    count = plural(report.criteria, "criterion", "criteria")
    return f"{verb} the {kind} {report.code}: {report.name} ({count})"
