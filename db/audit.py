"""Writing audit rows, inside the caller's transaction (never committing)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

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
