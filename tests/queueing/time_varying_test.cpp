// Tests of include/wfm/queueing/time_varying.hpp: the infinite-server offered load, SIPP /
// lagged SIPP / MOL staffing and the uniformization evaluator of a staffing vector.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <utility>
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

TEST_CASE("evaluator: a cut interval's uniformization start keeps the exact answer",
          "[queueing][time_varying]") {
  // staffing_drop: constant load for 6 intervals, then a cut (SIPP drops agents). The reference
  // is uniformization (exact to 1e-13). TR-BDF2 keeps the stationary state of the constant
  // intervals as a fixed point, so with the whole cut interval done by uniformization
  // (span = interval length) that interval agrees to rounding; any head length (0: TR-BDF2
  // from the cut, the default, half the interval) keeps the 2e-5 agreement of the test above.
  const auto c = tv_cases::staffing_drop();
  const auto plan = staff_time_varying(c.rates, c.interval_length, c.aht, c.patience, c.goal,
                                       StaffingMethod::sipp);
  const auto& agents = plan.plan.agents_required;
  REQUIRE(agents[6] < agents[5]);  // the case has a cut at interval 6
  const auto u = evaluate_staffing(c.rates, c.interval_length, c.aht, c.patience, agents, c.goal,
                                   {.integrator = TransientIntegrator::uniformization});
  REQUIRE(u.overall == wfm::Status::ok);
  auto with_span = [&](double span) {
    return evaluate_staffing(c.rates, c.interval_length, c.aht, c.patience, agents, c.goal,
                             {.policy = {.cut_uniformization_span = span}});
  };
  const auto whole = with_span(c.interval_length);
  REQUIRE(whole.overall == wfm::Status::ok);
  CHECK_THAT(whole.service_level[6], WithinAbs(u.service_level[6], 1e-9));
  CHECK_THAT(whole.queue_length[6], WithinAbs(u.queue_length[6], 1e-9));
  for (const double span : {0.0, TransientPolicy{}.cut_uniformization_span, 450.0}) {
    const auto t = with_span(span);
    REQUIRE(t.overall == wfm::Status::ok);
    for (std::size_t i = 0; i < c.rates.size(); ++i) {
      INFO("span " << span << " interval " << i);
      CHECK_THAT(t.service_level[i], WithinAbs(u.service_level[i], 2e-5));
      CHECK_THAT(t.abandon_rate[i], WithinAbs(u.abandon_rate[i], 2e-5));
      CHECK_THAT(t.queue_length[i], WithinAbs(u.queue_length[i], 1e-3));
    }
  }
  CHECK_THROWS_WITH(with_span(-1.0), Catch::Contains("cut_uniformization_span"));
  CHECK_THROWS_AS(with_span(std::numeric_limits<double>::infinity()), wfm::InvalidArgument);
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

TEST_CASE("SIPP misses the goal: long handle times, a sharp peak, a staffing drop",
          "[queueing][time_varying]") {
  // Worst per-interval SL (80 % within 20 s, answered_within) of each method's staffing, by
  // the exact evaluator; the numbers are in bench/RESULTS.md (issue 12: time-varying load).
  for (const auto& c : {tv_cases::long_handle_time(), tv_cases::sharp_peak(),
                        tv_cases::staffing_drop()}) {
    const auto sipp = staff_and_evaluate(c, StaffingMethod::sipp);
    const auto lag = staff_and_evaluate(c, StaffingMethod::lagged_sipp);
    const auto mol = staff_and_evaluate(c, StaffingMethod::mol);
    INFO(c.name << ": worst SL sipp " << worst(sipp.exact.service_level) << ", lagged "
                << worst(lag.exact.service_level) << ", mol " << worst(mol.exact.service_level));
    CHECK(worst(sipp.exact.service_level) < *c.goal.service_level - 0.03);
    if (std::string(c.name) == "sharp_peak") {
      // SIPP staffs the peak itself well (the queue is still building: SL 0.96) and misses
      // the interval after it, where the 33 staying agents all hold calls of the peak; lagged
      // SIPP and MOL, following a load that lags, under-staff the peak itself.
      const auto& s = sipp.exact.service_level;
      CHECK(std::min_element(s.begin(), s.end()) - s.begin() == 6);
      CHECK(worst(lag.exact.service_level) < *c.goal.service_level - 0.1);
      CHECK(worst(mol.exact.service_level) < *c.goal.service_level - 0.1);
    } else {
      CHECK(worst(mol.exact.service_level) > worst(sipp.exact.service_level) + 0.1);
    }
  }
}

namespace {

/// A case simulated under per-interval staffing (seed 12) with a warm-up of 4 hours at
/// interval 0's rate and staffing (= InitialState::stationary), exponential handle times and
/// patience, SL answered within the goal's time and P(wait) = 1 - P(virtual wait <= 0).
struct Simulated {
  wfm::simulation::SimulationResult r;
  std::size_t sl = 0, no_wait = 0;
};

Simulated simulate_case(const tv_cases::Case& c, const std::vector<double>& agents,
                        int replications) {
  auto [s, o] = tv_cases::simulation_of(c, agents, replications, 12);
  o.target_times = {0.0, c.goal.target_time};
  o.definitions = {ServiceLevelDefinition::answered_within,
                   ServiceLevelDefinition::virtual_wait_within};
  Simulated out{simulate(s, o), 0, 0};
  const int sl = out.r.service_level_index(ServiceLevelDefinition::answered_within,
                                           c.goal.target_time);
  const int no_wait = out.r.service_level_index(ServiceLevelDefinition::virtual_wait_within, 0.0);
  REQUIRE(sl >= 0);
  REQUIRE(no_wait >= 0);
  out.sl = static_cast<std::size_t>(sl);
  out.no_wait = static_cast<std::size_t>(no_wait);
  return out;
}

/// The exact SL, P(wait) and P(abandon) of interval i lie within the simulation's 99.9 %
/// confidence interval (1.68 x the 95 % half-width).
void check_agreement(const TimeVaryingEvaluation& exact, const Simulated& sim, std::size_t i) {
  constexpr double z = 1.68;
  const auto& m = sim.r.intervals[i];
  const auto& slm = m.service_level[sim.sl];
  const auto& nw = m.service_level[sim.no_wait];
  INFO("interval " << i << ": exact SL " << exact.service_level[i] << " sim " << slm.value
                   << " +- " << slm.half_width << "; exact P(wait) " << exact.wait_probability[i]
                   << " sim " << 1.0 - nw.value << " +- " << nw.half_width
                   << "; exact P(abandon) " << exact.abandon_rate[i] << " sim "
                   << m.abandon_rate.value << " +- " << m.abandon_rate.half_width);
  CHECK(std::abs(exact.service_level[i] - slm.value) <= z * slm.half_width);
  CHECK(std::abs(exact.wait_probability[i] - (1.0 - nw.value)) <= z * nw.half_width);
  CHECK(std::abs(exact.abandon_rate[i] - m.abandon_rate.value) <= z * m.abandon_rate.half_width);
}

}  // namespace

TEST_CASE("staffing cut: the leaving agents' calls leave the chain (hand-checkable)",
          "[queueing][time_varying]") {
  // 3 -> 1 agents: k <= 1 stays, 1 < k <= 3 -> 1 (the staying agent busy), k > 3 -> k - 2
  CHECK(staff_cut_state(0, 3, 1) == 0);
  CHECK(staff_cut_state(1, 3, 1) == 1);
  CHECK(staff_cut_state(2, 3, 1) == 1);
  CHECK(staff_cut_state(3, 3, 1) == 1);
  CHECK(staff_cut_state(5, 3, 1) == 3);
  CHECK(staff_cut_state(5, 1, 3) == 5);  // a rise changes nothing
  std::vector<double> p = {0.1, 0.2, 0.3, 0.25, 0.15};
  apply_staff_cut(p, 3, 1);
  CHECK(p == std::vector<double>{0.1, 0.2 + 0.3 + 0.25, 0.15, 0.0, 0.0});
  // End to end: Erlang C at 2 Erl on 3 agents in steady state, by the balance equations
  // p_k = p_0 a^k / k! (k <= 3), p_k = p_3 (a / 3)^(k - 3): p_0, p_1, p_2 = 1/9, 2/9, 2/9,
  // p_k = (4/27) (2/3)^(k - 3) (sum 1/9 + 2/9 + 2/9 + (4/27) * 3 = 1). Then 1 agent for 1 s with
  // AHT 1e12 s (arrivals 2e-12 /s): nothing moves within that second (every rate ~1e-12 /s),
  // so interval 1 sees the remapped distribution: the queue keeps its length
  // sum_{k>3} (k - 3) p_k = (4/27) (2/3) / (1/3)^2 = 8/9, P(k' = 1) = 2/9 + 2/9 + 4/27 =
  // 16/27 and P(wait) = occupancy = 1 - p_0 = 8/9. The chain without the remap (contacts
  // beyond the new staffing back in the queue) would give a queue of E[(k - 1)^+] = 2.
  const std::vector<double> rates = {2e-12, 2e-12}, agents = {3.0, 1.0};
  for (auto integrator : {TransientIntegrator::tr_bdf2, TransientIntegrator::uniformization}) {
    const auto e = evaluate_staffing(rates, 1.0, 1e12, std::numeric_limits<double>::infinity(),
                                     agents, StaffingGoal{}, {.integrator = integrator});
    REQUIRE(e.overall == wfm::Status::ok);
    CHECK_THAT(e.wait_probability[0], WithinAbs(4.0 / 9.0, 1e-9));  // Erlang C C(3, 2)
    CHECK_THAT(e.queue_length[1], WithinAbs(8.0 / 9.0, 1e-9));
    CHECK_THAT(e.wait_probability[1], WithinAbs(8.0 / 9.0, 1e-9));
    CHECK_THAT(e.occupancy[1], WithinAbs(8.0 / 9.0, 1e-9));
    REQUIRE(e.final_distribution.size() > 2);
    CHECK_THAT(e.final_distribution[0], WithinAbs(1.0 / 9.0, 1e-9));
    CHECK_THAT(e.final_distribution[1], WithinAbs(16.0 / 27.0, 1e-9));
    CHECK_THAT(e.final_distribution[2], WithinAbs(4.0 / 27.0 * 2.0 / 3.0, 1e-9));
  }
}

TEST_CASE("evaluator agrees with the simulator; SIPP's stationary prediction does not",
          "[queueing][time_varying][simulation]") {
  // The sharp peak under SIPP staffing: 33 agents, 91 at the peak (interval 5: a rise), 33
  // again (interval 6: a cut). Under the end-of-shift rule the evaluator is exact, callers
  // still queued at a boundary included (they meet the later staffing).
  const auto c = tv_cases::sharp_peak();
  const auto plan = staff_time_varying(c.rates, c.interval_length, c.aht, c.patience, c.goal,
                                       StaffingMethod::sipp);
  REQUIRE(plan.plan.agents_required[5] > plan.plan.agents_required[4]);
  REQUIRE(plan.plan.agents_required[6] < plan.plan.agents_required[5]);
  const auto exact = evaluate_staffing(c.rates, c.interval_length, c.aht, c.patience,
                                       plan.plan.agents_required, c.goal);
  const Simulated sim = simulate_case(c, plan.plan.agents_required, 400);
  for (std::size_t i = 3; i < 10; ++i) check_agreement(exact, sim, i);
  // SIPP's own stationary prediction at the peak and after the cut is outside the interval
  for (const std::size_t i : {std::size_t{5}, std::size_t{6}}) {
    const auto& m = sim.r.intervals[i].service_level[sim.sl];
    INFO("interval " << i << ": SIPP predicts " << plan.plan.service_level[i] << ", simulated "
                     << m.value << " +- " << m.half_width);
    CHECK(std::abs(plan.plan.service_level[i] - m.value) > 1.68 * m.half_width);
  }
}

TEST_CASE("evaluator agrees with the simulator across staffing cuts and a rise",
          "[queueing][time_varying][simulation]") {
  // Volume 0.3 -> 0.1 calls/s (SIPP cuts 271 -> 94 agents while 15-min calls are in
  // progress), the same day backwards (94 -> 271), and the long-AHT ramp (SIPP cuts staff in
  // every interval of its falling side, 366 -> 62), 2,000 replications. Checked where the
  // exact P(wait) is at least 0.05: with fewer waiting calls per replication the counts come
  // in bursts (one long busy period), the sample variance understates them and the normal
  // interval under-covers (measured: interval 7 of the rise, P(wait) 0.012, P(abandon)
  // 0.0007 exact vs 0.0005 +- 0.0001 at seed 12, 0.0006 and 0.0007 +- 0.0001 with 4,000
  // replications at seeds 5 and 6). Under SIPP the staffing moves with the volume, so few
  // callers are still waiting at a boundary (a long queue at a rise: the test below).
  for (const auto& c : {tv_cases::staffing_drop(), tv_cases::staffing_rise(),
                        tv_cases::long_handle_time()}) {
    const auto plan = staff_time_varying(c.rates, c.interval_length, c.aht, c.patience, c.goal,
                                         StaffingMethod::sipp);
    const auto exact = evaluate_staffing(c.rates, c.interval_length, c.aht, c.patience,
                                         plan.plan.agents_required, c.goal);
    const Simulated sim = simulate_case(c, plan.plan.agents_required, 2000);
    INFO(c.name << ": agents " << plan.plan.agents_required[5] << " -> "
                << plan.plan.agents_required[6]);
    int checked = 0;
    for (std::size_t i = 3; i < c.rates.size(); ++i) {
      if (exact.wait_probability[i] < 0.05) continue;
      check_agreement(exact, sim, i);
      ++checked;
    }
    CHECK(checked >= 7);  // drop and rise: every interval but the one or two after the rise
  }
}

TEST_CASE("evaluator agrees with the simulator when the queue at a boundary meets a rise",
          "[queueing][time_varying][simulation]") {
  // The rise 0.1 -> 0.3 calls/s staffed by lagged SIPP: interval 6 has 94 agents at 0.3 /s
  // (overloaded), interval 7 has 271. Most of interval 6's callers are still waiting at its
  // end and are answered by interval 7's agents. Holding interval 6's staffing for them (the
  // evaluator before this test) gave P(abandon) 0.514 and SL 0.051 against 0.426 +- 0.003 and
  // 0.070 +- 0.003 simulated (bench/RESULTS.md, issue 12, boundary); the exact evaluator now
  // agrees in every interval from 3 on, and in interval 6 by much more than the old error.
  const auto c = tv_cases::staffing_rise();
  const auto plan = staff_time_varying(c.rates, c.interval_length, c.aht, c.patience, c.goal,
                                       StaffingMethod::lagged_sipp);
  const auto& agents = plan.plan.agents_required;
  REQUIRE(agents[6] < agents[7]);
  const auto exact = evaluate_staffing(c.rates, c.interval_length, c.aht, c.patience, agents,
                                       c.goal);
  REQUIRE(exact.overall == wfm::Status::ok);
  REQUIRE(exact.queue_length[6] > 20.0);  // the case: a long queue at the boundary
  const Simulated sim = simulate_case(c, agents, 400);
  for (std::size_t i = 3; i < c.rates.size(); ++i) {
    if (exact.wait_probability[i] < 0.05) continue;  // see the test above
    check_agreement(exact, sim, i);
  }
  CHECK_THAT(exact.abandon_rate[6], WithinAbs(sim.r.intervals[6].abandon_rate.value, 0.01));
  CHECK_THAT(exact.service_level[6],
             WithinAbs(sim.r.intervals[6].service_level[sim.sl].value, 0.01));
}

TEST_CASE("evaluator: callers waiting at a boundary meet the later staffing (identities)",
          "[queueing][time_varying]") {
  // Start empty, one busy interval of n = 3 agents at 6 Erl (AHT 300 s), then so many agents
  // that every caller still waiting at the boundary is answered there. Two identities hold
  // exactly, for either integrator:
  //  - Erlang A: no caller of interval 0 abandons after it, so its abandonment share is the
  //    abandonments inside it over its arrivals, theta L Qbar / (lambda L) = theta Qbar / lambda
  //    (Qbar = its time-average queue; flow balance);
  //  - Erlang C, target T = L / 2: the arrivals of the second half are all answered within T
  //    (at the latest at the boundary), those of the first half meet their target within it,
  //    under the same staffing as a run of two intervals of length T with 3 agents in both:
  //    SL(L) = (SL(first T) + 1) / 2.
  // The per-interval formulas with interval 0's staffing held for its waiting callers break
  // both (they let them abandon, or wait, after the boundary).
  const double L = 600.0, aht = 300.0, lambda = 6.0 / aht, big = 200.0;
  const StaffingGoal goal{.service_level = 0.8, .target_time = L / 2};
  for (const auto integrator : {TransientIntegrator::uniformization, TransientIntegrator::tr_bdf2}) {
    const EvaluationOptions o{.initial = InitialState::empty, .integrator = integrator};
    const double tol = integrator == TransientIntegrator::uniformization ? 1e-9 : 2e-5;
    INFO("integrator " << static_cast<int>(integrator));
    const double patience = 200.0;
    const auto a = evaluate_staffing(std::vector<double>{lambda, 0.0}, L, aht, patience,
                                     std::vector<double>{3.0, big}, goal, o);
    REQUIRE(a.overall == wfm::Status::ok);
    REQUIRE(a.queue_length[0] > 0.5);
    CHECK_THAT(a.abandon_rate[0], WithinAbs(a.queue_length[0] / patience / lambda, tol));
    const double inf = std::numeric_limits<double>::infinity();
    const auto whole = evaluate_staffing(std::vector<double>{lambda, 0.0}, L, aht, inf,
                                         std::vector<double>{3.0, big}, goal, o);
    const auto halves = evaluate_staffing(std::vector<double>{lambda, lambda, 0.0}, L / 2, aht,
                                          inf, std::vector<double>{3.0, 3.0, big}, goal, o);
    REQUIRE(whole.overall == wfm::Status::ok);
    REQUIRE(halves.overall == wfm::Status::ok);
    REQUIRE(halves.service_level[0] < 0.9);
    CHECK_THAT(whole.service_level[0], WithinAbs(0.5 * (halves.service_level[0] + 1.0), tol));
  }
}

TEST_CASE("evaluator: TR-BDF2 agrees with uniformization on callers waiting at a boundary",
          "[queueing][time_varying]") {
  // lagged SIPP on the rise (a long queue meets a rise) and MOL on the sharp peak (queues at
  // both a rise and a cut): the tail samples of TR-BDF2 (cubic Hermite on its steps) against
  // uniformization's exact pieces
  for (const auto& [c, m] : {std::pair{tv_cases::staffing_rise(), StaffingMethod::lagged_sipp},
                             std::pair{tv_cases::sharp_peak(), StaffingMethod::mol}}) {
    const auto plan = staff_time_varying(c.rates, c.interval_length, c.aht, c.patience, c.goal, m);
    const auto& agents = plan.plan.agents_required;
    const auto u = evaluate_staffing(c.rates, c.interval_length, c.aht, c.patience, agents,
                                     c.goal, {.integrator = TransientIntegrator::uniformization});
    const auto t = evaluate_staffing(c.rates, c.interval_length, c.aht, c.patience, agents, c.goal);
    REQUIRE(u.overall == wfm::Status::ok);
    REQUIRE(t.overall == wfm::Status::ok);
    for (std::size_t i = 0; i < c.rates.size(); ++i) {
      INFO(c.name << " interval " << i);
      CHECK_THAT(t.service_level[i], WithinAbs(u.service_level[i], 2e-5));
      CHECK_THAT(t.abandon_rate[i], WithinAbs(u.abandon_rate[i], 2e-5));
    }
  }
}
