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
/// `policy.tail_tolerance` (1e-15) times the largest weight among the states >= R
/// (`reference_state`, e.g. the first waiting state), which is <= the total mass. So the
/// neglected tail is below 1e-15 of the total, and also of the mass at and beyond R, which
/// keeps tiny waiting probabilities (1e-40) accurate relatively. Before R is reached the chain
/// is cut only once the bound is below `policy.negligible` (1e-300) of the total: everything
/// beyond is then below what a double resolves next to 1 anyway. The bound reached is returned
/// in `tail_bound` (relative to the total). A chain that needs more than `policy.max_states`
/// states (an absurd load such as lambda x patience = 1e16) stops there with
/// `Status::not_converged`, in bounded time and memory, never a hang.
///
/// **Mode-centred window** (chains whose ratios are non-increasing from state 0, K = 0, which
/// holds for every model of the module). Such a chain is unimodal; its mode M is the first
/// state with r_M <= 1, found by bisection on r (O(log M) ratio calls). The weights are formed
/// from w_M = 1 outwards in plain doubles (every weight is <= 1, and the cuts stop before one
/// underflows, so no scaling is needed): upwards as above, downwards by w_{k-1} = w_k / r_{k-1}.
/// Below the mode the inverse ratios 1 / r_j do not grow as j falls, so the neglected head is
/// bounded by the same geometric series,
///
///   sum_{j < k} w_j <= w_k q / (1 - q) = w_k / (r_{k-1} - 1),   q = 1 / r_{k-1} < 1,
///
/// and the chain is cut below k once this is at most `tail_tolerance` times the largest weight
/// among the states [k, R) (so sums over the states below R, e.g. "served at once", keep their
/// relative accuracy as the sums from R on do), or, while k > R, `negligible` times the peak.
/// Only the states that carry mass are formed: at 1,000 agents some +-9 standard deviations
/// around the mode instead of every state from 0 (`stationary_window()`; the same numbers come
/// from `stationary_distribution()` padded with zeros from state 0). Chains with K > 0, and
/// chains whose mode lies beyond max_states, are walked from state 0 as before.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <wfm/core/status.hpp>

namespace wfm::queueing {

/// Tuning constants of the birth-death engine (the queueing module's policy for chains).
struct BirthDeathPolicy {
  /// The accuracy target of a chain solve: stop once the bound on the neglected tail is at most
  /// this fraction of the mass at and beyond the reference state (<= the total mass); the head
  /// below the mode likewise. 1e-15 is below the rounding of the sums the models form from the
  /// distribution (a sum of n terms in doubles carries up to (n - 1) 1.1e-16 relative: 1e-15
  /// from ten states on; the chains here hold hundreds) and 1e-3 of the 1e-12 relative the
  /// reference tests ask. The window is then ~6 % narrower than at 1e-17 (+-8.3 instead of
  /// +-8.85 standard deviations for a near-normal chain: sqrt(2 ln 10^15) vs sqrt(2 ln 10^17)).
  double tail_tolerance = 1e-15;
  /// Before the reference state: stop once the tail bound is at most this fraction of the total.
  double negligible = 1e-300;
  /// Most states ever formed (memory 12 bytes each, 24 MB at most). Enough for queues of
  /// two million waiting contacts; beyond: Status::not_converged.
  std::int64_t max_states = 2'000'000;
};

/// The stationary distribution of a (possibly truncated) birth-death chain.
struct BirthDeathDistribution {
  /// pi_k for k = first .. size() - 1, stored at probability[k - first] (sums to 1 within
  /// rounding). stationary_distribution() always has first = 0.
  std::vector<double> probability;
  std::size_t first = 0;  ///< first state formed (the states below hold negligible mass)
  double tail_bound = 0.0;      ///< bound on the neglected mass (both ends), relative
  /// log sum_k w_k with w_first = 1 (first = 0: w_0 = 1, so log pi_0 = -log_normaliser)
  double log_normaliser = 0.0;
  wfm::Status status = wfm::Status::ok;  ///< ok, or not_converged (max_states reached)
  std::string message;                   ///< why, when not ok

  /// One past the last state formed.
  [[nodiscard]] std::size_t size() const noexcept { return first + probability.size(); }
  /// E[min(K, cap)] = sum_k min(k, cap) pi_k over the states formed (range split: no min).
  [[nodiscard]] double capped_mean(std::int64_t cap) const noexcept;
  /// pi_k, 0 outside the states formed.
  [[nodiscard]] double operator[](std::size_t k) const noexcept {
    return k >= first && k < size() ? probability[k - first] : 0.0;
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
    if (factor > 0x1p+400 || factor < 0x1p-400) {  // factor may be as large as 1e308
      int f = 0;
      mantissa *= std::frexp(factor, &f);
      exponent += f;
    } else {
      mantissa *= factor;  // |log2| <= 500 + 400: no over- or underflow
    }
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

/// Every state from 0 on, weights carried as scaled values (chains not monotone from 0).
template <class Ratio>
[[nodiscard]] BirthDeathDistribution walk_from_zero(Ratio& ratio, const ChainShape& shape,
                                                    const BirthDeathPolicy& policy) {
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


/// A growing array of weights, kept per thread between solves (see stationary_window()). The
/// walks copy `at`, `size` and `room` into locals (a member updated per state goes through
/// memory and costs more than the state itself) and call grow() when size reaches room.
struct WalkBuffer {
  std::vector<double> data;
  explicit WalkBuffer(std::vector<double>& storage) : data(std::move(storage)) {}
  /// Room for at least `size` + 1 values (data.size() is the new room); returns the array.
  double* grow(std::size_t size) {
    data.resize(std::max<std::size_t>(1024, 2 * size));
    return data.data();
  }
  /// Hands the storage back (after an absurd chain: drops it rather than keep megabytes).
  void release(std::vector<double>& storage) {
    if (data.size() > (std::size_t{1} << 16)) data = std::vector<double>();
    storage = std::move(data);
  }
};
/// sum of x[0 .. n) with four running sums (no loop-carried latency on one sum).
[[nodiscard]] inline double sum(const double* x, std::size_t n) noexcept {
  double a = 0.0, b = 0.0, c = 0.0, d = 0.0;
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    a += x[i];
    b += x[i + 1];
    c += x[i + 2];
    d += x[i + 3];
  }
  for (; i < n; ++i) a += x[i];
  return (a + b) + (c + d);
}
/// sum of (k0 + i) x[i] over i in [0, n) with four running sums.
[[nodiscard]] inline double index_weighted_sum(const double* x, std::size_t n,
                                               double k0) noexcept {
  double a = 0.0, b = 0.0, c = 0.0, d = 0.0, k = k0;
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4, k += 4.0) {
    a += k * x[i];
    b += (k + 1.0) * x[i + 1];
    c += (k + 2.0) * x[i + 2];
    d += (k + 3.0) * x[i + 3];
  }
  for (; i < n; ++i, k += 1.0) a += k * x[i];
  return (a + b) + (c + d);
}
/// The two storages of the calling thread (0: downwards walk, 1: upwards walk).
inline std::vector<double>& walk_storage(int which) {
  thread_local std::vector<double> storage[2];
  return storage[which];
}

/// The mode of a chain whose ratios are non-increasing from 0: the first k < cap - 1 with
/// r_k <= 1, else cap - 1 (exponential then binary search).
template <class Ratio>
[[nodiscard]] std::int64_t chain_mode(Ratio& ratio, std::int64_t cap) {
  if (cap <= 1 || !(static_cast<double>(ratio(0)) > 1.0)) return 0;
  std::int64_t lo = 0, hi = 1;  // r_lo > 1; search r_hi <= 1
  while (hi < cap - 1 && static_cast<double>(ratio(hi)) > 1.0) {
    lo = hi;
    hi = std::min(2 * hi, cap - 1);
  }
  if (hi == cap - 1 && static_cast<double>(ratio(hi)) > 1.0) return cap - 1;
  while (hi - lo > 1) {  // r_lo > 1 >= r_hi
    const std::int64_t mid = lo + (hi - lo) / 2;
    (static_cast<double>(ratio(mid)) > 1.0 ? lo : hi) = mid;
  }
  return hi;
}

/// The states below the mode of a chain monotone from 0 (stationary_window()).
struct DownWalk {
  std::int64_t first = 0;  ///< lowest state kept
  double head = 0.0;       ///< bound on the mass below it, relative to w_M = 1
  std::size_t size = 0;    ///< ratios stored: r_{M-1}, ..., r_first
};
/// Downwards from the mode: w_{k-1} = w_k / r_{k-1}, r > 1. The walk stores the ratios and
/// carries the product P_k = w_M / w_k = r_k ... r_{M-1} (a multiplication per state; the test
/// w_k <= t (r - 1) becomes P_k t (r - 1) >= 1); the weights are formed afterwards from the
/// lowest state up by multiplications (no division but the ratio's own). Its own function (not
/// inlined): with the upward walk in the same body the compiler kept P_k in memory. The inner
/// loop holds no call while the buffer has room (a call, even on a cold path, does the same).
template <class Ratio>
[[gnu::noinline]] DownWalk walk_down(Ratio ratio, std::int64_t mode, std::int64_t ref,
                                     double tol, double negligible, WalkBuffer& down) {
  double product = 1.0, below_ref_max = mode < ref ? 1.0 : 0.0, head = 0.0;
  std::size_t down_size = 0, down_room = down.data.size();
  double* down_at = down.data.data();
  std::int64_t k = mode;
  for (bool done = k == 0; !done;) {
    if (down_size == down_room) {
      down_at = down.grow(down_size);
      down_room = down.data.size();
    }
    for (; down_size < down_room; --k) {
      if (k == 0) {
        done = true;
        break;
      }
      const double r = static_cast<double>(ratio(k - 1));
      const double threshold = k <= ref ? tol * below_ref_max : negligible;
      if (product * (threshold * (r - 1.0)) >= 1.0) {  // sum_{j<k} w_j <= w_k / (r - 1)
        head = 1.0 / (product * (r - 1.0));
        done = true;
        break;
      }
      product *= r;
      down_at[down_size++] = r;
      if (k - 1 < ref && below_ref_max == 0.0) below_ref_max = 1.0 / product;  // the largest
    }
  }
  return {.first = k, .head = head, .size = down_size};
}

}  // namespace detail

inline double BirthDeathDistribution::capped_mean(std::int64_t cap) const noexcept {
  const std::size_t split =
      cap <= static_cast<std::int64_t>(first)
          ? 0
          : std::min(probability.size(), static_cast<std::size_t>(cap) - first);
  const double* p = probability.data();
  return detail::index_weighted_sum(p, split, static_cast<double>(first)) +
         static_cast<double>(cap) * detail::sum(p + split, probability.size() - split);
}

/// The stationary distribution of a birth-death chain over the states that carry its mass
/// (`first` .. size() - 1; see "Mode-centred window" above); same arguments and guarantees as
/// stationary_distribution(), and log_normaliser relative to w_first = 1. Chains with
/// monotone_from > 0 are walked from state 0 (first = 0).
template <class Ratio>
[[nodiscard]] BirthDeathDistribution stationary_window(Ratio&& ratio_in, const ChainShape& shape,
                                                       const BirthDeathPolicy& policy = {}) {
  // A local copy: its state stays in registers (the stores of the walks below cannot alias
  // a local whose address never escapes; through the caller's reference they might).
  std::remove_cvref_t<Ratio> ratio = ratio_in;
  const std::int64_t last_state = shape.last_state, ref = shape.reference_state;
  const std::int64_t cap = last_state >= 0 ? std::min(last_state + 1, policy.max_states)
                                           : policy.max_states;
  if (shape.monotone_from > 0) return detail::walk_from_zero(ratio, shape, policy);
  const std::int64_t mode = detail::chain_mode(ratio, cap);
  if (mode >= cap - 1 && (last_state < 0 || last_state + 1 > policy.max_states))
    return detail::walk_from_zero(ratio, shape, policy);  // no mode within max_states
  BirthDeathDistribution out;
  // The weights of each walk go to a per-thread scratch buffer (a push_back per state costs
  // more than the state itself); the result is assembled, flipped and scaled once at the end.
  detail::WalkBuffer down(detail::walk_storage(0)), up(detail::walk_storage(1));
  const double tol = policy.tail_tolerance, negligible = policy.negligible;
  const detail::DownWalk below = detail::walk_down(ratio, mode, ref, tol, negligible, down);
  const double head = below.head;
  const std::size_t down_size = below.size;
  const double* down_at = down.data.data();
  std::size_t up_size = 0, up_room = up.data.size();
  double* up_at = up.data.data();
  std::int64_t k = below.first;
  out.first = static_cast<std::size_t>(k);
  // The upward walk's inner loop holds no call while the buffer has room (a call, even on a
  // cold path, makes the compiler keep the running product in memory).
  // Upwards from the mode: the tail rule of walk_from_zero, the peak w_M = 1.
  double v = 1.0;
  if (up_size == up_room) [[unlikely]] {
    up_at = up.grow(up_size);
    up_room = up.data.size();
  }
  up_at[up_size++] = 1.0;
  bool reached_ref = ref <= mode, truncated = false;
  double ref_max = reached_ref ? 1.0 : 0.0, tail = 0.0;
  k = mode;
  for (bool done = false; !done;) {
    if (up_size == up_room) {
      up_at = up.grow(up_size);
      up_room = up.data.size();
    }
    for (; up_size < up_room; ++k) {
      if (k + 1 >= cap) {
        truncated = last_state < 0 || last_state + 1 > policy.max_states;
        done = true;
        break;
      }
      const double r = static_cast<double>(ratio(k));
      if (!(r > 0.0) ||  // lambda_k = 0: the chain ends at k
          (r < 1.0 && v * r <= (reached_ref ? tol * ref_max : negligible) * (1.0 - r))) {
        if (r > 0.0) tail = v * r / (1.0 - r);
        done = true;
        break;
      }
      v *= r;
      up_at[up_size++] = v;
      if (k + 1 == ref) {
        reached_ref = true;
        ref_max = v;
      }  // above the mode the weights fall: ref_max stays the weight at max(R, M)
    }
  }
  if (truncated) {
    out.status = wfm::Status::not_converged;
    out.message = "birth-death chain truncated at max_states = " +
                  std::to_string(policy.max_states) + " states before its tail was negligible";
    tail = std::numeric_limits<double>::infinity();
  }
  // The states first .. M - 1 from w_first = 1 up (down_at holds r_{M-1}, ..., r_first), then
  // everything relative to w_M = 1 and normalised.
  std::vector<double>& w = out.probability;
  w.resize(down_size + up_size);
  double x = 1.0;
  for (std::size_t i = 0; i < down_size; ++i) {
    w[i] = x;
    x *= down_at[down_size - 1 - i];
  }
  const double to_mode = 1.0 / x;  // w_M / (w_M computed from w_first = 1)
  const double total = detail::sum(w.data(), down_size) * to_mode + detail::sum(up_at, up_size);
  const double scale = 1.0 / total;
  out.log_normaliser = std::log(total * x);  // log sum w / w_first, w_first = 1 / x
  const double scale_down = to_mode * scale;
  for (std::size_t i = 0; i < down_size; ++i) w[i] *= scale_down;
  for (std::size_t i = 0; i < up_size; ++i) w[down_size + i] = up_at[i] * scale;
  out.tail_bound = (head + tail) * scale;
  down.release(detail::walk_storage(0));
  up.release(detail::walk_storage(1));
  return out;
}

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
  BirthDeathDistribution out = stationary_window(ratio, shape, policy);
  if (out.first == 0) return out;
  // log w_first relative to w_0 = 1: the product of the ratios below first
  detail::ScaledValue w_first;
  for (std::int64_t k = 0; k < static_cast<std::int64_t>(out.first); ++k)
    w_first.multiply(static_cast<double>(ratio(k)));
  out.log_normaliser += w_first.log();
  out.probability.insert(out.probability.begin(), out.first, 0.0);
  out.first = 0;
  return out;
}

}  // namespace wfm::queueing
