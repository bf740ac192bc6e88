#include <wfm/kpi/survival.hpp>

#include <cmath>
#include <random>
#include <vector>

#include <wfm/core/error.hpp>

#include "support/catch.hpp"

using namespace wfm::kpi;
using Catch::Matchers::WithinRel;

TEST_CASE("Kaplan-Meier by hand", "[kpi][survival]") {
  // Waits 0, 3*, 5, 10, 15, 25*, 30 (* abandoned = event). n at 3 is 6 (0 left before), at 25
  // it is 2: S = 5/6 after 3, 5/12 after 25 (product-limit, Kaplan & Meier 1958, eq. 2).
  const std::vector<double> w{30, 3, 0, 25, 15, 10, 5};
  const std::vector<std::uint8_t> ab{0, 1, 0, 1, 0, 0, 0};
  const KaplanMeier km = kaplan_meier(w, ab);
  REQUIRE(km.time == std::vector<double>{3, 25});
  CHECK(km.at_risk == std::vector<double>{6, 2});
  CHECK_THAT(km.survival[1], WithinRel(5.0 / 12.0));
  CHECK(km.at(2.9) == 1.0);
  CHECK_THAT(km.at(24.0), WithinRel(5.0 / 6.0));
  CHECK(km.median_s == 25.0);
  CHECK(km.largest_wait_s == 30.0);
  // A tie: a censored wait at an event time counts as at risk there.
  const KaplanMeier tie = kaplan_meier(std::vector<double>{5, 5}, std::vector<std::uint8_t>{1, 0});
  CHECK(tie.survival == std::vector<double>{0.5});
}

TEST_CASE("patience: exponential MLE with censoring by hand", "[kpi][survival]") {
  const std::vector<double> w{30, 3, 0, 25, 15, 10, 5};
  const std::vector<std::uint8_t> ab{0, 1, 0, 1, 0, 0, 0};
  const PatienceEstimate p = estimate_patience(w, ab);
  CHECK(p.patience_s == 44.0);  // 88 s of waiting / 2 abandons (Lawless 2003, eq. 2.2.2)
  CHECK(p.abandoned == 2);
  CHECK(p.censored == 5);
  const PatienceEstimate none =
      estimate_patience(std::vector<double>{1, 2}, std::vector<std::uint8_t>{0, 0});
  CHECK(std::isinf(none.patience_s));
  CHECK(none.status == wfm::Status::not_converged);
  CHECK_THROWS_AS(estimate_patience(std::vector<double>{-1}, std::vector<std::uint8_t>{1}),
                  wfm::InvalidArgument);
  CHECK_THROWS_AS(estimate_patience(std::vector<double>{1}, std::vector<std::uint8_t>{}),
                  wfm::InvalidArgument);
}

TEST_CASE("patience: censored exponential recovered, KM matches exp(-t/mean)", "[kpi][survival]") {
  // Patience ~ exp(mean 120), censored by an independent wait ~ exp(mean 60): the MLE's relative
  // standard error is 1/sqrt(events) ~ 1/sqrt(6,700) ~ 1.2 %, so 5 % is about 4 SE.
  std::mt19937_64 g(42);
  std::exponential_distribution<double> pat(1.0 / 120.0), cens(1.0 / 60.0);
  std::vector<double> w;
  std::vector<std::uint8_t> ab;
  for (int i = 0; i < 20000; ++i) {
    const double p = pat(g), c = cens(g);
    w.push_back(std::min(p, c));
    ab.push_back(p <= c ? 1 : 0);
  }
  const PatienceEstimate e = estimate_patience(w, ab);
  CHECK_THAT(e.patience_s, WithinRel(120.0, 0.05));
  for (double t : {30.0, 60.0, 120.0})
    CHECK_THAT(e.kaplan_meier.at(t), WithinRel(std::exp(-t / 120.0), 0.05));
  // The naive mean of abandoned waits is far below the truth.
  double sum = 0.0, n = 0.0;
  for (std::size_t i = 0; i < w.size(); ++i)
    if (ab[i]) sum += w[i], n += 1.0;
  CHECK(sum / n < 50.0);
}
