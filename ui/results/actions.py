"""What the results buttons do: each use case runs off the GUI thread and reports in words."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog, QMessageBox

from recruit_app.errors import ConflictError, ValidationError
from ui import change_bus
from ui.errors import error_box
from ui.results.words import headline, plural

if TYPE_CHECKING:
    from recruit_app.services.results import ModerationPair
    from ui.library.dialog_base import ServiceDialog
    from ui.results.tab import ResultsTab

# Scores and outcomes change who is where; finalising and ties change the stage as well.
OUTCOME_TOPICS = (change_bus.SCORES, change_bus.CANDIDATES)
STAGE_TOPICS = (change_bus.SCORES, change_bus.CANDIDATES, change_bus.STAGES)
FILTERS = {"CSV file (*.csv)": ".csv", "Excel workbook (*.xlsx)": ".xlsx"}
TITLE = "Results"


class ResultsActions:
    """Belongs to one ResultsTab; dialogs and message boxes are kept on `tab.dialog`."""

    def __init__(self, tab: ResultsTab) -> None:
        self.tab = tab
        self._reading_feedback = False

    @property
    def context(self) -> Any:
        return self.tab.context

    def _run(self, work: Callable[[], Any], topics: tuple[str, ...], done: str) -> None:
        def saved(_result: Any) -> None:
            self.tab.after_change(topics, done)

        self.context.writes.start(work, saved, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.tab.dialog = error_box(self.tab, exc, TITLE)
        if isinstance(exc, ConflictError | ValidationError):
            self.tab.load()  # show what changed meanwhile

    def _open(self, dialog: ServiceDialog, topics: tuple[str, ...], done: str) -> None:
        dialog.saved.connect(lambda _r: self.tab.after_change(topics, done))
        dialog.finished.connect(lambda _r: self._closed(dialog))
        self.tab.dialog = dialog
        dialog.open()

    def _closed(self, dialog: Any) -> None:
        if self.tab.dialog is dialog:
            self.tab.dialog = None

    def _ask(self, box: QMessageBox, confirm: Any, then: Callable[[], None]) -> None:
        def answered(_result: int) -> None:
            self._closed(box)
            if box.clickedButton() is confirm:
                then()

        box.finished.connect(answered)
        self.tab.dialog = box
        box.open()

    def _box(self, name: str, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
        box = QMessageBox(self.tab)
        box.setObjectName(name)
        box.setIcon(icon)
        box.setWindowTitle(title)
        box.setText(text)
        return box

    # --- finalising ----------------------------------------------------------------------

    def finalise(self) -> None:
        view = self.tab.results
        if view is None or view.finalised:
            return
        if not view.can_finalise:
            box = self._box(
                "finaliseRefused",
                QMessageBox.Icon.Warning,
                "Not ready to finalise",
                f"The results of {view.stage_name} cannot be finalised yet.",
            )
            box.setInformativeText("\n".join(f"• {headline(b)}" for b in view.blockers))
            box.setDetailedText("\n\n".join(view.blockers))
            box.setStandardButtons(QMessageBox.StandardButton.Ok)
            box.finished.connect(lambda _r: self._closed(box))
            self.tab.dialog = box
            box.open()
            return
        going = sum(1 for r in view.rows if r.progresses)
        box = self._box(
            "confirmFinalise",
            QMessageBox.Icon.Question,
            "Finalise the results",
            f"Finalise the results of {view.stage_name}?",
        )
        box.setInformativeText(
            f"{plural(going, 'candidate progresses', 'candidates progress')} and "
            f"{len(view.rows) - going} do not. Everyone without an outcome gets one, and the "
            "scores are locked: nobody can change them afterwards."
        )
        confirm = box.addButton("Finalise", QMessageBox.ButtonRole.AcceptRole)
        confirm.setObjectName("confirmFinaliseButton")
        box.addButton("Not yet", QMessageBox.ButtonRole.RejectRole)
        self._ask(box, confirm, lambda: self._finalise(view.stage_id, view.stage_version))

    def _finalise(self, stage_id: int, version: int) -> None:
        from recruit_app.services.results import finalise_stage

        ctx = self.context.service_context()
        self._run(
            lambda: finalise_stage(ctx, stage_id, expected_version=version),
            STAGE_TOPICS,
            "The results are final; each candidate has an outcome.",
        )

    def settle_tie(self) -> None:
        from ui.results.decision_dialogs import TieDialog

        view = self.tab.results
        if view is not None and view.cutoff_tie:
            dialog = TieDialog(self.context, view, self.tab.data.stage(), self.tab)
            self._open(dialog, STAGE_TOPICS, "The tie decision is recorded.")

    def override(self) -> None:
        from ui.results.decision_dialogs import OverrideDialog

        row, view = self.tab.selected_row(), self.tab.results
        if row is None or view is None or view.finalised:
            return
        dialog = OverrideDialog(self.context, view.stage_id, row, self.tab)
        self._open(dialog, (change_bus.SCORES,), f"The overall score of {row.label} is recorded.")

    # --- moderation ----------------------------------------------------------------------

    def agree(self) -> None:
        pair, view = self.tab.selected_pair(), self.tab.results
        if pair is None or view is None:
            return
        if not pair.evidence_read:  # the dialog shows each assessor's evidence: read it first
            self.tab.read_evidence(pair, self._agree_on)
            return
        self._agree_on(pair)

    def _agree_on(self, pair: ModerationPair) -> None:
        from ui.results.moderation_dialog import AgreeScoreDialog

        view = self.tab.results
        if view is None or self.tab.dialog is not None:
            return
        title = next((c.title for c in view.criteria if c.cell_id == pair.cell_id), "")
        dialog = AgreeScoreDialog(
            self.context,
            view.stage_id,
            pair,
            title,
            self.tab.data.scale_for(pair.cell_id),
            self.tab,
        )
        self._open(
            dialog, (change_bus.SCORES,), f"Agreed score saved for {pair.label}, {pair.code}."
        )

    # --- outcomes ------------------------------------------------------------------------

    def outcome(self, kind: str) -> None:
        from ui.results.decision_dialogs import OutcomeDialog

        row, view = self.tab.selected_row(), self.tab.results
        if row is None or view is None:
            return
        dialog = OutcomeDialog(self.context, view.stage_id, row, kind, self.tab)
        said = f"Outcome recorded for {row.label}."
        if kind == "withdrawn":  # they leave the stage: the merit order closes up, read it
            self._open(dialog, OUTCOME_TOPICS, said)
            return
        # Anything else changes this candidate's row and the counts only: shown as saved.
        dialog.saved.connect(lambda changed: self.tab.row_changed(changed, OUTCOME_TOPICS, said))
        dialog.finished.connect(lambda _r: self._closed(dialog))
        self.tab.dialog = dialog
        dialog.open()

    def extend(self) -> None:
        from ui.results.decision_dialogs import ExtendReserveDialog

        row, view = self.tab.selected_row(), self.tab.results
        if row is None or view is None or row.outcome != "reserve":
            return
        dialog = ExtendReserveDialog(self.context, view.stage_id, row, self.tab)
        self._open(dialog, OUTCOME_TOPICS, f"The reserve list entry for {row.label} is extended.")

    def feedback(self) -> None:
        """Read the candidate's feedback as it is now, then open the dialog to change it."""
        from recruit_app.services.letters import outcome_feedback
        from ui.results.feedback_dialog import FeedbackDialog

        row, view = self.tab.selected_row(), self.tab.results
        if row is None or view is None or row.outcome is None or self._reading_feedback:
            return
        ctx, stage_id, candidate_id = (
            self.context.service_context(),
            view.stage_id,
            row.candidate_id,
        )
        self._reading_feedback = True  # a second click meanwhile opens no second dialog

        def read(found: Any) -> None:
            self._reading_feedback = False
            dialog = FeedbackDialog(self.context, found, self.tab)
            self._open(dialog, (change_bus.CANDIDATES,), f"Feedback saved for {row.label}.")

        def failed(exc: BaseException) -> None:
            self._reading_feedback = False
            self._failed(exc)

        self.context.reads.start(
            lambda: outcome_feedback(ctx, stage_id, candidate_id), read, failed
        )

    def ask_expire(self) -> None:
        box = self._box(
            "confirmExpire",
            QMessageBox.Icon.Question,
            "Expire old reserve entries",
            "Reject everyone in this campaign whose reserve list entry has run out?",
        )
        box.setInformativeText(
            "Entries still within their dates stay on the list. Each expired one is "
            "recorded as rejected, with the date it expired."
        )
        confirm = box.addButton("Expire them", QMessageBox.ButtonRole.AcceptRole)
        confirm.setObjectName("confirmExpireButton")
        box.addButton("Cancel", QMessageBox.ButtonRole.RejectRole)
        self._ask(box, confirm, self._expire)

    def _expire(self) -> None:
        from recruit_app.services.results import expire_reserves

        ctx, campaign_id = self.context.service_context(), self.tab.campaign_id

        def done(count: int) -> None:
            said = (
                f"{plural(count, 'reserve list entry has', 'reserve list entries have')} "
                "expired and been rejected."
                if count
                else "No reserve list entry has expired."
            )
            self.tab.after_change(OUTCOME_TOPICS, said)

        self.context.writes.start(lambda: expire_reserves(ctx, campaign_id), done, self._failed)

    # --- export --------------------------------------------------------------------------

    def ask_export(self) -> None:
        view = self.tab.results
        if view is None:
            return
        slug = re.sub(r"[^a-z0-9]+", "-", view.stage_name.casefold()).strip("-")
        name = f"{self.tab.data.reference}-{slug}-results.csv"
        dialog = QFileDialog(self.tab, "Export the results", str(Path.home() / name))
        dialog.setObjectName("exportResultsDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilters(list(FILTERS))
        dialog.setDefaultSuffix("csv")
        # Qt adds the default suffix to a bare name, so it follows the chosen file type.
        dialog.filterSelected.connect(lambda f: dialog.setDefaultSuffix(FILTERS[f][1:]))

        def chosen(path: str) -> None:
            target = Path(path)
            if target.suffix.lower() not in FILTERS.values():
                target = target.with_name(target.name + FILTERS[dialog.selectedNameFilter()])
            self.export_to(target)

        dialog.fileSelected.connect(chosen)
        dialog.finished.connect(lambda _r: self._closed(dialog))
        self.tab.dialog = dialog
        dialog.open()

    def export_to(self, path: Path) -> None:
        from recruit_app.services.results import export_results

        view = self.tab.results
        if view is None:
            return
        ctx, stage_id = self.context.service_context(), view.stage_id
        self.tab.status.setText("Writing the results…")

        def done(written: Path) -> None:
            self.tab.status.setText(f"Wrote {written}")
            self.tab.exported.emit(written)

        self.context.exports.start(lambda: export_results(ctx, stage_id, path), done, self._failed)
