"""Properties of wfm.kpi's adherence and plan versus actual on random (valid) inputs.

The definitions are in include/wfm/kpi/adherence.hpp and plan_vs_actual.hpp; each property
below follows from them:

- adherence, shrinkage in [0, 1]; adherent_s <= scheduled_s; conformance = worked_s /
  work_scheduled_s (per agent and overall); the per-interval, per-day and per-agent sums of the
  times equal the overall ones; nothing changes when the rows come in another order;
- plan versus actual: WAPE is unchanged when plan and actual volumes are scaled by the same
  factor (it is a ratio of sums of volumes, Kolassa & Schuetz 2007); forecast_error sums to
  volume - planned_volume; measured + unplanned volume = all measured contacts; the service
  levels stay in [0, 1]; row order does not matter.

As the hardening suite (test_hardening_inputs.py), the default run draws the same examples
every time (hypothesis' derandomize), so that a red build is a regression, not a new draw;
WFM_HARDENING_RANDOM=1 explores, WFM_PROPERTY_EXAMPLES sets the number of examples.
"""
from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import wfm  # noqa: E402

RANDOM = os.environ.get("WFM_HARDENING_RANDOM", "0") == "1"
EXAMPLES = int(os.environ.get("WFM_PROPERTY_EXAMPLES", "60"))
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=not RANDOM,
                    suppress_health_check=list(HealthCheck))

DAY = pd.Timestamp("2026-03-02")
STATES = ["available", "on_contact", "acw", "break", "meeting", "offline"]


# --- adherence -------------------------------------------------------------------------------

@st.composite
def agent_day(draw, agent: str):
    """One agent's shift (with maybe a break and a meeting inside) and state log of a day."""
    start = 6 * 3600 + 900 * draw(st.integers(0, 16))
    length = 900 * draw(st.integers(4, 40))
    sched = [(agent, start, start + length, "shift")]
    if length >= 4 * 900 and draw(st.booleans()):
        b = start + 900 * draw(st.integers(1, length // 900 - 2))
        sched.append((agent, b, b + 900, "break"))
        if draw(st.booleans()) and b + 1800 < start + length:
            sched.append((agent, b + 900, b + 1800, "meeting"))
    times = draw(st.lists(st.integers(start - 3600, start + length + 3600), min_size=1,
                          max_size=30, unique=True))
    states = [(agent, t, draw(st.sampled_from(STATES))) for t in times]
    return sched, states


@st.composite
def adherence_case(draw):
    n = draw(st.integers(1, 4))
    days = [draw(agent_day(f"a{i}")) for i in range(n)]
    sched = [r for s, _ in days for r in s]
    states = [r for _, s in days for r in s]
    if draw(st.booleans()):  # an agent without a schedule
        states.append(("x9", 8 * 3600, "available"))
    to_time = (lambda s: DAY + pd.to_timedelta(s, unit="s"))
    schedule = pd.DataFrame({"agent": [r[0] for r in sched],
                             "start": to_time([r[1] for r in sched]),
                             "end": to_time([r[2] for r in sched]),
                             "activity": [r[3] for r in sched]})
    log = pd.DataFrame({"timestamp": to_time([r[1] for r in states]),
                        "agent": [r[0] for r in states], "state": [r[2] for r in states]})
    grace = draw(st.sampled_from([0.0, 60.0, 300.0]))
    seed = draw(st.integers(0, 2 ** 31 - 1))
    return schedule, log, grace, seed


@PROPERTY
@given(adherence_case())
def test_adherence_properties(case):
    schedule, log, grace, seed = case
    r = wfm.kpi.adherence(schedule, log, grace_s=grace)
    o = r.overall
    for frame in (r.intervals, r.days, r.agents):
        assert ((frame["adherence"] >= 0) & (frame["adherence"] <= 1)).all()
        assert (frame["adherent_s"] <= frame["scheduled_s"] + 1e-9).all()
        assert (frame["conformance"] >= 0).all() and not frame.isna().any().any()
    assert 0 <= o["adherence"] <= 1 and 0 <= r.shrinkage <= 1 + 1e-12
    # Conformance is worked time over scheduled work time (0 without scheduled work).
    for row in [o] + [row for _, row in r.agents.iterrows()]:
        expected = row["worked_s"] / row["work_scheduled_s"] if row["work_scheduled_s"] else 0.0
        assert row["conformance"] == pytest.approx(expected, rel=1e-12, abs=1e-12)
    # The scheduled and adherent times add up the same way over intervals, days and agents.
    for col in ("scheduled_s", "adherent_s", "work_scheduled_s"):
        for frame in (r.intervals, r.days, r.agents):
            assert frame[col].sum() == pytest.approx(o[col], rel=1e-12, abs=1e-9)
    if o["scheduled_s"] > 0:  # shrinkage by state sums to the measured shrinkage
        assert r.shrinkage_by_state["shrinkage"].sum() == pytest.approx(r.shrinkage, abs=1e-12)
    # Row order does not matter.
    shuffled = wfm.kpi.adherence(schedule.sample(frac=1.0, random_state=seed),
                                 log.sample(frac=1.0, random_state=seed + 1), grace_s=grace)
    same = dict(check_exact=False, rtol=1e-12, atol=1e-9)  # sums in another order: last bits
    pd.testing.assert_frame_equal(shuffled.intervals, r.intervals, **same)
    pd.testing.assert_frame_equal(shuffled.agents.sort_index(), r.agents.sort_index(), **same)
    pd.testing.assert_series_equal(shuffled.overall, o, **same)
    assert shuffled.shrinkage == pytest.approx(r.shrinkage, abs=1e-15)


# --- plan versus actual ----------------------------------------------------------------------

SL = "service_level_answered_within_20s"


@st.composite
def plan_actual_case(draw):
    n = draw(st.integers(1, 24))
    slots = draw(st.lists(st.integers(0, 40), min_size=n, max_size=n, unique=True))
    plan_at = DAY + pd.to_timedelta(np.array(slots) * 900, unit="s")
    # Volumes in halves (no subnormal that scaling by 0.001 would turn into 0).
    vol = st.integers(0, 1000).map(lambda k: k / 2)
    frac = st.floats(0.0, 1.0, allow_nan=False)
    plan = pd.DataFrame({"volume": draw(st.lists(vol, min_size=n, max_size=n)),
                         "service_level": draw(st.lists(frac, min_size=n, max_size=n)),
                         "aht_s": draw(st.lists(st.floats(1.0, 900.0), min_size=n, max_size=n))},
                        index=plan_at)
    measured = draw(st.lists(st.integers(0, 44), max_size=30, unique=True))
    m = len(measured)
    actual = pd.DataFrame({"volume": [float(v) for v in draw(st.lists(st.integers(0, 600),
                                                                       min_size=m, max_size=m))],
                           SL: draw(st.lists(frac, min_size=m, max_size=m))},
                          index=DAY + pd.to_timedelta(np.array(measured, dtype=np.int64) * 900,
                                                      unit="s"))
    scale = draw(st.sampled_from([0.001, 0.5, 3.0, 1000.0]))
    return plan, actual, scale, draw(st.integers(0, 2 ** 31 - 1))


@PROPERTY
@given(plan_actual_case())
def test_plan_vs_actual_properties(case):
    plan, actual, scale, seed = case
    r = wfm.kpi.plan_vs_actual(plan, actual, target_time_s=20)
    df = r.intervals
    assert not df.isna().any().any() and list(df.index) == list(plan.index)
    assert ((df["service_level"] >= 0) & (df["service_level"] <= 1)).all()
    assert 0 <= r.service_level <= 1 and 0 <= r.planned_service_level <= 1
    assert r.wape >= 0 and not np.isnan(r.wape)
    assert df["forecast_error"].sum() == pytest.approx(r.volume - r.planned_volume, abs=1e-9)
    assert r.volume + r.unplanned_volume == pytest.approx(actual["volume"].sum(), abs=1e-9)
    # WAPE is a ratio of volumes: scaling both sides by one factor leaves it (and the
    # volume-weighted service levels) unchanged.
    scaled = wfm.kpi.plan_vs_actual(plan.assign(volume=plan["volume"] * scale),
                                    actual.assign(volume=actual["volume"] * scale),
                                    target_time_s=20)
    assert scaled.wape == pytest.approx(r.wape, rel=1e-12, abs=1e-12)
    assert scaled.service_level == pytest.approx(r.service_level, rel=1e-12, abs=1e-12)
    assert scaled.planned_service_level == pytest.approx(r.planned_service_level, rel=1e-12,
                                                         abs=1e-12)
    # Row order: the output follows the plan's order; the figures do not change.
    p2 = plan.sample(frac=1.0, random_state=seed)
    a2 = actual.sample(frac=1.0, random_state=seed + 1)
    r2 = wfm.kpi.plan_vs_actual(p2, a2, target_time_s=20)
    pd.testing.assert_frame_equal(r2.intervals.loc[df.index], df, check_exact=False, rtol=1e-12)
    assert r2.wape == pytest.approx(r.wape, rel=1e-12, abs=1e-12)
    assert r2.service_level_gap == pytest.approx(r.service_level_gap, abs=1e-12)
    assert r2.unplanned_volume == r.unplanned_volume
