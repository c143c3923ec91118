"""Start-up jobs: the window painted, the campaign list filled, a big database.

The first two are timed against bare PySide6 windows (benchmarks/baselines/bare_window.py);
the third against the app itself on an empty database, so it is a growth factor, not a
ratio to the bare libraries. The app's samples and the baseline's alternate."""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.harness import Result, base_env, python, summarise, time_processes_alternating
from benchmarks.synthetic import campaign_with_candidates

BARE_WINDOW = str(Path(__file__).parent / "baselines" / "bare_window.py")


def _app(marker: str, database: Path, home: Path) -> tuple[list[str], dict[str, str]]:
    env = base_env(RECRUIT_APP_HOME=str(home), RECRUIT_APP_BENCHMARK_EXIT=marker)
    return [python(), "-m", "recruit_app", "--db", str(database)], env


def run(quick: bool) -> list[Result]:
    repeat, warmup = (1, 0) if quick else (9, 1)
    big = 200 if quick else 10_000
    with tempfile.TemporaryDirectory(prefix="recruit-bench-") as folder:
        work = Path(folder)
        small_db = campaign_with_candidates(work / "small.sqlite3", 40)
        big_db = campaign_with_candidates(work / "big.sqlite3", big)
        empty_db = campaign_with_candidates(work / "empty.sqlite3", 0)
        home = work / "home"
        env = base_env(RECRUIT_APP_HOME=str(home))

        # Each pair sampled in turn (app, baseline, app, baseline...).
        painted, bare = time_processes_alternating(
            *_app("painted", small_db, home),
            [python(), BARE_WINDOW],
            env,
            "painted",
            repeat,
            warmup,
        )
        loaded, bare_db = time_processes_alternating(
            *_app("loaded", small_db, home),
            [python(), BARE_WINDOW, str(small_db)],
            env,
            "loaded",
            repeat,
            warmup,
            base_marker="painted",
        )
        loaded_big, loaded_empty = time_processes_alternating(
            *_app("loaded", big_db, home),
            *_app("loaded", empty_db, home),
            "loaded",
            repeat,
            warmup,
        )

    return [
        summarise(
            "start-up: main window painted",
            painted,
            bare,
            "ratio <= 2",
            lambda _m, r: r is not None and r <= 2,
        ),
        summarise(
            "start-up: campaign list filled",
            loaded,
            bare_db,
            "ratio <= 1.5, under 1.0 s",
            lambda m, r: r is not None and r <= 1.5 and m < 1.0,
        ),
        # Not a bare-library baseline: the app itself with nothing to list, so what is
        # measured is how start-up grows with the data, and no ratio is claimed.
        summarise(
            f"start-up with {big:,} candidates vs the app on an empty database",
            loaded_big,
            loaded_empty,
            "growth <= 1.1",
            lambda _m, growth: growth is not None and growth <= 1.1,
            baseline_is_app=True,
        ),
    ]
