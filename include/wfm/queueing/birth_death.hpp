#pragma once
/// \file
/// The log-space birth-death engine shared by the omnichannel models (chat concurrency,
/// Erlang X): the stationary distribution of a finite or truncated birth-death chain with
/// state-dependent rates, without ever forming a weight such as e^3000.
///
/// A birth-death chain on states k = 0, 1, 2, ... with birth rates lambda_k and death rates
/// mu_k has the product-form stationary distribution (e.g. Kleinrock 1975, "Queueing
/// Systems I", eq. 3.11)
///
///   pi_k = w_k / sum_j w_j,   w_0 = 1,   w_{k+1} = w_k r_k,   r_k = lambda_k / mu_{k+1}.
///
/// The weights w_k span hundreds of decades at large scale (w_k = a^k / k! reaches e^3000 at
/// a = 3000), so each is carried in log space, as a mantissa times a power of two
/// (log2 w = log2 m + e, e an integer): the mantissa is renormalised whenever it leaves
/// [2^-500, 2^500], which costs one multiplication per state instead of a log and an exp.
/// The probabilities are formed at the end relative to the largest weight, so nothing over- or
/// underflows where the answer is representable (probabilities below ~1e-308 become 0).
///
/// **Truncation** (infinite chains, or finite ones whose end is negligible). The caller names
/// a state K (`monotone_from`) from which the ratios r_k are non-increasing (true for every
/// queue with abandonment: r_k = lambda / (sigma + (k - c) theta) for k >= c). Then for every
/// k >= K with r_k < 1 the neglected tail is bounded by a geometric series,
///
///   sum_{j > k} w_j <= w_k (r_k + r_k^2 + ...) = w_k r_k / (1 - r_k),
///
/// and the chain is cut after the first such k where this bound is at most
/// `policy.tail_tolerance` (1e-17) times the largest weight among the states >= R
/// (`reference_state`, e.g. the first waiting state), which is <= the total mass. So the
/// neglected tail is below 1e-17 of the total, and also of the mass at and beyond R, which
/// keeps tiny waiting probabilities (1e-40) accurate relatively. Before R is reached the chain
/// is cut only once the bound is below `policy.negligible` (1e-300) of the total: everything
/// beyond is then below what a double resolves next to 1 anyway. The bound reached is returned
/// in `tail_bound` (relative to the total). A chain that needs more than `policy.max_states`
/// states (an absurd load such as lambda x patience = 1e16) stops there with
/// `Status::not_converged`, in bounded time and memory, never a hang.

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <wfm/core/status.hpp>

namespace wfm::queueing {

/// Tuning constants of the birth-death engine (the queueing module's policy for chains).
struct BirthDeathPolicy {
  /// Stop once the bound on the neglected tail is at most this fraction of the mass at and
  /// beyond the reference state (<= the total mass).
  double tail_tolerance = 1e-17;
  /// Before the reference state: stop once the tail bound is at most this fraction of the total.
  double negligible = 1e-300;
  /// Most states ever formed (memory 12 bytes each, 24 MB at most). Enough for queues of
  /// two million waiting contacts; beyond: Status::not_converged.
  std::int64_t max_states = 2'000'000;
};

/// The stationary distribution of a (possibly truncated) birth-death chain.
struct BirthDeathDistribution {
  std::vector<double> probability;  ///< pi_k, k = 0 .. size() - 1 (sums to 1 within rounding)
  double tail_bound = 0.0;      ///< bound on the neglected mass beyond the last state, relative
  double log_normaliser = 0.0;  ///< log sum_k w_k with w_0 = 1 (so log pi_0 = -log_normaliser)
  wfm::Status status = wfm::Status::ok;  ///< ok, or not_converged (max_states reached)
  std::string message;                   ///< why, when not ok

  [[nodiscard]] std::size_t size() const noexcept { return probability.size(); }
  /// pi_k, 0 beyond the truncation.
  [[nodiscard]] double operator[](std::size_t k) const noexcept {
    return k < probability.size() ? probability[k] : 0.0;
  }
};

/// The shape of a chain for stationary_distribution().
struct ChainShape {
  std::int64_t last_state = -1;     ///< largest state of a finite chain (N), -1: infinite
  std::int64_t monotone_from = 0;   ///< K: r_k is non-increasing for k >= K
  std::int64_t reference_state = 0; ///< R: the tail is measured against the mass from here on
};

namespace detail {

/// A positive double carried as mantissa * 2^exponent, renormalised when the mantissa leaves
/// [2^-500, 2^500] (so products of thousands of factors never over- or underflow).
struct ScaledValue {
  double mantissa = 1.0;
  int exponent = 0;
  void multiply(double factor) noexcept {
    int f = 0;
    mantissa *= std::frexp(factor, &f);  // factor may be as large as 1e308
    exponent += f;
    if (mantissa > 0x1p+500 || (mantissa < 0x1p-500 && mantissa > 0.0)) {
      int e = 0;
      mantissa = std::frexp(mantissa, &e);
      exponent += e;
    }
  }
  /// this / other as a double (0 on underflow).
  [[nodiscard]] double ratio_to(const ScaledValue& other) const noexcept {
    return std::ldexp(mantissa, exponent - other.exponent) / other.mantissa;
  }
  [[nodiscard]] double log() const noexcept {
    return std::log(mantissa) + exponent * 0.69314718055994530942;
  }
};

}  // namespace detail

/// The stationary distribution of the birth-death chain with ratios r_k = lambda_k / mu_{k+1}
/// (`ratio(k)` for k = 0, 1, ...; each finite and >= 0, 0 ends the chain).
///
/// \param ratio  callable `double(std::int64_t k)`: lambda_k / mu_{k+1}
/// \param shape  last state (finite chains), K (`monotone_from`) and R (`reference_state`)
///
/// **Example** (M/M/2 with load 1.5 truncated: pi_k ~ 1.5^k / (k! or 2 * 2^(k-2))):
///
///     auto d = stationary_distribution(
///         [](std::int64_t k) { return 1.5 / std::min<double>(k + 1, 2); },
///         {.monotone_from = 2, .reference_state = 2});   // P(wait) = sum_{k >= 2} d[k]
template <class Ratio>
[[nodiscard]] BirthDeathDistribution stationary_distribution(Ratio&& ratio,
                                                             const ChainShape& shape,
                                                             const BirthDeathPolicy& policy = {}) {
  const std::int64_t last_state = shape.last_state, monotone_from = shape.monotone_from;
  BirthDeathDistribution out;
  std::vector<int> exponents;
  const std::int64_t cap = last_state >= 0 ? std::min(last_state + 1, policy.max_states)
                                           : policy.max_states;
  detail::ScaledValue w, best, best_ref;
  bool reached_ref = shape.reference_state <= 0;
  out.probability.push_back(1.0);
  exponents.push_back(0);
  for (std::int64_t k = 0;; ++k) {
    if (k + 1 >= cap) {
      if (last_state < 0 || last_state + 1 > policy.max_states) {
        out.status = wfm::Status::not_converged;
        out.message = "birth-death chain truncated at max_states = " +
                      std::to_string(policy.max_states) + " states before its tail was negligible";
        out.tail_bound = std::numeric_limits<double>::infinity();
      }
      break;
    }
    const double r = static_cast<double>(ratio(k));
    if (!(r > 0.0)) break;  // lambda_k = 0: the chain ends at k
    if (k >= monotone_from && r < 1.0) {
      // tail beyond k <= w_k r / (1 - r); compare with the largest weight (<= total) and,
      // once the reference state is reached, with the largest weight from there on
      const double bound = w.ratio_to(best) * r / (1.0 - r);
      if (reached_ref ? w.ratio_to(best_ref) * r / (1.0 - r) <= policy.tail_tolerance
                      : bound <= policy.negligible) {
        out.tail_bound = bound;
        break;
      }
    }
    w.multiply(r);
    if (w.ratio_to(best) > 1.0) best = w;
    if (k + 1 == shape.reference_state) {
      reached_ref = true;
      best_ref = w;
    } else if (reached_ref && w.ratio_to(best_ref) > 1.0) {
      best_ref = w;
    }
    out.probability.push_back(w.mantissa);
    exponents.push_back(w.exponent);
  }
  // Normalise relative to the largest weight: every scaled weight is <= best.mantissa.
  double total = 0.0;
  for (std::size_t k = 0; k < out.probability.size(); ++k) {
    out.probability[k] = std::ldexp(out.probability[k], exponents[k] - best.exponent);
    total += out.probability[k];
  }
  for (double& p : out.probability) p /= total;
  out.log_normaliser = std::log(total) + best.exponent * 0.69314718055994530942;
  return out;
}

}  // namespace wfm::queueing
