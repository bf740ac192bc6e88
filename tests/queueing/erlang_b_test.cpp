#include <cmath>
#include <limits>
#include <string>

#include <fmt/format.h>

#include <wfm/core/error.hpp>
#include <wfm/queueing/erlang_b.hpp>

#include "queueing/reference.hpp"
#include "support/catch.hpp"

using namespace wfm::queueing;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinRel;

// Tolerance: every reference value (mpmath, 60 digits; tests/data/queueing/make_reference.py)
// must be met to 1e-10 relative. The table holds only values >= 1e-290 (representable).
TEST_CASE("ErlangB matches the mpmath reference table", "[queueing][erlang_b]") {
  const wfm::test::ReferenceTable ref("erlang_b.csv");
  REQUIRE(ref.size() > 300);
  wfm::test::WorstError worst;
  for (std::size_t i = 0; i < ref.size(); ++i) {
    const double n = ref(i, "agents");
    const ErlangB b(ref(i, "arrival_rate"), ref(i, "handle_time"));
    const double expected = ref(i, "blocking_probability");
    const double got = b.blocking_probability(n);
    const double err = wfm::test::relative_error(got, expected);
    worst.update(err, fmt::format("n={} a={}", n, b.load()));
    INFO("row " << i << ": agents " << n << ", load " << b.load() << ", got " << got
                << ", expected " << expected);
    CHECK(err <= 1e-10);
  }
  WARN("ErlangB worst relative error " << worst.value << " at " << worst.where);
}

TEST_CASE("ErlangB satisfies Erlang's recursion, also for real agents", "[queueing][erlang_b]") {
  // B(x, a) = a B(x-1, a) / (x + a B(x-1, a)) holds for the continuous extension too
  // (Jagerman 1974); checked across the switch between the Boost and continued-fraction paths.
  for (double a : {0.3, 7.0, 95.5, 1000.0, 25000.0}) {
    const ErlangB b(a / 4.0, 4.0);
    for (double x : {1.0, 1.5, 3.25, 10.0, 0.9 * a, a, 1.1 * a, a + 50.5}) {
      const double prev = b.blocking_probability(x - 1.0 < 0.0 ? 0.0 : x - 1.0);
      if (x < 1.0) continue;
      const double rec = a * prev / (x + a * prev);
      INFO("a " << a << ", x " << x << ", rel. error "
           << wfm::test::relative_error(b.blocking_probability(x), rec));
      CHECK(wfm::test::relative_error(b.blocking_probability(x), rec) <= 1e-11);
    }
  }
}

TEST_CASE("ErlangB decreases in agents and occupancy is carried load", "[queueing][erlang_b]") {
  const ErlangB b(12.0 / 60.0, 60.0);  // 12 Erl
  double prev = 1.0;
  for (double n = 0.0; n <= 60.0; n += 0.25) {
    const double p = b.blocking_probability(n);
    CHECK(p <= prev);
    CHECK(p >= 0.0);
    prev = p;
  }
  CHECK_THAT(b.occupancy(14.0), WithinRel(12.0 * (1.0 - b.blocking_probability(14.0)) / 14.0,
                                          1e-14));
}

TEST_CASE("ErlangB limits", "[queueing][erlang_b]") {
  const ErlangB b(2.0, 5.0);  // 10 Erl
  CHECK(b.blocking_probability(0.0) == 1.0);
  CHECK(b.occupancy(0.0) == 0.0);
  CHECK(ErlangB(0.0, 5.0).blocking_probability(3.0) == 0.0);
  CHECK(ErlangB(0.0, 5.0).occupancy(3.0) == 0.0);
  // a single agent: B = a / (1 + a), also at 100,000 Erl
  CHECK_THAT(ErlangB(1e5, 1.0).blocking_probability(1.0), WithinRel(1e5 / (1.0 + 1e5), 1e-14));
  // far beyond the load B underflows to exactly 0, never NaN
  CHECK(ErlangB(1.0, 1.0).blocking_probability(1e5) == 0.0);
  CHECK(ErlangB(1.0, 1.0).occupancy(1e5) == 1e-5);
}

TEST_CASE("ErlangB rejects bad input naming the argument", "[queueing][erlang_b]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  CHECK_THROWS_WITH(ErlangB(-1.0, 10.0), Contains("arrival_rate") && Contains("-1"));
  CHECK_THROWS_WITH(ErlangB(nan, 10.0), Contains("arrival_rate") && Contains("nan"));
  CHECK_THROWS_WITH(ErlangB(inf, 10.0), Contains("arrival_rate") && Contains("inf"));
  CHECK_THROWS_WITH(ErlangB(1.0, 0.0), Contains("handle_time") && Contains("0"));
  CHECK_THROWS_AS(ErlangB(1.0, -3.0), wfm::InvalidArgument);
  CHECK_THROWS_AS(ErlangB(1.0, inf), wfm::InvalidArgument);
  const ErlangB b(1.0, 10.0);
  CHECK_THROWS_WITH(b.blocking_probability(-1.0), Contains("agents") && Contains("-1"));
  CHECK_THROWS_WITH(b.blocking_probability(nan), Contains("agents") && Contains("nan"));
  CHECK_THROWS_AS(b.occupancy(inf), wfm::InvalidArgument);
}
