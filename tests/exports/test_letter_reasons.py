"""What candidates read about their scores: one number format, reasons that cite exactly
the criteria they fell below, and no date in the past told as still to come."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from exports.letters import (
    outcome_paragraphs,
    reasons,
    render_letter,
    score_rows,
    score_text,
)
from recruit_app.readmodels import NextStage, ScoreLine
from tests.exports.test_letters import THEME, TODAY, document, letter, scores, words


def test_scores_shown_to_candidates_have_one_decimal_place_at_most() -> None:
    assert score_text(5) == "5"
    assert score_text(2.6666666) == "2.7"
    assert score_text(13.1666666) == "13.2"
    assert score_text(4.25) == "4.2" or score_text(4.25) == "4.3"
    assert score_text(None) == "—"
    # A score below its mark never rounds up to look as if it reached it.
    assert score_text(3.96, 4) == "3.9"
    assert score_text(11.97, 12) == "11.9"
    assert score_text(4, 4) == "4"


def test_the_scores_table_uses_the_one_format() -> None:
    rows = score_rows(document(), letter(scores=scores(5, 2.6666666, 3.96), total=11.6266666))
    assert [row[1:] for row in rows[1:]] == [
        ["5", "4", "Yes"],
        ["2.7", "4", "No"],
        ["3.9", "4", "No"],
        ["11.6", "12", "Yes"],
    ]


def test_the_reasons_cite_exactly_the_criteria_fallen_below(tmp_path: Path) -> None:
    lines = (*scores(5, 2.6666666, 3.0),)
    rejected = letter(scores=lines, total=10.67, total_met=False, below=("EXP2", "EXP3"))
    said = reasons(document(), rejected)
    # Short, so a letter still fits one page: the table above names each criterion.
    assert said == (
        "You scored below the pass mark for EXP2 and EXP3. "
        "Your total of 10.7 was below its pass mark of 12."
    )
    assert "EXP1" not in said  # met, so not a reason
    one = letter(scores=scores(5, 3.0, 4.5), total=12.5, below=("EXP2",))
    assert reasons(document(), one) == "You scored below the pass mark for EXP2."
    three = letter(scores=scores(1, 2, 3), total=6, below=("EXP1", "EXP2", "EXP3"))
    assert reasons(document(), three).startswith(
        "You scored below the pass mark for EXP1, EXP2 and EXP3."
    )
    assert reasons(document(), letter(below=(), total_met=True)) == ""
    path = tmp_path / "letter.pdf"
    render_letter(document(), rejected, str(path), THEME)
    text = words(path)
    assert "You scored below the pass mark for EXP2 and EXP3." in text
    assert "EXP1: Building services end to end in a modern web language 5 4 Yes" in text


def test_a_next_stage_already_under_way_is_not_told_as_to_come() -> None:
    past = NextStage("Video interview", "video_interview", "video", date(2026, 11, 16), None)
    doc = document(next_stage=past)
    said = " ".join(outcome_paragraphs(doc, letter(outcome="progress")))
    assert "16 November 2026" not in said
    assert "will take place" not in said
    assert "We will write to you soon with the arrangements" in said
    later = replace(past, starts_on=TODAY, ends_on=date(2026, 11, 27))
    still = " ".join(outcome_paragraphs(document(next_stage=later), letter(outcome="progress")))
    assert "between 25 and 27 November 2026" in still  # starts today: not passed


def test_a_reserve_list_that_has_expired_is_not_told_as_running() -> None:
    gone = letter(outcome="reserve", reserve_expires_on=date(2026, 11, 1))
    said = " ".join(outcome_paragraphs(document(), gone))
    assert "1 November 2026" not in said
    assert "for up to 12 months" in said


def test_scores_lines_with_no_pass_mark() -> None:
    unmarked = (ScoreLine("EXP1", "Anything", 3.3333, None, None),)
    rows = score_rows(document(), letter(scores=unmarked, total=None))
    assert rows[1][1:] == ["3.3", "—", "—"]
