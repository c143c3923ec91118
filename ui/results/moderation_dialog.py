"""Agreeing one score after moderation: the assessors' scores, the scale's points, a rationale."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGridLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from recruit_app.errors import ValidationError
from ui.context import AppContext
from ui.library.fields import text_edit
from ui.results.dialog import ResultsDialog, note
from ui.results.words import number

if TYPE_CHECKING:
    from recruit_app.domain.stage_rules import ScalePoint
    from recruit_app.services.results import ModerationPair

POINT_ROLE = "point"


class AgreeScoreDialog(ResultsDialog):
    def __init__(
        self,
        context: AppContext,
        stage_id: int,
        pair: ModerationPair,
        criterion_title: str,
        points: Sequence[ScalePoint],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, "Agree a score", parent)
        self.setObjectName("agreeScoreDialog")
        self.stage_id = stage_id
        self.pair = pair
        self.expected_version = pair.agreed_version if pair.agreed_id is not None else None
        self.group = QButtonGroup(self)
        self.points: dict[int, QRadioButton] = {}
        self.rationale = text_edit(
            "rationale",
            pair.rationale,
            placeholder="Why the panel agreed this score, from the evidence",
            lines=4,
        )
        form = QFormLayout()
        form.addRow("Candidate", note(pair.label, "pairCandidate"))
        form.addRow("Criterion", note(f"{pair.code}: {criterion_title}", "pairCriterion"))
        form.addRow("Scores", self._scores())
        form.addRow("&Agreed score", self.checked("value", self._points(points)))
        form.addRow("&Rationale", self.checked("rationale", self.rationale))
        self.finish_layout(form)

    def _scores(self) -> QWidget:
        """Each assessor's score and evidence, one line each, with the spread under them."""
        box = QWidget()
        box.setObjectName("pairScores")
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setColumnStretch(2, 1)
        for line, (name, value, evidence) in enumerate(self.pair.scores):
            score = QLabel("—" if value is None else str(value))
            score.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(QLabel(name), line, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(score, line, 1, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(note(evidence or "No evidence note."), line, 2)
        spread = f"They differ by {number(self.pair.spread)}." if self.pair.scores else ""
        grid.addWidget(note(spread or "No submitted scores yet."), len(self.pair.scores), 0, 1, 3)
        return box

    def _points(self, points: Sequence[ScalePoint]) -> QWidget:
        box = QWidget()
        box.setObjectName("scalePoints")
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        for point in points:
            button = QRadioButton(f"{point.value}  {point.label}")
            button.setObjectName(f"point{point.value}")
            button.setToolTip(point.descriptor)
            button.setProperty(POINT_ROLE, point.value)
            self.group.addButton(button)
            self.points[point.value] = button
            column.addWidget(button)
        if self.pair.agreed in self.points:
            self.points[self.pair.agreed].setChecked(True)
        if points:
            box.setFocusProxy(self.points[points[0].value])
        else:
            column.addWidget(note("The stage's scale has no points yet: set it on the Stages tab."))
        return box

    def work(self) -> Callable[[], Any]:
        from recruit_app.services.results import record_agreed_score

        chosen = self.group.checkedButton()
        if chosen is None:
            raise ValidationError("Choose the score the panel agreed.", "value")
        value = int(chosen.property(POINT_ROLE))
        ctx, stage_id, pair = self.context.service_context(), self.stage_id, self.pair
        rationale, version = self.rationale.toPlainText(), self.expected_version
        return lambda: record_agreed_score(
            ctx,
            stage_id,
            pair.candidate_id,
            pair.cell_id,
            value=value,
            rationale=rationale,
            expected_version=version,
        )

    def reload_work(self) -> Callable[[], tuple[int, str]]:
        from recruit_app.services.results import moderation_pair

        ctx, stage_id, key = self.context.service_context(), self.stage_id, self.pair

        def work() -> tuple[int, str]:
            found = moderation_pair(ctx, stage_id, key.candidate_id, key.cell_id)
            if found.agreed is None:
                return found.agreed_version, "Their agreed score has been removed."
            return found.agreed_version, f"They agreed {found.agreed}: {found.rationale}"

        return work
