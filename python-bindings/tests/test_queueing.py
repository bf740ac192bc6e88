"""wfm.queueing from Python: models, staffing, horizon plans, the pandas helper."""
import math
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wfm
from wfm import queueing as q

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_WEEK = ROOT / "examples" / "data" / "sample_week.csv"


# ---- the published worked example ----------------------------------------------------------
def test_worked_example_erlang_c():
    # 100 calls per 30 min, AHT 180 s, 14 agents, 20 s: P(wait) 0.1741319, SL 0.8883500
    # (Call Centre Helper's Erlang C worked example, quoted in issue #2).
    c = q.ErlangC(arrival_rate=100 / wfm.minutes(30), handle_time=180)
    assert c.wait_probability(14) == pytest.approx(0.1741319, abs=5e-8)
    assert c.service_level(14, target_time=20) == pytest.approx(0.8883500, abs=5e-8)
    r = q.required_agents(c, q.StaffingGoal(service_level=0.8, target_time=20))
    assert r.agents == 14
    assert r.status == q.StaffingStatus.met
    assert r.service_level == pytest.approx(0.8883500, abs=5e-8)
    assert r.occupancy == pytest.approx(10 / 14, rel=1e-12)


def test_keyword_arguments_with_units():
    with pytest.raises(TypeError):
        q.ErlangC(100 / 1800, 180)  # positional arguments with units are refused
    c = q.ErlangC(arrival_rate=0.05, handle_time=180)
    with pytest.raises(TypeError):
        c.service_level(12, 20)
    a = q.ErlangA(arrival_rate=0.05, handle_time=180, patience=120)
    for d in ("answered_within", "wait_within", "virtual_wait_within", "answered_given_answered"):
        assert 0.0 <= a.service_level(12, target_time=20, definition=d) <= 1.0
    assert a.average_speed_of_answer(12, over="answered") >= 0.0


def _erlang_b_recursion(n, load):
    # B(0) = 1, B(k) = A B(k-1) / (k + A B(k-1)): the standard stable recursion (e.g. Gross et
    # al., "Fundamentals of Queueing Theory", 4th ed., section 2.6), independent of wfm's
    # incomplete-gamma form.
    b = 1.0
    for k in range(1, n + 1):
        b = load * b / (k + load * b)
    return b


@pytest.mark.parametrize("load, n", [(10.0, 14), (2.5, 1), (50.0, 47), (200.0, 230)])
def test_erlang_b_and_its_relation_to_erlang_c(load, n):
    b = q.ErlangB(arrival_rate=load / 180, handle_time=180)
    assert b.load == pytest.approx(load, rel=1e-15)
    assert b.blocking_probability(n) == pytest.approx(_erlang_b_recursion(n, load), rel=1e-12)
    bb = b.blocking_probability(n)
    if n > load:  # C = n B / (n - A (1 - B))
        c = q.ErlangC(arrival_rate=load / 180, handle_time=180)
        assert c.wait_probability(n) == pytest.approx(n * bb / (n - load * (1 - bb)), rel=1e-12)
    assert b.occupancy(n) == pytest.approx(load * (1 - bb) / n, rel=1e-12)


def test_square_root_approximations_are_close_at_scale():
    # Approximations: asymptotically exact in the QED regime; at 1,000 Erl within 10 % here
    # (their error is O(1/sqrt(load)) and grows in relative terms where P(wait) is small).
    assert q.square_root_staffing(load=100.0, beta=0.5) == 105.0
    beta = q.halfin_whitt_beta(0.2)
    assert q.halfin_whitt_wait_probability(beta) == pytest.approx(0.2, rel=1e-12)
    rate = 10_000 / 1800
    hw = q.HalfinWhitt(arrival_rate=rate, handle_time=180)
    ec = q.ErlangC(arrival_rate=rate, handle_time=180)
    for n in (1010, 1030, 1060):
        assert hw.wait_probability(n) == pytest.approx(ec.wait_probability(n), rel=0.1)
        assert hw.service_level(n, target_time=20) == pytest.approx(
            ec.service_level(n, target_time=20), rel=0.02)
    gmr = q.GarnettMandelbaumReiman(arrival_rate=rate, handle_time=180, patience=120)
    ea = q.ErlangA(arrival_rate=rate, handle_time=180, patience=120)
    for n in (980, 1000, 1030):
        assert gmr.wait_probability(n) == pytest.approx(ea.wait_probability(n), rel=0.05)
        assert gmr.abandon_probability(n) == pytest.approx(ea.abandon_probability(n), rel=0.1)


# ---- bad input: ValueError naming the argument -----------------------------------------------
@pytest.mark.parametrize("make, name", [
    (lambda: q.ErlangC(arrival_rate=-1.0, handle_time=180), "arrival_rate"),
    (lambda: q.ErlangC(arrival_rate=0.1, handle_time=0.0), "handle_time"),
    (lambda: q.ErlangC(arrival_rate=math.nan, handle_time=180), "arrival_rate"),
    (lambda: q.ErlangA(arrival_rate=0.1, handle_time=180, patience=-3), "patience"),
    (lambda: q.ErlangA(arrival_rate=0.1, handle_time=180, patience=60)
        .service_level(5, target_time=20, definition="bogus"), "definition"),
    (lambda: q.ErlangA(arrival_rate=0.1, handle_time=180, patience=60)
        .average_speed_of_answer(5, over="bogus"), "over"),
    (lambda: q.StaffingGoal(), "no criterion"),
    (lambda: q.StaffingGoal(service_level=1.0), "service_level"),
    (lambda: q.StaffingGoal(service_level=0.8, target_time=-1), "target_time"),
    (lambda: q.StaffingGoal(max_asa=0.0), "max_asa"),
    (lambda: q.StaffingGoal(max_abandon=2.0), "max_abandon"),
    (lambda: q.StaffingGoal(max_occupancy=0.0), "max_occupancy"),
    (lambda: q.StaffingGoal(service_level=0.8, definition="fast"), "definition"),
    (lambda: q.StaffingGoal(max_asa=20, asa_over="some"), "asa_over"),
    (lambda: q.scheduled_agents(10, 1.0), "shrinkage"),
    (lambda: q.scheduled_agents(-1, 0.1), "required"),
    (lambda: q.required_agents(q.ErlangC(arrival_rate=0.1, handle_time=180),
                               q.StaffingGoal(service_level=0.8), max_agents=-1), "max_agents"),
])
def test_bad_input_raises_value_error_naming_the_argument(make, name):
    with pytest.raises(ValueError, match=name):
        make()


def test_plan_horizon_bad_input():
    g = q.StaffingGoal(service_level=0.8, target_time=20)
    ok = dict(volumes=[10.0, 20.0], handle_times=200.0, interval_length=900.0, goal=g)
    cases = [
        (dict(volumes=[10.0, -1.0]), r"volumes\[1\]"),
        (dict(volumes=[[1.0, 2.0]]), "volumes"),
        (dict(handle_times=[200.0, 0.0]), r"handle_times\[1\]"),
        (dict(handle_times=[200.0, 1.0, 3.0]), "handle_times"),
        (dict(interval_length=0.0), "interval_length"),
        (dict(patience=[60.0, -1.0]), r"patience\[1\]"),
        (dict(shrinkage=-0.1), "shrinkage"),
        (dict(tolerance=0.0), "tolerance"),
    ]
    for change, name in cases:
        with pytest.raises(ValueError, match=name):
            q.plan_horizon(**{**ok, **change})


# ---- staffing -------------------------------------------------------------------------------
def _meets(model, goal, n):
    if isinstance(model, q.ErlangA):
        sl = model.service_level(n, target_time=goal.target_time, definition=goal.definition)
    else:
        sl = model.service_level(n, target_time=goal.target_time)
    return sl >= goal.service_level


@settings(max_examples=150, deadline=None)
@given(load=st.floats(0.05, 500.0), aht=st.floats(30.0, 900.0),
       patience=st.one_of(st.just(math.inf), st.floats(10.0, 900.0)),
       x=st.floats(0.3, 0.97), t=st.floats(0.0, 120.0),
       definition=st.sampled_from(["answered_within", "wait_within", "virtual_wait_within",
                                   "answered_given_answered"]))
def test_required_agents_are_minimal(load, aht, patience, x, t, definition):
    rate = load / aht
    model = (q.ErlangC(arrival_rate=rate, handle_time=aht) if math.isinf(patience)
             else q.ErlangA(arrival_rate=rate, handle_time=aht, patience=patience))
    goal = q.StaffingGoal(service_level=x, target_time=t, definition=definition)
    r = q.required_agents(model, goal)
    assert r.status == q.StaffingStatus.met
    n = r.agents
    assert n == int(n)
    assert _meets(model, goal, n)
    if n >= 1:
        assert not _meets(model, goal, n - 1)


def test_fractional_and_infeasible():
    c = q.ErlangC(arrival_rate=100 / 1800, handle_time=180)
    g = q.StaffingGoal(service_level=0.8, target_time=20)
    f = q.required_agents(c, g, fractional=True, tolerance=1e-8)
    assert 13 < f.agents <= 14
    assert c.service_level(f.agents, target_time=20) >= 0.8
    assert c.service_level(f.agents - 1e-8, target_time=20) < 0.8
    r = q.required_agents(c, g, max_agents=12)
    assert r.status == q.StaffingStatus.infeasible
    assert r.agents == 12
    assert r.service_level == c.service_level(12, target_time=20)


def test_scheduled_agents_vectorised():
    assert q.scheduled_agents(12.0, 0.25) == 16.0
    np.testing.assert_allclose(q.scheduled_agents(np.array([0.0, 7.0, 14.0]), 0.3),
                               [0.0, 10.0, 20.0], rtol=1e-15)
    np.testing.assert_allclose(q.scheduled_agents([7.0, 14.0], 0.3), [10.0, 20.0], rtol=1e-15)
    with pytest.raises(ValueError, match="required"):
        q.scheduled_agents(np.array([1.0, -2.0]), 0.3)
    with pytest.raises(ValueError, match="shrinkage"):
        q.scheduled_agents(np.array([1.0, 2.0]), 1.0)


def test_plan_horizon_matches_required_agents():
    rng = np.random.default_rng(1)
    n = 300
    volumes = rng.integers(0, 400, n).astype(float)
    volumes[::13] = 0.0
    aht = rng.uniform(200, 330, n)
    patience = rng.uniform(100, 250, n)
    patience[::7] = np.inf
    goal = q.StaffingGoal(service_level=0.8, target_time=20, max_abandon=0.05)
    plan = q.plan_horizon(volumes=volumes, handle_times=aht, interval_length=900.0, goal=goal,
                          patience=patience, shrinkage=0.3)
    assert set(plan) == {"agents", "scheduled_agents", "service_level",
                         "average_speed_of_answer", "abandon_probability", "occupancy",
                         "status"}
    for key, arr in plan.items():
        assert len(arr) == n, key
    assert (plan["status"] == "met").all()
    np.testing.assert_array_equal(plan["agents"][volumes == 0], 0.0)
    np.testing.assert_array_equal(plan["service_level"][volumes == 0], 1.0)
    np.testing.assert_allclose(plan["scheduled_agents"], plan["agents"] / 0.7, rtol=1e-15)
    for i in range(1, n, 11):
        if volumes[i] == 0:
            continue
        m = (q.ErlangC(arrival_rate=volumes[i] / 900, handle_time=aht[i])
             if math.isinf(patience[i])
             else q.ErlangA(arrival_rate=volumes[i] / 900, handle_time=aht[i],
                            patience=patience[i]))
        r = q.required_agents(m, goal)
        assert plan["agents"][i] == r.agents
        assert plan["service_level"][i] == r.service_level
        assert plan["abandon_probability"][i] == r.abandon_probability
    serial = q.plan_horizon(volumes=volumes, handle_times=aht, interval_length=900.0, goal=goal,
                            patience=patience, shrinkage=0.3, parallel=False)
    for key in plan:
        np.testing.assert_array_equal(serial[key], plan[key])


def test_plan_horizon_releases_the_gil():
    # A Python thread keeps counting while a long plan_horizon call runs in the main thread.
    rng = np.random.default_rng(5)
    n = 35_040 * 2
    volumes = rng.uniform(50, 600, n).round()
    goal = q.StaffingGoal(service_level=0.8, target_time=20)
    counts = []
    stop = threading.Event()

    def count():
        k = 0
        while not stop.is_set():
            k += 1
            if k % 1000 == 0:
                counts.append(time.perf_counter())

    worker = threading.Thread(target=count)
    worker.start()
    time.sleep(0.05)
    t0 = time.perf_counter()
    q.plan_horizon(volumes=volumes, handle_times=300.0, interval_length=900.0, goal=goal,
                   patience=150.0, fractional=True, parallel=False)
    t1 = time.perf_counter()
    stop.set()
    worker.join()
    during = [c for c in counts if t0 < c < t1]
    assert t1 - t0 > 0.05, "the call was too short to tell"
    # With the GIL held, the worker could not run at all during the call.
    assert len(during) >= 5


# ---- the pandas helper ----------------------------------------------------------------------
def test_plan_dataframe_sample_week():
    df = pd.read_csv(SAMPLE_WEEK, parse_dates=["start"])
    out = q.plan(df, shrinkage=0.3)
    assert len(out) == len(df) == 384
    assert list(out.columns) == list(df.columns) + list(q.PLAN_COLUMNS)
    assert (out["status"] == "ok").all()
    assert (out["service_level"] >= 0.8).all()
    direct = q.plan_horizon(volumes=df["volume"].to_numpy(float),
                            handle_times=df["aht_s"].to_numpy(float), interval_length=900.0,
                            goal=q.StaffingGoal(service_level=0.8, target_time=20),
                            patience=df["patience_s"].to_numpy(float), shrinkage=0.3)
    np.testing.assert_array_equal(out["agents_required"].to_numpy(), direct["agents"])
    # the same from a DatetimeIndex, and Erlang C by request
    indexed = q.plan(df.set_index("start"), model="erlang_c", service_level=0.9, target_time=15)
    assert (indexed["abandon_rate"] == 0.0).all()
    assert (indexed["service_level"] >= 0.9).all()
    assert indexed.index.equals(pd.DatetimeIndex(df["start"], name="start"))


def test_plan_dataframe_fractional_and_infeasible():
    df = pd.read_csv(SAMPLE_WEEK, parse_dates=["start"]).head(40)
    whole = q.plan(df, model="erlang_c")
    frac = q.plan(df, model="erlang_c", fractional=True, tolerance=1e-6)
    assert ((frac["agents_required"] <= whole["agents_required"]) & (frac["agents_required"] > whole["agents_required"] - 1)).all()
    capped = q.plan(df, model="erlang_c", max_agents=100)
    over = whole["agents_required"] > 100
    assert over.any()
    assert (capped.loc[over, "status"] == "infeasible").all()
    assert (capped.loc[over, "agents_required"] == 100).all()
    assert (capped.loc[~over, "status"] == "ok").all()


def test_plan_dataframe_errors():
    df = pd.DataFrame({"volume": [10.0, 20.0], "aht_s": [200.0, 200.0]})
    with pytest.raises(ValueError, match="interval_length"):
        q.plan(df)
    assert len(q.plan(df, interval_length=900.0)) == 2
    with pytest.raises(ValueError, match="patience_s"):
        q.plan(df, interval_length=900.0, model="erlang_a")
    with pytest.raises(ValueError, match="aht_s"):
        q.plan(df.drop(columns="aht_s"), interval_length=900.0)
    with pytest.raises(ValueError, match="goal"):
        q.plan(df, interval_length=900.0, goal=q.StaffingGoal(max_asa=20), service_level=0.8)
