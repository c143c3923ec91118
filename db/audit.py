"""Writing audit rows, inside the caller's transaction (never committing)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import text, update
from sqlmodel import Session, col

from db.models import AuditEvent


def record(
    session: Session,
    *,
    actor_name: str,
    actor_id: int | None,
    action: str,
    entity: str,
    entity_id: int | None,
    campaign_id: int | None = None,
    campaign_reference: str = "",
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    event = AuditEvent(
        actor_name=actor_name,
        actor_id=actor_id,
        action=action,
        entity=entity,
        entity_id=entity_id,
        campaign_id=campaign_id,
        campaign_reference=campaign_reference,
        summary=summary,
        before=before,
        after=after,
    )
    session.add(event)
    return event


# (event id, summary, before, after): the values an event is to have after redaction.
Redaction = tuple[int | None, str, Mapping[str, Any] | None, Mapping[str, Any] | None]


def redact(session: Session, redactions: Sequence[Redaction]) -> int:
    """Replace the summary and values of audit events: erasure's redaction, the one change
    the trail allows. On PostgreSQL it goes through the database's own function
    (recruit_redact_audit_events), which only administrators may run and which records
    the redaction itself; nobody else may change an event."""
    if not redactions:
        return 0
    if session.get_bind().dialect.name != "postgresql":
        for event_id, summary, before, after in redactions:
            session.execute(
                update(AuditEvent)
                .where(col(AuditEvent.id) == event_id)
                .values(summary=summary, before=before, after=after)
                .execution_options(synchronize_session=False)
            )
        return len(redactions)
    changed = 0
    for start in range(0, len(redactions), 1000):
        chunk = redactions[start : start + 1000]
        changed += session.execute(
            text("SELECT recruit_redact_audit_events(:ids, :summaries, :befores, :afters)"),
            {
                "ids": [r[0] for r in chunk],
                "summaries": [r[1] for r in chunk],
                "befores": [None if r[2] is None else json.dumps(r[2]) for r in chunk],
                "afters": [None if r[3] is None else json.dumps(r[3]) for r in chunk],
            },
        ).scalar_one()
    return changed
