// Tests of include/wfm/queueing/time_varying.hpp: the infinite-server offered load, SIPP /
// lagged SIPP / MOL staffing and the uniformization evaluator of a staffing vector.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <vector>

#include <wfm/core/error.hpp>
#include <wfm/queueing/erlang_a.hpp>
#include <wfm/queueing/erlang_c.hpp>
#include <wfm/queueing/time_varying.hpp>
#include <wfm/simulation/simulator.hpp>

#include "time_varying_cases.hpp"

using namespace wfm::queueing;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

/// Reference for the exponential offered load: m' = lambda(t) - m / AHT integrated by the
/// classical 4th-order Runge-Kutta method with 0.25 s steps (independent of the closed form).
std::vector<double> rk4_offered_load_end(const std::vector<double>& rates, double L, double aht,
                                         std::vector<double>& mean) {
  double m = rates[0] * aht;
  const int steps = static_cast<int>(L / 0.25);
  const double h = L / steps;
  std::vector<double> end;
  mean.clear();
  for (double lambda : rates) {
    auto f = [&](double x) { return lambda - x / aht; };
    double area = 0.0;
    for (int s = 0; s < steps; ++s) {
      const double k1 = f(m), k2 = f(m + 0.5 * h * k1), k3 = f(m + 0.5 * h * k2),
                   k4 = f(m + h * k3);
      const double next = m + h / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4);
      area += 0.5 * h * (m + next);
      m = next;
    }
    mean.push_back(area / L);
    end.push_back(m);
  }
  return end;
}

const std::vector<double> kPattern = {0.02, 0.05, 0.12, 0.30, 0.28, 0.10, 0.0, 0.04, 0.20, 0.06};

}  // namespace

TEST_CASE("offered load: constant arrivals stay at lambda * AHT", "[queueing][time_varying]") {
  const std::vector<double> rates(20, 0.5);
  const auto m = offered_load(rates, 900.0, 300.0);
  for (std::size_t i = 0; i < rates.size(); ++i) {
    CHECK_THAT(m.offered_load[i], WithinRel(150.0, 1e-14));
    CHECK_THAT(m.offered_load_end[i], WithinRel(150.0, 1e-14));
  }
  // from empty it converges to lambda / mu: m(t) = a (1 - e^{-t/AHT}) (Eick, Massey & Whitt 1993)
  const auto e = offered_load(rates, 900.0, 300.0, ServiceDistribution::exponential,
                              InitialState::empty);
  CHECK_THAT(e.offered_load_end[0], WithinRel(150.0 * (1.0 - std::exp(-3.0)), 1e-14));
  CHECK_THAT(e.offered_load_end[19], WithinRel(150.0, 1e-14));
  const auto d = offered_load(rates, 900.0, 300.0, ServiceDistribution::deterministic);
  for (std::size_t i = 0; i < rates.size(); ++i)
    CHECK_THAT(d.offered_load[i], WithinRel(150.0, 1e-13));
}

TEST_CASE("offered load: closed form agrees with a fine Runge-Kutta solution", "[queueing][time_varying]") {
  for (double aht : {60.0, 600.0, 1800.0, 7200.0}) {
    std::vector<double> mean;
    const auto end = rk4_offered_load_end(kPattern, 900.0, aht, mean);
    const auto m = offered_load(kPattern, 900.0, aht);
    for (std::size_t i = 0; i < kPattern.size(); ++i) {
      CHECK_THAT(m.offered_load_end[i], WithinAbs(end[i], 1e-9 * (1.0 + end[i])));
      // the trapezoid over 0.25 s steps has error L h^2 m'' / 12 ~ 1e-6 relative at AHT 60
      CHECK_THAT(m.offered_load[i], WithinAbs(mean[i], 1e-5 * (1.0 + mean[i])));
    }
  }
}

TEST_CASE("offered load: deterministic service is the moving integral of the arrivals",
          "[queueing][time_varying]") {
  // Reference, exact by construction: the breaks of lambda sit on whole seconds (L = 900,
  // D = 1350), so integral_{t-D}^{t} lambda at a half-second t is two half cells plus whole
  // 1 s cells of constant rate, and m(t) is linear on every 1 s cell, where the midpoint rule
  // is exact (Eick, Massey & Whitt 1993: m(t) = integral_{t-D}^{t} lambda(u) du).
  const double L = 900.0, D = 1350.0;
  auto lambda = [&](double u) {
    if (u < 0.0) return kPattern[0];
    return kPattern[static_cast<std::size_t>(u / L)];
  };
  auto m_at = [&](double t) {  // t = whole + 0.5
    double sum = 0.5 * lambda(t - D + 0.25) + 0.5 * lambda(t - 0.25);
    for (double u = t - D + 0.5; u < t - 0.5; u += 1.0) sum += lambda(u + 0.5);
    return sum;
  };
  const auto m = offered_load(kPattern, L, D, ServiceDistribution::deterministic);
  for (std::size_t i = 0; i < kPattern.size(); ++i) {
    const double t0 = static_cast<double>(i) * L;
    double area = 0.0, end = 0.0;
    for (int s = 0; s < static_cast<int>(L); ++s) area += m_at(t0 + s + 0.5);
    for (int v = 0; v < static_cast<int>(D); ++v) end += lambda(t0 + L - D + v + 0.5);
    CHECK_THAT(m.offered_load_end[i], WithinAbs(end, 1e-9));
    CHECK_THAT(m.offered_load[i], WithinAbs(area / L, 1e-9));
  }
}

TEST_CASE("offered load: bad input names the argument", "[queueing][time_varying]") {
  const std::vector<double> bad = {1.0, -1.0};
  CHECK_THROWS_AS(offered_load(bad, 900.0, 180.0), wfm::InvalidArgument);
  CHECK_THROWS_WITH(offered_load(bad, 900.0, 180.0), Catch::Contains("arrival_rates[1]"));
  CHECK_THROWS_WITH(offered_load(kPattern, 0.0, 180.0), Catch::Contains("interval_length"));
  CHECK_THROWS_WITH(offered_load(kPattern, 900.0, -1.0), Catch::Contains("handle_time"));
}

TEST_CASE("evaluator: constant load and staffing reproduce Erlang A and Erlang C",
          "[queueing][time_varying]") {
  const double lambda = 100.0 / 1800.0, aht = 180.0, patience = 120.0;
  const std::vector<double> rates(6, lambda), agents(6, 12.0);
  const ErlangA a(lambda, aht, patience);
  for (auto def : {ServiceLevelDefinition::answered_within, ServiceLevelDefinition::wait_within,
                   ServiceLevelDefinition::virtual_wait_within,
                   ServiceLevelDefinition::answered_given_answered}) {
    const StaffingGoal goal{.service_level = 0.8, .target_time = 20.0, .definition = def};
    for (auto integrator : {TransientIntegrator::tr_bdf2, TransientIntegrator::uniformization}) {
    const auto e = evaluate_staffing(rates, 900.0, aht, patience, agents, goal,
                                     {.integrator = integrator});
    REQUIRE(e.overall == wfm::Status::ok);
    for (std::size_t i = 0; i < rates.size(); ++i) {
      CHECK_THAT(e.wait_probability[i], WithinAbs(a.wait_probability(12), 1e-9));
      CHECK_THAT(e.abandon_rate[i], WithinAbs(a.abandon_probability(12), 1e-9));
      CHECK_THAT(e.service_level[i], WithinAbs(a.service_level(12, 20.0, def), 1e-9));
      CHECK_THAT(e.occupancy[i], WithinAbs(a.occupancy(12), 1e-9));
      CHECK_THAT(e.queue_length[i], WithinAbs(a.mean_queue_length(12), 1e-9));
    }
    }
  }
  // from empty, the transient converges to the steady state (24 h of 15-min intervals)
  const std::vector<double> day(96, lambda), day_agents(96, 12.0);
  const auto e = evaluate_staffing(day, 900.0, aht, patience, day_agents, StaffingGoal{},
                                   {.initial = InitialState::empty});
  CHECK(e.wait_probability[0] < a.wait_probability(12) - 0.01);  // still filling up
  CHECK_THAT(e.wait_probability[95], WithinAbs(a.wait_probability(12), 1e-9));
  CHECK_THAT(e.service_level[95], WithinAbs(a.service_level(12, 20.0), 1e-9));
  // Erlang C (patience = inf)
  const ErlangC c(lambda, aht);
  const auto ec = evaluate_staffing(rates, 900.0, aht, std::numeric_limits<double>::infinity(),
                                    agents, StaffingGoal{});
  for (std::size_t i = 0; i < rates.size(); ++i) {
    CHECK_THAT(ec.wait_probability[i], WithinAbs(c.wait_probability(12), 1e-9));
    CHECK_THAT(ec.service_level[i], WithinAbs(c.service_level(12, 20.0), 1e-9));
    CHECK(ec.abandon_rate[i] == 0.0);
  }
}

TEST_CASE("evaluator: probability mass is conserved", "[queueing][time_varying]") {
  const auto c = tv_cases::sharp_peak();
  const auto e = evaluate_staffing(c.rates, c.interval_length, c.aht, c.patience,
                                   std::vector<double>(c.rates.size(), 40.0), c.goal,
                                   {.initial = InitialState::empty});
  REQUIRE(e.overall == wfm::Status::ok);
  const double total = std::accumulate(e.final_distribution.begin(), e.final_distribution.end(), 0.0);
  CHECK(e.mass_lost < 1e-12);
  CHECK_THAT(total, WithinAbs(1.0 - e.mass_lost, 1e-12));
  for (std::size_t i = 0; i < e.size(); ++i) {
    CHECK(e.service_level[i] >= 0.0);
    CHECK(e.service_level[i] <= 1.0);
    CHECK(e.wait_probability[i] <= 1.0);
  }
}

TEST_CASE("evaluator: absurd input ends in bounded time with a status", "[queueing][time_varying]") {
  const auto t0 = std::chrono::steady_clock::now();
  for (auto integrator : {TransientIntegrator::tr_bdf2, TransientIntegrator::uniformization}) {
    // 1e16 calls/s: more than max_states contacts within a patience
    const std::vector<double> rates = {1.0, 1e16, 1.0}, agents = {2.0, 2.0, 2.0};
    const auto e = evaluate_staffing(rates, 900.0, 180.0, 120.0, agents, StaffingGoal{},
                                     {.integrator = integrator});
    CHECK(e.overall == wfm::Status::not_converged);
    CHECK(e.status[0] == wfm::Status::ok);
    CHECK(e.status[1] == wfm::Status::not_converged);
    CHECK_FALSE(e.message.empty());
    const auto h = evaluate_staffing(std::vector<double>{1e308}, 900.0, 180.0, 120.0,
                                     std::vector<double>{1.0}, StaffingGoal{},
                                     {.initial = InitialState::empty, .integrator = integrator});
    CHECK(h.overall == wfm::Status::not_converged);
    // a work budget too small for a finite but large case: time_limit
    const std::vector<double> big(4, 50.0), big_agents(4, 9000.0);
    const auto b = evaluate_staffing(big, 900.0, 180.0, 120.0, big_agents, StaffingGoal{},
                                     {.integrator = integrator, .policy = {.max_work = 1e5}});
    CHECK(b.overall == wfm::Status::time_limit);
    CHECK(b.status.back() == wfm::Status::time_limit);
  }
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(30));
  const std::vector<double> rates = {1.0, 1.0, 1.0};
  CHECK_THROWS_WITH(evaluate_staffing(rates, 900.0, 180.0, 120.0, std::vector<double>{1.5, 1, 1},
                                      StaffingGoal{}),
                    Catch::Contains("agents[0]"));
  for (double tol : {0.0, -1.0, 2.0, std::nan("")})
    CHECK_THROWS_WITH(evaluate_staffing(rates, 900.0, 180.0, 120.0, rates, StaffingGoal{},
                                        {.policy = {.implicit_tolerance = tol}}),
                      Catch::Contains("implicit_tolerance"));
}

TEST_CASE("evaluator: TR-BDF2 agrees with exact uniformization", "[queueing][time_varying]") {
  // uniformization is exact to 1e-13 (the neglected Poisson mass); the 10 s TR-BDF2 steps
  // must stay within 2e-5 of it on the three SIPP cases
  for (const auto& c : {tv_cases::long_handle_time(), tv_cases::sharp_peak(),
                        tv_cases::staffing_drop()}) {
    const auto plan = staff_time_varying(c.rates, c.interval_length, c.aht, c.patience, c.goal,
                                         StaffingMethod::sipp);
    const auto& agents = plan.plan.agents_required;
    const auto u = evaluate_staffing(c.rates, c.interval_length, c.aht, c.patience, agents,
                                     c.goal, {.integrator = TransientIntegrator::uniformization});
    const auto t = evaluate_staffing(c.rates, c.interval_length, c.aht, c.patience, agents,
                                     c.goal, {.integrator = TransientIntegrator::tr_bdf2});
    REQUIRE(u.overall == wfm::Status::ok);
    REQUIRE(t.overall == wfm::Status::ok);
    for (std::size_t i = 0; i < c.rates.size(); ++i) {
      CHECK_THAT(t.service_level[i], WithinAbs(u.service_level[i], 2e-5));
      CHECK_THAT(t.wait_probability[i], WithinAbs(u.wait_probability[i], 2e-5));
      CHECK_THAT(t.abandon_rate[i], WithinAbs(u.abandon_rate[i], 2e-5));
      CHECK_THAT(t.queue_length[i], WithinAbs(u.queue_length[i], 1e-3));
    }
    // the step control converges: a 300 times tighter local tolerance (1e-7) is 10 times
    // closer to the exact integrator (third-order local error: about 300^(2/3) = 45)
    const auto fine = evaluate_staffing(c.rates, c.interval_length, c.aht, c.patience, agents,
                                        c.goal, {.policy = {.implicit_tolerance = 1e-7}});
    double coarse_error = 0.0, fine_error = 0.0;
    for (std::size_t i = 0; i < c.rates.size(); ++i) {
      coarse_error = std::max(coarse_error, std::abs(t.service_level[i] - u.service_level[i]));
      fine_error = std::max(fine_error, std::abs(fine.service_level[i] - u.service_level[i]));
    }
    INFO(c.name << ": SL error at tol 3e-5 " << coarse_error << ", at 1e-7 " << fine_error);
    CHECK(fine_error < 0.1 * coarse_error);
  }
}

TEST_CASE("staffing: MOL equals SIPP when the service is very short", "[queueing][time_varying]") {
  // AHT 2 s on 15-min intervals: the offered load follows the arrivals within seconds
  // (mean over the interval a_i + (m(t_i) - a_i) / 450, mu L = 450), so MOL's rate is SIPP's
  // to within |a_{i-1} - a_i| / (450 a_i) <= 4.4e-3 on this pattern.
  std::vector<double> rates;
  for (double r : kPattern) rates.push_back(r * 10.0 + 0.5);
  const StaffingGoal goal{.service_level = 0.8, .target_time = 20.0};
  const auto sipp = staff_time_varying(rates, 900.0, 2.0, 60.0, goal, StaffingMethod::sipp);
  const auto mol = staff_time_varying(rates, 900.0, 2.0, 60.0, goal, StaffingMethod::mol);
  for (std::size_t i = 0; i < rates.size(); ++i) {
    CHECK_THAT(mol.staffing_arrival_rate[i], WithinRel(rates[i], 5e-3));
    CHECK(std::abs(mol.plan.agents_required[i] - sipp.plan.agents_required[i]) <= 1.0);
  }
  CHECK(sipp.plan.agents_required == mol.plan.agents_required);
}

TEST_CASE("staffing: lagged SIPP shifts the rates by one AHT", "[queueing][time_varying]") {
  // AHT = one interval: the lagged rate of interval i is exactly the rate of interval i - 1.
  const StaffingGoal goal{.service_level = 0.8, .target_time = 20.0};
  const auto lag = staff_time_varying(kPattern, 900.0, 900.0, 300.0, goal,
                                      StaffingMethod::lagged_sipp);
  CHECK(lag.staffing_arrival_rate[0] == kPattern[0]);
  for (std::size_t i = 1; i < kPattern.size(); ++i)
    CHECK_THAT(lag.staffing_arrival_rate[i], WithinRel(kPattern[i - 1], 1e-14));
  CHECK(parse_staffing_method("mol") == StaffingMethod::mol);
  CHECK_THROWS_WITH(parse_staffing_method("sip"), Catch::Contains("method"));
}

namespace {

struct MethodOutcome {
  std::vector<double> agents;
  TimeVaryingEvaluation exact;
};

MethodOutcome staff_and_evaluate(const tv_cases::Case& c, StaffingMethod m) {
  const auto s = staff_time_varying(c.rates, c.interval_length, c.aht, c.patience, c.goal, m);
  MethodOutcome o{s.plan.agents_required, {}};
  o.exact = evaluate_staffing(c.rates, c.interval_length, c.aht, c.patience, o.agents, c.goal);
  return o;
}

double worst(const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); }

}  // namespace

TEST_CASE("SIPP misses the goal where MOL and lagged SIPP hold it", "[queueing][time_varying]") {
  // Worst per-interval SL (80 % within 20 s, answered_within) of each method's staffing, by
  // the exact evaluator; the numbers are in bench/RESULTS.md (issue 12: time-varying load).
  for (const auto& c : {tv_cases::long_handle_time(), tv_cases::sharp_peak(),
                        tv_cases::staffing_drop()}) {
    const auto sipp = staff_and_evaluate(c, StaffingMethod::sipp);
    const auto lag = staff_and_evaluate(c, StaffingMethod::lagged_sipp);
    const auto mol = staff_and_evaluate(c, StaffingMethod::mol);
    INFO(c.name << ": worst SL sipp " << worst(sipp.exact.service_level) << ", lagged "
                << worst(lag.exact.service_level) << ", mol " << worst(mol.exact.service_level));
    CHECK(worst(sipp.exact.service_level) < 0.7);
    CHECK(worst(mol.exact.service_level) > worst(sipp.exact.service_level) + 0.1);
  }
}

TEST_CASE("evaluator agrees with the simulator; SIPP's stationary prediction does not",
          "[queueing][time_varying][simulation]") {
  // The sharp peak under SIPP staffing, 400 replications with a warm-up at interval 0's rate
  // and staffing (= InitialState::stationary). The exact values must lie within the 99.9 %
  // confidence interval (1.68 x the 95 % half-width) at the peak and around it.
  const auto c = tv_cases::sharp_peak();
  const auto plan = staff_time_varying(c.rates, c.interval_length, c.aht, c.patience, c.goal,
                                       StaffingMethod::sipp);
  const auto exact = evaluate_staffing(c.rates, c.interval_length, c.aht, c.patience,
                                       plan.plan.agents_required, c.goal);
  wfm::simulation::Scenario s;
  s.interval_length = c.interval_length;
  s.arrival_rate = c.rates;
  s.handle_time = wfm::simulation::Distribution::exponential(c.aht);
  s.patience = wfm::simulation::Distribution::exponential(c.patience);
  std::vector<int> agents;
  for (double a : plan.plan.agents_required) agents.push_back(static_cast<int>(a));
  s.staffing = agents;
  wfm::simulation::RunOptions o;
  o.replications = 400;
  o.seed = 12;
  o.threads = 1;
  o.warmup = 4.0 * 3600.0;
  o.target_times = {0.0, c.goal.target_time};
  o.definitions = {ServiceLevelDefinition::answered_within,
                   ServiceLevelDefinition::virtual_wait_within};
  const auto r = simulate(s, o);
  const int sl = r.service_level_index(ServiceLevelDefinition::answered_within, 20.0);
  const int no_wait = r.service_level_index(ServiceLevelDefinition::virtual_wait_within, 0.0);
  REQUIRE(sl >= 0);
  REQUIRE(no_wait >= 0);
  const double z = 1.68;
  for (const std::size_t i : {std::size_t{3}, std::size_t{5}, std::size_t{7}, std::size_t{9}}) {
    const auto& m = r.intervals[i];
    const auto& slm = m.service_level[static_cast<std::size_t>(sl)];
    const auto& nw = m.service_level[static_cast<std::size_t>(no_wait)];
    INFO("interval " << i << ": exact SL " << exact.service_level[i] << " sim " << slm.value
                     << " +- " << slm.half_width << "; exact P(wait) "
                     << exact.wait_probability[i] << " sim " << 1.0 - nw.value << " +- "
                     << nw.half_width);
    CHECK(std::abs(exact.service_level[i] - slm.value) <= z * slm.half_width);
    CHECK(std::abs(exact.wait_probability[i] - (1.0 - nw.value)) <= z * nw.half_width);
    // Abandonment is not checked at the peak: callers arriving late in interval 5 wait into
    // interval 6, whose staffing falls 91 -> 33, where the evaluator keeps the staffing of the
    // arrival interval (approximation 1 of time_varying.hpp): 0.0093 vs 0.0131 +- 0.0022.
    if (i != 5)
      CHECK(std::abs(exact.abandon_rate[i] - m.abandon_rate.value) <= z * m.abandon_rate.half_width);
  }
  // Right after the staffing falls (interval 6: 91 -> 33 agents) the chain's approximation
  // (contacts beyond the new staffing go back to the queue and may abandon, where in the
  // simulator the leaving agents finish them) is optimistic: measured 0.386 vs 0.330 +- 0.016
  // (seed 12). The direction is the documented property checked here.
  const auto& drop = r.intervals[6].service_level[static_cast<std::size_t>(sl)];
  CHECK(exact.service_level[6] > drop.value);
  // SIPP's own stationary prediction at the peak is outside the simulation's interval
  const auto& peak = r.intervals[5].service_level[static_cast<std::size_t>(sl)];
  INFO("peak: SIPP predicts " << plan.plan.service_level[5] << ", simulated " << peak.value);
  CHECK(std::abs(plan.plan.service_level[5] - peak.value) > z * peak.half_width);
}
