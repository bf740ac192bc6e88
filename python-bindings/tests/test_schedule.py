import json
import threading
import time
from pathlib import Path

import numpy as np
import pytest

import wfm
from wfm import schedule as ws

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "data" / "schedule_day.json"


def day_model(n=32, cyclic=False):
    req = np.array([2, 2, 3, 4, 5, 5, 4, 4, 3, 3, 4, 5, 6, 6, 5, 4] * (n // 16), dtype=float)
    last = n if cyclic else n - 8
    t = ws.ShiftTemplate(name="F4", length=8, cost=8.0, starts=list(range(last + (0 if cyclic else 1))),
                         breaks=[ws.BreakWindow(length=1, earliest_offset=3, latest_offset=5)])
    p = ws.ShiftTemplate(name="P2", length=4, cost=4.4, starts=list(range(n - (0 if cyclic else 3))))
    return ws.CoverageModel(requirement=req, templates=[t, p], interval_length=900.0, cyclic=cyclic)


def test_solve_checks_and_reports():
    m = day_model()
    s = ws.solve(m, time_limit=5.0, seed=1)
    assert s.status in (ws.SolveStatus.optimal, ws.SolveStatus.feasible)
    r = ws.check_schedule(m, s)
    assert r.valid and r.consistent, r.message
    assert s.lower_bound <= s.cost + 1e-9
    assert s.lp_bound <= s.lower_bound + 1e-9
    assert isinstance(s.coverage, np.ndarray) and s.coverage.shape == (32,)
    assert np.all(s.coverage >= m.requirement - 1e-9)  # hard cover
    assert abs(r.cost - s.cost) < 1e-9
    roster = ws.to_roster(m, s)
    assert sum(sh["agents"] for sh in roster["shifts"]) == s.headcount
    assert roster["horizon_length"] == 32 * 900.0


def test_lp_integral_without_breaks():
    rng = np.random.default_rng(3)
    n = 96
    req = rng.integers(0, 20, n).astype(float)
    t = ws.ShiftTemplate(name="S", length=16, cost=16.0, starts=list(range(n - 15)))
    u = ws.ShiftTemplate(name="T", length=24, cost=22.0, starts=list(range(n - 23)))
    m = ws.CoverageModel(requirement=req, templates=[t, u])
    s = ws.solve(m, time_limit=5.0)
    assert s.lp_integral and s.status == ws.SolveStatus.optimal and s.gap == 0.0
    assert ws.check_schedule(m, s).valid


def test_bad_input_raises_value_error_naming_field():
    t = ws.ShiftTemplate(name="S", length=4, cost=1.0, starts=[0],
                         breaks=[ws.BreakWindow(length=1, earliest_offset=2, latest_offset=4)])
    with pytest.raises(ValueError, match=r"breaks\[0\]"):
        ws.CoverageModel(requirement=np.ones(8), templates=[t])
    with pytest.raises(ValueError, match=r"requirement\[1\]"):
        ws.CoverageModel(requirement=np.array([1.0, np.nan]),
                         templates=[ws.ShiftTemplate(length=1, cost=1.0, starts=[0])])
    with pytest.raises(ValueError, match="templates must not be empty"):
        ws.CoverageModel(requirement=np.ones(4), templates=[])
    with pytest.raises(ValueError, match=r"starts\[0\]"):
        ws.CoverageModel(requirement=np.ones(4), templates=[ws.ShiftTemplate(length=1, cost=1.0, starts=[9])])


def test_infeasible_is_a_status():
    t = ws.ShiftTemplate(name="S", length=2, cost=1.0, starts=[0, 1])
    m = ws.CoverageModel(requirement=np.array([1.0, 1.0, 1.0, 1.0]), templates=[t])
    s = ws.solve(m, time_limit=2.0)
    assert s.status == ws.SolveStatus.infeasible
    assert list(s.uncoverable) == [3]


def test_progress_callback_and_gil_released():
    m = ws.read_model_json(str(EXAMPLE))
    seen = []
    ticks = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.005)

    th = threading.Thread(target=ticker)
    th.start()
    s = ws.solve(m, time_limit=1.5, use_cbc=False, progress=lambda p: seen.append(p.step) or True)
    stop.set()
    th.join()
    assert "lp" in seen
    assert len(ticks) > 20  # the Python thread ran while the solver worked
    assert ws.check_schedule(m, s).valid


def test_json_round_trip_and_plot(tmp_path):
    m = ws.read_model_json(str(EXAMPLE))
    s = ws.solve(m, time_limit=2.0, seed=0)
    out = json.loads(ws.schedule_to_json(m, s))
    assert out["status"] == s.status.name
    assert len(out["coverage"]) == m.num_intervals
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    ax = ws.plot_coverage(m, s)
    ax.figure.savefig(tmp_path / "cov.png")
    assert (tmp_path / "cov.png").exists()


def test_shared_msd_instance():
    path = SHARED / "sched" / "msd" / "DataSet1" / "RandomExample1.dzn"
    if not path.exists():
        pytest.skip("../shared/data is not on this machine")
    m = ws.read_msd_dzn(str(path))
    s = ws.solve(m, time_limit=10.0)
    assert ws.check_schedule(m, s).consistent
    assert s.cost >= 480 - 1e-9  # proven optimum (shared README)


def test_tours_days_off():
    req = np.array([[1.0] * 8 + [5.0] * 12 + [1.0] * 4 for _ in range(7)]).ravel()
    t = ws.ShiftTemplate(name="E8", length=8, cost=8.0, starts=list(range(168)), paid_length=8)
    m = ws.CoverageModel(requirement=req, templates=[t], interval_length=3600.0, cyclic=True)
    s = ws.solve(m, time_limit=10.0)
    plan = ws.build_tours(m, s, working_days=5, max_paid=5 * 8 * 3600.0)
    dealt = sorted(i for tour in plan.tours for i in tour.shift if i >= 0)
    assert dealt == list(range(len(plan.shifts)))  # every agent-shift exactly once
    for tour in plan.tours:
        assert sum(i >= 0 for i in tour.shift) <= 5
        assert tour.paid <= 5 * 8 * 3600.0


def test_global_service_level_saves_against_per_interval():
    n = 48
    h = np.arange(n) / 4.0
    rate = (20 + 50 * np.exp(-((h - 4) / 2.0) ** 2)) / 900.0
    t = ws.ShiftTemplate(name="F6", length=24, cost=24.0, starts=list(range(n - 23)))
    p = ws.ShiftTemplate(name="P4", length=16, cost=17.6, starts=list(range(n - 15)))
    m = ws.CoverageModel(requirement=np.zeros(n), templates=[t, p])
    r = ws.solve_global_service_level(m, arrival_rate=rate, handle_time=300.0, fraction=0.8,
                                      target_time=20.0, floor=0.5, time_limit=5.0)
    assert r.global_service_level >= 0.8
    assert r.min_service_level >= 0.5
    assert r.schedule.cost <= r.per_interval.cost
    assert 0.0 <= r.saving < 0.5


def test_engine_option():
    # Issue 15: engine names the LP/MIP back end; HiGHS only in a build with WFM_WITH_HIGHS.
    m = day_model()
    with pytest.raises(ValueError, match="gurobi"):
        ws.solve(m, engine="gurobi")
    if not ws.highs_available():
        with pytest.raises(ValueError, match="highs"):
            ws.solve(m, engine="highs")
        return
    ref = ws.solve_lp(m)
    for engine in ("highs", "clp_highs"):
        assert ws.solve_lp(m, engine=engine).lp_bound == pytest.approx(ref.lp_bound, rel=1e-6)
        s = ws.solve(m, time_limit=5.0, engine=engine)
        r = ws.check_schedule(m, s)
        assert r.valid and r.consistent, r.message
        assert s.lower_bound <= s.cost + 1e-9
