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

/// The terms t_i of I_u(a, j + 1) = sum_{i <= j} t_i (see above), one after the other, as
/// doubles (0 below ~1e-308): t_0 = e^{-a x} is carried as a scaled value, and the power of two
/// is applied by one multiplication (an ldexp only when it is below the double range).
class BetaSeries {
 public:
  BetaSeries(double a, double x, double one_minus_u)
      : a_minus_1_(a - 1.0), q_(one_minus_u), t_(scaled_exp(-a * x)) { rescale(); }
  [[nodiscard]] double term() const noexcept { return term_; }
  /// Moves to t_i given 1 / i: t_i = t_{i-1} (1 - u)(a + i - 1) / i.
  void next(double i, double inv_i) noexcept {
    const int e = t_.exponent;
    t_.multiply(q_ * (a_minus_1_ + i) * inv_i);
    if (t_.exponent != e) rescale();
    term_ = scale_ > 0.0 ? t_.mantissa * scale_ : std::ldexp(t_.mantissa, t_.exponent);
  }
  /// The ratio t_i / t_{i-1} at i.
  [[nodiscard]] double ratio(double i) const noexcept { return q_ * (a_minus_1_ + i) / i; }

 private:
  void rescale() noexcept {
    scale_ = t_.exponent >= -1000 && t_.exponent <= 1000 ? std::ldexp(1.0, t_.exponent) : 0.0;
    term_ = scale_ > 0.0 ? t_.mantissa * scale_ : std::ldexp(t_.mantissa, t_.exponent);
  }
  double a_minus_1_, q_;
  ScaledValue t_;
  double scale_ = 1.0, term_ = 0.0;
};

/// One incomplete-beta law over j = 0 .. count - 1: the terms, and from which j on the
/// complement 1 - I is to be taken as the tail (I > 1/2 there, see above).
struct BetaLaw {
  double* terms = nullptr;  ///< count values, in a per-thread buffer (beta_terms_storage())
  double cumulative = 0.0;        ///< I_u(a, j + 1) at the current j
  std::size_t past_median = 0;    ///< first j with I > 1/2 (count if none)
};

/// Room for the terms: up to 65,536 in one of two per-thread buffers (a fresh vector per call
/// costs an allocation and a clearing pass), more (absurd queues) in `large`, owned by the
/// caller, so a thread never keeps megabytes after one absurd chain.
[[nodiscard]] inline double* beta_terms_storage(int which, std::size_t count,
                                                std::vector<double>& large) {
  if (count > (std::size_t{1} << 16)) {
    large.resize(count);
    return large.data();
  }
  thread_local std::vector<double> storage[2];
  std::vector<double>& v = storage[which];
  if (v.size() < count) v.resize(std::size_t{1} << 16);
  return v.data();
}

/// sum_{i >= count} t_i given the series at its last term t_{count-1}, continued until its
/// geometric tail bound is below 1e-17 of the sum.
[[nodiscard]] inline double beta_tail(BetaSeries series, std::size_t count) {
  double tail = 0.0;
  for (std::size_t i = count; i < count + 100'000'000; ++i) {
    const auto di = static_cast<double>(i);
    const double ratio = series.ratio(di);
    series.next(di, 1.0 / di);
    const double term = series.term();
    tail += term;
    if (ratio < 1.0 && term * ratio / (1.0 - ratio) <= 1e-17 * tail) break;
    if (term == 0.0) break;
  }
  return tail;
}

/// The sums for capacity c, arrivals joining in states c .. join_end - 1 (blocked from
/// join_end on), s = sigma / theta and x = theta t (t the target time). Only the states the
/// distribution holds (d.first ..) are visited, and the series of the virtual wait's law only
/// when `virtual_law` (virtual_within / virtual_beyond are 0 otherwise). Each waiting state
/// costs two divisions (1 / j and 1 / (s + 1 + j), shared by both series).
[[nodiscard]] inline ImpatientQueueSums impatient_queue_sums(const BirthDeathDistribution& d,
                                                             std::int64_t c,
                                                             std::int64_t join_end, double s,
                                                             double x, bool virtual_law = true) {
  ImpatientQueueSums out;
  const auto first = static_cast<std::int64_t>(d.first);
  const auto size = static_cast<std::int64_t>(d.size());
  auto pi = [&](std::int64_t k) { return d.probability[static_cast<std::size_t>(k - first)]; };
  const std::int64_t joins = std::min(join_end, size);
  // (four running sums each: a single sum's add latency would bound these loops)
  const std::int64_t queue_from = std::max(c, first);  // first state with a queue
  if (c > first)
    out.no_wait = sum(d.probability.data(), static_cast<std::size_t>(std::min(c, size) - first));
  if (queue_from < size)
    out.mean_queue = index_weighted_sum(d.probability.data() + (queue_from - first),
                                        static_cast<std::size_t>(size - queue_from),
                                        static_cast<double>(queue_from - c));
  const std::int64_t count = std::max<std::int64_t>(joins - c, 0);
  if (count == 0) return out;
  const double one_minus_u = -std::expm1(-x);
  BetaSeries answered_series(s + 1.0, x, one_minus_u), virtual_series(s, x, one_minus_u);
  BetaLaw answered, virtual_w;
  const auto n = static_cast<std::size_t>(count);
  std::vector<double> large[2];
  answered.terms = beta_terms_storage(0, n, large[0]);
  answered.past_median = n;
  if (virtual_law) {
    virtual_w.terms = beta_terms_storage(1, n, large[1]);
    virtual_w.past_median = n;
  }
  double harmonic = 0.0;  // sum_{i <= j} 1 / (s + 1 + i)
  for (std::size_t j = 0; j < n; ++j) {
    const auto dj = static_cast<double>(j);
    if (j > 0) {
      const double inv_j = 1.0 / dj;
      answered_series.next(dj, inv_j);
      if (virtual_law) virtual_series.next(dj, inv_j);
    }
    const double inv = 1.0 / (s + 1.0 + dj);
    harmonic += inv;
    const std::int64_t k = c + static_cast<std::int64_t>(j);
    const double p = k >= first ? pi(k) : 0.0;
    const double share = s * inv;  // s / (s + j + 1)
    answered.terms[j] = answered_series.term();
    answered.cumulative += answered.terms[j];
    if (answered.cumulative > 0.5 && answered.past_median == n) answered.past_median = j;
    if (answered.past_median == n) out.answered_within += p * share * (1.0 - answered.cumulative);
    if (virtual_law) {
      virtual_w.terms[j] = virtual_series.term();
      virtual_w.cumulative += virtual_w.terms[j];
      if (virtual_w.cumulative > 0.5 && virtual_w.past_median == n) virtual_w.past_median = j;
      if (virtual_w.past_median == n) out.virtual_within += p * (1.0 - virtual_w.cumulative);
      out.virtual_beyond += p * virtual_w.cumulative;
    }
    out.joins_queue += p;
    out.answered_wait += p * share * harmonic;
  }
  // Past the median: 1 - I_j as the tail sum_{i > j} t_i, summed back from beyond the last j.
  auto add_tails = [&](const BetaLaw& law, const BetaSeries& series, bool with_share,
                       double& sum) {
    if (law.past_median == n) return;
    double tail = beta_tail(series, n);
    for (std::size_t j = n; j-- > law.past_median;) {
      const std::int64_t k = c + static_cast<std::int64_t>(j);
      const double p = k >= first ? pi(k) : 0.0;
      sum += p * (with_share ? s / (s + 1.0 + static_cast<double>(j)) : 1.0) * tail;
      tail += law.terms[j];
    }
  };
  add_tails(answered, answered_series, true, out.answered_within);
  if (virtual_law) add_tails(virtual_w, virtual_series, false, out.virtual_within);
  return out;
}

}  // namespace wfm::queueing::detail
