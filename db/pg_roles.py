"""People as PostgreSQL roles: the name of each person's login role, and the groups.

On a shared PostgreSQL server each person who signs in is a login role of their own, and
signing in is connecting as it: the server checks the password (SCRAM). A role's name is
derived from the database and the e-mail, so the app knows whom to connect as before it
can read anything: `recruit:ada@department.gov.uk` in the database `recruit`. Names over
PostgreSQL's 63-byte limit become `recruit~` and the MD5 of the full name (the database's
own function `recruit_role_name` gives the same).

The three groups are the same on every Recruit database of a server; a person's role
belongs to one database (its name says which), so being an administrator in one grants
nothing in another.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import text
from sqlmodel import Session

GROUPS = {
    "administrator": "recruit_administrators",
    "recruiting_manager": "recruit_managers",
    "panel_member": "recruit_panel_members",
}
NAME_LIMIT = 63  # bytes: PostgreSQL's NAMEDATALEN - 1
PANEL_SCHEMA = "recruit_panel"  # where panel members' view of the candidates lives


def role_name(database: str, email: str) -> str:
    """The login role of the person with this e-mail (as stored: trimmed, lower case)."""
    name = f"{database}:{email.strip().lower()}"
    if len(name.encode("utf-8")) <= NAME_LIMIT:
        return name
    return "recruit~" + hashlib.md5(name.encode("utf-8"), usedforsecurity=False).hexdigest()


def database_roles_prefix(database: str) -> str:
    """What every person role of `database` starts with (long names aside)."""
    return f"{database}:"


# --- the database's own functions (migration 0008), called inside the caller's session --


def scram_verifier(session: Session, role: str, password: str) -> str:
    """The SCRAM verifier of `password` for `role`, made here with libpq's own
    PQencryptPasswordConn: only the verifier ever reaches the server (or its log)."""
    driver = session.connection().connection.driver_connection
    verifier: bytes = driver.pgconn.encrypt_password(  # type: ignore[union-attr]  # psycopg
        password.encode("utf-8"), role.encode("utf-8"), b"scram-sha-256"
    )
    return verifier.decode("ascii")


def enrol(session: Session, person_id: int, email: str, password: str | None = None) -> str:
    """Make or bring up to date the person's login role (group, LOGIN, search_path),
    with a new password if one is given; returns the role's name."""
    role = role_name(database_of(session), email)
    verifier = scram_verifier(session, role, password) if password is not None else None
    session.flush()  # the function reads the person's row as this transaction left it
    name = session.execute(
        text("SELECT recruit_enrol(:person, :verifier)"),
        {"person": person_id, "verifier": verifier},
    ).scalar_one()
    return str(name)


def change_own_password(session: Session, email: str, password: str) -> None:
    role = role_name(database_of(session), email)
    session.execute(
        text("SELECT recruit_change_my_password(:verifier)"),
        {"verifier": scram_verifier(session, role, password)},
    )


def database_of(session: Session) -> str:
    return str(session.connection().engine.url.database)
