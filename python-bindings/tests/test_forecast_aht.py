"""Issue 16, item 5: the AHT forecast's columns in wfm.forecast (band, explanation) on a
generated history with a known AHT trend and holiday effect (the C++ model is tested in
tests/forecast/handle_time_test.cpp)."""
import numpy as np
import pandas as pd
import pytest

import wfm.forecast as wf

HOLIDAYS = {f"2024-{m:02d}-{d:02d}": f"Holiday {i}" for i, (m, d) in
            enumerate([(1, 11), (2, 1), (2, 22), (3, 14), (4, 4), (4, 25), (5, 16)])}
HOLIDAY_AHT = 1.3   # the generator's AHT multiplier on holidays
TREND = 0.01        # the generator's log AHT change per week


def synth(weeks=20, seed=3):
    """Weekdays 08:00-18:00 every 30 min; ~100 calls an interval; AHT 300 s x exp(TREND t)
    x 1.3 on holidays, each interval the mean of its calls (per-call cv 0.8)."""
    rng = np.random.default_rng(seed)
    days = pd.date_range("2024-01-01", periods=7 * weeks, freq="D")
    idx, vol, aht = [], [], []
    for d in days:
        if d.weekday() >= 5:
            continue
        special = HOLIDAY_AHT if str(d.date()) in HOLIDAYS else 1.0
        weeks_in = (d - days[0]).days / 7.0
        for k in range(20):
            v = float(rng.poisson(100.0 * (0.5 if special != 1.0 else 1.0)))
            sd = np.sqrt(np.log1p(0.8 ** 2) / max(v, 1.0))
            idx.append(d + pd.Timedelta(hours=8) + pd.Timedelta(minutes=30 * k))
            vol.append(v)
            aht.append(300.0 * np.exp(TREND * weeks_in) * special * np.exp(sd * rng.standard_normal()))
    index = pd.DatetimeIndex(idx)
    return pd.Series(vol, index=index), pd.Series(aht, index=index)


@pytest.fixture(scope="module")
def data():
    vol, aht = synth()
    cut = pd.Timestamp("2024-04-22")  # 16 weeks fitted, 4 held out (with 2 holidays)
    return vol[vol.index < cut], aht[aht.index < cut], vol[vol.index >= cut], aht[aht.index >= cut]


def test_forecast_has_the_aht_band_per_level(data):
    hist, aht, test_vol, test_aht = data
    df = wf.forecast(hist, at=test_vol.index, level=[0.8, 0.95], aht=aht, holidays=HOLIDAYS,
                     method="top_down", backtest_origins=2)
    assert list(df.columns) == ["volume", "volume_lower", "volume_upper", "level", "aht_s",
                                "aht_s_lower", "aht_s_upper"]
    d80, d95 = df[df["level"] == 0.8], df[df["level"] == 0.95]
    assert (d80["aht_s_lower"] <= d80["aht_s"]).all() and (d80["aht_s"] <= d80["aht_s_upper"]).all()
    assert (d95["aht_s_lower"] <= d80["aht_s_lower"]).all()
    assert (d95["aht_s_upper"] >= d80["aht_s_upper"]).all()
    # Coverage of the 80 % band on the 4 held-out weeks (400 intervals): nominal 0.8.
    cover = ((test_aht >= d80["aht_s_lower"]) & (test_aht <= d80["aht_s_upper"])).mean()
    assert 0.7 < cover < 0.9
    # The held-out holiday (2024-05-16) gets the holiday effect on top of the trend.
    day = d80.index.normalize() == pd.Timestamp("2024-05-16")
    truth = 300.0 * np.exp(TREND * (pd.Timestamp("2024-05-16") - pd.Timestamp("2024-01-01")).days / 7)
    assert d80.loc[day, "aht_s"].mean() == pytest.approx(truth * HOLIDAY_AHT, rel=0.05)
    assert d80.loc[~day, "aht_s"].mean() == pytest.approx(
        test_aht[~day].mean(), rel=0.03)


def test_explain_has_the_aht_components(data):
    hist, aht, test_vol, _ = data
    x = wf.explain(hist, at=test_vol.index, aht=aht, holidays=HOLIDAYS, method="top_down",
                   backtest_origins=0)
    cols = ["aht_level_s", "aht_trend_effect", "aht_weekday_effect", "aht_special_effect",
            "aht_special_source", "aht_occurrences", "aht_evidence_weight",
            "aht_profile_effect", "aht_day_s"]
    assert set(cols) <= set(x.columns)
    product = (x["aht_level_s"] * x["aht_trend_effect"] * x["aht_weekday_effect"]
               * x["aht_special_effect"] * x["aht_profile_effect"])
    assert np.allclose(product, x["aht_day_s"], rtol=1e-9)
    hol = x.loc[pd.Timestamp("2024-05-16")]
    assert hol["aht_special_source"] == "name" or hol["aht_special_source"] == "kind"
    assert hol["aht_special_effect"] == pytest.approx(HOLIDAY_AHT, rel=0.05)
    assert (x["aht_trend_effect"] > 1.0).all()  # the trend goes on (damped) after the history


def test_closed_day_and_no_aht(data):
    hist, aht, test_vol, _ = data
    days = dict(HOLIDAYS, **{"2024-05-01": "Strike (closed)"})
    df = wf.forecast(hist, at=test_vol.index, aht=aht, holidays=days, method="top_down",
                     backtest_origins=0)
    closed = df.index.normalize() == pd.Timestamp("2024-05-01")
    assert (df.loc[closed, ["aht_s", "aht_s_lower", "aht_s_upper"]] == 0.0).all().all()
    assert (df.loc[~closed, "aht_s"] > 0.0).all()
    plain = wf.forecast(hist, at=test_vol.index, method="top_down", backtest_origins=0)
    assert not {"aht_s", "aht_s_lower", "aht_s_upper"} & set(plain.columns)
    x = wf.explain(hist, at=test_vol.index, method="top_down", backtest_origins=0)
    assert not any(c.startswith("aht_") for c in x.columns)


def test_overrides_keep_the_aht_band(data):
    hist, aht, test_vol, _ = data
    df = wf.forecast(hist, at=test_vol.index, aht=aht, method="top_down", backtest_origins=0)
    over = pd.DataFrame({"from": ["2024-04-23"], "to": ["2024-04-23"], "override_factor": [0.1]})
    out = wf.apply_overrides(df, over)
    for col in ("aht_s", "aht_s_lower", "aht_s_upper"):
        assert np.array_equal(out[col].to_numpy(), df[col].to_numpy())
    assert list(out.columns[:6]) == ["volume", "volume_lower", "volume_upper", "aht_s",
                                     "aht_s_lower", "aht_s_upper"]


def test_fit_report_has_the_aht_fit(data):
    hist, aht, _, _ = data
    r = wf.fit(hist, aht=aht, holidays=HOLIDAYS, method="top_down", backtest_origins=0).report
    a = r.handle_time
    assert a.method == "effects" and a.trend_weeks >= 10
    assert a.trend_per_week == pytest.approx(np.expm1(TREND), abs=0.003)  # the generator's trend
    holiday = [e for e in a.special_days if e.source == "kind" and e.kind == "holiday"]
    assert len(holiday) == 1 and holiday[0].ratio == pytest.approx(HOLIDAY_AHT, rel=0.05)
    assert len(a.weekday_effect) == 7 and a.band_points > 0
    assert wf.fit(hist, method="top_down", backtest_origins=0).report.handle_time.method == ""


def test_aht_method_choice(data):
    """aht_method picks the AHT model: "profile" (no trend, no special days) lags the
    generator's +1 %/week trend on the held-out weeks, "effects" (the default) follows it."""
    hist, aht, test_vol, test_aht = data
    kw = dict(at=test_vol.index, aht=aht, holidays=HOLIDAYS, method="top_down", backtest_origins=0)
    eff = wf.forecast(hist, **kw)
    prof = wf.forecast(hist, aht_method="profile", **kw)
    assert wf.fit(hist, aht=aht, aht_method="profile", method="top_down",
                  backtest_origins=0).report.handle_time.method == "profile"
    assert wf.fit(hist, aht=aht, method="top_down",
                  backtest_origins=0).report.handle_time.method == "effects"
    ordinary = ~test_vol.index.normalize().isin(pd.to_datetime(list(HOLIDAYS)))
    truth = test_aht[ordinary].mean()
    assert prof.loc[ordinary, "aht_s"].mean() < eff.loc[ordinary, "aht_s"].mean()
    assert abs(eff.loc[ordinary, "aht_s"].mean() - truth) < abs(prof.loc[ordinary, "aht_s"].mean() - truth)
    with pytest.raises(ValueError, match="aht_method"):
        wf.fit(hist, aht=aht, aht_method="arima", method="top_down", backtest_origins=0)
