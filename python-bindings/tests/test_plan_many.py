"""wfm-plan-many: many queues forecast and staffed from one CSV (in this process)."""
import numpy as np
import pandas as pd

from wfm import plan_many
from vocabulary import outside


def write_history(path, bad_volume=False):
    rng = np.random.default_rng(2)
    t = pd.date_range("2024-01-01", periods=3 * 7 * 96, freq="15min")
    shape = 1.0 + np.sin((t.hour * 60 + t.minute).to_numpy() / 1440.0 * 2 * np.pi - np.pi / 2)
    h = pd.concat([pd.DataFrame({"queue": q, "timestamp": t,
                                 "volume": rng.poisson((3 + 4 * i) * shape).astype(float)})
                   for i, q in enumerate(["east", "north", "west"])], ignore_index=True)
    if bad_volume:
        h.loc[h.index[h["queue"] == "north"][7], "volume"] = -2.0
    h.to_csv(path, index=False, date_format="%Y-%m-%dT%H:%M:%S")
    return h


def test_plans_every_queue(tmp_path):
    h = write_history(tmp_path / "h.csv")
    out = tmp_path / "plan.csv"
    assert plan_many.main([str(tmp_path / "h.csv"), "-o", str(out), "--aht", "300",
                           "--horizon", "1D", "-q"]) == 0
    plan = pd.read_csv(out)
    assert outside(plan.columns) == []
    assert list(plan["queue"].unique()) == ["east", "north", "west"]
    assert (plan.groupby("queue").size() == 96).all()
    assert (plan["status"] == "ok").all()
    # Busier queues need more agents: the levels are 3, 7, 11 contacts at the daily mean.
    total = plan.groupby("queue")["agents_required"].sum()
    assert total["east"] < total["north"] < total["west"]
    first = pd.Timestamp(h["timestamp"].max()) + pd.Timedelta("15min")
    assert pd.Timestamp(plan["timestamp"].min()) == first


def test_a_bad_queue_gets_an_error_row_and_exit_1(tmp_path, capsys):
    write_history(tmp_path / "h.csv", bad_volume=True)
    out = tmp_path / "plan.csv"
    assert plan_many.main([str(tmp_path / "h.csv"), "-o", str(out), "--aht", "300",
                           "--horizon", "1D", "-q"]) == 1
    plan = pd.read_csv(out, keep_default_na=False)
    err = plan[plan["status"] == "error"]
    assert list(err["queue"]) == ["north"] and "north" in err["message"].iloc[0]
    assert set(plan.loc[plan["status"] == "ok", "queue"]) == {"east", "west"}
    assert "north" in capsys.readouterr().err


def test_bad_input_exits_2_and_writes_nothing(tmp_path, capsys):
    h = write_history(tmp_path / "h.csv")
    out = tmp_path / "plan.csv"
    assert plan_many.main([str(tmp_path / "h.csv"), "-o", str(out), "-q"]) == 2
    assert "aht" in capsys.readouterr().err
    h.astype({"volume": str}).assign(volume=lambda d: d["volume"].where(d.index != 5, "x")) \
        .to_csv(tmp_path / "t.csv", index=False)
    assert plan_many.main([str(tmp_path / "t.csv"), "-o", str(out), "--aht", "300", "-q"]) == 2
    assert "t.csv:7:3" in capsys.readouterr().err  # line 7 = header + row index 5 + 1
    assert not out.exists()


def test_console_script_resolves():
    import importlib
    import tomllib
    from pathlib import Path

    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    meta = tomllib.loads(pyproject.read_text())
    module, func = meta["project"]["scripts"]["wfm-plan-many"].split(":")
    assert getattr(importlib.import_module(module), func) is plan_many.main
    assert meta["project"]["optional-dependencies"]["dask"] == ["dask[distributed,dataframe]>=2024.1"]
