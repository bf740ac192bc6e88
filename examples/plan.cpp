// The whole plan through the C++ API alone: history -> forecast -> staffing -> schedule ->
// simulation -> summary, every step on one interval grid (wfm/core/interval_grid.hpp). Built
// against the installed package (find_package(wfm), see examples/plan/CMakeLists.txt) to show
// that a service can plan without Python.
//
//   plan HISTORY.csv [TIME_ZONE]
//
// HISTORY.csv: columns timestamp,volume and optionally aht_s (ISO 8601 timestamps, with or
// without UTC offsets). TIME_ZONE: IANA name of naive timestamps (default: none). Plans the week
// after the history with an 80 % / 20 s goal (Erlang A, patience 120 s), shifts of 8 h (with a
// 30- to 60-minute lunch) and 4 h starting on the hour, and checks the roster by simulation.
// Exit code: wfm::exit_code (0 ok, 1 failure, 2 bad input, 3 infeasible, 4 time limit).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <iostream>
#include <set>
#include <utility>
#include <wfm/wfm.hpp>

namespace {

namespace fc = wfm::forecast;
namespace q = wfm::queueing;
namespace ws = wfm::schedule;
namespace sim = wfm::simulation;

/// The planning policy of this example, in one place.
struct Policy {
  double service_level = 0.8;   ///< goal: share answered within target_time_s
  double target_time_s = 20.0;  ///< [s]
  double patience_s = 120.0;    ///< mean patience [s] (Erlang A)
  double shrinkage = 0.3;       ///< share of paid time off the phones (reported as gross)
  double level = 0.8;           ///< prediction-interval coverage of the forecast
  double schedule_time_limit_s = 10.0;
  int replications = 40;
};

/// The week after the history, open where the history's (weekday, time of day) slot was open.
wfm::IntervalGrid next_week(const wfm::IntervalGrid& history) {
  std::set<std::pair<int, std::int64_t>> open_slots;
  for (std::size_t i : history.open_indices())
    open_slots.insert({wfm::weekday(history.local(i)), wfm::second_of_day(history.local(i))});
  const auto per_week = static_cast<std::size_t>(7 * wfm::seconds_per_day / history.interval_length_s());
  wfm::IntervalGrid week = history.following(per_week);
  for (std::size_t i = 0; i < week.size(); ++i)
    week.set_open(i, open_slots.count({wfm::weekday(week.local(i)),
                                       wfm::second_of_day(week.local(i))}) > 0);
  return week;
}

/// Shift templates with starts given as local times of day (ws::starts_at_local_times).
std::vector<ws::ShiftTemplate> templates(const wfm::IntervalGrid& grid) {
  const std::int64_t len = grid.interval_length_s();
  const auto intervals = [&](double hours) { return static_cast<int>(std::lround(hours * 3600 / static_cast<double>(len))); };
  std::vector<std::int64_t> hours;
  for (int h = 0; h < 24; ++h) hours.push_back(h * 3600);
  ws::ShiftTemplate full{.name = "F8", .length = intervals(8), .cost = 8.0};
  full.breaks = {{.length = std::max(1, intervals(0.5)), .earliest_offset = intervals(3),
                  .latest_offset = intervals(5)}};
  ws::ShiftTemplate part{.name = "P4", .length = intervals(4), .cost = 4.4};
  for (ws::ShiftTemplate* t : {&full, &part}) {
    // Only starts whose whole shift lies in open intervals.
    for (int s : ws::starts_at_local_times(grid, hours, {}, t->length)) {
      bool open = true;
      for (int k = 0; k < t->length; ++k) open = open && grid.is_open(static_cast<std::size_t>(s + k));
      if (open) t->starts.push_back(s);
    }
  }
  return {full, part};
}

double weighted_mean(const std::vector<double>& x, const std::vector<double>& w) {
  double sx = 0.0, sw = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) sx += x[i] * w[i], sw += w[i];
  return sw > 0.0 ? sx / sw : 0.0;
}

int run(const std::string& path, const std::string& zone) {
  const Policy p;
  // 1. history on its grid (rows aligned by timestamp; absent rows are closed intervals)
  const wfm::CsvTable table = wfm::read_csv(path);
  wfm::GridOptions go;
  if (!zone.empty()) go.zone = wfm::TimeZone::locate(zone);
  const wfm::TableOnGrid h = wfm::grid_from_table(table, "timestamp", go);
  const std::vector<double> volume = wfm::column_on_grid(table, "volume", h.interval_of_row, h.grid.size());
  std::vector<double> aht;
  if (table.find_column("aht_s")) aht = wfm::column_on_grid(table, "aht_s", h.interval_of_row, h.grid.size());

  // 2. forecast the following week
  const wfm::IntervalGrid week = next_week(h.grid);
  const std::vector<double> levels{p.level};
  const fc::ForecastResult f = fc::forecast_on_grid(h.grid, volume, aht, week, levels);
  std::vector<double> f_aht = f.aht_s.empty() ? std::vector<double>(week.size(), 180.0) : f.aht_s;

  // 3. staffing per interval (closed intervals: 0 agents)
  const q::StaffingGoal goal{.service_level = p.service_level, .target_time = p.target_time_s};
  const std::vector<double> patience{p.patience_s};
  const q::HorizonPlan staff = q::plan_horizon(week, f.volume, f_aht, patience, goal, p.shrinkage);

  // 4. schedule covering the net requirement
  ws::CoverageModel model;
  ws::set_requirement(model, week, staff.agents_required);
  model.templates = templates(week);
  const ws::Schedule s = ws::solve(model, {.time_limit = p.schedule_time_limit_s});
  if (!wfm::has_result(s.status)) {
    std::cerr << fmt::format("schedule: {} ({})\n", wfm::to_string(s.status), s.message);
    return wfm::exit_code_for(s.status);
  }

  // 5. simulate the schedule's coverage
  sim::Scenario sc;
  sc.interval_length = static_cast<double>(week.interval_length_s());
  sc.handle_time = sim::Distribution::exponential(180.0);
  sc.patience = sim::Distribution::exponential(p.patience_s);
  std::vector<int> agents(week.size());
  for (std::size_t i = 0; i < week.size(); ++i) {
    sc.arrival_rate.push_back(f.volume[i] / sc.interval_length);
    sc.handle_time_mean.push_back(f_aht[i] > 0.0 ? f_aht[i] : 180.0);
    agents[i] = static_cast<int>(std::lround(s.coverage[i]));
  }
  sc.staffing = agents;
  sim::RunOptions ro;
  ro.replications = p.replications;
  ro.target_times = {p.target_time_s};
  ro.definitions = {q::ServiceLevelDefinition::answered_within};
  const sim::SimulationResult r = sim::simulate(week, sc, ro);

  // 6. summary (vocabulary names)
  double total = 0.0, agent_hours = 0.0;
  for (std::size_t i = 0; i < week.size(); ++i) {
    total += f.volume[i];
    agent_hours += staff.agents_required[i] * static_cast<double>(week.interval_length_s()) / 3600.0;
  }
  const auto& sl = r.total.service_level[0];
  fmt::print("plan of {} intervals of {} s from {} ({} open{})\n", week.size(), week.interval_length_s(),
             week.timestamp(0), week.open_count(), week.zone_aware() ? ", " + week.zone().label() : "");
  fmt::print("volume             {:.0f} contacts\n", total);
  fmt::print("agents_required    {:.1f} agent-hours on the phones (peak {:.0f})\n", agent_hours,
             *std::max_element(staff.agents_required.begin(), staff.agents_required.end()));
  fmt::print("paid_hours         {:.1f} h, cost {:.1f}, lower_bound {:.1f}, gap {:.4f} ({})\n",
             s.paid_hours, s.cost, s.lower_bound, s.gap, wfm::to_string(s.status));
  fmt::print("service_level      planned {:.3f}, simulated {:.3f} [{:.3f}, {:.3f}] ({} replications)\n",
             weighted_mean(staff.service_level, f.volume), sl.value, sl.value - sl.half_width,
             sl.value + sl.half_width, r.replications);
  fmt::print("abandon_rate       simulated {:.3f}; asa_s simulated {:.1f}\n", r.total.abandon_rate.value,
             r.total.asa_s.value);
  return std::max(wfm::exit_code_for(staff.overall), wfm::exit_code_for(s.status));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::cerr << "usage: plan HISTORY.csv [TIME_ZONE]\n";
    return wfm::exit_code::bad_input;
  }
  try {
    return run(argv[1], argc == 3 ? argv[2] : "");
  } catch (const wfm::InvalidArgument& e) {
    std::cerr << "plan: " << e.what() << '\n';
    return wfm::exit_code::bad_input;
  } catch (const std::exception& e) {
    std::cerr << "plan: " << e.what() << '\n';
    return wfm::exit_code::failure;
  }
}
