// Issue 16 accuracy bench (not a timing): special days vs ordinary days on the shared real
// series, with the calendars of examples/data/calendars. Prints the tables of bench/RESULTS.md,
// section "Issue 16: special days". Skips (exit 0) when the shared data are absent.
//
//   wfm_bench_forecast_special [--days] [DATA_DIR [CALENDAR_DIR]]
//   (--days: the Israeli special weeks day by day with the explanation of each day, and the
//   own split per origin with its outliers, for diagnosis)
//
// 1. "Own split": the protocol of bench/forecast_peers.py (the 0.061 / 0.229 of RESULTS.md):
//    weekly origins over the last 8 weeks of each file (origin = day after the last day - 7k,
//    k = 8..1), auto with default options, every interval present in the next 7 days scored;
//    once without a calendar (as main was measured) and once with it.
// 2. Special-day backtests (wfm::forecast::backtest with explicit origins): one origin the day
//    before each cluster of calendar days in the file (and every 7 days along longer ones),
//    auto, the next 7 days scored on special and ordinary days, with the rules weekday4 and
//    naive on the same points (backtest.hpp).
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <numeric>
#include <set>
#include <string>
#include <vector>
#include <wfm/core/calendar.hpp>
#include <wfm/core/csv.hpp>
#include <wfm/forecast/backtest.hpp>
#include <wfm/forecast/forecaster.hpp>
#include <wfm/forecast/metrics.hpp>

using namespace wfm::forecast;

namespace {

// Sums the file's intervals into `length`-second intervals (US: intervals 1..168 only).
IntervalSeries load(const std::string& path, std::int64_t length, int max_interval) {
  const wfm::CsvTable t = wfm::read_csv(path);
  const auto cd = t.column("date"), cs = t.column("start"), ci = t.column("interval"),
             cc = t.column("calls");
  std::map<std::int64_t, double> sum;
  for (std::size_t r = 0; r < t.row_count(); ++r) {
    if (t.number(r, ci) > max_interval) continue;
    const std::int64_t stamp = *wfm::parse_timestamp(t.text(r, cd) + " " + t.text(r, cs));
    sum[stamp - stamp % length] += t.number(r, cc);
  }
  std::vector<std::int64_t> ts;
  std::vector<double> v;
  for (const auto& [k, x] : sum) ts.push_back(k), v.push_back(x);
  return make_series(ts, v, length);
}

IntervalSeries before(const IntervalSeries& s, std::int64_t day, std::vector<std::int64_t>* at,
                      std::vector<double>* y) {
  IntervalSeries out;
  out.interval_length = s.interval_length;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const std::int64_t d = wfm::day_of(s.timestamps[i]);
    if (d < day) {
      out.timestamps.push_back(s.timestamps[i]);
      out.values.push_back(s.values[i]);
    } else if (d < day + 7) {
      at->push_back(s.timestamps[i]);
      y->push_back(s.values[i]);
    }
  }
  return out;
}

// The forecast_peers.py protocol: interval WAPE pooled over 8 weekly origins (per origin too
// when `detail`).
void own_split(const std::string& label, const IntervalSeries& s, const SpecialDays& cal,
               bool detail = false) {
  const std::int64_t end = wfm::day_of(s.timestamps.back()) + 1;
  for (const bool with_calendar : {false, true}) {
    std::vector<double> ya, fa;
    for (int k = 8; k >= 1; --k) {
      std::vector<std::int64_t> at;
      std::vector<double> y;
      const IntervalSeries train = before(s, end - 7 * k, &at, &y);
      const Forecaster f = Forecaster::fit(train, with_calendar ? cal : SpecialDays{});
      const auto p = f.predict(at);
      if (detail)
        fmt::print("| {} | {} | {} | {:.4f} | bias {:+.4f} | {} outliers |\n",
                   wfm::format_date((end - 7 * k) * wfm::seconds_per_day),
                   with_calendar ? "calendar" : "none", f.report().method, wape(y, p),
                   std::accumulate(p.begin(), p.end(), 0.0) / std::accumulate(y.begin(), y.end(), 0.0) - 1.0,
                   f.report().outliers.size());
      if (detail)
        for (const auto& od : f.report().outliers)
          fmt::print("  outlier {} ratio {:.2f} weight {:.2f}\n", wfm::format_date(od.day * wfm::seconds_per_day),
                     od.ratio, od.weight);
      ya.insert(ya.end(), y.begin(), y.end());
      fa.insert(fa.end(), p.begin(), p.end());
    }
    fmt::print("| {} | {} | {:.4f} | {} |\n", label, with_calendar ? "with calendar" : "no calendar",
               wape(ya, fa), ya.size());
  }
}

void special_backtest(const std::string& label, const IntervalSeries& s, const SpecialDays& cal) {
  const std::int64_t first = wfm::day_of(s.timestamps.front());
  const std::int64_t end = wfm::day_of(s.timestamps.back()) + 1;
  BacktestOptions o;
  o.methods = {Method::auto_select};
  std::int64_t covered = -1;
  for (const auto& [day, name] : cal.days()) {
    if (day < first + 28 || day >= end || day < covered) continue;
    o.origin_days.push_back(day - 1);
    covered = day - 1 + 7;
  }
  if (o.origin_days.empty()) {
    fmt::print("{}: no calendar day with 4 weeks of history before it\n", label);
    return;
  }
  const BacktestResult r = backtest(s, cal, o);
  fmt::print("\n{}:\n\n| origin | special days | wfm special WAPE | weekday4 | naive | best rule | "
             "wfm ordinary WAPE | weekday4 ordinary | wfm all |\n|---|---|---|---|---|---|---|---|---|\n",
             label);
  for (const auto& x : r.by_origin) {
    std::set<std::string> names;
    for (std::int64_t d = x.origin; d < x.origin + 7; ++d)
      if (const auto* n = cal.name_of(d)) names.insert(*n);
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    const auto& t = x.days;
    fmt::print("| {} | {} | {:.3f} | {:.3f} | {:.3f} | {:.3f} | {:.3f} | {:.3f} | {:.3f} |\n",
               wfm::format_date(x.origin * wfm::seconds_per_day), list, t.special_wape,
               t.weekday4_special_wape, t.naive_special_wape,
               std::min(t.weekday4_special_wape, t.naive_special_wape), t.ordinary_wape,
               t.weekday4_ordinary_wape, x.wape);
  }
  const auto& t = r.rows[0].days;
  fmt::print("| pooled | | {:.3f} | {:.3f} | {:.3f} | | {:.3f} | {:.3f} | {:.3f} |\n", t.special_wape,
             t.weekday4_special_wape, t.naive_special_wape, t.ordinary_wape,
             t.weekday4_ordinary_wape, r.rows[0].wape);
}

// Day by day for each special origin (--days): actual daily total, wfm, weekday4 and naive
// totals, and where wfm's special effect came from (Forecaster::explain).
void day_by_day(const IntervalSeries& s, const SpecialDays& cal) {
  const std::int64_t first = wfm::day_of(s.timestamps.front());
  const std::int64_t end = wfm::day_of(s.timestamps.back()) + 1;
  std::int64_t covered = -1;
  for (const auto& [day, name] : cal.days()) {
    if (day < first + 28 || day >= end || day < covered) continue;
    const std::int64_t o = day - 1;
    covered = o + 7;
    std::vector<std::int64_t> at;
    std::vector<double> y;
    const IntervalSeries train = before(s, o, &at, &y);
    const Forecaster f = Forecaster::fit(train, cal);
    const auto p = f.predict(at);
    std::vector<std::int64_t> days;
    for (std::int64_t d = o; d < o + 7; ++d) days.push_back(d * wfm::seconds_per_day);
    const auto ex = f.explain(days);
    fmt::print("\norigin {} (method {}):\n| date | wd | actual | wfm | weekday4 | naive | effect | "
               "source | name/kind | n | weight |\n|---|---|---|---|---|---|---|---|---|---|---|\n",
               wfm::format_date(o * wfm::seconds_per_day), f.report().method);
    for (std::int64_t d = o; d < o + 7; ++d) {
      double ya = 0, fa = 0, w4 = 0, nv = 0;
      for (std::size_t i = 0; i < at.size(); ++i)
        if (wfm::day_of(at[i]) == d) {
          ya += y[i], fa += p[i];
          int n4 = 0;
          double sum4 = 0;
          bool naive_done = false;
          for (std::int64_t b = d - 7; b >= d - 7 * 12 && (n4 < 4 || !naive_done); b -= 7) {
            if (b >= o) continue;
            const std::int64_t t = at[i] - (d - b) * wfm::seconds_per_day;
            const auto it = std::lower_bound(train.timestamps.begin(), train.timestamps.end(), t);
            if (it == train.timestamps.end() || *it != t) continue;
            const double v = train.values[static_cast<std::size_t>(it - train.timestamps.begin())];
            if (!naive_done) nv += v, naive_done = true;
            if (n4 < 4 && !cal.name_of(b)) sum4 += v, ++n4;
          }
          w4 += n4 > 0 ? sum4 / n4 : 0.0;
        }
      const auto& e = ex[static_cast<std::size_t>(d - o)];
      fmt::print("| {} | {} | {:.0f} | {:.0f} | {:.0f} | {:.0f} | {:.3f} | {} | {} {} | {} | {:.2f} |\n",
                 e.date, wfm::weekday(d * wfm::seconds_per_day), ya, fa, w4, nv, e.special_effect,
                 to_string(e.special_source), e.special_name, e.special_kind, e.occurrences,
                 e.evidence_weight);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  const bool days = argc > 1 && std::string(argv[1]) == "--days";
  if (days) --argc, ++argv;
  const std::string data = argc > 1 ? argv[1] : std::string(WFM_SHARED_DATA_DIR) + "/forecasting";
  const std::string cals = argc > 2 ? argv[2] : std::string(WFM_SOURCE_DIR) + "/examples/data/calendars";
  const std::string il = data + "/anonbank_1999_6min.csv", us = data + "/bank_calls_2003_5min.csv";
  if (!std::filesystem::exists(il) || !std::filesystem::exists(us)) {
    fmt::print("shared data absent ({}): skipped\n", data);
    return 0;
  }
  const IntervalSeries s_il = load(il, 1800, 240), s_us = load(us, 900, 168);
  const SpecialDays c_il = read_special_days_csv(cals + "/israel_1999.csv");
  const SpecialDays c_us = read_special_days_csv(cals + "/us_federal_2003.csv");
  if (days) {
    day_by_day(s_il, c_il);
    own_split("Israel 30-min", s_il, c_il, true);
    return 0;
  }
  fmt::print("| series | run | interval WAPE | points |\n|---|---|---|---|\n");
  own_split("US 15-min", s_us, c_us);
  own_split("Israel 30-min", s_il, c_il);
  special_backtest("Israel 30-min", s_il, c_il);
  special_backtest("US 15-min", s_us, c_us);
  return 0;
}
