#include <cmath>
#include <limits>

#include <wfm/core/error.hpp>
#include <wfm/queueing/erlang_a.hpp>
#include <wfm/queueing/erlang_c.hpp>
#include <wfm/queueing/sqrt_staffing.hpp>

#include "queueing/reference.hpp"
#include "support/catch.hpp"

using namespace wfm::queueing;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

// The formulas themselves (evaluated by mpmath at 60 digits, make_reference.py): 1e-12 relative.
TEST_CASE("Halfin-Whitt delay function matches its formula", "[queueing][sqrt_staffing]") {
  const wfm::test::ReferenceTable ref("halfin_whitt.csv");
  REQUIRE(ref.size() >= 9);
  for (std::size_t i = 0; i < ref.size(); ++i) {
    const double beta = ref(i, "beta");
    INFO("beta " << beta);
    CHECK_THAT(halfin_whitt_wait_probability(beta), WithinRel(ref(i, "alpha"), 1e-12));
    CHECK_THAT(halfin_whitt_beta(ref(i, "alpha")), WithinRel(beta, 1e-9));
  }
  CHECK(halfin_whitt_wait_probability(0.0) == 1.0);
  CHECK(halfin_whitt_wait_probability(-1.0) == 1.0);
  CHECK(halfin_whitt_wait_probability(50.0) == 0.0);
}

TEST_CASE("GMR approximation matches its formulas", "[queueing][sqrt_staffing]") {
  const wfm::test::ReferenceTable ref("gmr.csv");
  REQUIRE(ref.size() >= 4);
  for (std::size_t i = 0; i < ref.size(); ++i) {
    const GarnettMandelbaumReiman g(ref(i, "arrival_rate"), ref(i, "handle_time"),
                                    ref(i, "patience"));
    const double n = ref(i, "agents");
    INFO("row " << i);
    CHECK_THAT(g.wait_probability(n), WithinRel(ref(i, "wait_probability"), 1e-12));
    CHECK_THAT(g.abandon_probability(n), WithinRel(ref(i, "abandon_probability"), 1e-12));
    CHECK_THAT(g.service_level(n, ref(i, "target_time")),
               WithinRel(ref(i, "sl_virtual_wait_within"), 1e-12));
  }
}

// As approximations they converge to the exact models in the QED regime n = a + beta sqrt(a):
// the error shrinks as the load grows (Halfin & Whitt 1981; Garnett et al. 2002).
TEST_CASE("square-root approximations approach the exact models", "[queueing][sqrt_staffing]") {
  double prev_c = 1.0, prev_a = 1.0;
  for (double a : {10.0, 100.0, 1000.0, 10000.0, 100000.0}) {
    const double h = 256.0, n = square_root_staffing(a, 1.0);
    const ErlangC c(a / h, h);
    const HalfinWhitt hw(a / h, h);
    const double err_c = std::fabs(hw.wait_probability(n) - c.wait_probability(n));
    const ErlangA ea(a / h, h, 2.0 * h);
    const GarnettMandelbaumReiman g(a / h, h, 2.0 * h);
    const double err_a = std::fabs(g.wait_probability(n) - ea.wait_probability(n));
    INFO("load " << a << ": HW error " << err_c << ", GMR error " << err_a);
    CHECK(err_c < prev_c);
    CHECK(err_a < prev_a);
    CHECK(err_c < 0.3 / std::sqrt(a));
    CHECK(err_a < 0.3 / std::sqrt(a));
    CHECK_THAT(hw.service_level(n, 20.0), WithinAbs(c.service_level(n, 20.0), 0.3 / std::sqrt(a)));
    CHECK_THAT(g.service_level(n, 20.0),
               WithinAbs(ea.service_level(n, 20.0, ServiceLevelDefinition::virtual_wait_within),
                         0.3 / std::sqrt(a)));
    CHECK_THAT(g.abandon_probability(n), WithinAbs(ea.abandon_probability(n), 0.3 / std::sqrt(a)));
    prev_c = err_c;
    prev_a = err_a;
  }
  CHECK(prev_c < 1e-3);
}

TEST_CASE("square-root staffing limits and bad input", "[queueing][sqrt_staffing]") {
  CHECK(square_root_staffing(100.0, 1.5) == 115.0);
  CHECK(square_root_staffing(0.0, 2.0) == 0.0);
  CHECK(square_root_staffing(4.0, -5.0) == 0.0);
  const HalfinWhitt hw(0.5, 20.0);  // 10 Erl
  CHECK(hw.wait_probability(9.0) == 1.0);
  CHECK(hw.service_level(10.0, 20.0) == 0.0);
  CHECK(hw.average_speed_of_answer(10.0) == std::numeric_limits<double>::infinity());
  CHECK(HalfinWhitt(0.0, 20.0).service_level(1.0, 20.0) == 1.0);
  const GarnettMandelbaumReiman g(0.5, 20.0, 60.0);
  CHECK(g.wait_probability(0.0) == 1.0);
  CHECK(g.wait_probability(5.0) < 1.0);  // Erlang A is always stable
  CHECK(g.service_level(200.0, 0.0) <= 1.0);
  CHECK_THROWS_WITH(square_root_staffing(-1.0, 1.0), Contains("load") && Contains("-1"));
  CHECK_THROWS_WITH(halfin_whitt_beta(1.0), Contains("wait_probability") && Contains("1"));
  CHECK_THROWS_AS(halfin_whitt_beta(0.0), wfm::InvalidArgument);
  CHECK_THROWS_AS(HalfinWhitt(-1.0, 20.0), wfm::InvalidArgument);
  CHECK_THROWS_AS(GarnettMandelbaumReiman(1.0, 20.0, 0.0), wfm::InvalidArgument);
  CHECK_THROWS_AS(g.service_level(10.0, -1.0), wfm::InvalidArgument);
  CHECK_THROWS_AS(hw.wait_probability(-1.0), wfm::InvalidArgument);
}
