"""Timing helpers, the result record and the printed table."""

from __future__ import annotations

import gc
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).parent / "results"


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


def summarise(
    job: str,
    samples: list[float],
    baseline: list[float] | None,
    target: str,
    met: Callable[[float, float | None], bool],
) -> Result:
    median = statistics.median(samples)
    base = statistics.median(baseline) if baseline else None
    ratio = median / base if base else None
    return Result(
        job=job,
        median_s=round(median, 4),
        min_s=round(min(samples), 4),
        max_s=round(max(samples), 4),
        baseline_s=round(base, 4) if base is not None else None,
        ratio=round(ratio, 2) if ratio is not None else None,
        target=target,
        target_met=bool(met(median, ratio)),
    )


def settle() -> None:
    """After a job's set-up, as the app does once started (ui.app.settle_memory): objects made
    so far leave the garbage collector's reach, so its full passes do not walk them."""
    gc.collect()
    gc.freeze()


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


def base_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.update(extra)
    return env


def python() -> str:
    return sys.executable


def print_table(results: list[Result]) -> None:
    headers = ["job", "median s", "min s", "max s", "baseline s", "ratio", "target", "met"]
    rows = [
        [
            r.job,
            f"{r.median_s:.4f}",
            f"{r.min_s:.4f}",
            f"{r.max_s:.4f}",
            "-" if r.baseline_s is None else f"{r.baseline_s:.4f}",
            "-" if r.ratio is None else f"{r.ratio:.2f}",
            r.target,
            "yes" if r.target_met else "NO",
        ]
        for r in results
    ]
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows, strict=False)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    for row in rows:
        print("  ".join(str(x).ljust(w) for x, w in zip(row, widths, strict=True)))


def write_json(results: list[Result], path: Path | None = None) -> Path:
    path = path or RESULTS_DIR / "latest.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n", encoding="utf-8")
    return path
