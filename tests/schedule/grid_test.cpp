// Schedules on the interval grid across the 2026 clock changes in Europe/Berlin (29 March and
// 25 October at 01:00 UTC, Directive 2000/84/EC), and the whole chain on a 24/7 history that
// crosses the fall-back night.
#include <cmath>
#include <filesystem>
#include <limits>
#include <wfm/core/calendar.hpp>
#include <wfm/core/error.hpp>
#include <wfm/forecast/forecaster.hpp>
#include <wfm/queueing/staffing.hpp>
#include <wfm/schedule/schedule.hpp>
#include <wfm/simulation/simulator.hpp>

#include "support/catch.hpp"
#include "support/time.hpp"

using namespace wfm;
using Catch::Matchers::Contains;

namespace {

using wfm::test::at;
using wfm::test::have_berlin;

/// A deterministic volume by local hour: quiet nights, busy days.
double pattern(std::int64_t local) {
  const auto h = static_cast<double>(second_of_day(local) / 3600);
  return 20.0 + std::round(15.0 * std::sin((h - 6.0) * 3.14159265358979 / 12.0));
}

}  // namespace

TEST_CASE("Local start times map to 08:00 on both sides of a clock change", "[schedule][grid]") {
  if (!have_berlin()) {
    WARN("skipped: no /usr/share/zoneinfo (Debian package tzdata)");
    return;
  }
  const TimeZone berlin = TimeZone::locate("Europe/Berlin");
  for (const char* monday : {"2026-03-23 00:00", "2026-10-19 00:00"}) {
    const IntervalGrid week = IntervalGrid::week(at(monday), 900, berlin);
    const std::int64_t eight = schedule::parse_time_of_day("08:00");
    const auto starts = schedule::starts_at_local_times(week, std::span(&eight, 1), {}, 32);
    REQUIRE(starts.size() == 7);
    for (int s : starts) CHECK(second_of_day(week.local(static_cast<std::size_t>(s))) == 8 * 3600);
    CHECK(weekday(week.local(static_cast<std::size_t>(starts[6]))) == 6);  // Sunday, the change
  }
  const std::int64_t two30 = schedule::parse_time_of_day("02:30");
  const int sunday = 6;
  const IntervalGrid spring = IntervalGrid::week(at("2026-03-23 00:00"), 900, berlin);
  CHECK(schedule::starts_at_local_times(spring, std::span(&two30, 1), std::span(&sunday, 1), 4).empty());
  const IntervalGrid autumn = IntervalGrid::week(at("2026-10-19 00:00"), 900, berlin);
  CHECK(schedule::starts_at_local_times(autumn, std::span(&two30, 1), std::span(&sunday, 1), 4).size() == 2);
  CHECK_THROWS_WITH(schedule::parse_time_of_day("8h", "start_times[0]"), Contains("start_times[0]"));
  const int bad_day = 7;
  CHECK_THROWS_AS(schedule::starts_at_local_times(autumn, std::span(&two30, 1), std::span(&bad_day, 1), 4),
                  InvalidArgument);
}

TEST_CASE("A 24/7 history across the fall-back night: forecast, staff, schedule, simulate",
          "[schedule][grid]") {
  if (!have_berlin()) {
    WARN("skipped: no /usr/share/zoneinfo (Debian package tzdata)");
    return;
  }
  const TimeZone berlin = TimeZone::locate("Europe/Berlin");
  // Three weeks of hourly history ending on the 25-hour Sunday 2026-10-25.
  const IntervalGrid history =
      IntervalGrid::local_span(at("2026-10-05 00:00"), at("2026-10-26 00:00"), 3600, berlin);
  REQUIRE(history.size() == 21 * 24 + 1);
  std::vector<double> volume(history.size());
  for (std::size_t i = 0; i < history.size(); ++i) volume[i] = pattern(history.local(i));
  const std::vector<double> aht(history.size(), 200.0);

  // Forecast the next week; weekly_average of a pattern that depends only on the local hour is
  // the pattern itself, on every interval, however the clock changed in the history.
  IntervalGrid week = history.following(7 * 24);
  week.set_open(3, false);  // one closed interval
  forecast::FitOptions fo;
  fo.method = forecast::Method::weekly_average;
  const std::vector<double> levels{0.8};
  const forecast::ForecastResult f = forecast::forecast_on_grid(history, volume, aht, week, levels, {}, fo);
  REQUIRE(f.volume.size() == week.size());
  CHECK(f.grid == week);
  for (std::size_t i = 0; i < week.size(); ++i) {
    INFO(week.timestamp(i));
    CHECK(f.volume[i] == Approx(week.is_open(i) ? pattern(week.local(i)) : 0.0).margin(1e-9));
    CHECK(f.aht_s[i] == Approx(week.is_open(i) ? 200.0 : 0.0).margin(1e-9));
  }
  // A target grid that does not follow the history is bad input.
  CHECK_THROWS_WITH(forecast::forecast_on_grid(history, volume, aht, history.slice(0, 5), levels, {}, fo),
                    Contains("after the history"));

  // Staffing on the grid: closed intervals need no agents.
  const queueing::StaffingGoal goal{.service_level = 0.8, .target_time = 20.0};
  const std::vector<double> inf{std::numeric_limits<double>::infinity()};
  const queueing::HorizonPlan plan = queueing::plan_horizon(week, f.volume, f.aht_s, inf, goal);
  CHECK(plan.grid == week);
  CHECK(plan.agents_required[3] == 0.0);
  CHECK(plan.overall == Status::ok);
  for (std::size_t i = 0; i < week.size(); ++i)
    if (week.is_open(i)) CHECK(plan.agents_required[i] > 0.0);

  // Schedule the history's own 25-hour week (cyclic: 24/7) and simulate its coverage there.
  std::vector<double> hist_aht(history.size(), 200.0);
  const queueing::HorizonPlan past = queueing::plan_horizon(history, volume, hist_aht, inf, goal);
  schedule::CoverageModel m;
  schedule::set_requirement(m, history, past.agents_required);
  m.cyclic = true;
  std::vector<std::int64_t> every_hour;
  for (int h = 0; h < 24; ++h) every_hour.push_back(h * 3600);
  schedule::ShiftTemplate t{.name = "S8", .length = 8, .cost = 8.0};
  t.starts = schedule::starts_at_local_times(history, every_hour, {}, 8, true);
  CHECK(t.starts.size() == history.size());  // every interval starts on a whole local hour
  m.templates = {t};
  const schedule::Schedule s = schedule::solve(m, {.time_limit = 10.0});
  REQUIRE(has_result(s.status));
  for (std::size_t i = 0; i < history.size(); ++i) CHECK(s.coverage[i] >= m.requirement[i] - 1e-9);
  CHECK(s.paid_hours == Approx(s.paid_intervals * 1.0));  // 1-hour intervals

  simulation::Scenario sc;
  sc.interval_length = 3600.0;
  std::vector<int> agents;
  for (std::size_t i = 0; i < history.size(); ++i) {
    sc.arrival_rate.push_back(volume[i] / 3600.0);
    agents.push_back(static_cast<int>(std::lround(s.coverage[i])));
  }
  sc.handle_time = simulation::Distribution::exponential(200.0);
  sc.staffing = agents;
  simulation::RunOptions ro;
  ro.replications = 4;
  const simulation::SimulationResult r = simulation::simulate(history, sc, ro);
  CHECK(r.grid == history);
  CHECK(r.intervals.size() == history.size());
  CHECK(r.status == Status::ok);
}
