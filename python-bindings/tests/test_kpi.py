"""wfm.kpi: the hand-computed logs of tests/kpi/contacts_test.cpp and adherence_test.cpp through
pandas, the CSV paths, and plan versus actual."""
from pathlib import Path

import math

import numpy as np
import pandas as pd
import pytest

import wfm

ROOT = Path(__file__).resolve().parents[2]


def hand_log() -> pd.DataFrame:
    # Same log as tests/kpi/contacts_test.cpp (hand computations there).
    rows = [
        ("2026-03-02 08:00:00", "answered", 10, 100, 20, 30, "A", False, 4.0),
        ("2026-03-02 08:05:00", "answered", 30, 200, 0, 40, "B", True, 2.0),
        ("2026-03-02 08:10:00", "abandoned", 3, np.nan, np.nan, np.nan, None, False, np.nan),
        ("2026-03-02 08:12:00", "abandoned", 25, np.nan, np.nan, np.nan, None, False, np.nan),
        ("2026-03-02 08:20:00", "answered", 0, 60, 0, 0, "A", False, np.nan),
        ("2026-03-02 08:29:00", "answered", 15, 100, 0, 10, "C", False, np.nan),
        ("2026-03-10 09:00:00", "answered", 5, 50, 0, 0, "B", False, np.nan),
    ]
    df = pd.DataFrame(rows, columns=["arrival", "outcome", "wait_s", "talk_s", "hold_s", "acw_s",
                                     "customer", "transferred", "csat"])
    df["arrival"] = pd.to_datetime(df["arrival"])
    return df


def test_hand_log_frame():
    agents = pd.Series([2.0, 2.0], index=pd.to_datetime(["2026-03-02 08:00", "2026-03-02 08:15"]))
    df = wfm.kpi.contact_kpis(hand_log().sample(frac=1.0, random_state=1), agents=agents)
    assert df.index.name == "timestamp"
    assert list(df.index[:2]) == list(pd.to_datetime(["2026-03-02 08:00", "2026-03-02 08:15"]))
    first = df.iloc[0]
    assert first["volume"] == 4 and first["abandon_rate"] == 0.5
    assert first["aht_s"] == 195.0 and first["asa_s"] == 20.0
    assert first["service_level_answered_within_20s"] == 0.25
    assert first["service_level_virtual_wait_within_20s"] == pytest.approx(1 / 3)
    assert first["fcr_rate"] == 0.5 and first["csat_mean"] == 3.0
    assert first["occupancy"] == pytest.approx(390 / 1800)
    assert math.isinf(df.iloc[1]["patience_s"])
    assert (df["interval_length_s"] == 900).all()


def test_hand_log_overall_and_fits():
    res = wfm.kpi.contact_kpis(hand_log(), frame=False)
    o = res.overall()
    assert o["volume"] == 7 and o["aht_s"] == 122.0 and o["fcr_rate"] == 0.75
    assert res.patience.patience_s == 44.0  # 88 s / 2 abandons
    assert res.patience.kaplan_meier.median_s == 25.0


def test_vocabulary_columns():
    df = wfm.kpi.contact_kpis(hand_log())
    for c in ["volume", "answered", "abandoned", "aht_s", "asa_s", "abandon_rate", "patience_s",
              "short_abandoned", "abandon_rate_net", "asa_all_s", "transfer_rate", "fcr_rate",
              "csat_mean", "csat_count", "busy_s", "interval_length_s"]:
        assert c in df.columns


def test_patience_and_lognormal():
    p = wfm.kpi.estimate_patience(waits_s=np.array([30, 3, 0, 25, 15, 10, 5.0]),
                                  abandoned=np.array([0, 1, 0, 1, 0, 0, 0], dtype=np.uint8))
    assert p.patience_s == 44.0 and p.status == "ok"
    f = wfm.kpi.fit_lognormal(np.exp([1.0, 2.0, 3.0]))
    assert f.mu == pytest.approx(2.0) and f.ks_statistic == pytest.approx(0.2229976, abs=1e-6)


def test_bad_rows_raise_value_error():
    log = hand_log()
    log.loc[2, "wait_s"] = -1.0
    with pytest.raises(ValueError, match="row 2"):
        wfm.kpi.contact_kpis(log)
    log = hand_log()
    log.loc[1, "outcome"] = "lost"
    with pytest.raises(ValueError, match="row 1"):
        wfm.kpi.contact_kpis(log)


def test_read_contact_log_bundled_sample():
    data = ROOT / "examples" / "data"
    res = wfm.kpi.read_contact_log(str(data / "kpi_contacts.csv"),
                                   agents=str(data / "kpi_agents.csv"))
    df = wfm.kpi.to_frame(res)
    assert len(df) >= 16 and res.rows == df["volume"].sum()
    assert 0 < res.overall()["occupancy"] < 1
    # Reading the same file with pandas and summarising in memory gives the same numbers.
    log = pd.read_csv(data / "kpi_contacts.csv", parse_dates=["arrival"])
    mem = wfm.kpi.contact_kpis(log)
    pd.testing.assert_series_equal(mem["aht_s"], df["aht_s"])
    with pytest.raises(ValueError, match="line 5, column 'wait_s'"):
        wfm.kpi.read_contact_log(str(data / "kpi_contacts_bad.csv"))


# --- adherence (the hand-computed agent of tests/kpi/adherence_test.cpp) -------------------

def hand_schedule() -> pd.DataFrame:
    return pd.DataFrame({"agent": ["a1", "a1"],
                         "start": pd.to_datetime(["2026-03-02 08:00", "2026-03-02 10:00"]),
                         "end": pd.to_datetime(["2026-03-02 12:00", "2026-03-02 10:15"]),
                         "activity": ["shift", "break"]})


def hand_states() -> pd.DataFrame:
    rows = [("2026-03-02 10:20", "a1", "available"), ("2026-03-02 07:58", "a1", "available"),
            ("2026-03-02 09:00", "a1", "offline"), ("2026-03-02 08:30", "a1", "on_contact"),
            ("2026-03-02 10:02", "a1", "break"), ("2026-03-02 09:10", "a1", "available"),
            ("2026-03-02 12:05", "a1", "offline"), ("2026-03-02 08:00", "a2", "available"),
            ("2026-03-02 08:30", "a1", "on_contact")]
    df = pd.DataFrame(rows, columns=["timestamp", "agent", "state"])
    df["timestamp"] = pd.to_datetime(df["timestamp"])
    return df


def test_adherence_hand_case():
    from vocabulary import outside
    r = wfm.kpi.adherence(hand_schedule(), hand_states())
    a1 = r.agents.loc["a1"]
    # S = 14,400 s, 900 s not adherent, W = 13,500 s, worked 13,140 s (adherence_test.cpp).
    assert a1["scheduled_s"] == 14400 and a1["adherent_s"] == 13500
    assert a1["adherence"] == 0.9375
    assert a1["conformance"] == pytest.approx(13140 / 13500)
    assert r.overall["adherence"] == 0.9375
    assert r.unknown_agents == ["a2"]
    assert list(r.shrinkage_by_state.index) == ["break", "offline"]
    assert list(r.shrinkage_by_state["time_in_state_s"]) == [1080.0, 600.0]
    assert r.shrinkage == pytest.approx(1680 / 14400)
    assert list(r.exceptions["state"]) == ["offline", "available", "break"]
    assert r.exceptions["start"].iloc[0] == pd.Timestamp("2026-03-02 09:00")
    assert r.exceptions["end"].iloc[0] == pd.Timestamp("2026-03-02 09:10")
    assert r.intervals.index.name == "timestamp"
    assert r.intervals.index[0] == pd.Timestamp("2026-03-02 07:45")
    assert r.intervals["worked_s"].iloc[0] == 120.0
    assert (r.intervals["interval_length_s"] == 900).all()
    assert r.days["scheduled_s"].iloc[0] == 14400 and (r.days["interval_length_s"] == 86400).all()
    for name in ("intervals", "days", "agents", "exceptions", "shrinkage_by_state"):
        frame = getattr(r, name)
        names = list(frame.columns) + ([frame.index.name] if frame.index.name else [])
        assert outside(names) == [], name
    # Time zones: a tz-aware log is read on its own wall clock.
    s, st = hand_schedule(), hand_states()
    for frame, cols in ((s, ["start", "end"]), (st, ["timestamp"])):
        for c in cols:
            frame[c] = frame[c].dt.tz_localize("Europe/Berlin")
    assert wfm.kpi.adherence(s, st).agents.loc["a1", "adherence"] == 0.9375


def test_adherence_grace_and_options():
    # Without grace, the three minutes 08:00-08:01, 10:00-10:01 and 10:15-10:16 are judged too:
    # at 08:00 a1 is available (adherent), at 10:00-10:01 available in the break (not), at
    # 10:15-10:16 on break in the shift (not): 900 + 120 s not adherent.
    r = wfm.kpi.adherence(hand_schedule(), hand_states(), grace_s=0)
    assert r.agents.loc["a1", "adherent_s"] == 14400 - 1020
    hourly = wfm.kpi.adherence(hand_schedule(), hand_states(), interval_length_s=3600)
    assert (hourly.intervals["interval_length_s"] == 3600).all()
    assert hourly.intervals["scheduled_s"].sum() == 14400


def test_adherence_bad_rows_raise_value_error():
    s = pd.concat([hand_schedule(), pd.DataFrame({
        "agent": ["a1"], "start": [pd.Timestamp("2026-03-02 11:00")],
        "end": [pd.Timestamp("2026-03-02 13:00")], "activity": ["shift"]})], ignore_index=True)
    with pytest.raises(ValueError, match=r"schedule\[2\].*overlaps"):
        wfm.kpi.adherence(s, hand_states())
    st = hand_states()
    st.loc[len(st)] = [pd.Timestamp("2026-03-02 09:00"), "a1", "break"]
    with pytest.raises(ValueError, match=r"states\[9\].*two states"):
        wfm.kpi.adherence(hand_schedule(), st)
    with pytest.raises(ValueError, match="no 'state' column"):
        wfm.kpi.adherence(hand_schedule(), hand_states().drop(columns="state"))
    st = hand_states()
    st.loc[3, "agent"] = None
    with pytest.raises(ValueError, match=r"states\[3\].*empty"):
        wfm.kpi.adherence(hand_schedule(), st)
    with pytest.raises(ValueError, match="grace_s"):
        wfm.kpi.adherence(hand_schedule(), hand_states(), grace_s=-1)


def test_read_adherence_bundled_sample():
    data = ROOT / "examples" / "data"
    r = wfm.kpi.read_adherence(data / "kpi_schedule.csv", data / "kpi_states.csv")
    assert len(r.agents) == 17 and r.unknown_agents == ["x99"]
    assert 0.5 < r.overall["adherence"] < 1 and 0 < r.shrinkage < 0.5
    # a04 stays on the phones through its 11:00-11:30 meeting: every second after the 60 s of
    # grace is an exception (one per state it was in).
    a04 = r.exceptions[(r.exceptions["agent"] == "a04") & (r.exceptions["activity"] == "meeting")]
    assert (a04["end"] - a04["start"]).sum() == pd.Timedelta(seconds=1800 - 60)
    # a09 writes no row after its break: with max_state_s = 3600 its last 'available'
    # (10:15:29) ends at 11:15:29 and 2,671 s more are 'missing' (make_kpi_states.py).
    short = wfm.kpi.read_adherence(data / "kpi_schedule.csv", data / "kpi_states.csv",
                                   max_state_s=3600)
    assert (short.shrinkage_by_state.loc["missing", "time_in_state_s"] -
            r.shrinkage_by_state.loc["missing", "time_in_state_s"]) == 2671
    # The same files through pandas give the same frames.
    s = pd.read_csv(data / "kpi_schedule.csv", parse_dates=["start", "end"])
    st = pd.read_csv(data / "kpi_states.csv", parse_dates=["timestamp"])
    m = wfm.kpi.adherence(s, st)
    pd.testing.assert_frame_equal(m.intervals, r.intervals)
    pd.testing.assert_frame_equal(m.agents, r.agents)
    pd.testing.assert_frame_equal(m.shrinkage_by_state, r.shrinkage_by_state)
    with pytest.raises(ValueError, match="kpi_states_bad.csv, line 9"):
        wfm.kpi.read_adherence(data / "kpi_schedule.csv", data / "kpi_states_bad.csv")


# --- plan versus actual --------------------------------------------------------------------

def test_plan_vs_actual_hand_case():
    # hand_log(): 08:00 has 4 contacts (answered within 20 s: 1 -> SL 0.25, AHT 195 s), 08:15
    # has 2 (both within 20 s -> SL 1), 08:30 none, 2026-03-10 09:00 one (outside the plan).
    actual = wfm.kpi.contact_kpis(hand_log())
    at = pd.to_datetime(["2026-03-02 08:00", "2026-03-02 08:15", "2026-03-02 08:30"])
    plan = pd.DataFrame({"volume": [5.0, 2.0, 1.0], "aht_s": [180.0, 180.0, 180.0],
                         "agents_required": [2.0, 2.0, 1.0], "agents": [2.0, 3.0, 1.0],
                         "service_level": [0.8, 0.9, 0.85]}, index=at)
    r = wfm.kpi.plan_vs_actual(plan, actual, target_time_s=20)
    df = r.intervals
    assert df.index.name == "timestamp" and list(df.index) == list(at)
    assert list(df["volume"]) == [4.0, 2.0, 0.0]
    assert list(df["forecast_error"]) == [-1.0, 0.0, -1.0]
    assert list(df["service_level"]) == [0.25, 1.0, 1.0]  # 08:30: no contacts, the limit 1
    assert list(df["service_level_gap"]) == pytest.approx([-0.55, 0.1, 0.15])
    assert df["aht_s"].iloc[0] == 195.0 and df["planned_aht_s"].iloc[0] == 180.0
    assert list(df["agents"]) == [2.0, 3.0, 1.0]
    assert r.wape == pytest.approx(2 / 6)          # (1 + 0 + 1) / (4 + 2 + 0)
    assert r.volume == 6 and r.planned_volume == 8 and r.unplanned_volume == 1
    assert r.service_level == pytest.approx((0.25 * 4 + 1 * 2) / 6)
    assert r.planned_service_level == pytest.approx((0.8 * 5 + 0.9 * 2 + 0.85 * 1) / 8)
    assert r.service_level_gap == pytest.approx(r.service_level - r.planned_service_level)
    from vocabulary import outside
    assert outside(df.columns) == []
    # Another definition and target: the matching series is read.
    r60 = wfm.kpi.plan_vs_actual(plan, wfm.kpi.contact_kpis(hand_log(), target_times_s=[60]),
                                 definition="answered_within", target_time_s=60)
    assert r60.intervals["service_level"].iloc[0] == 0.5  # waits 10 and 30 s of 4 offered
    with pytest.raises(ValueError, match="service_level_wait_within_30s"):
        wfm.kpi.plan_vs_actual(plan, actual, definition="wait_within", target_time_s=30)
    with pytest.raises(ValueError, match="plan: needs the columns"):
        wfm.kpi.plan_vs_actual(plan.drop(columns="service_level"), actual, target_time_s=20)


def test_plan_vs_actual_no_contacts_is_not_nan():
    at = pd.to_datetime(["2026-03-02 08:00"])
    plan = pd.DataFrame({"volume": [3.0], "service_level": [0.8]}, index=at)
    empty = wfm.kpi.contact_kpis(hand_log()).iloc[0:0]
    r = wfm.kpi.plan_vs_actual(plan, empty, target_time_s=20)
    assert math.isinf(r.wape) and r.volume == 0 and r.service_level == 1.0
    r = wfm.kpi.plan_vs_actual(plan.assign(volume=0.0), empty, target_time_s=20)
    assert r.wape == 0.0


@pytest.fixture(scope="module")
def small_plan():
    from test_planning import bundled
    history, holidays = bundled()
    return wfm.plan(history, holidays=holidays, time_limit_s=1, replications=5)


def test_plan_vs_actual_of_a_plan(small_plan):
    plan = small_plan
    # Measured: 10 % more contacts than forecast, 0.05 below the planned service level.
    idx = plan.forecast.index
    actual = pd.DataFrame({"volume": plan.forecast["volume"] * 1.1,
                           "aht_s": plan.forecast["aht_s"],
                           "service_level_answered_within_20s":
                               plan.staffing["service_level"] - 0.05}, index=idx)
    r = wfm.kpi.plan_vs_actual(plan, actual)
    assert len(r.intervals) == len(idx) and r.unplanned_volume == 0
    assert r.wape == pytest.approx(0.1 / 1.1)
    assert r.intervals["service_level_gap"].to_numpy() == pytest.approx(-0.05)
    assert (r.intervals["agents"].to_numpy() == plan.coverage["agents"].to_numpy()).all()
    assert (r.intervals["agents_required"].to_numpy() ==
            plan.staffing["agents_required"].to_numpy()).all()
    # The plan report's section.
    from wfm.report import render_html
    page = render_html(plan, actual=r)
    assert "<h2>Plan versus actual</h2>" in page
    assert f"WAPE {r.wape:.3f}" in page and f"{r.service_level_gap:+.3f}" in page
    assert "Plan versus actual" not in render_html(plan)
