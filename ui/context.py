"""The app context: settings, the open database, who is acting, thread pools, change bus.

Built once by the GUI entry point and handed to every view through its constructor.

Where the database asks everyone to sign in, it waits in `awaiting_sign_in` until someone
has: `database` (what the views read) stays None meanwhile, so no view shows its data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThreadPool

from recruit_app.errors import DatabaseUnavailable
from recruit_app.services.context import Actor, ServiceContext
from recruit_app.settings import Settings, resolve_database_url
from ui.change_bus import ChangeBus
from ui.operations import OperationRunner

if TYPE_CHECKING:
    from db.database import Database


# Who acts while nobody is signed in: no role, so the core refuses everything.
NOBODY = Actor(name="Nobody signed in", role="nobody")


def _pool(threads: int, parent: QObject) -> QThreadPool:
    pool = QThreadPool(parent)
    pool.setMaxThreadCount(threads)
    return pool


class AppContext(QObject):
    def __init__(
        self,
        settings: Settings,
        *,
        db_url_override: str | None = None,
        actor: Actor | None = None,
        your_name: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.db_url_override = db_url_override
        self.your_name_override = your_name  # --your-name, for this session only
        # Tests and tools that name the actor keep it: they never go through sign-in.
        self.signed_in_by_caller = actor is not None
        self.actor = actor or self.desk_owner()
        self.signed_in = False  # True once someone has signed in with a password
        self.database: Database | None = None
        self.awaiting_sign_in: Database | None = None
        self.bus = ChangeBus(self)
        # One pool per purpose: reads in parallel, a single writer (SQLite has one), exports.
        self.reads = OperationRunner(_pool(2, self), self)
        self.writes = OperationRunner(_pool(1, self), self)
        self.exports = OperationRunner(_pool(1, self), self)

    def desk_owner(self) -> Actor:
        """Who acts where nobody signs in: the name given in Settings, else this computer's
        user."""
        return Actor.local_owner(self.your_name_override or self.settings.get("your_name"))

    def rename_desk_owner(self) -> None:
        """The name in Settings changed: act under it from now on, where nobody signed in."""
        if self.database is not None and not self.signed_in and not self.signed_in_by_caller:
            self.actor = self.desk_owner()

    def requested_database_url(self) -> str:
        return resolve_database_url(self.db_url_override, self.settings)

    def service_context(self) -> ServiceContext:
        if self.database is None:
            raise DatabaseUnavailable("No database is open yet.")
        return ServiceContext(
            db=self.database,
            actor=self.actor,
            organisation=self.settings.get("organisation_name"),
            brand_colour=self.settings.get("brand_colour"),
            logo_path=self.settings.get("logo_path"),
            marking=self.settings.get("protective_marking"),
        )

    @property
    def current_database(self) -> Database | None:
        """The open database, in use or waiting for someone to sign in."""
        return self.database or self.awaiting_sign_in

    def use_database(self, database: Any) -> None:
        """Put a newly opened database in use without sign-in; the previous one is closed
        once idle. Without sign-in the desktop's owner acts, unless the caller named someone."""
        self._replace(in_use=database, awaiting=None)
        if not self.signed_in_by_caller:
            self.actor = self.desk_owner()
        self.signed_in = False

    def hold_for_sign_in(self, database: Any) -> None:
        """A newly opened database that asks everyone to sign in: nobody reads it until then."""
        self._replace(in_use=None, awaiting=database)
        self.actor = NOBODY
        self.signed_in = False

    def sign_in_as(self, actor: Actor) -> None:
        """Someone signed in to the database waiting for it: put it in use, acting as them."""
        if self.awaiting_sign_in is None:
            raise DatabaseUnavailable("No database is waiting for someone to sign in.")
        self.database, self.awaiting_sign_in = self.awaiting_sign_in, None
        self.actor = actor
        self.signed_in = True

    def sign_out(self) -> None:
        """Back to waiting for someone to sign in; the database stays open for them (on a
        shared server, without the person's own connection, which is closed)."""
        if self.database is not None:
            from recruit_app.services.auth import sign_out

            self.wait_for_workers()
            sign_out(self.database)
            self.awaiting_sign_in, self.database = self.database, None
        self.actor = NOBODY
        self.signed_in = False

    def _replace(self, *, in_use: Any, awaiting: Any) -> None:
        previous = (self.database, self.awaiting_sign_in)
        self.database, self.awaiting_sign_in = in_use, awaiting
        retired = [db for db in previous if db is not None and db not in (in_use, awaiting)]
        if retired:
            self.wait_for_workers()
            for database in retired:
                database.dispose()

    def wait_for_workers(self, timeout_ms: int = 30_000) -> None:
        for runner in (self.reads, self.writes, self.exports):
            runner.pool.waitForDone(timeout_ms)

    def shutdown(self) -> None:
        for runner in (self.reads, self.writes, self.exports):
            runner.close()
        self.wait_for_workers()
        for database in (self.database, self.awaiting_sign_in):
            if database is not None:
                database.dispose()
        self.database = self.awaiting_sign_in = None
