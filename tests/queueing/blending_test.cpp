#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include <wfm/core/error.hpp>
#include <wfm/queueing/blending.hpp>
#include <wfm/queueing/erlang_a.hpp>
#include <wfm/queueing/erlang_c.hpp>
#include <wfm/queueing/staffing.hpp>

#include "support/catch.hpp"

using namespace wfm::queueing;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {
constexpr double inf = std::numeric_limits<double>::infinity();
constexpr ServiceLevelDefinition all_definitions[] = {
    ServiceLevelDefinition::answered_within, ServiceLevelDefinition::wait_within,
    ServiceLevelDefinition::virtual_wait_within, ServiceLevelDefinition::answered_given_answered};

/// The blending chain built independently of the model, straight from the policy's words on
/// (x inbound in system, y outbound in service), including the transient states with more
/// than s idle agents, x cut at x_max; solved by dense Gaussian elimination (partial
/// pivoting) of pi Q = 0 with one equation replaced by sum pi = 1.
struct DenseBlending {
  int n, s, x_max;
  double lambda, mu_in, mu_out, theta;
  std::vector<double> pi;  // [x * (n + 1) + y]

  [[nodiscard]] int index(int x, int y) const { return x * (n + 1) + y; }
  [[nodiscard]] double at(int x, int y) const { return pi[static_cast<std::size_t>(index(x, y))]; }

  void solve() {
    const int size = (x_max + 1) * (n + 1);
    std::vector<std::vector<double>> q(static_cast<std::size_t>(size),
                                       std::vector<double>(static_cast<std::size_t>(size), 0.0));
    auto add = [&](int from, int to, double rate) {
      if (from == to || rate == 0.0) return;
      q[static_cast<std::size_t>(from)][static_cast<std::size_t>(to)] += rate;
      q[static_cast<std::size_t>(from)][static_cast<std::size_t>(from)] -= rate;
    };
    for (int x = 0; x <= x_max; ++x) {
      for (int y = 0; y <= n; ++y) {
        const int from = index(x, y);
        if (x < x_max) add(from, index(x + 1, y), lambda);
        const int serving = std::min(x, n - y);
        // an inbound completion: x - 1 with y agents on outbound and the freed agent
        if (serving > 0) {  // no call waiting and > s idle with the freed agent: outbound
          const bool queue = x > n - y;
          add(from, !queue && n - (x - 1) - y > s ? index(x - 1, y + 1) : index(x - 1, y),
              mu_in * serving);
        }
        // an outbound completion: y - 1, then the freed agent (it counts x as is)
        if (y > 0) {
          const int y1 = y - 1;
          const int queue = std::max(0, x - (n - y));
          int to = index(x, y1);
          if (queue == 0 && n - x - y1 > s) to = index(x, y);  // restarts outbound
          add(from, to, mu_out * y);
        }
        const int waiting = std::max(0, x - (n - y));
        if (waiting > 0) add(from, index(x - 1, y), theta * waiting);
      }
    }
    // pi Q = 0: solve Q^T pi = 0 with the last equation replaced by normalisation.
    std::vector<std::vector<double>> a(static_cast<std::size_t>(size),
                                       std::vector<double>(static_cast<std::size_t>(size) + 1, 0.0));
    for (int i = 0; i < size; ++i)
      for (int j = 0; j < size; ++j)
        a[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] =
            q[static_cast<std::size_t>(j)][static_cast<std::size_t>(i)];
    for (int j = 0; j <= size; ++j) a[static_cast<std::size_t>(size - 1)][static_cast<std::size_t>(j)] = 1.0;
    for (int c = 0; c < size; ++c) {
      std::size_t best = static_cast<std::size_t>(c);
      for (int r = c + 1; r < size; ++r)
        if (std::fabs(a[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)]) >
            std::fabs(a[best][static_cast<std::size_t>(c)]))
          best = static_cast<std::size_t>(r);
      std::swap(a[best], a[static_cast<std::size_t>(c)]);
      const auto cc = static_cast<std::size_t>(c);
      for (int r = 0; r < size; ++r) {
        const auto rr = static_cast<std::size_t>(r);
        if (rr == cc || a[rr][cc] == 0.0) continue;
        const double f = a[rr][cc] / a[cc][cc];
        for (std::size_t j = cc; j <= static_cast<std::size_t>(size); ++j) a[rr][j] -= f * a[cc][j];
      }
    }
    pi.resize(static_cast<std::size_t>(size));
    for (int i = 0; i < size; ++i)
      pi[static_cast<std::size_t>(i)] =
          a[static_cast<std::size_t>(i)][static_cast<std::size_t>(size)] /
          a[static_cast<std::size_t>(i)][static_cast<std::size_t>(i)];
  }

  [[nodiscard]] double wait_probability() const {  // arrivals at x_max are not admitted
    double p = 0.0;
    for (int x = 0; x < x_max; ++x)
      for (int y = 0; y <= n; ++y)
        if (x >= n - y) p += at(x, y);
    return p;
  }
  [[nodiscard]] double mean(int what) const {  // 0: queue, 1: outbound, 2: idle
    double m = 0.0;
    for (int x = 0; x <= x_max; ++x)
      for (int y = 0; y <= n; ++y) {
        const double v = what == 0 ? std::max(0, x - (n - y))
                         : what == 1 ? y
                                     : std::max(0, n - x - y);
        m += v * at(x, y);
      }
    return m;
  }
};

DenseBlending dense(int n, int s, double lambda, double aht, double outbound_aht, double patience,
                    int x_max) {
  DenseBlending d{n, s, x_max, lambda, 1.0 / aht, 1.0 / outbound_aht,
                  std::isinf(patience) ? 0.0 : 1.0 / patience, {}};
  d.solve();
  return d;
}
}  // namespace

TEST_CASE("Blending: reserve = agents is Erlang C / Erlang A to 1e-12", "[queueing][blending]") {
  const double lambda = 40.0 / 900.0, aht = 180.0;
  for (double outbound_aht : {180.0, 600.0}) {
    for (int n : {9, 10, 14, 30}) {
      const Blending b(lambda, aht, outbound_aht, inf, n);
      const ErlangC c(lambda, aht);
      const BlendingMetrics m = b.metrics(n, 20.0);
      CHECK_THAT(m.wait_probability, WithinRel(c.wait_probability(n), 1e-12));
      CHECK_THAT(m.service_level, WithinRel(c.service_level(n, 20.0), 1e-12));
      CHECK_THAT(m.asa_s, WithinRel(c.average_speed_of_answer(n), 1e-12));
      CHECK_THAT(m.occupancy, WithinRel(c.occupancy(n), 1e-12));
      CHECK(m.outbound_throughput == 0.0);
      const Blending ba(lambda, aht, outbound_aht, 120.0, n + 3);  // reserve > n: s = n
      const ErlangA a(lambda, aht, 120.0);
      for (ServiceLevelDefinition d : all_definitions)
        CHECK_THAT(ba.service_level(n, 20.0, d), WithinRel(a.service_level(n, 20.0, d), 1e-12));
      CHECK_THAT(ba.wait_probability(n), WithinRel(a.wait_probability(n), 1e-12));
      CHECK_THAT(ba.abandon_probability(n), WithinRel(a.abandon_probability(n), 1e-12));
      CHECK_THAT(ba.average_speed_of_answer(n, AsaOver::answered),
                 WithinRel(a.average_speed_of_answer(n, AsaOver::answered), 1e-9));
    }
  }
}

// Hand-solved: one agent, reserve 0, no patience. The agent is never idle (when free with no
// call waiting it starts outbound), so every call waits: P(wait) = 1. Little on the inbound
// work: the agent is on inbound a share lambda / mu_in of the time, so the outbound
// throughput is mu_out (1 - lambda / mu_in).
TEST_CASE("Blending: one agent with reserve 0 by hand", "[queueing][blending]") {
  const double lambda = 1.0 / 600.0, aht = 200.0;
  for (double outbound_aht : {200.0, 450.0}) {
    const Blending b(lambda, aht, outbound_aht, inf, 0);
    const BlendingMetrics m = b.metrics(1, 30.0);
    CHECK_THAT(m.wait_probability, WithinAbs(1.0, 1e-12));
    CHECK_THAT(m.outbound_throughput, WithinRel((1.0 - lambda * aht) / outbound_aht, 1e-10));
    CHECK_THAT(m.occupancy, WithinAbs(1.0, 1e-12));
  }
}

TEST_CASE("Blending: the chain agrees with the dense CTMC built from the policy",
          "[queueing][blending]") {
  struct Case {
    int n, s;
    double lambda, aht, outbound_aht, patience;
  };
  for (const Case& c : {Case{1, 0, 1.0 / 300.0, 200.0, 500.0, inf},
                        Case{2, 1, 1.0 / 150.0, 200.0, 500.0, inf},
                        Case{2, 0, 1.0 / 150.0, 200.0, 80.0, 100.0},
                        Case{4, 1, 1.0 / 60.0, 180.0, 400.0, 60.0},
                        Case{4, 2, 1.0 / 60.0, 180.0, 180.0, 60.0},
                        Case{5, 0, 1.0 / 50.0, 180.0, 90.0, inf}}) {
    INFO("n = " << c.n << ", s = " << c.s << ", outbound_aht = " << c.outbound_aht);
    const DenseBlending d = dense(c.n, c.s, c.lambda, c.aht, c.outbound_aht, c.patience, 120);
    const Blending b(c.lambda, c.aht, c.outbound_aht, c.patience, c.s);
    const BlendingMetrics m = b.metrics(c.n, 20.0);
    REQUIRE(m.status == wfm::Status::ok);
    CHECK_THAT(m.wait_probability, WithinRel(d.wait_probability(), 1e-9));
    CHECK_THAT(m.queue_length, WithinRel(d.mean(0), 1e-9));
    CHECK_THAT(m.outbound_throughput, WithinRel(d.mean(1) / c.outbound_aht, 1e-9));
    CHECK_THAT(m.occupancy, WithinRel(1.0 - d.mean(2) / c.n, 1e-9));
  }
}

// The level method (mu_in != mu_out) and the 1-D chain (mu_in = mu_out) are different code:
// a handle time 1e-9 apart must give the same metrics, service level (uniformization vs the
// Erlang waiting law) and ASA over answered calls (first-step recursion vs beta sums) included.
TEST_CASE("Blending: the level method meets the 1-D chain as the handle times meet",
          "[queueing][blending]") {
  const double lambda = 100.0 / 900.0, aht = 240.0;
  for (double patience : {inf, 90.0}) {
    for (int s : {0, 2, 5}) {
      const Blending equal(lambda, aht, aht, patience, s);
      const Blending near(lambda, aht, aht * (1.0 + 1e-9), patience, s);
      for (ServiceLevelDefinition d : all_definitions) {
        INFO("patience " << patience << " s " << s << " definition " << to_string(d));
        const BlendingMetrics a = equal.metrics(32, 20.0, d, AsaOver::answered);
        const BlendingMetrics c = near.metrics(32, 20.0, d, AsaOver::answered);
        CHECK_THAT(c.service_level, WithinRel(a.service_level, 1e-7));
        CHECK_THAT(c.wait_probability, WithinRel(a.wait_probability, 1e-7));
        CHECK_THAT(c.asa_s, WithinRel(a.asa_s, 1e-7));
        CHECK_THAT(c.outbound_throughput, WithinRel(a.outbound_throughput, 1e-6));
      }
    }
  }
}

// The uniformization visits only the levels of each row that can hold mass, after dropping
// starting entries below uniformization_tolerance x P(wait) / entries: against a run that
// drops nothing (tolerance 1e-300: eps underflows to 0, every row's band spans every level
// holding mass; Poisson weights to 1e-300) the service level agrees to that bound and rounding.
TEST_CASE("Blending: the banded uniformization matches the full one (unequal handle times)",
          "[queueing][blending]") {
  BlendingPolicy full;
  full.uniformization_tolerance = 1e-300;
  for (double patience : {inf, 120.0}) {
    for (ServiceLevelDefinition d : all_definitions) {
      INFO("patience " << patience << " definition " << to_string(d));
      const Blending banded(0.9 * 60.0 / 240.0, 240.0, 600.0, patience, 2);
      const Blending reference(0.9 * 60.0 / 240.0, 240.0, 600.0, patience, 2, full);
      const BlendingMetrics a = banded.metrics(60, 20.0, d), b = reference.metrics(60, 20.0, d);
      REQUIRE(a.status == wfm::Status::ok);
      REQUIRE(b.status == wfm::Status::ok);
      CHECK_THAT(a.service_level, WithinRel(b.service_level, 1e-13));
    }
  }
}

// The service level by the pruned, in-place uniformization (rows that cannot be answered
// within t dropped by a Poisson bound, rows beyond the steps left not updated) against the
// previous full banded uniformization kept as BlendingPolicy::full_uniformization: both are
// the same series (Tijms 2003, section 4.5) truncated at 1e-15 x P(wait), so they agree to
// that and rounding; with and without patience, every definition, small and large pools,
// short and long targets, outbound slower and faster than inbound.
TEST_CASE("Blending: the pruned uniformization matches the full one (unequal handle times)",
          "[queueing][blending]") {
  BlendingPolicy full;
  full.full_uniformization = true;
  struct Case {
    int n, s;
    double load, outbound_aht, patience, target;
  };
  for (const Case& c : {Case{12, 1, 0.8, 600.0, inf, 20.0}, Case{12, 0, 0.9, 100.0, 60.0, 30.0},
                        Case{60, 2, 0.9, 600.0, 120.0, 20.0}, Case{60, 3, 0.95, 120.0, inf, 60.0},
                        Case{200, 4, 0.9, 600.0, 120.0, 20.0},
                        Case{300, 6, 1.05, 900.0, 90.0, 10.0},
                        Case{1000, 20, 1.0, 600.0, 120.0, 1.0}}) {
    for (ServiceLevelDefinition d : all_definitions) {
      INFO("n " << c.n << " s " << c.s << " patience " << c.patience << " definition "
                << to_string(d));
      const double lambda = c.load * c.n / 240.0;
      const Blending fast(lambda, 240.0, c.outbound_aht, c.patience, c.s);
      const Blending reference(lambda, 240.0, c.outbound_aht, c.patience, c.s, full);
      const BlendingMetrics a = fast.metrics(c.n, c.target, d),
                            b = reference.metrics(c.n, c.target, d);
      REQUIRE(a.status == wfm::Status::ok);
      REQUIRE(b.status == wfm::Status::ok);
      CHECK(a.service_level > 0.05);  // a case where waiting calls matter
      CHECK(a.service_level < 0.999);
      CHECK_THAT(a.service_level, WithinRel(b.service_level, 1e-12));
    }
  }
}

// The level window (levels 0 .. top, re-entered from above at (0, top); queue cut by the
// chain dominating the window's levels; blending.hpp, "level window") against the whole chain
// with the older queue cut and the full uniformization (BlendingPolicy::full_chain and
// full_uniformization, the method before the window): the window is checked only a posteriori
// (mass beyond its top below 1e-17), so this is its test. Pools from 12 to 1,000 agents, with
// and without patience, reserve 0, small and large, outbound slower and faster than inbound;
// every metric within 1e-12 relative (measured: <= 7.3e-14 in the SL, <= 6.3e-13 elsewhere).
TEST_CASE("Blending: the level window matches the whole chain (unequal handle times)",
          "[queueing][blending]") {
  BlendingPolicy whole;
  whole.full_chain = true;
  whole.full_uniformization = true;
  struct Case {
    int n, s;
    double load, outbound_aht, patience, target;
  };
  for (const Case& c : {Case{12, 1, 0.8, 600.0, 60.0, 20.0}, Case{100, 2, 0.9, 600.0, 120.0, 20.0},
                        Case{100, 0, 0.9, 100.0, inf, 20.0}, Case{300, 6, 1.05, 900.0, 90.0, 10.0},
                        Case{1000, 20, 0.9, 600.0, 120.0, 20.0},
                        Case{1000, 0, 0.9, 600.0, 120.0, 20.0},
                        Case{1000, 200, 0.9, 600.0, 120.0, 20.0},
                        Case{1000, 20, 0.9, 100.0, 120.0, 20.0},
                        Case{1000, 20, 0.9, 100.0, inf, 20.0}}) {
    for (ServiceLevelDefinition d : {ServiceLevelDefinition::answered_within,
                                     ServiceLevelDefinition::virtual_wait_within}) {
      INFO("n " << c.n << " s " << c.s << " outbound " << c.outbound_aht << " patience "
                << c.patience << " definition " << to_string(d));
      const double lambda = c.load * c.n / 240.0;
      const Blending window(lambda, 240.0, c.outbound_aht, c.patience, c.s);
      const Blending reference(lambda, 240.0, c.outbound_aht, c.patience, c.s, whole);
      const BlendingMetrics a = window.metrics(c.n, c.target, d, AsaOver::answered),
                            b = reference.metrics(c.n, c.target, d, AsaOver::answered);
      REQUIRE(a.status == wfm::Status::ok);
      REQUIRE(b.status == wfm::Status::ok);
      CHECK(a.tail_bound < 1e-14);
      CHECK_THAT(a.service_level, WithinRel(b.service_level, 1e-12));
      CHECK_THAT(a.wait_probability, WithinRel(b.wait_probability, 1e-12));
      CHECK_THAT(a.asa_s, WithinRel(b.asa_s, 1e-12));
      CHECK_THAT(a.abandon_rate, WithinAbs(b.abandon_rate, 1e-12 * b.abandon_rate));
      CHECK_THAT(a.outbound_throughput, WithinRel(b.outbound_throughput, 1e-12));
      CHECK_THAT(a.occupancy, WithinRel(b.occupancy, 1e-12));
      CHECK_THAT(a.queue_length, WithinRel(b.queue_length, 1e-12));
    }
  }
}

// The a posteriori check of the level window: a first window far too narrow (window_sigmas
// -3: the top starts at the floor of 32 levels, where most of the mass lies beyond it) must be
// widened (32 -> 80 -> 176 -> 368 at 1,000 agents) to the same answer as the default window,
// and a window check of 1e-300 (never met) must end with the whole chain, as the reference.
TEST_CASE("Blending: a level window too narrow is widened until the mass beyond is negligible",
          "[queueing][blending]") {
  BlendingPolicy narrow, never, whole;
  narrow.window_sigmas = -3.0;
  never.window_tolerance = 1e-300;
  whole.full_chain = true;
  const double lambda = 0.9 * 1000.0 / 240.0;
  const Blending fine(lambda, 240.0, 600.0, 120.0, 20);
  const BlendingMetrics a = fine.metrics(1000, 20.0);
  const BlendingMetrics b = Blending(lambda, 240.0, 600.0, 120.0, 20, narrow).metrics(1000, 20.0);
  const BlendingMetrics c = Blending(lambda, 240.0, 600.0, 120.0, 20, never).metrics(1000, 20.0);
  const BlendingMetrics d = Blending(lambda, 240.0, 600.0, 120.0, 20, whole).metrics(1000, 20.0);
  for (const BlendingMetrics* m : {&a, &b, &c, &d}) REQUIRE(m->status == wfm::Status::ok);
  CHECK(b.tail_bound < 1e-14);
  CHECK_THAT(b.service_level, WithinRel(a.service_level, 1e-12));
  CHECK_THAT(b.wait_probability, WithinRel(a.wait_probability, 1e-12));
  CHECK_THAT(b.outbound_throughput, WithinRel(a.outbound_throughput, 1e-12));
  // every level, so the stationary metrics are the whole chain's up to the queue cut (the
  // whole chain's cut is longer: agreement to its 1e-17 tail and rounding)
  CHECK_THAT(c.wait_probability, WithinRel(d.wait_probability, 1e-13));
  CHECK_THAT(c.outbound_throughput, WithinRel(d.outbound_throughput, 1e-13));
  CHECK_THAT(c.service_level, WithinRel(a.service_level, 1e-12));
}

// Without patience the queue cut is only an estimate (the slowest geometric decay of a level's
// queue) and the mass at the cut is checked after the solve: at 1,000 agents, outbound 600 s,
// that mass was 3.6e-13 (load 0.9) and 1.3e-11 (load 0.8), above the 1e-14 allowed, and the
// model answered not_converged; now the cut doubles until it is negligible. Against a cut
// asked for a 1e-30 tail (longer from the start, and checked to 1e-27), every metric agrees.
TEST_CASE("Blending: without patience the queue cut grows until the mass at it is negligible",
          "[queueing][blending]") {
  BlendingPolicy longer;
  longer.tail_tolerance = 1e-30;
  for (double load : {0.8, 0.9}) {
    INFO("load " << load);
    const double lambda = load * 1000.0 / 240.0;
    const BlendingMetrics a = Blending(lambda, 240.0, 600.0, inf, 20).metrics(1000, 20.0);
    const BlendingMetrics b =
        Blending(lambda, 240.0, 600.0, inf, 20, longer).metrics(1000, 20.0);
    REQUIRE(a.status == wfm::Status::ok);
    REQUIRE(b.status == wfm::Status::ok);
    CHECK(a.tail_bound < 1e-13);
    CHECK_THAT(a.service_level, WithinRel(b.service_level, 1e-12));
    CHECK_THAT(a.wait_probability, WithinRel(b.wait_probability, 1e-12));
    CHECK_THAT(a.queue_length, WithinRel(b.queue_length, 1e-12));
    CHECK_THAT(a.outbound_throughput, WithinRel(b.outbound_throughput, 1e-12));
  }
}

// Abandonment two ways: Little (theta E[queue] / lambda) from the stationary chain, and the
// tagged call's P(abandon) = 1 - P(answered) from the first-step recursion; and the SL over
// answered calls at a target beyond every wait is 1.
TEST_CASE("Blending: SL, ASA and abandonment are consistent for unequal handle times",
          "[queueing][blending]") {
  const Blending b(1.0 / 20.0, 300.0, 120.0, 60.0, 2);
  const BlendingMetrics m = b.metrics(18, 1e5, ServiceLevelDefinition::answered_within);
  CHECK_THAT(m.service_level, WithinAbs(1.0 - m.abandon_rate, 1e-9));
  const BlendingMetrics v = b.metrics(18, 1e5, ServiceLevelDefinition::virtual_wait_within);
  CHECK_THAT(v.service_level, WithinAbs(1.0, 1e-9));
  CHECK(b.service_level(18, 0.0) == Approx(1.0 - m.wait_probability).epsilon(1e-12));
}

TEST_CASE("Blending: monotone in the reserve and in the agents", "[queueing][blending]") {
  const double lambda = 100.0 / 900.0, aht = 240.0;
  for (double outbound_aht : {240.0, 600.0}) {
    double last_sl = -1.0, last_out = inf;
    for (int s = 0; s <= 30; ++s) {
      const Blending b(lambda, aht, outbound_aht, 120.0, s);
      const BlendingMetrics m = b.metrics(30, 20.0);
      CHECK(m.service_level >= last_sl - 1e-14);
      CHECK(m.outbound_throughput <= last_out + 1e-14);
      last_sl = m.service_level;
      last_out = m.outbound_throughput;
    }
    const Blending b(lambda, aht, outbound_aht, 120.0, 3);
    double last = -1.0;
    for (int n = 1; n <= 45; ++n) {
      const double sl = b.service_level(n, 20.0);
      CHECK(sl >= last - 1e-14);
      last = sl;
    }
  }
}

// s = 0: every free agent with no call waiting goes outbound, so no agent is ever idle:
// P(wait) = 1 and occupancy 1, at any n.
TEST_CASE("Blending: reserve 0 limits", "[queueing][blending]") {
  for (double outbound_aht : {240.0, 500.0}) {
    const Blending b(100.0 / 900.0, 240.0, outbound_aht, 120.0, 0);
    const BlendingMetrics m = b.metrics(35, 20.0);
    CHECK_THAT(m.wait_probability, WithinAbs(1.0, 1e-12));
    CHECK_THAT(m.occupancy, WithinAbs(1.0, 1e-12));
    // every agent-second is inbound or outbound work
    CHECK_THAT(m.inbound_occupancy + m.outbound_throughput * outbound_aht / 35.0,
               WithinAbs(1.0, 1e-9));
  }
}

TEST_CASE("Blending: best threshold and required agents", "[queueing][blending]") {
  const Blending b(100.0 / 900.0, 240.0, 400.0, 120.0, 0);
  const StaffingGoal goal{.service_level = 0.8, .target_time = 20.0};
  const ThresholdChoice t = best_threshold(b, 35, goal);
  REQUIRE(t.status == wfm::Status::ok);
  CHECK(t.metrics.service_level >= 0.8);
  CHECK(t.reserve > 0);
  CHECK(b.with_reserve(t.reserve - 1).service_level(35, 20.0) < 0.8);
  CHECK(t.metrics.outbound_throughput > 0.0);
  // too few agents: even no outbound misses the goal
  CHECK(best_threshold(b, 20, goal).status == wfm::Status::infeasible);
  // required agents at a fixed reserve: the least n meeting the inbound goal
  const Blending fixed = b.with_reserve(3);
  const StaffingResult r = required_agents(fixed, goal);
  REQUIRE(r.status == wfm::Status::ok);
  CHECK(fixed.service_level(r.agents_required, 20.0) >= 0.8);
  CHECK(fixed.service_level(r.agents_required - 1, 20.0) < 0.8);
}

TEST_CASE("Blending: limits and bad input", "[queueing][blending]") {
  const Blending b(0.1, 240.0, 400.0, inf, 2);
  const BlendingMetrics none = b.metrics(0, 20.0);
  CHECK(none.wait_probability == 1.0);
  CHECK(none.service_level == 0.0);
  const BlendingMetrics unstable = b.metrics(20, 20.0);  // load 24 > 20 agents, no patience
  CHECK(unstable.status == wfm::Status::infeasible);
  CHECK(unstable.service_level == 0.0);
  const Blending idle(0.0, 240.0, 400.0, inf, 2);
  CHECK_THAT(idle.outbound_throughput(10), WithinRel(8.0 / 400.0, 1e-15));
  const Blending huge(1e16, 240.0, 400.0, 100.0, 2);  // absurd but finite: bounded time
  CHECK(huge.metrics(50, 20.0).status != wfm::Status::ok);
  CHECK_THROWS_AS(Blending(-1.0, 240.0, 400.0, inf, 2), wfm::InvalidArgument);
  CHECK_THROWS_AS(Blending(0.1, 240.0, 0.0, inf, 2), wfm::InvalidArgument);
  CHECK_THROWS_AS(Blending(0.1, 240.0, 400.0, std::nan(""), 2), wfm::InvalidArgument);
  CHECK_THROWS_AS(Blending(0.1, 240.0, 400.0, inf, -1), wfm::InvalidArgument);
  CHECK_THROWS_AS(b.metrics(-1.0, 20.0), wfm::InvalidArgument);
}

// Absurd but finite input found by the hostile-input search (python-bindings/tests/
// hardening_entries.py, run by hand): 1e50 agents overflowed the cast to a whole number of
// agents (a crash); rates of 1e-320 / 1e235 s broke the level solves into NaN. Each now ends
// in a status that says so, in bounded time.
TEST_CASE("Blending: absurd input ends in a status, never a crash or a silent NaN",
          "[queueing][blending]") {
  const Blending ok(7.0 / 180.0, 180.0, 300.0, 300.0, 2);
  CHECK(ok.metrics(1e50, 20.0).status == wfm::Status::not_converged);
  CHECK(ok.metrics(10.0, 20.0).status == wfm::Status::ok);
  for (const Blending& b : {Blending(7.0 / 180.0, 180.0, 300.0, 1e-320, 2),
                            Blending(7.0 / 180.0, 3.5e235, 300.0, 300.0, 2)}) {
    const BlendingMetrics m = b.metrics(10.0, 20.0);
    if (std::isnan(m.wait_probability) || m.wait_probability > 1.0 + 1e-12)
      CHECK(m.status != wfm::Status::ok);
  }
}
