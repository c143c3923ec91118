"""The advert builder's use cases: template to campaign, save, publish, versions, files."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from db import library as rows
from db.models import AdvertPublication, AuditEvent, Candidate, Person, Score, StageCriterion
from recruit_app.domain.advert_rules import Finding
from recruit_app.domain.library_format import parse_framework, parse_role_template
from recruit_app.errors import ConflictError, NotFound, ValidationError
from recruit_app.services import adverts
from recruit_app.services import campaigns as campaign_svc
from recruit_app.services.adverts import CriterionRow
from recruit_app.services.campaign_files import (
    create_from_template,
    export_campaign,
    import_campaign,
)
from recruit_app.services.context import Actor, ServiceContext
from recruit_app.services.timetable import get_timetable, save_event, update_key_dates

NOW = datetime.now(UTC)

FRAMEWORK = {
    "code": "LOCAL",
    "name": "Local library",
    "criteria": [
        {
            "code": "DECIDE",
            "name": "Making Effective Decisions",
            "element": "BEH",
            "levels": [
                {
                    "level": n,
                    "title": f"Level {n}",
                    "positive_indicators": [f"Decides well at level {n}"],
                }
                for n in (1, 2, 3, 4)
            ],
        },
        {
            "code": "PROG",
            "name": "Programming/software development",
            "element": "TEC",
            "levels": [
                {
                    "level": n,
                    "title": f"Level {n} (Words)",
                    "positive_indicators": [f"Codes at level {n}", "Reviews code"],
                }
                for n in (2, 3, 4, 5, 6)
            ],
        },
    ],
}
TEMPLATE = {
    "code": "DEV",
    "title": "Software Developer",
    "grade": "Senior Executive Officer",
    "summary": "Build services that millions of people use.",
    "advert": {
        "job_description": "Write and run software.",
        "posts": 2,
        "locations": ["Glasgow", "Croydon"],
        "contract_type": "Permanent",
        "pay_zones": [{"zone": "National", "min": 39000, "max": 42900}],
        "responsibilities": "Build services\nReview code",
        "benefits": "Pension",
        "selection_process": "A CV sift, then an interview.",
    },
    "criteria": [
        {"code": "EXP1", "element": "EXP", "title": "Back-end development", "lead": True},
        {"code": "DECIDE", "framework": "LOCAL", "criterion": "DECIDE", "level": 3},
        {"code": "PROG", "framework": "LOCAL", "criterion": "PROG", "level": 4},
        {"code": "EXP2", "element": "EXP", "title": "Cloud platforms", "essential": False},
    ],
    "stages": [
        {
            "name": "CV sift",
            "kind": "sift",
            "mode": "online",
            "criteria": ["EXP1", "EXP2"],
            "pass_mark": 4,
        },
        {
            "name": "Interview",
            "kind": "video_interview",
            "mode": "video",
            "min_assessors": 3,
            "criteria": ["EXP1", "DECIDE", "PROG"],
            "pass_mark": 4,
        },
    ],
}


@pytest.fixture
def campaign(ctx):
    with ctx.db.session() as session:
        rows.upsert_framework(session, parse_framework(FRAMEWORK), builtin=True, who="Recruit")
        session.commit()
        rows.upsert_template(session, parse_role_template(TEMPLATE), builtin=True, who="Recruit")
        session.commit()
    return create_from_template(ctx, "DEV", title="Software Developer", reference="283922")


def _publishable(ctx, campaign):
    form = adverts.get_advert(ctx, campaign.id)
    return adverts.save_advert(
        ctx,
        campaign.id,
        fields={
            "closes_at": NOW + timedelta(days=14),
            "opens_at": NOW - timedelta(hours=1),
            "contact_email": "dev.jobs@example.gov.uk",
            "contact_name": "Priya Raman",
            "about_organisation": "We build the services behind the border.",
            "how_to_apply": "Apply online with a CV and a statement.",
            "terms_and_conditions": "Permanent, with a Civil Service pension.",
        },
        criteria=None,
        expected_version=form.version,
    )


def test_template_prefills_advert_criteria_and_stages(ctx, campaign):
    form = adverts.get_advert(ctx, campaign.id)
    assert form.fields["grade"] == "Senior Executive Officer"
    assert form.fields["locations"] == ["Glasgow", "Croydon"]
    assert form.fields["summary"] == "Build services that millions of people use."
    assert [(c.code, c.element, c.level, c.lead, c.framework) for c in form.criteria] == [
        ("EXP1", "EXP", None, True, ""),
        ("DECIDE", "BEH", 3, False, "LOCAL"),
        ("PROG", "TEC", 4, False, "LOCAL"),
        ("EXP2", "EXP", None, False, ""),
    ]
    assert form.criteria[2].level_range == (2, 6)
    assert [(s.name, s.criteria) for s in form.stages] == [
        ("CV sift", ("EXP1", "EXP2")),
        ("Interview", ("EXP1", "DECIDE", "PROG")),
    ]
    doc = adverts.advert_document(ctx, campaign.id)
    prog = next(c for c in doc.criteria if c.code == "PROG")
    assert prog.level_label == "Level 4 (Words)"
    assert prog.indicators == ("Codes at level 4", "Reviews code")


def test_unknown_template_is_not_found(ctx):
    with pytest.raises(NotFound, match="no role template with the code 'NOPE'"):
        create_from_template(ctx, "NOPE")


def test_save_changes_fields_and_criteria_in_one_go(ctx, campaign):
    form = adverts.get_advert(ctx, campaign.id)
    criteria = list(form.criteria)
    criteria.reverse()
    criteria[0] = replace(criteria[0], code="EXP-CLOUD", title="Cloud platforms, AWS or Azure")
    criteria.append(CriterionRow(code="EXP3", title="Agile teams", element="EXP"))
    saved = adverts.save_advert(
        ctx,
        campaign.id,
        fields={"posts": 3, "title": "Developer"},
        criteria=criteria,
        expected_version=form.version,
    )
    assert saved.fields["posts"] == 3 and saved.version == form.version + 1
    assert [c.code for c in saved.criteria] == ["EXP-CLOUD", "PROG", "DECIDE", "EXP1", "EXP3"]
    with ctx.db.session() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "advert.save")).one()
    assert event.before == {"title": "Software Developer", "posts": 2}
    assert event.after == {"title": "Developer", "posts": 3}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"contact_email": "not an email"}, "does not look like an e-mail address"),
        ({"posts": -1}, "must be a whole number from 0 to 1000"),
        ({"summary": "x" * 20_001}, "is 20,001 characters long"),
        ({"salary": 1}, "salary is not an advert field"),
        ({"pay_zones": [{"zone": "London", "min": "lots", "max": 3}]}, "whole pounds"),
        ({"closes_at": datetime(2026, 12, 1)}, "with its time zone"),
    ],
)
def test_bad_fields_are_refused_and_nothing_changes(ctx, campaign, fields, message):
    form = adverts.get_advert(ctx, campaign.id)
    with pytest.raises(ValidationError, match=message):
        adverts.save_advert(
            ctx,
            campaign.id,
            fields={"title": "Changed", **fields},
            criteria=None,
            expected_version=form.version,
        )
    assert adverts.get_advert(ctx, campaign.id) == form


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: [*c, replace(c[0], id=None)], "The code EXP1 is used by two criteria"),
        (lambda c: [replace(c[0], code=""), *c[1:]], "give a code of up to 40 characters"),
        (
            lambda c: [
                replace(c[0], lead=True, lead_rank=1),
                replace(c[1], lead=True, lead_rank=1),
                *c[2:],
            ],
            "both lead criterion 1",
        ),
        (lambda c: [*c[:2], replace(c[2], level=7), *c[3:]], "PROG: the level must be from 2 to 6"),
        (lambda c: [replace(c[0], element="XYZ"), *c[1:]], "choose the Success Profiles element"),
    ],
)
def test_bad_criteria_are_refused(ctx, campaign, change, message):
    form = adverts.get_advert(ctx, campaign.id)
    with pytest.raises(ValidationError, match=message):
        adverts.save_advert(
            ctx,
            campaign.id,
            fields={},
            criteria=change(list(form.criteria)),
            expected_version=form.version,
        )
    assert adverts.get_advert(ctx, campaign.id).criteria == form.criteria


def test_a_scored_criterion_cannot_be_removed(ctx, campaign):
    form = adverts.get_advert(ctx, campaign.id)
    with ctx.db.session() as session:
        person = Person(name="Sam", email="sam@example.org")
        candidate = Candidate(campaign_id=campaign.id, candidate_number="0001")
        session.add_all([person, candidate])
        session.flush()
        cell = session.exec(select(StageCriterion)).first()
        session.add(
            Score(
                stage_criterion_id=cell.id,
                candidate_id=candidate.id,
                assessor_id=person.id,
                value=5,
            )
        )
        session.commit()
    with pytest.raises(ValidationError, match="EXP1 already has scores, so it cannot be removed"):
        adverts.save_advert(
            ctx,
            campaign.id,
            fields={},
            criteria=list(form.criteria[1:]),
            expected_version=form.version,
        )


def test_saving_over_a_newer_advert_is_refused(database, campaign):
    alex = ServiceContext(database, Actor("Alex Manager"))
    sam = ServiceContext(database, Actor("Sam Chair"))
    form = adverts.get_advert(alex, campaign.id)
    adverts.save_advert(
        sam, campaign.id, fields={"posts": 5}, criteria=None, expected_version=form.version
    )
    with pytest.raises(ConflictError, match="The advert for 283922 was changed by Sam Chair"):
        adverts.save_advert(
            alex, campaign.id, fields={"posts": 4}, criteria=None, expected_version=form.version
        )


def test_publishing_is_refused_while_errors_remain(ctx, campaign):
    form = adverts.get_advert(ctx, campaign.id)
    with pytest.raises(ValidationError) as caught:
        adverts.publish_advert(ctx, campaign.id, expected_version=form.version)
    assert caught.value.message == (
        "The advert cannot be published yet:\n"
        "- Say something about the organisation: the pack's About us is empty.\n"
        "- Say how to apply: the pack's How to apply is empty.\n"
        "- Give the terms and conditions: the pack's section is empty.\n"
        "- Give a contact e-mail address for applicants.\n"
        "- Set the closing date and time."
    )
    assert adverts.get_advert(ctx, campaign.id).published_version == 0


def test_publish_freezes_versions_and_later_edits_make_a_new_one(ctx, campaign, tmp_path):
    form = _publishable(ctx, campaign)
    published = adverts.publish_advert(ctx, campaign.id, expected_version=form.version)
    assert published.published_version == 1 and not published.changed_since_published
    assert campaign_svc.find_campaign(ctx, "283922").status == "live"
    edited = adverts.save_advert(
        ctx,
        campaign.id,
        fields={"title": "Senior Developer"},
        criteria=None,
        expected_version=published.version,
    )
    assert edited.changed_since_published
    assert adverts.advert_document(ctx, campaign.id, published=True).title == "Software Developer"
    assert adverts.advert_document(ctx, campaign.id).title == "Senior Developer"
    second = adverts.publish_advert(ctx, campaign.id, expected_version=edited.version)
    assert second.published_version == 2
    with ctx.db.session() as session:
        snapshots = session.exec(select(AdvertPublication).order_by(AdvertPublication.number))
        titles = [p.snapshot["document"]["title"] for p in snapshots]
        actions = [e.action for e in session.exec(select(AuditEvent).order_by(AuditEvent.id))]
    assert titles == ["Software Developer", "Senior Developer"]
    assert actions.count("advert.publish") == 2
    text = adverts.export_advert(ctx, campaign.id, tmp_path / "advert.txt", "txt").read_text()
    assert text.startswith("SENIOR DEVELOPER\n") and "Reference 283922" in text


def test_campaign_definition_round_trip_is_exact(ctx, campaign, tmp_path):
    _publishable(ctx, campaign)
    first = export_campaign(ctx, "283922", tmp_path / "first.json")
    copy = import_campaign(ctx, first, reference="COPY-1")
    assert copy.status == "draft"
    second = export_campaign(ctx, "COPY-1", tmp_path / "second.json")
    one, two = json.loads(first.read_text()), json.loads(second.read_text())
    assert two.pop("reference") == "COPY-1" and one.pop("reference") == "283922"
    assert one == two
    assert one["criteria"][1]["library"] == {"framework": "LOCAL", "criterion": "DECIDE"}
    assert one["stages"][1]["criteria"] == [
        {"code": "EXP1", "weight": 1.0, "pass_mark": 4},
        {"code": "DECIDE", "weight": 1.0, "pass_mark": 4},
        {"code": "PROG", "weight": 1.0, "pass_mark": 4},
    ]


def test_campaign_definition_carries_the_timetable_exactly(ctx, campaign, tmp_path):
    key_dates = get_timetable(ctx, campaign.id)
    update_key_dates(
        ctx,
        campaign.id,
        region="northern-ireland",
        decisions_on=date(2027, 7, 9),
        expected_start_on=date(2027, 9, 6),
        expected_version=key_dates.version,
    )
    save_event(
        ctx,
        campaign.id,
        title="Assessment centre",
        starts_on=date(2027, 6, 21),
        ends_on=date(2027, 6, 25),
        note="Belfast, Room 4\nBring photo ID",
    )
    save_event(
        ctx, campaign.id, title="Information event, 12:00 to 13:00", starts_on=date(2027, 5, 5)
    )
    first = export_campaign(ctx, "283922", tmp_path / "first.json")
    one = json.loads(first.read_text())
    assert one["timetable"] == {
        "holiday_region": "northern-ireland",
        "decisions_on": "2027-07-09",
        "expected_start_on": "2027-09-06",
        "events": [
            {
                "title": "Information event, 12:00 to 13:00",
                "starts_on": "2027-05-05",
                "ends_on": None,
                "note": "",
            },
            {
                "title": "Assessment centre",
                "starts_on": "2027-06-21",
                "ends_on": "2027-06-25",
                "note": "Belfast, Room 4\nBring photo ID",
            },
        ],
    }
    copy = import_campaign(ctx, first, reference="COPY-2")
    imported = get_timetable(ctx, copy.id)
    assert (imported.region, imported.decisions_on, imported.expected_start_on) == (
        "northern-ireland",
        date(2027, 7, 9),
        date(2027, 9, 6),
    )
    assert [(e.title, e.starts_on, e.ends_on, e.note) for e in imported.events] == [
        ("Information event, 12:00 to 13:00", date(2027, 5, 5), None, ""),
        (
            "Assessment centre",
            date(2027, 6, 21),
            date(2027, 6, 25),
            "Belfast, Room 4\nBring photo ID",
        ),
    ]
    two = json.loads(export_campaign(ctx, "COPY-2", tmp_path / "second.json").read_text())
    assert two.pop("reference") == "COPY-2" and one.pop("reference") == "283922"
    assert one == two
    # A file from before the timetable was carried gets the defaults.
    del one["timetable"]
    older = tmp_path / "older.json"
    older.write_text(json.dumps(one))
    plain = get_timetable(ctx, import_campaign(ctx, older, reference="COPY-3").id)
    assert (plain.region, plain.decisions_on, plain.expected_start_on, plain.events) == (
        "england-and-wales",
        None,
        None,
        (),
    )


@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        (lambda d: d.update(format="other"), "is not a Recruit campaign file"),
        (
            lambda d: d.update(colour="red"),
            r"The campaign: colour is not something a campaign file can hold \(colour\)",
        ),
        (
            lambda d: d["timetable"].update(colour="red"),
            "The timetable: colour is not something a campaign file can hold "
            r"\(timetable.colour\)",
        ),
        (
            lambda d: d["timetable"]["events"].append(
                {"title": "Fair", "starts_on": "2027-05-05", "room": "4"}
            ),
            r"Timetable event 'Fair': room is not something a campaign file can hold",
        ),
        (
            lambda d: d["timetable"].update(holiday_region="wales"),
            r"The timetable: 'wales' is not a bank holiday region",
        ),
        (
            lambda d: d["timetable"].update(decisions_on="next week"),
            r"'next week' is not a date written YYYY-MM-DD \(timetable.decisions_on\)",
        ),
        (
            lambda d: d["timetable"].update(expected_start_on=20270906),
            r"the expected start date must be a date written YYYY-MM-DD, not 20270906",
        ),
        (
            lambda d: d["timetable"]["events"].append(
                {"title": "Fair", "starts_on": "2027-05-05", "ends_on": "2027-05-04"}
            ),
            r"Timetable event 'Fair': the event ends before it starts "
            r"\(timetable.events\[0\].ends_on\)",
        ),
        (
            lambda d: d["timetable"]["events"].append({"title": "  ", "starts_on": "2027-05-05"}),
            r"give the event a title of up to 200 characters \(timetable.events\[0\].title\)",
        ),
        (
            lambda d: d["timetable"]["events"].append({"title": "Fair"}),
            r"the start date is missing \(timetable.events\[0\].starts_on\)",
        ),
        (
            lambda d: d["criteria"].append(dict(d["criteria"][0])),
            "the code EXP1 is used by two criteria",
        ),
        (
            lambda d: d["stages"][0]["criteria"].append({"code": "GHOST"}),
            "'GHOST' is not one of the campaign's criteria",
        ),
        (lambda d: d["advert"].update(closes_at="next week"), "is not a date and time"),
        (
            lambda d: d["stages"][0].update(min_assessors="two"),
            "minimum number of assessors must be a whole number, not 'two'",
        ),
        (lambda d: d["stages"][0].update(kind="party"), "'party' is not a kind of stage"),
        (
            lambda d: d["criteria"][0].update(level=42),
            "Criterion EXP1: the level must be from 1 to 9",
        ),
    ],
)
def test_malformed_campaign_files_add_nothing(ctx, campaign, tmp_path, mangle, message):
    path = export_campaign(ctx, "283922", tmp_path / "c.json")
    data = json.loads(path.read_text())
    mangle(data)
    path.write_text(json.dumps(data))
    before = campaign_svc.list_campaigns(ctx)
    with pytest.raises(ValidationError, match=message):
        import_campaign(ctx, path, reference="BROKEN")
    assert campaign_svc.list_campaigns(ctx) == before


# --- a closing day off: the advert checker and the timetable say the same ----------------


@pytest.mark.parametrize(
    ("closes_at", "message"),
    [
        (
            datetime(2027, 5, 2, 22, 55, tzinfo=UTC),  # 23:55 BST on a Sunday
            "Sunday 2 May 2027 falls at a weekend, and the advert closes that day.",
        ),
        (
            datetime(2027, 5, 3, 22, 55, tzinfo=UTC),  # 23:55 BST on the early May bank holiday
            "Monday 3 May 2027 is a bank holiday (Early May bank holiday), and the advert "
            "closes that day.",
        ),
    ],
)
def test_a_closing_day_off_is_flagged_by_the_checker_and_the_timetable_alike(
    ctx, campaign, closes_at, message
):
    form = adverts.get_advert(ctx, campaign.id)
    saved = adverts.save_advert(
        ctx,
        campaign.id,
        fields={"closes_at": closes_at},
        criteria=None,
        expected_version=form.version,
    )
    expected = [Finding("warning", "non-working-day", "closes_at", message)]
    checked = adverts.check_campaign_advert(ctx, campaign.id, now=datetime(2027, 4, 1, tzinfo=UTC))
    preview = adverts.preview_advert(
        saved,
        organisation="Home Office",
        fields={},
        criteria=list(saved.criteria),
        now=datetime(2027, 4, 1, tzinfo=UTC),
    )
    timetable = get_timetable(ctx, campaign.id).findings
    assert [f for f in checked if f.kind == "non-working-day"] == expected
    assert [f for f in preview.findings if f.kind == "non-working-day"] == expected
    assert [f for f in timetable if f.kind == "non-working-day"] == expected


def test_the_closing_day_is_checked_against_the_campaigns_own_bank_holidays(ctx, campaign):
    # St Andrew's Day, Monday 30 November 2026, is a bank holiday in Scotland only.
    form = adverts.get_advert(ctx, campaign.id)
    saved = adverts.save_advert(
        ctx,
        campaign.id,
        fields={"closes_at": datetime(2026, 11, 30, 23, 55, tzinfo=UTC)},
        criteria=None,
        expected_version=form.version,
    )
    now = datetime(2026, 11, 1, tzinfo=UTC)

    def flagged():
        checked = adverts.check_campaign_advert(ctx, campaign.id, now=now)
        form = adverts.get_advert(ctx, campaign.id)
        preview = adverts.preview_advert(
            form, organisation="", fields={}, criteria=list(form.criteria), now=now
        ).findings
        return [
            [f.message for f in found if f.kind == "non-working-day"]
            for found in (checked, preview)
        ]

    assert flagged() == [[], []]
    key_dates = get_timetable(ctx, campaign.id)
    update_key_dates(
        ctx,
        campaign.id,
        region="scotland",
        decisions_on=None,
        expected_start_on=None,
        expected_version=key_dates.version,
    )
    words = "Monday 30 November 2026 is a bank holiday (St Andrew's Day), and the advert closes "
    assert flagged() == [[words + "that day."]] * 2
    assert saved.fields["closes_at"] == datetime(2026, 11, 30, 23, 55, tzinfo=UTC)
