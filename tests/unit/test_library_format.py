"""The library exchange formats: parsing, validation messages and exact round trips."""

from __future__ import annotations

import re

import pytest

from recruit_app.domain.library_format import (
    FrameworkDef,
    framework_from_rows,
    framework_to_dict,
    framework_to_rows,
    parse_framework,
    parse_questions,
    parse_role_template,
    resolve_template,
    role_template_to_dict,
    template_from_rows,
    template_to_rows,
)
from recruit_app.errors import ValidationError


def framework_data(**changes):
    data = {
        "format": "recruit-framework/1",
        "code": "LOCAL-BEH",
        "name": "Local behaviours",
        "edition": "2026",
        "description": "Our own list & notes <b>",
        "criteria": [
            {
                "code": "TEAM",
                "name": "Working Together",
                "element": "BEH",
                "cluster": "People",
                "description": "Works well with others.",
                "levels": [
                    {
                        "level": 1,
                        "title": "Level 1",
                        "grades": "AA, AO",
                        "description": "Basics",
                        "positive_indicators": ["Shares information", "Asks for help"],
                        "negative_indicators": ["Works alone"],
                    },
                    {
                        "level": 2,
                        "title": "Level 2",
                        "grades": "EO",
                        "positive_indicators": ["Builds links, “across teams”"],
                    },
                ],
            },
            {"code": "EXP-CLOUD", "name": "Cloud platforms", "element": "EXP", "levels": []},
        ],
    }
    data.update(changes)
    return data


def test_framework_json_round_trip_is_exact():
    definition = parse_framework(framework_data())
    assert framework_to_dict(definition) == framework_to_dict(
        parse_framework(framework_to_dict(definition))
    )
    assert definition.criterion("TEAM").level_range == (1, 2)
    assert definition.criterion("EXP-CLOUD").level_range is None


def test_framework_csv_round_trip_is_exact():
    definition = parse_framework(framework_data())
    rows = framework_to_rows(definition)
    assert len(rows) == 3  # two levels of TEAM, one level-less row for EXP-CLOUD
    assert rows[0]["positive_indicators"] == "Shares information\nAsks for help"
    assert framework_from_rows(rows) == definition


def test_empty_framework_round_trips_through_csv():
    empty = FrameworkDef(code="EMPTY", name="Nothing yet")
    assert framework_from_rows(framework_to_rows(empty)) == empty


@pytest.mark.parametrize(
    ("change", "message", "field"),
    [
        ({"code": ""}, "code must not be empty", "code"),
        ({"code": "has space"}, "may hold letters, digits", "code"),
        ({"name": "   "}, "name must not be empty", "name"),
        ({"criteria": "nope"}, "criteria must be a list", "criteria"),
        (
            {"criteria": [{"code": "A", "name": "A", "element": "XYZ"}]},
            "'XYZ' is not one of ABI, BEH, STR, EXP, TEC",
            "criteria[0].element",
        ),
        (
            {"criteria": [{"code": "A", "name": "A", "element": "BEH", "levels": []}]},
            "A (Behaviours) has no levels",
            "criteria[0].levels",
        ),
        (
            {
                "criteria": [
                    {
                        "code": "A",
                        "name": "A",
                        "element": "BEH",
                        "levels": [{"level": 1}, {"level": 3}],
                    }
                ]
            },
            "missing level 2",
            "criteria[0].levels",
        ),
        (
            {"criteria": [{"code": "A", "name": "A", "element": "BEH", "levels": [{"level": 12}]}]},
            "is 12; it must be between 1 and 9",
            "criteria[0].levels[0].level",
        ),
        (
            {
                "criteria": [
                    {
                        "code": "A",
                        "name": "A",
                        "element": "BEH",
                        "levels": [{"level": 1}, {"level": 1}],
                    }
                ]
            },
            "has level 1 twice",
            "criteria[0].levels",
        ),
        (
            {
                "criteria": [
                    {"code": "A", "name": "A", "element": "EXP"},
                    {"code": "a", "name": "B", "element": "EXP"},
                ]
            },
            "'a' is used twice",
            "criteria[1].code",
        ),
        (
            {"criteria": [{"code": "A", "name": "", "element": "EXP"}]},
            "criteria[0].name must not be empty",
            "criteria[0].name",
        ),
        ({"format": "something-else/9"}, "needs 'recruit-framework/1'", "format"),
    ],
)
def test_framework_errors_name_the_field(change, message, field):
    with pytest.raises(ValidationError, match=re.escape(message)) as caught:
        parse_framework(framework_data(**change))
    assert caught.value.field == field


def test_csv_errors_name_the_line_and_column():
    rows = framework_to_rows(parse_framework(framework_data()))
    rows[1]["level"] = "two"
    with pytest.raises(ValidationError, match="Line 3, column level: 'two' is not a whole"):
        framework_from_rows(rows)
    rows[1]["level"] = "5"
    with pytest.raises(ValidationError, match="Line 2: TEAM has levels 1 to 5 but is missing"):
        framework_from_rows(rows)
    rows[1]["level"] = "2"
    rows[2]["framework_name"] = "Another"
    with pytest.raises(ValidationError, match="Line 4, column framework_name: every row"):
        framework_from_rows(rows, lines=[2, 3, 4])
    with pytest.raises(ValidationError, match="Line 9, column framework_name"):
        framework_from_rows(rows, lines=[2, 5, 9])


def template_data(**changes):
    data = {
        "format": "recruit-role-template/1",
        "code": "DEV-SEO",
        "title": "Developer",
        "grade": "Senior Executive Officer",
        "summary": "Builds services.",
        "advert": {
            "posts": 2,
            "locations": ["Glasgow", "Sheffield"],
            "pay_zones": [{"zone": "National", "min": 39000, "max": 42900}],
            "benefits": "Pension\nLeave",
        },
        "criteria": [
            {"code": "EXP1", "element": "EXP", "title": "Back-end development", "lead": True},
            {"code": "TEAM", "framework": "LOCAL-BEH", "criterion": "TEAM", "level": 2},
            {"code": "EXP2", "element": "EXP", "title": "Cloud", "essential": False, "weight": 0.5},
        ],
        "stages": [
            {
                "name": "Sift",
                "kind": "sift",
                "mode": "online",
                "criteria": ["EXP1", "EXP2"],
                "pass_mark": 4,
            },
            {
                "name": "Interview",
                "kind": "panel_interview",
                "mode": "video",
                "min_assessors": 3,
                "criteria": ["TEAM", "EXP1"],
            },
        ],
    }
    data.update(changes)
    return data


def test_template_round_trips_through_json_and_csv():
    template = parse_role_template(template_data())
    assert template.stages[0].name_blind is True  # sifts are name-blind unless told
    assert parse_role_template(role_template_to_dict(template)) == template
    assert template_from_rows(template_to_rows(template)) == template


def test_template_resolution_fills_from_the_library_and_checks_levels():
    library = {"LOCAL-BEH": parse_framework(framework_data())}
    resolved = resolve_template(parse_role_template(template_data()), library)
    team = resolved.criteria[1]
    assert (team.element, team.title) == ("BEH", "Working Together")
    bad = template_data()
    bad["criteria"][1]["level"] = 4
    with pytest.raises(ValidationError, match="defined at levels 1 to 2, not 4"):
        resolve_template(parse_role_template(bad), library)
    bad["criteria"][1]["criterion"] = "NOPE"
    with pytest.raises(ValidationError, match="LOCAL-BEH 'NOPE', which that framework"):
        resolve_template(parse_role_template(bad), library)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"stages": [{"name": "Sift", "criteria": ["GHOST"]}]}, "names GHOST, which the template"),
        ({"stages": [{"name": "Sift", "kind": "party"}]}, "'party' is not a known kind"),
        ({"advert": {"salary": 10}}, "advert.salary is not an advert field"),
        (
            {"advert": {"pay_zones": [{"zone": "London", "min": 50000, "max": 40000}]}},
            "minimum is above the maximum",
        ),
        (
            {
                "criteria": [
                    {"code": "A", "element": "EXP", "title": "a", "lead": True, "lead_rank": 1},
                    {"code": "B", "element": "EXP", "title": "b", "lead": True, "lead_rank": 1},
                ],
                "stages": [],
            },
            r"criteria\[1\].lead_rank: A and B are both lead criterion 1",
        ),
        (
            {"criteria": [{"code": "A", "element": "EXP", "title": "a", "lead_rank": 2}]},
            r"criteria\[0\].lead_rank: A is not a lead criterion",
        ),
        ({"criteria": [{"code": "A", "framework": "SFIA"}]}, "give both framework and criterion"),
    ],
)
def test_template_errors(change, message):
    with pytest.raises(ValidationError, match=message):
        parse_role_template(template_data(**change))


def test_template_csv_errors_give_the_line():
    rows = template_to_rows(parse_role_template(template_data()))
    crit = next(i for i, r in enumerate(rows) if r["record"] == "criterion")
    rows[crit]["essential"] = "perhaps"
    with pytest.raises(ValidationError, match=rf"Line {crit + 2}, column essential: 'perhaps'"):
        template_from_rows(rows)
    rows[crit]["essential"] = "yes"
    rows[crit]["element"] = "ZZZ"
    with pytest.raises(ValidationError, match=rf"Line {crit + 2}: criteria\[0\].element 'ZZZ'"):
        template_from_rows(rows)


def test_questions():
    questions = parse_questions(
        {
            "format": "recruit-questions/1",
            "questions": [
                {
                    "framework": "SP-BEH",
                    "criterion": "TEAM",
                    "level": 3,
                    "text": "Tell me about...",
                    "probes": ["What did you do?"],
                }
            ],
        }
    )
    assert questions[0].probes == ("What did you do?",)
    with pytest.raises(ValidationError, match=r"questions\[0\].text must not be empty"):
        parse_questions({"questions": [{"framework": "A", "criterion": "B", "text": ""}]})
