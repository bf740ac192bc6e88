"""wfm-plan: the outputs, their headers and timestamps, exit codes and the error paths."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from vocabulary import outside
from wfm import plan_cli

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "examples" / "data"
FILES = ("forecast.csv", "staffing.csv", "coverage.csv", "simulation.csv", "schedule.csv",
         "breaks.csv", "tours.csv", "summary.csv", "report.html")


def run(*args, cwd=None):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    return subprocess.run([sys.executable, "-m", "wfm.plan_cli", *map(str, args)],
                          capture_output=True, text=True, env=env, cwd=cwd)


def test_exit_codes_are_wfm_exit_code():
    text = (ROOT / "include" / "wfm" / "core" / "status.hpp").read_text()
    codes = dict(re.findall(r"inline constexpr int (\w+) = (\d+);", text))
    assert {k: int(v) for k, v in codes.items()} == {
        "ok": plan_cli.EXIT_OK, "failure": plan_cli.EXIT_FAILURE,
        "bad_input": plan_cli.EXIT_BAD_INPUT, "infeasible": plan_cli.EXIT_INFEASIBLE,
        "time_limit": plan_cli.EXIT_TIME_LIMIT}
    # exit_code_for(Status), case by case: the cases before each return map to it
    body = text[text.index("exit_code_for(Status s)"):]
    body = body[:body.index("\n}")]
    mapping = {}
    for cases, code in re.findall(r"((?:\s*case Status::\w+:)+)\s*return exit_code::(\w+);", body):
        for status in re.findall(r"Status::(\w+)", cases):
            mapping[status] = int(codes[code])
    assert len(mapping) == 8 and mapping == plan_cli._EXIT_FOR


def test_history_alone_gives_every_file(tmp_path):
    out = tmp_path / "out"
    r = run(DATA / "history.csv", "-o", out, "--time-limit", "1", "--replications", "5")
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    mask = os.umask(0)
    os.umask(mask)  # the folder and the report as ordinary new ones, not the temporaries' 0700
    assert out.stat().st_mode & 0o777 == 0o777 & ~mask
    assert (out / "report.html").stat().st_mode & 0o777 == 0o666 & ~mask
    assert "[wfm-plan]" in r.stderr and "schedule" in r.stderr  # progress on stderr
    assert "service level" in r.stdout and str(out / "report.html") in r.stdout
    per_interval = {}
    for name in FILES[:-1]:
        frame = pd.read_csv(out / name)
        assert outside(frame.columns) == ["row"] if name == "summary.csv" else \
            outside(frame.columns) == [], name
        if "timestamp" in frame.columns:
            per_interval[name] = frame["timestamp"].tolist()
    assert len(per_interval) == 4
    first = per_interval["forecast.csv"]
    assert all(v == first for v in per_interval.values())
    # one fixed UTC offset in the file and no --time-zone: the plan stays in +01:00
    assert first[0] == "2026-03-30T08:00:00+01:00" or first[0].endswith("+01:00")


def test_time_zone_and_holidays(tmp_path):
    out = tmp_path / "out"
    r = run(DATA / "history.csv", "-o", out, "--time-zone", "Europe/Amsterdam", "--holidays",
            DATA / "holidays.csv", "--time-limit", "1", "--replications", "5", "-q")
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    stamps = pd.read_csv(out / "forecast.csv")["timestamp"]
    assert stamps.iloc[0] == "2026-03-30T08:00:00+02:00"  # summer time after 29 March


def bad(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


GOOD = "timestamp,volume,aht_s\n2026-03-02T08:00:00,10,300\n2026-03-02T08:15:00,12,300\n"


@pytest.mark.parametrize("text, where", [
    ("timestamp,volume\n2026-03-02T08:00:00,10\nyesterday,12\n", ":3:1: timestamp 'yesterday'"),
    ("timestamp,volume,aht_s\n2026-03-02T08:00:00,10,300\n2026-03-02T08:15:00,-1,300\n",
     ":3:2: volume -1"),
    ("timestamp,aht_s,volume\n2026-03-02T08:00:00,300,10\n2026-03-02T08:15:00,0,1\n",
     ":3:2: aht_s 0"),
    ("timestamp,volume\n2026-03-02T08:00:00,10\n2026-03-02T08:15:00,ten\n", ":3:2: volume 'ten'"),
    ("time,volume\n2026-03-02T08:00:00,10\n", ":1:1: header has no column 'timestamp'"),
    ("timestamp,volume\n2026-03-02T08:00:00,10\n2026-03-02T08:15:00,3\n2026-03-02T08:00:00,1\n",
     ":4:1: timestamp 2026-03-02 08:00:00 repeats line 2"),
    ("timestamp,volume\n2026-03-02T08:00:00,10\n2026-03-02T08:15:00\n", ":3:2: 1 fields"),
    ("timestamp,volume\n2026-03-28T08:00:00+01:00,10\n2026-03-30T08:00:00+02:00,3\n",
     "2 UTC offsets"),
    ("timestamp,volume\n2026-03-02T08:00:00,10\n2026-03-02T08:15:00+01:00,3\n",
     ":3:1: timestamp '2026-03-02T08:15:00+01:00' mixes"),
])
def test_bad_history_names_file_line_and_column(tmp_path, text, where):
    path = bad(tmp_path, "h.csv", text)
    out = tmp_path / "out"
    r = run(path, "-o", out, "--aht", "300")
    assert r.returncode == 2, r.stderr
    assert f"{path}{where}" in r.stderr or where in r.stderr, r.stderr
    assert not out.exists() and list(tmp_path.glob(".out.*")) == []  # nothing written


def test_other_bad_inputs(tmp_path):
    h = bad(tmp_path, "h.csv", GOOD)
    cases = [
        (["--holidays", bad(tmp_path, "d.csv", "date,name\n2026-13-40,x\n")],
         "d.csv:2:1: date '2026-13-40'"),
        (["--shifts", bad(tmp_path, "s.json", '[{"name": "x", "length_s": 1000, "cost": 1}]')],
         "length_s 1000 s is not a whole number"),
        (["--shifts", bad(tmp_path, "t.json", '[{"name": "x",\n "length_s": }]')], "t.json:2:"),
        (["--time-zone", "Mars/Olympus"], "unknown time zone 'Mars/Olympus'"),
        (["--shrinkage", "1.5"], "shrinkage"),
        (["--service-level", "80"], "service_level"),
    ]
    for extra, message in cases:
        r = run(h, "-o", tmp_path / "out", *extra)
        assert r.returncode == 2 and message in r.stderr, (extra, r.stderr)
    r = run(tmp_path / "missing.csv", "-o", tmp_path / "out")
    assert r.returncode == 2 and "missing.csv: cannot open" in r.stderr
    r = run(h, "-o", tmp_path / "out", "--no-such-flag")
    assert r.returncode == 2  # argparse's usage error
    assert not (tmp_path / "out").exists()


def test_an_old_output_folder_is_left_alone_on_failure_and_replaced_on_success(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.txt").write_text("old")
    h = bad(tmp_path, "h.csv", GOOD.replace(",12,", ",-12,"))
    assert run(h, "-o", out, "--aht", "300").returncode == 2
    assert [p.name for p in out.iterdir()] == ["old.txt"]
    r = run(DATA / "history.csv", "-o", out, "--time-limit", "1", "--replications", "3", "-q")
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_an_output_that_cannot_be_written_is_a_failure(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    r = run(DATA / "history.csv", "-o", blocker / "out", "--time-limit", "1",
            "--replications", "3", "-q")
    assert r.returncode == 1 and "cannot write" in r.stderr


def test_no_feasible_schedule_exits_3_with_the_outputs(tmp_path):
    # A 13-hour shift cannot fit in any day's opening hours (at most 12 hours).
    shifts = bad(tmp_path, "s.json", json.dumps(
        [{"name": "long", "length_s": 13 * 3600, "cost": 13}]))
    out = tmp_path / "out"
    r = run(DATA / "history.csv", "-o", out, "--shifts", shifts, "--time-limit", "1", "-q")
    assert r.returncode == 3, r.stderr
    assert "infeasible" in r.stdout
    staffing = pd.read_csv(out / "staffing.csv")
    assert len(staffing) > 0 and len(pd.read_csv(out / "schedule.csv")) == 0


def test_help_states_the_defaults():
    r = run("--help")
    assert r.returncode == 0
    for text in ("service level 0.8", "20 s", "full-8h", "part-4h", "exit codes", "default 10",
                 "[s]"):
        assert text in r.stdout, text


def test_pip_install_puts_wfm_plan_on_the_path():
    import importlib
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+

    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    module, _, name = scripts["wfm-plan"].partition(":")
    assert getattr(importlib.import_module(module), name) is plan_cli.main
    installed = Path(sys.executable).parent / "wfm-plan"
    if installed.exists():  # after `pip install .` (scripts/setup.sh)
        r = subprocess.run([str(installed), "--help"], capture_output=True, text=True)
        assert r.returncode == 0 and "exit codes" in r.stdout


def test_naive_times_in_a_zone_with_goals_and_a_horizon(tmp_path, capsys):
    h = pd.read_csv(DATA / "history.csv")
    h["timestamp"] = h["timestamp"].str.slice(0, 19)  # local wall-clock times, no offset
    path = tmp_path / "naive.csv"
    h.to_csv(path, index=False)
    out = tmp_path / "out"
    code = plan_cli.main([str(path), "-o", str(out), "--time-zone", "Europe/Amsterdam",
                          "--horizon", "2026-03-30", "2026-04-01", "--patience", "120",
                          "--shrinkage", "0.2", "--max-abandon-rate", "0.05", "--time-limit",
                          "1", "--replications", "3", "-q"])
    assert code == 0, capsys.readouterr().err
    staffing = pd.read_csv(out / "staffing.csv")
    assert staffing["timestamp"].iloc[0] == "2026-03-30T08:00:00+02:00"
    assert staffing["timestamp"].iloc[-1] == "2026-03-31T19:45:00+02:00"  # two days
    assert (staffing["abandon_rate"] <= 0.05).all() and (staffing["abandon_rate"] > 0).any()
    coverage = pd.read_csv(out / "coverage.csv")
    assert (coverage["agents_required_gross"] == coverage["agents_required"] / 0.8).all()
    assert "report:" in capsys.readouterr().out
