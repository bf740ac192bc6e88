"""wfm.plan: every step on one index, aligned by timestamp, across closed hours and clock changes."""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import wfm
from wfm import planning

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "examples" / "data"
PER_INTERVAL = ("forecast", "staffing", "coverage", "simulation")


def bundled():
    h = pd.read_csv(DATA / "history.csv")
    idx = pd.DatetimeIndex(pd.to_datetime(h.pop("timestamp"), utc=True)).tz_convert(
        "Europe/Amsterdam")
    return h.set_index(idx), pd.read_csv(DATA / "holidays.csv")


def around_the_clock(first, last, tz="Europe/Berlin", seed=3):
    """A 24/7 history of 30-minute intervals (steps of absolute time: a clock change gives a
    23- or 25-hour day) with a day-night profile of about 15 to 45 contacts per interval."""
    idx = pd.date_range(pd.Timestamp(first, tz=tz), pd.Timestamp(last, tz=tz), freq="30min",
                        inclusive="left")
    hour = idx.hour + idx.minute / 60
    mu = 30 + 15 * np.sin((hour - 9) / 24 * 2 * np.pi)
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"volume": rng.poisson(mu).astype(float),
                         "aht_s": 240 + rng.normal(0, 5, len(idx))}, index=idx)


def check_alignment(p):
    """The per-interval frames share one index; the coverage is what the schedule and its
    breaks put on the phones at each timestamp, recomputed here from the shift rows."""
    index = p.forecast.index
    assert index.name == "timestamp" and index.is_unique and len(index) > 0
    for name in PER_INTERVAL:
        assert getattr(p, name).index.equals(index), name
    on = np.zeros(len(index))
    for start, end, n in zip(p.schedule["start"], p.schedule["end"], p.schedule["agents"]):
        on += n * ((index >= start) & (index < end))
    for start, end, n in zip(p.breaks["start"], p.breaks["end"], p.breaks["agents"]):
        on -= n * ((index >= start) & (index < end))
    np.testing.assert_array_equal(on, p.coverage["agents"].to_numpy())
    assert (p.coverage["agents"] >= p.coverage["agents_required_gross"] - 1e-9).all()
    # the weekly lines work exactly the scheduled shifts
    per_template = p.schedule.groupby("template")["agents"].sum()
    assert p.tours.groupby("template").size().reindex(per_template.index).equals(per_template)


def test_bundled_week_with_closed_hours_and_a_new_utc_offset():
    history, holidays = bundled()
    p = wfm.plan(history, holidays=holidays, time_limit_s=3, replications=20)
    assert p.status in ("optimal", "feasible"), p.message
    check_alignment(p)
    index = p.forecast.index
    assert str(index.tz) == "Europe/Amsterdam"
    # the history is winter time, the planned week (after 29 March 2026) summer time
    assert {t.utcoffset() for t in history.index} == {pd.Timedelta(hours=1)}
    assert {t.utcoffset() for t in index} == {pd.Timedelta(hours=2)}
    # opening hours as in the history: Mon-Fri 08:00-20:00, Sat 09:00-17:00, Sunday closed
    hours = index.hour
    assert ((index.day_of_week < 5) & (hours >= 8) & (hours < 20)
            | (index.day_of_week == 5) & (hours >= 9) & (hours < 17)).all()
    assert len(index) == 5 * 48 + 32
    # every shift lies within the opening hours: its first and last intervals are open
    last = pd.DatetimeIndex(p.schedule["end"]) - pd.Timedelta(minutes=15)
    assert pd.DatetimeIndex(p.schedule["start"]).isin(index).all() and last.isin(index).all()
    # the simulation offers what was forecast: 20 replications, total within 2 %
    assert p.simulation["volume"].sum() == pytest.approx(p.forecast["volume"].sum(), rel=0.02)
    s = p.summary
    assert s.loc["planned", "paid_hours"] == pytest.approx(p.schedule["paid_hours"].sum())
    assert s.loc["planned", "headcount"] == p.tours["line"].nunique()
    lo, hi = s.loc["simulated", ["service_level_lower", "service_level_upper"]]
    assert lo <= s.loc["simulated", "service_level"] <= hi


def test_a_24_7_history_across_the_autumn_clock_change():
    # History: 5 weeks with the night of 25 October 2026 (02:00-03:00 twice) inside it.
    history = around_the_clock("2026-09-28", "2026-11-02")
    repeated = history.index[(history.index.day == 25) & (history.index.month == 10)
                             & (history.index.hour == 2)]
    assert len(repeated) == 4  # 02:00 and 02:30, each in +02:00 and in +01:00
    p = wfm.plan(history, time_limit_s=2, replications=10)
    assert p.status in ("optimal", "feasible"), p.message
    check_alignment(p)
    assert len(p.forecast) == 7 * 48 and p.forecast.index[0] == pd.Timestamp(
        "2026-11-02", tz="Europe/Berlin")


def test_a_24_7_week_with_the_repeated_hour_kept_as_two_intervals():
    history = around_the_clock("2026-09-14", "2026-10-19")
    p = wfm.plan(history, horizon=("2026-10-19", "2026-10-26"), time_limit_s=2,
                 replications=10)
    assert p.status in ("optimal", "feasible"), p.message
    check_alignment(p)
    index = p.forecast.index
    assert len(index) == 7 * 48 + 2  # Sunday 25 October has 25 hours
    night = index[(index.day == 25) & (index.hour == 2)]
    assert len(night) == 4 and sorted({t.utcoffset() for t in night}) == [
        pd.Timedelta(hours=1), pd.Timedelta(hours=2)]
    for name in PER_INTERVAL:  # each step has its own numbers for both copies of the hour
        frame = getattr(p, name)
        assert frame.loc[night].notna().all().all(), name
    assert (p.simulation.loc[night, "volume"] > 0).all()
    assert (p.coverage.loc[night, "agents"] >= p.coverage.loc[night, "agents_required"]).all()


def test_a_24_7_week_across_the_spring_clock_change():
    history = around_the_clock("2026-02-16", "2026-03-23")
    p = wfm.plan(history, horizon=("2026-03-23", "2026-03-30"), time_limit_s=2,
                 replications=10)
    check_alignment(p)
    index = p.forecast.index
    assert len(index) == 7 * 48 - 2  # Sunday 29 March has 23 hours: no 02:00 local
    assert not ((index.day == 29) & (index.hour == 2)).any()


def test_naive_history_and_a_series_with_a_handle_time():
    history, _ = bundled()
    naive = history.tz_localize(None)
    p = wfm.plan(naive["volume"], aht_s=300.0, time_limit_s=1, replications=5)
    assert p.forecast.index.tz is None
    assert (p.forecast["aht_s"] == 300.0).all()
    check_alignment(p)


def test_shrinkage_grosses_up_the_requirement_and_thins_the_simulated_staff():
    history, _ = bundled()
    p = wfm.plan(history, shrinkage=0.25, patience_s=180.0, time_limit_s=1, replications=5)
    cov = p.coverage
    np.testing.assert_allclose(cov["agents_required_gross"], cov["agents_required"] / 0.75)
    np.testing.assert_array_equal(p.simulation["agents"], np.floor(cov["agents"] * 0.75 + 1e-9))
    assert (p.simulation["abandon_rate"] > 0).any()  # patience given: Erlang A, abandonment


def test_progress_and_stopping(tmp_path):
    history, _ = bundled()
    seen = []
    p = wfm.plan(history, time_limit_s=1, replications=5,
                 progress=lambda pr: seen.append(pr.step) or pr.step != "tours")
    assert seen[:3] == ["forecast", "staff", "schedule"] and "tours" in seen
    assert "simulate" not in seen
    assert p.status == "stopped" and len(p.schedule) > 0 and len(p.simulation) == 0
    assert p.summary.isna().all().all()  # nothing simulated, nothing summarised
    text = Path(p.to_html(tmp_path / "stopped.html")).read_text()  # a partial plan reports too
    assert "stopped" in text and text.count("data:image/png;base64,") == 6  # with the explanation chart


@pytest.mark.parametrize("kwargs, match", [
    (dict(shrinkage=1.0), "shrinkage"),
    (dict(level=80), "level"),
    (dict(service_level=80), "service_level"),
    (dict(time_limit_s=0), "time_limit_s"),
    (dict(horizon="next week"), "horizon"),
    (dict(interval_length_s=700), "interval_length_s"),
])
def test_bad_arguments_name_themselves(kwargs, match):
    history, _ = bundled()
    with pytest.raises(ValueError, match=match):
        wfm.plan(history, **kwargs)


def test_bad_history():
    history, _ = bundled()
    with pytest.raises(ValueError, match="aht_s"):
        wfm.plan(history["volume"])
    with pytest.raises(ValueError, match="volume"):
        wfm.plan(history.rename(columns={"volume": "calls"}))
    bad = history.copy()
    bad.iloc[5, 0] = -1
    with pytest.raises(ValueError, match="volume at 2026-01-05 09:15"):
        wfm.plan(bad)
    naive = history.tz_localize(None)
    with pytest.raises(ValueError, match="appears twice"):
        wfm.plan(pd.concat([naive, naive.iloc[:1]]))


def test_default_templates_in_intervals():
    full, part = planning.default_templates(900)
    assert (full.length, full.paid_length, part.length) == (34, 32, 16)
    assert [b.length for b in full.breaks] == [1, 2, 1]
    full30, _ = planning.default_templates(1800)
    assert (full30.length, full30.paid_length) == (17, 16)


def test_plots_have_units_and_dates():
    import matplotlib
    matplotlib.use("Agg")
    history, holidays = bundled()
    p = wfm.plan(history, holidays=holidays, time_limit_s=1, replications=5)
    for fn, unit in ((p.plot_forecast, "contacts per 15-minute interval"),
                     (p.plot_staffing, "agents"), (p.plot_schedule, "agents"),
                     (p.plot_service_level, "fraction"), (p.plot_tours, "weekly line")):
        ax = fn()
        assert unit in ax.get_ylabel() and "date" in ax.get_xlabel()
        assert ax.has_data()
        lo, hi = ax.get_xlim()  # matplotlib date numbers: days since 1970
        assert pd.Timestamp("2026-01-01").toordinal() - 719163 < lo < hi


def test_volumes_beyond_the_forecast_limit_are_bad_input():
    # wfm::limits (issue 14): history values above 1e12 contacts per interval are rejected up
    # front, naming the argument, before any step runs.
    history, _ = bundled()
    history["volume"] *= 1e300
    with pytest.raises(ValueError, match=r"volume.*1e\+?12"):
        wfm.plan(history, time_limit_s=1, replications=3)


@pytest.mark.parametrize("scale", [1e7])
def test_absurd_volumes_end_quickly_with_statuses_that_say_why(scale, tmp_path):
    history, _ = bundled()
    history["volume"] *= scale
    p = wfm.plan(history, time_limit_s=1, replications=3)
    assert p.status == "infeasible"
    assert p.steps["staff"][0] == "infeasible"  # more agents than max_agents
    assert p.steps["tours"][0] == "time_limit" and "max_agent_shifts" in p.steps["tours"][1]
    assert p.steps["simulate"][0] == "time_limit"
    assert "max_simulated_contacts" in p.steps["simulate"][1]
    assert np.isfinite(p.forecast["volume"]).all() and len(p.simulation) == 0
    p.to_html(tmp_path / "report.html")
