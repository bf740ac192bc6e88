// Statistical validation against exact stationary queueing results.
//
// Every check has the form |simulated - exact| <= 2 * half_width, where half_width is the 95 %
// half-width (about 1.96 standard errors): for a correct simulator and a random seed such a
// check fails with probability about 1e-4 (a 4-sigma deviation). The seeds are fixed, so the
// outcome is reproducible. Each check also bounds the half-width, so a check cannot pass by
// having a huge interval.
#include <wfm/simulation/simulator.hpp>

#include <cmath>

#include "simulation/reference.hpp"
#include "support/catch.hpp"

using namespace wfm::simulation;
using wfm::simulation::test::ErlangARef;
using wfm::simulation::test::ErlangCRef;
using D = wfm::queueing::ServiceLevelDefinition;

namespace {

#define CHECK_AGREES(est, exact, max_hw)                                      \
  do {                                                                        \
    INFO(#est << " = " << (est).value << " +- " << (est).half_width           \
              << ", exact " << (exact));                                      \
    CHECK(std::abs((est).value - (exact)) <= 2.0 * (est).half_width);         \
    CHECK((est).half_width <= (max_hw));                                      \
  } while (false)

Scenario stationary(double lambda, double handle, int n, double horizon, Distribution patience) {
  Scenario s;
  s.interval_length = horizon;
  s.arrival_rate = {lambda};
  s.handle_time = Distribution::exponential(handle);
  s.patience = std::move(patience);
  s.staffing = std::vector<int>{n};
  return s;
}

}  // namespace

TEST_CASE("stationary M/M/n agrees with Erlang C", "[simulation][validation]") {
  struct Case {
    double handle;
    int n;
    double rho;
  };
  // Loads from a small team to a large centre (1,000 agents at 95 % utilisation).
  const Case cases[] = {{180.0, 5, 0.7}, {300.0, 20, 0.85}, {240.0, 100, 0.93},
                        {300.0, 1000, 0.97}};
  for (const Case& c : cases) {
    const double lambda = c.rho * c.n / c.handle;
    const ErlangCRef ref{lambda, c.handle, c.n};
    // About 60,000 calls per replication for the small cases, 400,000 in total for the large.
    const double horizon = c.n >= 1000 ? 100.0 * c.handle : 100000.0 / lambda;
    RunOptions o;
    o.replications = c.n >= 1000 ? 20 : 8;
    o.seed = 2026;
    o.threads = 2;
    o.warmup = 20.0 * c.handle;
    // 60 s is checked for the small teams only: for the large centre P(W > 60 s) = 6e-4 is a
    // rare event that a replication of a few hundred handle times may not visit at all.
    o.target_times = c.n >= 1000 ? std::vector<double>{0.0, 20.0} : std::vector<double>{20.0, 60.0};
    const auto r = simulate(stationary(lambda, c.handle, c.n, horizon, Distribution::none()), o);
    INFO("n = " << c.n << ", rho = " << c.rho);
    const auto& m = r.total;
    for (double t : o.target_times)
      CHECK_AGREES(m.service_level[static_cast<std::size_t>(r.service_level_index(D::answered_within, t))],
                   ref.service_level(t), 0.03);
    CHECK_AGREES(m.asa_all, ref.asa(), 0.1 * ref.asa() + 0.5);
    CHECK_AGREES(m.occupancy, ref.occupancy(), 0.01);
    CHECK(m.abandoned.value == 0.0);
  }
}

TEST_CASE("stationary M/M/n+M agrees with Erlang A", "[simulation][validation]") {
  struct Case {
    double handle, patience;
    int n;
    double rho;
  };
  // Including an overloaded queue (rho > 1 is stable with abandonment) and a large centre.
  const Case cases[] = {{180.0, 120.0, 10, 0.9},
                        {300.0, 600.0, 50, 1.05},
                        {240.0, 60.0, 1000, 0.98}};
  for (const Case& c : cases) {
    const double lambda = c.rho * c.n / c.handle;
    const ErlangARef ref(lambda, c.handle, c.patience, c.n);
    const double horizon = c.n >= 1000 ? 100.0 * c.handle : 100000.0 / lambda;
    RunOptions o;
    o.replications = c.n >= 1000 ? 20 : 8;
    o.seed = 7;
    o.threads = 2;
    o.warmup = 20.0 * c.handle;
    const auto r = simulate(
        stationary(lambda, c.handle, c.n, horizon, Distribution::exponential(c.patience)), o);
    INFO("n = " << c.n << ", rho = " << c.rho);
    const auto& m = r.total;
    CHECK_AGREES(m.abandonment_rate, ref.abandon_probability(), 0.01);
    // The four service-level definitions (queueing/definitions.hpp) from the same chain.
    const double t = 20.0;
    const double virt = ref.reach_agent_within(t, false);
    const double answered = ref.reach_agent_within(t, true);
    const double expected[] = {
        answered,                                          // answered_within
        1.0 - std::exp(-t / c.patience) * (1.0 - virt),    // wait_within: min(V, P) <= t
        virt,                                              // virtual_wait_within
        answered / (1.0 - ref.abandon_probability())};     // answered_given_answered
    const D defs[] = {D::answered_within, D::wait_within, D::virtual_wait_within,
                      D::answered_given_answered};
    for (int d = 0; d < 4; ++d) {
      INFO(wfm::queueing::to_string(defs[d]));
      CHECK_AGREES(m.service_level[static_cast<std::size_t>(r.service_level_index(defs[d], t))],
                   expected[d], 0.03);
    }
    CHECK_AGREES(m.asa_all, ref.asa_all(), 0.1 * ref.asa_all() + 0.5);
    CHECK_AGREES(m.occupancy, ref.occupancy(), 0.01);
  }
}
