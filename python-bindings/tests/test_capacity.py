"""wfm.capacity: DataFrames in and out, vocabulary columns, bookkeeping, what-ifs, errors."""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import wfm
from wfm import capacity as wc

DATA = Path(__file__).resolve().parents[2] / "examples" / "data"

CENTRE = dict(attrition=[0.012] * 12 + [0.007], training_weeks=4,
              ramp=[0.5] * 4 + [0.75] * 4 + [0.9] * 4,
              shrinkage={"breaks": 0.09, "meetings": 0.03, "training": 0.02, "absence": 0.05},
              scheduling_efficiency=1.05, salary=900, hire_cost=2500, training_cost=1500,
              overtime_cost=1350, temp_cost=1200, understaffing_cost=3000, max_overtime=0.05)


def centre(**over):
    demand = pd.read_csv(DATA / "capacity_demand.csv")
    week = pd.read_csv(DATA / "sample_week.csv", parse_dates=["start"]).set_index("start")["volume"]
    args = dict(CENTRE, **over)
    return wc.plan(demand, profile=week, cohorts=pd.read_csv(DATA / "capacity_cohorts.csv"),
                   classes=pd.read_csv(DATA / "capacity_classes.csv"), **args)


def test_bundled_centre_plan():
    p = centre()
    assert p.status == "optimal", p.message
    w = p.weeks
    assert len(w) == 52 and w.index.name == "week"
    for col in w.columns:  # every column is in the vocabulary
        assert col in VOCAB, col
    # cohort bookkeeping: hires - leavers = change in headcount, every week
    start = pd.read_csv(DATA / "capacity_cohorts.csv")["headcount"].sum()
    before = np.concatenate([[start], w["headcount"].to_numpy()[:-1]])
    np.testing.assert_allclose(w["headcount"] - before, w["hires"] - w["leavers"], atol=1e-9)
    # the factors are visible and recombine to the requirement
    np.testing.assert_allclose(
        w["fte_required"],
        w["fte_productive_required"] * w["scheduling_efficiency"] / (1 - w["shrinkage"]), rtol=1e-12)
    np.testing.assert_allclose(w["shrinkage"], 0.19, rtol=1e-12)
    assert (w["fte_gap"] <= 0.05 * w["fte_required"] + 1e-5).all()
    assert p.lower_bound <= p.cost and p.gap <= 1e-5
    assert p.cost == pytest.approx(sum(p.cost_parts.values()), rel=1e-9)
    assert p.classes["class_size"].sum() == pytest.approx(w["hires"].sum())


def test_what_if_side_by_side():
    p = centre(what_if=True)
    t = p.what_if
    assert {"base", "volume +10%", "volume -10%", "aht +5%", "attrition x2"} <= set(t.index)
    assert t.loc["base", "cost"] == pytest.approx(p.cost, rel=1e-9)
    assert t.loc["volume +10%", "fte_required"] > t.loc["base", "fte_required"] > t.loc["volume -10%", "fte_required"]
    assert t.loc["attrition x2", "hires"] >= t.loc["base", "hires"]
    assert any(name.endswith("cancelled") for name in t.index)


def test_fte_required_given_and_plot():
    demand = pd.DataFrame({"week": range(10), "fte_required": [12.0] * 10})
    p = wc.plan(demand, cohorts=pd.DataFrame({"tenure_weeks": [52], "headcount": [10.0]}),
                classes=pd.DataFrame({"start_week": [0], "min_size": [0], "max_size": [10]}),
                salary=1, hire_cost=100, training_cost=50, understaffing_cost=1000, gap_tolerance=0.0)
    assert p.status == "optimal"
    assert list(p.classes["class_size"]) == [2]  # hand-checked in tests/capacity/hiring_test.cpp
    assert p.cost == pytest.approx(420.0)
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    ax = p.plot()
    assert ax.get_ylabel() == "FTE"


def test_bad_input_names_the_field():
    with pytest.raises(ValueError, match=r"supply\.attrition\[0\]"):
        centre(attrition=[1.5])
    with pytest.raises(ValueError, match=r"supply\.ramp\[1\]"):
        centre(ramp=[0.5, 75.0])
    bad = pd.read_csv(DATA / "capacity_classes.csv")
    bad.loc[0, "start_week"] = -2
    demand = pd.read_csv(DATA / "capacity_demand.csv")
    week = pd.read_csv(DATA / "sample_week.csv")["volume"]
    with pytest.raises(ValueError, match=r"classes\[0\]\.start_week"):
        wc.plan(demand, profile=week, cohorts=pd.read_csv(DATA / "capacity_cohorts.csv"), classes=bad)


def test_uncoverable_weeks_are_named():
    demand = pd.DataFrame({"fte_required": [20.0] * 8})
    p = wc.plan(demand, cohorts=pd.DataFrame({"tenure_weeks": [52], "headcount": [10.0]}),
                classes=pd.DataFrame({"start_week": [0], "min_size": [0], "max_size": [50]}),
                training_weeks=3, salary=1, understaffing_cost=5)
    assert p.status == "infeasible"
    assert p.uncoverable_weeks == [0, 1, 2]
    assert "weeks 0, 1, 2" in p.message


def _vocabulary():
    text = (Path(__file__).resolve().parents[2] / "include" / "wfm" / "core" / "vocabulary.hpp").read_text()
    import re
    return set(re.findall(r'Quantity\{"([a-z_]+)"', text))


VOCAB = _vocabulary()


def test_forecast_weekly_frame():
    idx = pd.date_range("2025-01-06", periods=40, freq="W-MON")
    hist = pd.Series(1000.0 + 5.0 * np.arange(40), index=idx)
    f = wc.forecast_weekly(hist, horizon=13, level=0.8)
    assert list(f.columns) == ["volume", "volume_lower", "volume_upper"]
    assert f.index[0] == idx[-1] + pd.Timedelta(weeks=1) and len(f) == 13
    assert (f["volume_lower"] <= f["volume"]).all() and (f["volume"] <= f["volume_upper"]).all()
    assert f["volume"].iloc[-1] > 1195.0  # the trend continues (damped): last actual 1195
    with pytest.raises(ValueError, match="level"):
        wc.forecast_weekly(hist, level=80)


def test_forecast_weekly_calendar_and_model():
    # 5000 a normal week, 4000 in weeks with one of five days closed: with the calendar factors
    # the adjusted history is constant and the forecast is 5000 times the factor ahead.
    hist = np.full(30, 5000.0)
    factor = np.ones(30)
    hist[[5, 13, 21, 29]] = 4000.0
    factor[[5, 13, 21, 29]] = 0.8
    ahead = np.ones(13)
    ahead[2] = 0.8
    f = wc.forecast_weekly(hist, horizon=13, history_factor=factor, week_factor=ahead)
    np.testing.assert_allclose(f["volume"], 5000.0 * ahead, rtol=1e-9)
    assert f.attrs["model"] in {"naive", "simple", "damped_trend"}
    assert len(f.attrs["validation_error"]) == 3
    g = wc.forecast_weekly(hist, horizon=13, model="naive")
    assert g.attrs["model"] == "naive" and g.attrs["validation_error"] == []
    with pytest.raises(ValueError, match="history_factor"):
        wc.forecast_weekly(hist, history_factor=factor[:-1])
    with pytest.raises(ValueError, match="model"):
        wc.forecast_weekly(hist, model="holt")


def _forecast_demand():
    """52 weeks of the bundled centre's volume as a forecast frame with 80 % intervals."""
    demand = pd.read_csv(DATA / "capacity_demand.csv")
    v = demand["volume"].to_numpy(dtype=float)
    widen = np.exp(1.2816 * 0.01 * np.sqrt(np.arange(1, len(v) + 1)))  # sigma 1 % * sqrt(h)
    d = demand.assign(volume_lower=v / widen, volume_upper=v * widen)
    d.attrs["level"] = 0.8
    return d


@pytest.mark.parametrize("probability", [0.5, 0.8, 0.95])
def test_chance_goal_volume_and_columns(probability):
    d = _forecast_demand()
    week = pd.read_csv(DATA / "sample_week.csv", parse_dates=["start"]).set_index("start")["volume"]
    p = wc.plan(d, profile=week, cohorts=pd.read_csv(DATA / "capacity_cohorts.csv"),
                classes=pd.read_csv(DATA / "capacity_classes.csv"), probability=probability, **CENTRE)
    w = p.weeks
    for col in w.columns:
        assert col in VOCAB, col
    np.testing.assert_allclose(w["volume_mean"], d["volume"], rtol=1e-12)
    if probability == 0.5:
        np.testing.assert_allclose(w["volume"], d["volume"], rtol=1e-9)
    else:
        assert (w["volume"] > w["volume_mean"]).all()
        assert (w["volume"] <= d["volume_upper"] + 1e-9).all() == (probability <= 0.9)


def test_chance_goal_higher_probability_never_fewer_hires():
    # Hire cost only, no minimum class sizes, generous classes: the optimum is the fewest hires
    # that cover every week, and a higher probability raises every week's volume (the quantile
    # grows with the probability), so the covering set only shrinks: hires never fall.
    d = _forecast_demand()
    week = pd.read_csv(DATA / "sample_week.csv", parse_dates=["start"]).set_index("start")["volume"]
    classes = pd.read_csv(DATA / "capacity_classes.csv").assign(min_size=0, max_size=60)
    args = dict(CENTRE, salary=0, training_cost=0, overtime_cost=0, temp_cost=0,
                understaffing_cost=0, max_overtime=0.0, gap_tolerance=0.1)
    hires = []
    for probability in (0.5, 0.7, 0.8, 0.9, 0.95, 0.99):
        p = wc.plan(d, profile=week, cohorts=pd.read_csv(DATA / "capacity_cohorts.csv"),
                    classes=classes, probability=probability, **args)
        assert p.status == "optimal", p.message
        hires.append(p.classes["class_size"].sum())
    assert all(b >= a for a, b in zip(hires, hires[1:])), hires
    assert hires[-1] > hires[0], hires  # the chance goal has an effect at all


def test_chance_goal_needs_intervals():
    demand = pd.read_csv(DATA / "capacity_demand.csv")
    with pytest.raises(ValueError, match="volume_lower"):
        wc.plan(demand, profile=[1.0], cohorts=pd.read_csv(DATA / "capacity_cohorts.csv"),
                probability=0.9)


def test_capacity_section_of_the_report():
    pytest.importorskip("matplotlib")
    from wfm import report

    p = centre(what_if=True)
    text = report.capacity_section(p)
    assert "<h2>Capacity plan</h2>" in text and "What-if scenarios" in text
    assert text.count("data:image/png;base64,") == 1  # requirement vs available FTE
    assert f"{p.cost:,.0f}" in text
    for r in p.classes[p.classes["class_size"] > 0].itertuples():  # every class that runs is listed
        assert f"<td class='l'>{int(r.start_week)}</td><td class='l'>{int(r.class_size)}</td>" in text
    assert "breaks 0.090" in text  # shrinkage by category, each visible


def _two_days_profile():
    """Two days open 08:00-20:00 in 30-minute intervals, a midday peak, closed at night."""
    days = [pd.date_range(f"2025-01-0{d} 08:00", periods=24, freq="30min") for d in (6, 7)]
    idx = days[0].append(days[1])
    shape = 1.0 + np.sin(np.linspace(0.0, np.pi, 24))
    return pd.Series(np.concatenate([shape, shape]), index=idx)


def test_measured_scheduling_efficiency():
    prof = _two_days_profile()
    r = wc.measure_scheduling_efficiency(4000.0, 300.0, prof, time_limit_s=3.0)
    # A schedule covers every interval with whole agents (hard cover), so it pays at least the
    # required agent hours; the ratio is what plan(scheduling_efficiency="measured") uses.
    assert r["paid_hours"] >= r["required_hours"] > 0
    assert r["scheduling_efficiency"] == pytest.approx(r["paid_hours"] / r["required_hours"])
    assert 1.0 <= r["scheduling_efficiency"] < 2.0
    demand = pd.DataFrame({"week": range(6), "volume": [4000.0] * 6, "aht_s": [300.0] * 6})
    p = wc.plan(demand, profile=prof, cohorts=pd.DataFrame({"tenure_weeks": [52], "headcount": [10.0]}),
                scheduling_efficiency="measured", salary=1.0, understaffing_cost=10.0, gap_tolerance=1.0,
                time_limit_s=3.0)
    # The same week scheduled again: the shift search is time-limited (large-neighbourhood
    # search), so two runs may differ slightly; the plan uses one such measurement every week.
    e = p.weeks["scheduling_efficiency"].to_numpy()
    assert np.all(e == e[0]) and e[0] == pytest.approx(r["scheduling_efficiency"], rel=0.05)
