"""Errors that name the argument (issue 14, "Messages and limits"), at the Python layer."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wfm import forecast, schedule, simulation


def test_history_with_a_range_index_names_the_index():
    # Was: "duplicate timestamp 1970-01-01" (integers read as nanoseconds since 1970).
    h = pd.Series(np.full(28 * 48, 20.0))
    with pytest.raises(ValueError, match="history.index.*DatetimeIndex.*RangeIndex"):
        forecast.fit(h)


def _sim(roster):
    return simulation.simulate(interval_length=1800.0, arrival_rate=np.array([0.05, 0.05]),
                               handle_time=simulation.Distribution.exponential(mean=180.0),
                               roster=roster, replications=2, seed=1)


def test_roster_agents_must_be_whole():
    # Was: 2.5 truncated silently / "Unable to cast ... to C++ type '?'".
    with pytest.raises(ValueError, match=r"roster\[0\]\.agents.*whole number.*2\.5"):
        _sim([{"start": 0.0, "end": 3600.0, "agents": 2.5}])
    with pytest.raises(ValueError, match=r"roster\[0\]\.start must be a number"):
        _sim([{"start": "8am", "end": 3600.0, "agents": 2}])
    with pytest.raises(ValueError, match=r"roster\[1\].*'end' is missing"):
        _sim([{"start": 0.0, "end": 3600.0}, {"start": 0.0}])
    with pytest.raises(ValueError, match=r"roster\[0\]\.breaks\[0\]"):
        _sim([{"start": 0.0, "end": 3600.0, "breaks": [(100.0,)]}])
    r = _sim([{"start": 0.0, "end": 3600.0, "agents": 12.0}])  # a whole float is fine
    assert r.total.volume.value > 0


def test_simulate_frame_agents_must_be_whole():
    df = pd.DataFrame({"volume": [90.0, 100.0], "aht_s": [180.0, 180.0], "agents": [12, 15.7]})
    with pytest.raises(ValueError, match=r"agents.*whole.*15\.7"):
        simulation.simulate_frame(df, interval_length=1800.0,
                                  handle_time=simulation.Distribution.exponential(mean=180.0))


def test_simulated_queue_horizon_is_named():
    for h in (0.0, 1e308, float("nan")):
        with pytest.raises(ValueError, match="options.horizon"):
            simulation.SimulatedQueue(
                arrival_rate=0.05, handle_time=simulation.Distribution.exponential(mean=180.0),
                options=simulation.SimulatedQueueOptions(horizon=h))


def test_schedule_of_another_model_is_rejected():
    t = schedule.ShiftTemplate(name="A", length=4, cost=4.0, starts=list(range(9)))
    u = schedule.ShiftTemplate(name="B", length=2, cost=1.0, starts=list(range(11)))
    big = schedule.CoverageModel(requirement=np.array([0, 0, 0, 2, 2, 0, 0, 0, 0, 0, 0, 0.0]),
                                 templates=[t, u])
    s = schedule.solve(big, time_limit=5.0)
    assert s.status.name == "optimal"
    small = schedule.CoverageModel(requirement=np.ones(12), templates=[t])
    for fn in (schedule.schedule_to_csv, schedule.schedule_to_json, schedule.coverage_to_csv,
               schedule.to_roster):
        with pytest.raises(ValueError, match="does not belong to the model"):
            fn(small, s)


def test_negative_limits_other_than_minus_one_are_rejected():
    t = schedule.ShiftTemplate(name="A", length=4, cost=4.0, starts=list(range(9)))
    with pytest.raises(ValueError, match="max_headcount.*-5"):
        schedule.CoverageModel(requirement=np.ones(12), templates=[t], max_headcount=-5)
