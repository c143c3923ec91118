"""Audit completeness (issue 7): every use case that writes leaves an event, in the same
transaction, naming who acted, with the values before and after where something changed;
and no use case edits or deletes an audit row, but for erasure blanking a candidate's values.

Each use case runs once, as the first position allowed to perform it (tests/helpers/
use_cases.py), on a fresh copy of a world built once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import db.audit
from recruit_app.services import candidates, retention, scoring
from recruit_app.services.context import ServiceContext
from recruit_app.services.retention import ERASED
from tests.helpers import use_cases as uc


@pytest.fixture(scope="module")
def world_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, uc.WorldIds]:
    return uc.world_file(tmp_path_factory)


@pytest.fixture
def world(world_template: tuple[Path, uc.WorldIds], tmp_path: Path) -> Iterator[uc.World]:
    with uc.open_world(*world_template, tmp_path) as opened:
        yield opened


ALL = [pytest.param(case, id=uc.param_id(case.key)) for case in uc.USE_CASES]
WRITES = [pytest.param(case, id=uc.param_id(case.key)) for case in uc.USE_CASES if case.writes]
# Erasure blanks the before/after values of the erased candidates' events, and nothing else.
REDACTS = {"retention.erase_candidate", "retention.purge"}


def _as_dict(event: Any) -> dict[str, Any]:
    return event.model_dump()


def _perform(world: uc.World, case: uc.UseCase) -> tuple[ServiceContext, Callable[[], Any]]:
    """Prepare, then act as the first position the table lets perform the use case."""
    if case.prepare is not None:
        case.prepare(world)
    ctx = world.ctx(uc.acting_actor(case, uc.writing_actor(case)))
    return ctx, lambda: case.act(world, ctx)


def _check_values(case: uc.UseCase, new: list[Any]) -> None:
    if case.values == "after":
        assert any(e.after for e in new), f"{case.key}: no values after in {new}"
    elif case.values == "before":
        assert any(e.before for e in new), f"{case.key}: no values before in {new}"
    elif case.values == "both":
        assert any(e.before and e.after and e.before != e.after for e in new), (
            f"{case.key}: no event with the values before and after in {new}"
        )
    else:
        assert case.values == "", case.values


@pytest.mark.parametrize("case", ALL)
def test_a_use_case_that_writes_leaves_an_audit_event_naming_who_acted(
    world: uc.World, case: uc.UseCase
) -> None:
    ctx, act = _perform(world, case)
    before = uc.fingerprint(world.db)
    trail = uc.audit_rows(world.db)
    act()
    after = uc.fingerprint(world.db)
    changed = sorted(table for table in before if before[table] != after[table])
    now = uc.audit_rows(world.db)
    new = now[len(trail) :]

    # Existing events are never edited or deleted (erasure only blanks values).
    kept = [_as_dict(e) for e in now[: len(trail)]]
    if case.function in REDACTS:
        for old, row in zip(trail, kept, strict=True):
            if row["before"] == ERASED and old.before != ERASED:
                row["before"], row["after"] = old.before, old.after
    assert kept == [_as_dict(e) for e in trail]

    if not case.writes:
        assert changed == [], f"{case.key} is read-only in the table but changed {changed}"
        return
    assert changed, f"{case.key} is a write in the table but changed nothing"
    assert "audit_event" in changed and new, f"{case.key} changed {changed} without an event"
    assert {(e.actor_name, e.actor_id) for e in new} == {(ctx.actor.name, ctx.actor.person_id)}
    assert all(e.action and e.summary for e in new), [(e.action, e.summary) for e in new]
    _check_values(case, new)


@pytest.mark.parametrize("case", WRITES)
def test_the_change_and_its_audit_event_are_one_transaction(
    world: uc.World, case: uc.UseCase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If writing the event fails, the change is not saved either."""
    _ctx, act = _perform(world, case)
    before = uc.fingerprint(world.db)
    original = db.audit.record

    def failing(*args: Any, **kwargs: Any) -> Any:
        original(*args, **kwargs)
        raise RuntimeError("the audit trail could not be written")

    monkeypatch.setattr(db.audit, "record", failing)
    with pytest.raises(RuntimeError, match=r"^the audit trail could not be written$"):
        act()
    assert uc.fingerprint(world.db) == before


# --- scores: every draft saved is audited ------------------------------------------------


def _save(world: uc.World, value: int, evidence: str) -> None:
    scoring.save_score(
        world.ctx("panel_on"),
        world.ids.interview_id,
        world.person("panel_on"),
        world.ids.interviewees[0],
        world.ids.cells[0][0],
        value=value,
        evidence=evidence,
        expected_version=None,
    )


def test_each_draft_score_saved_is_one_event_with_the_values_before_and_after(
    world: uc.World,
) -> None:
    start = len(uc.audit_rows(world.db))
    _save(world, 3, "Named one test.")
    _save(world, 4, "Named one test and why.")
    events = uc.audit_rows(world.db)[start:]
    number = uc.number_of(world, world.ids.interviewees[0])
    code = world.ids.cells[0][1]
    assert [(e.action, e.actor_name, e.entity, e.entity_id) for e in events] == [
        ("score.save", "Tom Okonkwo", "candidate", world.ids.interviewees[0])
    ] * 2
    assert events[0].summary == f"Saved a draft score for candidate {number} on {code}"
    assert events[0].campaign_reference == world.ids.reference
    assert (events[0].before, events[0].after) == (
        None,
        {"value": 3, "evidence": "Named one test."},
    )
    assert (events[1].before, events[1].after) == (
        {"value": 3, "evidence": "Named one test."},
        {"value": 4, "evidence": "Named one test and why."},
    )


# --- erasure: the only change to existing events ------------------------------------------


def test_erasing_a_candidate_blanks_only_the_values_of_their_events(world: uc.World) -> None:
    candidate_id = world.ids.interviewees[0]
    _save(world, 3, "Spoke about their time at Acme Ltd.")
    candidates.update_candidate(
        world.admin, candidate_id, {"phone": "07700 900123"}, expected_version=None
    )
    trail = uc.audit_rows(world.db)
    theirs = [e.id for e in trail if e.entity == "candidate" and e.entity_id == candidate_id]
    assert len(theirs) >= 2

    retention.erase_candidate(world.admin, candidate_id, reason="Asked us to.")

    now = uc.audit_rows(world.db)
    assert [e.action for e in now[len(trail) :]] == ["candidate.erase"]
    for old, new in zip(trail, now, strict=False):
        if old.id in theirs:
            assert (new.before, new.after) == (ERASED, ERASED)
            blanked = {**_as_dict(new), "before": old.before, "after": old.after}
            assert blanked == _as_dict(old)
        else:
            assert _as_dict(new) == _as_dict(old)
    text = repr([_as_dict(e) for e in now])
    assert "Acme" not in text and "07700 900123" not in text
