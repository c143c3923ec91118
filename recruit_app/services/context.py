"""Who is acting, on which database: what every service function receives.

Cheap to import (no SQLAlchemy), so the interface can name an Actor before the
data layer has loaded. These stay with the services rather than with the read models
(`recruit_app.readmodels`): they are how a caller reaches a service, holding the database
itself, and no renderer ever needs them.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from typing import TYPE_CHECKING

from recruit_app.vocabulary import Role

if TYPE_CHECKING:
    from db.database import Database


@dataclass(frozen=True)
class Actor:
    """The person a use case runs as."""

    name: str
    role: str = Role.ADMINISTRATOR  # a Role code
    person_id: int | None = None

    @classmethod
    def local_owner(cls, name: str = "") -> Actor:
        """Single-desk mode without sign-in: whoever sits at this desk, an administrator.

        Named by the desk's "your_name" setting, so the audit trail names the person; where
        nobody gave a name, by this computer's user name."""
        name = " ".join("".join(c if c.isprintable() else " " for c in name).split())
        name = name[:NAME_LIMIT]
        return cls(name=name or computer_user(), role=Role.ADMINISTRATOR)


NAME_LIMIT = 200  # characters of a name given at the desk


def computer_user() -> str:
    """This computer's user name (what the audit trail records where nobody gave a name)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "local owner"


@dataclass(frozen=True)
class ServiceContext:
    db: Database
    actor: Actor
    organisation: str = ""  # printed on adverts and packs
    brand_colour: str = ""  # "#1d70b8"; empty or unusable means the house colour
    logo_path: str = ""  # a PNG or JPEG file; empty means none
    # Worn by documents holding personal data (services.branding.document_theme); the app
    # and the commands pass the "protective_marking" setting (OFFICIAL-SENSITIVE).
    marking: str = ""
