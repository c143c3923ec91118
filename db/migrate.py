"""Applying Alembic migrations programmatically (Alembic is imported only here)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from recruit_app.errors import DatabaseUnavailable

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


# Any number: two servers' worth of desktops starting at once upgrade one at a time.
UPGRADE_LOCK_KEY = 0x5245_4352_5549_54  # "RECRUIT"


def upgrade_to_head(engine: Engine) -> None:
    """Apply every pending migration in ONE transaction: all of them, or none.

    SQLite and PostgreSQL both roll schema changes back with the transaction, so an
    upgrade killed or failing at any statement leaves the database as it was, and the
    next start simply upgrades it again. On SQLite the transaction starts with BEGIN
    IMMEDIATE (see `db.engine`): the driver alone would run DDL outside any transaction.
    """
    from alembic import command

    config = alembic_config()
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        driver = connection.connection.driver_connection
        assert driver is not None  # an open connection has its driver's connection
        if sqlite:
            # SQLite changes a table by copying it and dropping the old one. With foreign keys
            # enforced, that drop would cascade and delete every row that points at the table
            # (a campaign's stages and candidates), so they are off while migrating (a PRAGMA
            # that only works outside a transaction: the driver connection is in autocommit
            # mode) and checked before committing.
            driver.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                if not sqlite:
                    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({UPGRADE_LOCK_KEY})")
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        tables = sorted({row[0] for row in broken})
                        raise DatabaseUnavailable(
                            "The database could not be upgraded, and nothing was changed: the "
                            f"upgrade would break references in {', '.join(tables)}."
                        )
        finally:
            if sqlite:
                driver.execute("PRAGMA foreign_keys=ON")


def autogenerate(engine: Engine, message: str, revision_id: str) -> None:
    """Developer helper: write a new migration from the models' differences."""
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.revision(config, message=message, autogenerate=True, rev_id=revision_id)
