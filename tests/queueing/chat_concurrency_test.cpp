#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <wfm/core/error.hpp>
#include <wfm/queueing/chat_concurrency.hpp>
#include <wfm/queueing/erlang_a.hpp>
#include <wfm/queueing/erlang_c.hpp>
#include <wfm/queueing/staffing.hpp>

#include "queueing/reference.hpp"
#include "support/catch.hpp"

using namespace wfm::queueing;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {
constexpr ServiceLevelDefinition all_definitions[] = {
    ServiceLevelDefinition::answered_within, ServiceLevelDefinition::wait_within,
    ServiceLevelDefinition::virtual_wait_within, ServiceLevelDefinition::answered_given_answered};
const std::vector<double> example_handle_times{300.0, 420.0, 540.0};
constexpr double example_rate = 120.0 / 3600.0;
}  // namespace

// The worked example of issue 12 (values: tests/data/queueing/chat_concurrency.csv rows
// "example", computed by make_omnichannel_reference.py with mpmath by two methods).
TEST_CASE("ChatConcurrency: the worked example needs 6 agents; the shortcuts say 5 and 8",
          "[queueing][chat]") {
  const ChatConcurrency chat(example_rate, example_handle_times, 120.0);
  const StaffingGoal goal{.service_level = 0.8, .target_time = 60.0};
  const StaffingResult r = required_agents(chat, goal);
  CHECK(r.agents_required == 6.0);
  CHECK(r.status == wfm::Status::ok);
  // 5 agents truly give about 68 % within 60 s with about 21 % abandoning
  CHECK_THAT(chat.service_level(5, 60.0), WithinAbs(0.684, 0.001));
  CHECK_THAT(chat.abandon_probability(5), WithinAbs(0.209, 0.001));
  CHECK_THAT(chat.service_level(6, 60.0), WithinAbs(0.853, 0.001));
  // Shortcut 1: Erlang A on slots at the middle handle time, slots / 3.
  const StaffingResult slots = required_agents(ErlangA(example_rate, 420.0, 120.0), goal);
  CHECK(slots.agents_required == 15.0);
  CHECK(std::ceil(slots.agents_required / 3.0) == 5.0);
  // Shortcut 2: Erlang C with AHT / concurrency = 540 / 3 s per chat.
  CHECK(required_agents(ErlangC(example_rate, 180.0), goal).agents_required == 8.0);
}

// m = 1 is Erlang A: the chain (with balanced routing, one chat per agent) is M/M/n+M.
// Reference: ErlangA's closed forms (Mandelbaum & Zeltyn 2007), themselves checked to 1e-12
// against mpmath.
TEST_CASE("ChatConcurrency with m = 1 equals Erlang A to 1e-12", "[queueing][chat]") {
  wfm::test::WorstError worst;
  for (double n : {1.0, 4.0, 17.0, 100.0, 1000.0}) {
    for (double rho : {0.5, 0.95, 1.3}) {
      for (double pat_ratio : {0.25, 2.0}) {
        const double h = 240.0, rate = rho * n / h, patience = pat_ratio * h;
        const ChatConcurrency c(rate, {h}, patience);
        const ErlangA a(rate, h, patience);
        const std::string at = fmt::format("n={} rho={} patience/AHT={}", n, rho, pat_ratio);
        auto cmp = [&](const char* what, double got, double ref) {
          const double err = wfm::test::relative_error(got, ref);
          worst.update(err, at + " " + what);
          INFO(at << " " << what << ": " << got << " vs " << ref);
          CHECK(err <= 1e-12);
        };
        cmp("wait", c.wait_probability(n), a.wait_probability(n));
        cmp("abandon", c.abandon_probability(n), a.abandon_probability(n));
        cmp("queue", c.mean_queue_length(n), a.mean_queue_length(n));
        cmp("asa_all", c.average_speed_of_answer(n), a.average_speed_of_answer(n));
        cmp("asa_answered", c.average_speed_of_answer(n, AsaOver::answered),
            a.average_speed_of_answer(n, AsaOver::answered));
        cmp("occupancy", c.occupancy(n), a.occupancy(n));
        for (double t : {0.0, 20.0, 300.0})
          for (auto d : all_definitions)
            cmp(std::string(to_string(d)).c_str(), c.service_level(n, t, d),
                a.service_level(n, t, d));
      }
    }
  }
  WARN("ChatConcurrency(m=1) vs ErlangA: worst relative error " << worst.value << " at "
                                                                 << worst.where);
}

TEST_CASE("ChatConcurrency: monotone in agents and in concurrency", "[queueing][chat]") {
  const ChatConcurrency c3(example_rate * 10.0, example_handle_times, 120.0);
  double sl = -1.0, ab = 2.0;
  for (int n = 1; n <= 90; ++n) {  // critical load at n = 60
    const ChatMetrics m = c3.metrics(n, 60.0);
    CHECK(m.service_level >= sl - 1e-13);  // rounding of sums of ~300 terms where SL ~ 1
    CHECK(m.abandon_rate <= ab);
    CHECK(m.mean_concurrency <= 3.0 + 1e-12);
    sl = m.service_level;
    ab = m.abandon_rate;
  }
  CHECK(sl > 0.99);
  // Allowing more concurrency at the same per-level handle times never hurts.
  const ChatConcurrency c1(example_rate * 10.0, {300.0}, 120.0),
      c2(example_rate * 10.0, {300.0, 420.0}, 120.0);
  for (int n : {5, 15, 30}) {
    CHECK(c2.service_level(n, 60.0) >= c1.service_level(n, 60.0));
    CHECK(c3.service_level(n, 60.0) >= c2.service_level(n, 60.0));
  }
  // Real-valued agents interpolate and stay between the neighbours.
  const double mid = c3.service_level(10.5, 60.0);
  CHECK(mid >= c3.service_level(10, 60.0));
  CHECK(mid <= c3.service_level(11, 60.0));
}

TEST_CASE("ChatConcurrency: limits, bad input, absurd input", "[queueing][chat]") {
  const ChatConcurrency zero(0.0, example_handle_times, 120.0);
  CHECK(zero.service_level(3, 60.0) == 1.0);
  CHECK(zero.wait_probability(3) == 0.0);
  const ChatConcurrency c(example_rate, example_handle_times, 120.0);
  CHECK(c.service_level(0, 60.0) == 0.0);
  CHECK(c.abandon_probability(0) == 1.0);
  CHECK_THAT(c.service_level(0, 60.0, ServiceLevelDefinition::wait_within),
             WithinRel(-std::expm1(-0.5), 1e-15));
  CHECK_THROWS_AS(ChatConcurrency(example_rate, {}, 120.0), wfm::InvalidArgument);
  CHECK_THROWS_AS(ChatConcurrency(example_rate, {300.0, -1.0}, 120.0), wfm::InvalidArgument);
  CHECK_THROWS_AS(ChatConcurrency(-1.0, {300.0}, 120.0), wfm::InvalidArgument);
  CHECK_THROWS_AS(ChatConcurrency(example_rate, {300.0}, 0.0), wfm::InvalidArgument);
  CHECK_THROWS_AS(c.service_level(-1.0, 60.0), wfm::InvalidArgument);
  CHECK_THROWS_AS(c.service_level(3.0, std::nan("")), wfm::InvalidArgument);
  // lambda x patience = 1e16: the chain would need 1e16 states; a status, in bounded time
  const ChatConcurrency absurd(1e14, example_handle_times, 100.0);
  const ChatMetrics m = absurd.metrics(10, 60.0);
  CHECK(m.status == wfm::Status::not_converged);
  CHECK(m.service_level == 0.0);
  CHECK(m.abandon_rate > 0.999);
  // huge staffing with modest load: the chain is cut long before n m states
  CHECK_THAT(c.service_level(1e6, 60.0), WithinAbs(1.0, 1e-15));
  // 1e6 times the example's volume on 1e5 agents: the mode lies beyond max_states (2e6), so
  // the chain cannot be solved; the fluid limit (every slot busy, P(abandon) = 1 - n a_m /
  // lambda, a_m = 3 / 540 per agent) with the engine's message, at once
  const ChatConcurrency loud(example_rate * 1e6, example_handle_times, 120.0);
  const ChatMetrics f = loud.metrics(1e5, 60.0);
  CHECK(f.status == wfm::Status::not_converged);
  CHECK_THAT(f.message, Catch::Contains("max_states"));
  CHECK_THAT(f.abandon_rate, WithinRel(1.0 - 1e5 * 3.0 / 540.0 / (example_rate * 1e6), 1e-12));
  CHECK(f.service_level == 0.0);
}

// mpmath reference table (make_omnichannel_reference.py: chain + beta law vs chain +
// Mandelbaum-Zeltyn integrals, agreeing to 1e-25): n = 1 .. 100 agents and 1,000 at load 0.95, m = 1 .. 3,
// slot load 0.7 / 1.0 / 1.3, patience 64 / 512 s, targets 0 / 30 / 240 s, and the worked example.
TEST_CASE("ChatConcurrency matches the mpmath reference table to 1e-10", "[queueing][chat]") {
  const wfm::test::ReferenceTable ref("chat_concurrency.csv");
  REQUIRE(ref.size() > 100);
  wfm::test::WorstError worst;
  for (std::size_t i = 0; i < ref.size(); ++i) {
    std::vector<double> h;
    for (const char* col : {"h1", "h2", "h3"})
      if (ref(i, col) > 0.0) h.push_back(ref(i, col));
    const double n = ref(i, "agents"), t = ref(i, "target_time");
    const ChatConcurrency c(ref(i, "arrival_rate"), h, ref(i, "patience"));
    const std::string at = fmt::format("row {}: n={} m={} t={}", i, n, h.size(), t);
    const wfm::test::CellChecker cmp{ref, i, at, 1e-10, worst};
    const ChatMetrics m = c.metrics(n, t);
    cmp("wait_probability", m.wait_probability);
    cmp("abandon_probability", m.abandon_rate);
    cmp("mean_queue_length", m.queue_length);
    cmp("asa_all", m.asa_s);
    cmp("asa_answered", c.average_speed_of_answer(n, AsaOver::answered));
    cmp("sl_answered_within", m.service_level);
    cmp("sl_virtual_wait_within", c.service_level(n, t, ServiceLevelDefinition::virtual_wait_within));
    cmp("sl_wait_within", c.service_level(n, t, ServiceLevelDefinition::wait_within));
    cmp("sl_answered_given_answered",
        c.service_level(n, t, ServiceLevelDefinition::answered_given_answered));
  }
  WARN("ChatConcurrency vs mpmath: worst relative error " << worst.value << " at " << worst.where);
}
