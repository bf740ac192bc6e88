// Erlang X: the finite-lines chain and the redial fixed point (erlang_x.hpp).
#include <wfm/queueing/erlang_x.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include <wfm/core/error.hpp>
#include <wfm/queueing/detail/impatient_queue_terms.hpp>
#include <wfm/queueing/traffic.hpp>

namespace wfm::queueing {
namespace {
constexpr std::string_view kWhere = "wfm::queueing::ErlangX";
/// The redial fixed point: the iteration stops once its next step is below kFixedPointStep x (that
/// step, not taken, is the error left: ~20 ulps), within kMaxFixedPointSolves chain solves.
constexpr double kFixedPointStep = 4e-15;
constexpr int kMaxFixedPointSolves = 100;
}  // namespace

ErlangX::ErlangX(double arrival_rate, double handle_time, double patience, std::int64_t lines,
                 double redial_probability, BirthDeathPolicy policy)
    : arrival_rate_(arrival_rate),
      handle_time_(handle_time),
      patience_(patience),
      lines_(lines),
      redial_(redial_probability),
      policy_(policy) {
  detail::check_traffic(kWhere, arrival_rate, handle_time);
  wfm::detail::require_positive(kWhere, "patience [s]", patience);
  if (lines < 1) wfm::detail::throw_invalid(kWhere, "lines must be >= 1", static_cast<double>(lines));
  if (!(redial_probability >= 0.0 && redial_probability < 1.0))
    wfm::detail::throw_invalid(kWhere, "redial_probability must be in [0, 1)", redial_probability);
}

ErlangXMetrics ErlangX::metrics(double agents, double target_time, AsaOver over) const {
  detail::check_agents(kWhere, agents);
  detail::check_target_time(kWhere, target_time);
  const double capped = std::min(agents, static_cast<double>(lines_));
  const double lo = std::floor(capped);
  ErlangXMetrics a = whole(static_cast<std::int64_t>(lo), target_time, over);
  const double frac = capped - lo;
  if (frac == 0.0) return a;
  const ErlangXMetrics b = whole(static_cast<std::int64_t>(lo) + 1, target_time, over);
  auto mix = [frac](double& x, double y) {
    x = std::isinf(x) || std::isinf(y) ? x : x + frac * (y - x);
  };
  mix(a.effective_arrival_rate, b.effective_arrival_rate);
  mix(a.blocking_rate, b.blocking_rate);
  mix(a.abandon_rate, b.abandon_rate);
  mix(a.wait_probability, b.wait_probability);
  mix(a.service_level, b.service_level);
  mix(a.customer_service_level, b.customer_service_level);
  mix(a.lost_rate, b.lost_rate);
  mix(a.asa_s, b.asa_s);
  mix(a.queue_length, b.queue_length);
  mix(a.occupancy, b.occupancy);
  a.iterations += b.iterations;
  if (b.status != wfm::Status::ok) {
    a.status = b.status;
    a.message = b.message;
  }
  return a;
}

namespace {

/// The chain at attempt rate x: k = 0 .. N calls holding a line, ratios x / (min(k+1, n) mu +
/// (k+1-n)^+ theta), non-increasing from 0 (the engine's mode-centred window applies).
BirthDeathDistribution attempt_chain(std::int64_t n, std::int64_t lines, double x, double mu,
                                     double theta, const BirthDeathPolicy& policy) {
  auto ratio = [x, n, mu, theta](std::int64_t k) {  // by value: kept in registers
    const std::int64_t next = k + 1;
    return x / (static_cast<double>(std::min(next, n)) * mu +
                static_cast<double>(std::max<std::int64_t>(next - n, 0)) * theta);
  };
  return stationary_window(ratio, {.last_state = lines, .monotone_from = 0, .reference_state = n},
                           policy);
}

/// L(x) = pi_N + theta E[Q] / x and its first two derivatives. With a constant birth rate x,
/// w_k is proportional to x^k, so for any f, with D = K - E[K] and V = Var K,
///   d E[f] / dx = E[f D] / x,   d^2 E[f] / dx^2 = (E[f D^2] - E[f D] - V E[f]) / x^2
/// (pi_N is E[f] with f = 1{K = N}), and
///   L' = pi_N' + theta (E[Q]' / x - E[Q] / x^2),
///   L'' = pi_N'' + theta (E[Q]'' / x - 2 E[Q]' / x^2 + 2 E[Q] / x^3).
struct Loss {
  double value = 0.0, first = 0.0, second = 0.0;
};
Loss loss(const BirthDeathDistribution& d, std::int64_t n, std::int64_t lines, double x,
          double theta) {
  const std::size_t size = d.probability.size();
  const double* p = d.probability.data();
  const double mean_k = detail::index_weighted_sum(p, size, static_cast<double>(d.first));
  // the states below n (no queue) add to V only; from n on Q = K - n (counters as doubles)
  const auto n_at = static_cast<std::size_t>(std::clamp<std::int64_t>(
      n - static_cast<std::int64_t>(d.first), 0, static_cast<std::int64_t>(size)));
  double var = 0.0, q0 = 0.0, q1 = 0.0, q2 = 0.0;  // V, E[Q], E[Q D], E[Q D^2]
  double dk = static_cast<double>(d.first) - mean_k;
  for (std::size_t i = 0; i < n_at; ++i, dk += 1.0) var += dk * dk * p[i];
  double queue = static_cast<double>(static_cast<std::int64_t>(d.first + n_at) - n);
  for (std::size_t i = n_at; i < size; ++i, dk += 1.0, queue += 1.0) {
    const double pq = p[i] * queue;
    var += dk * dk * p[i];
    q0 += pq;
    q1 += pq * dk;
    q2 += pq * dk * dk;
  }
  const double blocked = d[static_cast<std::size_t>(lines)];
  const double dn = static_cast<double>(lines) - mean_k, x2 = x * x;
  const double b1 = blocked * dn / x, b2 = blocked * (dn * dn - dn - var) / x2;
  const double e1 = q1 / x, e2 = (q2 - q1 - var * q0) / x2;
  Loss out;
  out.value = std::fmin(1.0, blocked + theta * q0 / x);
  out.first = b1 + theta * (e1 / x - q0 / x2);
  out.second = b2 + theta * (e2 / x - 2.0 * e1 / x2 + 2.0 * q0 / (x2 * x));
  return out;
}

}  // namespace

// The chain at attempt rate `rate` (no fixed point): every metric but the per-customer ones.
ErlangXMetrics ErlangX::at_rate(std::int64_t n, double rate, double target_time,
                                AsaOver over) const {
  const BirthDeathDistribution d =
      attempt_chain(n, lines_, rate, 1.0 / handle_time_, 1.0 / patience_, policy_);
  return from_chain(d, n, rate, target_time, over);
}

ErlangXMetrics ErlangX::from_chain(const BirthDeathDistribution& d, std::int64_t n, double rate,
                                   double target_time, AsaOver over) const {
  ErlangXMetrics out;
  out.effective_arrival_rate = rate;
  const double mu = 1.0 / handle_time_, theta = 1.0 / patience_;
  if (d.status != wfm::Status::ok) {
    out.status = d.status;
    out.message = d.message;
  }
  const double s = static_cast<double>(n) * mu / theta, x = target_time / patience_;
  const detail::ImpatientQueueSums q =
      detail::impatient_queue_sums(d, n, lines_, s, x, /*virtual_law=*/false);
  out.blocking_rate = d[static_cast<std::size_t>(lines_)];
  out.wait_probability = q.joins_queue;
  out.queue_length = q.mean_queue;
  out.abandon_rate = std::fmin(1.0, theta * q.mean_queue / rate);
  out.service_level = std::fmin(1.0, q.no_wait + q.answered_within);
  out.customer_service_level = out.service_level;
  const double admitted = 1.0 - out.blocking_rate;
  const double answered = admitted - out.abandon_rate;
  if (over == AsaOver::all)
    out.asa_s = admitted > 0.0 ? q.mean_queue / (rate * admitted) : 0.0;
  else
    out.asa_s = answered > 0.0 ? q.answered_wait * patience_ / answered
                                                 : std::numeric_limits<double>::infinity();
  const double busy = d.capped_mean(n);
  out.occupancy = n > 0 ? std::fmin(1.0, busy / static_cast<double>(n)) : 1.0;
  return out;
}

// The redial fixed point x = lambda + r x L(x) by Halley's method on g(x) = lambda + r x L(x)
// - x with the exact first and second derivatives of L (see loss(); Halley 1694, the
// third-order Newton-type iteration x - 2 g g' / (2 g'^2 - g g'')), safeguarded by the bracket
// [lambda, lambda / (1 - r)] (g >= 0 at its left end, <= 0 at its right end; every evaluation
// narrows it; a step that leaves it is replaced by bisection). Halley converges cubically, so
// the step falls below 4e-15 x within about 3 chain solves where TOMS 748 to 50 bits took
// about 12; the metrics are those of the last solve (no extra one).
ErlangXMetrics ErlangX::whole(std::int64_t n, double target_time, AsaOver over) const {
  if (arrival_rate_ == 0.0) return {};
  const double lambda = arrival_rate_, r = redial_;
  const double mu = 1.0 / handle_time_, theta = 1.0 / patience_;
  double rate = lambda;
  BirthDeathDistribution d = attempt_chain(n, lines_, rate, mu, theta, policy_);
  int solves = 1;
  wfm::Status status = d.status;
  std::string message = d.message;
  if (r > 0.0 && d.status == wfm::Status::ok) {
    double lo = lambda, hi = lambda / (1.0 - r);
    bool converged = false;
    for (; solves <= kMaxFixedPointSolves;) {
      const Loss l = loss(d, n, lines_, rate, theta);
      if (l.value <= 0.0 && rate == lambda) {
        converged = true;  // nothing lost: no redials
        break;
      }
      const double g = lambda + r * rate * l.value - rate;
      if (g == 0.0) {
        converged = true;
        break;
      }
      (g > 0.0 ? lo : hi) = rate;
      // Halley's step (cubic convergence) with g' and g'' from the same solve
      const double slope = r * (l.value + rate * l.first) - 1.0;
      const double curvature = r * (2.0 * l.first + rate * l.second);
      const double denominator = 2.0 * slope * slope - g * curvature;
      double next = denominator != 0.0 ? rate - 2.0 * g * slope / denominator : rate - g / slope;
      const bool halley = slope < 0.0 && next > lo && next < hi;
      if (!halley) next = 0.5 * (lo + hi);
      if ((halley && std::fabs(next - rate) <= kFixedPointStep * rate) ||
          hi - lo <= kFixedPointStep * 1e-3 * hi) {
        converged = true;
        break;
      }
      rate = next;
      d = attempt_chain(n, lines_, rate, mu, theta, policy_);
      ++solves;
      if (d.status != wfm::Status::ok) {
        status = d.status;
        message = d.message;
        converged = true;  // reported through the status
        break;
      }
    }
    if (!converged) {
      status = wfm::Status::not_converged;
      message = "Erlang X redial fixed point: not converged within the solve limit";
    }
  }
  ErlangXMetrics m = from_chain(d, n, rate, target_time, over);
  if (status != wfm::Status::ok) {
    m.status = status;
    m.message = message;
  }
  // A fresh customer's first attempt sees the same state law (PASTA): the per-attempt SL is
  // also the first-attempt SL per customer.
  const double l = std::fmin(1.0, m.blocking_rate + m.abandon_rate);
  m.lost_rate = l >= 1.0 ? 1.0 : l * (1.0 - r) / (1.0 - r * l);
  m.iterations = solves;
  return m;
}

}  // namespace wfm::queueing
