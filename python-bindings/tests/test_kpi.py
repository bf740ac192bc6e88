"""wfm.kpi: the hand-computed log of tests/kpi/contacts_test.cpp through pandas, and the CSV path."""
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
