"""Advert content checks: each rule tripped on its own, and a complete advert passing."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from recruit_app.domain.advert_rules import check_advert, grade_level
from recruit_app.domain.advert_sections import suggested_wording
from recruit_app.readmodels import (
    STANDARD_SECTIONS,
    AdvertCriterionView,
    AdvertDocument,
    PayZone,
    StageSummary,
)

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def complete() -> AdvertDocument:
    doc = _bare()
    # Every standard section, in Recruit's suggested words (which agree with each other).
    return replace(doc, **{key: suggested_wording(key, doc) for key, _h in STANDARD_SECTIONS})


def _bare() -> AdvertDocument:
    return AdvertDocument(
        organisation="Home Office",
        reference="283922",
        title="Software Developer",
        grade="Senior Executive Officer",
        pay_zones=(PayZone("National", 39000, 42900), PayZone("London", 43000, 47300)),
        posts=2,
        locations=("Glasgow", "Sheffield"),
        summary="Build public services.",
        job_description="You will build and run services.",
        responsibilities="Write code\nReview code",
        benefits="Pension",
        selection_process="CV sift, then an interview.",
        opens_at=NOW - timedelta(days=1),
        closes_at=NOW + timedelta(days=14),
        contact_email="team@example.gov.uk",
        about_organisation="We run the border.",
        how_to_apply="Apply online with a CV.",
        terms_and_conditions="Permanent; civil service pension.",
        criteria=(
            AdvertCriterionView("EXP1", "Back-end development", "EXP", True, lead=True),
            AdvertCriterionView("DECIDE", "Making Effective Decisions", "BEH", True, level=3),
            AdvertCriterionView("PROG", "Programming", "TEC", False, level=4),
        ),
        stages=(
            StageSummary("CV sift", "sift", criteria=("EXP1",), starts_on=date(2026, 12, 1)),
            StageSummary("Interview", "panel_interview", criteria=("DECIDE", "PROG")),
        ),
    )


def found(doc, published=False):
    return [
        (f.severity, f.kind, f.field, f.message)
        for f in check_advert(doc, now=NOW, published=published)
    ]


def test_a_complete_advert_passes():
    assert found(complete()) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"title": ""}, ("error", "required", "title", "Give the advert a title.")),
        ({"grade": " "}, ("error", "required", "grade", "Give the grade of the post.")),
        ({"summary": ""}, ("error", "required", "summary", "The job summary is empty.")),
        ({"locations": ()}, ("error", "required", "locations", "Give at least one location.")),
        (
            {"contact_email": ""},
            ("error", "required", "contact_email", "Give a contact e-mail address for applicants."),
        ),
        (
            {"pay_zones": ()},
            ("error", "required", "pay_zones", "Give the salary for at least one pay zone."),
        ),
        (
            {"pay_zones": (PayZone("London", 47300, 43000),)},
            (
                "error",
                "salary",
                "pay_zones",
                "London: the minimum £47,300 is above the maximum £43,000.",
            ),
        ),
        ({"closes_at": None}, ("error", "required", "closes_at", "Set the closing date and time.")),
        (
            {"closes_at": NOW - timedelta(minutes=1)},
            (
                "error",
                "closing-date",
                "closes_at",
                "The closing date is in the past; set a later one before publishing.",
            ),
        ),
        (
            {"opens_at": NOW + timedelta(days=20)},
            (
                "error",
                "closing-date",
                "opens_at",
                "The advert opens after it closes; check both dates.",
            ),
        ),
        (
            {"selection_process": ""},
            ("warning", "recommended", "selection_process", "Say how candidates will be assessed."),
        ),
    ],
)
def test_each_rule(change, expected):
    assert found(replace(complete(), **change)) == [expected]


def test_no_essential_criterion_is_an_error():
    doc = complete()
    doc = replace(doc, criteria=tuple(replace(c, essential=False) for c in doc.criteria))
    assert found(doc) == [
        (
            "error",
            "criteria",
            "criteria",
            "Add at least one essential criterion: candidates are judged against them.",
        )
    ]


def test_behaviour_level_that_does_not_fit_the_grade_is_a_warning():
    doc = complete()
    criteria = (doc.criteria[0], replace(doc.criteria[1], level=4), doc.criteria[2])
    assert found(replace(doc, criteria=criteria)) == [
        (
            "warning",
            "level",
            "criteria",
            "Making Effective Decisions is at level 4, but Senior Executive Officer posts are "
            "usually assessed at level 3.",
        )
    ]
    # Technical skills are not tied to grades; local grades are not checked at all.
    assert found(replace(doc, grade="KR8", criteria=criteria)) == []


def test_lead_criterion_not_assessed_first_is_a_warning():
    doc = complete()
    stages = (
        StageSummary("CV sift", "sift", criteria=("PROG",)),
        StageSummary("Interview", "panel_interview", criteria=("EXP1",)),
    )
    assert found(replace(doc, stages=stages)) == [
        (
            "warning",
            "lead",
            "criteria",
            "The lead criterion (Back-end development) is not assessed at the first scoring stage, "
            "CV sift.",
        )
    ]
    assert found(replace(doc, stages=())) == [
        (
            "warning",
            "lead",
            "criteria",
            "No stage assesses the lead criterion (Back-end development) yet.",
        )
    ]


def test_a_published_advert_may_have_closed():
    closed = replace(
        complete(), opens_at=NOW - timedelta(days=30), closes_at=NOW - timedelta(days=3)
    )
    assert found(closed, published=True) == []


def test_too_many_behaviours():
    many = tuple(
        AdvertCriterionView(f"B{n}", f"Behaviour {n}", "BEH", True, level=3) for n in range(9)
    )
    doc = replace(complete(), criteria=(complete().criteria[0], *many))
    assert (
        "warning",
        "criteria",
        "criteria",
        "The advert asks for 9 behaviours; keep it to 8 or fewer.",
    ) in found(doc)


@pytest.mark.parametrize(
    ("grade", "level"),
    [
        ("Senior Executive Officer", 3),
        ("SEO", 3),
        ("Executive Officer", 2),
        ("HEO", 3),
        ("Grade 7", 4),
        ("Grade 6 (G6)", 4),
        ("Administrative Officer", 1),
        ("Deputy Director (SCS pay band 1)", 5),
        ("KR8", None),
        ("B2", None),
    ],
)
def test_grade_levels(grade, level):
    assert grade_level(grade) == level
