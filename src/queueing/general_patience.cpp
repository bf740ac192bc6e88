// M/M/n+G (general_patience.hpp): the patience families in closed form and the quadratures of
// Mandelbaum & Zeltyn's formulas.
#include <wfm/queueing/general_patience.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

#include <boost/math/quadrature/exp_sinh.hpp>
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <boost/math/quadrature/tanh_sinh.hpp>
#include <boost/math/special_functions/erf.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include <wfm/core/error.hpp>
#include <wfm/queueing/detail/fractional_agents.hpp>
#include <wfm/queueing/detail/gamma_terms.hpp>
#include <wfm/queueing/traffic.hpp>

namespace wfm::queueing {
namespace {

constexpr std::string_view kWhere = "wfm::queueing::GeneralPatience";
constexpr double kInf = std::numeric_limits<double>::infinity();

/// Tuning constants of the quadratures (relative tolerance; Boost's error estimate is the
/// difference between the last two levels, so the error reached is usually far below it).
struct QuadraturePolicy {
  double tolerance = 1e-13;
  /// Agents beyond this are evaluated at it (the formulas work on whole numbers, and doubles
  /// stop being whole at 2^53 ~ 9e15; at 1e15 agents every delay probability of a load a
  /// double can carry next to them is 0 or the fluid limit already).
  double max_agents = 1e15;
  /// A piece narrower than this many time constants 1 / (lambda + n mu + 1 / mean patience)
  /// (e.g. a target time of 1e-300 s) is integrated by the trapezoid rule: relative error
  /// ~1e-24, where tanh-sinh's nodes would not be distinct doubles.
  double tiny_piece = 1e-12;
  /// The abandonment integral int (1 - G) e is also split where G(x) falls through these
  /// levels: its mass can sit far beyond the mode of e (a near-deterministic patience, long
  /// against the waits), where a quadrature from the mode alone sees ~0 and stops (the
  /// randomized audit, tests/data/queueing/audit_omnichannel.py seed 1212 point 16: gamma
  /// k = 151, P(abandon) 2.7e-6 came out 4.8e-11).
  double abandon_split_levels[3] = {1.0 - 1e-6, 0.999, 0.5};
  /// ... and, below capacity (mode of e at 0, e ~ e^{-(n mu - lambda) x} at first), at these
  /// multiples of 1 / (n mu - lambda): where 1 - G(x) ~ x^k rises from 0, the integrand peaks
  /// near k / (n mu - lambda), far below the quantiles above (the audit's point 4: Weibull
  /// k = 9.7, a peak at 0.3 s inside a first piece of 1,200 s, P(abandon) 2.9e-9 off).
  double abandon_split_scales[3] = {1.0, 10.0, 100.0};
  /// Finite pieces are first integrated by Gauss-Kronrod (21 points, bisected up to this many
  /// levels), accepted when |Kronrod - Gauss| <= 2 kronrod_tolerance |Kronrod| (its error is
  /// then ~1e-15: finite_piece); else by tanh-sinh to `tolerance`.
  unsigned kronrod_depth = 4;
  double kronrod_tolerance = 1e-11;
  /// The pieces of an integral beyond the mode of e are dropped once a bound on all that
  /// remains is below this share of the sum so far (integrate()).
  double negligible = 1e-17;
  /// An infinite range is marched in pieces over which e falls by about e^{-tail_drop}, at most
  /// tail_pieces of them before exp-sinh takes the rest; near the mode, where e's slope
  /// n mu - lambda G is ~0, the widths use at least tail_min_decay n mu (integrate()).
  double tail_drop = 8.0;
  int tail_pieces = 32;
  double tail_min_decay = 0.1;
};

/// Lognormal parameters (sigma^2 = log(1 + cv^2), m = log(mean) - sigma^2 / 2).
struct LogParams {
  double m, s;
};
LogParams log_params(const PatienceDistribution& p) {
  const double s2 = std::log1p(p.shape * p.shape);
  return {std::log(p.mean) - 0.5 * s2, std::sqrt(s2)};
}
double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

/// Weibull scale: mean / Gamma(1 + 1/k).
double weibull_scale(const PatienceDistribution& p) {
  return p.mean / std::tgamma(1.0 + 1.0 / p.shape);
}

/// Weibull H(x) = int_0^x e^{-(u/c)^k} du = mean P(a, y), a = 1/k, y = (x/c)^k (regularized
/// lower incomplete gamma; substitution v = (u/c)^k), given y and G = e^{-y}. Since
/// c y^a = x and mean = c Gamma(1 + a), no gamma function is needed:
///   y < a + 1:  mean P(a, y) = x G sum_{j>=0} y^j / ((a+1)(a+2)...(a+j))
///               (DLMF 8.7.1: gamma*(a, y) = e^{-y} sum_j y^j / Gamma(a + j + 1)),
///   y >= a + 1: mean Q(a, y) = a x G F, F = Gamma(a, y) e^y y^{-a}, Legendre's continued
///               fraction (DLMF 8.9.2).
/// Both sums are the scaled incomplete gamma functions of detail/gamma_terms.hpp
/// (`lower_series`, `upper_fraction`), which Erlang A uses. Returns NaN outside
/// a <= weibull_series_max_a, y <= weibull_series_max_y (Boost's gamma_p is used there).
double weibull_mean_truncated_fast(double x, double a, double y, double g, double mean) {
  const PatiencePolicy w;
  if (!(a <= w.weibull_series_max_a && y <= w.weibull_series_max_y))
    return std::numeric_limits<double>::quiet_NaN();
  if (y < a + 1.0) return x * g * detail::lower_series(a, y);
  return mean - a * x * g * detail::upper_fraction(a, y);
}

/// Weibull H(x) (as above), for y = (x/c)^k and G = e^{-y} already formed.
double weibull_mean_truncated(double x, double k, double y, double g, double mean) {
  // y small: int_0^x e^{-(u/c)^k} du = x sum_j (-y)^j / (j! (j k + 1)), four terms (the
  // next is below y^4 / 24 < 5e-18 of the first). mean P(1/k, y) loses it there: for a large
  // k, y underflows to 0 well below the scale (0.9^(1e4) = 1e-458) and H came out 0 for
  // H = x (found by tests/data/queueing/audit_omnichannel.py's session: Weibull k = 1e4 gave
  // P(wait) 0.33 for the deterministic limit's 0.58).
  if (y < 1e-4)
    return x * (1.0 - y / (k + 1.0) + y * y / (2.0 * (2.0 * k + 1.0)) -
                y * y * y / (6.0 * (3.0 * k + 1.0)));
  const double fast = weibull_mean_truncated_fast(x, 1.0 / k, y, g, mean);
  if (!std::isnan(fast)) return fast;
  return mean * boost::math::gamma_p(1.0 / k, y, detail::gamma_policy{});
}

}  // namespace

namespace {
/// mean [s] > 0, finite and <= PatiencePolicy::max_mean.
void require_mean(double mean, std::string_view name = "mean [s]") {
  wfm::detail::require_positive("wfm::queueing::PatienceDistribution", name, mean);
  if (mean > PatiencePolicy{}.max_mean)
    wfm::detail::throw_constraint("wfm::queueing::PatienceDistribution", name,
                                  "must be <= 1e12 s (for callers who never abandon, use Erlang "
                                  "C)",
                                  mean);
}

}  // namespace

PatienceDistribution PatienceDistribution::exponential(double mean) {
  require_mean(mean);
  return {Kind::exponential, mean, 1.0, {}, {}, {}, {}};
}
PatienceDistribution PatienceDistribution::deterministic(double value) {
  require_mean(value, "value [s]");
  return {Kind::deterministic, value, 0.0, {}, {}, {}, {}};
}
PatienceDistribution PatienceDistribution::lognormal(double mean, double cv) {
  require_mean(mean);
  wfm::detail::require_positive("wfm::queueing::PatienceDistribution", "cv", cv);
  if (cv > PatiencePolicy{}.max_lognormal_cv)
    wfm::detail::throw_constraint("wfm::queueing::PatienceDistribution", "cv", "must be <= 1e6",
                                  cv);
  return {Kind::lognormal, mean, cv, {}, {}, {}, {}};
}
PatienceDistribution PatienceDistribution::weibull(double mean, double k) {
  require_mean(mean);
  wfm::detail::require_positive("wfm::queueing::PatienceDistribution", "shape k", k);
  return {Kind::weibull, mean, k, {}, {}, {}, {}};
}

namespace {
/// "name[i] unit" (built by appending: GCC 12 warns falsely on "..." + std::string&&).
std::string indexed(std::string_view name, std::size_t i, std::string_view unit = {}) {
  std::string s(name);
  s += '[';
  s += std::to_string(i);
  s += ']';
  s += unit;
  return s;
}
}  // namespace

namespace {

/// The Erlang-k law (gamma with a whole shape k) at y = x / scale: G = Q(k, y) and
/// P(k + 1, y), regularized incomplete gamma functions, from the Poisson terms
/// t_j = e^{-y} y^j / j!: Q(k, y) = sum_{j<k} t_j (Abramowitz & Stegun 6.5.13) and
/// P(k + 1, y) = 1 - Q(k, y) - t_k; while y < k from the series P(k, y) = sum_{j>=k} t_j
/// instead, so that the smaller of P and Q is always summed directly, never a difference that
/// cancels. k multiplications and one exp (log space beyond y = 700, where e^{-y} underflows
/// while y^j / j! is large): 10-50x faster than the general-shape functions, which matters,
/// since the quadratures evaluate the law ~1,000 times per metric.
struct ErlangTerms {
  double survival;     ///< Q(k, y)
  double lower_next;   ///< P(k + 1, y)
};
ErlangTerms erlang_terms(int k, double y) {
  if (y <= 0.0) return {1.0, 0.0};
  if (!(y <= std::numeric_limits<double>::max())) return {0.0, 1.0};  // x / scale overflowed
  double t = 0.0, below = 0.0;  // t: the current term t_j; below: sum_{j<k} t_j
  if (y < 700.0) {
    t = std::exp(-y);
    for (int j = 0; j < k; ++j) {
      below += t;
      t *= y / (j + 1);
    }
  } else {
    const double log_y = std::log(y);
    double log_t = -y;
    for (int j = 0; j < k; ++j) {
      below += std::exp(log_t);
      log_t += log_y - std::log(j + 1.0);
    }
    t = std::exp(log_t);
  }
  if (y < static_cast<double>(k)) {  // t_j falls from j = k on: sum the upper tail
    double upper = 0.0, term = t;
    for (int j = k + 1; term > 1e-17 * upper; ++j) {
      upper += term;
      term *= y / j;
    }
    return {1.0 - upper, upper - t};
  }
  return {below, 1.0 - below - t};
}

/// Largest whole shape served by erlang_terms (beyond, Boost's general functions).
constexpr double kErlangShapes = 200.0;
bool whole_shape(double k) { return k == std::floor(k) && k <= kErlangShapes; }

}  // namespace

PatienceDistribution PatienceDistribution::gamma(double mean, double k) {
  require_mean(mean);
  wfm::detail::require_positive("wfm::queueing::PatienceDistribution", "shape k", k);
  if (k > PatiencePolicy{}.max_gamma_shape)
    wfm::detail::throw_constraint("wfm::queueing::PatienceDistribution", "shape k",
                                  "must be <= 1e6 (beyond, the law is deterministic within "
                                  "0.1 %: use deterministic)",
                                  k);
  return {Kind::gamma, mean, k, {}, {}, {}, {}};
}

PatienceDistribution PatienceDistribution::piecewise_hazard(std::vector<double> knots,
                                                            std::vector<double> hazard) {
  constexpr std::string_view where = "wfm::queueing::PatienceDistribution::piecewise_hazard";
  if (hazard.size() != knots.size() + 1)
    wfm::detail::throw_invalid(where, "hazard needs one rate more than knots (the last piece is "
                          "[t_m, inf)), got " + std::to_string(hazard.size()) + " rates for " +
                          std::to_string(knots.size()) + " knots");
  for (std::size_t i = 0; i < knots.size(); ++i) {
    const std::string name = indexed("knots", i, " [s]");
    wfm::detail::require_positive(where, name, knots[i]);
    if (i > 0 && !(knots[i] > knots[i - 1]))
      wfm::detail::throw_constraint(where, name, "must exceed the previous knot", knots[i]);
  }
  for (std::size_t i = 0; i + 1 < hazard.size(); ++i)
    wfm::detail::require_nonnegative(where, indexed("hazard", i, " [1/s]"), hazard[i]);
  wfm::detail::require_positive_or_inf(where, "hazard[last] [1/s] (a finite mean needs it)",
                                       hazard.back());
  PatienceDistribution p{Kind::piecewise_hazard, 0.0, 0.0, std::move(knots), std::move(hazard),
                         {1.0}, {0.0}};
  for (std::size_t i = 0; i < p.knots.size(); ++i) {  // G and H at each knot, piece by piece
    const double width = p.knots[i] - (i == 0 ? 0.0 : p.knots[i - 1]);
    const double g = p.survival_at_knot.back(), h = p.hazard[i];
    p.mean_truncated_at_knot.push_back(p.mean_truncated_at_knot.back() +
                                       (h > 0.0 ? -g * std::expm1(-h * width) / h : g * width));
    p.survival_at_knot.push_back(g * std::exp(-h * width));
  }
  const double h_last = p.hazard.back();
  p.mean = p.mean_truncated_at_knot.back() +
           (std::isinf(h_last) ? 0.0 : p.survival_at_knot.back() / h_last);
  if (!(p.mean > 0.0))
    wfm::detail::throw_invalid(where, "the mean patience is 0 (hazard +inf from time 0)");
  if (!(p.mean <= PatiencePolicy{}.max_mean))
    wfm::detail::throw_constraint(where, "hazard[last] [1/s]",
                                  "is so small that the mean patience exceeds 1e12 s", h_last);
  return p;
}

namespace {

/// The points of a survival curve kept by from_survival: all, or `pieces` of them evenly
/// spaced in survival (the first point at or below each level), the last always kept.
std::vector<std::size_t> thin(const std::vector<double>& survival, std::size_t pieces) {
  const std::size_t m = survival.size();
  std::vector<std::size_t> keep;
  if (m <= pieces) {
    for (std::size_t j = 0; j < m; ++j) keep.push_back(j);
    return keep;
  }
  const double drop = 1.0 - survival.back();
  std::size_t j = 0;
  for (std::size_t level = 1; level < pieces; ++level) {
    const double target = 1.0 - drop * static_cast<double>(level) / static_cast<double>(pieces);
    while (j + 1 < m && survival[j] > target) ++j;
    if (keep.empty() || keep.back() != j) keep.push_back(j);
  }
  if (keep.back() != m - 1) keep.push_back(m - 1);
  return keep;
}

}  // namespace

namespace {

/// piecewise_hazard() for from_survival(): its errors name the data they came from.
PatienceDistribution from_hazards(std::vector<double> knots, std::vector<double> hazard) {
  try {
    return PatienceDistribution::piecewise_hazard(std::move(knots), std::move(hazard));
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(std::string("wfm::queueing::PatienceDistribution::from_survival: "
                                      "times, survival and tail_hazard give no valid law: ") +
                          e.what());
  }
}

}  // namespace

PatienceDistribution PatienceDistribution::from_survival(const std::vector<double>& times,
                                                         const std::vector<double>& survival,
                                                         double tail_hazard) {
  constexpr std::string_view where = "wfm::queueing::PatienceDistribution::from_survival";
  if (times.empty() || times.size() != survival.size())
    wfm::detail::throw_invalid(where, "times and survival must be non-empty and of one length, got " +
                          std::to_string(times.size()) + " and " +
                          std::to_string(survival.size()));
  for (std::size_t j = 0; j < times.size(); ++j) {
    const std::string t = indexed("times", j, " [s]"), sj = indexed("survival", j);
    wfm::detail::require_positive(where, t, times[j]);
    if (j > 0 && !(times[j] > times[j - 1]))
      wfm::detail::throw_constraint(where, t, "must exceed the previous time", times[j]);
    wfm::detail::require_unit(where, sj, survival[j]);
    if (j > 0 && survival[j] > survival[j - 1])
      wfm::detail::throw_constraint(where, sj, "must not exceed the previous value", survival[j]);
  }
  if (!std::isnan(tail_hazard))
    wfm::detail::require_positive_or_inf(where, "tail_hazard [1/s]", tail_hazard);
  std::vector<double> knots, hazard;
  double t0 = 0.0, s0 = 1.0;
  for (std::size_t j : thin(survival, PatiencePolicy{}.max_pieces)) {
    const double t = times[j], s = survival[j];
    knots.push_back(t);
    if (s == 0.0) {  // patience ends at t: S flat on [t0, t), then 0
      hazard.push_back(0.0);
      hazard.push_back(std::numeric_limits<double>::infinity());
      return from_hazards(std::move(knots), std::move(hazard));
    }
    hazard.push_back(std::log(s0 / s) / (t - t0));
    if (!std::isfinite(hazard.back()))
      wfm::detail::throw_constraint(where, indexed("times", j, " and survival") + indexed("", j),
                                    "fall too steeply from the point before (the hazard "
                                    "overflows)",
                                    t);
    t0 = t;
    s0 = s;
  }
  if (std::isnan(tail_hazard)) {
    if (s0 == 1.0)
      wfm::detail::throw_invalid(where, "the survival never falls below 1 (no abandonment in the "
                            "data): give tail_hazard [1/s]");
    tail_hazard = -std::log(s0) / t0;
  }
  if (!std::isinf(tail_hazard) && !(s0 / tail_hazard <= PatiencePolicy{}.max_mean))
    wfm::detail::throw_constraint(where, "tail_hazard [1/s]",
                                  "is so small that the mean patience exceeds 1e12 s",
                                  tail_hazard);
  hazard.push_back(tail_hazard);
  return from_hazards(std::move(knots), std::move(hazard));
}

namespace {

/// The piece of a piecewise-hazard law that holds x: i with t_i <= x < t_{i+1} (t_0 = 0).
std::size_t piece_of(const PatienceDistribution& p, double x) {
  return static_cast<std::size_t>(std::upper_bound(p.knots.begin(), p.knots.end(), x) -
                                  p.knots.begin());
}
double piece_start(const PatienceDistribution& p, std::size_t i) {
  return i == 0 ? 0.0 : p.knots[i - 1];
}

}  // namespace

std::vector<double> PatienceDistribution::breakpoints() const {
  if (kind == Kind::deterministic) return {mean};
  if (kind == Kind::piecewise_hazard) return knots;
  // A concentrated law (coefficient of variation below 0.1: Weibull k > 12.2, gamma k > 100,
  // lognormal cv < 0.1) falls from 1 to 0 within a few per cent of its median, nearly a jump,
  // where e(x) bends sharply; a quadrature across it misses the bend (found by the audit of
  // tests/data/queueing/audit_omnichannel.py: Weibull k = 1e4, mean 60 s gave P(wait) 0.33
  // where the deterministic limit is 0.58). Split at the median.
  const bool concentrated = (kind == Kind::weibull && shape > 12.2) ||
                            (kind == Kind::gamma && shape > 100.0) ||
                            (kind == Kind::lognormal && shape < 0.1);
  if (concentrated) {
    const double median = survival_quantile(0.5);
    if (median > 0.0 && std::isfinite(median)) return {median};
  }
  return {};
}

double PatienceDistribution::survival(double x) const {
  if (x <= 0.0) return 1.0;
  switch (kind) {
    case Kind::gamma:
      return whole_shape(shape) ? erlang_terms(static_cast<int>(shape), x * shape / mean).survival
                                : boost::math::gamma_q(shape, x * shape / mean, detail::gamma_policy{});
    case Kind::piecewise_hazard: {
      const std::size_t i = piece_of(*this, x);
      if (std::isinf(hazard[i])) return 0.0;
      return survival_at_knot[i] * std::exp(-hazard[i] * (x - piece_start(*this, i)));
    }
    case Kind::exponential: return std::exp(-x / mean);
    case Kind::deterministic: return x < mean ? 1.0 : 0.0;
    case Kind::lognormal: {
      const LogParams l = log_params(*this);
      if (!(l.s > 0.0)) return x < mean ? 1.0 : 0.0;  // cv ~ 1e-300: deterministic (no 0 / 0)
      return normal_cdf(-(std::log(x) - l.m) / l.s);
    }
    case Kind::weibull: return std::exp(-std::pow(x / weibull_scale(*this), shape));
  }
  return 0.0;
}

// H(x) = x G(x) + E[P; P <= x] (integration by parts). Lognormal: E[P; P <= x] =
// mean Phi((log x - m - s^2) / s); Weibull: int_0^x exp(-(u/c)^k) du = mean P(1/k, (x/c)^k)
// (regularized lower incomplete gamma; substitution v = (u/c)^k).
double PatienceDistribution::mean_truncated(double x) const {
  if (x <= 0.0) return 0.0;
  switch (kind) {
    // Gamma(k, c = mean / k): E[P; P <= x] = mean P(k + 1, x / c) (x g_k(x) = k c g_{k+1}(x)).
    case Kind::gamma: {
      const double y = x * shape / mean;
      if (whole_shape(shape)) {
        const ErlangTerms e = erlang_terms(static_cast<int>(shape), y);
        return x * e.survival + mean * e.lower_next;
      }
      return x * boost::math::gamma_q(shape, y, detail::gamma_policy{}) +
             mean * boost::math::gamma_p(shape + 1.0, y, detail::gamma_policy{});
    }
    case Kind::piecewise_hazard: {  // H(t_i) + G(t_i) (1 - e^{-h u}) / h, u = x - t_i
      const std::size_t i = piece_of(*this, x);
      const double u = x - piece_start(*this, i), g = survival_at_knot[i], h = hazard[i];
      if (std::isinf(h)) return mean_truncated_at_knot[i];
      return mean_truncated_at_knot[i] + (h > 0.0 ? -g * std::expm1(-h * u) / h : g * u);
    }
    case Kind::exponential: return -mean * std::expm1(-x / mean);
    case Kind::deterministic: return std::min(x, mean);
    case Kind::lognormal: {
      const LogParams l = log_params(*this);
      if (!(l.s > 0.0)) return std::min(x, mean);  // cv ~ 1e-300: deterministic (no 0 / 0)
      const double z = (std::log(x) - l.m) / l.s;
      return x * normal_cdf(-z) + mean * normal_cdf(z - l.s);
    }
    case Kind::weibull: {
      const double y = std::pow(x / weibull_scale(*this), shape);
      return weibull_mean_truncated(x, shape, y, std::exp(-y), mean);
    }
  }
  return 0.0;
}

double PatienceDistribution::survival_quantile(double p) const {
  switch (kind) {
    case Kind::gamma: return mean / shape * boost::math::gamma_q_inv(shape, p, detail::gamma_policy{});
    case Kind::piecewise_hazard: {
      // the piece i where G falls through p: G(t_i) > p >= G(t_{i+1}) (or the last piece)
      std::size_t i = 0;
      while (i < knots.size() && survival_at_knot[i + 1] > p) ++i;
      if (std::isinf(hazard[i])) return piece_start(*this, i);
      if (hazard[i] == 0.0) return knots[i];  // G flat at p on the piece, then falls
      return piece_start(*this, i) + std::log(survival_at_knot[i] / p) / hazard[i];
    }
    case Kind::exponential: return -mean * std::log(p);
    case Kind::deterministic: return mean;
    case Kind::lognormal: {  // Phi(-z) = p  <=>  z = sqrt(2) erfc_inv(2 p)
      const LogParams l = log_params(*this);
      return std::exp(l.m + l.s * std::sqrt(2.0) * boost::math::erfc_inv(2.0 * p, detail::gamma_policy{}));
    }
    case Kind::weibull: return weibull_scale(*this) * std::pow(-std::log(p), 1.0 / shape);
  }
  return 0.0;
}

GeneralPatience::GeneralPatience(double arrival_rate, double handle_time,
                                 PatienceDistribution patience)
    : arrival_rate_(arrival_rate), handle_time_(handle_time), patience_(patience) {
  detail::check_traffic(kWhere, arrival_rate, handle_time);
  wfm::detail::require_positive(kWhere, "patience.mean [s]", patience_.mean);
  if (patience_.mean > PatiencePolicy{}.max_mean)
    wfm::detail::throw_constraint(kWhere, "patience.mean [s]",
                                  "must be <= 1e12 (for callers who never abandon, use Erlang "
                                  "C)",
                                  patience_.mean);
}

GeneralPatienceMetrics GeneralPatience::metrics(double agents, double target_time,
                                                ServiceLevelDefinition d, AsaOver over,
                                                unsigned want) const {
  detail::check_agents(kWhere, agents);
  detail::check_target_time(kWhere, target_time);
  agents = std::min(agents, QuadraturePolicy{}.max_agents);
  const double lo = std::floor(agents), frac = agents - lo;
  GeneralPatienceMetrics a = whole(static_cast<std::int64_t>(lo), target_time, d, over, want);
  if (frac == 0.0) return a;
  const GeneralPatienceMetrics b =
      whole(static_cast<std::int64_t>(lo) + 1, target_time, d, over, want);
  return detail::mix_agent_metrics(frac, std::move(a), b);
}

namespace {

/// int_0^width g: Gauss-Kronrod (10-point Gauss, 21-point Kronrod; Boost's tables and
/// bisection, at most kronrod_depth levels), accepted when the Kronrod - Gauss difference is
/// below kronrod_tolerance of the result. e and the factors of the integrands are smooth
/// (analytic) on a piece, so the Kronrod rule's error is then far smaller still (it is exact to
/// degree 31 where the Gauss rule is to 19: Piessens et al. 1983, QUADPACK, sec. 2.2.1, whose
/// error estimate 200 |K - G|^1.5 is below 2e-14 here). Otherwise (a piece too long for a few
/// bisections), the adaptive tanh-sinh rule.
template <class G>
double finite_piece(const G& g, double width, boost::math::quadrature::tanh_sinh<double>& finite,
                    const QuadraturePolicy& policy) {
  double error = 0.0;
  const double k = boost::math::quadrature::gauss_kronrod<double, 21>::integrate(
      g, 0.0, width, policy.kronrod_depth, policy.kronrod_tolerance, &error);
  if (std::isfinite(k) && error <= 2.0 * policy.kronrod_tolerance * std::abs(k)) return k;
  return finite.integrate(g, 0.0, width, policy.tolerance);
}

/// What integrate() knows of an integrand f >= 0 beyond its values (see whole()).
template <class R, class D>
struct Envelope {
  R rest;   ///< rest(a) >= int_a^inf f (+inf where no bound is known)
  D decay;  ///< decay(a) > 0: beyond a, e falls about as e^{-decay(a) (x - a)} (piece widths)
  bool smooth_at_zero;  ///< f analytic at 0 (false: Weibull or gamma of a fractional shape)
};

/// int of f >= 0 over [lo, hi] (hi may be +inf), split at the breakpoints; Gauss-Kronrod or
/// tanh-sinh on finite pieces (finite_piece; tanh-sinh directly on a piece from 0 where f is
/// not smooth there). An infinite last piece is marched in pieces over which e falls by about
/// e^{-tail_drop} (the first by tanh-sinh), and exp-sinh takes what is left after tail_pieces
/// of them. Once env.rest(a)
/// is below QuadraturePolicy::negligible of the sum so far, the rest is dropped (the pieces of
/// an estimated law far beyond the waits, where e ~ 0, and the tail).
template <class F, class R, class D>
double integrate(const F& f, double lo, double hi, const std::vector<double>& breaks,
                 double rate, const QuadraturePolicy& policy, const Envelope<R, D>& env) {
  thread_local boost::math::quadrature::tanh_sinh<double> finite;
  thread_local boost::math::quadrature::exp_sinh<double> tail;
  std::vector<double> pts{lo};
  for (double b : breaks)
    if (b > lo && b < hi) pts.push_back(b);
  pts.push_back(hi);
  // Each piece is shifted to start at 0 (Boost's nodes then never round onto the endpoint).
  double sum = 0.0;
  auto negligible = [&](double a) { return sum > 0.0 && env.rest(a) <= policy.negligible * sum; };
  auto piece = [&](double a, double width, bool adaptive) {
    auto g = [&](double u) { return f(a + u); };
    if (width * rate < policy.tiny_piece) return 0.5 * width * (g(0.0) + g(width));  // trapezoid
    if (adaptive || (a == 0.0 && !env.smooth_at_zero))
      return finite.integrate(g, 0.0, width, policy.tolerance);
    return finite_piece(g, width, finite, policy);
  };
  for (std::size_t i = 0; i + 1 < pts.size(); ++i) {
    double a = pts[i];
    const double width = pts[i + 1] - a;
    if (i > 0 && negligible(a)) break;
    if (std::isfinite(width)) {
      if (width > 0.0) sum += piece(a, width, false);
      continue;
    }
    for (int j = 0; j < policy.tail_pieces; ++j) {
      const double w = policy.tail_drop / env.decay(a);
      if (!(w > 0.0 && std::isfinite(a + w) && a + w > a)) break;
      // the first by tanh-sinh, whose nodes crowd at the ends: G may still fall steeply just
      // past the breakpoint (the tail hazard of an estimated law, a concentrated law's median),
      // on a scale far below the width, set by e alone
      sum += piece(a, w, j == 0);
      a += w;
      if (negligible(a)) return sum;
    }
    sum += tail.integrate([&](double u) { return f(a + u); }, policy.tolerance);
  }
  return sum;
}

/// 1 - G(x), formed without the cancellation of 1 - G where G is near 1 (short waits against
/// the patience, where P(abandon) can be 1e-100: the audit above found 1.5e-125 returned as 0):
/// exponential and Weibull by expm1, gamma by the regularized P(k, y), lognormal by Phi(z),
/// the first piece of a piecewise hazard by expm1.
double abandoned_by(const PatienceDistribution& p, double x) {
  using Kind = PatienceDistribution::Kind;
  if (x <= 0.0) return 0.0;
  switch (p.kind) {
    case Kind::exponential: return -std::expm1(-x / p.mean);
    case Kind::weibull: return -std::expm1(-std::pow(x / weibull_scale(p), p.shape));
    case Kind::gamma: return boost::math::gamma_p(p.shape, x * p.shape / p.mean, detail::gamma_policy{});
    case Kind::lognormal: {
      const LogParams l = log_params(p);
      const double y = std::log(x) - l.m;  // sigma = 0 (cv ~ 1e-300): a point mass at e^m
      if (!(l.s > 0.0)) return y < 0.0 ? 0.0 : 1.0;
      return normal_cdf(y / l.s);
    }
    case Kind::piecewise_hazard:
      if (piece_of(p, x) == 0 && std::isfinite(p.hazard[0])) return -std::expm1(-p.hazard[0] * x);
      return 1.0 - p.survival(x);
    case Kind::deterministic: return x < p.mean ? 0.0 : 1.0;
  }
  return 1.0 - p.survival(x);
}

/// The patience law as whole() evaluates it at every quadrature node: G(x) and H(x) together,
/// with the constants of a family formed once (Weibull: the scale, whose Gamma(1 + 1/k) was
/// otherwise computed at every node, and one pow / exp shared by G and H; piecewise hazard:
/// one search for the piece). The values are those of survival() and mean_truncated().
class Law {
 public:
  explicit Law(const PatienceDistribution& p)
      : p_(p), weibull_(p.kind == PatienceDistribution::Kind::weibull),
        scale_(weibull_ ? weibull_scale(p) : 0.0) {}
  struct Values {
    double g, h;  // G(x), H(x)
  };
  [[nodiscard]] Values at(double x) const {
    if (x <= 0.0) return {1.0, 0.0};
    if (weibull_) {
      const double y = std::pow(x / scale_, p_.shape), g = std::exp(-y);
      return {g, weibull_mean_truncated(x, p_.shape, y, g, p_.mean)};
    }
    if (p_.kind == PatienceDistribution::Kind::piecewise_hazard) {
      const std::size_t i = piece_of(p_, x);
      const double h = p_.hazard[i];
      if (std::isinf(h)) return {0.0, p_.mean_truncated_at_knot[i]};
      const double u = x - piece_start(p_, i), g = p_.survival_at_knot[i];
      // H(t_i) + G(t_i) (1 - e^{-h u}) / h, as mean_truncated()
      return {g * std::exp(-h * u),
              p_.mean_truncated_at_knot[i] + (h > 0.0 ? -g * std::expm1(-h * u) / h : g * u)};
    }
    return {p_.survival(x), p_.mean_truncated(x)};
  }
  [[nodiscard]] double mean_truncated(double x) const { return at(x).h; }
  /// G and H analytic at 0 (a fractional Weibull or gamma shape k: G has a term x^k there)
  [[nodiscard]] bool smooth_at_zero() const {
    using Kind = PatienceDistribution::Kind;
    const bool fractional = p_.shape != std::floor(p_.shape);
    return !((p_.kind == Kind::weibull || p_.kind == Kind::gamma) && fractional);
  }
  /// 1 - G(x) (abandoned_by; Weibull by expm1 with the scale formed once)
  [[nodiscard]] double abandoned(double x) const {
    if (weibull_ && x > 0.0) return -std::expm1(-std::pow(x / scale_, p_.shape));
    return abandoned_by(p_, x);
  }

 private:
  const PatienceDistribution& p_;
  bool weibull_;
  double scale_;
};

/// log(1 + e^y) without overflow.
double log1p_exp(double y) { return y > 0.0 ? y + std::log1p(std::exp(-y)) : std::log1p(std::exp(y)); }

}  // namespace

GeneralPatienceMetrics GeneralPatience::whole(std::int64_t n, double t, ServiceLevelDefinition d,
                                              AsaOver over, unsigned want) const {
  GeneralPatienceMetrics out;
  const PatienceDistribution& p = patience_;
  const double lambda = arrival_rate_;
  if (lambda == 0.0) return out;
  if (n == 0) {  // nobody: everyone abandons after their patience
    out.wait_probability = out.abandon_rate = out.occupancy = 1.0;
    out.service_level = d == ServiceLevelDefinition::wait_within ? 1.0 - p.survival(t) : 0.0;
    out.asa_s = over == AsaOver::all ? p.mean : kInf;
    out.queue_length = lambda * p.mean;
    return out;
  }
  const double nmu = static_cast<double>(n) / handle_time_;
  if (std::isinf(nmu)) {  // handle times of ~1e-310 s: service is instant, nobody waits
    out.occupancy = std::min(1.0, load() / static_cast<double>(n));
    return out;
  }
  // mode x* of e(x): lambda G(x*) = n mu (e is log-concave: (log e)' = lambda G - n mu falls)
  const double x_star = lambda > nmu ? p.survival_quantile(nmu / lambda) : 0.0;
  const Law law(p);
  auto phi = [&](double x) { return lambda * law.mean_truncated(x) - nmu * x; };
  const double m = phi(x_star);
  // Beyond x_far, e < e^-750 (phi(x) - m <= lambda (mean - H(x*)) - n mu (x - x*)): a target
  // time beyond it (1e308 s) is x_far, so that no quadrature node lands at an overflowing x.
  t = std::min(t, x_star + (lambda * (p.mean - p.mean_truncated(x_star)) + 750.0) / nmu);
  auto e = [&](double x) { return std::exp(phi(x) - m); };  // <= 1
  // G(x) e(x) with one evaluation of the law
  auto g_e = [&](double x) {
    const Law::Values v = law.at(x);
    return v.g * std::exp(lambda * v.h - nmu * x - m);
  };
  std::vector<double> breaks = p.breakpoints();
  breaks.push_back(x_star);
  std::sort(breaks.begin(), breaks.end());
  const QuadraturePolicy q;
  const double rate = lambda + nmu + 1.0 / p.mean;
  // Bounds of what remains beyond a >= x* of the integrals: log e is concave (its slope
  // lambda G - n mu falls), so e(x) <= e(a) e^{-s (x - a)}, s = n mu - lambda G(a) > 0, hence
  // int_a^inf e <= e(a) / s and int_a^inf x e <= e(a) (a / s + 1 / s^2); the factors G, 1 - G
  // are <= 1 and H <= mean. factor: 0 (<= 1), 1 (H), 2 (x).
  auto rest = [&](double a, int factor) {
    const double s = nmu - lambda * law.at(a).g;
    if (a < x_star || !(s > 0.0)) return kInf;
    const double ea = e(a);
    return factor == 2 ? ea * (a / s + 1.0 / (s * s)) : (factor == 1 ? p.mean : 1.0) * ea / s;
  };
  // decay for the widths of the tail pieces: n mu - lambda G(a), the slope of -log e at a
  auto decay = [&](double a) {
    return std::max(nmu - lambda * law.at(a).g, q.tail_min_decay * nmu);
  };
  auto envelope = [&](int factor) {
    auto r = [&rest, factor](double a) { return rest(a, factor); };
    return Envelope<decltype(r), decltype(decay)>{r, decay, law.smooth_at_zero()};
  };
  auto integral = [&](const auto& f, double lo, double hi, int factor = 0) {
    return integrate(f, lo, hi, breaks, rate, q, envelope(factor));
  };
  // log of lambda e^m / E, E = 1 / B(n - 1, a) (inverse_erlang_b: 1/B, +inf when B < 1e-280)
  const double log_e_big = std::log(detail::inverse_erlang_b(static_cast<double>(n - 1), load()));
  const double log_scale = std::log(lambda) + m - log_e_big;  // lambda e^m / E
  const double big_j = integral(e, 0.0, kInf);
  const double log_w = log_scale + std::log(big_j);   // w = lambda J / E
  const double log_norm = log1p_exp(log_w);            // log(1 + w)
  auto share = [&](double integral_value) {  // lambda int(...) / (E + lambda J)
    return integral_value > 0.0 ? std::exp(log_scale + std::log(integral_value) - log_norm) : 0.0;
  };
  out.wait_probability = std::exp(log_w - log_norm);
  // P(abandon) is needed by the abandonment, occupancy, answered-only SL and ASA
  const bool answered_only = d == ServiceLevelDefinition::answered_given_answered;
  if ((want & kAbandon) != 0 || ((want & kServiceLevel) != 0 && answered_only) ||
      ((want & kAsa) != 0 && over == AsaOver::answered))
  {
    std::vector<double> splits = breaks;
    // a split must be a point where e is a number (a lognormal of sigma = 0 has 0 / 0 at its
    // median) and not microscopic against the queue's time scale (a patience of 1e-320 s
    // would make a denormal piece that the rate of integrate() cannot see as tiny)
    auto add_split = [&](double x) {
      if (std::isfinite(x) && x * (lambda + nmu) >= q.tiny_piece && std::isfinite(phi(x)))
        splits.push_back(x);
    };
    for (double level : q.abandon_split_levels) add_split(p.survival_quantile(level));
    if (x_star == 0.0 && nmu > lambda)
      for (double scale : q.abandon_split_scales) add_split(scale / (nmu - lambda));
    std::sort(splits.begin(), splits.end());
    out.abandon_rate = std::min(
        1.0, share(integrate([&](double x) { return law.abandoned(x) * e(x); }, 0.0, kInf,
                             splits, rate, q, envelope(0))));
  }
  const double served = 1.0 - out.abandon_rate;
  out.occupancy = std::min(1.0, load() * served / static_cast<double>(n));
  auto level = [&]() -> double {
    const double no_wait = std::exp(-log_norm);  // E / (E + lambda J)
    const double answered_t =
        t > 0.0 ? share(integral(g_e, 0.0, t)) : 0.0;
    switch (d) {
      case ServiceLevelDefinition::answered_within: return no_wait + answered_t;
      case ServiceLevelDefinition::answered_given_answered:
        return served > 0.0 ? (no_wait + answered_t) / served : 0.0;
      case ServiceLevelDefinition::virtual_wait_within: {
        // P(V > t) or P(0 < V <= t), whichever is small, integrated directly (may be 1e-100)
        const double beyond = share(integral(e, t, kInf));
        if (beyond < 0.5) return 1.0 - beyond;
        return no_wait + (t > 0.0 ? share(integral(e, 0.0, t)) : 0.0);
      }
      case ServiceLevelDefinition::wait_within:
        return 1.0 - p.survival(t) * share(integral(e, t, kInf));
    }
    return 0.0;
  };
  if ((want & kServiceLevel) != 0) out.service_level = std::clamp(level(), 0.0, 1.0);
  if ((want & kAsa) != 0) {
    const double asa_all = share(integral(
        [&](double x) {
          const Law::Values v = law.at(x);
          return v.h * std::exp(lambda * v.h - nmu * x - m);
        },
        0.0, kInf, 1));
    out.queue_length = lambda * asa_all;
    if (over == AsaOver::all) {
      out.asa_s = asa_all;
    } else {
      const double answered_wait =
          share(integral([&](double x) { return x * g_e(x); }, 0.0, kInf, 2));
      out.asa_s = served > 0.0 ? answered_wait / served : kInf;
    }
  }
  if (!std::isfinite(out.service_level) || !std::isfinite(out.abandon_rate)) {
    out.status = wfm::Status::not_converged;
    out.message = "a quadrature of the M/M/n+G formulas did not converge";
  }
  return out;
}

}  // namespace wfm::queueing
