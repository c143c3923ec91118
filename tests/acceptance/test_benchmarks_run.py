"""The benchmark command runs end to end at tiny sizes, so it cannot rot (no timing asserted)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_quick_benchmarks_write_the_documented_json(tmp_path):
    output = tmp_path / "latest.json"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--output", str(output)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "cores: " in done.stdout
    results = json.loads(output.read_text())
    assert [r["job"] for r in results][:2] == [
        "start-up: main window painted",
        "start-up: campaign list filled",
    ]
    for result in results:
        assert set(result) == {
            "job",
            "median_s",
            "min_s",
            "max_s",
            "baseline_s",
            "ratio",
            "target",
            "target_met",
        }
        assert result["median_s"] > 0 and isinstance(result["target_met"], bool)


@pytest.mark.postgres
def test_quick_database_jobs_also_run_on_postgresql(tmp_path, pg_server_url):
    output = tmp_path / "pg.json"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks",
            "--quick",
            "--only",
            "scoring",
            "--pg",
            pg_server_url,
            "--output",
            str(output),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    jobs = [r["job"] for r in json.loads(output.read_text())]
    assert "import 300 candidates from CSV (PostgreSQL)" in jobs
    assert "save one score from the sheet (PostgreSQL)" in jobs
