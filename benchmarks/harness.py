"""Timing helpers, the result record, the machine's load and the printed table."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from recruit_app.memory import settle_memory

RESULTS_DIR = Path(__file__).parent / "results"
# The fields of a job in results/latest.json (README, tests/acceptance/test_benchmarks_run.py).
JSON_FIELDS = (
    "job",
    "median_s",
    "min_s",
    "max_s",
    "baseline_s",
    "ratio",
    "target",
    "target_met",
)
MACHINE_JOB = "machine: 1-minute load average during the run"


def load_average() -> tuple[float, float, float]:
    """os.getloadavg() (1, 5 and 15 minutes), or zeros where the system has none."""
    try:
        one, five, fifteen = os.getloadavg()
    except (AttributeError, OSError):
        return 0.0, 0.0, 0.0
    return round(one, 2), round(five, 2), round(fifteen, 2)


# The machine's load as the run started (this module is imported before any job runs),
# after each job, and as the table was printed.
_RUN_STARTED = load_average()
_JOB_LOADS: list[float] = []
_machine: Result | None = None


@dataclass
class Result:
    job: str
    median_s: float
    min_s: float
    max_s: float
    baseline_s: float | None
    ratio: float | None
    target: str
    target_met: bool
    # Not written to the JSON (its fields are documented): shown in the printed table.
    load: float | None = None  # the 1-minute load average as the job finished
    notes: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in JSON_FIELDS}


def summarise(
    job: str,
    samples: list[float],
    baseline: list[float] | None,
    target: str,
    met: Callable[[float, float | None], bool],
    *,
    baseline_is_app: bool = False,
) -> Result:
    """The job's record. `met(median, ratio)` says whether the target is met.

    With `baseline_is_app`, the baseline samples are the app itself doing a smaller job
    (not the bare libraries): no ratio is claimed; `met` gets the growth factor instead,
    and the target text says what it was, and that the baseline is the app.
    """
    median = statistics.median(samples)
    base = statistics.median(baseline) if baseline else None
    ratio = median / base if base else None
    if baseline_is_app:
        growth = "-" if ratio is None else f"{ratio:.2f}"
        target = f"{target} (measured {growth}; the baseline is the app itself)"
    load = load_average()[0]
    _JOB_LOADS.append(load)
    return Result(
        job=job,
        median_s=round(median, 4),
        min_s=round(min(samples), 4),
        max_s=round(max(samples), 4),
        baseline_s=round(base, 4) if base is not None else None,
        ratio=None if baseline_is_app or ratio is None else round(ratio, 2),
        target=target,
        target_met=bool(met(median, ratio)),
        load=load,
    )


def settle() -> None:
    """After a job's set-up, as the app does once started (ui.app.settle_memory): objects made
    so far leave the garbage collector's reach, so its full passes do not walk them, and its
    first pass waits for as many new objects. App and baseline run in this process alike."""
    settle_memory()


def time_calls(
    work: Callable[[], Any],
    repeat: int,
    warmup: int = 1,
    before: Callable[[], Any] | None = None,
) -> list[float]:
    """Seconds each call of `work` takes; `before`, if given, runs untimed before each."""
    settle()
    for _ in range(warmup):
        if before is not None:
            before()
        work()
    samples = []
    for _ in range(repeat):
        if before is not None:
            before()
        start = time.perf_counter()
        work()
        samples.append(time.perf_counter() - start)
    return samples


def _timed(work: Callable[[], Any], before: Callable[[], Any] | None) -> float:
    if before is not None:
        before()
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def time_alternating(
    app: Callable[[], Any],
    baseline: Callable[[], Any],
    repeat: int,
    warmup: int = 1,
    before: Callable[[], Any] | None = None,
    before_baseline: Callable[[], Any] | None = None,
) -> tuple[list[float], list[float]]:
    """Seconds each call of `app` and of `baseline` takes, sampled in turn (A, B, A, B...)
    after `warmup` untimed calls of each, so that a change in the machine's load falls on
    both alike. `before` runs untimed before each call of `app`, `before_baseline` before
    each of `baseline` (`before` too when not given)."""
    if before_baseline is None:
        before_baseline = before
    settle()
    for _ in range(warmup):
        _timed(app, before)
        _timed(baseline, before_baseline)
    ours: list[float] = []
    bare: list[float] = []
    for _ in range(repeat):
        ours.append(_timed(app, before))
        bare.append(_timed(baseline, before_baseline))
    return ours, bare


def process_seconds(command: list[str], env: dict[str, str], marker: str) -> float:
    """Seconds from spawning `command` to the wall-clock time it prints after `marker`."""
    started = time.time()
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    for line in done.stdout.splitlines():
        if line.startswith(f"BENCHMARK {marker} "):
            return float(line.split()[2]) - started
    raise RuntimeError(
        f"{command[0]} printed no '{marker}' mark (exit {done.returncode}): {done.stderr[-2000:]}"
    )


def time_processes(
    command: list[str], env: dict[str, str], marker: str, repeat: int, warmup: int = 1
) -> list[float]:
    for _ in range(warmup):
        process_seconds(command, env, marker)
    return [process_seconds(command, env, marker) for _ in range(repeat)]


def time_processes_alternating(
    app_cmd: list[str],
    app_env: dict[str, str],
    base_cmd: list[str],
    base_env: dict[str, str],
    marker: str,
    repeat: int,
    warmup: int = 1,
    *,
    base_marker: str | None = None,
) -> tuple[list[float], list[float]]:
    """process_seconds of the app's command and the baseline's, in turn (A, B, A, B...)
    after `warmup` runs of each; the baseline prints `base_marker` if it differs."""
    base_mark = base_marker or marker
    for _ in range(warmup):
        process_seconds(app_cmd, app_env, marker)
        process_seconds(base_cmd, base_env, base_mark)
    ours: list[float] = []
    bare: list[float] = []
    for _ in range(repeat):
        ours.append(process_seconds(app_cmd, app_env, marker))
        bare.append(process_seconds(base_cmd, base_env, base_mark))
    return ours, bare


def base_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.update(extra)
    return env


def python() -> str:
    return sys.executable


# --- the machine's load ------------------------------------------------------------


def machine_result() -> Result:
    """The run's load, as a record in the table and the JSON: the 1-minute load average
    at the start, after each job and at the end (median, lowest, highest), against the
    number of cores. Worked out once, when the table is first printed or written."""
    global _machine
    if _machine is None:
        ended = load_average()
        cores = os.cpu_count() or 1
        loads = [_RUN_STARTED[0], *_JOB_LOADS, ended[0]]
        _machine = Result(
            job=MACHINE_JOB,
            median_s=round(statistics.median(loads), 2),
            min_s=min(loads),
            max_s=max(loads),
            baseline_s=None,
            ratio=None,
            target=(
                f"load (not seconds) under the {cores} cores throughout; 1/5/15-minute "
                f"averages at the start {_triple(_RUN_STARTED)}, at the end {_triple(ended)}"
            ),
            target_met=max(loads) < cores,
            load=ended[0],
            notes={"start": _RUN_STARTED, "end": ended, "cores": cores},
        )
    return _machine


def _triple(loads: tuple[float, float, float]) -> str:
    return " / ".join(f"{x:.2f}" for x in loads)


def _with_machine(results: list[Result]) -> list[Result]:
    if any(r.job == MACHINE_JOB for r in results):
        return results
    return [*results, machine_result()]


def print_table(results: list[Result]) -> None:
    """The jobs, then the machine's load as a last row (see machine_result)."""
    rows_of = _with_machine(results)
    headers = ["job", "median s", "min s", "max s", "baseline s", "ratio", "target", "met", "load"]
    rows = [
        [
            r.job,
            f"{r.median_s:.4f}" if r.job != MACHINE_JOB else f"{r.median_s:.2f}",
            f"{r.min_s:.4f}" if r.job != MACHINE_JOB else f"{r.min_s:.2f}",
            f"{r.max_s:.4f}" if r.job != MACHINE_JOB else f"{r.max_s:.2f}",
            "-" if r.baseline_s is None else f"{r.baseline_s:.4f}",
            "-" if r.ratio is None else f"{r.ratio:.2f}",
            r.target,
            "yes" if r.target_met else "NO",
            "-" if r.load is None else f"{r.load:.2f}",
        ]
        for r in rows_of
    ]
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows, strict=False)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    for row in rows:
        print("  ".join(str(x).ljust(w) for x, w in zip(row, widths, strict=True)))
    machine = machine_result()
    print(
        f"machine load (1/5/15-minute averages): {_triple(machine.notes['start'])} at the "
        f"start, {_triple(machine.notes['end'])} at the end, on {machine.notes['cores']} cores; "
        "the load column is the 1-minute average as each job finished"
    )


def write_json(results: list[Result], path: Path | None = None) -> Path:
    """A list of job records (JSON_FIELDS), the machine's load the last of them."""
    path = path or RESULTS_DIR / "latest.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    records = [r.to_json() for r in _with_machine(results)]
    path.write_text(json.dumps(records, indent=2) + "\n", encoding="utf-8")
    return path
