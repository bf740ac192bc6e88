"""README command (1) runs scripts/main_job.py; this keeps it working."""
import subprocess
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]


def test_main_job_plans_the_sample_week(tmp_path):
    out = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "main_job.py"), "--out", str(tmp_path),
         "--time-limit", "5", "--replications", "5"],
        capture_output=True, text=True, check=True).stdout
    for heading in ("1. Staffing", "2. Schedule", "3. Simulation", "4. Headcount"):
        assert heading in out
    staffing = pd.read_csv(tmp_path / "staffing.csv")
    sample = pd.read_csv(ROOT / "examples" / "data" / "sample_week.csv")
    assert len(staffing) == len(sample)
    assert (staffing["status"] == "ok").all()
    assert (staffing["sl"] >= 0.8 - 1e-12).all()
    coverage = pd.read_csv(tmp_path / "coverage.csv")
    assert len(coverage) == 7 * 96
    simulation = pd.read_csv(tmp_path / "simulation.csv")
    assert len(simulation) == 7 * 96
