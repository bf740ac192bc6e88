// Erlang X's exact retrial chain: level reduction of the orbit QBD (retrial.hpp).
#include <wfm/queueing/retrial.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include <wfm/core/error.hpp>
#include <wfm/queueing/detail/impatient_queue_terms.hpp>
#include <wfm/queueing/traffic.hpp>

namespace wfm::queueing {
namespace {
constexpr std::string_view kWhere = "wfm::queueing::ErlangXRetrial";
using Matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Index = Eigen::Index;

/// The chain at n agents with the orbit cut at J (retrial.hpp).
struct Chain {
  double lambda, mu, theta, r, nu;  // nu = 1 / redial_delay
  std::int64_t n, lines, orbit;     // n, N, J
  [[nodiscard]] Index size() const { return static_cast<Index>(lines + 1); }
  /// First row of an up-block that can be non-zero (abandonments from k > n, blocking at N).
  [[nodiscard]] Index first_up_row() const { return static_cast<Index>(std::min(n + 1, lines)); }
};

/// The transition rates out of level j, split by where they go: up (j -> j + 1), within (j ->
/// j, off the diagonal; the diagonal of the generator is never formed) and down.
struct Blocks {
  Matrix up, within, down;
};

Blocks level_blocks(const Chain& c, std::int64_t j) {
  const Index size = c.size(), last = size - 1;
  Blocks b{Matrix::Zero(size, size), Matrix::Zero(size, size), Matrix::Zero(size, size)};
  auto move = [&](Index k, Index to, std::int64_t level, double rate) {
    level = std::min(level, c.orbit);  // the orbit is full: the attempt is lost instead
    if (rate == 0.0 || (level == j && to == k)) return;
    Matrix& block = level > j ? b.up : level < j ? b.down : b.within;
    block(k, to) += rate;
  };
  const double redial = static_cast<double>(j) * c.nu;
  for (Index k = 0; k <= last; ++k) {
    if (k < last) {
      move(k, k + 1, j, c.lambda);
      if (j > 0) move(k, k + 1, j - 1, redial);
    } else {
      move(k, k, j + 1, c.lambda * c.r);
      if (j > 0) move(k, k, j - 1, redial * (1.0 - c.r));
    }
    const auto kk = static_cast<std::int64_t>(k);
    if (k > 0) move(k, k - 1, j, static_cast<double>(std::min(kk, c.n)) * c.mu);
    if (kk > c.n) {
      const double abandon = static_cast<double>(kk - c.n) * c.theta;
      move(k, k - 1, j + 1, abandon * c.r);
      move(k, k - 1, j, abandon * (1.0 - c.r));
    }
  }
  return b;
}

/// Gaussian elimination of the M-matrix M = diag(excess + a 1) - a (a: the off-diagonal rates,
/// >= 0, its diagonal ignored; excess >= 0: the rate leaving the states), of its first `steps`
/// states, in place, without one subtraction: each pivot is its row's remaining rates plus its
/// excess, and the excess of the Schur complement is carried along (excess_i += a_ip / d_p
/// excess_p). This is the GTH algorithm (Grassmann, Taksar & Heyman (1985), "Regenerative
/// analysis and steady state distributions for Markov chains", Oper. Res. 33(5)) extended to
/// an excess (O'Cinneide (1993), "Entrywise perturbation theory and error analysis for
/// Markov chains", Numer. Math. 65; Alfa, Xue & Ye (2002), Math. Comp. 71): every entry of the
/// factors, hence of M^{-1}, keeps its relative accuracy however close M is to singular
/// (slow redials make the levels nearly closed). Returns the pivots d.
Eigen::VectorXd eliminate(Matrix& a, Eigen::VectorXd excess, Index steps) {
  const Index size = a.rows();
  Eigen::VectorXd pivot = Eigen::VectorXd::Zero(size);
  for (Index p = 0; p < steps; ++p) {
    double d = excess(p);
    for (Index l = p + 1; l < size; ++l) d += a(p, l);
    pivot(p) = d;
    for (Index i = p + 1; i < size; ++i) {
      const double f = a(i, p) / d;
      if (f == 0.0) continue;
      for (Index l = p + 1; l < size; ++l)
        if (l != i) a(i, l) += f * a(p, l);
      excess(i) += f * excess(p);
    }
  }
  return pivot;
}

/// x = b M^{-1} for a row b >= 0, with M eliminated by eliminate() (all steps): y U = b, then
/// x L = y, both by sums of non-negative terms (U's and L's off-diagonals are -a).
Eigen::RowVectorXd solve_row(const Matrix& a, const Eigen::VectorXd& pivot,
                             const Eigen::RowVectorXd& b) {
  const Index size = a.rows();
  Eigen::RowVectorXd y(size), x(size);
  for (Index l = 0; l < size; ++l) {
    double sum = b(l);
    for (Index p = 0; p < l; ++p) sum += y(p) * a(p, l);
    y(l) = sum / pivot(l);
  }
  for (Index l = size; l-- > 0;) {
    double sum = y(l);
    for (Index i = l + 1; i < size; ++i) sum += x(i) * a(i, l) / pivot(l);
    x(l) = sum;
  }
  return x;
}

Eigen::VectorXd row_sums(const Matrix& m) { return m.rowwise().sum(); }

/// pi(k, j) by linear level reduction (Gaver, Jacobs & Latouche 1984, section 2): the level-j
/// generator censored on levels >= j is S_j = A1_j + R_{j+1} A2_{j+1}, with excess the rates
/// down out of level j (A2_j 1); R_j = A0_{j-1} (-S_j)^{-1}. Entry j of the result is level j,
/// all levels together normalised to mass 1.
std::vector<Eigen::VectorXd> solve_levels(const Chain& c) {
  const Index size = c.size(), lo = c.first_up_row(), rows = size - lo;
  const auto levels = static_cast<std::size_t>(c.orbit + 1);
  std::vector<Matrix> reduced(levels);  // R_j restricted to rows lo .. N (the rest are 0)
  Blocks here = level_blocks(c, c.orbit);
  Matrix censored = here.within;  // off-diagonal rates of -S_j
  for (std::int64_t j = c.orbit; j >= 1; --j) {
    Blocks below = level_blocks(c, j - 1);
    const Eigen::VectorXd pivot = eliminate(censored, row_sums(here.down), size);
    Matrix r(rows, size);
    for (Index i = 0; i < rows; ++i)
      r.row(i) = solve_row(censored, pivot, below.up.row(lo + i));
    censored = below.within;
    censored.bottomRows(rows) += r * here.down;
    reduced[static_cast<std::size_t>(j)] = std::move(r);
    here = std::move(below);
  }
  // pi_0 S_0 = 0: GTH elimination of states 0 .. N - 1 (no excess at level 0), pi_N = 1, then
  // pi_p = sum_{i > p} pi_i a_ip / d_p (Grassmann, Taksar & Heyman 1985).
  const Eigen::VectorXd pivot = eliminate(censored, Eigen::VectorXd::Zero(size), size - 1);
  std::vector<Eigen::VectorXd> pi(levels);
  pi[0] = Eigen::VectorXd::Zero(size);
  pi[0](size - 1) = 1.0;
  for (Index p = size - 1; p-- > 0;) {
    double sum = 0.0;
    for (Index i = p + 1; i < size; ++i) sum += pi[0](i) * censored(i, p);
    pi[0](p) = sum / pivot(p);
  }
  // pi_j = pi_{j-1} R_j, each level scaled to sum 1 with its log scale kept apart.
  std::vector<double> log_scale(levels, 0.0);
  double top = std::log(pi[0].sum());
  log_scale[0] = top;
  pi[0] /= pi[0].sum();
  for (std::size_t j = 1; j < levels; ++j) {
    pi[j] = (pi[j - 1].tail(rows).transpose() * reduced[j]).transpose();
    const double sum = pi[j].sum();
    if (!(sum > 0.0)) {  // nothing reaches this level (e.g. r = 0): the rest is empty
      for (std::size_t i = j; i < levels; ++i) pi[i] = Eigen::VectorXd::Zero(size);
      log_scale.resize(j);
      break;
    }
    pi[j] /= sum;
    log_scale[j] = log_scale[j - 1] + std::log(sum);
    top = std::max(top, log_scale[j]);
  }
  double total = 0.0;
  for (double ls : log_scale) total += std::exp(ls - top);
  for (std::size_t j = 0; j < log_scale.size(); ++j) pi[j] *= std::exp(log_scale[j] - top) / total;
  return pi;
}

/// The metrics of a solved chain (retrial.hpp: attempt-weighted and stationary laws of k).
ErlangXRetrialMetrics chain_metrics(const Chain& c, const std::vector<Eigen::VectorXd>& pi,
                                    double target_time, double patience, AsaOver over) {
  const auto size = static_cast<std::size_t>(c.size());
  BirthDeathDistribution stationary, attempts;
  stationary.probability.assign(size, 0.0);
  attempts.probability.assign(size, 0.0);
  ErlangXRetrialMetrics out;
  for (std::size_t j = 0; j < pi.size(); ++j) {
    const double rate = c.lambda + static_cast<double>(j) * c.nu;
    for (std::size_t k = 0; k < size; ++k) {
      const double p = pi[j](static_cast<Index>(k));
      stationary.probability[k] += p;
      attempts.probability[k] += p * rate;
      out.mean_orbit += static_cast<double>(j) * p;
    }
  }
  out.truncated_mass = c.r > 0.0 ? pi.back().sum() : 0.0;  // r = 0: the orbit stays empty
  double attempt_rate = 0.0, mean_queue = 0.0, busy = 0.0;
  for (std::size_t k = 0; k < size; ++k) {
    attempt_rate += attempts.probability[k];
    const auto kk = static_cast<std::int64_t>(k);
    mean_queue += static_cast<double>(std::max<std::int64_t>(kk - c.n, 0)) *
                  stationary.probability[k];
    busy += static_cast<double>(std::min(kk, c.n)) * stationary.probability[k];
  }
  const double blocked = attempts.probability[size - 1];
  for (double& w : attempts.probability) w /= attempt_rate;
  const double s = static_cast<double>(c.n) * c.mu / c.theta, x = target_time / patience;
  const detail::ImpatientQueueSums per_attempt =
      detail::impatient_queue_sums(attempts, c.n, c.lines, s, x);
  const detail::ImpatientQueueSums first =
      detail::impatient_queue_sums(stationary, c.n, c.lines, s, x);
  out.effective_arrival_rate = attempt_rate;
  out.blocking_rate = blocked / attempt_rate;
  out.abandon_rate = std::fmin(1.0, c.theta * mean_queue / attempt_rate);
  out.wait_probability = per_attempt.joins_queue;
  out.service_level = std::fmin(1.0, per_attempt.no_wait + per_attempt.answered_within);
  out.customer_service_level = std::fmin(1.0, first.no_wait + first.answered_within);
  out.lost_rate = std::fmin(1.0, (1.0 - c.r) * (blocked + c.theta * mean_queue) / c.lambda);
  out.queue_length = mean_queue;
  const double admitted = attempt_rate - blocked;
  const double answered = 1.0 - out.blocking_rate - out.abandon_rate;
  if (over == AsaOver::all)
    out.asa_s = admitted > 0.0 ? mean_queue / admitted : 0.0;
  else
    out.asa_s = answered > 0.0 ? per_attempt.answered_wait * patience / answered
                               : std::numeric_limits<double>::infinity();
  out.occupancy = c.n > 0 ? std::fmin(1.0, busy / static_cast<double>(c.n)) : 1.0;
  out.orbit_bound = c.orbit;
  return out;
}

bool all_finite(const ErlangXRetrialMetrics& m) {
  for (double v : {m.effective_arrival_rate, m.blocking_rate, m.abandon_rate,
                   m.wait_probability, m.service_level, m.customer_service_level, m.lost_rate,
                   m.queue_length, m.occupancy, m.mean_orbit, m.truncated_mass})
    if (!std::isfinite(v)) return false;
  return !std::isnan(m.asa_s);
}

/// The first orbit bound: the orbit's mean bound r lambda D / (1 - r) plus 10 standard
/// deviations of a Poisson law with that mean, plus 20 (retrial.hpp); 0 without redials.
double first_orbit_bound(double lambda, double r, double delay) {
  if (r == 0.0) return 0.0;
  const double mean = r * lambda * delay / (1.0 - r);
  return std::ceil(mean + 10.0 * std::sqrt(mean) + 20.0);
}

void mix_into(ErlangXRetrialMetrics& a, const ErlangXRetrialMetrics& b, double frac) {
  auto mix = [frac](double& x, double y) {
    x = std::isinf(x) || std::isinf(y) ? x : x + frac * (y - x);
  };
  for (auto field : {&ErlangXMetrics::effective_arrival_rate, &ErlangXMetrics::blocking_rate,
                     &ErlangXMetrics::abandon_rate, &ErlangXMetrics::wait_probability,
                     &ErlangXMetrics::service_level, &ErlangXMetrics::customer_service_level,
                     &ErlangXMetrics::lost_rate, &ErlangXMetrics::asa_s,
                     &ErlangXMetrics::queue_length, &ErlangXMetrics::occupancy})
    mix(a.*field, b.*field);
  mix(a.mean_orbit, b.mean_orbit);
  a.truncated_mass = std::max(a.truncated_mass, b.truncated_mass);
  a.orbit_bound = std::max(a.orbit_bound, b.orbit_bound);
  a.exact = a.exact && b.exact;
  a.iterations += b.iterations;
  if (b.status != wfm::Status::ok) {
    a.status = b.status;
    a.message = b.message;
  }
}
}  // namespace

ErlangXRetrial::ErlangXRetrial(double arrival_rate, double handle_time, double patience,
                               std::int64_t lines, double redial_probability,
                               double redial_delay, RetrialPolicy policy)
    : fixed_point_(arrival_rate, handle_time, patience, lines, redial_probability),
      redial_delay_(redial_delay),
      policy_(policy) {
  wfm::detail::require_positive(kWhere, "redial_delay [s]", redial_delay);
}

ErlangXRetrialMetrics ErlangXRetrial::metrics(double agents, double target_time,
                                              AsaOver over) const {
  detail::check_agents(kWhere, agents);
  detail::check_target_time(kWhere, target_time);
  const double capped = std::min(agents, static_cast<double>(lines()));
  const double lo = std::floor(capped);
  ErlangXRetrialMetrics a = whole(static_cast<std::int64_t>(lo), target_time, over);
  const double frac = capped - lo;
  if (frac == 0.0) return a;
  mix_into(a, whole(static_cast<std::int64_t>(lo) + 1, target_time, over), frac);
  return a;
}

ErlangXRetrialMetrics ErlangXRetrial::whole(std::int64_t n, double target_time,
                                            AsaOver over) const {
  if (arrival_rate() == 0.0) return {};
  auto fallback = [&](const std::string& why) {
    ErlangXRetrialMetrics out;
    static_cast<ErlangXMetrics&>(out) =
        fixed_point_.metrics(static_cast<double>(n), target_time, over);
    out.exact = false;
    out.status = wfm::Status::not_converged;
    out.message = why + "; the values are ErlangX's Poisson-redial fixed point";
    return out;
  };
  Chain c{arrival_rate(), 1.0 / handle_time(), 1.0 / patience(), redial_probability(),
          1.0 / redial_delay_, n, lines(), 0};
  const double size = static_cast<double>(lines()) + 1.0;
  double bound = first_orbit_bound(c.lambda, c.r, redial_delay_);
  std::optional<ErlangXRetrialMetrics> best;
  for (int solves = 1;; ++solves) {
    const double levels = bound + 1.0;
    const bool too_large = lines() > policy_.max_lines ||
                           size * size * levels > policy_.max_entries ||
                           2.0 * size * size * size * levels > policy_.max_work;
    if (too_large && c.r == 0.0) {  // no orbit: the 1-D chain ErlangX solves exactly
      ErlangXRetrialMetrics out;
      static_cast<ErlangXMetrics&>(out) =
          fixed_point_.metrics(static_cast<double>(n), target_time, over);
      return out;
    }
    if (too_large && !best)
      return fallback("exact retrial chain too large for RetrialPolicy (lines " +
                      std::to_string(lines()) + ", orbit bound " + std::to_string(bound) + ")");
    if (too_large) {
      best->status = wfm::Status::not_converged;
      best->message = "exact retrial chain: P(orbit = bound) = " +
                      std::to_string(best->truncated_mass) +
                      " above RetrialPolicy::tail_tolerance at the largest orbit allowed";
      return *best;
    }
    c.orbit = static_cast<std::int64_t>(bound);
    best = chain_metrics(c, solve_levels(c), target_time, patience(), over);
    best->iterations = solves;
    if (!all_finite(*best)) return fallback("exact retrial chain broke down numerically");
    if (best->truncated_mass <= policy_.tail_tolerance) return *best;
    bound = 2.0 * bound + 1.0;
  }
}

}  // namespace wfm::queueing
