"""wfm.queueing omnichannel models from Python: chat with concurrency, Erlang X, models by name.

Reference values: the worked example of issue 12 (chat_concurrency.hpp's documentation; the
C++ tests check them against tests/data/queueing/chat_concurrency.csv, made by
make_omnichannel_reference.py with mpmath by two methods) and the limits of each model.
"""
import math
from pathlib import Path

import numpy as np
import pytest

from wfm import kpi
from wfm import queueing as q

RATE = 120 / 3600  # 120 chats per hour
TIMES = [300, 420, 540]


def test_chat_worked_example():
    chat = q.ChatConcurrency(arrival_rate=RATE, handle_time_by_concurrency=TIMES, patience=120)
    goal = q.StaffingGoal(service_level=0.8, target_time=60)
    r = q.required_agents(chat, goal)
    assert r.agents_required == 6
    assert chat.service_level(5, target_time=60) == pytest.approx(0.68390454955878, rel=1e-10)
    assert chat.abandon_probability(5) == pytest.approx(0.20877618904138384, rel=1e-10)
    m = chat.metrics(6, target_time=60)
    assert m.status == "ok"
    assert m.service_level == pytest.approx(chat.service_level(6, target_time=60))
    assert 1 <= m.mean_concurrency <= 3
    # the shortcuts: Erlang A on slots at 420 s / 3 -> 5; Erlang C at 540/3 s -> 8
    slots = q.required_agents(q.ErlangA(arrival_rate=RATE, handle_time=420, patience=120), goal)
    assert math.ceil(slots.agents_required / 3) == 5
    assert q.required_agents(q.ErlangC(arrival_rate=RATE, handle_time=180), goal).agents_required == 8


def test_chat_with_one_chat_is_erlang_a():
    chat = q.ChatConcurrency(arrival_rate=0.1, handle_time_by_concurrency=[200], patience=90)
    a = q.ErlangA(arrival_rate=0.1, handle_time=200, patience=90)
    for n in (5, 20, 30):
        for d in ("answered_within", "wait_within", "virtual_wait_within",
                  "answered_given_answered"):
            assert chat.service_level(n, target_time=20, definition=d) == pytest.approx(
                a.service_level(n, target_time=20, definition=d), rel=1e-12)
        assert chat.average_speed_of_answer(n, over="answered") == pytest.approx(
            a.average_speed_of_answer(n, over="answered"), rel=1e-12)


def test_chat_bad_input_is_value_error():
    with pytest.raises(ValueError, match="handle_time_by_concurrency"):
        q.ChatConcurrency(arrival_rate=RATE, handle_time_by_concurrency=[300, 0], patience=120)
    with pytest.raises(ValueError):
        q.ChatConcurrency(arrival_rate=RATE, handle_time_by_concurrency=[], patience=120)
    chat = q.ChatConcurrency(arrival_rate=RATE, handle_time_by_concurrency=TIMES, patience=120)
    with pytest.raises(ValueError, match="definition"):
        chat.service_level(5, target_time=60, definition="within")
    with pytest.raises(TypeError):
        q.ChatConcurrency(RATE, TIMES, 120)  # keyword-only: units are named


def test_erlang_x_limits_and_fixed_point():
    b = q.ErlangB(arrival_rate=0.1, handle_time=180)
    x = q.ErlangX(arrival_rate=0.1, handle_time=180, patience=120, lines=15)
    assert x.blocking_probability(15) == pytest.approx(b.blocking_probability(15), rel=1e-12)
    a = q.ErlangA(arrival_rate=0.1, handle_time=180, patience=120)
    wide = q.ErlangX(arrival_rate=0.1, handle_time=180, patience=120, lines=100_000)
    assert wide.service_level(18, target_time=20) == pytest.approx(
        a.service_level(18, target_time=20), rel=1e-12)
    redial = q.ErlangX(arrival_rate=0.1, handle_time=180, patience=120, lines=20,
                       redial_probability=0.6)
    m = redial.metrics(16, target_time=20)
    lost = m.blocking_rate + m.abandon_rate
    assert m.effective_arrival_rate == pytest.approx(0.1 + 0.6 * m.effective_arrival_rate * lost,
                                                     rel=1e-12)
    assert m.status == "ok"
    r = q.required_agents(redial, q.StaffingGoal(service_level=0.8, target_time=20))
    assert redial.service_level(r.agents_required, target_time=20) >= 0.8
    with pytest.raises(ValueError, match="redial_probability"):
        q.ErlangX(arrival_rate=0.1, handle_time=180, patience=120, lines=20,
                  redial_probability=1.0)


def test_plan_horizon_by_model_name():
    assert set(q.model_names()) >= {"erlang_c", "erlang_a", "chat", "erlang_x"}
    goal = q.StaffingGoal(service_level=0.8, target_time=60)
    plan = q.plan_horizon(model="chat", volumes=np.array([0.0, 60.0, 120.0]),
                          handle_times=300.0, interval_length=1800.0, goal=goal,
                          patience=120.0, handle_time_factors=[1.0, 1.4, 1.8], shrinkage=0.2)
    assert list(plan["agents_required"]) == [0.0, 6.0, plan["agents_required"][2]]
    assert plan["agents_required"][2] > 6
    assert plan["agents_required_gross"][1] == pytest.approx(6 / 0.8)
    assert list(plan["status"]) == ["ok"] * 3
    # the patience-based overload is unchanged
    classic = q.plan_horizon(volumes=np.array([60.0]), handle_times=300.0,
                             interval_length=1800.0, goal=goal, patience=120.0)
    by_name = q.plan_horizon(model="erlang_a", volumes=np.array([60.0]), handle_times=300.0,
                             interval_length=1800.0, goal=goal, patience=120.0)
    assert classic["agents_required"][0] == by_name["agents_required"][0]
    with pytest.raises(ValueError, match="erlang_z"):
        q.plan_horizon(model="erlang_z", volumes=np.array([1.0]), handle_times=300.0,
                       interval_length=1800.0, goal=goal)


# Email / back office (backlog.hpp). Hand-checked on the cumulative curves (the C++ tests
# tests/queueing/backlog_test.cpp work the same cases): 10 items of 360 s in hour 0, half an
# agent every hour: 5 done per hour, item x done 360 x s after arriving.
def test_backlog_burst_hand_checked():
    r = q.evaluate_backlog(volumes=[10, 0, 0, 0], handle_time=360, interval_length=3600,
                           deadline=1800, agents=[0.5, 0.5, 0.5, 0.5])
    assert r["within_deadline_total"] == pytest.approx(0.5, rel=1e-8)
    np.testing.assert_allclose(r["backlog"], [5, 0, 0, 0], atol=1e-12)
    np.testing.assert_allclose(r["handled"], [5, 5, 0, 0], rtol=1e-12)
    assert r["oldest_age_s"][0] == pytest.approx(1800)
    assert set(r) >= {"handled", "backlog", "oldest_age_s", "within_deadline", "occupancy"}


# Deadline 2 h: all 10 items fall due at the end of hour 2: 3,600 agent-s there, 1 agent.
def test_backlog_just_in_time_and_working_hours():
    s = q.required_backlog_agents(volumes=[10, 0, 0, 0], handle_time=360, interval_length=3600,
                                  deadline=7200)
    assert s["status"] == "ok"
    np.testing.assert_allclose(s["agents_required"], [0, 0, 1, 0], atol=1e-12)
    np.testing.assert_allclose(s["cumulative_agent_time_s"], [0, 0, 3600, 3600], atol=1e-9)
    late = q.required_backlog_agents(volumes=[0, 10, 0, 0], handle_time=360,
                                     interval_length=3600, deadline=3600,
                                     open=[True, False, False, True])
    assert late["status"] == "infeasible" and late["message"]
    assert late["within_deadline_total"] == 0.0


def test_backlog_bad_input_is_value_error():
    with pytest.raises(ValueError, match="whole positive number of intervals"):
        q.required_backlog_agents(volumes=[1, 2], handle_time=60, interval_length=900,
                                  deadline=1000)
    with pytest.raises(ValueError, match="agents has 1 values"):
        q.evaluate_backlog(volumes=[1, 2], handle_time=60, interval_length=900, deadline=900,
                           agents=[1])
    with pytest.raises(ValueError, match="volumes"):
        q.evaluate_backlog(volumes=[-1, 2], handle_time=60, interval_length=900, deadline=900,
                           agents=[1, 1])
    with pytest.raises(ValueError, match="volumes is required, got None"):
        q.evaluate_backlog(volumes=None, handle_time=60, interval_length=900, deadline=900,
                           agents=[1, 1])


# M/M/n+G (general_patience.hpp). Exponential patience is Erlang A (the C++ tests check it to
# 2e-12 on a grid); the example: at 1,000 agents and load 1,000 Erl (AHT 300 s), a
# fixed 30 s patience gives P(wait) 0.720, an exponential one of the same mean 0.247.
def test_general_patience_from_python():
    rate = 1000 / 300
    fixed = q.GeneralPatience(arrival_rate=rate, handle_time=300,
                              patience=q.PatienceDistribution.deterministic(30))
    expo = q.GeneralPatience(arrival_rate=rate, handle_time=300,
                             patience=q.PatienceDistribution.exponential(30))
    assert fixed.wait_probability(1000) == pytest.approx(0.720, abs=5e-4)
    assert expo.wait_probability(1000) == pytest.approx(0.247, abs=5e-4)
    a = q.ErlangA(arrival_rate=0.1, handle_time=180, patience=60)
    g = q.GeneralPatience(arrival_rate=0.1, handle_time=180,
                          patience=q.PatienceDistribution.exponential(60))
    assert g.service_level(20, target_time=20) == pytest.approx(a.service_level(20, target_time=20), rel=1e-11)
    plan = q.plan_horizon(model="general_patience", volumes=[120, 0], handle_times=300,
                          interval_length=3600, goal=q.StaffingGoal(service_level=0.8, target_time=60),
                          patience=120, patience_distribution="lognormal", patience_shape=1.0)
    assert plan["agents_required"][0] > 0 and plan["status"][0] == "ok"
    with pytest.raises(ValueError, match="cv"):
        q.PatienceDistribution.lognormal(60, -1)


# Patience laws beyond the exponential: Erlang-k (gamma), a piecewise-constant hazard, and
# patience estimated from a contact log: Kaplan-Meier from censored waits (wfm.kpi) turned
# into a law by PatienceDistribution.from_survival. Synthetic log: patience ~ Gamma(k 3,
# scale 20 s) (mean 60 s), each caller's wait before an agent would answer ~ Exp(mean 45 s);
# a caller abandons when patience < that wait (then observed wait = patience), else is
# answered (observed = the wait, censored). 40,000 callers, fixed seed: the estimated law
# gives the M/M/n+G metrics of the true law within 1 % (measured: 0.06-0.6 %), where Erlang A
# with the exponential MLE of the same log (90 s: the wrong shape also biases the mean) misses
# the abandonment by 8 %.
def test_patience_laws_and_patience_from_a_log():
    rate, aht, n = 0.1, 180.0, 18
    gamma = q.GeneralPatience(arrival_rate=rate, handle_time=aht,
                              patience=q.PatienceDistribution.gamma(60, 3))
    one = q.GeneralPatience(arrival_rate=rate, handle_time=aht,
                            patience=q.PatienceDistribution.gamma(60, 1))
    a = q.ErlangA(arrival_rate=rate, handle_time=aht, patience=60)
    assert one.service_level(n, target_time=20) == pytest.approx(a.service_level(n, target_time=20), rel=1e-10)
    flat = q.PatienceDistribution.piecewise_hazard([30.0, 90.0], [1 / 60, 1 / 60, 1 / 60])
    assert flat.mean == pytest.approx(60, rel=1e-12)

    rng = np.random.default_rng(7)
    patience = rng.gamma(3.0, 20.0, 40_000)
    answer_at = rng.exponential(45.0, 40_000)
    abandoned = patience < answer_at
    waits = np.where(abandoned, patience, answer_at)
    est = kpi.estimate_patience(waits_s=waits, abandoned=abandoned.astype(np.uint8))
    km = est.kaplan_meier
    law = q.PatienceDistribution.from_survival(km.time, km.survival)
    fitted = q.GeneralPatience(arrival_rate=rate, handle_time=aht, patience=law)
    for metric in ("service_level", "abandon_rate", "asa_s", "wait_probability"):
        truth = getattr(gamma.metrics(n, target_time=20), metric)
        got = getattr(fitted.metrics(n, target_time=20), metric)
        assert got == pytest.approx(truth, rel=0.01), metric
    erlang_a = q.ErlangA(arrival_rate=rate, handle_time=aht, patience=est.patience_s)
    truth = gamma.metrics(n, target_time=20).abandon_rate
    assert abs(erlang_a.abandon_probability(n) - truth) > 0.05 * truth
    with pytest.raises(ValueError, match="survival"):
        q.PatienceDistribution.from_survival([10.0, 20.0], [0.9, 0.95])


# The laws of wfm-staff's --patience-hazard and --patience-survival files
# (examples/data/staff_patience_hazard.csv, staff_patience_survival.csv), read here as they are,
# through plan_horizon by name with patience_law: the numbers wfm-staff prints for them on
# staff_hour.csv (120 contacts in an hour, AHT 300 s; ctest cli:staff:model_general_*): 11
# agents, SL 0.829791 and 0.807871 within 60 s; each equal to GeneralPatience at 11 agents.
def test_plan_horizon_with_a_law_of_its_own():
    data = Path(__file__).resolve().parents[2] / "examples" / "data"
    hazard = np.genfromtxt(data / "staff_patience_hazard.csv", delimiter=",", names=True)
    survival = np.genfromtxt(data / "staff_patience_survival.csv", delimiter=",", names=True)
    keep = survival["wait_s"] > 0  # the row S(0) = 1 is the curve's start
    laws = {
        "piecewise_hazard": (q.PatienceDistribution.piecewise_hazard(
            list(hazard["wait_s"][1:]), list(hazard["patience_hazard"])), 0.829791),
        "estimated": (q.PatienceDistribution.from_survival(
            list(survival["wait_s"][keep]), list(survival["patience_survival"][keep])), 0.807871),
    }
    goal = q.StaffingGoal(service_level=0.8, target_time=60)
    for name, (law, cli_sl) in laws.items():
        plan = q.plan_horizon(model="general_patience", volumes=[120, 0], handle_times=300,
                              interval_length=3600, goal=goal, patience_distribution=name,
                              patience_law=law)
        model = q.GeneralPatience(arrival_rate=120 / 3600, handle_time=300, patience=law)
        assert plan["agents_required"][0] == 11, name
        assert model.service_level(10, target_time=60) < 0.8 <= model.service_level(11, target_time=60)
        assert plan["service_level"][0] == pytest.approx(model.service_level(11, target_time=60), rel=1e-12)
        assert plan["service_level"][0] == pytest.approx(cli_sl, abs=5e-7), name
    with pytest.raises(ValueError, match="needs patience_law"):
        q.plan_horizon(model="general_patience", volumes=[120], handle_times=300,
                       interval_length=3600, goal=goal, patience_distribution="estimated")
