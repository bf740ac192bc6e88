// Issue 12, staffing drop (bench/RESULTS.md, "staffing drop: the end-of-shift rule"): a plain
// program, not timed.
//
//   wfm_bench_time_varying_drop [replications=2000] [seed=12] [case]
//       per case (only `case`, e.g. staffing_rise, when given) of tests/queueing/time_varying_cases.hpp and staffing method: SIPP's stationary
//       per-interval SL, the exact evaluator's (uniformization) and the simulator's, with
//       P(abandon), from interval 3 on;
//   wfm_bench_time_varying_drop --budget [max_work=2e10]
//       CPU seconds until evaluate_staffing's work budget runs out (TR-BDF2, three sizes), and
//       the implied nanoseconds per unit of TransientPolicy::max_work.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include <wfm/queueing/time_varying.hpp>
#include <wfm/simulation/simulator.hpp>

#include "queueing/time_varying_cases.hpp"

namespace {

using namespace wfm::queueing;

double cpu_seconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

wfm::simulation::SimulationResult simulate_case(const tv_cases::Case& c,
                                                const std::vector<double>& agents, int reps,
                                                std::uint64_t seed) {
  auto [s, o] = tv_cases::simulation_of(c, agents, reps, seed);
  o.target_times = {c.goal.target_time};
  o.definitions = {ServiceLevelDefinition::answered_within};
  return simulate(s, o);
}

void agreement(int reps, std::uint64_t seed, const std::string& only) {
  for (const auto& c : {tv_cases::long_handle_time(), tv_cases::sharp_peak(),
                        tv_cases::staffing_drop(), tv_cases::staffing_rise()}) {
    if (!only.empty() && only != c.name) continue;
    for (auto m : {StaffingMethod::sipp, StaffingMethod::lagged_sipp, StaffingMethod::mol}) {
      const auto plan =
          staff_time_varying(c.rates, c.interval_length, c.aht, c.patience, c.goal, m);
      const auto& agents = plan.plan.agents_required;
      const auto exact = evaluate_staffing(c.rates, c.interval_length, c.aht, c.patience, agents,
                                           c.goal,
                                           {.integrator = TransientIntegrator::uniformization});
      const auto r = simulate_case(c, agents, reps, seed);
      double worst = 1.0, weighted = 0.0, volume = 0.0, agent_intervals = 0.0;
      for (std::size_t i = 0; i < c.rates.size(); ++i) {
        worst = std::min(worst, exact.service_level[i]);
        weighted += exact.service_level[i] * c.rates[i];
        volume += c.rates[i];
        agent_intervals += agents[i];
      }
      std::printf("## %s / %s: worst exact SL %.3f, volume-weighted %.3f, agent-intervals %.0f\n",
                  c.name, std::string(to_string(m)).c_str(), worst, weighted / volume,
                  agent_intervals);
      std::printf(" i agents  SIPP-stationary exact  simulated      | P(abandon) exact  simulated\n");
      for (std::size_t i = 3; i < c.rates.size(); ++i) {
        const auto& x = r.intervals[i];
        std::printf("%2zu %5.0f   %.3f           %.3f  %.3f +- %.3f | %.4f  %.4f +- %.4f\n", i,
                    agents[i], plan.plan.service_level[i], exact.service_level[i],
                    x.service_level[0].value, x.service_level[0].half_width,
                    exact.abandon_rate[i], x.abandon_rate.value, x.abandon_rate.half_width);
      }
    }
  }
}

void budget(double max_work) {
  struct Size {
    const char* name;
    double rate, agents, interval_length;
  };
  const Size sizes[] = {{"1,000 agents, 15-min intervals", 3.0, 950.0, 900.0},
                        {"10,000 agents, 15-min intervals", 30.0, 9300.0, 900.0},
                        {"100 agents, 1e6-s intervals", 0.3, 95.0, 1e6}};
  for (const Size& z : sizes) {
    const std::size_t n = 100000;  // more than the budget can take
    std::vector<double> rates(n), agents(n, z.agents);
    for (std::size_t i = 0; i < n; ++i) rates[i] = z.rate * (i % 2 == 1 ? 1.1 : 0.9);
    EvaluationOptions o;
    o.policy.max_work = max_work;
    const double t0 = cpu_seconds();
    const auto e = evaluate_staffing(rates, z.interval_length, 300.0, 600.0, agents,
                                     StaffingGoal{.service_level = 0.8, .target_time = 20.0}, o);
    const double t = cpu_seconds() - t0;
    const auto done = std::count(e.status.begin(), e.status.end(), wfm::Status::ok);
    std::printf("%-32s max_work %.1e: %.2f s CPU, %ld intervals evaluated, %s; %.2f ns per unit\n",
                z.name, max_work, t, static_cast<long>(done),
                std::string(wfm::to_string(e.overall)).c_str(), t / max_work * 1e9);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "--budget") {
    budget(argc > 2 ? std::atof(argv[2]) : 2e10);
    return 0;
  }
  const int reps = argc > 1 ? std::atoi(argv[1]) : 2000;
  const auto seed = static_cast<std::uint64_t>(argc > 2 ? std::atoll(argv[2]) : 12);
  agreement(reps, seed, argc > 3 ? std::string(argv[3]) : std::string());
  return 0;
}
