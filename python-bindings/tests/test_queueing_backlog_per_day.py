"""wfm.queueing.required_backlog_agents_share_per_day: a backlog share goal for each day.

Reference values: worked by hand in tests/queueing/backlog_test.cpp ("each day's least level
by hand"): days of 4 hours, items of 360 s, a deadline of 30 minutes, goal 0.8; day 0 with 10
items in its first hour needs c / (2 (1 - c)) = 0.8, c = 8/13; day 1 with 20 items needs
c / (2 (2 - c)) = 0.8, c = 16/13; one level for the horizon's share is 7/6, which leaves day 1
at 0.7.
"""
import numpy as np
import pytest

from wfm import queueing as q

ARGS = dict(volumes=[10, 0, 0, 0, 20, 0, 0, 0], handle_time=360.0, interval_length=3600.0,
            deadline=1800.0)


def test_each_day_meets_its_goal_by_hand():
    r = q.required_backlog_agents_share_per_day(goal=0.8, intervals_per_day=4, tolerance=1e-9,
                                                **ARGS)
    assert r["status"] == "ok"
    assert r["agents_required"][:4] == pytest.approx([8 / 13] * 4, abs=2e-9)
    assert r["agents_required"][4:] == pytest.approx([16 / 13] * 4, abs=2e-9)
    assert np.all(r["day_within_deadline"] >= 0.8 - 1e-9)
    whole = q.required_backlog_agents_share(goal=0.8, tolerance=1e-9, **ARGS)
    assert whole["agents_required"][0] == pytest.approx(7 / 6, abs=2e-9)
    assert whole["within_deadline"][4] == pytest.approx(0.7, abs=1e-8)


def test_bad_input_is_a_value_error():
    with pytest.raises(ValueError, match="intervals_per_day"):
        q.required_backlog_agents_share_per_day(goal=0.8, intervals_per_day=0, **ARGS)
    with pytest.raises(ValueError, match="goal"):
        q.required_backlog_agents_share_per_day(goal=1.5, intervals_per_day=4, **ARGS)
