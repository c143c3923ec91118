"""Command jobs: `recruit-app campaign list --json` as whole processes.

Each sample is a fresh process, from spawn to exit, as a script calling the command sees
it. The baseline is a bare Python process doing the same: it opens the same SQLite file
with sqlite3, runs the same query and prints the same JSON, importing nothing of the app
or its data stack. Samples alternate (app, baseline, app, baseline...), so a change in
the machine's load touches both sides alike.

Bytecode is written (PYTHONDONTWRITEBYTECODE unset) and one warm-up run of each makes the
.pyc files, as on an installed desktop; the app's warm-up also loads the built-in library
into the new database, as its first command would.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

from benchmarks.harness import Result, base_env, python, summarise, time_alternating
from benchmarks.synthetic import add_campaign
from db.database import open_database

CAMPAIGNS = 40

# The baseline: what `campaign list --json` prints (recruit_app.services.campaign_list),
# restated with the standard library only.
BARE_LIST = """
import json, sqlite3, sys
from datetime import UTC, datetime

def moment(text):
    return datetime.fromisoformat(text).replace(tzinfo=UTC).isoformat()

connection = sqlite3.connect(sys.argv[1])
rows = connection.execute(
    "SELECT reference, title, status, archived, created_at, updated_at, updated_by, version"
    " FROM campaign WHERE archived = 0 ORDER BY created_at DESC, id DESC"
).fetchall()
print(json.dumps([
    {"reference": r[0], "title": r[1], "status": r[2], "archived": bool(r[3]),
     "created_at": moment(r[4]), "updated_at": moment(r[5]), "updated_by": r[6],
     "version": r[7]}
    for r in rows
], indent=2, ensure_ascii=False))
"""


def make_database(path: Path, campaigns: int, candidates: int) -> Path:
    """`campaigns` campaigns; the first holds `candidates` candidates, the rest none."""
    database = open_database(str(path))
    try:
        for n in range(campaigns):
            add_campaign(
                database,
                f"BENCH-{n + 1:03d}",
                f"Benchmark campaign {n + 1}",
                candidates if n == 0 else 0,
            )
    finally:
        database.dispose()
    return path


def _env(home: Path) -> dict[str, str]:
    env = base_env(RECRUIT_APP_HOME=str(home))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # installed desktops keep their .pyc files
    env.pop("RECRUIT_APP_USER", None)
    return env


def _app(database: Path) -> list[str]:
    return [python(), "-m", "recruit_app", "--db", str(database), "campaign", "list", "--json"]


def _bare(database: Path) -> list[str]:
    return [python(), "-c", BARE_LIST, str(database)]


def run_listing(command: list[str], env: dict[str, str], expect: int) -> None:
    """Run `command` to its exit (timed by the caller); it must list `expect` campaigns."""
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"{command[1:4]} failed (exit {done.returncode}): {done.stderr[-2000:]}")
    listed = json.loads(done.stdout)
    if len(listed) != expect:
        raise RuntimeError(f"{command[1:4]} listed {len(listed)} campaigns, not {expect}")


def alternate(
    app: list[str], baseline: list[str], env: dict[str, str], expect: int, repeat: int
) -> tuple[list[float], list[float]]:
    """Whole processes, from spawn to exit, in turn: app, baseline, app, baseline..."""
    return time_alternating(
        lambda: run_listing(app, env, expect), lambda: run_listing(baseline, env, expect), repeat
    )


def run(quick: bool) -> list[Result]:
    repeat = 3 if quick else 21
    big = 200 if quick else 10_000
    with tempfile.TemporaryDirectory(prefix="recruit-bench-") as folder:
        work = Path(folder)
        env = _env(work / "home")
        small_db = make_database(work / "campaigns.sqlite3", CAMPAIGNS, 0)
        big_db = make_database(work / "candidates.sqlite3", CAMPAIGNS, big)
        small, bare_small = alternate(_app(small_db), _bare(small_db), env, CAMPAIGNS, repeat)
        large, bare_large = alternate(_app(big_db), _bare(big_db), env, CAMPAIGNS, repeat)

    listed = summarise(
        f"command: campaign list --json, {CAMPAIGNS} campaigns",
        small,
        bare_small,
        "under 0.30 s",
        lambda m, _r: m < 0.30,
    )
    return [
        listed,
        summarise(
            f"command: campaign list --json, one with {big:,} candidates",
            large,
            bare_large,
            "under 0.30 s, within 10 % of the run above",
            lambda m, _r: m < 0.30 and m <= listed.median_s * 1.1,
        ),
    ]
