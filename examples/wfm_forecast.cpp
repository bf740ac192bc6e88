// wfm-forecast: interval arrival (and AHT) forecasts from history.
//   wfm-forecast --history H.csv --at F.csv [--holidays D.csv] [--level 80] [--method auto]
//                --output OUT.csv
//   wfm-forecast --history H.csv [--holidays D.csv] --backtest   (method comparison table)
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>
#include <wfm/core/calendar.hpp>
#include <wfm/core/csv.hpp>
#include <wfm/core/error.hpp>
#include <wfm/forecast/forecast.hpp>

namespace fc = wfm::forecast;

int main(int argc, char** argv) {
  CLI::App app{
      "Forecast calls (and average handle time) per interval from history.\n"
      "Timestamps are local wall-clock interval starts 'YYYY-MM-DD HH:MM'; only open intervals\n"
      "appear (closed hours and absent days have no row). Output columns:\n"
      "timestamp,forecast,lower,upper[,aht_s] with volumes in calls per interval and aht_s in\n"
      "seconds, one row per requested timestamp, written atomically."};
  std::string history, at, holidays, output, method = "auto";
  double level = 80.0;
  int origins = 8, interval_s = 0;
  bool run_backtest = false, quiet = false;
  app.add_option("--history", history,
                 "H.csv: columns timestamp,volume[,aht_s]; volume in calls per interval, aht_s "
                 "in seconds")
      ->required();
  app.add_option("--at", at, "F.csv: one column timestamp, the intervals to forecast (after "
                             "the history, on its interval grid)");
  app.add_option("--holidays", holidays,
                 "D.csv: columns date,name (YYYY-MM-DD): special days, past and future");
  app.add_option("--level", level,
                 "prediction-interval coverage in percent, in (0, 100) (default 80)");
  app.add_option("--method", method,
                 "auto (default: best method or combination by backtest), top_down, svd, "
                 "holt_winters, weekly_average, seasonal_naive");
  app.add_option("--output", output, "OUT.csv to write ('-' for standard output)");
  app.add_option("--interval", interval_s,
                 "interval length in seconds (default: inferred from the history)");
  app.add_flag("--backtest", run_backtest,
               "print the method comparison table (rolling weekly origins) instead of forecasting");
  app.add_option("--origins", origins, "weekly origins of --backtest (default 8)");
  app.add_flag("--quiet", quiet, "no progress messages on standard error");
  CLI11_PARSE(app, argc, argv);

  const auto t0 = std::chrono::steady_clock::now();
  auto progress = [&](std::string_view msg) {
    if (quiet) return;
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    fmt::print(stderr, "[wfm-forecast {:6.1f} s] {}\n", s, msg);
  };
  try {
    if (!(level > 0.0 && level < 100.0))
      wfm::detail::throw_invalid("--level", "must be a percentage in (0, 100)", level);
    const fc::Method m = fc::parse_method(method, "--method");
    if (!run_backtest && (at.empty() || output.empty()))
      wfm::detail::throw_invalid("wfm-forecast", "--at and --output are required (or --backtest)");
    if (interval_s < 0) wfm::detail::throw_invalid("--interval", "must be >= 0 [s]", interval_s);
    progress(fmt::format("reading {}", history));
    const fc::IntervalSeries h = fc::read_history_csv(history, interval_s);
    const fc::SpecialDays days =
        holidays.empty() ? fc::SpecialDays{} : fc::read_special_days_csv(holidays);
    progress(fmt::format("{} intervals of {} s from {} to {}", h.size(), h.interval_length,
                         wfm::format_timestamp(h.timestamps.front()),
                         wfm::format_timestamp(h.timestamps.back())));
    fc::FitOptions options;
    options.method = m;
    options.progress = [&](const wfm::Progress& p) {
      progress(p.step);
      return true;
    };
    if (run_backtest) {
      fc::BacktestOptions b;
      b.origins = origins;
      b.level = level / 100.0;
      b.fit = options;
      if (m != fc::Method::auto_select) b.methods = {fc::Method::seasonal_naive, m};
      const fc::BacktestResult r = fc::backtest(h, days, b);
      fmt::print("origins: {} weekly, first {}, last {}\n", r.origins.size(),
                 wfm::format_date(r.origins.front() * wfm::seconds_per_day),
                 wfm::format_date(r.origins.back() * wfm::seconds_per_day));
      fmt::print("{}", fc::format_backtest(r, b.level));
      return 0;
    }
    const std::vector<std::int64_t> targets = fc::read_targets_csv(at, h);
    fc::Forecaster f = [&] {
      try {
        return fc::Forecaster::fit(h, days, options);
      } catch (const wfm::InvalidArgument& e) {  // e.g. too short: say which file
        throw wfm::InvalidArgument(fmt::format("{}: {}", history, e.what()));
      }
    }();
    const fc::FitReport& rep = f.report();
    progress(fmt::format("method {} ({}), {} outlier day(s), intervals: {}", rep.method,
                         rep.status == wfm::Status::ok ? "converged" : "NOT converged", rep.outliers.size(),
                         rep.interval_method));
    for (const auto& s : rep.backtest)
      progress(fmt::format("  backtest {:<40} wape {:.4f}  daily {:.4f}", s.method, s.wape,
                           s.daily_wape));
    for (const auto& o : rep.outliers)
      progress(fmt::format("  outlier {} ratio {:.2f} ({})", wfm::format_date(o.day * 86400),
                           o.ratio, o.reason == fc::OutlierReason::marked ? "marked" : "detected"));
    for (const auto& s : rep.special_days)
      progress(fmt::format("  special day '{}': ratio {:.2f}, {}", s.name, s.ratio, s.source));
    const std::vector<double> levels{level / 100.0};
    const fc::ForecastResult r = f.forecast(targets, levels);
    std::string out = r.aht_s.empty() ? "timestamp,forecast,lower,upper\n"
                                    : "timestamp,forecast,lower,upper,aht_s\n";
    for (std::size_t i = 0; i < targets.size(); ++i) {
      out += fmt::format("{},{:.3f},{:.3f},{:.3f}", wfm::format_timestamp(targets[i]),
                         r.volume[i], r.volume_lower[0][i], r.volume_upper[0][i]);
      out += r.aht_s.empty() ? "\n" : fmt::format(",{:.1f}\n", r.aht_s[i]);
    }
    wfm::write_file_atomic(output, out);
    progress(fmt::format("wrote {} rows to {}", targets.size(), output));
  } catch (const std::exception& e) {
    fmt::print(stderr, "wfm-forecast: error: {}\n", e.what());
    return 2;
  }
  return 0;
}
