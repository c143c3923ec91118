"""Typing into the sheet and the evidence note: each change saved as a draft as it is made."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from recruit_app.errors import ConflictError, RecruitError
from ui.errors import error_box
from ui.scoring.detail import CellView
from ui.scoring.saver import DraftSaver, Target

if TYPE_CHECKING:
    from recruit_app.services.scoring import MyScore, OtherScore
    from ui.scoring.scoring_tab import ScoringTab
    from ui.scoring.sheet_model import Key

EVIDENCE_PAUSE_MS = 700  # an evidence note saves this long after the typing stops
PUBLISH_PAUSE_MS = 1000  # drafts tell other views once typing pauses, not on every key


class DraftEditing(QObject):
    """Belongs to one ScoringTab: connects its sheet and side panel to the draft saver."""

    def __init__(self, tab: ScoringTab) -> None:
        super().__init__(tab)
        self.tab = tab
        self.evidence_target: Target | None = None  # the cell whose note is in the editor
        self.reload_when_idle = False
        # Others' scores of the cells shown so far (None: not to be seen yet), and reading.
        self.others: dict[Key, tuple[OtherScore, ...] | None] = {}
        self._reading_others: set[Key] = set()
        self.saver = DraftSaver(tab.context, self._version_of, self)
        self.saver.saved.connect(self._saved)
        self.saver.failed.connect(self._failed)
        self.saver.idle.connect(self._idle)
        self.evidence_timer = QTimer(self)
        self.evidence_timer.setSingleShot(True)
        self.evidence_timer.setInterval(EVIDENCE_PAUSE_MS)
        self.evidence_timer.timeout.connect(self.save_evidence)
        self.publish_timer = QTimer(self)
        self.publish_timer.setSingleShot(True)
        self.publish_timer.setInterval(PUBLISH_PAUSE_MS)
        self.publish_timer.timeout.connect(tab.publish_scores)
        tab.model.entered.connect(self._value_entered)
        tab.model.typing_changed.connect(self._typing_changed)
        tab.detail.evidence_edited.connect(self._evidence_typed)

    @property
    def busy(self) -> bool:
        return self.saver.busy

    def _target(self, key: Key) -> Target | None:
        sheet = self.tab.model.sheet
        return (sheet.stage_id, sheet.assessor_id, key) if sheet is not None else None

    def _version_of(self, target: Target) -> int:
        # 0 when the sheet shows no score: a score someone else made meanwhile is then a conflict.
        return self.tab.model.score(target[2]).version

    def _words(self, key: Key) -> str:
        """ "0003 Sam Smith, PROG" for the status line."""
        model = self.tab.model
        index = model.index_of(key)
        criterion = model.criterion_at(index.column())
        if not index.isValid() or criterion is None:
            return "that score"
        return f"{model.candidate_at(index.row()).label}, {criterion.code}"

    # --- the current cell ------------------------------------------------------------------

    def show_current(self) -> None:
        """Show the cursor's cell beside the sheet, with the note as last typed."""
        tab = self.tab
        model, detail, index = tab.model, tab.detail, tab.table.currentIndex()
        key, sheet = model.key_at(index), model.sheet
        if key is None or sheet is None:
            self.evidence_target = None
            detail.show_cell(None, "" if sheet is not None else "Nothing to score here.")
            return
        candidate, criterion = model.candidate_at(index.row()), model.criterion_at(index.column())
        assert criterion is not None
        self.evidence_target = target = (sheet.stage_id, sheet.assessor_id, key)
        wanted = self.saver.wanted(target)
        others = self.others_of(key) if candidate.submitted else None
        detail.show_cell(
            CellView(
                candidate.label,
                criterion,
                sheet.scale_of(criterion),
                model.shown_value(key),
                wanted[1] if wanted else model.score(key).evidence,
                model.lock_words(index.row()),
                others,
                others_reading=candidate.submitted and others is None,
            )
        )
        if wanted is not None:
            detail.set_evidence_state("Saving…")

    def others_of(self, key: Key) -> tuple[OtherScore, ...] | None:
        """Others' scores on the cell, as read; None while they are being read (the sheet
        holds none: a full one would hold 140,000, so each cell's are read when shown)."""
        if key in self.others:
            return self.others[key] or ()
        sheet = self.tab.model.sheet
        if sheet is None or key in self._reading_others:
            return None
        self._reading_others.add(key)
        ctx = self.tab.context.service_context()
        stage_id, assessor_id, (candidate_id, cell_id) = sheet.stage_id, sheet.assessor_id, key

        def done(found: tuple[OtherScore, ...] | None) -> None:
            self._reading_others.discard(key)
            if self.tab.model.sheet is not sheet:
                return  # another sheet is shown now
            self.others[key] = found
            if self.tab.model.key_at(self.tab.table.currentIndex()) == key:
                self.show_current()

        def failed(exc: BaseException) -> None:
            self._reading_others.discard(key)
            if isinstance(exc, RecruitError):
                self.tab.say(f"The other assessors' scores could not be read: {exc.message}")
            else:
                self.tab.dialog = error_box(self.tab, exc, "Scoring")

        from recruit_app.services.scoring import other_scores

        self.tab.context.reads.start(
            lambda: other_scores(ctx, stage_id, assessor_id, candidate_id, cell_id), done, failed
        )
        return None

    def forget_others(self) -> None:
        """A new sheet: the others' scores read for the old one go."""
        self.others.clear()
        self._reading_others.clear()

    def _typing_changed(self) -> None:
        """The scale follows the keys: what is typed is highlighted before Enter takes it."""
        model, index = self.tab.model, self.tab.table.currentIndex()
        key, typed = model.key_at(index), model.typing()
        if key is None:
            return
        here = typed is not None and typed[:2] == (index.row(), index.column())
        self.tab.detail.show_value(model.typed_value() if here else model.shown_value(key))

    # --- saving ----------------------------------------------------------------------------

    def _value_entered(self, key: Key, value: int | None) -> None:
        target, detail = self._target(key), self.tab.detail
        if target is None:
            return
        if target == self.evidence_target:
            self.evidence_timer.stop()  # this save takes the note as it is now
            evidence = detail.evidence_text()
            detail.show_value(value)
            detail.set_evidence_state("Saving…")
        else:
            wanted = self.saver.wanted(target)
            evidence = wanted[1] if wanted else self.tab.model.score(key).evidence
        self.saver.save(target, value, evidence)
        self.tab.say(f"Saving {self._words(key)}…", routine=True)

    def _evidence_typed(self) -> None:
        row = self.tab.table.currentIndex().row()
        if self.evidence_target is None or self.tab.model.lock_reason(row):
            return
        self.tab.detail.set_evidence_state("Not saved yet: saves when you pause.")
        self.evidence_timer.start()

    def save_evidence(self) -> None:
        self.evidence_timer.stop()
        target = self.evidence_target
        if target is None:
            return
        value = self.tab.model.shown_value(target[2])
        self.saver.save(target, value, self.tab.detail.evidence_text())
        self.tab.detail.set_evidence_state("Saving…")

    def flush_evidence(self) -> None:
        """Save a note still waiting for its pause now (before moving, loading or submitting)."""
        if self.evidence_timer.isActive():
            self.save_evidence()

    def _shown(self, target: Target) -> bool:
        sheet = self.tab.model.sheet
        return sheet is not None and target[:2] == (sheet.stage_id, sheet.assessor_id)

    def _saved(self, target: Target, score: MyScore, settled: bool) -> None:
        if not self._shown(target):
            return  # a save for a sheet no longer shown
        tab, key = self.tab, target[2]
        tab.model.saved(key, score, settled=settled)
        if not settled:
            return
        if target == self.evidence_target:
            tab.detail.set_evidence_state("Saved as a draft.")
            tab.detail.show_value(tab.model.shown_value(key))
        words = self._words(key)
        if score.value is not None:
            said = f"Saved {words}: {score.value} (a draft until you submit)."
        elif score.evidence:
            said = f"Saved the evidence note for {words} (no score yet)."
        else:
            said = f"Cleared the score for {words}."
        tab.say(said, routine=True)
        tab.update_buttons()
        tab.saved.emit(key)
        self.publish_timer.start()

    def _failed(self, target: Target, exc: BaseException) -> None:
        if not self._shown(target):
            return
        tab, key = self.tab, target[2]
        tab.model.revert_cell(key)
        if isinstance(exc, RecruitError):
            reason = exc.message
        else:
            tab.dialog = error_box(tab, exc, "Scoring")
            reason = "something went wrong"
        tab.say(f"Not saved ({self._words(key)}): {reason}", warning=True)
        if target == self.evidence_target:
            tab.detail.set_evidence(tab.model.score(key).evidence)
            tab.detail.show_value(tab.model.shown_value(key))
            tab.detail.set_evidence_state(f"Not saved: {reason}")
        if isinstance(exc, ConflictError):
            self.reload_when_idle = True  # show what was saved meanwhile

    def _idle(self) -> None:
        if self.reload_when_idle:
            self.reload_when_idle = False
            self.tab.load()
