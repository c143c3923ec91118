"""Who may do what, enforced in the core (the UI only hides what is refused here)."""

from __future__ import annotations

from recruit_app.errors import PermissionDenied
from recruit_app.services.context import Actor
from recruit_app.vocabulary import Role

_ADMIN, _MANAGER, _PANEL = Role.ADMINISTRATOR, Role.RECRUITING_MANAGER, Role.PANEL_MEMBER

# Use case -> roles allowed. Finer rules (own campaigns, assigned stages) live in the
# services that know the rows involved.
ALLOWED: dict[str, frozenset[str]] = {
    "campaign.view": frozenset({_ADMIN, _MANAGER, _PANEL}),
    "campaign.manage": frozenset({_ADMIN, _MANAGER}),
    "library.edit": frozenset({_ADMIN, _MANAGER}),
    "score.enter": frozenset({_ADMIN, _MANAGER, _PANEL}),
    "results.moderate": frozenset({_ADMIN, _MANAGER, _PANEL}),
    "database.admin": frozenset({_ADMIN}),
    "demo.build": frozenset({_ADMIN}),
    "people.view": frozenset({_ADMIN, _MANAGER}),
    "people.manage": frozenset({_ADMIN}),
    "audit.view": frozenset({_ADMIN, _MANAGER}),
    "data.protect": frozenset({_ADMIN, _MANAGER}),
    "retention.purge": frozenset({_ADMIN}),
    "settings.manage": frozenset({_ADMIN}),
    # Recruiting managers only with person.equality_monitoring (services/equality.py).
    "equality.monitor": frozenset({_ADMIN, _MANAGER}),
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
    "equality.monitor": "see equality monitoring answers or figures",
}


def may(actor: Actor, use_case: str) -> bool:
    """Whether the actor's role may do this at all: what the screens ask, so they offer
    only what the core allows."""
    return actor.role in ALLOWED[use_case]


def refusal(actor: Actor, use_case: str) -> str:
    """Why the actor may not do this, in the words the core refuses with ("" if they
    may): the tooltip of a button the screen disables."""
    if may(actor, use_case):
        return ""
    role = Role.phrase_for(actor.role)
    return (
        f"As a {role}, {actor.name} may not {DESCRIPTIONS[use_case]}. "
        "Ask an administrator if you need to."
    )


def require(actor: Actor, use_case: str) -> None:
    if not may(actor, use_case):
        raise PermissionDenied(refusal(actor, use_case))
