"""Tests of wfm.forecast on generated series with known structure (and the shared bank data
when present)."""
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import wfm
import wfm.forecast as wf

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "forecasting"
WEEKDAY_FACTOR = [1.25, 1.05, 1.0, 0.95, 0.85]


def synth(weeks=10, seed=1, level=2000.0, tz=None, absent=()):
    """Poisson counts, weekdays 08:00-18:00 every 30 min, mean = level x weekday x profile."""
    rng = np.random.default_rng(seed)
    days = pd.date_range("2024-01-01", periods=7 * weeks, freq="D")
    slots = np.arange(20)
    profile = 0.4 + np.exp(-((slots - 5) / 3) ** 2) + 0.7 * np.exp(-((slots - 14) / 3) ** 2)
    profile /= profile.sum()
    idx, mu = [], []
    for d in days:
        if d.weekday() >= 5 or str(d.date()) in absent:
            continue
        for k in slots:
            idx.append(d + pd.Timedelta(hours=8) + pd.Timedelta(minutes=30 * int(k)))
            mu.append(level * WEEKDAY_FACTOR[d.weekday()] * profile[k])
    index = pd.DatetimeIndex(idx)
    if tz:
        index = index.tz_localize(tz)
    mu = np.array(mu)
    return pd.Series(rng.poisson(mu).astype(float), index=index), pd.Series(mu, index=index)


def next_week(s, weeks=1):
    h, _ = synth(weeks=len(pd.unique(s.index.normalize())) // 5 + weeks)
    return h.index[h.index > s.index[-1]]


def test_forecast_returns_a_frame_close_to_the_true_means():
    full, mu = synth(weeks=11)
    cut = pd.Timestamp("2024-03-11")
    hist = full[full.index < cut]
    at = full.index[full.index >= cut]
    df = wf.forecast(hist, at=at, level=0.8)
    assert list(df.columns) == ["volume", "volume_lower", "volume_upper"]
    assert (df.index == at).all() and df.index.name == "timestamp"
    wape = np.abs(df["volume"] - mu[at]).sum() / mu[at].sum()
    assert wape < 0.05
    assert (df["volume_lower"] <= df["volume"]).all() and (df["volume"] <= df["volume_upper"]).all()
    cover = ((full[at] >= df["volume_lower"]) & (full[at] <= df["volume_upper"])).mean()
    assert 0.65 < cover < 0.95


def test_several_levels_aht_and_time_zones():
    full, _ = synth(weeks=9, tz="Europe/Amsterdam")
    cut = full.index[-100]
    hist, at = full[full.index < cut], full.index[full.index >= cut]
    aht = pd.Series(200.0 + 40.0 * (hist.index.hour >= 13), index=hist.index)
    df = wf.forecast(hist, at=at, level=[0.8, 0.95], aht=aht)
    assert list(df.columns) == ["volume", "volume_lower", "volume_upper", "level", "aht_s",
                               "aht_s_lower", "aht_s_upper"]
    assert len(df) == 2 * len(at) and set(df["level"]) == {0.8, 0.95}
    d80, d95 = df[df["level"] == 0.8], df[df["level"] == 0.95]
    assert d80.index.equals(at) and d95.index.equals(at) and str(d80.index.tz) == str(at.tz)
    assert (d95["volume_lower"] <= d80["volume_lower"]).all()
    afternoon = d80.index.hour >= 13
    assert np.allclose(d80.loc[afternoon, "aht_s"], 240.0, rtol=0.02)
    assert np.allclose(d80.loc[~afternoon, "aht_s"], 200.0, rtol=0.02)


def test_fit_report_and_intraday_update():
    hist, _ = synth(weeks=10)
    f = wf.fit(hist, holidays={"2024-03-13": "Company day"})
    r = f.report
    assert r.status == wfm.Status.ok
    assert r.method
    assert len(r.backtest) >= 5
    assert r.special_days[0].name == "Company day"
    # No special day in the history: a never-seen holiday gets the holiday kind's prior ratio
    # (SpecialDayPolicy.holiday_prior_ratio, 0.5; issue 16).
    assert "kind 'holiday' prior" in r.special_days[0].source
    assert r.special_days[0].ratio == pytest.approx(0.5, rel=1e-12)
    day = pd.date_range("2024-03-11 08:00", periods=20, freq="30min")
    s = wf.to_seconds(day)
    prior = f.predict(s[6:])
    upd = f.update_intraday(s[:6], 1.5 * f.predict(s[:6]), s[6:])
    assert upd.sum() > prior.sum()


def test_bad_input_raises_value_error():
    hist, _ = synth(weeks=4)
    with pytest.raises(ValueError, match="needs at least 21"):
        wf.forecast(hist[hist.index < "2024-01-15"], at=next_week(hist), method="svd")
    bad = hist.copy()
    bad.iloc[3] = -1.0
    with pytest.raises(ValueError, match=r"volume\[3\]"):
        wf.fit(bad)
    with pytest.raises(ValueError, match="off the"):
        wf.forecast(hist, at=pd.DatetimeIndex(["2024-02-05 08:10"]))
    with pytest.raises(ValueError, match="method"):
        wf.fit(hist, method="arima")


def test_batch_matches_single_and_releases_the_gil():
    series = {f"q{k}": synth(weeks=8, seed=k, level=500.0 * (k + 1))[0] for k in range(6)}
    at = next_week(series["q0"])
    many = wf.forecast_many(series, at=at, threads=2)
    for k, s in series.items():
        one = wf.forecast(s, at=at)
        assert np.allclose(one["volume"], many[k]["volume"])
    # Another Python thread keeps running while the batch works.
    ticks = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    t = threading.Thread(target=ticker)
    t.start()
    big = {f"q{k}": synth(weeks=12, seed=k)[0] for k in range(8)}
    t0 = time.perf_counter()
    wf.forecast_many(big, at=next_week(big["q0"]), threads=1)
    t1 = time.perf_counter()
    stop.set()
    t.join()
    assert sum(t0 <= x <= t1 for x in ticks) > 5


def test_backtest_table():
    hist, _ = synth(weeks=9)
    table = wf.backtest(hist, origins=2, methods=["seasonal_naive", "top_down"])
    assert list(table.index) == ["seasonal_naive", "top_down"]
    assert table.loc["top_down", "wape"] < table.loc["seasonal_naive", "wape"]
    assert 0.0 <= table.loc["top_down", "coverage"] <= 1.0


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/data is not on this machine")
def test_us_bank_beats_seasonal_naive():
    df = pd.read_csv(SHARED / "bank_calls_2003_5min.csv")
    df = df[df["interval"] <= 168]
    s = pd.Series(df["calls"].to_numpy(float), index=pd.to_datetime(df["date"] + " " + df["start"]))
    s = s.resample("15min").sum(min_count=1).dropna()
    table = wf.backtest(s, origins=2, methods=["seasonal_naive", "auto"])
    assert table.loc["auto", "wape"] < table.loc["seasonal_naive", "wape"]
