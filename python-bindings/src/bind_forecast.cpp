#include <wfm/forecast/forecast.hpp>
#include <wfm/forecast/overrides.hpp>

#include <string>
#include <vector>

#include "bindings.hpp"

namespace wfm::python {
namespace {

using namespace wfm::forecast;

IntervalSeries to_series(const dense_array<std::int64_t>& timestamps,
                         const dense_array<double>& values, std::int64_t interval_length,
                         const std::optional<dense_array<double>>& aht) {
  auto ts = as_span(timestamps, "timestamps");
  auto v = as_span(values, "values");
  std::span<const double> a;
  if (aht) a = as_span(*aht, "aht");
  return make_series(ts, v, interval_length, a);
}

SpecialDays to_days(const std::vector<std::pair<std::int64_t, std::string>>& days) {
  SpecialDays out;
  for (const auto& [d, n] : days) out.add(d, n);
  return out;
}

// The AHT band per level (lists like volume_lower), when the forecast has one.
void add_aht_band(py::dict& d, const std::vector<std::vector<double>>& lower,
                  const std::vector<std::vector<double>>& upper) {
  if (lower.empty()) return;
  py::list lo, hi;
  for (std::size_t j = 0; j < lower.size(); ++j) {
    lo.append(to_numpy(lower[j]));
    hi.append(to_numpy(upper[j]));
  }
  d["aht_s_lower"] = lo;
  d["aht_s_upper"] = hi;
}

py::dict result_dict(const ForecastResult& r) {
  py::dict d;
  d["timestamps"] = to_numpy(r.timestamps);
  d["volume"] = to_numpy(r.volume);
  py::list lo, hi;
  for (std::size_t j = 0; j < r.levels.size(); ++j) {
    lo.append(to_numpy(r.volume_lower[j]));
    hi.append(to_numpy(r.volume_upper[j]));
  }
  d["levels"] = to_numpy(r.levels);
  d["volume_lower"] = lo;
  d["volume_upper"] = hi;
  if (!r.aht_s.empty()) d["aht_s"] = to_numpy(r.aht_s);
  add_aht_band(d, r.aht_s_lower, r.aht_s_upper);
  return d;
}

FitOptions make_options(const std::string& method, int backtest_origins, bool combine,
                        double outlier_threshold, const std::vector<std::int64_t>& outlier_days,
                        int average_weeks, double half_life_weeks, int svd_components) {
  FitOptions o;
  o.method = parse_method(method);
  o.backtest_origins = backtest_origins;
  o.combine = combine;
  o.history.outlier_threshold = outlier_threshold;
  o.history.outlier_days = outlier_days;
  o.model.average_weeks = average_weeks;
  o.model.half_life_weeks = half_life_weeks;
  o.model.svd_components = svd_components;
  return o;
}

#define WFM_FIT_OPTION_ARGS                                                                    \
  py::arg("method") = "auto", py::arg("backtest_origins") = 8, py::arg("combine") = true,      \
  py::arg("outlier_threshold") = 4.0, py::arg("outlier_days") = std::vector<std::int64_t>{},   \
  py::arg("average_weeks") = 4, py::arg("half_life_weeks") = 8.0, py::arg("svd_components") = 5


// ---- the events-and-overrides layer (wfm/forecast/overrides.hpp) ------------------------------
// CSV texts of an events and an overrides file (either may be empty), events first.
std::vector<LayerEntry> layer_entries(const std::string& overrides, const std::string& events,
                                      const std::string& overrides_source,
                                      const std::string& events_source) {
  std::vector<LayerEntry> out;
  if (!events.empty()) out = parse_events_csv(events, events_source);
  if (!overrides.empty()) {
    std::vector<LayerEntry> o = parse_overrides_csv(overrides, overrides_source);
    out.insert(out.end(), o.begin(), o.end());
  }
  return out;
}

// A component of the model's explanation (DayExplanation) of every day, as a column.
template <class T>
py::object model_column(const std::vector<LayeredDay>& days, T DayExplanation::*field) {
  return column_of(days, [field](const LayeredDay& d) { return d.model.*field; });
}

// The AHT components of the explanation (wfm/forecast/handle_time.hpp), vocabulary names.
void add_aht_days(py::dict& out, const std::vector<LayeredDay>& days) {
  using E = DayExplanation;
  out["aht_level_s"] = model_column(days, &E::aht_level_s);
  out["aht_trend_effect"] = model_column(days, &E::aht_trend_effect);
  out["aht_weekday_effect"] = model_column(days, &E::aht_weekday_effect);
  out["aht_special_effect"] = model_column(days, &E::aht_special_effect);
  out["aht_special_source"] = column_of(
      days, [](const LayeredDay& d) { return std::string(to_string(d.model.aht_special_source)); });
  out["aht_occurrences"] = model_column(days, &E::aht_occurrences);
  out["aht_evidence_weight"] = model_column(days, &E::aht_evidence_weight);
  out["aht_profile_effect"] = model_column(days, &E::aht_profile_effect);
  out["aht_day_s"] = model_column(days, &E::aht_day_s);
}

py::dict days_dict(const std::vector<LayeredDay>& days) {
  using E = DayExplanation;
  py::dict out;
  out["date"] = model_column(days, &E::date);
  out["base_volume"] = model_column(days, &E::base_volume);
  out["weekday_effect"] = model_column(days, &E::weekday_effect);
  out["day_of_month_effect"] = model_column(days, &E::day_of_month_effect);
  out["special_effect"] = model_column(days, &E::special_effect);
  out["special_source"] = column_of(
      days, [](const LayeredDay& d) { return std::string(to_string(d.model.special_source)); });
  out["special_name"] = model_column(days, &E::special_name);
  out["special_kind"] = model_column(days, &E::special_kind);
  out["occurrences"] = model_column(days, &E::occurrences);
  out["evidence_weight"] = model_column(days, &E::evidence_weight);
  out["profile_source"] = model_column(days, &E::profile_source);
  out["profile_weight"] = model_column(days, &E::profile_weight);
  out["model_day_volume"] = column_of(days, &LayeredDay::model_day_volume);
  out["event_factor"] = column_of(days, &LayeredDay::event_factor);
  out["event"] = column_of(days, &LayeredDay::event);
  out["override_factor"] = column_of(days, &LayeredDay::override_factor);
  out["override"] = column_of(days, &LayeredDay::override);
  out["day_volume"] = column_of(days, &LayeredDay::day_volume);
  if (!days.empty() && days.front().model.has_aht) add_aht_days(out, days);
  return out;
}

py::dict layered_dict(const LayeredForecast& l) {
  py::dict d;
  d["timestamps"] = to_numpy(l.timestamps);
  d["model_volume"] = to_numpy(l.model_volume);
  d["volume"] = to_numpy(l.volume);
  d["levels"] = to_numpy(l.levels);
  py::list lo, hi;
  for (std::size_t j = 0; j < l.levels.size(); ++j) {
    lo.append(to_numpy(l.volume_lower[j]));
    hi.append(to_numpy(l.volume_upper[j]));
  }
  d["volume_lower"] = lo;
  d["volume_upper"] = hi;
  if (!l.aht_s.empty()) d["aht_s"] = to_numpy(l.aht_s);
  add_aht_band(d, l.aht_s_lower, l.aht_s_upper);
  d["event_factor"] = to_numpy(l.event_factor);
  d["event"] = l.event;
  d["override"] = l.override;
  d["override_entry"] = to_numpy(l.override_entry);
  d["unmatched"] = l.unmatched;
  d["days"] = days_dict(explain_layer(l));
  return d;
}

#define WFM_LAYER_ARGS                                                                       \
  py::arg("overrides") = std::string(), py::arg("events") = std::string(),                  \
  py::arg("overrides_source") = "overrides", py::arg("events_source") = "events"

void bind_layer(py::module_& m, py::class_<Forecaster>& forecaster) {
  forecaster.def(
      "forecast_layered",
      [](const Forecaster& f, const dense_array<std::int64_t>& at,
         const std::vector<double>& levels, const std::string& overrides,
         const std::string& events, const std::string& overrides_source,
         const std::string& events_source) {
        auto a = as_span(at, "at");
        const std::vector<LayerEntry> layer =
            layer_entries(overrides, events, overrides_source, events_source);
        LayeredForecast l;
        {
          py::gil_scoped_release nogil;
          l = apply_layer(f.forecast(a, levels), layer);
        }
        return layered_dict(l);
      },
      py::arg("at"), py::kw_only(), py::arg("levels") = std::vector<double>{0.8},
      WFM_LAYER_ARGS,
      "Forecast, then the events-and-overrides layer (wfm::forecast::apply_layer): a dict as "
      "forecast() plus model_volume, event_factor, event, override, override_entry, unmatched "
      "and days (the per-day explanation as columns). overrides / events: CSV text of the "
      "files (see read_overrides_csv / read_events_csv); *_source names them in messages.");
  m.def(
      "apply_layer",
      [](const dense_array<std::int64_t>& timestamps, const dense_array<double>& volume,
         const std::vector<double>& levels, const std::vector<dense_array<double>>& lower,
         const std::vector<dense_array<double>>& upper,
         const std::optional<dense_array<double>>& aht, const std::string& overrides,
         const std::string& events, const std::string& overrides_source,
         const std::string& events_source) {
        ForecastResult r;
        auto ts = as_span(timestamps, "timestamps");
        auto v = as_span(volume, "volume");
        r.timestamps.assign(ts.begin(), ts.end());
        r.volume.assign(v.begin(), v.end());
        r.levels = levels;
        for (const auto& x : lower) r.volume_lower.emplace_back(x.data(), x.data() + x.size());
        for (const auto& x : upper) r.volume_upper.emplace_back(x.data(), x.data() + x.size());
        if (aht) r.aht_s.assign(aht->data(), aht->data() + aht->size());
        const std::vector<LayerEntry> layer =
            layer_entries(overrides, events, overrides_source, events_source);
        LayeredForecast l;
        {
          py::gil_scoped_release nogil;
          l = apply_layer(r, layer);
        }
        return layered_dict(l);
      },
      py::arg("timestamps"), py::arg("volume"), py::kw_only(), py::arg("levels"),
      py::arg("volume_lower"), py::arg("volume_upper"), py::arg("aht") = py::none(),
      WFM_LAYER_ARGS,
      "Applies the events-and-overrides layer to a forecast given as arrays (timestamps int64 "
      "[s, wall clock], volume and bounds [contacts per interval]); a dict as "
      "Forecaster.forecast_layered (days without the model's components).");
  m.def(
      "format_layer",
      [](const std::string& text, const std::string& type, const std::string& source) {
        if (type != "overrides" && type != "events")
          throw py::value_error("type: 'overrides' or 'events', got '" + type + "'");
        const bool ev = type == "events";
        const std::vector<LayerEntry> e =
            ev ? parse_events_csv(text, source) : parse_overrides_csv(text, source);
        return format_layer_csv(e, ev ? LayerEntryType::event : LayerEntryType::override);
      },
      py::arg("text"), py::kw_only(), py::arg("type"), py::arg("source") = "layer",
      "Reads an overrides or events CSV text (errors name source, line and column) and writes "
      "it back in the canonical form (all columns, dates YYYY-MM-DD, times HH:MM).");
}

}  // namespace

void bind_forecast(py::module_& root) {
  auto m = root.def_submodule(
      "forecast",
      "Interval arrival and AHT forecasting. Timestamps are int64 wall-clock seconds since "
      "1970-01-01 00:00 (local time, no zone); volumes are calls per interval; AHT in seconds.");

  py::class_<MethodScore>(m, "MethodScore", "One row of the automatic selection's error table.")
      .def_readonly("method", &MethodScore::method)
      .def_readonly("wape", &MethodScore::wape, "interval WAPE (fraction)")
      .def_readonly("daily_wape", &MethodScore::daily_wape, "daily-total WAPE (fraction)")
      .def_readonly("mase", &MethodScore::mase, "MAE / in-sample weekly seasonal naive MAE")
      .def_readonly("points", &MethodScore::points)
      .def("__repr__", [](const MethodScore& s) {
        return "MethodScore(method='" + s.method + "', wape=" + std::to_string(s.wape) + ")";
      });
  py::class_<OutlierDay>(m, "OutlierDay", "A down-weighted day of the history.")
      .def_readonly("day", &OutlierDay::day, "days since 1970-01-01")
      .def_readonly("ratio", &OutlierDay::ratio, "observed / expected daily total")
      .def_readonly("weight", &OutlierDay::weight)
      .def_property_readonly("reason", [](const OutlierDay& o) {
        return o.reason == OutlierReason::marked ? "marked" : "detected";
      });
  py::class_<SpecialDayEffect>(m, "SpecialDayEffect", "How a special-day name is forecast.")
      .def_readonly("name", &SpecialDayEffect::name)
      .def_readonly("occurrences", &SpecialDayEffect::occurrences)
      .def_readonly("ratio", &SpecialDayEffect::ratio, "daily total / regular expectation")
      .def_readonly("source", &SpecialDayEffect::source);
  py::class_<HandleTimeEffect>(m, "HandleTimeEffect", "A special-day AHT effect (issue 16).")
      .def_readonly("name", &HandleTimeEffect::name)
      .def_readonly("kind", &HandleTimeEffect::kind)
      .def_property_readonly("source", [](const HandleTimeEffect& e) {
        return std::string(to_string(e.source));
      }, "name or kind")
      .def_readonly("occurrences", &HandleTimeEffect::occurrences)
      .def_readonly("ratio", &HandleTimeEffect::ratio, "AHT multiplier")
      .def_readonly("evidence_weight", &HandleTimeEffect::evidence_weight, "n / (n + k)");
  py::class_<HandleTimeReport>(m, "HandleTimeReport",
                               "What the AHT fit found (wfm/forecast/handle_time.hpp).")
      .def_readonly("method", &HandleTimeReport::method, "effects, profile or last_4_weeks")
      .def_readonly("level_s", &HandleTimeReport::level_s, "AHT level at the end [s]")
      .def_readonly("trend_per_week", &HandleTimeReport::trend_per_week,
                    "relative AHT change per week (fraction)")
      .def_readonly("trend_weeks", &HandleTimeReport::trend_weeks)
      .def_readonly("weekday_effect", &HandleTimeReport::weekday_effect, "Monday first")
      .def_readonly("special_days", &HandleTimeReport::special_days)
      .def_readonly("band_method", &HandleTimeReport::band_method)
      .def_readonly("band_points", &HandleTimeReport::band_points);
  py::class_<FitReport>(m, "FitReport", "What the fit did (status fields, never exceptions).")
      .def_readonly("method", &FitReport::method)
      .def_readonly("status", &FitReport::status, "wfm.Status.ok or .not_converged")
      .def_readonly("iterations", &FitReport::iterations)
      .def_readonly("message", &FitReport::message)
      .def_readonly("backtest", &FitReport::backtest)
      .def_readonly("backtest_origins", &FitReport::backtest_origins)
      .def_readonly("outliers", &FitReport::outliers)
      .def_readonly("special_days", &FitReport::special_days)
      .def_readonly("interval_method", &FitReport::interval_method)
      .def_readonly("dispersion", &FitReport::dispersion)
      .def_readonly("calibration_points", &FitReport::calibration_points)
      .def_readonly("intraday_lambda", &FitReport::intraday_lambda)
      .def_readonly("handle_time", &FitReport::handle_time, "the AHT fit (method '' without AHT)")
      .def("__repr__", [](const FitReport& r) {
        return "FitReport(method='" + r.method + "', status=" + std::string(wfm::to_string(r.status)) +
               ")";
      });

  py::class_<Forecaster> forecaster(m, "Forecaster",
                                    "A fitted forecaster (see wfm::forecast::Forecaster). Use "
                                    "fit().");
  forecaster.def_static(
          "fit",
          [](const dense_array<std::int64_t>& timestamps, const dense_array<double>& values,
             std::int64_t interval_length, const std::optional<dense_array<double>>& aht,
             const std::vector<std::pair<std::int64_t, std::string>>& special_days,
             const std::string& method, int backtest_origins, bool combine,
             double outlier_threshold, const std::vector<std::int64_t>& outlier_days,
             int average_weeks, double half_life_weeks, int svd_components,
             const std::string& events, const std::string& events_source,
             const std::string& aht_method) {
            IntervalSeries s = to_series(timestamps, values, interval_length, aht);
            const SpecialDays days =
                events.empty() ? to_days(special_days)
                               : add_event_days(to_days(special_days),
                                                parse_events_csv(events, events_source),
                                                events_source);
            FitOptions o = make_options(method, backtest_origins, combine, outlier_threshold,
                                        outlier_days, average_weeks, half_life_weeks,
                                        svd_components);
            o.handle_time.method = parse_handle_time_method(aht_method, "aht_method");
            py::gil_scoped_release nogil;
            return Forecaster::fit(s, days, o);
          },
          py::arg("timestamps"), py::arg("values"), py::kw_only(), py::arg("interval_length") = 0,
          py::arg("aht") = py::none(),
          py::arg("special_days") = std::vector<std::pair<std::int64_t, std::string>>{},
          WFM_FIT_OPTION_ARGS, py::arg("events") = std::string(),
          py::arg("events_source") = "events", py::arg("aht_method") = "effects",
          "Fits on the open intervals of a history. timestamps: int64 [s, wall clock]; values: "
          "calls per interval; interval_length [s] (0 infers it); aht [s] per interval; "
          "aht_method: effects (level x trend x weekday x special day x shape), profile or "
          "last_4_weeks (wfm/forecast/handle_time.hpp); "
          "special_days: (day number, name) pairs; method: auto, top_down, svd, holt_winters, "
          "weekly_average, seasonal_naive; half_life_weeks [weeks]; events: CSV text of an "
          "events file whose kind events join the calendar.")
      .def(
          "predict",
          [](const Forecaster& f, const dense_array<std::int64_t>& at) {
            auto a = as_span(at, "at");
            std::vector<double> out;
            {
              py::gil_scoped_release nogil;
              out = f.predict(a);
            }
            return to_numpy(out);
          },
          py::arg("at"), "Point forecasts [calls per interval] at int64 timestamps [s].")
      .def(
          "forecast",
          [](const Forecaster& f, const dense_array<std::int64_t>& at,
             const std::vector<double>& levels) {
            auto a = as_span(at, "at");
            ForecastResult r;
            {
              py::gil_scoped_release nogil;
              r = f.forecast(a, levels);
            }
            return result_dict(r);
          },
          py::arg("at"), py::kw_only(), py::arg("levels") = std::vector<double>{0.8},
          "Forecasts with prediction intervals at each level in (0, 1): a dict with timestamps, "
          "volume, levels, volume_lower (list per level), volume_upper, and aht_s [s] when "
          "fitted with AHT.")
      .def(
          "update_intraday",
          [](const Forecaster& f, const dense_array<std::int64_t>& observed_at,
             const dense_array<double>& observed, const dense_array<std::int64_t>& at) {
            auto oa = as_span(observed_at, "observed_at");
            auto ov = as_span(observed, "observed");
            auto a = as_span(at, "at");
            std::vector<double> out;
            {
              py::gil_scoped_release nogil;
              out = f.update_intraday(oa, ov, a);
            }
            return to_numpy(out);
          },
          py::arg("observed_at"), py::arg("observed"), py::arg("at"),
          "Intraday reforecast (Shen & Huang 2008): given today's first observed volumes, the "
          "rest of today [calls per interval].")
      .def_property_readonly("report", &Forecaster::report);
  bind_layer(m, forecaster);

  m.def(
      "forecast_batch",
      [](const std::vector<dense_array<std::int64_t>>& timestamps,
         const std::vector<dense_array<double>>& values,
         const std::vector<dense_array<std::int64_t>>& at, const std::vector<double>& levels,
         std::int64_t interval_length, int threads,
         const std::vector<std::pair<std::int64_t, std::string>>& special_days,
         const std::string& method, int backtest_origins, bool combine, double outlier_threshold,
         const std::vector<std::int64_t>& outlier_days, int average_weeks,
         double half_life_weeks, int svd_components) {
        if (timestamps.size() != values.size() || timestamps.size() != at.size())
          throw py::value_error("timestamps, values and at must have one entry per series");
        std::vector<BatchItem> items(timestamps.size());
        const SpecialDays days = to_days(special_days);
        for (std::size_t i = 0; i < items.size(); ++i) {
          auto ts = as_span(timestamps[i], "timestamps");
          auto v = as_span(values[i], "values");
          auto a = as_span(at[i], "at");
          items[i].history.timestamps.assign(ts.begin(), ts.end());
          items[i].history.values.assign(v.begin(), v.end());
          items[i].at.assign(a.begin(), a.end());
          items[i].history.interval_length = interval_length;  // 0: inferred in fit
          items[i].calendar = days;
        }
        const FitOptions o = make_options(method, backtest_origins, combine, outlier_threshold,
                                          outlier_days, average_weeks, half_life_weeks,
                                          svd_components);
        BatchResult r;
        {
          py::gil_scoped_release nogil;
          r = forecast_batch(items, levels, o, threads);
        }
        py::list results, errors;
        for (std::size_t i = 0; i < items.size(); ++i) {
          results.append(r.errors[i].empty() ? py::object(result_dict(r.results[i])) : py::none());
          errors.append(r.errors[i].empty() ? py::object(py::none()) : py::str(r.errors[i]));
        }
        return py::make_tuple(results, errors);
      },
      py::arg("timestamps"), py::arg("values"), py::arg("at"), py::kw_only(),
      py::arg("levels") = std::vector<double>{0.8}, py::arg("interval_length") = 0,
      py::arg("threads") = 0,
      py::arg("special_days") = std::vector<std::pair<std::int64_t, std::string>>{},
      WFM_FIT_OPTION_ARGS,
      "Fits and forecasts many series in parallel threads (threads=0: all cores), GIL released. "
      "Returns (results, errors): per series a forecast dict (as Forecaster.forecast) or None "
      "and an error message or None.");

  m.def(
      "backtest",
      [](const dense_array<std::int64_t>& timestamps, const dense_array<double>& values,
         std::int64_t interval_length,
         const std::vector<std::pair<std::int64_t, std::string>>& special_days, int origins,
         int horizon_days, double level, const std::vector<std::string>& methods) {
        IntervalSeries s = to_series(timestamps, values, interval_length, std::nullopt);
        const SpecialDays days = to_days(special_days);
        BacktestOptions b;
        b.origins = origins;
        b.horizon_days = horizon_days;
        b.level = level;
        if (!methods.empty()) {
          b.methods.clear();
          for (const auto& name : methods) b.methods.push_back(parse_method(name, "methods"));
        }
        BacktestResult r;
        {
          py::gil_scoped_release nogil;
          r = backtest(s, days, b);
        }
        py::list rows;
        for (const auto& row : r.rows) {
          py::dict d;
          d["method"] = row.method;
          d["wape"] = row.wape;
          d["mase"] = row.mase;
          d["daily_wape"] = row.daily_wape;
          d["coverage"] = row.coverage;
          d["width"] = row.width;
          d["fit_seconds"] = row.fit_seconds;
          d["points"] = row.points;
          d["origins"] = row.origins;
          d["chosen"] = row.chosen;
          rows.append(d);
        }
        return rows;
      },
      py::arg("timestamps"), py::arg("values"), py::kw_only(), py::arg("interval_length") = 0,
      py::arg("special_days") = std::vector<std::pair<std::int64_t, std::string>>{},
      py::arg("origins") = 8, py::arg("horizon_days") = 7, py::arg("level") = 0.8,
      py::arg("methods") = std::vector<std::string>{},
      "Rolling-origin backtest: a list of dicts per method with wape, mase, daily_wape, "
      "coverage (fraction), width [calls per interval], fit_seconds [s].");
}

}  // namespace wfm::python
