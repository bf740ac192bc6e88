// Erlang X: the finite-lines chain and the redial fixed point (erlang_x.hpp).
#include <wfm/queueing/erlang_x.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include <boost/math/tools/toms748_solve.hpp>

#include <wfm/core/error.hpp>
#include <wfm/queueing/detail/impatient_queue_terms.hpp>
#include <wfm/queueing/traffic.hpp>

namespace wfm::queueing {
namespace {
constexpr std::string_view kWhere = "wfm::queueing::ErlangX";
/// The redial fixed point is bracketed to this many bits (~1e-15 relative) in at most
/// kMaxFixedPointSolves chain solves.
constexpr int kFixedPointBits = 50;
constexpr std::uintmax_t kMaxFixedPointSolves = 100;
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

// The chain at attempt rate `rate` (no fixed point): every metric but the per-customer ones.
ErlangXMetrics ErlangX::at_rate(std::int64_t n, double rate, double target_time,
                                AsaOver over) const {
  ErlangXMetrics out;
  out.effective_arrival_rate = rate;
  const double mu = 1.0 / handle_time_, theta = 1.0 / patience_;
  auto ratio = [&](std::int64_t k) {
    const std::int64_t next = k + 1;
    return rate / (static_cast<double>(std::min(next, n)) * mu +
                   static_cast<double>(std::max<std::int64_t>(next - n, 0)) * theta);
  };
  const BirthDeathDistribution d = stationary_distribution(
      ratio, {.last_state = lines_, .monotone_from = 0, .reference_state = n}, policy_);
  if (d.status != wfm::Status::ok) {
    out.status = d.status;
    out.message = d.message;
  }
  const double s = static_cast<double>(n) * mu / theta, x = target_time / patience_;
  const detail::ImpatientQueueSums q = detail::impatient_queue_sums(d, n, lines_, s, x);
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
  double busy = 0.0;
  for (std::size_t k = 1; k < d.size(); ++k)
    busy += static_cast<double>(std::min(static_cast<std::int64_t>(k), n)) * d.probability[k];
  out.occupancy = n > 0 ? std::fmin(1.0, busy / static_cast<double>(n)) : 1.0;
  return out;
}

ErlangXMetrics ErlangX::whole(std::int64_t n, double target_time, AsaOver over) const {
  if (arrival_rate_ == 0.0) return {};
  const double lambda = arrival_rate_, r = redial_;
  int solves = 0;
  auto lost = [](const ErlangXMetrics& m) {
    return std::fmin(1.0, m.blocking_rate + m.abandon_rate);
  };
  double rate = lambda;
  ErlangXMetrics m = at_rate(n, lambda, target_time, over);
  ++solves;
  if (r > 0.0 && lost(m) > 0.0 && m.status == wfm::Status::ok) {
    // g(x) = lambda + r x L(x) - x: g(lambda) >= 0 >= g(lambda / (1 - r)).
    auto g = [&](double x) {
      ++solves;
      return lambda + r * x * lost(at_rate(n, x, 0.0, AsaOver::all)) - x;
    };
    double lo = lambda, hi = lambda / (1.0 - r);
    const double g_lo = lambda * r * lost(m), g_hi = g(hi);
    if (g_hi >= 0.0) {
      rate = hi;  // L(hi) = 1: every attempt lost (the bracket's end is the root)
    } else {
      std::uintmax_t iterations = kMaxFixedPointSolves;
      const auto root = boost::math::tools::toms748_solve(
          g, lo, hi, g_lo, g_hi, boost::math::tools::eps_tolerance<double>(kFixedPointBits),
          iterations);
      rate = 0.5 * (root.first + root.second);
      if (iterations >= kMaxFixedPointSolves) {
        m.status = wfm::Status::not_converged;
        m.message = "Erlang X redial fixed point: bracket not narrowed within the solve limit";
      }
    }
    const wfm::Status status = m.status;
    const std::string message = m.message;
    m = at_rate(n, rate, target_time, over);
    ++solves;
    if (status != wfm::Status::ok) {
      m.status = status;
      m.message = message;
    }
  }
  // A fresh customer's first attempt sees the same state law (PASTA): the per-attempt SL is
  // also the first-attempt SL per customer.
  const double l = lost(m);
  m.lost_rate = l >= 1.0 ? 1.0 : l * (1.0 - r) / (1.0 - r * l);
  m.iterations = solves;
  return m;
}

}  // namespace wfm::queueing
