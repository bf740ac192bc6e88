"""`pip install .` puts the four command-line programs on PATH (the wheel's scripts directory)."""
import subprocess
import sysconfig
from pathlib import Path

import pytest

import wfm

PROGRAMS = ["wfm-forecast", "wfm-staff", "wfm-schedule", "wfm-simulate"]
INSTALLED = "site-packages" in Path(wfm.__file__).parts  # not when run from the source tree


@pytest.mark.skipif(not INSTALLED, reason="wfm is imported from the source tree, not installed")
@pytest.mark.parametrize("program", PROGRAMS)
def test_program_is_installed_and_runs(program):
    exe = Path(sysconfig.get_path("scripts")) / program
    assert exe.is_file(), f"{program} is not in {exe.parent}"
    done = subprocess.run([str(exe), "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Exit codes: 0 done" in done.stdout


@pytest.mark.skipif(not INSTALLED, reason="wfm is imported from the source tree, not installed")
def test_installed_program_reports_bad_input_with_exit_code_2(tmp_path):
    bad = tmp_path / "in.csv"
    bad.write_text("timestamp,volume,aht_s\n2026-03-02 08:00,0x1A,200\n")
    exe = Path(sysconfig.get_path("scripts")) / "wfm-staff"
    done = subprocess.run([str(exe), "-i", str(bad), "--interval-length", "900"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "in.csv, line 2, column 'volume'" in done.stderr
