"""Fault injection with real processes: kill (SIGKILL) a database upgrade part-way.

`python -m tests.helpers.faults upgrade PRISTINE MODE N [N ...]` imports the data layer
once, then for each N:

1. makes a fresh copy of the database PRISTINE (a SQLite file, or a PostgreSQL database
   used as a template) at an older schema revision;
2. forks a child that opens, and so upgrades, the copy, and is killed by SIGKILL -- or
   raises, with MODE `raise` -- just before the Nth SQL statement it sends;
3. forks a second child that opens the copy as the next start would and checks it: at
   the newest revision, its rows all there, its references whole;

and prints one JSON line per N: how the first child ended and what the check found.
Forking after the imports makes each attempt cost milliseconds, not an interpreter start.

`python -m tests.helpers.faults count PRISTINE` prints how many statements a whole
upgrade of a copy of PRISTINE sends.

`python -m tests.helpers.faults command N [N ...] -- ARGS...` runs `recruit-app ARGS` in a
forked child once per N, killed by SIGKILL just before the Nth statement it sends. With
FAULT_STATEMENT set (say, "INSERT INTO equality_answer"), only the statements that begin
with it are counted: the kill then lands at a chosen point of the work, whatever came before.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

EXIT_RAISED, EXIT_OTHER, EXIT_CHECK_FAILED = 3, 4, 5


class InjectedFault(Exception):
    """The error a migration step raises when told to fail."""


def _on_every_statement(action: Any) -> None:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    event.listen(Engine, "before_cursor_execute", action)


def _arm(stop_at: int, mode: str) -> None:
    sent = 0
    counted = os.environ.get("FAULT_STATEMENT", "").upper()

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any, **_kwargs: Any) -> None:
        nonlocal sent
        if counted and not statement.lstrip().upper().startswith(counted):
            return
        sent += 1
        if sent == stop_at:
            if mode == "kill":
                os.kill(os.getpid(), signal.SIGKILL)
            raise InjectedFault(f"injected failure at statement {stop_at}")

    _on_every_statement(before)


def _open(url: str) -> None:
    from db.database import open_database

    open_database(url).dispose()


def _revision(url: str) -> str:
    """The revision the fault left, read before anything opens the database again."""
    from sqlalchemy import create_engine

    from db import schema
    from db.engine import parse_database_url

    engine = create_engine(parse_database_url(url).url)
    try:
        with engine.connect() as connection:
            return schema.current_revision(connection) or "none"
    finally:
        engine.dispose()


def _check(url: str) -> str:
    """What is wrong with the database after a fault, once the next start has opened it."""
    from sqlalchemy import text

    from db import schema
    from db.database import open_database

    db = open_database(url)
    try:
        if db.revision != schema.head_revision():
            return f"at revision {db.revision}"
        with db.engine.connect() as connection:
            references = connection.execute(text("SELECT reference FROM campaign")).all()
            if [tuple(r) for r in references] != [("OLD-1",)]:
                return f"campaigns {references}"
            names = connection.execute(text("SELECT first_name FROM candidate")).all()
            if [tuple(r) for r in names] != [("Siân",)]:
                return f"candidates {names}"
            if connection.dialect.name == "sqlite":
                state = connection.exec_driver_sql("PRAGMA integrity_check").scalar()
                if state != "ok":
                    return f"integrity {state}"
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                if broken:
                    return f"broken references {broken[:3]}"
        return ""
    finally:
        db.dispose()


def _in_child(work: Any) -> tuple[str, str]:
    """Run `work()` in a forked child: how it ended, and what it wrote to the pipe."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        code = 0
        try:
            message = work() or ""
            os.write(write_end, message.encode()[:4000])
            code = EXIT_CHECK_FAILED if message else 0
        except InjectedFault:
            code = EXIT_RAISED
        except BaseException as exc:  # reported, not raised: the child must exit here
            os.write(write_end, f"{type(exc).__name__}: {exc}".encode()[:4000])
            code = EXIT_OTHER
        os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        said = pipe.read().decode(errors="replace")
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}", said
    names = {0: "finished", EXIT_RAISED: "raised", EXIT_OTHER: "error", EXIT_CHECK_FAILED: "bad"}
    return names.get(os.WEXITSTATUS(status), f"exit {os.WEXITSTATUS(status)}"), said


class _Copies:
    """Fresh copies of the pristine database, one per attempt."""

    def __init__(self, pristine: str) -> None:
        self.pristine = pristine
        self.postgres = pristine.startswith("postgresql")
        self.folder = Path(tempfile.mkdtemp(prefix="faults-"))
        self.made: list[str] = []

    def _admin(self, sql: str) -> None:
        import psycopg
        from sqlalchemy.engine import make_url

        url = make_url(self.pristine)
        with psycopg.connect(
            host=url.host,
            port=url.port,
            user=url.username,
            password=url.password,
            dbname="postgres",
            autocommit=True,
        ) as connection:
            connection.execute(sql)

    def new(self) -> str:
        if not self.postgres:
            path = self.folder / f"{uuid.uuid4().hex}.sqlite3"
            shutil.copyfile(self.pristine, path)
            return str(path)
        from sqlalchemy.engine import make_url

        url = make_url(self.pristine)
        name = f"fault_{uuid.uuid4().hex[:12]}"
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{url.database}"')
        self.made.append(name)
        return url.set(database=name).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        if self.postgres:
            from sqlalchemy.engine import make_url

            self._admin(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(url + suffix).unlink(missing_ok=True)
            for leftover in self.folder.iterdir():  # the pre-upgrade copies
                leftover.unlink()

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def upgrade(pristine: str, mode: str, points: list[int]) -> None:
    import db.database
    import db.migrate  # noqa: F401

    copies = _Copies(pristine)
    try:
        for point in points:
            url = copies.new()

            def faulty(url: str = url, point: int = point) -> str:
                _arm(point, mode)
                _open(url)
                return ""

            ended, said = _in_child(faulty)
            _, left_at = _in_child(lambda url=url: f"revision {_revision(url)}")
            checked, problem = _in_child(lambda url=url: _check(url))
            copies.drop(url)
            result = {
                "point": point,
                "ended": ended,
                "said": said,
                "left_at": left_at.removeprefix("revision "),
                "check": checked,
                "problem": problem,
            }
            print(json.dumps(result), flush=True)
    finally:
        copies.close()


def count(pristine: str) -> None:
    copies = _Copies(pristine)
    url = copies.new()
    sent = [0]

    def before(*_args: Any, **_kwargs: Any) -> None:
        sent[0] += 1

    _on_every_statement(before)
    try:
        _open(url)
    finally:
        copies.drop(url)
        copies.close()
    print(sent[0])


def command(points: list[int], args: list[str]) -> None:
    """Run `recruit-app ARGS` once per point, killed just before that statement (`{n}` in
    an argument is replaced by the attempt's number, so each can use its own campaign)."""
    import recruit_app.cli as cli
    import recruit_app.services.candidates
    import recruit_app.services.database  # noqa: F401

    for n, point in enumerate(points):

        def faulty(n: int = n, point: int = point) -> str:
            _arm(point, "kill")
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            code = cli.main([a.replace("{n}", str(n)) for a in args])
            return "" if code == 0 else f"exit {code}"

        ended, said = _in_child(faulty)
        print(json.dumps({"point": point, "ended": ended, "said": said}), flush=True)


if __name__ == "__main__":
    verb, target, *rest = sys.argv[1:]
    if verb == "command":
        separator = sys.argv.index("--")
        command([int(p) for p in sys.argv[2:separator]], sys.argv[separator + 1 :])
    elif verb == "upgrade":
        upgrade(target, rest[0], [int(n) for n in rest[1:]])
    elif verb == "count":
        count(target)
    else:
        raise SystemExit(f"unknown verb {verb}")
