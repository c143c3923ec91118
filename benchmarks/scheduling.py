"""Slot allocation: 300 candidates over 10 days, 3 parallel panels, 9 panel members."""

from __future__ import annotations

import random
import tempfile
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import insert, update
from sqlmodel import col

from benchmarks.harness import Result, summarise, time_calls
from benchmarks.synthetic import add_campaign
from db.models import InterviewSlot, PanelAssignment, Person, PersonBusy, Stage, id_of
from recruit_app.domain.dates import LONDON
from recruit_app.domain.scheduling import SlotPlan
from recruit_app.services.context import Actor, ServiceContext
from recruit_app.services.database import open_db
from recruit_app.services.slots import allocate_stage, generate_slots, save_plan


def _weekdays(start: date, count: int) -> tuple[date, ...]:
    days: list[date] = []
    day = start
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return tuple(days)


def _setup(path: Path, candidates: int, days: int) -> tuple[ServiceContext, int]:
    db = open_db(str(path))
    ctx = ServiceContext(db, Actor("benchmark"))
    campaign_id = add_campaign(db, "SLOTS-1", "Slot allocation", candidates)
    rng = random.Random(11)
    start = date(2027, 3, 1)
    with db.session() as session:
        stage = Stage(
            campaign_id=campaign_id,
            name="Interview",
            kind="panel_interview",
            updated_by="benchmark",
        )
        session.add(stage)
        session.flush()
        people = [Person(name=f"Panel member {n}", email=f"panel{n}@example.org") for n in range(9)]
        session.add_all(people)
        session.flush()
        for n, person in enumerate(people):
            session.add(
                PanelAssignment(
                    stage_id=id_of(stage),
                    person_id=id_of(person),
                    panel_role="chair" if n % 3 == 0 else "member",
                    panel_number=n // 3 + 1,
                )
            )
        busy = []
        for person in people:  # leave and meetings: a few hundred intervals in all
            for _ in range(30):
                day = start + timedelta(days=rng.randrange(days + 4))
                hour = rng.randrange(9, 17)
                begins = datetime.combine(day, time(hour), tzinfo=LONDON).astimezone(UTC)
                busy.append(
                    {
                        "person_id": person.id,
                        "starts_at": begins,
                        "ends_at": begins + timedelta(minutes=45),
                        "reason": "meeting",
                        "version": 1,
                        "updated_at": begins,
                        "updated_by": "benchmark",
                    }
                )
        session.execute(insert(PersonBusy), busy)
        session.commit()
        stage_id = id_of(stage)
        version = stage.version
    plan = SlotPlan(
        days=_weekdays(start, days),
        day_start=time(9),
        day_end=time(17),
        slot_minutes=45,
        gap_minutes=10,
        lunch_start=time(12, 30),
        lunch_end=time(13, 15),
        panels=3,
    )
    save_plan(ctx, stage_id, plan, expected_version=version)
    generate_slots(ctx, stage_id)
    return ctx, stage_id


def _free_all(ctx: ServiceContext, stage_id: int) -> None:
    with ctx.db.session() as session:
        session.execute(
            update(InterviewSlot)
            .where(col(InterviewSlot.stage_id) == stage_id)
            .values(candidate_id=None, status="open")
        )
        session.commit()


def run(quick: bool) -> list[Result]:
    candidates, days, repeat = (30, 2, 1) if quick else (300, 10, 5)
    with tempfile.TemporaryDirectory(prefix="recruit-bench-") as folder:
        ctx, stage_id = _setup(Path(folder) / "slots.sqlite3", candidates, days)
        samples = []
        for _ in range(repeat + 1):
            _free_all(ctx, stage_id)
            samples += time_calls(lambda: allocate_stage(ctx, stage_id), 1, warmup=0)
        ctx.db.dispose()
    return [
        summarise(
            f"slot allocation: {candidates} candidates, {days} days, 3 panels, 9 panel members",
            samples[1:],
            None,
            "under 1 s",
            lambda median, _ratio: median < 1.0,
        )
    ]
