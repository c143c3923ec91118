"""The merit order's scores: below a pass mark fails; a desirable score below the standard
is shown as below too, and fails nobody."""

from __future__ import annotations

from PySide6.QtCore import Qt

from recruit_app.services.results import ResultCriterion, ResultRow, ResultsView
from ui.results.merit_model import MeritModel
from ui.results.words import ATTENTION, BAD

CRITERIA = (
    ResultCriterion(1, "EXP1", "Back-end development", 1.0, 4, True, True, 4),
    ResultCriterion(2, "DES1", "Relational databases", 1.0, None, False, False, 4),
)


def _row(number: str, exp1: float, des1: float, *, failed=(), below=()) -> ResultRow:
    passed = not failed
    return ResultRow(
        candidate_id=int(number),
        number=number,
        label=f"Candidate {number}",
        guaranteed_interview=False,
        criterion_scores={"EXP1": exp1, "DES1": des1},
        total=exp1 + des1,
        passed=passed,
        failed_criteria=tuple(failed),
        rank=1 if passed else None,
        progresses=passed,
        flags=(),
        outcome=None,
        outcome_id=None,
        outcome_version=0,
        reserve_expires_on=None,
        below_criteria=tuple(below),
    )


def test_a_desirable_score_below_the_standard_is_marked_but_not_failed(qtmodeltester):
    model = MeritModel()
    view = ResultsView(
        stage_id=1,
        stage_name="CV sift",
        stage_version=1,
        finalised=False,
        criteria=CRITERIA,
        rows=(
            _row("0001", 5, 2, below=("DES1",)),
            _row("0002", 3, 6, failed=("EXP1",), below=("EXP1",)),
        ),
        blockers=(),
        can_finalise=True,
        cutoff_tie=(),
        tie_note="",
    )
    model.set_view(view)
    qtmodeltester.check(model)
    des1 = model.index(0, model.column_of("DES1"))
    assert des1.data() == "2 ↓"
    assert des1.data(Qt.ItemDataRole.ForegroundRole) == ATTENTION
    assert des1.data(Qt.ItemDataRole.FontRole) is None  # bold is for a fail
    assert des1.data(Qt.ItemDataRole.ToolTipRole) == (
        "DES1: 2, below 4. It is desirable: it counts towards the total and rejects nobody."
    )
    assert model.index(0, model.column_of("Passed")).data() == "Yes"
    exp1 = model.index(1, model.column_of("EXP1"))
    assert exp1.data() == "3 ↓"
    assert exp1.data(Qt.ItemDataRole.ForegroundRole) == BAD
    assert exp1.data(Qt.ItemDataRole.ToolTipRole) == "EXP1: 3, below its pass mark of 4"
    header = model.headerData(
        model.column_of("DES1"), Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
    )
    assert header == "DES1: Relational databases\nDesirable. Weight 1, pass mark none"
