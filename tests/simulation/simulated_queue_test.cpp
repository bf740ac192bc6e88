// SimulatedQueue: the ErlangC/ErlangA-style query interface over the simulator.
#include <wfm/queueing/definitions.hpp>
// (keep: definitions.hpp before the other queueing headers, see validation_test.cpp)
#include <wfm/queueing/erlang_a.hpp>
#include <wfm/queueing/erlang_c.hpp>
#include <wfm/simulation/simulated_queue.hpp>

#include "support/catch.hpp"

using namespace wfm::simulation;
using D = wfm::queueing::ServiceLevelDefinition;

TEST_CASE("SimulatedQueue answers like ErlangC and finds the same staffing",
          "[simulation][simulated_queue]") {
  const double lambda = 100.0 / 1800.0, handle = 240.0;
  SimulatedQueueOptions opt;
  opt.horizon = 200000.0;  // ~11,000 calls per replication
  opt.replications = 8;
  opt.threads = 2;
  const SimulatedQueue sim(lambda, Distribution::exponential(handle), Distribution::none(), opt);
  const wfm::queueing::ErlangC erlang(lambda, handle);
  for (int n : {15, 16, 18}) {
    const auto r = sim.evaluate(n, {20.0});
    const auto& sl = r.total.service_level[0];
    INFO("n = " << n << ": " << sl.value << " +- " << sl.half_width << " vs "
                << erlang.service_level(n, 20.0));
    // Within 2 half-widths (p ~ 1e-4 for a random seed) and a meaningful half-width.
    CHECK(std::abs(sl.value - erlang.service_level(n, 20.0)) <= 2.0 * sl.half_width);
    CHECK(sl.half_width < 0.04);
    CHECK(sim.service_level(n, 20.0) == sl.value);  // the same seed: the same number
  }
  // The smallest n with SL(20 s) >= 0.8: simulation (CRN makes it monotone) vs Erlang C.
  auto smallest = [](auto&& sl) {
    int n = 14;
    while (sl(n) < 0.8) ++n;
    return n;
  };
  const int n_sim = smallest([&](int n) { return sim.service_level(n, 20.0); });
  const int n_erl = smallest([&](int n) { return erlang.service_level(n, 20.0); });
  CHECK(std::abs(n_sim - n_erl) <= 1);
  CHECK(sim.occupancy(n_erl) == Approx(erlang.occupancy(n_erl)).margin(0.02));
}

TEST_CASE("SimulatedQueue with patience answers like ErlangA; bad input throws",
          "[simulation][simulated_queue]") {
  const double lambda = 0.2, handle = 60.0, patience = 90.0;
  SimulatedQueueOptions opt;
  opt.horizon = 50000.0;
  opt.replications = 8;
  const SimulatedQueue sim(lambda, Distribution::exponential(handle),
                           Distribution::exponential(patience), opt);
  const wfm::queueing::ErlangA erlang(lambda, handle, patience);
  const auto r = sim.evaluate(12, {20.0});
  const auto& ab = r.total.abandon_rate;
  CHECK(std::abs(ab.value - erlang.abandon_probability(12)) <= 2.0 * ab.half_width);
  CHECK(sim.abandon_probability(12) == ab.value);
  CHECK(sim.average_speed_of_answer(12, wfm::queueing::AsaOver::all) == r.total.asa_s.value);
  CHECK_THROWS_AS(sim.evaluate(2.5), wfm::InvalidArgument);
  CHECK_THROWS_AS(sim.evaluate(-1.0), wfm::InvalidArgument);
  CHECK_THROWS_AS(SimulatedQueue(-1.0, Distribution::exponential(1.0)), wfm::InvalidArgument);
  SimulatedQueueOptions bad;
  bad.replications = 0;
  CHECK_THROWS_AS(SimulatedQueue(1.0, Distribution::exponential(1.0), Distribution::none(), bad),
                  wfm::InvalidArgument);
}
