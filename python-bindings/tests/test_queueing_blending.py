"""wfm.queueing.Blending (call blending, Bhulai & Koole 2003), the backlog share goal, and
chat / email queues beside the phone queue in wfm.plan (issue 12)."""
import math

import numpy as np
import pandas as pd
import pytest

import wfm
from wfm import planning
from wfm.queueing import Blending, ErlangA, StaffingGoal
from vocabulary import outside
from test_planning import bundled

INF = math.inf


def test_reserve_equal_to_agents_is_erlang_a():
    b = Blending(arrival_rate=40 / 900, handle_time=180.0, outbound_handle_time=600.0,
                 patience=120.0, reserve=12)
    a = ErlangA(arrival_rate=40 / 900, handle_time=180.0, patience=120.0)
    assert b.service_level(12, target_time=20.0) == pytest.approx(
        a.service_level(12, target_time=20.0), rel=1e-12)
    assert b.outbound_throughput(12) == 0.0


def test_one_agent_reserve_zero_by_hand():
    # the agent is never idle: every call waits; on inbound a share lambda / mu_in of the
    # time (Little), so outbound throughput = mu_out (1 - lambda / mu_in)
    b = Blending(arrival_rate=1 / 600, handle_time=200.0, outbound_handle_time=450.0,
                 reserve=0)
    m = b.metrics(1, target_time=30.0)
    assert m.wait_probability == pytest.approx(1.0, abs=1e-12)
    assert m.outbound_throughput == pytest.approx((1 - 200 / 600) / 450, rel=1e-10)
    assert m.status == "ok"
    assert set(m.to_dict()) >= {"service_level", "outbound_throughput", "occupancy"}


def test_best_threshold_and_required_agents():
    b = Blending(arrival_rate=100 / 900, handle_time=240.0, outbound_handle_time=400.0,
                 patience=120.0, reserve=0)
    goal = StaffingGoal(service_level=0.8, target_time=20.0)
    t = wfm.queueing.best_threshold(b, agents=35, goal=goal)
    assert t.status == "ok" and t.reserve > 0
    assert t.metrics.service_level >= 0.8
    assert b.with_reserve(t.reserve - 1).service_level(35, target_time=20.0) < 0.8
    assert wfm.queueing.best_threshold(b, agents=20, goal=goal).status == "infeasible"
    r = wfm.queueing.required_agents(b.with_reserve(3), goal)
    assert wfm.queueing._status_name(r.status) == "ok"
    fixed = b.with_reserve(3)
    assert fixed.service_level(r.agents_required, target_time=20.0) >= 0.8
    assert fixed.service_level(r.agents_required - 1, target_time=20.0) < 0.8


def test_blending_by_name_in_plan_horizon():
    goal = StaffingGoal(service_level=0.8, target_time=20.0)
    r = wfm.queueing.plan_horizon(model="blending", volumes=[100.0, 0.0], handle_times=240.0,
                                  interval_length=900.0, goal=goal, patience=120.0, reserve=40,
                                  outbound_handle_time=400.0)
    a = wfm.queueing.plan_horizon(model="erlang_a", volumes=[100.0, 0.0], handle_times=240.0,
                                  interval_length=900.0, goal=goal, patience=120.0)
    # a reserve above the agents needed is no outbound at all: Erlang A's requirement
    assert list(r["agents_required"]) == list(a["agents_required"])
    assert "blending" in wfm.queueing.model_names()


def test_bad_input_is_value_error():
    with pytest.raises(ValueError, match="outbound_handle_time"):
        Blending(arrival_rate=0.1, handle_time=240.0, outbound_handle_time=0.0, reserve=1)
    with pytest.raises(ValueError, match="reserve"):
        Blending(arrival_rate=0.1, handle_time=240.0, outbound_handle_time=300.0, reserve=-1)


def test_backlog_share_goal_by_hand():
    # 10 items of 360 s in the first hour, deadline 30 min, level c: share c / (2 (1 - c));
    # goal 0.8 -> c = 8 / 13 (tests/queueing/backlog_test.cpp works it out)
    r = wfm.queueing.required_backlog_agents_share(
        volumes=[10, 0, 0, 0], handle_time=360.0, interval_length=3600.0, deadline=1800.0,
        goal=0.8, tolerance=1e-9)
    assert r["status"] == "ok"
    assert r["agents_required"][0] == pytest.approx(8 / 13, abs=2e-9)
    assert r["within_deadline_total"] >= 0.8 - 1e-9
    with pytest.raises(ValueError, match="goal"):
        wfm.queueing.required_backlog_agents_share(
            volumes=[10, 0], handle_time=360.0, interval_length=3600.0, deadline=1800.0, goal=0)


@pytest.fixture(scope="module")
def multi():
    history, holidays = bundled()
    chat = history[["volume"]] * 0.5
    email = history[["volume"]] * 0.3
    queues = [planning.ChatQueue("chat_en", chat, [300.0, 420.0, 540.0], patience_s=120.0),
              planning.EmailQueue("email_en", email, aht_s=360.0, deadline_s=4 * 3600.0)]
    return wfm.plan(history, holidays=holidays, time_limit_s=1, replications=5, queues=queues)


def test_plan_staffs_each_queue_with_its_own_model(multi):
    q = multi.queues
    assert list(q["queue"].unique()) == ["phone", "chat_en", "email_en"]
    assert dict(zip(q["queue"], q["channel"])) == {"phone": "phone", "chat_en": "chat",
                                                   "email_en": "email"}
    assert q.index.name == "timestamp"
    assert outside(q.columns) == []
    phone = q[q["queue"] == "phone"]
    np.testing.assert_array_equal(phone["agents_required"].to_numpy(),
                                  multi.staffing["agents_required"].to_numpy())
    chat = q[q["queue"] == "chat_en"]
    assert (chat["service_level"][chat["volume"] > 0] >= 0.8 - 1e-12).all()
    # the chat column is the chat model's: re-staff one interval by hand
    k = int(np.argmax(chat["volume"].to_numpy()))
    m = wfm.queueing.ChatConcurrency(arrival_rate=chat["volume"].iloc[k] / 900.0,
                                     handle_time_by_concurrency=[300.0, 420.0, 540.0],
                                     patience=120.0)
    n = chat["agents_required"].iloc[k]
    assert m.service_level(n, target_time=20.0) >= 0.8 > m.service_level(n - 1, target_time=20.0)
    email = q[q["queue"] == "email_en"]
    assert email["service_level"].isna().all() and email["within_deadline"].notna().all()
    assert email["agents_required"].sum() > 0
    assert "chat_en/staff" in multi.steps and "email_en/evaluate" in multi.steps


def test_report_shows_each_queue(multi):
    from wfm.report import render_html
    page = render_html(multi)
    assert "<h2>Queues</h2>" in page
    for name in ("chat_en", "email_en", "phone"):
        assert f">{name}<" in page


def test_single_queue_plan_is_unchanged():
    history, holidays = bundled()
    p = wfm.plan(history, holidays=holidays, time_limit_s=1, replications=5)
    assert len(p.queues) == 0 and "queues" not in p.steps
    with pytest.raises(ValueError, match="used twice"):
        wfm.plan(history, queues=[planning.EmailQueue("phone", history[["volume"]], 300.0,
                                                      3600.0)])
