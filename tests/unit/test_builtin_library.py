"""The library that ships with Recruit: complete, consistent and usable as it stands."""

from __future__ import annotations

import pytest

from recruit_app.domain.advert_rules import grade_level
from recruit_app.domain.library_format import resolve_template
from recruit_app.library import builtin

FRAMEWORKS = {f.code: f for f in builtin.frameworks()}
TEMPLATES = {t.code: t for t in builtin.templates()}


def test_the_expected_frameworks_ship():
    assert set(FRAMEWORKS) == {"SP-BEH", "SP-STR", "CSCF", "SFIA", "DDAT", "EXP-QUAL"}


def test_success_profiles_behaviours():
    behaviours = FRAMEWORKS["SP-BEH"]
    assert [c.name for c in behaviours.criteria] == [
        "Seeing the Big Picture",
        "Changing and Improving",
        "Making Effective Decisions",
        "Leadership",
        "Communicating and Influencing",
        "Working Together",
        "Developing Self and Others",
        "Managing a Quality Service",
        "Delivering at Pace",
    ]
    for criterion in behaviours.criteria:
        assert criterion.element == "BEH" and criterion.level_range == (1, 6)
        assert all(level.positive_indicators for level in criterion.levels)
    assert behaviours.criteria[0].level(2).grades == "Executive Officer"
    assert behaviours.criteria[0].level(4).grades == "Grade 7, Grade 6"


def test_the_civil_service_competency_framework():
    cscf = FRAMEWORKS["CSCF"]
    clusters = {}
    for criterion in cscf.criteria:
        clusters.setdefault(criterion.cluster, []).append(criterion.code)
        for number in (3, 4):
            level = criterion.level(number)
            assert level.positive_indicators and level.negative_indicators
    assert clusters == {
        "Setting Direction": ["SBP", "CI", "MED"],
        "Engaging People": ["LC", "CP", "BCA"],
        "Delivering Results": ["ACO", "DVM", "MQS", "DAP"],
    }


@pytest.mark.parametrize(
    ("code", "name", "levels"),
    [
        ("PROG", "Programming/software development", (2, 6)),
        ("SWDN", "Software design", (2, 6)),
        ("TEST", "Testing", (1, 6)),
        # SFIA 8 moved data management's levels 2 and 3 to data engineering (DENG).
        ("DATM", "Data management", (4, 6)),
        ("SINT", "Systems integration and build", (2, 6)),
        ("ASUP", "Application support", (2, 5)),
    ],
)
def test_the_sfia_skills_the_seed_adverts_ask_for(code, name, levels):
    skill = FRAMEWORKS["SFIA"].criterion(code)
    assert (skill.name, skill.element, skill.level_range) == (name, "TEC", levels)
    assert skill.level(4).title == "Level 4 (Enable)"


# Each skill only at the levels SFIA 8 defines for it, and at every one of them.
SFIA_8_LEVELS = {
    "PROG": (2, 3, 4, 5, 6),
    "SWDN": (2, 3, 4, 5, 6),
    "TEST": (1, 2, 3, 4, 5, 6),
    "DATM": (4, 5, 6),
    "SINT": (2, 3, 4, 5, 6),
    "ASUP": (2, 3, 4, 5),
    "RELM": (3, 4, 5, 6),
    "CFMG": (2, 3, 4, 5, 6),
    "ITOP": (1, 2, 3, 4, 5),
    "SCAD": (1, 2, 3, 4, 5, 6),
    "HCEV": (3, 4, 5, 6),
    "USEV": (2, 3, 4, 5, 6),
    "URCH": (3, 4, 5, 6),
    "BUSA": (3, 4, 5, 6),
    "REQM": (2, 3, 4, 5, 6),
    "PRMG": (4, 5, 6, 7),
    "METL": (3, 4, 5, 6),
}


def test_sfia_skills_have_the_levels_their_edition_defines():
    sfia = FRAMEWORKS["SFIA"]
    assert sfia.edition == "8"
    assert {c.code: tuple(lv.level for lv in c.levels) for c in sfia.criteria} == SFIA_8_LEVELS


def test_ddat_skills_use_the_four_capability_levels():
    for skill in FRAMEWORKS["DDAT"].criteria:
        assert [lv.title for lv in skill.levels] == [
            "Awareness",
            "Working",
            "Practitioner",
            "Expert",
        ]


def test_strengths_are_a_starter_set_of_known_names():
    names = {c.name for c in FRAMEWORKS["SP-STR"].criteria}
    assert {"Adaptable", "Analytical", "Resilient", "Service Focussed", "Team Leader"} <= names


def test_questions_point_at_real_criteria_and_levels():
    questions = builtin.questions()
    assert len(questions) > 200
    for question in questions:
        criterion = FRAMEWORKS[question.framework].criterion(question.criterion)
        assert criterion is not None, question
        assert question.level is None or criterion.level(question.level) is not None


def test_role_templates_for_every_seed_role():
    assert {
        "DDAT-DEV-SEO",
        "DVLA-DEVTEST",
        "DVLA-IXD",
        "DVLA-WEBOPS",
        "DVLA-BA",
        "DVLA-DM",
        "HO-HRBP-G7",
        "KCC-GRAD-DEVOPS",
    } <= set(TEMPLATES)


@pytest.mark.parametrize("code", sorted(TEMPLATES))
def test_every_template_is_consistent(code):
    template = resolve_template(TEMPLATES[code], FRAMEWORKS)
    assessed = {c for stage in template.stages for c in stage.criteria}
    essential = {c.code for c in template.criteria if c.essential}
    assert essential <= assessed, "every essential criterion is assessed at some stage"
    leads = [c.code for c in template.criteria if c.lead]
    assert all(lead in assessed for lead in leads), "every lead criterion is assessed"
    # A pre-sift on the lead criteria needs one the first scoring stage assesses; later
    # leads (the Home Office's two lead competencies) break ties where they are scored.
    first_scoring = next(stage for stage in template.stages if stage.criteria)
    assert not leads or any(lead in first_scoring.criteria for lead in leads)
    expected = grade_level(template.grade)
    for criterion in template.criteria:
        if criterion.element == "BEH" and expected is not None:
            assert criterion.level == expected, (criterion.code, template.grade)
    assert template.summary and template.advert.get("job_description")


def test_the_fingerprint_is_stable():
    assert builtin.fingerprint() == builtin.fingerprint()
    assert len(builtin.fingerprint()) == 64
