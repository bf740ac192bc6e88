// Rostering named agents: 500 agents over 4 weeks of a 24/7 centre (issue 15, part 2).
// Real timings by hand, on an idle machine or with CPU time (see bench/RESULTS.md):
//   WFM_ROSTER_BENCH_ALL=1 build/release/bench/wfm_bench_roster
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdlib>
#include <random>
#include <wfm/schedule/roster.hpp>

using namespace wfm::schedule;

namespace {

constexpr double kHour = 3600.0;

/// A 24/7 horizon of `weeks` weeks of 15-minute intervals with three templates: F8 (8 h,
/// 30-min lunch 3-5 h in), P4 (4 h, no break), N8 (night 22:00, 8 h, 30-min break). Starts on
/// the hour, 06:00-14:00 for F8, 08:00-18:00 for P4.
CoverageModel model(int weeks) {
  CoverageModel m;
  m.interval_length = 900.0;
  const int per_day = 96, days = 7 * weeks;
  m.requirement.assign(static_cast<std::size_t>(per_day * days), 0.0);
  ShiftTemplate f8{.name = "F8", .length = 32, .cost = 32.0};
  f8.breaks = {{.length = 2, .earliest_offset = 12, .latest_offset = 20}};
  ShiftTemplate p4{.name = "P4", .length = 16, .cost = 16.0};
  ShiftTemplate n8{.name = "N8", .length = 32, .cost = 40.0};
  n8.breaks = {{.length = 2, .earliest_offset = 14, .latest_offset = 18}};
  for (int d = 0; d < days; ++d) {
    for (int h = 6; h <= 14; ++h) f8.starts.push_back(d * per_day + 4 * h);
    for (int h = 8; h <= 18; ++h) p4.starts.push_back(d * per_day + 4 * h);
    if (d + 1 < days) n8.starts.push_back(d * per_day + 4 * 22);
  }
  m.templates = {f8, p4, n8};
  return m;
}

/// Agent-shifts per day following a weekly shape (weekend dip) with noise, at about `load` of the
/// agents' capacity; breaks spread over their windows.
Schedule schedule(const CoverageModel& m, int weeks, int agents, double load, std::mt19937_64& rng) {
  Schedule s;
  const int days = 7 * weeks;
  const double per_day = load * agents * 4.6 / 7.0;  // agents work ~4.6 days a week on average
  std::uniform_real_distribution<double> noise(0.9, 1.1);
  for (int d = 0; d < days; ++d) {
    const double day_factor = (d % 7 >= 5 ? 0.7 : 1.12) * noise(rng);
    const double total = per_day * day_factor;
    const int nights = d + 1 < days ? static_cast<int>(std::lround(0.05 * total)) : 0;
    const int parts = static_cast<int>(std::lround(0.2 * total));
    const int fulls = static_cast<int>(std::lround(total)) - nights - parts;
    auto spread = [&](int t, int count, int first, int n_starts, int stride) {
      for (int k = 0; k < n_starts; ++k) {
        const int c = count / n_starts + (k < count % n_starts ? 1 : 0);
        if (c == 0) continue;
        ShiftAssignment a{t, d * 96 + first + stride * k, c, {}};
        for (const BreakWindow& b : m.templates[static_cast<std::size_t>(t)].breaks) {
          std::vector<int> placed(static_cast<std::size_t>(b.placements()), 0);
          for (int j = 0; j < c; ++j) ++placed[static_cast<std::size_t>(j % b.placements())];
          a.break_agents.push_back(placed);
        }
        s.shifts.push_back(a);
      }
    };
    spread(0, fulls, 24, 9, 4);
    spread(1, parts, 32, 11, 4);
    spread(2, nights, 88, 1, 4);
  }
  return s;
}

std::vector<Agent> agents(int n, int weeks, std::mt19937_64& rng) {
  std::vector<Agent> out;
  const int days = 7 * weeks;
  std::uniform_int_distribution<int> day(0, 6);
  for (int i = 0; i < n; ++i) {
    Agent a;
    a.id = "agent" + std::to_string(i);
    const bool part_time = i % 10 < 3;
    a.contract.max_days_per_week = 5;
    a.contract.max_consecutive_days = 6;
    a.contract.min_rest_s = 11 * kHour;
    a.contract.min_week_s = part_time ? 8 * kHour : 24 * kHour;
    a.contract.max_week_s = part_time ? 24 * kHour : 40 * kHour;
    a.contract.templates = part_time ? std::vector<int>{1} : (i % 10 == 9 ? std::vector<int>{0} : std::vector<int>{0, 2});
    if (i % 5 == 0) {  // one fixed day a week unavailable
      a.availability.assign(static_cast<std::size_t>(days), wfm::schedule::DayWindow{});
      const int off = day(rng);
      for (int w = 0; w < weeks; ++w) a.availability[static_cast<std::size_t>(7 * w + off)] = {0.0, 0.0};
    }
    if (i % 2 == 0) {  // early or late starters
      a.preferences.start_from_s = (i % 4 == 0 ? 6 : 10) * kHour;
      a.preferences.start_to_s = (i % 4 == 0 ? 9 : 14) * kHour;
    }
    if (i % 5 < 2)
      for (int w = 0; w < weeks; ++w) a.preferences.days_off.push_back(7 * w + day(rng));
    out.push_back(a);
  }
  return out;
}

void BM_Roster(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0)), weeks = static_cast<int>(state.range(1));
  std::mt19937_64 rng(15);
  const CoverageModel m = model(weeks);
  const double load = static_cast<double>(state.range(2)) / 100.0;
  const Schedule s = schedule(m, weeks, n, load, rng);
  const std::vector<Agent> ag = agents(n, weeks, rng);
  RosterResult r;
  for (auto _ : state) r = make_roster(m, s, ag, {.time_limit = 60.0, .cpu_time = true});
  const RosterCheck c = check_roster(m, s, ag, r);
  state.counters["agents"] = n;
  state.counters["weeks"] = weeks;
  state.counters["load"] = load;
  state.counters["shifts"] = r.shifts;
  state.counters["cpu_s"] = r.cpu_seconds;
  state.counters["unassigned"] = static_cast<double>(r.unassigned.size());
  state.counters["coverage_lost_h"] = r.coverage_lost_s / kHour;
  state.counters["shortfalls"] = static_cast<double>(r.shortfalls.size());
  state.counters["pref_granted"] = r.preferences_stated ? static_cast<double>(r.preferences_granted) / r.preferences_stated : 1.0;
  state.counters["nights_spread"] = r.max_nights - r.min_nights;
  state.counters["weekends_off_min"] = r.min_weekends_off;
  state.counters["weekends_off_max"] = r.max_weekends_off;
  state.counters["checked"] = c.valid && c.consistent ? 1 : 0;
  state.SetLabel(std::string(wfm::to_string(r.status)));
}

}  // namespace

// Args: agents, weeks, schedule load in % of the agents' capacity (105: more shifts than they
// may work, so coverage is lost and explained). The two long cases (about 6 s of CPU each) run
// only with WFM_ROSTER_BENCH_ALL=1, so that the ctest smoke run stays short.
void roster_cases(benchmark::internal::Benchmark* b) {
  b->Args({50, 1, 90})->Args({500, 4, 90});
  if (std::getenv("WFM_ROSTER_BENCH_ALL") != nullptr) b->Args({1000, 4, 90})->Args({500, 4, 105});
}
BENCHMARK(BM_Roster)->Apply(roster_cases)->Iterations(1)->Unit(benchmark::kSecond);

BENCHMARK_MAIN();
