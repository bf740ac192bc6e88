#pragma once
/// \file
/// Waiting-time sums of an FCFS queue with exponential patience above a full service capacity
/// (internal), shared by ChatConcurrency and ErlangX.
///
/// Setting: states k of a birth-death chain (birth_death.hpp); with k >= c the capacity (agents
/// or chat slots) is full, j = k - c contacts wait, the capacity completes at total rate sigma
/// and each waiting contact abandons at rate theta. A contact that arrives with j ahead is
/// answered after the (j+1)-th departure from the head of the line; the i-th of those takes
/// Exp(sigma + (j - i + 1) theta) (the capacity or one of those ahead leaving), so that with
/// s = sigma / theta its virtual wait V_j is theta^{-1} times a sum of independent Exp(s + i),
/// i = 0..j. That sum equals -log U with U ~ Beta(s, j + 1) (compare Laplace transforms:
/// prod_i (s + i)/(s + i + x) = B(s + x, j + 1) / B(s, j + 1); Mandelbaum & Zeltyn 2007,
/// "Service engineering in action: the Palm/Erlang-A queue", section 3, give the same law for
/// Erlang A). With u = e^{-theta t} and I_x(a, b) the regularized incomplete beta function:
///
///   P(V_j <= t)                = P(U >= u) = 1 - I_u(s, j + 1)
///   P(V_j <= t, V_j <= patience) = E[e^{-theta V_j}; V_j <= t] = E[U; U >= u]
///                              = s / (s + j + 1) (1 - I_u(s + 1, j + 1))
///   theta E[V_j; answered]     = E[-U log U] = s / (s + j + 1) (psi(s + j + 2) - psi(s + 1))
///                              = s / (s + j + 1) sum_{i=0}^{j} 1 / (s + 1 + i)
///
/// (the last from E[-log U'] = psi(a + b) - psi(a) for U' ~ Beta(a, b), Abramowitz & Stegun
/// 6.3.6 / the beta log-moment). For integer b the incomplete beta is a finite negative-binomial
/// sum (Abramowitz & Stegun 26.5.26 with 6.6.2):
///
///   I_u(a, j + 1) = sum_{i=0}^{j} t_i,   t_i = u^a (1 - u)^i (a)_i / i!,
///   t_i = t_{i-1} (1 - u)(a + i - 1) / i,
///
/// so every j costs one multiplication per series: O(1) per state. t_0 = e^{-a theta t} may
/// underflow at large scale, so the terms are carried as scaled values (birth_death.hpp).
/// The complement 1 - I is formed as 1 - sum while the sum is <= 1/2 (no cancellation) and as
/// the tail sum_{i>j} t_i beyond (the series continued past the last state until its
/// geometric tail bound is below 1e-17), so it keeps its relative accuracy when tiny (long
/// queues in overload with a short target time).

#include <cmath>
#include <algorithm>
#include <cstdint>
#include <vector>

#include <wfm/queueing/birth_death.hpp>

namespace wfm::queueing::detail {

/// The sums over the stationary distribution that every metric of the queue needs.
struct ImpatientQueueSums {
  double no_wait = 0.0;          ///< sum_{k < c} pi_k: arrivals served at once
  double joins_queue = 0.0;      ///< sum_{c <= k < join_end} pi_k: arrivals that wait
  double answered_within = 0.0;  ///< sum_{j} pi_{c+j} P(V_j <= t, answered)
  double virtual_within = 0.0;   ///< sum_{j} pi_{c+j} P(V_j <= t)
  double virtual_beyond = 0.0;   ///< sum_{j} pi_{c+j} P(V_j > t) (not by subtraction)
  double answered_wait = 0.0;    ///< sum_{j} pi_{c+j} theta E[V_j; answered]
  double mean_queue = 0.0;       ///< sum_{k > c} (k - c) pi_k over every state
};

/// e^{log_value} as a scaled value (no underflow however negative log_value is).
[[nodiscard]] inline ScaledValue scaled_exp(double log_value) noexcept {
  const double e = std::floor(log_value / 0.69314718055994530942);
  ScaledValue v;
  v.exponent = static_cast<int>(e);
  v.mantissa = std::exp(log_value - e * 0.69314718055994530942);
  return v;
}

/// I_u(a, j + 1) (`value`) and 1 - I_u(a, j + 1) (`complement`) for j = 0 .. count - 1
/// (see above), each to ~1e-16 relative: the value as a forward sum of positive terms.
struct BetaTerms {
  std::vector<double> value, complement;
};
[[nodiscard]] inline BetaTerms beta_terms(double a, double x, std::size_t count) {
  BetaTerms result;
  result.value.resize(count);
  result.complement.resize(count);
  std::vector<double>& out = result.complement;
  if (count == 0) return result;
  const double one_minus_u = -std::expm1(-x);
  std::vector<double> terms(count);
  ScaledValue t = scaled_exp(-a * x);
  const ScaledValue one;
  double cumulative = 0.0;
  for (std::size_t j = 0; j < count; ++j) {
    if (j > 0) t.multiply(one_minus_u * (a + static_cast<double>(j) - 1.0) / static_cast<double>(j));
    terms[j] = t.ratio_to(one);
    cumulative += terms[j];
    result.value[j] = cumulative;
    out[j] = 1.0 - cumulative;
  }
  if (cumulative <= 0.5) return result;
  // Past the median: continue the series for the tail beyond the last state, then sum back.
  double tail = 0.0;
  for (std::size_t i = count; i < count + 100'000'000; ++i) {
    const double ratio = one_minus_u * (a + static_cast<double>(i) - 1.0) / static_cast<double>(i);
    t.multiply(ratio);
    const double term = t.ratio_to(one);
    tail += term;
    if (ratio < 1.0 && term * ratio / (1.0 - ratio) <= 1e-17 * tail) break;
    if (term == 0.0) break;
  }
  for (std::size_t j = count; j-- > 0;) {
    if (out[j] < 0.5) out[j] = tail;  // the tail is the accurate form here
    tail += terms[j];
  }
  return result;
}

/// The sums for capacity c, arrivals joining in states c .. join_end - 1 (blocked from
/// join_end on), s = sigma / theta and x = theta t (t the target time).
[[nodiscard]] inline ImpatientQueueSums impatient_queue_sums(const BirthDeathDistribution& d,
                                                             std::int64_t c,
                                                             std::int64_t join_end, double s,
                                                             double x) {
  ImpatientQueueSums out;
  const auto size = static_cast<std::int64_t>(d.size());
  const std::int64_t joins = std::min(join_end, size);
  for (std::int64_t k = 0; k < std::min(c, size); ++k)
    out.no_wait += d.probability[static_cast<std::size_t>(k)];
  const auto waiting = static_cast<std::size_t>(std::max<std::int64_t>(joins - c, 0));
  const std::vector<double> answered = beta_terms(s + 1.0, x, waiting).complement;
  const BetaTerms virtual_law = beta_terms(s, x, waiting);
  double harmonic = 0.0;  // sum_{i <= j} 1 / (s + 1 + i)
  for (std::int64_t k = c; k < size; ++k) {
    const double p = d.probability[static_cast<std::size_t>(k)];
    const auto j = static_cast<double>(k - c);
    out.mean_queue += j * p;
    if (k >= joins) continue;
    const auto jj = static_cast<std::size_t>(k - c);
    harmonic += 1.0 / (s + 1.0 + j);
    const double share = s / (s + j + 1.0);
    out.joins_queue += p;
    out.answered_within += p * share * answered[jj];
    out.virtual_within += p * virtual_law.complement[jj];
    out.virtual_beyond += p * virtual_law.value[jj];
    out.answered_wait += p * share * harmonic;
  }
  return out;
}

}  // namespace wfm::queueing::detail
