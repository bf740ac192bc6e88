#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <boost/math/quadrature/tanh_sinh.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include <wfm/core/error.hpp>
#include <wfm/queueing/erlang_a.hpp>
#include <wfm/queueing/erlang_b.hpp>
#include <wfm/queueing/general_patience.hpp>
#include <wfm/simulation/simulator.hpp>

#include "queueing/reference.hpp"
#include "support/catch.hpp"

using namespace wfm::queueing;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace sim = wfm::simulation;

namespace {
using D = ServiceLevelDefinition;

// One interval of 4 h of M/M/n+G (exponential handle times of mean aht [s], `n` agents),
// simulated: 100 replications after a 1 h warm-up, one thread, service level within 20 s.
sim::SimulationResult simulate_four_hours(double lambda, double aht, sim::Distribution patience,
                                          int n, std::uint64_t seed) {
  sim::Scenario s;
  s.interval_length = 4 * 3600.0;
  s.arrival_rate = {lambda};
  s.handle_time = sim::Distribution::exponential(aht);
  s.patience = std::move(patience);
  s.staffing = std::vector<int>{n};
  sim::RunOptions options;
  options.replications = 100;
  options.seed = seed;
  options.threads = 1;
  options.warmup = 3600.0;
  options.target_times = {20.0};
  return simulate(s, options);
}
constexpr D kDefinitions[] = {D::answered_within, D::wait_within, D::virtual_wait_within,
                              D::answered_given_answered};
}  // namespace

// Exponential patience is Erlang A (Zeltyn & Mandelbaum 2005, sec. 2: M/M/n+M). Reference: the
// ErlangA class (closed forms in incomplete gamma functions, itself within 2e-12 of mpmath,
// tests/data/queueing). Worst relative difference measured on this grid: 8.8e-13.
TEST_CASE("M/M/n+G: exponential patience is Erlang A", "[queueing][general_patience]") {
  for (double lambda : {0.05, 1.0 / 30.0, 1.0, 10.0})
    for (double aht : {180.0, 300.0})
      for (double patience : {30.0, 120.0, 600.0}) {
        const ErlangA a(lambda, aht, patience);
        const GeneralPatience g(lambda, aht, PatienceDistribution::exponential(patience));
        for (double f : {0.7, 0.95, 1.0, 1.1, 1.3}) {
          const double n = std::max(1.0, std::round(lambda * aht * f));
          INFO("lambda " << lambda << " aht " << aht << " patience " << patience << " n " << n);
          for (D d : kDefinitions)
            CHECK_THAT(g.service_level(n, 20.0, d),
                       WithinRel(a.service_level(n, 20.0, d), 2e-12));
          CHECK_THAT(g.wait_probability(n), WithinRel(a.wait_probability(n), 2e-12));
          CHECK_THAT(g.abandon_probability(n), WithinRel(a.abandon_probability(n), 2e-12));
          CHECK_THAT(g.average_speed_of_answer(n), WithinRel(a.average_speed_of_answer(n), 2e-12));
          CHECK_THAT(g.average_speed_of_answer(n, AsaOver::answered),
                     WithinRel(a.average_speed_of_answer(n, AsaOver::answered), 2e-12));
        }
      }
}

// Weibull with shape 1 is exponential, through another closed form (H by the incomplete gamma
// function instead of expm1).
TEST_CASE("M/M/n+G: Weibull with shape 1 is exponential", "[queueing][general_patience]") {
  const GeneralPatience w(0.1, 200.0, PatienceDistribution::weibull(90.0, 1.0));
  const ErlangA a(0.1, 200.0, 90.0);
  for (double n : {15.0, 20.0, 25.0}) {
    CHECK_THAT(w.service_level(n, 30.0), WithinRel(a.service_level(n, 30.0), 1e-10));
    CHECK_THAT(w.abandon_probability(n), WithinRel(a.abandon_probability(n), 1e-10));
  }
}

// Deterministic patience D in closed form (an independent method: the integrals of
// e(x) = exp(lambda min(x, D) - n mu x) done by hand, c = lambda - n mu):
//   J = (e^{cD} - 1) / c + e^{cD} / (n mu),   P(wait) = lambda J / (E + lambda J),
//   P(abandon) = lambda e^{cD} / (n mu) / (E + lambda J),   E = 1 / B(n - 1, a).
TEST_CASE("M/M/n+G: deterministic patience in closed form", "[queueing][general_patience]") {
  for (auto [lambda, n, big_d] : {std::tuple{0.02, 5, 60.0}, {0.05, 8, 30.0}, {0.1, 15, 120.0}}) {
    const double aht = 180.0, nmu = n / aht, c = lambda - nmu;
    const double j = std::expm1(c * big_d) / c + std::exp(c * big_d) / nmu;
    const double e_big = 1.0 / ErlangB(lambda, aht).blocking_probability(n - 1.0);
    const GeneralPatience g(lambda, aht, PatienceDistribution::deterministic(big_d));
    INFO("lambda " << lambda << " n " << n << " D " << big_d);
    CHECK_THAT(g.wait_probability(n), WithinRel(lambda * j / (e_big + lambda * j), 1e-11));
    CHECK_THAT(g.abandon_probability(n),
               WithinRel(lambda * std::exp(c * big_d) / nmu / (e_big + lambda * j), 1e-11));
  }
}

// The example (issue 12, "Patience shape matters"): at 1,000 agents a fixed 30 s
// patience gives P(wait) 0.720 where Erlang A with the same mean gives 0.247. The issue does
// not state the load; both figures come out at load = agents = 1,000 (AHT 300 s), which is the
// reading checked here.
TEST_CASE("M/M/n+G: the shape of patience matters at scale", "[queueing][general_patience]") {
  const double lambda = 1000.0 / 300.0;
  const GeneralPatience fixed(lambda, 300.0, PatienceDistribution::deterministic(30.0));
  const GeneralPatience expo(lambda, 300.0, PatienceDistribution::exponential(30.0));
  CHECK_THAT(fixed.wait_probability(1000), WithinAbs(0.720, 5e-4));
  CHECK_THAT(expo.wait_probability(1000), WithinAbs(0.247, 5e-4));
  CHECK_THAT(expo.wait_probability(1000),
             WithinRel(ErlangA(lambda, 300.0, 30.0).wait_probability(1000), 1e-11));
}

// Agreement with the discrete-event simulator (wfm::simulation, an independent method: it
// draws each caller's patience from the same law) at a few operating points. Tolerance: the
// analytic value must lie within twice the simulation's 95 % half-width (100 replications of
// 4 hours after a 1-hour warm-up, fixed seed; half-widths ~0.01 on SL, ~0.005 on abandonment).
TEST_CASE("M/M/n+G: agrees with the simulator (lognormal and fixed patience)",
          "[queueing][general_patience][simulation]") {
  struct Point {
    double lambda, aht;
    int n;
    double mean, cv;  // cv 0: deterministic (the simulator's lognormal with cv 0 is constant)
  };
  for (const Point& p : {Point{0.1, 180.0, 17, 60.0, 1.0}, Point{0.1, 180.0, 19, 60.0, 0.0},
                         Point{0.5, 120.0, 58, 40.0, 0.5}}) {
    const sim::SimulationResult r =
        simulate_four_hours(p.lambda, p.aht, sim::Distribution::lognormal(p.mean, p.cv), p.n, 7);
    const GeneralPatience g(p.lambda, p.aht,
                            p.cv > 0.0 ? PatienceDistribution::lognormal(p.mean, p.cv)
                                       : PatienceDistribution::deterministic(p.mean));
    const auto sl = static_cast<std::size_t>(r.service_level_index(D::answered_within, 20.0));
    INFO("lambda " << p.lambda << " n " << p.n << " patience " << p.mean << " cv " << p.cv);
    const auto within = [](double analytic, const sim::Estimate& e) {
      INFO("analytic " << analytic << " simulated " << e.value << " +- " << e.half_width);
      CHECK(std::abs(analytic - e.value) <= 2.0 * e.half_width);
    };
    within(g.service_level(p.n, 20.0), r.total.service_level[sl]);
    within(g.abandon_probability(p.n), r.total.abandon_rate);
    within(g.average_speed_of_answer(p.n), r.total.asa_s);
    if (p.cv == 0.0) {  // the test has the power to tell: Erlang A with the same mean misses
      const double erlang_a = ErlangA(p.lambda, p.aht, p.mean).abandon_probability(p.n);
      INFO("Erlang A " << erlang_a);
      const sim::Estimate& ab = r.total.abandon_rate;
      CHECK(std::abs(erlang_a - ab.value) > 2.0 * ab.half_width);
    }
  }
}

TEST_CASE("M/M/n+G: limits and bad input", "[queueing][general_patience]") {
  const GeneralPatience g(0.1, 180.0, PatienceDistribution::lognormal(60.0, 1.0));
  CHECK(g.service_level(0, 20.0) == 0.0);
  CHECK(g.abandon_probability(0) == 1.0);
  CHECK_THAT(g.average_speed_of_answer(0), WithinRel(60.0, 1e-15));
  const GeneralPatience idle(0.0, 180.0, PatienceDistribution::deterministic(5.0));
  CHECK(idle.service_level(3, 20.0) == 1.0);
  // monotone in agents
  double last = 0.0;
  for (int n = 10; n <= 30; ++n) {
    const double sl = g.service_level(n, 20.0);
    CHECK(sl >= last);
    last = sl;
  }
  // absurd but finite load: no overflow (lambda H reaches 1e4), bounded time
  const GeneralPatience big(100.0, 300.0, PatienceDistribution::deterministic(1000.0));
  const double ab = big.abandon_probability(20000);
  CHECK(std::isfinite(ab));
  CHECK_THAT(ab, WithinAbs(1.0 - 20000.0 / 30000.0, 1e-3));  // fluid limit: 1 - n mu / lambda
  CHECK_THROWS_AS(PatienceDistribution::lognormal(60.0, -1.0), wfm::InvalidArgument);
  CHECK_THROWS_AS(PatienceDistribution::deterministic(0.0), wfm::InvalidArgument);
  CHECK_THROWS_AS(g.service_level(-1.0, 20.0), wfm::InvalidArgument);
}

// ---- gamma (Erlang-k), piecewise-constant hazard, patience estimated from a survival curve

namespace {
/// int_0^x G by Boost's tanh-sinh, split at the law's breakpoints: an independent check of
/// the closed forms of H (the library integrates only e(x), never G alone).
double integrate_survival(const PatienceDistribution& p, double x) {
  boost::math::quadrature::tanh_sinh<double> q;
  std::vector<double> pts{0.0};
  for (double b : p.breakpoints())
    if (b < x) pts.push_back(b);
  pts.push_back(x);
  double sum = 0.0;
  for (std::size_t i = 0; i + 1 < pts.size(); ++i)
    sum += q.integrate([&](double u) { return p.survival(u); }, pts[i], pts[i + 1]);
  return sum;
}

void check_erlang_a(const PatienceDistribution& law, double theta, double tolerance) {
  for (auto [lambda, aht] : {std::pair{0.05, 180.0}, {1.0 / 30.0, 300.0}, {1.0, 240.0}}) {
    const ErlangA a(lambda, aht, theta);
    const GeneralPatience g(lambda, aht, law);
    for (double f : {0.8, 1.0, 1.2}) {
      const double n = std::max(1.0, std::round(lambda * aht * f));
      INFO("lambda " << lambda << " aht " << aht << " n " << n);
      for (D d : kDefinitions)
        CHECK_THAT(g.service_level(n, 20.0, d), WithinRel(a.service_level(n, 20.0, d), tolerance));
      CHECK_THAT(g.wait_probability(n), WithinRel(a.wait_probability(n), tolerance));
      CHECK_THAT(g.abandon_probability(n), WithinRel(a.abandon_probability(n), tolerance));
      CHECK_THAT(g.average_speed_of_answer(n, AsaOver::answered),
                 WithinRel(a.average_speed_of_answer(n, AsaOver::answered), tolerance));
    }
  }
}
}  // namespace

// Each new law with the exponential as a special case reproduces Erlang A: gamma with k = 1
// (G by the incomplete gamma function), a piecewise hazard with one rate on several pieces
// (the piece machinery and quadrature splits at the knots), and an exponential survival
// curve given as data (joined log-linearly, which is exact for it; tail hazard = its mean
// hazard = 1 / theta).
TEST_CASE("M/M/n+G: gamma, piecewise-hazard and data laws reduce to Erlang A",
          "[queueing][general_patience]") {
  const double theta = 90.0;
  check_erlang_a(PatienceDistribution::gamma(theta, 1.0), theta, 1e-10);
  check_erlang_a(PatienceDistribution::piecewise_hazard({}, {1.0 / theta}), theta, 1e-10);
  check_erlang_a(PatienceDistribution::piecewise_hazard({15.0, 40.0, 300.0},
                                                        {1.0 / theta, 1.0 / theta, 1.0 / theta,
                                                         1.0 / theta}),
                 theta, 1e-10);
  std::vector<double> times, survival;
  for (int j = 1; j <= 200; ++j) {  // 200 points, thinned to PatiencePolicy::max_pieces
    times.push_back(3.0 * j);
    survival.push_back(std::exp(-3.0 * j / theta));
  }
  const auto data = PatienceDistribution::from_survival(times, survival);
  CHECK(data.knots.size() <= PatiencePolicy{}.max_pieces);
  CHECK_THAT(data.mean, WithinRel(theta, 1e-12));
  check_erlang_a(data, theta, 1e-10);
}

// The closed forms of each law against independent quadrature (H = int G), the mean as
// H(inf), and the quantile as the inverse of G.
TEST_CASE("PatienceDistribution: gamma and piecewise closed forms", "[queueing][general_patience]") {
  const PatienceDistribution laws[] = {
      PatienceDistribution::gamma(60.0, 3.0), PatienceDistribution::gamma(45.0, 0.5),
      PatienceDistribution::piecewise_hazard({20.0, 60.0, 180.0}, {0.0, 0.02, 0.005, 0.01}),
      PatienceDistribution::piecewise_hazard({30.0}, {0.01, std::numeric_limits<double>::infinity()})};
  for (const auto& p : laws) {
    for (double x : {1.0, 19.0, 20.0, 45.0, 100.0, 500.0}) {
      INFO("kind " << static_cast<int>(p.kind) << " x " << x);
      CHECK_THAT(p.mean_truncated(x), WithinRel(integrate_survival(p, x), 1e-12));
    }
    CHECK_THAT(p.mean_truncated(1e7), WithinRel(p.mean, 1e-12));
    for (double q : {0.9, 0.5, 0.1, 1e-3}) {
      const double x = p.survival_quantile(q);
      if (p.survival(x * (1 + 1e-12)) > 0.0)  // not the point where G jumps to 0
        CHECK_THAT(p.survival(x), WithinRel(q, 1e-10));
    }
  }
  // Gamma(mean 60, k 3): scale 20, mean = k * scale; piecewise mean by hand:
  // 20 + (1 - e^{-0.8}) / 0.02 + e^{-0.8} (1 - e^{-0.6}) / 0.005 + e^{-1.4} / 0.01.
  CHECK_THAT(laws[0].mean, WithinRel(60.0, 1e-15));
  const double m = 20.0 + (1 - std::exp(-0.8)) / 0.02 +
                   std::exp(-0.8) * (1 - std::exp(-0.6)) / 0.005 + std::exp(-1.4) / 0.01;
  CHECK_THAT(laws[2].mean, WithinRel(m, 1e-13));
  // A hazard of +inf on the last piece: nobody waits beyond 30 s.
  CHECK(laws[3].survival(30.0) == 0.0);
  CHECK(laws[3].survival(29.999) > 0.7);
}

// Weibull H(x) = mean P(1/k, (x/c)^k) (c = mean / Gamma(1 + 1/k)) is summed without gamma
// function calls (a series below y = 1/k + 1, a continued fraction above): checked against
// Boost's regularized incomplete gamma P(a, y) (DLMF 8.2.4), an independent implementation, on
// both sides of the switch, near it, and in the small-y series (y < 1e-4).
TEST_CASE("PatienceDistribution: Weibull mean_truncated is the incomplete gamma",
          "[queueing][general_patience]") {
  for (double k : {0.06, 0.3, 0.7, 1.0, 1.5, 3.0, 12.0, 100.0}) {
    const PatienceDistribution p = PatienceDistribution::weibull(60.0, k);
    const double a = 1.0 / k, c = 60.0 / std::tgamma(1.0 + a);
    for (double y : {2e-4, 0.01, 0.3, a, a + 0.999, a + 1.0, a + 1.001, a + 3.0, 20.0, 150.0,
                     690.0}) {
      const double x = c * std::pow(y, a);
      INFO("k " << k << " y " << y);
      CHECK_THAT(p.mean_truncated(x),
                 WithinRel(60.0 * boost::math::gamma_p(a, std::pow(x / c, k)), 1e-13));
    }
  }
}

// Erlang-k patience moves from exponential (k = 1) to deterministic (k -> inf) with the same
// mean, and P(wait) grows with k all the way (less early abandonment keeps the queue full):
// the pair at 1,000 agents (0.247 -> 0.720) is bracketed.
TEST_CASE("M/M/n+G: Erlang-k patience between exponential and deterministic",
          "[queueing][general_patience]") {
  const double lambda = 1000.0 / 300.0;
  double last = 0.0;
  for (double k : {1.0, 2.0, 4.0, 16.0, 64.0, 1024.0}) {
    const GeneralPatience g(lambda, 300.0, PatienceDistribution::gamma(30.0, k));
    const double pw = g.wait_probability(1000);
    INFO("k " << k << " P(wait) " << pw);
    CHECK(pw > last);
    last = pw;
  }
  const GeneralPatience fixed(lambda, 300.0, PatienceDistribution::deterministic(30.0));
  CHECK(last < fixed.wait_probability(1000));
  CHECK_THAT(last, WithinAbs(fixed.wait_probability(1000), 0.01));
}

// Patience from data, checked by the simulator: callers' patience drawn from a sample of a
// gamma law (mean 60 s, k = 3; 20,000 draws, fixed seed), fed to the simulator as the
// empirical law; the model is given (a) the gamma law itself and (b) the sample's survival
// curve through from_survival (what a Kaplan-Meier estimate gives when nothing is censored).
// Both must lie within twice the simulation's 95 % half-width; Erlang A with the same mean
// must not (so the test can fail).
TEST_CASE("M/M/n+G: gamma and data patience agree with the simulator",
          "[queueing][general_patience][simulation]") {
  std::mt19937_64 rng(12);
  std::gamma_distribution<double> draw(3.0, 20.0);
  std::vector<double> sample(20000);
  for (double& x : sample) x = draw(rng);
  std::vector<double> sorted = sample;
  std::sort(sorted.begin(), sorted.end());
  std::vector<double> times, survival;
  for (std::size_t i = 0; i + 1 < sorted.size(); i += 50) {  // S at every 50th order statistic
    times.push_back(sorted[i + 1]);
    survival.push_back(1.0 - static_cast<double>(i + 2) / static_cast<double>(sorted.size()));
  }
  const double lambda = 0.1, aht = 180.0;
  const int n = 18;
  const sim::SimulationResult r =
      simulate_four_hours(lambda, aht, sim::Distribution::empirical(sample), n, 11);
  const auto sl = static_cast<std::size_t>(r.service_level_index(D::answered_within, 20.0));
  const auto within = [](double analytic, const sim::Estimate& e) {
    INFO("analytic " << analytic << " simulated " << e.value << " +- " << e.half_width);
    CHECK(std::abs(analytic - e.value) <= 2.0 * e.half_width);
  };
  for (const auto& law : {PatienceDistribution::gamma(60.0, 3.0),
                          PatienceDistribution::from_survival(times, survival)}) {
    const GeneralPatience g(lambda, aht, law);
    INFO("kind " << static_cast<int>(law.kind));
    within(g.service_level(n, 20.0), r.total.service_level[sl]);
    within(g.abandon_probability(n), r.total.abandon_rate);
    within(g.average_speed_of_answer(n), r.total.asa_s);
  }
  const double erlang_a = ErlangA(lambda, aht, 60.0).abandon_probability(n);
  INFO("Erlang A " << erlang_a);
  CHECK(std::abs(erlang_a - r.total.abandon_rate.value) > 2.0 * r.total.abandon_rate.half_width);
}

TEST_CASE("PatienceDistribution: bad piecewise and survival input is named",
          "[queueing][general_patience]") {
  using PD = PatienceDistribution;
  using Catch::Matchers::Contains;
  CHECK_THROWS_WITH(PD::gamma(60.0, 0.0), Contains("shape k"));
  CHECK_THROWS_WITH(PD::piecewise_hazard({10.0}, {0.1}), Contains("one rate more"));
  CHECK_THROWS_WITH(PD::piecewise_hazard({10.0, 5.0}, {0.1, 0.1, 0.1}), Contains("knots[1]"));
  CHECK_THROWS_WITH(PD::piecewise_hazard({10.0}, {-0.1, 0.1}), Contains("hazard[0]"));
  CHECK_THROWS_WITH(PD::piecewise_hazard({10.0}, {0.1, 0.0}), Contains("hazard[last]"));
  CHECK_THROWS_WITH(PD::from_survival({10.0, 20.0}, {0.9, 0.95}), Contains("survival[1]"));
  CHECK_THROWS_WITH(PD::from_survival({10.0, 10.0}, {0.9, 0.8}), Contains("times[1]"));
  CHECK_THROWS_WITH(PD::from_survival({10.0}, {1.0}), Contains("tail_hazard"));
  CHECK_THROWS_WITH(PD::from_survival({}, {}), Contains("non-empty"));
  // S reaching 0: patience ends at that time
  const PD ends = PD::from_survival({10.0, 20.0}, {0.5, 0.0});
  CHECK(ends.survival(19.99) == 0.5);
  CHECK(ends.survival(20.0) == 0.0);
  CHECK_THAT(ends.mean, WithinRel(10.0 * (1 - 0.5) / std::log(2.0) + 0.5 * 10.0, 1e-12));
}

namespace {
std::vector<double> numbers(const std::string& text) {
  std::vector<double> out;
  std::istringstream in(text);
  for (std::string word; in >> word;)
    out.push_back(word == "inf" ? std::numeric_limits<double>::infinity() : std::stod(word));
  return out;
}
}  // namespace

// mpmath reference table (tests/data/queueing/make_general_patience_reference.py: closed forms
// in incomplete gamma functions vs quadrature for piecewise-hazard and deterministic laws;
// quadrature at 50 and 80 digits on different splits for gamma; worst disagreement 1.1e-33):
// gamma k = 3, 2.5 and 64, two piecewise hazards, deterministic, at 9 .. 1,000 agents, load
// 0.9-1.0 x agents, targets 0 / 20 / 120 s.
TEST_CASE("M/M/n+G matches the mpmath reference table to 1e-10", "[queueing][general_patience]") {
  const wfm::test::ReferenceTable ref("general_patience.csv");
  REQUIRE(ref.size() >= 72);
  wfm::test::WorstError worst;
  for (std::size_t i = 0; i < ref.size(); ++i) {
    const std::string kind = ref.text(i, "case");
    const PatienceDistribution law =
        kind.rfind("gamma", 0) == 0
            ? PatienceDistribution::gamma(ref(i, "mean"), ref(i, "shape"))
            : PatienceDistribution::piecewise_hazard(numbers(ref.text(i, "knots")),
                                                     numbers(ref.text(i, "hazard")));
    const double n = ref(i, "agents"), t = ref(i, "target_time");
    const GeneralPatience g(ref(i, "arrival_rate"), ref(i, "handle_time"), law);
    const GeneralPatienceMetrics m = g.metrics(n, t);
    const std::string at = kind + " n=" + std::to_string(n) + " t=" + std::to_string(t);
    auto cmp = [&](const char* col, double got) {
      const double err = wfm::test::relative_error(got, ref(i, col));
      worst.update(err, at + " " + col);
      INFO(at << " " << col << ": got " << got << ", expected " << ref(i, col));
      CHECK(err <= 1e-10);
    };
    cmp("wait_probability", m.wait_probability);
    cmp("abandon_probability", m.abandon_rate);
    cmp("sl_answered_within", m.service_level);
    cmp("asa_all", m.asa_s);
  }
  WARN("GeneralPatience vs mpmath: worst relative error " << worst.value << " at " << worst.where);
}

// Hostile but finite inputs found by the property suite (python-bindings/tests/
// test_hardening_inputs.py): each ends in a number (no NaN, no exception from the quadrature).
TEST_CASE("M/M/n+G: extreme times and sizes end in numbers", "[queueing][general_patience]") {
  const GeneralPatience g(0.1, 180.0, PatienceDistribution::gamma(60.0, 3.0));
  const double sl = g.service_level(18, 20.0);
  CHECK_THAT(g.service_level(18, 5e-324), WithinAbs(g.service_level(18, 0.0), 1e-15));
  CHECK_THAT(g.service_level(18, 1e308), WithinAbs(1.0 - g.abandon_probability(18), 1e-12));
  CHECK(g.service_level(18, 1e308) >= sl);
  CHECK(g.wait_probability(3e172) == 0.0);  // evaluated at 1e15 agents
  const GeneralPatience instant(0.1, 5e-324, PatienceDistribution::lognormal(60.0, 1.0));
  CHECK(instant.wait_probability(3) == 0.0);
  CHECK(instant.service_level(3, 20.0) == 1.0);
  const GeneralPatience hasty(0.1, 180.0, PatienceDistribution::gamma(1e-300, 3.0));
  CHECK_THAT(hasty.abandon_probability(18), WithinAbs(hasty.wait_probability(18), 1e-12));
  CHECK_THROWS_WITH(PatienceDistribution::gamma(60.0, 1e7), Catch::Matchers::Contains("shape k"));
  CHECK_THROWS_WITH(PatienceDistribution::piecewise_hazard({10.0}, {0.1, 1e-320}),
                    Catch::Matchers::Contains("hazard[last]"));
  CHECK_THROWS_WITH(PatienceDistribution::from_survival({1e-320, 30.0}, {0.9, 0.7}),
                    Catch::Matchers::Contains("times[0]"));
}

// Found by the randomized audit (tests/data/queueing/audit_omnichannel.py, session omni12h):
// a Weibull patience of large shape k is nearly deterministic, but P(wait) fell from 0.58 to
// 0.33 as k grew from 100 to 1e4 (the quadrature crossed its near-jump unsplit). The limit
// k -> inf is the deterministic law at the scale (= the mean, as Gamma(1 + 1/k) -> 1).
TEST_CASE("M/M/n+G: a Weibull of huge shape tends to the deterministic law",
          "[queueing][general_patience]") {
  const GeneralPatience det(0.1, 180.0, PatienceDistribution::deterministic(60.0));
  const GeneralPatienceMetrics d = det.metrics(18, 20.0);
  for (double k : {1e3, 1e4, 1e6, 1e300}) {
    const GeneralPatience w(0.1, 180.0, PatienceDistribution::weibull(60.0, k));
    const GeneralPatienceMetrics m = w.metrics(18, 20.0);
    INFO("k = " << k);
    const double tol = k >= 1e6 ? 1e-9 : 5e-3;  // the spread is ~1.3 / k of the mean
    CHECK_THAT(m.wait_probability, WithinRel(d.wait_probability, tol));
    CHECK_THAT(m.abandon_rate, WithinRel(d.abandon_rate, tol));
    CHECK_THAT(m.service_level, WithinRel(d.service_level, tol));
  }
}
