"""wfm.schedule rostering: agents from a DataFrame, roster out as a DataFrame, checked independently."""
import numpy as np
import pandas as pd
import pytest

import wfm
from wfm import schedule as ws
from vocabulary import outside

DAY = 86400.0


def week_model():
    """A week of hourly intervals, 9-17 demand of 2 agents on weekdays, 1 on weekends; 8-hour
    shifts starting 08:00 or 09:00 with a one-hour break 3-5 hours in."""
    req = np.zeros(168)
    for d in range(7):
        req[d * 24 + 9: d * 24 + 17] = 2.0 if d < 5 else 1.0
    starts = [d * 24 + h for d in range(7) for h in (8, 9)]
    t = ws.ShiftTemplate(name="D8", length=8, cost=8.0, starts=starts,
                         breaks=[ws.BreakWindow(length=1, earliest_offset=3, latest_offset=5)])
    return ws.CoverageModel(requirement=req, templates=[t], interval_length=3600.0)


@pytest.fixture(scope="module")
def solved():
    m = week_model()
    s = ws.solve(m, time_limit=5.0, seed=1)
    assert s.status in (wfm.Status.optimal, wfm.Status.feasible)
    return m, s


def test_roster_from_a_frame_is_checked_and_framed(solved):
    m, s = solved
    agents = pd.DataFrame({
        "agent": ["ann", "bob", "cy", "dee"],
        "max_days_per_week": [5, 5, 5, 5],
        "min_rest_s": [11 * 3600.0] * 4,
        "templates": ["D8", "D8", None, "D8"],
        "start_from_s": [8 * 3600.0, np.nan, np.nan, np.nan],
        "start_to_s": [8 * 3600.0, np.nan, np.nan, np.nan],
        "days_off": ["5;6", None, [0], ""],
        "unavailable": [None, "2", None, None],
    })
    ag = ws.agents_from_frame(agents, m)
    assert [a.id for a in ag] == ["ann", "bob", "cy", "dee"]
    assert ag[1].availability[2].latest_end_s == 0.0
    r = ws.make_roster(m, s, ag, time_limit=5.0, seed=2)
    c = ws.check_roster(m, s, ag, r)
    assert c.valid and c.consistent, c.problems
    assert c.complete == (r.status == wfm.Status.ok)
    # Four agents x 5 days >= the shifts of this week (at most 2 + 2 a day): all assigned.
    assert r.status == wfm.Status.ok, r.message
    frame = ws.roster_frame(r, m, origin="2026-01-05")
    assert outside(frame.columns) == []
    assert list(frame.columns) == ["agent", "day", "template", "start", "end", "paid_hours", "breaks"]
    assert len(frame) == sum(a.agents for a in s.shifts)
    assert (frame["end"] - frame["start"]).eq(pd.Timedelta(hours=8)).all()
    assert frame["start"].min() >= pd.Timestamp("2026-01-05")
    assert not ((frame["agent"] == "bob") & (frame["day"] == 2)).any()
    # The simulator's staffing: one span per agent-shift.
    roster = ws.to_roster(m, r)
    assert len(roster["shifts"]) == len(frame)
    csv = ws.roster_to_csv(m, r)
    assert csv.startswith("agent,template,start,end,breaks\n")


def test_infeasible_roster_explains(solved):
    m, s = solved
    ag = ws.agents_from_frame(pd.DataFrame({"agent": ["solo"], "max_days_per_week": [3]}), m)
    r = ws.make_roster(m, s, ag, time_limit=1.0)
    assert r.status == wfm.Status.infeasible
    assert len(r.unassigned) > 0 and r.coverage_lost_s > 0
    assert "unassigned" in r.message
    assert any("may work only 3 days" in c for c in r.conflicts)
    c = ws.check_roster(m, s, ag, r)
    assert c.valid and c.consistent and not c.complete


def test_bad_agents_raise_value_error(solved):
    m, s = solved
    with pytest.raises(ValueError, match="unknown templates"):
        ws.agents_from_frame(pd.DataFrame({"agent": ["a"], "templates": ["X9"]}), m)
    with pytest.raises(ValueError, match="agent"):
        ws.agents_from_frame(pd.DataFrame({"id": ["a"]}), m)
    a = ws.Agent(id="a")
    a.contract.max_days_per_week = 9
    with pytest.raises(ValueError, match=r"agents\[0\].contract.max_days_per_week"):
        ws.make_roster(m, s, [a])
