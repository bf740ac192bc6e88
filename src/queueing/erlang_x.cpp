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
/// Steps of the attempt rate up to this factor (|log t| <= 0.05) re-weight the last chain
/// instead of walking it again (tilt_chain()); larger ones walk afresh.
constexpr double kMaxTiltLog = 0.05;
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
auto attempt_ratio(std::int64_t n, double x, double mu, double theta) {
  return [x, n, mu, theta](std::int64_t k) {  // by value: kept in registers
    const std::int64_t next = k + 1;
    return x / (static_cast<double>(std::min(next, n)) * mu +
                static_cast<double>(std::max<std::int64_t>(next - n, 0)) * theta);
  };
}
BirthDeathDistribution attempt_chain(std::int64_t n, std::int64_t lines, double x, double mu,
                                     double theta, const BirthDeathPolicy& policy) {
  auto ratio = attempt_ratio(n, x, mu, theta);
  return stationary_window(ratio, {.last_state = lines, .monotone_from = 0, .reference_state = n},
                           policy);
}

/// The chain at attempt rate x t from the chain `d` at rate x, without a new walk: the birth
/// rate is the only thing that changes, so every ratio is multiplied by t and
/// w_k(x t) = w_k(x) t^(k - first) (Kleinrock 1975, eq. 3.11, as in birth_death.hpp). The
/// powers are formed by a running product restarted from std::pow every 64 states (at most
/// ~64 roundings in any weight). The window is kept if the engine's geometric bounds
/// (birth_death.hpp) still hold at the new rate with the engine's tolerance: below the first
/// state w_first / (r - 1) against the largest weight in [first, R), beyond the last
/// w_last r / (1 - r) against the largest weight in [R, last]; the upper end is extended by
/// the ratios of the new rate while its bound fails (a rate that grew). Returns false (the
/// caller walks the chain afresh) if the head bound fails or first >= R.
template <class Ratio>
bool tilt_chain(BirthDeathDistribution& d, double t, Ratio ratio, std::int64_t lines,
                std::int64_t ref, const BirthDeathPolicy& policy) {
  const auto first = static_cast<std::int64_t>(d.first);
  std::vector<double>& w = d.probability;
  const std::size_t size = w.size();
  // t^size must stay far from overflow and underflow (the weights are <= 1 before)
  if (first >= ref || d.status != wfm::Status::ok || !(t > 0.0) ||
      !(std::fabs(std::log(t)) * static_cast<double>(size) <= 500.0))
    return false;
  const auto ref_at = static_cast<std::size_t>(
      std::min<std::int64_t>(ref - first, static_cast<std::int64_t>(size)));
  // one pass (two ranges): tilt, the largest weight below and from R, the sum; a local
  // running maximum by comparison (std::fmax is a libm call here)
  auto tilt = [&w, t](std::size_t from, std::size_t to, double& top, double& total) {
    constexpr std::size_t block = 64;
    double m = 0.0, s0 = 0.0, s1 = 0.0;
    for (std::size_t b = from; b < to; b += block) {
      double power = std::pow(t, static_cast<double>(b));
      const std::size_t end = std::min(to, b + block);
      std::size_t i = b;
      for (; i + 1 < end; i += 2) {
        const double v0 = (w[i] *= power), v1 = (w[i + 1] *= power * t);
        power *= t * t;
        s0 += v0;
        s1 += v1;
        m = v0 > m ? v0 : m;
        m = v1 > m ? v1 : m;
      }
      if (i < end) {
        const double v = (w[i] *= power);
        s0 += v;
        m = v > m ? v : m;
      }
    }
    top = m;
    total += s0 + s1;
  };
  double below_ref = 0.0, from_ref = 0.0, total = 0.0;
  tilt(0, ref_at, below_ref, total);
  tilt(ref_at, size, from_ref, total);
  double head = 0.0;
  if (first > 0) {  // sum_{j < first} w_j <= w_first / (r_{first-1} - 1)
    const double r = ratio(first - 1);
    if (!(r > 1.0)) return false;
    head = w[0] / (r - 1.0);
    if (!(head <= policy.tail_tolerance * below_ref)) return false;
  }
  double tail = 0.0;
  for (std::int64_t k = first + static_cast<std::int64_t>(w.size()) - 1; k < lines;) {
    const double r = ratio(k);
    const double last = w.back();
    if (r < 1.0) {
      tail = last * r / (1.0 - r);
      if (from_ref > 0.0 && tail <= policy.tail_tolerance * from_ref) break;
    }
    if (static_cast<std::int64_t>(w.size()) >= policy.max_states) return false;
    w.push_back(last * r);  // extend the upper end at the new rate
    total += w.back();
    ++k;
    tail = 0.0;
    if (k >= ref) from_ref = std::fmax(from_ref, w.back());
  }
  const double scale = 1.0 / total;
  for (double& v : w) v *= scale;
  d.tail_bound = (head + tail) * scale;
  d.log_normaliser = -std::log(w.front());  // log sum w / w_first (now normalised)
  return true;
}

/// pi_k of the chain `d` also beyond its window: the engine stops forming states once their
/// mass is below its tail tolerance, but pi_N (the blocking) is asked even when it is 1e-80.
/// Beyond the window's last state L, pi_{k+1} = pi_k r_k (the product form, Kleinrock 1975,
/// eq. 3.11), continued from pi_L until k or until it underflows to 0 (the ratios are below 1
/// and falling there, so the product only shrinks; at most max_states steps, after which the
/// value is below every double anyway in all but absurd chains, and 0 is returned).
/// Found by the randomized audit (tests/data/queueing/audit_omnichannel.py, seed 1212,
/// points 10 and 15: blocking 4.7e-81 and 8.7e-248 were returned as 0).
template <class Ratio>
double probability_at(const BirthDeathDistribution& d, std::int64_t k, Ratio ratio,
                      std::int64_t max_steps) {
  const auto last = static_cast<std::int64_t>(d.first + d.probability.size()) - 1;
  if (k <= last || d.probability.empty()) return d[static_cast<std::size_t>(k)];
  double p = d.probability.back();
  for (std::int64_t j = last; j < k; ++j) {
    if (p == 0.0 || j - last >= max_steps) return 0.0;
    p *= ratio(j);
  }
  return p;
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
  out.blocking_rate =
      probability_at(d, lines_, attempt_ratio(n, rate, mu, theta), policy_.max_states);
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
      // a step within a few per cent re-weights the last chain (tilt_chain: one pass, no
      // walk); a larger one, or a tilt whose bounds fail, walks the chain afresh
      const double t = next / rate;
      rate = next;
      if (!(std::fabs(std::log(t)) <= kMaxTiltLog &&
            tilt_chain(d, t, attempt_ratio(n, rate, mu, theta), lines_, n, policy_)))
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
