"""Stages, the assessment matrix, panels and the timetable, on real databases."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from db.models import AuditEvent, Candidate, Person, Score, StageCriterion
from recruit_app.errors import ConflictError, ValidationError
from recruit_app.services import stages as svc
from recruit_app.services import timetable as tt
from recruit_app.services.campaign_files import create_from_template
from recruit_app.services.context import Actor, ServiceContext


@pytest.fixture
def campaign(ctx):
    return create_from_template(ctx, "DDAT-DEV-SEO", title="Developer", reference="DEV-1")


def _people(ctx, *names):
    with ctx.db.session() as session:
        people = [Person(name=n, email=f"{n.split()[0].lower()}@example.org") for n in names]
        session.add_all(people)
        session.commit()
        return [p.id for p in people]


def test_template_stages_and_matrix(ctx, campaign):
    overview = svc.stages_overview(ctx, campaign.id)
    assert [(s.name, s.kind, s.name_blind) for s in overview.stages] == [
        ("CV sift", "sift", True),
        ("Technical exercise", "technical_exercise", False),
        ("Video interview", "video_interview", False),
    ]
    assert [c.code for c in overview.stages[1].cells] == ["PROG", "SWDN", "TEST"]
    assert overview.stages[0].cells[0].pass_mark == 4
    # No panels yet: each scoring stage is flagged, nothing else.
    assert [(f.severity, f.message) for f in overview.findings] == [
        ("warning", f"{name} has no panel yet; add at least two people.")
        for name in ("CV sift", "Technical exercise", "Video interview")
    ]


def test_add_update_move_remove(ctx, campaign):
    added = svc.add_stage(ctx, campaign.id, name="Presentation", kind="presentation")
    assert (added.position, added.mode, added.min_assessors, added.name_blind) == (
        3,
        "in_person",
        3,
        False,
    )
    changed = svc.update_stage(
        ctx,
        added.id,
        {
            "starts_on": date(2027, 1, 11),
            "ends_on": date(2027, 1, 12),
            "scale": "zero3",
            "progress_rule": "top_n",
            "progress_count": 2,
            "location": "Room 3.14, 2 Marsham St",
        },
        expected_version=added.version,
    )
    assert (changed.scale, changed.progress_count, changed.location) == (
        "zero3",
        2,
        "Room 3.14, 2 Marsham St",
    )
    moved = svc.move_stage(ctx, added.id, 0)
    assert [s.name for s in moved.stages] == [
        "Presentation",
        "CV sift",
        "Technical exercise",
        "Video interview",
    ]
    assert [s.position for s in moved.stages] == [0, 1, 2, 3]
    after = svc.remove_stage(ctx, added.id, expected_version=moved.stages[0].version)
    assert [s.position for s in after.stages] == [0, 1, 2]
    with ctx.db.session() as session:
        actions = [
            e.action for e in session.exec(select(AuditEvent).where(AuditEvent.entity == "stage"))
        ]
    assert actions == ["stage.add", "stage.update", "stage.move", "stage.remove"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": " "}, "name", "Give the stage a name."),
        ({"name": "CV sift"}, "name", "already has a stage called CV sift"),
        ({"kind": "party"}, "kind", "'party' is not a kind of stage."),
        (
            {"starts_on": date(2027, 2, 2), "ends_on": date(2027, 2, 1)},
            "ends_on",
            "ends before it starts",
        ),
        ({"min_assessors": 0}, "min_assessors", "from 1 to 20"),
        ({"progress_rule": "top_n"}, "progress_count", "Say how many candidates progress."),
        ({"scale": "custom"}, "custom_scale", "Give the points of the custom scale."),
        ({"colour": "red"}, "colour", "colour is not a stage setting."),
        ({"name_blind": "yes"}, "name_blind", "Name-blind is yes or no."),
    ],
)
def test_bad_stage_settings_are_refused(ctx, campaign, changes, field, message):
    stage = svc.stages_overview(ctx, campaign.id).stages[1]
    with pytest.raises(ValidationError, match=message) as caught:
        svc.update_stage(ctx, stage.id, changes, expected_version=stage.version)
    assert caught.value.field == field
    assert svc.stages_overview(ctx, campaign.id).stages[1] == stage


def test_stage_edits_over_someone_elses_change_are_refused(database, campaign):
    alex = ServiceContext(database, Actor("Alex Manager"))
    sam = ServiceContext(database, Actor("Sam Chair"))
    stage = svc.stages_overview(alex, campaign.id).stages[0]
    svc.update_stage(sam, stage.id, {"min_assessors": 3}, expected_version=stage.version)
    with pytest.raises(ConflictError, match="The stage CV sift was changed by Sam Chair"):
        svc.update_stage(alex, stage.id, {"min_assessors": 4}, expected_version=stage.version)


def _score_something(ctx, campaign, stage):
    with ctx.db.session() as session:
        person = Person(name="Scorer", email="scorer@example.org")
        candidate = Candidate(campaign_id=campaign.id, candidate_number="0001")
        session.add_all([person, candidate])
        session.flush()
        cell = session.exec(
            select(StageCriterion).where(StageCriterion.stage_id == stage.id)
        ).first()
        session.add(
            Score(
                stage_criterion_id=cell.id,
                candidate_id=candidate.id,
                assessor_id=person.id,
                value=5,
            )
        )
        session.commit()
        return cell.advert_criterion_id


def test_a_stage_with_scores_cannot_be_removed_nor_lose_a_scored_criterion(ctx, campaign):
    overview = svc.stages_overview(ctx, campaign.id)
    sift = overview.stages[0]
    scored = _score_something(ctx, campaign, sift)
    with pytest.raises(ValidationError, match=r"CV sift has scores, so it cannot be removed"):
        svc.remove_stage(ctx, sift.id, expected_version=sift.version)
    cells = [
        svc.CellChoice(s.id, c.criterion_id, c.weight, c.pass_mark)
        for s in overview.stages
        for c in s.cells
        if c.criterion_id != scored
    ]
    with pytest.raises(ValidationError, match="already has scores for EXP1"):
        svc.save_matrix(ctx, campaign.id, cells, expected_versions={})


def test_matrix_save_and_its_checks(ctx, campaign):
    overview = svc.stages_overview(ctx, campaign.id)
    criteria = {c.code: c.id for c in overview.criteria}
    sift, exercise, interview = overview.stages
    # Move the lead (EXP1) out of the sift and leave EXP5 (essential) unassessed.
    cells = [
        svc.CellChoice(sift.id, criteria["EXP6"], 1.0, 4),
        svc.CellChoice(exercise.id, criteria["PROG"], 2.0, 5),
        svc.CellChoice(interview.id, criteria["EXP1"], 1.0, 4),
    ]
    saved = svc.save_matrix(
        ctx, campaign.id, cells, expected_versions={s.id: s.version for s in overview.stages}
    )
    assert [[(c.code, c.weight, c.pass_mark) for c in s.cells] for s in saved.stages] == [
        [("EXP6", 1.0, 4)],
        [("PROG", 2.0, 5)],
        [("EXP1", 1.0, 4)],
    ]
    errors = {f.message for f in saved.findings if f.severity == "error"}
    assert any("EXP5" in m and "no stage assesses it" in m for m in errors)
    warnings = {f.message for f in saved.findings if f.severity == "warning"}
    assert any("lead" in m.lower() and "CV sift" in m for m in warnings)


def test_panels_and_their_warnings(ctx, campaign):
    chair, member, independent = _people(ctx, "Tom Okonkwo", "Hannah Lee", "Marek Kowalski")
    interview = svc.stages_overview(ctx, campaign.id).stages[2]
    solo = svc.set_panel(
        ctx, interview.id, [svc.SeatChoice(chair, "chair")], expected_version=interview.version
    )
    findings = [
        f.message
        for f in svc.stages_overview(ctx, campaign.id).findings
        if "Video interview" in f.message
    ]
    assert any("one" in m.lower() for m in findings)
    assert any("independent" in m.lower() for m in findings)
    full = svc.set_panel(
        ctx,
        interview.id,
        [
            svc.SeatChoice(chair, "chair"),
            svc.SeatChoice(member, "member"),
            svc.SeatChoice(independent, "independent"),
        ],
        expected_version=solo.version,
    )
    assert [(s.name, s.role) for s in full.panel] == [
        ("Tom Okonkwo", "chair"),
        ("Marek Kowalski", "independent"),
        ("Hannah Lee", "member"),
    ]
    assert not [
        f for f in svc.stages_overview(ctx, campaign.id).findings if "Video interview" in f.message
    ]
    with pytest.raises(ValidationError, match="Someone is on the panel twice"):
        svc.set_panel(
            ctx,
            interview.id,
            [svc.SeatChoice(chair), svc.SeatChoice(chair)],
            expected_version=full.version,
        )
    with pytest.raises(ValidationError, match="'boss' is not a panel role"):
        svc.set_panel(
            ctx, interview.id, [svc.SeatChoice(chair, "boss")], expected_version=full.version
        )


def test_timetable_dates_and_checks(ctx, campaign):
    from datetime import UTC, datetime

    from recruit_app.services import adverts

    form = adverts.get_advert(ctx, campaign.id)
    adverts.save_advert(
        ctx,
        campaign.id,
        fields={
            "opens_at": datetime(2027, 4, 19, 8, tzinfo=UTC),
            "closes_at": datetime(2027, 5, 6, 22, 55, tzinfo=UTC),
        },
        criteria=None,
        expected_version=form.version,
    )
    overview = svc.stages_overview(ctx, campaign.id)
    for stage, (start, end) in zip(
        overview.stages,
        [
            ((2027, 5, 10), (2027, 5, 14)),
            ((2027, 5, 17), (2027, 5, 21)),
            ((2027, 5, 31), (2027, 6, 4)),
        ],
        strict=True,
    ):
        svc.update_stage(
            ctx,
            stage.id,
            {"starts_on": date(*start), "ends_on": date(*end)},
            expected_version=stage.version,
        )
    view = tt.get_timetable(ctx, campaign.id)
    view = tt.update_key_dates(
        ctx,
        campaign.id,
        region="england-and-wales",
        decisions_on=date(2027, 6, 11),
        expected_start_on=date(2027, 7, 5),
        expected_version=view.version,
    )
    view = tt.save_event(ctx, campaign.id, title="Information event", starts_on=date(2027, 4, 28))
    assert [(e.label, e.starts_on) for e in view.entries] == [
        ("Advert opens", date(2027, 4, 19)),
        ("Information event", date(2027, 4, 28)),
        ("Advert closes", date(2027, 5, 6)),
        ("CV sift", date(2027, 5, 10)),
        ("Technical exercise", date(2027, 5, 17)),
        ("Video interview", date(2027, 5, 31)),
        ("Decisions", date(2027, 6, 11)),
        ("Expected start date", date(2027, 7, 5)),
    ]
    # 31 May 2027 is the Spring bank holiday in England and Wales.
    assert [f.message for f in view.findings] == [
        "Monday 31 May 2027 is a bank holiday (Spring bank holiday), and Video interview "
        "starts that day."
    ]
    with pytest.raises(ValidationError, match="Choose one of England and Wales"):
        tt.update_key_dates(
            ctx,
            campaign.id,
            region="wales",
            decisions_on=None,
            expected_start_on=None,
            expected_version=None,
        )
    data = view.to_json()
    assert data["dates"][0] == {
        "key": "opens",
        "label": "Advert opens",
        "kind": "opens",
        "starts_on": "2027-04-19",
        "ends_on": None,
    }


def test_people_can_be_added_for_panels(ctx):
    from recruit_app.services.people import create_person

    person = create_person(ctx, name="  Siân   O'Brien ", email="Sian.OBrien@Example.gov.uk")
    assert (person.name, person.email, person.role) == (
        "Siân O'Brien",
        "sian.obrien@example.gov.uk",
        "panel_member",
    )
    assert [p.name for p in svc.list_people(ctx)] == ["Siân O'Brien"]
    with pytest.raises(ValidationError, match="already listed") as caught:
        create_person(ctx, name="Other", email="sian.obrien@example.gov.uk")
    assert caught.value.field == "email"
    with pytest.raises(ValidationError, match="does not look like an e-mail"):
        create_person(ctx, name="Other", email="nobody")
