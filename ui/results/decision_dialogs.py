"""Decisions on the merit order: settling a tie, an outcome, extending a reserve entry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QListWidget, QListWidgetItem, QWidget

from recruit_app.domain.dates import short_date
from recruit_app.errors import ValidationError
from recruit_app.vocabulary import Outcome
from ui.context import AppContext
from ui.library.fields import line_edit, text_edit
from ui.results.dialog import ResultsDialog, note, outcome_version
from ui.results.words import number, outcome_text, plural, top
from ui.schedule.dates import date_edit, from_qdate

if TYPE_CHECKING:
    from recruit_app.services.results import ResultRow, ResultsView
    from recruit_app.services.stages import StageView

CANDIDATE_ROLE = Qt.ItemDataRole.UserRole
# Current Civil Service Jobs guidance (DOMAIN §4.4): extensions of 2 to 8 weeks, approved.
EXTENSION_WEEKS = 8

# kind -> (window title, save button, what it means)
OUTCOMES = {
    "progress": (
        "Progress to the next stage",
        "Progress",
        "They go on to the next stage.",
    ),
    "reject": (
        "Reject",
        "Reject",
        "They go no further in this campaign.",
    ),
    "reserve": (
        "Put on the reserve list",
        "Put on the reserve list",
        "They may be offered a similar post later, in merit order, without a new "
        "competition. The list runs for the advert's reserve period from today.",
    ),
    "appoint": (
        "Appoint",
        "Appoint",
        "Appointments follow the merit order. Appointing someone ranked below others "
        "still available needs a recorded reason.",
    ),
    "withdrawn": (
        Outcome.WITHDRAWN.label,
        "Mark as withdrawn",
        "They leave the campaign, and no longer appear at this stage or later ones.",
    ),
}


def _who(row: ResultRow) -> str:
    rank = f"rank {row.rank}" if row.rank is not None else "not ranked"
    total = f", total {number(row.total)}" if row.total is not None else ""
    now = outcome_text(row)
    return f"{row.label} ({rank}{total})" + (f". Now: {now}." if now else ".")


class TieDialog(ResultsDialog):
    """Tick who of the tied candidates progresses; the note is required."""

    def __init__(
        self,
        context: AppContext,
        view: ResultsView,
        stage: StageView | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, "Settle the tie", parent)
        self.setObjectName("tieDialog")
        self.stage_id = view.stage_id
        self.expected_version = view.stage_version
        tied = [r for r in view.rows if r.candidate_id in view.cutoff_tie]
        rank = tied[0].rank if tied else None
        rule = stage is not None and stage.progress_rule == "top_n" and stage.progress_count
        places = f" {top(stage.progress_count).capitalize()}." if stage is not None and rule else ""
        self.people = QListWidget()
        self.people.setObjectName("tiedCandidates")
        for row in tied:
            item = QListWidgetItem(f"{row.label}: total {number(row.total)}")
            item.setData(CANDIDATE_ROLE, row.candidate_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            decided = bool(view.tie_note) and row.progresses is True
            item.setCheckState(Qt.CheckState.Checked if decided else Qt.CheckState.Unchecked)
            self.people.addItem(item)
        line = self.people.sizeHintForRow(0) if tied else 20
        self.people.setMaximumHeight(line * (len(tied) + 1) + 8)
        self.note = text_edit(
            "tieNote",
            view.tie_note,
            placeholder="How the panel settled it, for example: the higher score on the "
            "lead criterion",
            lines=3,
        )
        form = QFormLayout()
        form.addRow(
            note(
                f"{plural(len(tied), 'candidate shares', 'candidates share')} rank {rank} at "
                f"the cut-off.{places} Tick who progresses and record how the tie was settled.",
                "tieIntro",
            )
        )
        form.addRow("&Progresses", self.checked("progress", self.people))
        form.addRow("&How it was settled", self.checked("note", self.note))
        self.finish_layout(form)

    def chosen(self) -> list[int]:
        items = (self.people.item(i) for i in range(self.people.count()))
        return [i.data(CANDIDATE_ROLE) for i in items if i.checkState() == Qt.CheckState.Checked]

    def work(self) -> Callable[[], Any]:
        from recruit_app.services.results import resolve_tie

        ctx, stage_id = self.context.service_context(), self.stage_id
        version, text, progress = self.expected_version, self.note.toPlainText(), self.chosen()
        return lambda: resolve_tie(
            ctx, stage_id, note=text, progress=progress, expected_version=version
        )

    def reload_work(self) -> Callable[[], tuple[int, str]]:
        from recruit_app.services.results import stage_results

        ctx, stage_id = self.context.service_context(), self.stage_id

        def work() -> tuple[int, str]:
            view = stage_results(ctx, stage_id)
            said = f" The tie note now says: “{view.tie_note}”." if view.tie_note else ""
            return view.stage_version, f"The stage was changed.{said}"

        return work


class OutcomeDialog(ResultsDialog):
    """One outcome for one candidate, with a reason; the service says when one is required."""

    def __init__(
        self,
        context: AppContext,
        stage_id: int,
        row: ResultRow,
        kind: str,
        parent: QWidget | None = None,
    ) -> None:
        title, verb, meaning = OUTCOMES[kind]
        super().__init__(context, title, parent)
        self.setObjectName("outcomeDialog")
        self.stage_id = stage_id
        self.row = row
        self.kind = kind
        self.expected_version = row.outcome_version if row.outcome_id is not None else None
        self.save_button.setText(verb)
        self.reason = text_edit(
            "outcomeReason",
            placeholder="Needed when appointing out of merit order"
            if kind == "appoint"
            else "Optional: kept with the outcome",
            lines=3,
        )
        form = QFormLayout()
        form.addRow("Candidate", note(_who(row), "outcomeCandidate"))
        form.addRow(note(meaning))
        form.addRow("&Reason", self.checked("reason", self.reason))
        self.finish_layout(form)

    def work(self) -> Callable[[], Any]:
        from recruit_app.services.results import set_outcome

        ctx, stage_id, kind = self.context.service_context(), self.stage_id, self.kind
        candidate_id, version = self.row.candidate_id, self.expected_version
        reason = self.reason.toPlainText()
        return lambda: set_outcome(
            ctx, stage_id, candidate_id, kind=kind, reason=reason, expected_version=version
        )

    def reload_work(self) -> Callable[[], tuple[int, str]]:
        return outcome_version(self.context, self.stage_id, self.row.candidate_id)


class ExtendReserveDialog(ResultsDialog):
    def __init__(
        self, context: AppContext, stage_id: int, row: ResultRow, parent: QWidget | None = None
    ) -> None:
        super().__init__(context, "Extend the reserve list entry", parent)
        self.setObjectName("extendReserveDialog")
        self.stage_id = stage_id
        self.row = row
        self.expected_version = row.outcome_version
        expires = row.reserve_expires_on
        self.expiry = date_edit(
            "newExpiry", expires + timedelta(weeks=EXTENSION_WEEKS) if expires else None
        )
        self.approved_by = line_edit(
            "approvedBy", placeholder="For example: the Civil Service Commission"
        )
        now = f"On the reserve list until {short_date(expires)}." if expires else ""
        form = QFormLayout()
        form.addRow("Candidate", note(f"{row.label}. {now}", "extendCandidate"))
        form.addRow(
            note(
                "Current guidance: an extension needs the Civil Service Commission's "
                f"approval and runs for 2 to {EXTENSION_WEEKS} weeks."
            )
        )
        form.addRow("&Until", self.checked("new_expiry", self.expiry))
        form.addRow("&Approved by", self.checked("approved_by", self.approved_by))
        self.finish_layout(form)

    def work(self) -> Callable[[], Any]:
        from recruit_app.services.results import extend_reserve

        outcome_id = self.row.outcome_id
        if outcome_id is None:
            raise ValidationError("This candidate is not on the reserve list.")
        ctx, version = self.context.service_context(), self.expected_version
        until, who = from_qdate(self.expiry.date()), self.approved_by.text()
        return lambda: extend_reserve(
            ctx, outcome_id, new_expiry=until, approved_by=who, expected_version=version
        )

    def reload_work(self) -> Callable[[], tuple[int, str]]:
        return outcome_version(self.context, self.stage_id, self.row.candidate_id)


class OverrideDialog(ResultsDialog):
    """The chair overrides a candidate's overall score, with why; or takes it away."""

    def __init__(
        self, context: AppContext, stage_id: int, row: ResultRow, parent: QWidget | None = None
    ) -> None:
        from PySide6.QtWidgets import QCheckBox, QDoubleSpinBox

        super().__init__(context, "Override the overall score", parent)
        self.setObjectName("overrideDialog")
        self.stage_id = stage_id
        self.row = row
        self.expected_version = row.override_version
        self.save_button.setText("Override")
        self.value = QDoubleSpinBox()
        self.value.setObjectName("overrideValue")
        self.value.setDecimals(2)
        self.value.setRange(0, 10_000)
        self.value.setValue(row.total or 0.0)
        self.reason = text_edit(
            "overrideReason", placeholder="Why the panel's overall view differs", lines=3
        )
        self.reason.setPlainText(row.override_reason)
        self.clear = QCheckBox("Take the override away: the total from the scores stands")
        self.clear.setObjectName("clearOverride")
        self.clear.setVisible(row.overridden)
        self.clear.toggled.connect(
            lambda on: self.save_button.setText("Take away" if on else "Override")
        )
        scores = "none yet" if row.computed_total is None else f"{row.computed_total:.2f}"
        form = QFormLayout()
        form.addRow("Candidate", note(row.label, "overrideCandidate"))
        form.addRow("From the scores", note(scores))
        form.addRow("&Overall score", self.checked("value", self.value))
        form.addRow("&Reason", self.checked("reason", self.reason))
        form.addRow(self.clear)
        form.addRow(note("The reason is kept in the results and the audit trail."))
        self.finish_layout(form)

    def work(self) -> Callable[[], Any]:
        from recruit_app.services.results import clear_override, override_overall

        ctx, stage_id, candidate_id = (
            self.context.service_context(),
            self.stage_id,
            self.row.candidate_id,
        )
        version = self.expected_version
        if self.clear.isChecked():
            return lambda: clear_override(ctx, stage_id, candidate_id, version)
        value, reason = self.value.value(), self.reason.toPlainText()
        return lambda: override_overall(ctx, stage_id, candidate_id, value, reason, version)
