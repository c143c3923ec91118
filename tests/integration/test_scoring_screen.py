"""The scoring screen's one read: the same sheet and panel as the use cases give alone."""

from __future__ import annotations

import dataclasses
from datetime import date

from sqlmodel import select

from db.models import Person, Stage
from recruit_app.services.adverts import campaign_id_for
from recruit_app.services.context import Actor
from recruit_app.services.demo import build_demo
from recruit_app.services.scoring import panel_members, scoring_screen, scoring_sheet

DEMO_DAY = date(2026, 11, 25)


def test_the_screen_holds_the_panel_and_the_sheet_of_the_stage_being_scored(ctx):
    build_demo(ctx, today=DEMO_DAY)
    campaign_id = campaign_id_for(ctx, "283922")
    screen = scoring_screen(ctx, campaign_id, None, None, False)
    with ctx.db.session() as session:
        stages = {
            s.name: s.id
            for s in session.exec(select(Stage).where(Stage.campaign_id == campaign_id))
        }
    assert [s.name for s in screen.stages] == ["CV sift", "Technical exercise", "Video interview"]
    assert screen.stage_id == stages["Video interview"]  # the first open stage with a panel
    assert screen.members == tuple(panel_members(ctx, screen.stage_id))
    assert screen.assessor_id == screen.members[0].person_id
    assert screen.sheet == scoring_sheet(ctx, screen.stage_id, screen.assessor_id)


def test_a_panel_member_gets_their_own_stages_and_sheet_only(ctx):
    build_demo(ctx, today=DEMO_DAY)
    campaign_id = campaign_id_for(ctx, "283922")
    with ctx.db.session() as session:
        tom = session.exec(select(Person).where(Person.name == "Tom Okonkwo")).one()
    member = dataclasses.replace(ctx, actor=Actor("Tom Okonkwo", "panel_member", tom.id))
    screen = scoring_screen(member, campaign_id, None, None, False)
    assert [m.person_id for m in screen.members] == [tom.id]
    assert screen.assessor_id == tom.id and screen.sheet is not None
    assert screen.sheet.assessor_name == "Tom Okonkwo"
