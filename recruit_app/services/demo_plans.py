"""The demo's question plan: the video interview asks a bank question for each criterion
(a strength's unseen: candidates are not sent it in advance)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from db.models import AdvertCriterion, Campaign, Question, Stage, StageCriterion, id_of
from recruit_app.domain.plans import STRENGTHS, PlanItem, slot_minutes_of
from recruit_app.services.context import ServiceContext
from recruit_app.services.plans import write_plan

# Minutes kept for the welcome, the candidate's questions and the close.
KEPT_MINUTES = 10
WELCOME = (
    "Welcome, and thank you for joining us. I am the chair; the panel will introduce "
    "themselves. The interview takes about an hour. We will ask one question about each "
    "skill, behaviour and strength it assesses, and may ask follow-up questions. The "
    "strength question is about what you enjoy and do well: you will not have seen it, and "
    "there is no need to have prepared. We will take notes as you speak. Please take your "
    "time, and ask if you would like a question repeated."
)
CLOSE = (
    "Thank you: that is the end of our questions. Do you have any questions for us? "
    "We expect to let every candidate know the outcome within two weeks, by e-mail."
)
# For a criterion written for the advert (the bank has none for it).
WRITTEN = {
    "EXP1": (
        "Tell us about a back-end or full-stack service you built in a modern web language. "
        "What was your part in it?",
        (
            "Which parts of the language's ecosystem did you rely on, and why?",
            "What would you do differently now?",
        ),
    )
}


def add_demo_plan(session: Session, ctx: ServiceContext, campaign: Campaign, name: str) -> None:
    """Give the campaign's stage `name` a plan: the bank's first question for each cell's
    criterion at its level (a written one where the bank has none), sharing the slot's time;
    a strength's question is kept unseen."""
    stage = session.exec(
        select(Stage).where(Stage.campaign_id == campaign.id, Stage.name == name)
    ).one()
    cells = session.exec(
        select(StageCriterion, AdvertCriterion)
        .join(AdvertCriterion, col(AdvertCriterion.id) == StageCriterion.advert_criterion_id)
        .where(StageCriterion.stage_id == stage.id)
        .order_by(col(StageCriterion.position), col(StageCriterion.id))
    ).all()
    if not cells:
        return
    slot = slot_minutes_of(stage.slot_plan) or 60
    minutes = max(1, (slot - KEPT_MINUTES) // len(cells))
    items = []
    for cell, criterion in cells:
        unseen = criterion.element == STRENGTHS
        question = None
        if criterion.criterion_id is not None:
            for found in session.exec(
                select(Question)
                .where(
                    Question.criterion_id == criterion.criterion_id,
                    col(Question.retired).is_(False),
                )
                .order_by(col(Question.position), col(Question.id))
            ):
                if criterion.level is None or found.level in (None, criterion.level):
                    question = found
                    break
        if question is not None:
            items.append(
                PlanItem(
                    id_of(cell),
                    question.text,
                    tuple(question.probes),
                    minutes,
                    unseen=unseen,
                    question_id=id_of(question),
                )
            )
        else:
            text, probes = WRITTEN.get(
                criterion.code,
                (f"Tell us about a time you showed this: {criterion.title}.", ()),
            )
            items.append(PlanItem(id_of(cell), text, probes, minutes, unseen=unseen))
    write_plan(session, ctx, stage, items, welcome_script=WELCOME, close_script=CLOSE)
