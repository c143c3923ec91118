"""Who may do what, enforced in the core (the UI only hides what is refused here)."""

from __future__ import annotations

from recruit_app.errors import PermissionDenied
from recruit_app.services.context import Actor

ROLE_LABELS = {
    "administrator": "administrator",
    "recruiting_manager": "recruiting manager",
    "panel_member": "panel member",
}

# Use case -> roles allowed. Finer rules (own campaigns, assigned stages) live in the
# services that know the rows involved.
ALLOWED: dict[str, frozenset[str]] = {
    "campaign.view": frozenset({"administrator", "recruiting_manager", "panel_member"}),
    "campaign.manage": frozenset({"administrator", "recruiting_manager"}),
    "library.edit": frozenset({"administrator", "recruiting_manager"}),
    "score.enter": frozenset({"administrator", "recruiting_manager", "panel_member"}),
    "results.moderate": frozenset({"administrator", "recruiting_manager", "panel_member"}),
    "database.admin": frozenset({"administrator"}),
    "demo.build": frozenset({"administrator"}),
    "people.view": frozenset({"administrator", "recruiting_manager"}),
    "people.manage": frozenset({"administrator"}),
    "audit.view": frozenset({"administrator", "recruiting_manager"}),
    "data.protect": frozenset({"administrator", "recruiting_manager"}),
    "retention.purge": frozenset({"administrator"}),
    "settings.manage": frozenset({"administrator"}),
}

DESCRIPTIONS = {
    "campaign.view": "see campaigns",
    "campaign.manage": "create or change campaigns",
    "library.edit": "change the template library",
    "score.enter": "enter scores",
    "results.moderate": "record agreed scores",
    "database.admin": "manage the database",
    "demo.build": "build the demo campaign",
    "people.view": "see the people list",
    "people.manage": "add or change people, their roles or passwords",
    "audit.view": "see the audit trail",
    "data.protect": "export or erase a candidate's personal data",
    "retention.purge": "erase personal data past its retention period",
    "settings.manage": "change the database's settings",
}


def require(actor: Actor, use_case: str) -> None:
    if actor.role not in ALLOWED[use_case]:
        role = ROLE_LABELS.get(actor.role, actor.role)
        raise PermissionDenied(
            f"As a {role}, {actor.name} may not {DESCRIPTIONS[use_case]}. "
            "Ask an administrator if you need to."
        )
