"""Seeded synthetic campaigns at scale, inserted in bulk (set-up, not what is timed)."""

from __future__ import annotations

import random
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlmodel import col, select

from db.database import Database, open_database
from db.models import (
    Advert,
    AdvertCriterion,
    Campaign,
    Candidate,
    PanelAssignment,
    Person,
    Stage,
    StageCriterion,
    id_of,
)

FIRST = [
    "Siân",
    "Zoë",
    "Łukasz",
    "Niamh",
    "Chidi",
    "Aoife",
    "José",
    "Priyanka",
    "Mohammed",
    "Hannah",
    "Oluwaseun",
    "Eilidh",
    "Rhodri",
    "Mei",
    "Darragh",
    "Ffion",
    "Kwame",
    "Amélie",
    "Gareth",
    "Fatima",
    "Bartosz",
    "Isla",
    "Ravi",
    "Chloë",
    "Seán",
    "Agnieszka",
    "Tobias",
    "Grace",
    "Ellis",
    "Róisín",
    "Jamal",
    "Beatriz",
    "Callum",
    "Anaïs",
    "Dylan",
    "Yusuf",
]
LAST = [
    "Evans",
    "Clarke",
    "Nowak",
    "O'Brien",
    "Okafor",
    "Ní Bhriain",
    "García",
    "Sharma",
    "Al-Sayed",
    "Whitfield",
    "Adeyemi",
    "MacLeod",
    "Price",
    "Chen",
    "D'Arcy",
    "Llewellyn",
    "Mensah",
    "Dubois",
    "Pryce-Jones",
    "Begum",
    "Wiśniewski",
    "Fraser",
    "Patel",
    "Harrington",
    "Murphy",
    "Kowalczyk",
    "Müller",
    "Adebayo",
    "McAllister",
    "Kelly",
    "Hussain",
    "Nuñez",
    "Reid",
    "Lefèvre",
    "Hughes",
    "Demir",
    "O'Neill",
    "Ó Súilleabháin",
]
CRITERIA = 7
ASSESSORS = 3
DOMAINS = ["example.com", "example.org", "example.net"]


def ascii_local(text: str) -> str:
    text = text.replace("Ł", "L").replace("ł", "l")
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return "".join(c for c in plain.lower() if c.isalnum() or c == ".")


def people(count: int, seed: int = 7) -> list[dict[str, str]]:
    """`count` invented people with accents and apostrophes and realistic e-mails."""
    rng = random.Random(seed)
    rows = []
    for n in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        email = f"{ascii_local(first)}.{ascii_local(last)}{n}@{rng.choice(DOMAINS)}"
        rows.append({"first_name": first, "last_name": last, "email": email})
    return rows


def campaign_with_candidates(path: Path, candidates: int, seed: int = 7) -> Path:
    """A SQLite file with one campaign holding `candidates` candidates."""
    database = open_database(str(path))
    try:
        add_campaign(database, "BENCH-1", "Benchmark campaign", candidates, seed)
    finally:
        database.dispose()
    return path


def add_campaign(
    database: Database, reference: str, title: str, candidates: int, seed: int = 7
) -> int:
    now = datetime.now(UTC)
    with database.session() as session:
        campaign = Campaign(reference=reference, title=title, updated_by="benchmark")
        session.add(campaign)
        session.flush()
        campaign_id = id_of(campaign)
        session.add(Advert(campaign_id=campaign_id, title=title, updated_by="benchmark"))
        rows: list[dict[str, Any]] = [
            {
                **person,
                "campaign_id": campaign_id,
                "candidate_number": f"{n + 1:05d}",
                "updated_by": "benchmark",
                "updated_at": now,
                "created_at": now,
                "version": 1,
                "phone": "",
                "adjustments": "",
                "status": "applied",
                "guaranteed_interview": False,
                "redeployment": False,
                "unavailable_dates": [],
                "extra": {},
            }
            for n, person in enumerate(people(candidates, seed))
        ]
        if rows:
            session.execute(insert(Candidate), rows)
        session.commit()
    return campaign_id


def stage_with_panel(database: Database, campaign_id: int) -> tuple[int, list[int], list[int]]:
    """A stage assessing 7 criteria with a panel of 3; returns its id, cells and people."""
    now = datetime.now(UTC)
    with database.session() as session:
        advert = session.exec(select(Advert).where(Advert.campaign_id == campaign_id)).one()
        criteria = [
            AdvertCriterion(
                advert_id=id_of(advert),
                code=f"C{n}",
                title=f"Criterion {n}",
                element="BEH",
                level=3,
                position=n,
                lead=n == 0,
            )
            for n in range(CRITERIA)
        ]
        stage = Stage(
            campaign_id=campaign_id,
            name="Sift",
            kind="sift",
            min_assessors=3,
            moderation_spread=7,
            updated_at=now,
        )
        assessors = [
            Person(name=f"Assessor {n}", email=f"assessor{n}-{campaign_id}@example.org")
            for n in range(ASSESSORS)
        ]
        session.add_all([*criteria, stage, *assessors])
        session.flush()
        cells = [
            StageCriterion(
                stage_id=id_of(stage), advert_criterion_id=id_of(c), pass_mark=3, position=n
            )
            for n, c in enumerate(criteria)
        ]
        session.add_all(cells)
        session.add_all(
            [PanelAssignment(stage_id=id_of(stage), person_id=id_of(p)) for p in assessors]
        )
        session.commit()
        return id_of(stage), [id_of(c) for c in cells], [id_of(p) for p in assessors]


def score_rows(
    database: Database,
    campaign_id: int,
    cells: list[int],
    assessors: list[int],
    limit: int | None = None,
) -> list[dict[str, Any]]:
    now = datetime.now(UTC)
    with database.session() as session:
        found = session.exec(
            select(Candidate.id)
            .where(Candidate.campaign_id == campaign_id)
            .order_by(col(Candidate.id))
        ).all()
    ids = [c for c in found if c is not None]  # primary keys: never None
    rows = [
        {
            "stage_criterion_id": cell,
            "candidate_id": cid,
            "assessor_id": person,
            "value": 1 + (cid * 7 + n * 3 + person) % 7,
            "evidence": "",
            "status": "submitted",
            "submitted_at": now,
            "version": 1,
            "updated_at": now,
            "updated_by": "benchmark",
        }
        for cid in ids
        for n, cell in enumerate(cells)
        for person in assessors
    ]
    return rows[:limit] if limit else rows
