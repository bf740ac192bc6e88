#include <cmath>
#include <limits>

#include <fmt/format.h>

#include <wfm/core/error.hpp>
#include <wfm/core/units.hpp>
#include <wfm/queueing/erlang_b.hpp>
#include <wfm/queueing/erlang_c.hpp>

#include "queueing/reference.hpp"
#include "support/catch.hpp"

using namespace wfm::queueing;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {
constexpr double infinity = std::numeric_limits<double>::infinity();
constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();
}  // namespace

// Tolerance: 1e-10 relative against mpmath at 60 digits (make_reference.py), for P(wait), SL
// and ASA, agents 0.5 .. 100,000, loads up to 99,990 Erl, utilisation up to 0.9999.
TEST_CASE("ErlangC matches the mpmath reference table", "[queueing][erlang_c]") {
  const wfm::test::ReferenceTable ref("erlang_c.csv");
  REQUIRE(ref.size() > 500);
  wfm::test::WorstError worst;
  for (std::size_t i = 0; i < ref.size(); ++i) {
    const double n = ref(i, "agents"), t = ref(i, "target_time");
    const ErlangC q(ref(i, "arrival_rate"), ref(i, "handle_time"));
    const double pw = q.wait_probability(n), sl = q.service_level(n, t);
    const double asa = q.average_speed_of_answer(n);
    const double e1 = wfm::test::relative_error(pw, ref(i, "wait_probability"));
    const double e2 = wfm::test::relative_error(sl, ref(i, "service_level"));
    const double e3 = wfm::test::relative_error(asa, ref(i, "asa"));
    worst.update(std::fmax(e1, std::fmax(e2, e3)), fmt::format("n={} a={} t={}", n, q.load(), t));
    INFO("row " << i << ": agents " << n << ", load " << q.load() << ", t " << t);
    CHECK(e1 <= 1e-10);
    CHECK(e2 <= 1e-10);
    CHECK(e3 <= 1e-10);
  }
  WARN("ErlangC worst relative error " << worst.value << " at " << worst.where);
}

TEST_CASE("ErlangC reproduces the standard worked example", "[queueing][erlang_c]") {
  // callcentrehelper.com, "Erlang C formula - made simple with an easy worked example":
  // 100 calls in 30 minutes, AHT 180 s, 14 agents, 20 s target -> P(wait) 17.41319 %,
  // service level 88.83500 % (published to 7 digits, hence the absolute 5e-8).
  const ErlangC q(100.0 / wfm::minutes(30), 180.0);
  CHECK_THAT(q.wait_probability(14), WithinAbs(0.1741319, 5e-8));
  CHECK_THAT(q.service_level(14, 20.0), WithinAbs(0.8883500, 5e-8));
  CHECK_THAT(q.occupancy(14), WithinRel(10.0 / 14.0, 1e-15));
}

TEST_CASE("ErlangC equals N B / (N - A (1 - B)) with B from ErlangB", "[queueing][erlang_c]") {
  for (double a : {0.5, 9.0, 180.0, 4000.0, 60000.0}) {
    const ErlangC c(a / 128.0, 128.0);
    const ErlangB b(a / 128.0, 128.0);
    for (double rho : {0.2, 0.7, 0.95, 0.999}) {
      const double n = a / rho;
      const double bn = b.blocking_probability(n);
      INFO("a " << a << ", n " << n);
      CHECK_THAT(c.wait_probability(n), WithinRel(n * bn / (n - a * (1.0 - bn)), 1e-12));
    }
  }
}

TEST_CASE("ErlangC service level never decreases with agents or target", "[queueing][erlang_c]") {
  const ErlangC q(250.0 / 900.0, 240.0);  // 66.7 Erl
  double prev = 0.0;
  for (double n = 0.0; n <= 120.0; n += 0.125) {
    const double sl = q.service_level(n, 20.0);
    CHECK(sl >= prev);
    CHECK(sl <= 1.0);
    prev = sl;
  }
  prev = 0.0;
  for (double t = 0.0; t <= 600.0; t += 7.5) {
    const double sl = q.service_level(70.0, t);
    CHECK(sl >= prev);
    prev = sl;
  }
}

TEST_CASE("ErlangC limits and the n -> a transition", "[queueing][erlang_c]") {
  const ErlangC q(0.5, 20.0);  // 10 Erl
  for (double n : {0.0, 3.0, 9.99, 10.0}) {
    CHECK(q.wait_probability(n) == 1.0);
    CHECK(q.service_level(n, 20.0) == 0.0);
    CHECK(q.average_speed_of_answer(n) == infinity);
    CHECK(q.occupancy(n) == 1.0);
  }
  // Just above the load the queue is stable and P(wait) tends continuously to 1.
  CHECK(q.wait_probability(10.0 * (1.0 + 1e-12)) > 1.0 - 1e-9);
  CHECK(q.wait_probability(10.0 * (1.0 + 1e-12)) <= 1.0);
  CHECK(q.average_speed_of_answer(10.0 * (1.0 + 1e-9)) > 1e9);
  const ErlangC idle(0.0, 20.0);
  for (double n : {0.0, 1.0, 50.0}) {
    CHECK(idle.wait_probability(n) == 0.0);
    CHECK(idle.service_level(n, 0.0) == 1.0);
    CHECK(idle.average_speed_of_answer(n) == 0.0);
    CHECK(idle.occupancy(n) == 0.0);
  }
  // Far above the load: P(wait) underflows to 0, never NaN; SL is 1.
  const ErlangC small(1.0, 1.0);
  CHECK(small.wait_probability(1e5) == 0.0);
  CHECK(small.service_level(1e5, 0.0) == 1.0);
  CHECK(small.average_speed_of_answer(1e5) == 0.0);
  // At target 0 the service level is 1 - P(wait) exactly.
  CHECK_THAT(q.service_level(12.0, 0.0), WithinRel(1.0 - q.wait_probability(12.0), 1e-15));
  // 100,000 Erlangs at 0.9999 utilisation.
  const ErlangC big(1e5 / 64.0, 64.0);
  const double n = 1e5 / 0.9999;
  CHECK_THAT(big.wait_probability(n), WithinAbs(0.961, 1e-3));  // QED: alpha(0.0316)
  CHECK(std::isfinite(big.average_speed_of_answer(n)));
}

TEST_CASE("ErlangC rejects bad input naming the argument", "[queueing][erlang_c]") {
  CHECK_THROWS_WITH(ErlangC(-0.1, 10.0), Contains("arrival_rate") && Contains("-0.1"));
  CHECK_THROWS_WITH(ErlangC(not_a_number, 10.0), Contains("arrival_rate") && Contains("nan"));
  CHECK_THROWS_WITH(ErlangC(1.0, -2.0), Contains("handle_time") && Contains("-2"));
  CHECK_THROWS_WITH(ErlangC(1.0, infinity), Contains("handle_time") && Contains("inf"));
  const ErlangC q(1.0, 10.0);
  CHECK_THROWS_WITH(q.wait_probability(-1.0), Contains("agents") && Contains("-1"));
  CHECK_THROWS_WITH(q.service_level(not_a_number, 20.0), Contains("agents") && Contains("nan"));
  CHECK_THROWS_WITH(q.service_level(12.0, -5.0), Contains("target_time") && Contains("-5"));
  CHECK_THROWS_WITH(q.service_level(12.0, not_a_number), Contains("target_time") && Contains("nan"));
  CHECK_THROWS_AS(q.service_level(12.0, infinity), wfm::InvalidArgument);
  CHECK_THROWS_AS(q.average_speed_of_answer(infinity), wfm::InvalidArgument);
  CHECK_THROWS_AS(q.occupancy(-0.5), wfm::InvalidArgument);
}
