"""Races with real processes: several `recruit-app` commands at the same moment.

`python -m tests.helpers.races COUNT -- ARGS...` imports the app once, then forks COUNT
children that each run `recruit-app ARGS...` (with `{n}` in an argument replaced by the
child's number). Each child stops just before its first INSERT into the table named by
RACE_TABLE (default: candidate) and waits there until every child has arrived, or until
RACE_WAIT seconds have passed (a child that the fix makes wait for another's lock never
arrives), so the children check what is in the database at the same moment and then
write at the same moment. Prints one JSON line per child: its exit code, stdout, stderr.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def _barrier(folder: Path, count: int, table: str, wait: float) -> None:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    arrived = False

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        nonlocal arrived
        if arrived or not statement.lstrip().upper().startswith(f"INSERT INTO {table.upper()}"):
            return
        arrived = True
        (folder / str(os.getpid())).touch()
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            names = {p.name for p in folder.iterdir()}
            if "open" in names or len(names) >= count:
                break
            time.sleep(0.005)
        else:
            # The others are waiting for this one's lock: nobody else waits here after this.
            (folder / "open").touch()

    event.listen(Engine, "before_cursor_execute", before)


def race(count: int, args: list[str]) -> None:
    import recruit_app.cli as cli
    import recruit_app.services.candidates
    import recruit_app.services.database  # noqa: F401

    folder = Path(tempfile.mkdtemp(prefix="race-"))
    table = os.environ.get("RACE_TABLE", "candidate")
    wait = float(os.environ.get("RACE_WAIT", "3"))
    children = []
    for n in range(count):
        out = tempfile.TemporaryFile()  # noqa: SIM115 - read after the child ends
        err = tempfile.TemporaryFile()  # noqa: SIM115
        pid = os.fork()
        if pid == 0:
            os.dup2(out.fileno(), 1)
            os.dup2(err.fileno(), 2)
            sys.stdout = os.fdopen(1, "w", closefd=False)
            sys.stderr = os.fdopen(2, "w", closefd=False)
            code = 99
            try:
                _barrier(folder, count, table, wait)
                code = cli.main([a.replace("{n}", str(n)) for a in args])
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        children.append((pid, out, err))
    for pid, out, err in children:
        _, status = os.waitpid(pid, 0)
        out.seek(0)
        err.seek(0)
        code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else -os.WTERMSIG(status)
        print(
            json.dumps({"code": code, "out": out.read().decode(), "err": err.read().decode()}),
            flush=True,
        )
    for leftover in folder.iterdir():
        leftover.unlink()
    folder.rmdir()


if __name__ == "__main__":
    separator = sys.argv.index("--")
    race(int(sys.argv[1]), sys.argv[separator + 1 :])
