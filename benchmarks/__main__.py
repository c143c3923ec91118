"""`python -m benchmarks [--quick]`: run every job, print the table, write results/latest.json."""

from __future__ import annotations

import argparse
import inspect
import os
from collections.abc import Callable
from pathlib import Path

from benchmarks import (
    applications,
    commands,
    packs,
    reader,
    row_security,
    scheduling,
    scoring_jobs,
    screens,
    startup,
)
from benchmarks.harness import Result, print_table, write_json

PG_ENV = "RECRUIT_APP_BENCH_PG"

# Each takes `quick`, and those with database jobs also `pg_url`.
SUITES: dict[str, Callable[..., list[Result]]] = {
    "startup": startup.run,
    "commands": commands.run,
    "scheduling": scheduling.run,
    "scoring": scoring_jobs.run,
    "screens": screens.run,
    "packs": packs.run,
    "applications": applications.run,
    "reader": reader.run,
    "row_security": row_security.run,
}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, a few seconds")
    parser.add_argument("--only", action="append", choices=sorted(SUITES), help="suites to run")
    parser.add_argument("--output", type=Path, help="JSON file (default: results/latest.json)")
    parser.add_argument(
        "--pg",
        metavar="URL",
        default=os.environ.get(PG_ENV),
        help=f"also run the database jobs on this PostgreSQL server (or ${PG_ENV}); "
        "a throwaway database is created on it and dropped afterwards",
    )
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    results = []
    for name, run in SUITES.items():
        if args.only and name not in args.only:
            continue
        takes_pg = "pg_url" in inspect.signature(run).parameters
        results.extend(run(args.quick, args.pg) if takes_pg else run(args.quick))
    print(f"cores: {os.cpu_count()}")
    print_table(results)
    path = write_json(results, args.output)
    print(f"written to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
