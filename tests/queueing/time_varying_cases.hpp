#pragma once
// The cases where per-interval stationary staffing (SIPP) misses its goal, and a rise, shared by
// tests/queueing/time_varying_test.cpp and bench/time_varying_drop.cpp (numbers: bench/RESULTS.md).
#include <cmath>
#include <cstdint>
#include <vector>

#include <wfm/queueing/staffing.hpp>
#include <wfm/simulation/simulator.hpp>

namespace tv_cases {

struct Case {
  const char* name;
  std::vector<double> rates;  // [1/s] per interval
  double interval_length = 900.0;
  double aht = 300.0;
  double patience = 180.0;
  wfm::queueing::StaffingGoal goal{.service_level = 0.8, .target_time = 20.0};
};

/// Long handle times: AHT 30 min on 15-min intervals, a morning ramp from 0.02 to 0.2 calls/s
/// over 3 hours and back (24 intervals): the load lags the arrivals by about one AHT.
inline Case long_handle_time() {
  Case c{"long_aht", {}, 900.0, 1800.0, 600.0};
  for (int i = 0; i < 24; ++i)
    c.rates.push_back(0.02 + 0.18 * std::sin(3.14159265358979 * (i + 0.5) / 24.0));
  return c;
}

/// A sharp peak: 0.1 calls/s, tripled for one 15-min interval (AHT 5 min).
inline Case sharp_peak() {
  Case c{"sharp_peak", std::vector<double>(12, 0.1), 900.0, 300.0, 180.0};
  c.rates[5] = 0.3;
  return c;
}

/// A staffing drop: 0.3 calls/s falls to 0.1 at interval 6 (AHT 15 min): SIPP removes two
/// thirds of the agents while their calls, and the queue, are still there.
inline Case staffing_drop() {
  Case c{"staffing_drop", std::vector<double>(12, 0.3), 900.0, 900.0, 300.0};
  for (std::size_t i = 6; i < c.rates.size(); ++i) c.rates[i] = 0.1;
  return c;
}

/// A staffing rise: the staffing_drop case run backwards, 0.1 calls/s rising to 0.3 at
/// interval 6 (AHT 15 min, patience 5 min): SIPP adds the agents at once.
inline Case staffing_rise() {
  Case c{"staffing_rise", std::vector<double>(12, 0.1), 900.0, 900.0, 300.0};
  for (std::size_t i = 6; i < c.rates.size(); ++i) c.rates[i] = 0.3;
  return c;
}

/// The simulator's run of a case at whole-number agents per interval: exponential handle time
/// and patience, one thread, 4 h of warm-up; the caller sets the target times and definitions.
struct SimulationSetup {
  wfm::simulation::Scenario scenario;
  wfm::simulation::RunOptions options;
};

inline SimulationSetup simulation_of(const Case& c, const std::vector<double>& agents,
                                     int replications, std::uint64_t seed) {
  SimulationSetup out;
  wfm::simulation::Scenario& s = out.scenario;
  s.interval_length = c.interval_length;
  s.arrival_rate = c.rates;
  s.handle_time = wfm::simulation::Distribution::exponential(c.aht);
  s.patience = wfm::simulation::Distribution::exponential(c.patience);
  std::vector<int> staff;
  for (double a : agents) staff.push_back(static_cast<int>(a));
  s.staffing = staff;
  out.options.replications = replications;
  out.options.seed = seed;
  out.options.threads = 1;
  out.options.warmup = 4.0 * 3600.0;
  return out;
}

}  // namespace tv_cases
