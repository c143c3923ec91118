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
MODERATION_SPREAD = 3  # scores this far apart need an agreed score
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
            moderation_spread=MODERATION_SPREAD,
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
    seed: int = 11,
) -> list[dict[str, Any]]:
    """Every assessor's submitted score for every candidate and criterion, varied as real
    sifts are: each candidate has an underlying strength, each assessor a slight lean, each
    score some noise, and about one pair in twenty a disagreement wide enough to need
    moderation (`agreed_rows` settles some). Scores are whole points on 1-7, so totals tie."""
    now = datetime.now(UTC)
    rows = [
        {
            "stage_criterion_id": cell,
            "candidate_id": cid,
            "assessor_id": person,
            "value": value,
            "evidence": "",
            "status": "submitted",
            "submitted_at": now,
            "version": 1,
            "updated_at": now,
            "updated_by": "benchmark",
        }
        for cid, cell, person, value in varied_scores(
            _candidate_ids(database, campaign_id), cells, assessors, seed
        )
    ]
    return rows[:limit] if limit else rows


def _candidate_ids(database: Database, campaign_id: int) -> list[int]:
    with database.session() as session:
        found = session.exec(
            select(Candidate.id)
            .where(Candidate.campaign_id == campaign_id)
            .order_by(col(Candidate.id))
        ).all()
    return [c for c in found if c is not None]  # primary keys: never None


def varied_scores(
    candidates: list[int], cells: list[int], assessors: list[int], seed: int = 11
) -> list[tuple[int, int, int, int]]:
    """(candidate, cell, assessor, value) for every combination; see score_rows."""
    rng = random.Random(seed)
    lean = {person: rng.choice((-0.4, 0.0, 0.3)) for person in assessors}
    found = []
    for cid in candidates:
        strength = rng.gauss(4.3, 1.1)
        for cell in cells:
            merit = strength + rng.gauss(0, 0.7)
            wide = rng.random() < 0.05  # one assessor saw it quite differently
            for n, person in enumerate(assessors):
                value = merit + lean[person] + rng.gauss(0, 0.5)
                if wide and n == 0:
                    value += rng.choice((-3.2, 3.2))
                found.append((cid, cell, person, min(7, max(1, round(value)))))
    return found


def agreed_rows(
    scores: list[dict[str, Any]], spread: int, share: float = 0.5, seed: int = 13
) -> list[dict[str, Any]]:
    """Agreed scores for `share` of the (candidate, criterion) pairs whose scores differ by
    `spread` or more: the median of the three, as a panel usually settles."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    pairs: dict[tuple[int, int], list[int]] = {}
    for row in scores:
        pairs.setdefault((row["candidate_id"], row["stage_criterion_id"]), []).append(row["value"])
    return [
        {
            "stage_criterion_id": cell,
            "candidate_id": cid,
            "value": sorted(values)[len(values) // 2],
            "rationale": "Agreed at moderation.",
            "version": 1,
            "updated_at": now,
            "updated_by": "benchmark",
        }
        for (cid, cell), values in pairs.items()
        if max(values) - min(values) >= spread and rng.random() < share
    ]
