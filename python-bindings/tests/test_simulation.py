import threading
import time

import numpy as np
import pandas as pd
import pytest

import wfm
from wfm import simulation as sim


def day(**kw):
    args = dict(interval_length=1800.0,
                arrival_rate=np.array([60.0, 120.0, 150.0, 90.0]) / 1800.0,
                handle_time=sim.Distribution.lognormal(mean=240.0, cv=0.8),
                patience=sim.Distribution.exponential(mean=180.0),
                agents=np.array([10, 18, 22, 14]), replications=40, seed=3, threads=2)
    args.update(kw)
    return sim.simulate(**args)


def test_frame_has_every_measure_with_its_interval():
    res = day(target_times=[20.0, 60.0])
    df = sim.to_frame(res)
    assert len(df) == 4
    for col in ("volume", "answered", "abandoned", "unserved", "abandon_rate", "asa_s",
                "asa_answered_s", "occupancy", "service_level",
                "service_level_virtual_wait_within_60s"):
        assert col in df.columns and col + "_lower" in df.columns and col + "_upper" in df.columns
        assert wfm.in_vocabulary(col) and wfm.in_vocabulary(col + "_lower")
        assert (df[col + "_lower"] <= df[col]).all() and (df[col] <= df[col + "_upper"]).all()
    assert (df["occupancy"].between(0, 1)).all()
    assert (df["service_level"] <= df["service_level_answered_within_60s"]).all()
    # the bounds are the bindings' mean -/+ half-width, clipped to [0, 1] for fractions
    cols = res.columns()
    np.testing.assert_array_equal(df["service_level"], cols["service_level"])
    np.testing.assert_array_equal(df["service_level_upper"],
                                  np.minimum(cols["service_level_upper"], 1.0))
    np.testing.assert_array_equal(df["abandon_rate_lower"],
                                  np.maximum(cols["abandon_rate_lower"], 0.0))
    tot = sim.total_series(res)
    assert tot["volume"] == pytest.approx(df["volume"].sum(), rel=1e-12)
    assert res.replications == 40 and res.events > 0
    assert res.service_levels[0] == ("answered_within", 20.0)
    assert repr(res).startswith("SimulationResult(intervals=4, replications=40")


def test_deterministic_whatever_the_threads():
    a = sim.to_frame(day(threads=1))
    b = sim.to_frame(day(threads=2))
    pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_matches_erlang_c_roughly():
    # M/M/10 at 80 % load (Erlang C: P(W <= 20 s) = 0.6939 for a = 8, AHT 180 s, computed with
    # the Erlang B recursion in tests/simulation/reference.hpp); a long run agrees within 4 CI.
    lam, h, n = 8 / 180.0, 180.0, 10
    res = sim.simulate(interval_length=200000.0, arrival_rate=np.array([lam]),
                       handle_time=sim.Distribution.exponential(mean=h), agents=np.array([n]),
                       replications=8, seed=5, warmup=3600.0, definitions=["answered_within"])
    a = 8.0
    b = 1.0
    for k in range(1, n + 1):
        b = a * b / (k + a * b)
    c = n * b / (n - a * (1 - b))
    exact = 1 - c * np.exp(-(n / h - lam) * 20.0)
    est = res.total.service_level[0]
    assert abs(est.value - exact) <= 2 * est.half_width
    assert est.half_width < 0.03


def test_simulate_frame_and_roster():
    frame = pd.DataFrame({"volume": [60, 120, 150, 90], "aht_s": [240, 250, 260, 240],
                          "agents": [10, 18, 22, 14], "patience_s": [180, 180, 200, 200]},
                         index=pd.date_range("2026-03-02 08:00", periods=4, freq="30min"))
    df = sim.simulate_frame(frame, interval_length=1800.0,
                            handle_time=sim.Distribution.exponential(mean=240.0),
                            patience=sim.Distribution.exponential(mean=180.0),
                            replications=10, seed=1)
    assert list(df.index) == list(frame.index)
    res = sim.simulate(interval_length=1800.0, arrival_rate=np.full(4, 100 / 1800.0),
                       handle_time=sim.Distribution.exponential(mean=240.0),
                       roster=[{"start": 0, "end": 7200, "agents": 16,
                                "breaks": [(3600, 900)]}],
                       replications=5)
    assert 0 < res.total.occupancy.value <= 1


def test_bad_input_raises_value_error():
    with pytest.raises(ValueError, match="cv"):
        sim.Distribution.lognormal(mean=100.0, cv=-1.0)
    with pytest.raises(ValueError, match="empty"):
        sim.Distribution.empirical(sample=np.array([]))
    with pytest.raises(ValueError, match="replications"):
        day(replications=0)
    with pytest.raises(ValueError, match="arrival_rate"):
        day(arrival_rate=np.array([-1.0, 0.1, 0.1, 0.1]))
    with pytest.raises(ValueError, match="definition"):
        day(definitions=["nonsense"])
    with pytest.raises(ValueError):
        day(roster=[{"start": 0, "end": 100}])  # both agents and roster
    with pytest.raises(ValueError, match="agents"):
        day(agents=np.array([10, 18.5, 22, 14]))


def test_gil_is_released():
    ticks = []
    done = threading.Event()

    def ticker():
        while not done.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    t = threading.Thread(target=ticker)
    t.start()
    start = time.perf_counter()
    day(replications=4000, threads=1)
    elapsed = time.perf_counter() - start
    done.set()
    t.join()
    during = [x for x in ticks if start < x < start + elapsed]
    assert elapsed > 0.05
    assert len(during) >= 5


def test_simulated_queue_mirrors_erlang_interface():
    q = sim.SimulatedQueue(arrival_rate=100 / 1800.0,
                           handle_time=sim.Distribution.lognormal(mean=240.0, cv=1.0),
                           patience=sim.Distribution.exponential(mean=120.0),
                           options=sim.SimulatedQueueOptions(horizon=50000.0, replications=4))
    sls = [q.service_level(n, 20.0) for n in (12, 14, 16, 18)]
    assert all(0 <= x <= 1 for x in sls)
    assert sls == sorted(sls)  # common random numbers: more agents never hurt here
    assert q.service_level(16, 20.0, "wait_within") >= q.service_level(16, 20.0)
    assert q.average_speed_of_answer(16, over="answered") >= 0
    assert 0 < q.occupancy(16) < 1
    assert q.evaluate(16, [20.0, 60.0]).total.volume.value > 0
    with pytest.raises(ValueError):
        q.evaluate(2.5)


def test_simulate_takes_a_schedule_roster():
    """wfm.schedule.to_roster's dict goes straight into simulate(roster=...)."""
    import numpy as np

    req = np.array([0, 2, 3, 3, 2, 0], dtype=float)
    model = wfm.schedule.CoverageModel(
        requirement=req, interval_length=900.0, over_cost=0.1,
        templates=[wfm.schedule.ShiftTemplate(name="2h", length=2, cost=2.0, starts=range(5))])
    sched = wfm.schedule.solve(model, time_limit=5.0)
    roster = wfm.schedule.to_roster(model, sched)
    rate = np.full(6, 4.0 / 900.0)
    res = wfm.simulation.simulate(
        interval_length=900.0, arrival_rate=rate,
        handle_time=wfm.simulation.Distribution.exponential(mean=300.0), roster=roster,
        replications=20, seed=3)
    # Nobody works in interval 0: every call that arrives then waits at least until 900 s.
    assert res.intervals[0].asa_s.value > 0.0
    as_list = wfm.simulation.simulate(
        interval_length=900.0, arrival_rate=rate,
        handle_time=wfm.simulation.Distribution.exponential(mean=300.0), roster=roster["shifts"],
        roster_horizon_length=roster["horizon_length"], replications=20, seed=3)
    assert as_list.total.asa_s.value == res.total.asa_s.value


def test_replications_split_across_calls_merge_to_one_call():
    import pickle

    # keep_replications: the per-replication totals must match too, not only the means.
    one = day(replications=23, keep_replications=True, busyness_cv=0.2)
    ref = sim.to_frame(one)
    for split in ((23,), (11, 12), (1, 22), (5, 5, 5, 8), (22, 1)):
        parts, first = [], 0
        for k, n in enumerate(split):
            r = day(replications=n, first_replication=first, keep_sums=True, threads=1 + k % 2,
                    busyness_cv=0.2)
            assert r.sums.first_replication == first and r.sums.replications == n
            parts.append(pickle.loads(pickle.dumps(r.sums)))  # as a Dask task returns them
            first += n
        merged = sim.merge(parts, keep_replications=True)
        pd.testing.assert_frame_equal(sim.to_frame(merged), ref, check_exact=True)
        assert merged.replications == 23 and merged.events == one.events
        assert merged.replication_dicts() == one.replication_dicts()
        assert merged.sums.values.shape == (23, 4, parts[0].values.shape[2])
    # Replications 11.. alone are not replications 0..: the index reaches the random streams.
    tail = day(replications=12, first_replication=11)
    assert not sim.to_frame(tail).equals(sim.to_frame(day(replications=12)))
    assert day(replications=5).sums is None
    with pytest.raises(ValueError, match="first_replication"):
        day(replications=5, first_replication=-1)
    a = day(replications=5, keep_sums=True).sums
    with pytest.raises(ValueError, match=r"parts\[1\].first_replication"):
        sim.merge([a, a])
