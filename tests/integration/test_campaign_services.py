"""Campaign use cases against real databases (SQLite, and PostgreSQL when given)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from db.models import AdvertCriterion, AuditEvent, Campaign, Candidate, Stage, StageCriterion
from recruit_app.errors import NotFound, PermissionDenied, ValidationError
from recruit_app.services import campaigns as svc
from recruit_app.services.context import Actor, ServiceContext
from recruit_app.services.demo import build_demo


def _audit_actions(ctx) -> list[str]:
    with ctx.db.session() as session:
        return [e.action for e in session.exec(select(AuditEvent).order_by(AuditEvent.id))]


def test_create_list_show(ctx):
    created = svc.create_campaign(ctx, title="  Data   Engineer ", reference="DE-1")
    assert (created.reference, created.title, created.status) == ("DE-1", "Data Engineer", "draft")
    assert created.version == 1 and created.updated_by == "Alex Manager"
    assert [c.reference for c in svc.list_campaigns(ctx)] == ["DE-1"]
    detail = svc.show_campaign(ctx, "DE-1")
    assert detail.advert_title == "Data Engineer"
    assert detail.stages == () and detail.candidate_count == 0
    assert detail.to_json()["reference"] == "DE-1"


def test_references_are_generated_in_sequence(ctx):
    first = svc.create_campaign(ctx, title="One")
    second = svc.create_campaign(ctx, title="Two")
    year = first.created_at.year
    assert (first.reference, second.reference) == (f"{year}-0001", f"{year}-0002")


def test_list_is_newest_first(ctx):
    for title in ("A", "B", "C"):
        svc.create_campaign(ctx, title=title)
    assert [c.title for c in svc.list_campaigns(ctx)] == ["C", "B", "A"]


def test_duplicate_reference_is_refused_and_nothing_is_written(ctx):
    svc.create_campaign(ctx, title="First", reference="283922")
    with pytest.raises(ValidationError, match="'283922' is already used") as caught:
        svc.create_campaign(ctx, title="Second", reference="283922")
    assert caught.value.field == "reference"
    assert [c.title for c in svc.list_campaigns(ctx)] == ["First"]
    assert _audit_actions(ctx) == ["campaign.create"]


@pytest.mark.parametrize("title", ["", "x" * 201])
def test_bad_titles_are_refused(ctx, title):
    with pytest.raises(ValidationError):
        svc.create_campaign(ctx, title=title)
    assert svc.list_campaigns(ctx) == []


def test_rename_bumps_version_and_audits_before_and_after(ctx):
    created = svc.create_campaign(ctx, title="Old", reference="R1")
    renamed = svc.rename_campaign(ctx, created.id, title="New", expected_version=1)
    assert renamed.title == "New" and renamed.version == 2
    with ctx.db.session() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "campaign.rename")).one()
    assert event.before["title"] == "Old" and event.after["title"] == "New"
    assert event.actor_name == "Alex Manager" and event.campaign_reference == "R1"


def test_archive_hides_from_default_list_and_restore_brings_back(ctx):
    created = svc.create_campaign(ctx, title="Old campaign")
    archived = svc.set_archived(ctx, created.id, archived=True, expected_version=1)
    assert archived.archived
    assert svc.list_campaigns(ctx) == []
    assert [c.id for c in svc.list_campaigns(ctx, include_archived=True)] == [created.id]
    restored = svc.set_archived(ctx, created.id, archived=False, expected_version=2)
    assert not restored.archived and restored.version == 3
    assert _audit_actions(ctx) == ["campaign.create", "campaign.archive", "campaign.unarchive"]


def test_delete_removes_everything_but_the_audit_trail(ctx):
    build_demo(ctx)
    demo = svc.find_campaign(ctx, "283922")
    svc.delete_campaign(ctx, demo.id, expected_version=demo.version)
    with pytest.raises(NotFound, match="no campaign with the reference '283922'"):
        svc.show_campaign(ctx, "283922")
    with ctx.db.session() as session:
        assert session.exec(select(Candidate)).all() == []
        assert session.exec(select(Stage)).all() == []
        assert session.exec(select(AdvertCriterion)).all() == []
    assert _audit_actions(ctx) == [
        "advert.publish",
        "results.finalise",  # the CV sift
        "results.finalise",  # the technical exercise
        "slots.generate",
        "slots.allocate",
        "demo.build",
        "campaign.delete",
    ]


def test_delete_of_a_vanished_campaign_says_so(ctx):
    created = svc.create_campaign(ctx, title="Gone")
    svc.delete_campaign(ctx, created.id, expected_version=1)
    with pytest.raises(NotFound, match="no longer exists"):
        svc.delete_campaign(ctx, created.id, expected_version=1)


def test_duplicate_copies_the_definition_not_the_people(ctx):
    build_demo(ctx)
    source = svc.find_campaign(ctx, "283922")
    copy = svc.duplicate_campaign(ctx, source.id)
    assert copy.title == "Copy of Software Developer"
    assert copy.reference != source.reference and copy.status == "draft"
    detail = svc.show_campaign(ctx, copy.reference)
    assert detail.stages == ("CV sift", "Technical exercise", "Video interview")
    assert detail.candidate_count == 0
    with ctx.db.session() as session:
        copied = session.exec(select(Campaign).where(Campaign.reference == copy.reference)).one()
        stage_ids = session.exec(select(Stage.id).where(Stage.campaign_id == copied.id)).all()
        cells = session.exec(
            select(StageCriterion).where(StageCriterion.stage_id.in_(stage_ids))
        ).all()
        codes = {session.get(AdvertCriterion, cell.advert_criterion_id).code for cell in cells}
        scales = {
            session.get(AdvertCriterion, cell.advert_criterion_id).code: (
                cell.scale,
                cell.pass_mark,
            )
            for cell in cells
            if cell.scale
        }
    assert len(cells) == 19  # the template's 16 and the interview's behaviours and strength
    assert "EXP1" in codes and "ASUP" in codes
    assert {"TEAM", "PACE", "PROBLEMSOLVER"} <= codes
    assert scales == {"PROBLEMSOLVER": ("strengths4", 3)}  # its own scale goes with it
    second = svc.duplicate_campaign(ctx, source.id)
    assert second.title == "Copy of Software Developer (2)"


def test_panel_member_may_not_create_campaigns(database):
    panel = ServiceContext(database, Actor("Pat Panel", role="panel_member"))
    with pytest.raises(PermissionDenied, match="As a panel member, Pat Panel may not create"):
        svc.create_campaign(panel, title="Nope")
    assert svc.list_campaigns(panel) == []
