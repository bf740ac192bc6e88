// The magnitude limits of wfm/core/limits.hpp, each enforced where the value enters, and the
// reproductions of issue 14 ("Hardening") that they fix: every case used to hang, abort, or
// return a wrong answer; now it is an InvalidArgument naming the argument, or a bounded result.
#include <cmath>
#include <limits>
#include <string>
#include <vector>
#include <wfm/core/error.hpp>
#include <wfm/core/limits.hpp>
#include <wfm/forecast/forecaster.hpp>
#include <wfm/forecast/series.hpp>
#include <wfm/queueing/erlang_a.hpp>
#include <wfm/queueing/erlang_c.hpp>
#include <wfm/queueing/staffing.hpp>
#include <wfm/schedule/schedule.hpp>
#include <wfm/simulation/simulated_queue.hpp>
#include <wfm/simulation/simulator.hpp>

#include "forecast/synth.hpp"
#include "schedule/support.hpp"
#include "support/catch.hpp"

namespace {

/// Runs `f`, requires an InvalidArgument whose message contains every one of `names`.
template <class F>
void require_invalid_naming(F&& f, std::vector<std::string> names) {
  try {
    f();
    FAIL("no exception");
  } catch (const wfm::InvalidArgument& e) {
    const std::string what = e.what();
    INFO(what);
    for (const auto& n : names) CHECK(what.find(n) != std::string::npos);
  }
}

wfm::schedule::CoverageModel day_model() {
  wfm::schedule::CoverageModel m;
  m.interval_length = 1800.0;
  m.requirement.assign(16, 3.0);
  m.templates = {wfm::test::make_template("F8", 16, 16.0, 16, false),
                 wfm::test::make_template("P4", 8, 9.0, 16, false)};
  return m;
}

}  // namespace

TEST_CASE("staffing on huge loads returns in bounded evaluations", "[core][limits][queueing]") {
  using namespace wfm::queueing;
  const StaffingGoal goal{.service_level = 0.8};
  // Issue 14: arrival_rate 1e16 never returned (the guess's bisection stalled on doubles more
  // than half an agent apart). The load is 1e16 Erlangs, above max_agents: infeasible.
  for (double rate : {1e9, 1e16, 1e100, 1e300}) {
    INFO(rate);
    const StaffingResult a = required_agents(ErlangA(rate, 1.0, 180.0), goal);
    CHECK(a.status == wfm::Status::infeasible);
    CHECK(a.agents_required == 1e6);  // the default max_agents
    CHECK(a.evaluations < 100);
    const StaffingResult c = required_agents(ErlangC(rate, 1.0), goal);
    CHECK(c.status == wfm::Status::infeasible);
    CHECK(c.evaluations < 100);
  }
  // max_agents near INT64_MAX: the gallop must not overflow.
  const StaffingResult big = required_agents(ErlangC(1e16, 1.0), goal,
                                             StaffingOptions{.max_agents = INT64_MAX});
  CHECK(big.evaluations < 400);
  // A CSV cell of 1e308 in volume or aht_s (wfm-staff goes through plan_horizon).
  const std::vector<double> vol{1e308, 100.0}, aht{180.0, 1e308};
  const HorizonPlan p = plan_horizon(vol, aht, 1800.0, 180.0, goal);
  CHECK(p.status[0] == wfm::Status::infeasible);
  CHECK(p.status[1] == wfm::Status::infeasible);
  // A subnormal interval length (the randomised suite's 1e-320) made every rate infinite.
  for (double len : {1e-320, 0.5})
    require_invalid_naming([&] { (void)plan_horizon(vol, aht, len, 180.0, goal); },
                           {"interval_length", "min_interval_length"});
}

TEST_CASE("schedule magnitudes beyond the limits are rejected up front", "[core][limits][schedule]") {
  using wfm::schedule::solve;
  for (double r : {1e16, 1e20, 1e22, 1e25, 1e30, 1e50, 1e308}) {
    auto m = day_model();
    m.requirement[3] = r;  // issue 14: CBC assertions, "optimal, cost 0", int32 overflow
    require_invalid_naming([&] { (void)solve(m); }, {"requirement[3]", "max_requirement"});
  }
  for (double c : {1e26, 1e30, 1e308}) {
    auto m = day_model();
    m.templates[1].cost = c;  // issue 14: CLP assertion
    require_invalid_naming([&] { (void)solve(m); }, {"templates[1].cost", "max_cost"});
    m = day_model();
    m.cover.hard_cover = false;
    m.cover.under_cost = c;
    require_invalid_naming([&] { (void)solve(m); }, {"cover.under_cost"});
  }
  {  // the sum: 2000 intervals of 1e6 agents would overflow the int32 headcount
    auto m = day_model();
    m.requirement.assign(2000, 1e6);
    m.templates = {wfm::test::make_template("F8", 16, 16.0, 2000, false, 16)};
    require_invalid_naming([&] { (void)solve(m); }, {"max_total_requirement"});
  }
  {  // -1 is "no limit"; other negatives are typos, not silent "no limit"
    auto m = day_model();
    m.max_headcount = -5;
    require_invalid_naming([&] { (void)solve(m); }, {"max_headcount", "-5"});
    m = day_model();
    m.templates[0].max_agents = -2;
    require_invalid_naming([&] { (void)solve(m); }, {"templates[0].max_agents"});
  }
}

TEST_CASE("the largest accepted requirement solves exactly", "[core][limits][schedule]") {
  // 1e6 agents in one interval (the limit): a true optimum, with an exact int32 headcount.
  auto m = day_model();
  m.requirement.assign(16, 0.0);
  m.requirement[5] = wfm::limits::max_requirement;
  const auto s = wfm::schedule::solve(m, {.time_limit = 20.0});
  wfm::test::require_checked(m, s);
  CHECK(s.status == wfm::Status::optimal);
  // One interval needs 1e6 agents; the cheapest covering shift is P4 at cost 9 (day_model).
  CHECK(s.headcount == 1000000);
  CHECK(s.cost == Approx(9e6));
}

TEST_CASE("simulation sizes beyond the limits are rejected up front", "[core][limits][simulation]") {
  using namespace wfm::simulation;
  Scenario s;
  s.interval_length = 1800.0;
  s.arrival_rate = {100.0 / 1800.0};
  s.staffing = std::vector<int>{15};
  RunOptions o;
  o.replications = 2;
  for (double w : {1e308, 1e12}) {  // issue 14: never finished
    o.warmup = w;
    require_invalid_naming([&] { (void)simulate(s, o); }, {"warmup"});
  }
  o.warmup = 0.0;
  {  // a subnormal interval length: infinite rates per second
    Scenario t = s;
    t.interval_length = 1e-320;
    require_invalid_naming([&] { (void)simulate(t, o); }, {"interval_length", "min_interval_length"});
  }
  {  // interval_length 1e308: the horizon
    Scenario t = s;
    t.interval_length = 1e308;
    require_invalid_naming([&] { (void)simulate(t, o); }, {"interval_length", "max_simulated_time"});
  }
  {  // one interval of 1e9 calls: bad_alloc in a worker, then terminate()
    Scenario t = s;
    t.arrival_rate = {1e9 / 1800.0};
    t.staffing = std::vector<int>{1};
    require_invalid_naming([&] { (void)simulate(t, o); }, {"expected calls", "max_expected_calls"});
  }
  {  // a cyclic warm-up of many repetitions of the horizon
    Scenario t = s;
    t.cyclic = true;
    t.arrival_rate = {0.0};
    o.warmup = 1e9;
    require_invalid_naming([&] { (void)simulate(t, o); }, {"warmup", "max_warmup_segments"});
    o.warmup = 0.0;
  }
  // SimulatedQueueOptions(horizon=1e308) names the horizon, not an interval_length.
  require_invalid_naming(
      [] {
        SimulatedQueue q(0.05, Distribution::exponential(180.0), Distribution::none(),
                         SimulatedQueueOptions{.horizon = 1e308});
      },
      {"options.horizon"});
  require_invalid_naming(
      [] {
        SimulatedQueue q(0.05, Distribution::exponential(180.0), Distribution::none(),
                         SimulatedQueueOptions{.horizon = 0.0});
      },
      {"options.horizon"});
  require_invalid_naming(  // the randomised suite's 5e-324
      [] {
        SimulatedQueue q(0.05, Distribution::exponential(180.0), Distribution::none(),
                         SimulatedQueueOptions{.horizon = 5e-324});
      },
      {"options.horizon", "min_interval_length"});
  // Just below the limits runs.
  o.warmup = 3600.0;
  const SimulationResult r = simulate(s, o);
  CHECK(r.total.volume.value > 0.0);
}

TEST_CASE("forecast history values beyond the limit are rejected", "[core][limits][forecast]") {
  using namespace wfm::forecast;
  wfm::test::SynthSpec spec;
  spec.days = 28;
  IntervalSeries h = wfm::test::synth_series(spec);
  IntervalSeries bad = h;
  bad.values[10] = 1e308;  // issue 14: aht_s infinite in every forecast row
  require_invalid_naming(
      [&] { (void)make_series(bad.timestamps, bad.values, bad.interval_length); }, {"volume"});
  require_invalid_naming([&] { (void)Forecaster::fit(bad); }, {"volume"});
  for (double hl : {std::numeric_limits<double>::quiet_NaN(), -1.0, 0.0}) {
    FitOptions o;
    o.aht_half_life_weeks = hl;
    require_invalid_naming([&] { (void)Forecaster::fit(h, {}, o); }, {"aht_half_life_weeks"});
  }
}

TEST_CASE("forecast options are checked up front", "[core][limits][forecast]") {
  using namespace wfm::forecast;
  wfm::test::SynthSpec spec;
  spec.days = 28;
  const IntervalSeries h = wfm::test::synth_series(spec);
  for (double hl : {std::numeric_limits<double>::quiet_NaN(), -1.0}) {  // issue 14: accepted
    FitOptions o;
    o.model.half_life_weeks = hl;
    require_invalid_naming([&] { (void)Forecaster::fit(h, {}, o); }, {"half_life_weeks"});
  }
}
