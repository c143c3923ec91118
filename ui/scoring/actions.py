"""What the scoring buttons do: submit, declare a conflict, record a departure from the
question plan, export and import workbooks."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMessageBox

from recruit_app.errors import RecruitError, ValidationError
from ui import change_bus
from ui.errors import error_box
from ui.scoring.files import FILE_FILTERS

if TYPE_CHECKING:
    from recruit_app.services.plans import DeviationView
    from recruit_app.services.scoring import ScoreImportReport, ScoringSheet, SheetCandidate
    from ui.context import AppContext
    from ui.scoring.scoring_tab import ScoringTab
    from ui.scoring.sheet_model import SheetModel

MISSING = "Still to score:"  # how submit_scores starts its list of gaps
LISTED_LINES = 15  # a refusal longer than this lists the rest under "Show details"


def _names(candidates: list[SheetCandidate], most: int = 6) -> str:
    labels = [c.label for c in candidates[:most]]
    more = len(candidates) - most
    return ", ".join(labels) + (f" and {more} more" if more > 0 else "")


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "panel-member"


class ScoringActions:
    """Belongs to one ScoringTab; dialogs and message boxes are kept on `tab.dialog`."""

    def __init__(self, tab: ScoringTab) -> None:
        self.tab = tab

    @property
    def context(self) -> AppContext:
        return self.tab.context

    def _keep(self, box: QMessageBox | QFileDialog | None) -> None:
        self.tab.dialog = box
        if box is not None:
            box.finished.connect(lambda _r: setattr(self.tab, "dialog", None))

    def _message(self, name: str, title: str, text: str, details: str = "") -> QMessageBox:
        """An information or refusal box; long lists fold away after the first lines."""
        box = QMessageBox(self.tab)
        box.setObjectName(name)
        box.setWindowTitle(title)
        head, _, rest = text.partition("\n")
        box.setText(head)
        lines = [line for line in (rest or details).splitlines() if line.strip()]
        shown = lines[:LISTED_LINES]
        if len(lines) > LISTED_LINES:
            shown.append(f"… and {len(lines) - LISTED_LINES} more under Show Details")
            box.setDetailedText("\n".join(lines))
        box.setInformativeText("\n".join(shown))
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        self._keep(box)
        box.open()
        return box

    def _failed(self, title: str, exc: BaseException, name: str = "scoringRefused") -> None:
        if isinstance(exc, RecruitError):
            self.tab.say(exc.message.partition("\n")[0], warning=True)
            box = self._message(name, title, exc.message)
            box.setIcon(QMessageBox.Icon.Warning)
        else:
            self._keep(error_box(self.tab, exc, title))

    # --- submitting ----------------------------------------------------------------------

    def ask_submit(self) -> None:
        tab, model = self.tab, self.tab.model
        sheet = model.sheet
        if sheet is None:
            return
        tab.table.take_typed()
        ready = [
            model.candidate_at(r)
            for r in range(model.rowCount())
            if not model.is_locked(r) and model.is_complete(r)
        ]
        # The cursor's own cell is not a choice: after a row is done it sits on the next one.
        picked = tab.table.selectionModel().selectedIndexes()
        rows = sorted({i.row() for i in picked}) if len(picked) > 1 else []
        current = tab.table.currentIndex().row()
        if not rows and not ready and 0 <= current < model.rowCount():
            rows = [current]  # the service then says what it still needs
        chosen = [model.candidate_at(r) for r in rows if not model.is_locked(r)]
        if not chosen and not ready:
            tab.say("Nothing to submit yet: score every criterion for a candidate, then Submit.")
            return
        box = QMessageBox(tab)
        box.setObjectName("confirmSubmit")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Submit scores")
        target = chosen or ready
        whose = f"{sheet.assessor_name}'s"
        box.setText(f"Submit {whose} scores for {_names(target)}?")
        box.setInformativeText(
            " ".join(
                [
                    *_submit_warnings(sheet, model, target),
                    "Submitted scores can no longer be changed. Once they are in, the other "
                    "assessors' scores for the same candidates are shown.",
                ]
            )
        )
        confirm = box.addButton(
            f"Submit {_plural(len(target), 'candidate')}", QMessageBox.ButtonRole.AcceptRole
        )
        confirm.setObjectName("confirmSubmitButton")
        every = None
        if chosen and ready and {c.id for c in ready} != {c.id for c in chosen}:
            every = box.addButton(
                f"Submit all {len(ready)} complete", QMessageBox.ButtonRole.ActionRole
            )
            every.setObjectName("submitAllCompleteButton")
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(confirm)

        def answered(_result: int) -> None:
            self.tab.dialog = None
            if box.clickedButton() is confirm:
                self.submit([c.id for c in target])
            elif every is not None and box.clickedButton() is every:
                self.submit([c.id for c in ready])

        box.finished.connect(answered)
        self.tab.dialog = box
        box.open()

    def submit(self, candidate_ids: list[int]) -> None:
        from recruit_app.services.scoring import submit_scores

        sheet = self.tab.model.sheet
        if sheet is None:
            return
        self.tab.flush_evidence()
        ctx = self.context.service_context()
        stage_id, assessor_id = sheet.stage_id, sheet.assessor_id
        count = len(candidate_ids)

        def done(scores: int) -> None:
            self.tab.say(f"Submitted {_plural(scores, 'score')} for {_plural(count, 'candidate')}.")
            self.tab.changed_by_action()

        # The writer runs jobs in order, so drafts typed before this are saved first.
        self.context.writes.start(
            lambda: submit_scores(ctx, stage_id, assessor_id, candidate_ids),
            done,
            self._not_submitted,
        )

    def _not_submitted(self, exc: BaseException) -> None:
        """The service's list of what is missing, one candidate a line."""
        head, found, rest = str(exc).partition(MISSING)
        if not isinstance(exc, ValidationError) or not found:
            self._failed("Not submitted", exc, "submitRefused")
            return
        lines = rest.strip().rstrip(".").split("; ")
        box = self._message("submitRefused", "Not submitted", head + MISSING, "\n".join(lines))
        box.setIcon(QMessageBox.Icon.Warning)
        words = _plural(len(lines), "candidate still needs", "candidates still need")
        self.tab.say(f"Not submitted: {words} scores.", warning=True)

    # --- conflicts -----------------------------------------------------------------------

    def ask_conflict(self) -> None:
        from ui.scoring.dialogs import ConflictDialog

        tab = self.tab
        sheet, row = tab.model.sheet, tab.table.currentIndex().row()
        if sheet is None or not 0 <= row < tab.model.rowCount():
            return
        candidate = tab.model.candidate_at(row)
        dialog = ConflictDialog(
            self.context,
            sheet.stage_id,
            sheet.assessor_id,
            sheet.assessor_name,
            candidate.id,
            candidate.label,
            tab,
        )
        dialog.saved.connect(self._declared)
        dialog.finished.connect(
            lambda _r: setattr(tab, "dialog", None) if tab.dialog is dialog else None
        )
        tab.dialog = dialog
        dialog.open()

    def _declared(self, message: str) -> None:
        self.tab.say("Conflict of interest declared.")
        self.tab.changed_by_action()
        box = self._message("conflictDeclared", "Conflict of interest declared", message)
        box.setIcon(QMessageBox.Icon.Information)
        box.setInformativeText("Send this to the recruiting manager if they are not you.")

    # --- departures from the question plan ---------------------------------------------------

    def ask_deviation(self) -> None:
        """Open the note for a departure from the plan with the current candidate."""
        from ui.scoring.dialogs import DeviationDialog

        tab = self.tab
        sheet, row = tab.model.sheet, tab.table.currentIndex().row()
        if sheet is None or not tab.has_plan or not 0 <= row < tab.model.rowCount():
            return
        candidate = tab.model.candidate_at(row)
        dialog = DeviationDialog(
            self.context, sheet.stage_id, sheet.stage_name, candidate.id, candidate.label, tab
        )
        dialog.saved.connect(self._deviation_recorded)
        dialog.finished.connect(
            lambda _r: setattr(tab, "dialog", None) if tab.dialog is dialog else None
        )
        tab.dialog = dialog
        dialog.open()

    def _deviation_recorded(self, view: DeviationView) -> None:
        self.tab.say(
            f"Recorded a departure from the plan with candidate {view.candidate_number}: the "
            "chair's copy of the panel pack lists it."
        )
        # What shows the stage's record (the chair's copy being previewed) reads it again.
        self.tab._publish(change_bus.STAGES)
        self.tab.deviation_recorded.emit(view)

    # --- offline workbooks -------------------------------------------------------------------

    def ask_export(self) -> None:
        tab, sheet = self.tab, self.tab.model.sheet
        if sheet is None:
            return
        reference = tab.data.reference if tab.data else "scores"
        name = f"{reference}-{_slug(sheet.assessor_name)}-scoring.xlsx"
        dialog = QFileDialog(tab, f"Export {sheet.assessor_name}'s scoring workbook")
        dialog.setObjectName("exportWorkbookDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setNameFilters(["Excel workbook (*.xlsx)"])
        dialog.setDefaultSuffix("xlsx")
        dialog.setDirectory(str(Path.home()))
        dialog.selectFile(name)
        dialog.fileSelected.connect(lambda path: self.export_to(Path(path)))
        self._keep(dialog)
        dialog.open()

    def export_to(self, path: Path) -> None:
        from recruit_app.services.scoring import export_workbook

        sheet = self.tab.model.sheet
        if sheet is None:
            return
        ctx, campaign_id, assessor_id = (
            self.context.service_context(),
            self.tab.campaign_id,
            sheet.assessor_id,
        )
        self.tab.flush_evidence()  # the workbook starts from what is saved
        self.tab.say("Writing the scoring workbook…")

        def done(written: Path) -> None:
            self.tab.say(
                f"Wrote {written.name}: {sheet.assessor_name} can score offline in it, "
                "then Import scores… brings the scores back."
            )
            self.tab.exported.emit(written)

        self.context.exports.start(
            lambda: export_workbook(ctx, campaign_id, assessor_id, path),
            done,
            lambda exc: self._failed("Workbook not written", exc),
        )

    def ask_import(self) -> None:
        tab = self.tab
        if tab.stage_id is None:
            return
        dialog = QFileDialog(tab, "Import scores from a workbook or CSV file")
        dialog.setObjectName("importScoresDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters(FILE_FILTERS)
        dialog.setDirectory(str(Path.home()))
        dialog.fileSelected.connect(lambda path: self.import_from(Path(path)))
        self._keep(dialog)
        dialog.open()

    def import_from(self, path: Path) -> None:
        from recruit_app.services.score_files import import_scores_file

        tab = self.tab
        if tab.stage_id is None:
            return
        ctx, campaign_id, stage_id = self.context.service_context(), tab.campaign_id, tab.stage_id
        tab.flush_evidence()
        tab.say(f"Importing {path.name}…")

        def done(report: ScoreImportReport) -> None:
            tab.say(
                f"Imported {_plural(report.imported, 'score')} from {path.name} as submitted"
                + (f" ({report.replaced} replaced earlier ones)." if report.replaced else ".")
            )
            tab.changed_by_action()
            tab.imported.emit(report)

        self.context.writes.start(
            lambda: import_scores_file(ctx, campaign_id, stage_id, path),
            done,
            lambda exc: self._failed("Scores not imported", exc, "importRefused"),
        )


def _submit_warnings(
    sheet: ScoringSheet, model: SheetModel, target: list[SheetCandidate]
) -> list[str]:
    """What to know before submitting: scores without evidence, and a stage not begun."""
    from recruit_app.domain.dates import long_date

    said = []
    bare = [
        c.number
        for c in target
        if any(not model.score((c.id, k.cell_id)).evidence.strip() for k in sheet.criteria)
    ]
    if bare:
        said.append(
            f"Some scores have no evidence note ({_plural(len(bare), 'candidate')}: "
            f"{', '.join(bare[:8])}{'…' if len(bare) > 8 else ''}): the note is the record of "
            "why each score was given."
        )
    if sheet.starts_on is not None and date.today() < sheet.starts_on:
        said.append(
            f"{sheet.stage_name} starts on {long_date(sheet.starts_on)}: these scores are "
            "submitted before it."
        )
    return said
