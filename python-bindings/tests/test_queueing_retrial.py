"""wfm.queueing.ErlangXRetrial: Erlang X's exact retrial chain from Python.

Reference values: the measured drift example of issue 12 (n = 5, N = 7, 5 Erl at AHT 180 s,
patience 120 s, r = 0.6); the C++ tests (tests/queueing/retrial_test.cpp) check the chain
against a dense generator built from the model's wording (tests/simulation/reference.hpp), and
tests/simulation/model_agreement_test.cpp against the simulator: blocking per attempt 0.2488
+- 0.0036 simulated with redials after 10 s, 0.1664 +- 0.0028 after 1,800 s.
"""
import math

import numpy as np
import pytest

from wfm import queueing as q

AHT, PATIENCE = 180.0, 120.0
RATE = 5.0 / AHT


def model(delay, r=0.6, lines=7, rate=RATE):
    return q.ErlangXRetrial(arrival_rate=rate, handle_time=AHT, patience=PATIENCE, lines=lines,
                            redial_probability=r, redial_delay=delay)


def test_drift_example():
    fixed = q.ErlangX(arrival_rate=RATE, handle_time=AHT, patience=PATIENCE, lines=7,
                      redial_probability=0.6).metrics(5, target_time=20)
    quick = model(10.0).metrics(5, target_time=20)
    slow = model(1800.0).metrics(5, target_time=20)
    assert quick.status == "ok" and quick.exact and quick.truncated_mass <= 1e-12
    assert quick.blocking_rate == pytest.approx(0.2491, abs=5e-5)
    assert slow.blocking_rate == pytest.approx(0.1660, abs=5e-5)
    assert fixed.blocking_rate == pytest.approx(0.1620, abs=5e-5)
    assert abs(quick.blocking_rate - 0.2488) < 0.0036 < abs(fixed.blocking_rate - 0.2488)
    assert isinstance(quick, q.ErlangXMetrics)  # the same metrics, and the orbit's
    assert quick.mean_orbit > 0 and quick.orbit_bound > 0
    assert quick.effective_arrival_rate > RATE
    assert 0 < quick.lost_rate < 1 and 0 < quick.customer_service_level < 1


def test_no_redials_is_erlang_x():
    x = q.ErlangX(arrival_rate=RATE, handle_time=AHT, patience=PATIENCE, lines=9)
    e = model(30.0, r=0.0, lines=9)
    for agents in (3, 5, 5.5):
        a, b = x.metrics(agents, target_time=20), e.metrics(agents, target_time=20)
        for name in ("blocking_rate", "abandon_rate", "service_level", "lost_rate",
                     "occupancy"):
            assert getattr(b, name) == pytest.approx(getattr(a, name), abs=1e-13)


def test_required_agents_and_plan_horizon_by_name():
    goal = q.StaffingGoal(service_level=0.8, target_time=20)
    m = model(30.0, r=0.5, lines=16, rate=10 / AHT)
    res = q.required_agents(m, goal)
    n = res.agents_required
    assert res.status.name == "ok"
    assert m.service_level(n, target_time=20) >= 0.8 > m.service_level(n - 1, target_time=20)
    plan = q.plan_horizon(model="erlang_x", volumes=np.array([10 / AHT * 900, 0.0]),
                          handle_times=AHT, interval_length=900, goal=goal, patience=PATIENCE,
                          lines=16, redial_probability=0.5, redial_delay=30.0)
    assert plan["agents_required"][0] == n and plan["agents_required"][1] == 0
    fixed_point = q.plan_horizon(model="erlang_x", volumes=[10 / AHT * 900], handle_times=AHT,
                                 interval_length=900, goal=goal, patience=PATIENCE, lines=16,
                                 redial_probability=0.5)
    assert fixed_point["agents_required"][0] <= n  # quick redials need at least as many


def test_too_large_is_a_status_and_bad_input_a_value_error():
    big = q.ErlangXRetrial(arrival_rate=50 / AHT, handle_time=AHT, patience=PATIENCE,
                           lines=400, redial_probability=0.6, redial_delay=600)
    m = big.metrics(50, target_time=20)
    assert m.status == "not_converged" and not m.exact and "too large" in m.message
    assert math.isfinite(m.blocking_rate)
    with pytest.raises(ValueError, match="redial_delay"):
        model(0.0)
    with pytest.raises(ValueError, match="redial_probability"):
        model(10.0, r=1.0)
    with pytest.raises(TypeError):
        q.ErlangXRetrial(RATE, AHT, PATIENCE, 7, 0.6, 10.0)  # keyword-only
