// wfm-forecast: interval volume (and AHT) forecasts from history.
//   wfm-forecast --input H.csv --at F.csv [--holidays D.csv] [--outliers O.csv] [--level 0.8]
//                [--method auto] [--events E.csv] [--overrides V.csv] [--explain X.csv] -o OUT.csv
//   wfm-forecast --input H.csv [--holidays D.csv] --backtest   (method comparison table)
// The output is wfm-staff's input as it is: timestamp,volume,volume_lower,volume_upper
// [,aht_s,aht_s_lower,aht_s_upper].
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <map>
#include <wfm/core/calendar.hpp>
#include <wfm/core/csv.hpp>
#include <wfm/core/error.hpp>
#include <wfm/forecast/forecast.hpp>
#include <wfm/forecast/overrides.hpp>

#include "cli_common.hpp"

namespace fc = wfm::forecast;

namespace {

struct Flags {
  std::string input, at, holidays, outliers, output = "-", method = "auto", time_zone;
  std::string events, overrides, explain;
  double level = 0.8;
  std::optional<double> interval_length;
  int origins = 8;
  bool backtest = false, quiet = false;
};

void add_flags(CLI::App& app, Flags& f) {
  app.add_option("input,-i,--input", f.input,
                 "history CSV: timestamp,volume[,aht_s]; volume in contacts per interval, aht_s "
                 "in seconds; only open intervals (closed hours have no row)")
      ->required();
  app.add_option("--at", f.at,
                 "CSV with a column timestamp: the intervals to forecast (after the history, on "
                 "its interval grid)");
  app.add_option("--holidays", f.holidays,
                 "CSV with columns date,name (YYYY-MM-DD): special days, past and future");
  app.add_option("--outliers", f.outliers,
                 "CSV with a column date (YYYY-MM-DD): history days to down-weight whatever "
                 "their volume (outages, double counts)");
  app.add_option("--events", f.events,
                 "CSV from,to[,time_from,time_to],name,event_factor|kind[,reason,author]: "
                 "future events; event_factor is the expected uplift as a fraction (0.15 = 15 % "
                 "more), applied on top of the model; a kind (holiday, eve, intermediate, "
                 "bridge, closed, user:<name>) puts the days into the special-day calendar");
  app.add_option("--overrides", f.overrides,
                 "CSV from,to[,time_from,time_to],override_factor|override_day_volume|"
                 "override_volume[,reason,author]: the manager's changes, kept beside the model "
                 "(output columns model_volume, volume, event_factor, event, override); where "
                 "rows overlap the later row wins");
  app.add_option("--explain", f.explain,
                 "also write one row per forecast day: base_volume x weekday_effect x "
                 "day_of_month_effect x special_effect = model_day_volume; x event_factor x "
                 "override_factor = day_volume");
  app.add_option("--level", f.level, "prediction-interval coverage, a fraction in (0, 1)")
      ->capture_default_str();
  app.add_option("--method", f.method,
                 "auto (best method or combination by backtest), top_down, svd, holt_winters, "
                 "weekly_average, seasonal_naive")
      ->capture_default_str();
  app.add_option("-o,--output", f.output, "output CSV; '-' = standard output")
      ->capture_default_str();
  app.add_option("--interval-length", f.interval_length,
                 "interval length [s], a whole number (default: inferred from the history)");
  app.add_option("--time-zone", f.time_zone,
                 "IANA zone of the timestamps (e.g. Europe/Berlin); default: local wall clock");
  app.add_flag("--backtest", f.backtest,
               "print the method comparison table (rolling weekly origins) instead of forecasting");
  app.add_option("--origins", f.origins, "weekly origins of --backtest")->capture_default_str();
  app.add_flag("-q,--quiet", f.quiet, "no progress messages on standard error");
}

std::vector<std::int64_t> read_outlier_days(const std::string& path) {
  const wfm::CsvTable t = wfm::read_csv(path);
  const std::size_t cd = t.column("date");
  std::vector<std::int64_t> days;
  for (std::size_t r = 0; r < t.row_count(); ++r) {
    const std::string& text = t.text(r, cd);
    const auto ts = wfm::parse_timestamp(text);
    if (!ts || text.size() != 10) t.fail(r, cd, fmt::format("not a date 'YYYY-MM-DD': '{}'", text));
    days.push_back(wfm::day_of(*ts));
  }
  return days;
}

// Rows of a table on its grid, grouped by local (wall-clock) time: the forecasting models work
// on local time, so the two intervals of a repeated hour (clocks going back) share one local
// time. `group[r]` is row r's group; `local[g]` the local time of group g.
struct LocalRows {
  wfm::IntervalGrid grid;
  std::vector<std::size_t> interval;  // grid interval of each row
  std::vector<std::int64_t> local;    // per group, increasing
  std::vector<std::size_t> group;     // per row
  std::vector<std::size_t> first_row; // per group
};

LocalRows local_rows(const wfm::CsvTable& t, std::optional<std::int64_t> length,
                     const std::optional<wfm::TimeZone>& zone) {
  wfm::TableOnGrid on = wfm::cli::table_grid(t, length, zone);
  LocalRows lr{std::move(on.grid), std::move(on.interval_of_row), {}, {}, {}};
  std::vector<std::int64_t> per_row;
  for (std::size_t r = 0; r < t.row_count(); ++r) per_row.push_back(lr.grid.local(lr.interval[r]));
  std::vector<std::int64_t> sorted = per_row;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  lr.local = sorted;
  lr.first_row.assign(sorted.size(), t.row_count());
  for (std::size_t r = 0; r < t.row_count(); ++r) {
    const auto g = static_cast<std::size_t>(
        std::lower_bound(sorted.begin(), sorted.end(), per_row[r]) - sorted.begin());
    lr.group.push_back(g);
    lr.first_row[g] = std::min(lr.first_row[g], r);
  }
  return lr;
}

// The history as a series in local time; the two rows of a repeated hour are averaged.
fc::IntervalSeries read_history(const std::string& path, std::optional<std::int64_t> length,
                                const std::optional<wfm::TimeZone>& zone) {
  const wfm::CsvTable t = wfm::read_csv(path);
  const std::size_t cv = t.column("volume");
  const auto ca = t.find_column("aht_s");
  const LocalRows lr = local_rows(t, length, zone);
  std::vector<double> v(lr.local.size(), 0.0), a(ca ? lr.local.size() : 0, 0.0),
      n(lr.local.size(), 0.0);
  for (std::size_t r = 0; r < t.row_count(); ++r) {
    const std::size_t g = lr.group[r];
    v[g] += t.number(r, cv);
    if (ca) a[g] += t.number(r, *ca);
    n[g] += 1.0;
  }
  for (std::size_t g = 0; g < v.size(); ++g) {
    v[g] /= n[g];
    if (ca) a[g] /= n[g];
  }
  const fc::Locator where = [&](std::size_t g, std::string_view column) {
    return fmt::format("{}, line {}, column '{}'", path, wfm::CsvTable::line_of(lr.first_row[g]),
                       column);
  };
  return fc::make_series(lr.local, v, lr.grid.interval_length_s(), a, where);
}

std::string quoted(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// The forecast; with a layer (events or overrides given) also the model's volume and what
// changed it.
std::string forecast_csv(const LocalRows& at, const fc::LayeredForecast& r, bool layer) {
  std::string out = "timestamp,volume,volume_lower,volume_upper";
  out += r.aht_s.empty() ? "" : ",aht_s,aht_s_lower,aht_s_upper";
  out += layer ? ",model_volume,event_factor,event,override\n" : "\n";
  for (std::size_t row = 0; row < at.group.size(); ++row) {
    const std::size_t i = at.group[row];
    out += fmt::format("{},{:.3f},{:.3f},{:.3f}", at.grid.timestamp(at.interval[row]),
                       r.volume[i], r.volume_lower[0][i], r.volume_upper[0][i]);
    if (!r.aht_s.empty())
      out += fmt::format(",{:.1f},{:.1f},{:.1f}", r.aht_s[i], r.aht_s_lower[0][i], r.aht_s_upper[0][i]);
    if (layer)
      out += fmt::format(",{:.3f},{:.6g},{},{}", r.model_volume[i], r.event_factor[i],
                         quoted(r.event[i]), quoted(r.override[i]));
    out += "\n";
  }
  return out;
}

// Events (both kinds) and overrides, events first.
std::vector<fc::LayerEntry> read_layer(const Flags& f) {
  std::vector<fc::LayerEntry> out;
  if (!f.events.empty()) out = fc::read_events_csv(f.events);
  if (!f.overrides.empty()) {
    const std::vector<fc::LayerEntry> o = fc::read_overrides_csv(f.overrides);
    out.insert(out.end(), o.begin(), o.end());
  }
  return out;
}

void report_layer(const fc::LayeredForecast& l, std::span<const fc::LayerEntry> layer,
                  const wfm::cli::Notes& note) {
  for (std::size_t k : l.unmatched)
    if (!layer[k].is_kind_event())
      note(fmt::format("  {} of line {} covers no forecast interval: {}",
                       to_string(layer[k].type), layer[k].line, layer[k].describe()));
  std::size_t changed = 0;
  for (std::size_t i = 0; i < l.volume.size(); ++i) changed += l.volume[i] != l.model_volume[i];
  note(fmt::format("layer: {} entries, {} of {} intervals changed", layer.size(), changed,
                   l.volume.size()));
}

void report_fit(const fc::FitReport& rep, const wfm::cli::Notes& note) {
  note(fmt::format("method {} ({}), {} outlier day(s), intervals: {}", rep.method,
                   wfm::to_string(rep.status), rep.outliers.size(),
                   rep.interval_method));
  for (const auto& s : rep.backtest)
    note(fmt::format("  backtest {:<40} wape {:.4f}  daily {:.4f}", s.method, s.wape,
                     s.daily_wape));
  for (const auto& o : rep.outliers)
    note(fmt::format("  outlier {} ratio {:.2f} ({})", wfm::format_date(o.day * 86400), o.ratio,
                     o.reason == fc::OutlierReason::marked ? "marked" : "detected"));
  for (const auto& s : rep.special_days)
    note(fmt::format("  special day '{}': ratio {:.2f}, {}", s.name, s.ratio, s.source));
  const fc::HandleTimeReport& a = rep.handle_time;
  if (!a.method.empty())
    note(fmt::format("AHT {}: level {:.1f} s, trend {:+.4f} per week (fraction) ({} weeks), band: {}", a.method,
                     a.level_s, a.trend_per_week, a.trend_weeks, a.band_method));
}

int forecast_main(const Flags& f) {
  const wfm::cli::Notes note("wfm-forecast", f.quiet);
  wfm::cli::fraction("--level", f.level, /*open=*/true);
  const fc::Method m = fc::parse_method(f.method, "--method");
  if (!f.backtest && f.at.empty())
    wfm::detail::throw_invalid("wfm-forecast", "--at is required (or --backtest)");
  const std::optional<wfm::TimeZone> zone = wfm::cli::time_zone(f.time_zone);
  const std::optional<std::int64_t> len =
      f.interval_length ? std::optional(wfm::cli::interval_length(*f.interval_length))
                        : std::nullopt;
  if (f.origins < 1) wfm::detail::throw_invalid("--origins", "must be >= 1", f.origins);
  note(fmt::format("reading {}", f.input));
  const fc::IntervalSeries h = read_history(f.input, len, zone);
  const std::vector<fc::LayerEntry> layer = read_layer(f);
  const fc::SpecialDays days = fc::add_event_days(
      f.holidays.empty() ? fc::SpecialDays{} : fc::read_special_days_csv(f.holidays), layer,
      f.events);
  note(fmt::format("{} intervals of {} s from {} to {}", h.size(), h.interval_length,
                   wfm::format_timestamp(h.timestamps.front()),
                   wfm::format_timestamp(h.timestamps.back())));
  fc::FitOptions options;
  options.method = m;
  options.progress = [&](const wfm::Progress& p) {
    note(p.step);
    return true;
  };
  if (!f.outliers.empty()) options.history.outlier_days = read_outlier_days(f.outliers);
  if (f.backtest) {
    fc::BacktestOptions b;
    b.origins = f.origins;
    b.level = f.level;
    b.fit = options;
    if (m != fc::Method::auto_select) b.methods = {fc::Method::seasonal_naive, m};
    const fc::BacktestResult r = fc::backtest(h, days, b);
    fmt::print("origins: {} weekly, first {}, last {}\n", r.origins.size(),
               wfm::format_date(r.origins.front() * wfm::seconds_per_day),
               wfm::format_date(r.origins.back() * wfm::seconds_per_day));
    fmt::print("{}", fc::format_backtest(r, b.level));
    return wfm::exit_code::ok;
  }
  const wfm::CsvTable at_table = wfm::read_csv(f.at);
  const LocalRows at = local_rows(at_table, h.interval_length, zone);
  fc::validate_targets(at.local, h, [&](std::size_t g, std::string_view column) {
    return fmt::format("{}, line {}, column '{}'", f.at, wfm::CsvTable::line_of(at.first_row[g]),
                       column);
  });
  const fc::Forecaster fit = [&] {
    try {
      return fc::Forecaster::fit(h, days, options);
    } catch (const wfm::InvalidArgument& e) {  // e.g. too short: say which file
      throw wfm::InvalidArgument(fmt::format("{}: {}", f.input, e.what()));
    }
  }();
  report_fit(fit.report(), note);
  const std::vector<double> levels{f.level};
  const fc::LayeredForecast r = fc::apply_layer(fit.forecast(at.local, levels), layer);
  if (!layer.empty()) report_layer(r, layer, note);
  wfm::OutputSet out;
  out.add(f.output, forecast_csv(at, r, !f.events.empty() || !f.overrides.empty()));
  if (!f.explain.empty()) out.add(f.explain, fc::format_explanation_csv(fc::explain_layer(r)));
  out.commit();
  note(fmt::format("wrote {} rows to {}{}", at.group.size(), f.output,
                   f.explain.empty() ? "" : " and the explanation to " + f.explain));
  return wfm::exit_code::ok;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "wfm-forecast: forecast contacts (and average handle time) per interval from history.\n"
      "Timestamps are interval starts 'YYYY-MM-DD HH:MM'; only open intervals appear (closed\n"
      "hours and absent days have no row). Output columns: timestamp,volume,volume_lower,\n"
      "volume_upper[,aht_s,aht_s_lower,aht_s_upper] (contacts per interval; the bounds of the\n"
      "prediction interval at --level; aht_s and its band at --level in seconds), one row per\n"
      "--at timestamp: wfm-staff's input as it is.\n"
      "With --events or --overrides, volume is the final volume and the columns\n"
      "model_volume,event_factor,event,override follow (the model's volume and what changed it)."};
  app.footer(wfm::cli::exit_codes_help);
  Flags f;
  add_flags(app, f);
  return wfm::cli::run("wfm-forecast", app, argc, argv, [&] { return forecast_main(f); });
}
