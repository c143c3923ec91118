"""Scoring scales, panel warnings, assessment-matrix findings and stage changes."""

from __future__ import annotations

import pytest

from recruit_app.domain.stage_rules import (
    DEFAULT_PASS_MARK,
    INTERVIEW_KINDS,
    SCALES,
    SCORING_KINDS,
    MatrixCriterion,
    MatrixStage,
    PanelSeat,
    can_remove_stage,
    check_matrix,
    check_panel,
    custom_scale,
    default_pass_mark,
    reorder,
    scale_for,
)
from recruit_app.errors import ValidationError
from recruit_app.vocabulary import StageKind

# --- scales ----------------------------------------------------------------------------


def labels(code: str) -> list[tuple[int, str]]:
    return [(p.value, p.label) for p in SCALES[code].points]


def test_success_profiles_scale_has_the_csj_labels():
    assert labels("sp7") == [
        (1, "Not demonstrated"),
        (2, "Minimal demonstration"),
        (3, "Moderate demonstration"),
        (4, "Acceptable demonstration"),
        (5, "Good demonstration"),
        (6, "Strong demonstration"),
        (7, "Outstanding demonstration"),
    ]
    assert all(p.descriptor for p in SCALES["sp7"].points)


def test_other_built_in_scales():
    assert labels("zero3") == [
        (0, "No evidence"),
        (1, "Limited evidence"),
        (2, "Meets the criterion"),
        (3, "Exceeds the criterion"),
    ]
    assert labels("pass_fail") == [(0, "Fail"), (1, "Pass")]
    assert labels("strengths4") == [
        (1, "Weakness"),
        (2, "Learned Behaviour"),
        (3, "Potential Strength"),
        (4, "Strength"),
    ]
    assert set(SCALES) == {"sp7", "zero3", "pass_fail", "strengths4", "percentile"}
    assert SCALES["percentile"].values == tuple(range(101))


def test_scale_helpers_and_pass_marks():
    sp7 = SCALES["sp7"]
    assert (sp7.minimum, sp7.maximum) == (1, 7)
    assert sp7.values == (1, 2, 3, 4, 5, 6, 7)
    assert sp7.label(4) == "Acceptable demonstration"
    with pytest.raises(ValidationError):
        sp7.label(0)
    assert DEFAULT_PASS_MARK == {
        "sp7": 4,
        "zero3": 2,
        "pass_fail": 1,
        "strengths4": 3,
        "percentile": 50,
    }
    for code, mark in DEFAULT_PASS_MARK.items():
        assert mark in SCALES[code].values


def test_only_essential_criteria_get_a_pass_mark_by_default():
    assert default_pass_mark("sp7", essential=True) == 4
    assert default_pass_mark("strengths4", essential=True) == 3
    assert default_pass_mark("sp7", essential=False) is None
    points = [{"value": v, "label": f"P{v}"} for v in (0, 10, 20, 30)]
    # A custom scale has no agreed mark: its middle point.
    assert default_pass_mark("custom", essential=True, custom=points) == 20
    assert default_pass_mark("custom", essential=False, custom=points) is None


def test_custom_scale_and_scale_for():
    points = [{"value": 0, "label": "None"}, {"value": 50, "label": "Half", "descriptor": "x"}]
    scale = custom_scale(points)
    assert scale.code == "custom"
    assert [(p.value, p.label, p.descriptor) for p in scale.points] == [
        (0, "None", ""),
        (50, "Half", "x"),
    ]
    assert scale_for("custom", points) == scale
    assert scale_for("sp7") is SCALES["sp7"]
    with pytest.raises(ValidationError) as raised:
        scale_for("nine")
    assert raised.value.field == "scale"


@pytest.mark.parametrize(
    ("points", "field", "message"),
    [
        ([{"value": 1, "label": "Only"}], "points", "A scale needs at least two points."),
        (
            [{"value": 0, "label": "A"}, {"value": 1.5, "label": "B"}],
            "points[1].value",
            "Point 2: the value must be a whole number.",
        ),
        (
            [{"value": True, "label": "A"}, {"value": 2, "label": "B"}],
            "points[0].value",
            "Point 1: the value must be a whole number.",
        ),
        (
            [{"value": 0, "label": "A"}, {"value": 101, "label": "B"}],
            "points[1].value",
            "Point 2: the value must be from 0 to 100.",
        ),
        (
            [{"value": -1, "label": "A"}, {"value": 1, "label": "B"}],
            "points[0].value",
            "Point 1: the value must be from 0 to 100.",
        ),
        (
            [{"value": 2, "label": "A"}, {"value": 2, "label": "B"}],
            "points[1].value",
            "Point 2: the values must go up, each higher than the one before.",
        ),
        (
            [{"value": 3, "label": "A"}, {"value": 1, "label": "B"}],
            "points[1].value",
            "Point 2: the values must go up, each higher than the one before.",
        ),
        (
            [{"value": 0, "label": "A"}, {"value": 1, "label": "  "}],
            "points[1].label",
            "Point 2: give it a label.",
        ),
    ],
)
def test_custom_scale_errors(points, field, message):
    with pytest.raises(ValidationError) as raised:
        custom_scale(points)
    assert (raised.value.field, raised.value.message) == (field, message)


def test_stage_kind_sets():
    assert set(StageKind) - SCORING_KINDS == {"application", "offer", "pre_employment_checks"}
    assert "sift" in SCORING_KINDS and "custom" in SCORING_KINDS
    assert {
        "telephone_interview",
        "video_interview",
        "panel_interview",
        "assessment_centre",
        "presentation",
    } == INTERVIEW_KINDS
    assert INTERVIEW_KINDS <= SCORING_KINDS


# --- panels ----------------------------------------------------------------------------

CHAIR = PanelSeat(1, "Priya Raman", "chair")
MEMBER = PanelSeat(2, "Tom Hughes", "member")
INDEPENDENT = PanelSeat(3, "Ayo Bello", "independent")


def messages(findings) -> list[str]:
    return [f.message for f in findings]


def test_a_full_interview_panel_passes():
    assert check_panel("Interview", "panel_interview", [CHAIR, MEMBER, INDEPENDENT]) == []


def test_a_sift_needs_no_independent_member():
    assert check_panel("CV sift", "sift", [CHAIR, MEMBER]) == []


def test_no_panel_for_a_scoring_stage():
    found = check_panel("CV sift", "sift", [])
    assert messages(found) == ["CV sift has no panel yet; add at least two people."]
    assert found[0].severity == "warning"
    assert found[0].field == "panel"


def test_stages_that_score_nobody_need_no_panel():
    assert check_panel("Offer", "offer", []) == []
    assert check_panel("Application", "application", []) == []


def test_a_panel_of_one():
    assert messages(check_panel("CV sift", "sift", [CHAIR])) == [
        "The panel for CV sift has only one person (Priya Raman); shortlisting and interviews "
        "need at least two."
    ]


def test_interview_without_an_independent_member():
    found = check_panel("Interview", "video_interview", [CHAIR, MEMBER])
    assert messages(found) == ["The panel for Interview has no independent member."]
    assert {f.severity for f in found} == {"warning"}


def test_two_chairs_and_no_chair():
    second = PanelSeat(4, "Sam Lee", "chair")
    assert messages(check_panel("CV sift", "sift", [CHAIR, second])) == [
        "The panel for CV sift has 2 chairs (Priya Raman, Sam Lee); choose one."
    ]
    assert messages(check_panel("CV sift", "sift", [MEMBER, INDEPENDENT])) == [
        "The panel for CV sift has no chair."
    ]


def test_each_panel_is_checked_on_its_own():
    seats = [
        CHAIR,
        MEMBER,
        INDEPENDENT,
        PanelSeat(4, "Sam Lee", "member", panel_number=2),
    ]
    assert messages(check_panel("Interview", "panel_interview", seats)) == [
        "Panel 2 for Interview has only one person (Sam Lee); shortlisting and interviews "
        "need at least two.",
        "Panel 2 for Interview has no independent member.",
        "Panel 2 for Interview has no chair.",
    ]


# --- assessment matrix -----------------------------------------------------------------

EXP1 = MatrixCriterion("EXP1", "Back-end development", essential=True, lead=True)
DECIDE = MatrixCriterion("DECIDE", "Making Effective Decisions", essential=True, lead=False)
PROG = MatrixCriterion("PROG", "Programming", essential=False, lead=False)
CRITERIA = (EXP1, DECIDE, PROG)


def test_a_sound_matrix_passes():
    stages = (
        MatrixStage("Application", "application", ()),
        MatrixStage("CV sift", "sift", ("EXP1",)),
        MatrixStage("Interview", "panel_interview", ("DECIDE", "PROG")),
        MatrixStage("Offer", "offer", ()),
    )
    assert check_matrix(CRITERIA, stages) == []


def test_essential_criterion_never_assessed():
    stages = (
        MatrixStage("CV sift", "sift", ("EXP1",)),
        MatrixStage("Interview", "panel_interview", ("PROG",)),
    )
    found = check_matrix(CRITERIA, stages)
    assert [(f.severity, f.field, f.message) for f in found] == [
        (
            "error",
            "criterion:DECIDE",
            "Making Effective Decisions (DECIDE) is essential but no stage assesses it.",
        )
    ]


def test_scoring_stage_with_no_criteria():
    stages = (
        MatrixStage("CV sift", "sift", ("EXP1", "DECIDE")),
        MatrixStage("Coding test", "technical_exercise", ()),
    )
    found = check_matrix(CRITERIA, stages)
    assert [(f.severity, f.field, f.message) for f in found] == [
        (
            "error",
            "stage:1",
            "Coding test scores candidates but assesses no criteria; choose at least one.",
        )
    ]


def test_lead_criterion_missing_from_the_first_scoring_stage():
    stages = (
        MatrixStage("Application", "application", ()),
        MatrixStage("CV sift", "sift", ("DECIDE",)),
        MatrixStage("Interview", "panel_interview", ("EXP1",)),
    )
    found = check_matrix(CRITERIA, stages)
    assert [(f.severity, f.field, f.message) for f in found] == [
        (
            "warning",
            "criterion:EXP1",
            "The lead criterion, Back-end development (EXP1), is not assessed at the first "
            "scoring stage, CV sift.",
        )
    ]


def test_sift_on_desirable_criteria_only():
    stages = (
        MatrixStage("CV sift", "sift", ("EXP1", "DECIDE")),
        MatrixStage("Second sift", "sift", ("PROG",)),
    )
    found = check_matrix(CRITERIA, stages)
    assert [(f.severity, f.field, f.message) for f in found] == [
        (
            "warning",
            "stage:1",
            "Second sift assesses only desirable criteria; a sift should test essential ones.",
        )
    ]


def test_a_pass_mark_on_a_desirable_criterion_is_warned_about_at_its_cell():
    stages = (
        MatrixStage("CV sift", "sift", ("EXP1", "DECIDE"), (("EXP1", 4), ("DECIDE", 4))),
        MatrixStage("Interview", "panel_interview", ("DECIDE", "PROG"), (("PROG", 5),)),
    )
    found = check_matrix(CRITERIA, stages)
    assert [(f.severity, f.field, f.message) for f in found] == [
        (
            "warning",
            "cell:1:PROG",
            "Programming (PROG) is desirable, but Interview gives it a pass mark of 5: "
            "candidates below it will be rejected, even if they meet every essential "
            "criterion.",
        )
    ]


def test_stage_naming_an_unknown_criterion():
    stages = (MatrixStage("CV sift", "sift", ("EXP1", "DECIDE", "LEAD9")),)
    found = check_matrix(CRITERIA, stages)
    assert [(f.severity, f.field, f.message) for f in found] == [
        (
            "warning",
            "stage:0",
            "CV sift assesses LEAD9, which is not one of the advert's criteria.",
        )
    ]


def test_no_stages_at_all():
    found = check_matrix(CRITERIA, ())
    assert messages(found) == [
        "Back-end development (EXP1) is essential but no stage assesses it.",
        "Making Effective Decisions (DECIDE) is essential but no stage assesses it.",
    ]
    assert {f.severity for f in found} == {"error"}


# --- stage changes ---------------------------------------------------------------------


def test_a_stage_with_scores_cannot_be_removed():
    can_remove_stage(False)
    with pytest.raises(ValidationError, match="has scores, so it cannot be removed"):
        can_remove_stage(True)
    with pytest.raises(ValidationError) as raised:
        can_remove_stage(True, "CV sift")
    assert raised.value.message.startswith("CV sift has scores, so it cannot be removed")


@pytest.mark.parametrize(
    ("moved", "index", "expected"),
    [
        (30, 0, [30, 10, 20, 40]),
        (10, 3, [20, 30, 40, 10]),
        (20, 2, [10, 30, 20, 40]),
        (20, 1, [10, 20, 30, 40]),
        (10, 99, [20, 30, 40, 10]),
        (40, -5, [40, 10, 20, 30]),
    ],
)
def test_reorder(moved, index, expected):
    assert reorder([10, 20, 30, 40], moved, index) == expected


def test_reorder_errors():
    with pytest.raises(ValidationError):
        reorder([10, 20], 99, 0)
    with pytest.raises(ValidationError):
        reorder([10, 10, 20], 10, 0)
