"""Every DataFrame the package returns speaks wfm's vocabulary (include/wfm/core/vocabulary.hpp)."""
import numpy as np
import pandas as pd
import pytest

import wfm
from vocabulary import NAMES, in_vocabulary, outside
from test_planning import bundled


def test_the_table_is_read():
    assert {"timestamp", "volume", "aht_s", "agents_required", "service_level"} <= NAMES
    assert len(NAMES) > 30
    assert in_vocabulary("volume_lower") and not in_vocabulary("forecast")
    assert not in_vocabulary("sl") and not in_vocabulary("volume_hw")


@pytest.fixture(scope="module")
def plan():
    history, holidays = bundled()
    return wfm.plan(history, holidays=holidays, time_limit_s=1, replications=5)


def test_every_frame_of_a_plan(plan):
    for name in ("forecast", "staffing", "schedule", "breaks", "coverage", "tours",
                 "simulation", "summary", "history"):
        frame = getattr(plan, name)
        assert outside(frame.columns) == [], name
    for name in ("forecast", "staffing", "coverage", "simulation", "history"):
        assert getattr(plan, name).index.name == "timestamp", name


def test_every_frame_of_the_modules():
    history, _ = bundled()
    volume = history["volume"].tz_localize(None)
    at = pd.date_range("2026-03-30 08:00", periods=8, freq="15min")
    frames = {
        "forecast": wfm.forecast.forecast(volume, at=at),
        "forecast, aht and levels": wfm.forecast.forecast(
            volume, at=at, level=[0.8, 0.95], aht=history["aht_s"].tz_localize(None)),
        "forecast_many": wfm.forecast.forecast_many([volume], at=at)[0],
        "backtest": wfm.forecast.backtest(volume, origins=2, methods=["seasonal_naive"]),
    }
    week = pd.DataFrame({"volume": [20.0, 30.0], "aht_s": [300.0, 300.0],
                         "patience_s": [120.0, 120.0]},
                        index=pd.DatetimeIndex(at[:2], name="timestamp"))
    frames["queueing.plan"] = wfm.queueing.plan(week)
    sim = wfm.simulation
    res = sim.simulate(interval_length=900.0, arrival_rate=np.array([20.0, 30.0]) / 900,
                       handle_time=sim.Distribution.exponential(mean=300.0),
                       agents=np.array([8.0, 10.0]), replications=5)
    frames["simulation.to_frame"] = sim.to_frame(res)
    frames["simulation.total_series"] = sim.total_series(res).to_frame().T
    frames["simulation.simulate_frame"] = sim.simulate_frame(
        week.assign(agents=[8, 10]), interval_length=900.0,
        handle_time=sim.Distribution.exponential(mean=1.0), replications=5)
    for name, frame in frames.items():
        assert outside(frame.columns) == [], name
