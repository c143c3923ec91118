"""Invented equality monitoring answers for the demo campaign's candidates.

Shaped so that the fairness figures have something to show: at the first decided stage
with enough candidates, women progress at more than twice the rate of men (an impact
ratio near 0.4, flagged), with every count of that stage at or above the suppression
threshold of 5; the other questions are answered at random (a seed), some "Prefer not to
say", about one candidate in ten not at all, so small groups show suppression.
"""

from __future__ import annotations

import random

from sqlmodel import Session, col, select

from db.models import Candidate, EqualityAnswer, Outcome, Stage
from recruit_app.domain.equality import DEFAULT_CHARACTERISTICS, PREFER_NOT_TO_SAY
from recruit_app.vocabulary import Outcome as OutcomeKind

ENOUGH = 5  # the default suppression threshold
NOT_ANSWERED_SHARE = 0.1
PREFER_NOT_SHARE = 0.06
SOURCE = "demo (invented)"


def _entrants_and_progress(
    session: Session, campaign_id: int
) -> tuple[list[int], list[tuple[set[int], set[int]]]]:
    """Every candidate, and each stage's (entered, progressed) in stage order."""
    candidates = sorted(
        cid
        for cid in session.exec(select(Candidate.id).where(Candidate.campaign_id == campaign_id))
        if cid is not None
    )
    stage_ids = [
        sid
        for sid in session.exec(
            select(Stage.id)
            .where(Stage.campaign_id == campaign_id)
            .order_by(col(Stage.position), col(Stage.id))
        )
        if sid is not None
    ]
    outcomes = {
        (sid, cid): kind
        for sid, cid, kind in session.exec(
            select(Outcome.stage_id, Outcome.candidate_id, Outcome.kind).where(
                col(Outcome.stage_id).in_(stage_ids)
            )
        )
    }
    stages = []
    entered = set(candidates)
    for k, sid in enumerate(stage_ids):
        onward = {OutcomeKind.PROGRESS.value, OutcomeKind.APPOINT.value}
        if k == len(stage_ids) - 1:
            onward.add(OutcomeKind.RESERVE.value)
        progressed = {cid for cid in entered if outcomes.get((sid, cid)) in onward}
        stages.append((entered, progressed))
        entered = progressed
    return candidates, stages


def add_demo_monitoring(session: Session, campaign_id: int, seed: int) -> int:
    """Invent answers for the campaign's candidates (replacing any); returns how many
    answers were added. Runs inside the demo's own transaction; never commits."""
    rng = random.Random(seed)
    candidates, stages = _entrants_and_progress(session, campaign_id)
    # The stage to show a flag at: the first where both sides are big enough, else the
    # one nearest to it.
    chosen = max(
        stages,
        key=lambda s: (
            min(len(s[1]), len(s[0] - s[1])) >= 2 * ENOUGH,
            min(len(s[1]), len(s[0] - s[1])),
        ),
        default=(set(), set()),
    )
    entered, progressed = chosen
    passing = sorted(progressed)
    failing = sorted(entered - progressed)
    rng.shuffle(passing)
    rng.shuffle(failing)
    men_passing = max(ENOUGH, round(len(passing) * 0.35)) if len(passing) >= 2 * ENOUGH else 0
    women_failing = max(ENOUGH, round(len(failing) * 0.3)) if len(failing) >= 2 * ENOUGH else 0
    sex: dict[int, str] = {}
    for n, cid in enumerate(passing):
        sex[cid] = "male" if n < men_passing else "female"
    for n, cid in enumerate(failing):
        sex[cid] = "female" if n < women_failing else "male"
    rows: list[EqualityAnswer] = []
    for cid in candidates:
        for characteristic in DEFAULT_CHARACTERISTICS:
            if characteristic.code == "sex":
                category = sex.get(cid) or rng.choice(("female", "male"))
            elif rng.random() < NOT_ANSWERED_SHARE:
                continue
            elif rng.random() < PREFER_NOT_SHARE:
                category = PREFER_NOT_TO_SAY
            else:
                offered = [c for c in characteristic.codes if c != PREFER_NOT_TO_SAY]
                # The first categories are the commoner answers in the defaults' order
                # often enough: weight them down the list.
                weights = [len(offered) - i for i in range(len(offered))]
                category = rng.choices(offered, weights=weights)[0]
            rows.append(
                EqualityAnswer(
                    candidate_id=cid,
                    characteristic=characteristic.code,
                    category=category,
                    source=SOURCE,
                    imported_by="Recruit demo",
                )
            )
    if candidates:
        for old in session.exec(
            select(EqualityAnswer).where(col(EqualityAnswer.candidate_id).in_(candidates))
        ):
            session.delete(old)
        session.flush()
    session.add_all(rows)
    session.flush()
    return len(rows)
