"""The events-and-overrides layer (wfm.forecast.apply_overrides, explain; C++
wfm/forecast/overrides.hpp) and its way through wfm.plan into the report."""
import base64
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import wfm
import wfm.forecast as wf
from test_forecast import synth
from test_planning import bundled
from vocabulary import outside


def _split(weeks=8, seed=1, level=2000.0):
    """A synthetic history (weekdays 08:00-18:00, 30 min) and the week after it."""
    full, _ = synth(weeks=weeks + 1, seed=seed, level=level)
    cut = full.index[0].normalize() + pd.Timedelta(weeks=weeks)
    return full[full.index < cut], full.index[full.index >= cut]


@pytest.fixture(scope="module")
def week():
    hist, at = _split()
    return hist, at, wf.forecast(hist, at=at, method="weekly_average")


def _day(index, date):
    return np.asarray(index.normalize() == pd.Timestamp(date))


def test_plus_20_percent_on_one_day_changes_exactly_that_day(week):
    _, at, fc = week
    day = str(at[0].date() + pd.Timedelta(days=1))
    out = wf.apply_overrides(fc, pd.DataFrame({"from": [day], "override_factor": [0.2],
                                               "reason": ["radio spot"], "author": ["anna"]}))
    on = _day(out.index, day)
    assert on.sum() == 20
    np.testing.assert_allclose(out["volume"][on], fc["volume"][on] * 1.2, rtol=1e-14)
    np.testing.assert_array_equal(out["volume"][~on], fc["volume"][~on])
    np.testing.assert_array_equal(out["model_volume"], fc["volume"])
    np.testing.assert_allclose(out["volume_upper"][on], fc["volume_upper"][on] * 1.2, rtol=1e-14)
    assert set(out["override"][on]) == {"+20 % (radio spot; anna)"}
    assert set(out["override"][~on]) == {""}
    assert outside(out.columns) == []


def test_absolute_day_volume_is_spread_by_the_profile_and_sums_back(week):
    _, at, fc = week
    day = str(at[0].date())
    out = wf.apply_overrides(fc, pd.DataFrame({"from": [pd.Timestamp(day)], "time_from": ["09:00"],
                                               "time_to": ["12:00"],
                                               "override_day_volume": [600.0]}))
    t = out.index
    sel = _day(t, day) & (t.hour >= 9) & (t.hour < 12)
    assert sel.sum() == 6
    assert out["volume"][sel].sum() == pytest.approx(600.0, rel=1e-13)
    profile = fc["volume"][sel] / fc["volume"][sel].sum()  # the model's intraday profile
    np.testing.assert_allclose(out["volume"][sel], 600.0 * profile, rtol=1e-13)
    np.testing.assert_array_equal(out["volume"][~sel], fc["volume"][~sel])


def test_overlapping_overrides_the_later_row_wins(week):
    _, at, fc = week
    first, last = str(at[0].date()), str(at[-1].date())
    wed = str(at[0].date() + pd.Timedelta(days=2))
    rows = pd.DataFrame({"from": [first, wed], "to": [last, None],
                         "override_factor": [-0.5, None], "override_volume": [None, 3.0]})
    out = wf.apply_overrides(fc, rows)
    on = _day(out.index, wed)
    assert (out["volume"][on] == 3.0).all()  # not 3.0 x 0.5: the earlier row does not apply
    np.testing.assert_allclose(out["volume"][~on], fc["volume"][~on] * 0.5, rtol=1e-14)
    flipped = wf.apply_overrides(fc, rows.iloc[::-1])
    np.testing.assert_allclose(flipped["volume"], fc["volume"] * 0.5, rtol=1e-14)


def test_events_are_reported_apart_from_overrides(week):
    _, at, fc = week
    day = str(at[0].date())
    events = pd.DataFrame({"from": [day], "name": ["billing run"], "event_factor": [0.15]})
    overrides = pd.DataFrame({"from": [day], "time_from": ["08:00"], "time_to": ["08:30"],
                              "override_factor": [-0.1]})
    out = wf.apply_overrides(fc, overrides, events=events)
    on = _day(out.index, day)
    np.testing.assert_allclose(out["event_factor"][on], 1.15, rtol=1e-15)
    assert set(out["event"][on]) == {"+15 % (billing run)"}
    assert out["override"].iloc[0] == "-10 %" and out["override"].iloc[1] == ""
    assert out["volume"].iloc[0] == pytest.approx(fc["volume"].iloc[0] * 1.15 * 0.9, rel=1e-14)
    assert out["volume"].iloc[1] == pytest.approx(fc["volume"].iloc[1] * 1.15, rel=1e-14)


def test_bad_rows_are_named_by_line_and_column(week, tmp_path):
    _, _, fc = week
    bad = pd.DataFrame({"from": ["2024-03-04", "2024-03-05"], "override_factor": [0.1, -10.0]})
    with pytest.raises(ValueError, match=r"overrides DataFrame, line 3, column "
                                         r"'override_factor': must be a fraction"):
        wf.apply_overrides(fc, bad)
    path = tmp_path / "o.csv"
    path.write_text("from,to,override_factor,override_volume\n2024-03-04,,0.1,\n"
                    "2024-03-05,2024-03-01,0.1,\n")
    with pytest.raises(ValueError, match=r"o\.csv, line 3, column 'to': the last date"):
        wf.read_overrides(path)
    with pytest.raises(ValueError, match=r"line 2, column 'override_volume': give only one"):
        wf.apply_overrides(fc, pd.DataFrame({"from": ["2024-03-04"], "override_factor": [0.1],
                                             "override_volume": [4.0]}))
    with pytest.raises(ValueError, match=r"events DataFrame, line 2, column 'name'"):
        wf.apply_overrides(fc, events=pd.DataFrame({"from": ["2024-03-04"], "name": [""],
                                                    "event_factor": [0.1]}))


def test_overrides_file_round_trip(tmp_path):
    rows = pd.DataFrame({"from": ["2024-03-05", "2024-03-06"], "to": ["", "2024-03-08"],
                         "time_from": ["", "09:00"], "time_to": ["", "12:30"],
                         "override_factor": [-0.1, None], "override_day_volume": [None, 1200.0],
                         "reason": ["strike, partial", "move"], "author": ["anna", "bob"]})
    path = wf.write_overrides(rows, tmp_path / "overrides.csv")
    back = wf.read_overrides(path)
    assert list(back["from"]) == ["2024-03-05", "2024-03-06"]
    assert list(back["to"]) == ["2024-03-05", "2024-03-08"]
    assert list(back["time_to"]) == ["24:00", "12:30"]
    assert back["override_factor"].iloc[0] == -0.1 and np.isnan(back["override_factor"].iloc[1])
    assert back["override_day_volume"].iloc[1] == 1200.0
    assert list(back["reason"]) == ["strike, partial", "move"]
    assert outside(back.columns) == []
    assert not list(tmp_path.glob("*.wfm-tmp"))


def test_overrides_survive_reforecasting():
    """Two different histories (length, level, seed), the same target week and overrides:
    the same intervals change by the same rule, whatever the model says."""
    hist_a, at = _split(weeks=6, seed=1)
    full_b, _ = synth(weeks=7, seed=9, level=3100.0)
    hist_b = full_b[full_b.index < at[0]]
    day = str(at[0].date() + pd.Timedelta(days=3))
    overrides = pd.DataFrame({"from": [day], "override_factor": [0.25]})
    a = wf.forecast(hist_a, at=at, method="weekly_average", overrides=overrides)
    b = wf.forecast(hist_b, at=at, method="weekly_average", overrides=overrides)
    assert not np.allclose(a["model_volume"], b["model_volume"])
    changed_a = a["override"] != ""
    changed_b = b["override"] != ""
    assert (changed_a == changed_b).all() and (changed_a == _day(at, day)).all()
    for f in (a, b):
        np.testing.assert_allclose(f["volume"] / f["model_volume"],
                                   np.where(changed_a, 1.25, 1.0), rtol=1e-14)


def test_explain_components_multiply_back_to_the_model_volume():
    hist, at = _split()
    day = str(at[0].date() + pd.Timedelta(days=1))
    holidays = {str(at[0].date() + pd.Timedelta(days=2)): "Company day (holiday)"}
    ex = wf.explain(hist, at=at, method="weekly_average", holidays=holidays,
                    overrides=pd.DataFrame({"from": [day], "override_factor": [0.2]}))
    assert len(ex) == 5 and ex.index.name == "date"
    assert outside(ex.columns) == []
    product = ex["base_volume"] * ex["weekday_effect"] * ex["day_of_month_effect"] * \
        ex["special_effect"]
    np.testing.assert_allclose(product, ex["model_day_volume"], rtol=1e-9)
    np.testing.assert_allclose(ex["model_day_volume"] * ex["event_factor"] *
                               ex["override_factor"], ex["day_volume"], rtol=1e-12)
    fc = wf.forecast(hist, at=at, method="weekly_average", holidays=holidays)
    np.testing.assert_allclose(ex["model_day_volume"],
                               fc["volume"].groupby(fc.index.normalize()).sum(), rtol=1e-12)
    assert ex.loc[pd.Timestamp(day), "override_factor"] == pytest.approx(1.2, rel=1e-12)
    assert ex.loc[pd.Timestamp(day), "override"] == "+20 %"
    assert set(ex["special_source"]) <= {"none", "name", "kind", "neighbour", "closed"}


@pytest.fixture(scope="module")
def planned():
    history, holidays = bundled()
    overrides = pd.DataFrame({"from": ["2026-03-31"], "override_factor": [0.2],
                              "reason": ["campaign mailing"], "author": ["anna"]})
    events = pd.DataFrame({"from": ["2026-04-02"], "name": ["billing run"],
                           "event_factor": [0.1]})
    return wfm.plan(history, holidays=holidays, time_limit_s=1, replications=3,
                    overrides=overrides, events=events)


def test_plan_staffs_the_final_volume(planned):
    fc, st = planned.forecast, planned.staffing
    on = np.asarray(fc.index.tz_localize(None).normalize() == pd.Timestamp("2026-03-31"))
    assert on.sum() > 0
    np.testing.assert_allclose(fc["volume"][on], fc["model_volume"][on] * 1.2, rtol=1e-12)
    np.testing.assert_array_equal(st["volume"], fc["volume"])  # the staff step uses the final
    thu = np.asarray(fc.index.tz_localize(None).normalize() == pd.Timestamp("2026-04-02"))
    assert set(fc["event"][thu]) == {"+10 % (billing run)"}
    assert outside(fc.columns) == [] and outside(planned.explanation.columns) == []
    ex = planned.explanation
    assert ex.loc[pd.Timestamp("2026-03-31"), "override"] == "+20 % (campaign mailing; anna)"


def test_report_shows_the_explanation_chart_and_the_overrides_table(planned, tmp_path):
    from wfm.report import figures

    png = figures(planned)["Forecast explained by day"]
    assert png.startswith(b"\x89PNG") and len(png) > 5000
    text = Path(planned.to_html(tmp_path / "report.html")).read_text()
    m = re.search(r"<h2>Forecast explained by day</h2>\s*<img alt='Forecast explained by day' "
                  r"src='data:image/png;base64,([A-Za-z0-9+/=]+)'>", text)
    assert m and base64.b64decode(m.group(1)) == png
    assert "<h2>Events and overrides: model versus final</h2>" in text
    assert "Tue 2026-03-31" in text and "+20.0%" in text
    assert "campaign mailing; anna" in text and "billing run" in text


def test_a_plan_without_a_layer_keeps_its_columns_and_says_so(tmp_path):
    history, holidays = bundled()
    p = wfm.plan(history, holidays=holidays, time_limit_s=1, replications=2)
    assert "model_volume" not in p.forecast.columns
    days = p.forecast.index.tz_localize(None).normalize().unique()
    assert list(p.explanation.index) == list(days)
    assert "No events or overrides" in Path(p.to_html(tmp_path / "r.html")).read_text()
