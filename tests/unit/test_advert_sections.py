"""The sections every real pack carries: asked for by the checker, suggested by Recruit."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from recruit_app.domain.advert_rules import check_advert
from recruit_app.domain.advert_sections import MINIMUM_CRITERIA, suggested_wording
from recruit_app.readmodels import (
    REQUIRED_PACK_SECTIONS,
    STANDARD_SECTIONS,
    AdvertDocument,
    StageSummary,
)
from tests.unit.test_advert_rules import NOW, complete


def findings(doc: AdvertDocument) -> list[tuple[str, str, str]]:
    return [(f.severity, f.kind, f.field) for f in check_advert(doc, now=NOW, published=False)]


def test_the_standard_sections_are_those_of_the_real_packs():
    assert [heading for _key, heading in STANDARD_SECTIONS] == [
        "When you will hear from us",
        "Feedback",
        "Reasonable adjustments",
        "Disability Confident scheme",
        "Redeployment Interview Scheme",
        "Expenses",
        "Security checks",
        "Nationality requirements",
        "Recruitment principles",
        "Complaints",
    ]


@pytest.mark.parametrize(("key", "heading"), STANDARD_SECTIONS)
def test_the_checker_asks_for_each_standard_section(key, heading):
    doc = replace(complete(), **{key: "  "})
    found = check_advert(doc, now=NOW, published=False)
    assert [(f.severity, f.kind, f.field) for f in found] == [("warning", "section", key)]
    assert found[0].message.startswith(f"The {heading} section is empty")


@pytest.mark.parametrize(("key", "heading"), REQUIRED_PACK_SECTIONS)
def test_publishing_needs_each_section_the_pack_needs(key, heading):
    assert findings(replace(complete(), **{key: ""})) == [("error", "required", key)]


def test_the_two_interview_schemes_must_name_their_threshold_the_same_way():
    doc = replace(
        complete(),
        redeployment_statement="At-risk civil servants who meet the minimum requirements "
        "are offered an interview.",
    )
    found = [f for f in check_advert(doc, now=NOW, published=False)]
    assert [(f.kind, f.field) for f in found] == [("schemes", "redeployment_statement")]
    assert "minimum criteria against minimum requirement" in found[0].message


def test_suggested_scheme_wording_is_consistent():
    doc = complete()
    for key in ("guaranteed_interview_statement", "redeployment_statement"):
        assert MINIMUM_CRITERIA in suggested_wording(key, doc)


def test_suggested_wording_uses_the_adverts_facts():
    doc = replace(
        complete(),
        team_email="jobs@example.gov.uk",
        security_clearance="Security Check (SC)",
        offers_feedback=True,
        stages=(
            StageSummary("CV sift", "sift", criteria=("EXP1",), ends_on=date(2026, 12, 4)),
            StageSummary("Interview", "panel_interview", criteria=("DECIDE",)),
        ),
    )
    adjustments = suggested_wording("adjustments_statement", doc)
    assert "jobs@example.gov.uk before the closing date (7 December 2026)" in adjustments
    security = suggested_wording("security_statement", doc)
    # It names the level itself: the words stand alone in the builder's box too.
    assert "This post also needs Security Check (SC) clearance, which usually" in security
    assert "lived in the UK for the last 5 years" in security
    hearing = suggested_wording("hearing_back", doc).splitlines()
    assert "- CV sift: we aim to tell you the outcome by 18 December 2026." in hearing
    assert "at these stages: CV sift, Interview." in suggested_wording("feedback_statement", doc)
    complaints = suggested_wording("complaints", doc)
    assert "quoting reference 283922" in complaints and "Civil Service Commission" in complaints
    none = replace(doc, offers_feedback=False)
    assert "not able to give individual scores" in suggested_wording("feedback_statement", none)


def test_the_security_section_starts_with_the_clearance_level():
    doc = replace(complete(), security_clearance="Security Check (SC)", security_statement="")
    security = next(s for s in doc.standard_sections if s.key == "security_statement")
    assert security.heading == "Security checks"
    assert security.text == (
        "Before you can be appointed you must pass security checks at this level: "
        "Security Check (SC)."
    )
    # Written but blank stays "not written": the checker still asks for the words.
    assert ("warning", "section", "security_statement") in findings(doc)
