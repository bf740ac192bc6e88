// evaluate_staffing: the time-varying Erlang A / C chain integrated interval by interval (TR-BDF2
// or uniformization), the state remapped where the staffing falls (end-of-shift rule); formulas
// and sources: include/wfm/queueing/time_varying.hpp.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <type_traits>
#include <wfm/core/error.hpp>
#include <wfm/core/limits.hpp>
#include <wfm/queueing/birth_death.hpp>
#include <wfm/queueing/time_varying.hpp>

// TR-BDF2's sweeps are chains of multiply-adds whose latency is the step's time: on x86-64
// with GCC they are also compiled for AVX2 + FMA (x86-64-v3, one fused multiply-add per link
// instead of a multiply and an add) and the variant the CPU supports is chosen at load time
// (GCC function multiversioning, as in blending.cpp); elsewhere, and under sanitizers, as is.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__linux__) && \
    !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#define WFM_TV_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define WFM_TV_CLONES
#endif

namespace wfm::queueing {
namespace {

constexpr std::string_view kWhere = "wfm::queueing::evaluate_staffing";
/// TR-BDF2 never steps below implicit_first_step * implicit_growth^kLowestRung.
constexpr int kLowestRung = -20;

/// The birth-death chain of one interval: k contacts in the system, n agents.
struct Chain {
  double lambda, mu, theta;  // theta = 0: Erlang C
  std::int64_t n;
  [[nodiscard]] double death(std::int64_t k) const {
    return mu * static_cast<double>(std::min(k, n)) +
           theta * static_cast<double>(std::max<std::int64_t>(k - n, 0));
  }
};

/// Poisson(x) probabilities on [left, right], normalised to sum 1 (the neglected mass is below
/// `tol`), formed from the mode outwards (Fox & Glynn 1988) so e^{-x} never underflows; and
/// tail[m - left] = P(N > m).
struct PoissonWeights {
  std::int64_t left = 0, right = 0;
  std::vector<double> weight, tail;
  [[nodiscard]] double w(std::int64_t m) const {
    return m < left || m > right ? 0.0 : weight[static_cast<std::size_t>(m - left)];
  }
  [[nodiscard]] double p_greater(std::int64_t m) const {
    return m < left ? 1.0 : m > right ? 0.0 : tail[static_cast<std::size_t>(m - left)];
  }
};

/// Steps of a uniformization with Poisson mean x (an upper estimate, for the work budget).
double poisson_steps(double x) { return x + 12.0 * std::sqrt(x) + 40.0; }

PoissonWeights poisson_weights(double x, double tol) {
  PoissonWeights p;
  const auto mode = static_cast<std::int64_t>(std::floor(x));
  const double cut = tol * 1e-3;  // relative to the mode's weight (set to 1 below)
  std::vector<double> down{1.0}, up;
  for (std::int64_t m = mode; m > 0;) {  // w_{m-1} = w_m m / x
    const double v = down.back() * static_cast<double>(m) / x;
    if (v < cut) break;
    down.push_back(v);
    --m;
  }
  for (std::int64_t m = mode;;) {  // w_{m+1} = w_m x / (m + 1)
    const double v = (up.empty() ? 1.0 : up.back()) * x / static_cast<double>(m + 1);
    if (v < cut) break;
    up.push_back(v);
    ++m;
  }
  p.left = mode - static_cast<std::int64_t>(down.size()) + 1;
  p.right = mode + static_cast<std::int64_t>(up.size());
  p.weight.assign(down.rbegin(), down.rend());
  p.weight.insert(p.weight.end(), up.begin(), up.end());
  double total = 0.0;
  for (double v : p.weight) total += v;
  for (double& v : p.weight) v /= total;
  p.tail.assign(p.weight.size(), 0.0);
  for (std::size_t i = p.weight.size() - 1; i > 0; --i) p.tail[i - 1] = p.tail[i] + p.weight[i];
  return p;
}

/// The work a TR-BDF2 step costs per state of its window, in units of TransientPolicy::max_work
/// (about 0.5 ns each): measured 14 ns of CPU per state and step (f, two tridiagonal solves, the
/// error estimate and the time average; 1.66-1.76 ns per unit at the former charge of 8 on
/// windows of ~400 to ~4,000 states, 2026-12-05, load average ~6 on the 2-core VM), so the
/// default budget of 2e10 units ends after about 10 s (the former charge let it run ~35 s).
constexpr double kTrBdf2WorkPerState = 28.0;

/// Work left, in units of TransientPolicy::max_work; false once a computation would exceed it.
struct Budget {
  double left;
  bool take(double work) {
    if (!(work <= left)) return false;
    left -= work;
    return true;
  }
};

/// P(answered within T | j waiting ahead), j = 0..J (answered_within: with the caller's own
/// abandonment at rate theta; virtual: without), by uniformization of the pure-death chain
/// j -> j - 1 at rate n mu + j theta (Mandelbaum & Zeltyn 2007, section 3).
std::vector<double> conditional_met(const Chain& c, std::int64_t J, double T, bool kill,
                                    double tol, Budget& budget, bool& ok) {
  std::vector<double> g(static_cast<std::size_t>(J + 1), 0.0);
  const double kill_rate = kill ? c.theta : 0.0;
  const double rate = c.mu * static_cast<double>(c.n) + c.theta * static_cast<double>(J) + kill_rate;
  if (!(T > 0.0) || !(rate > 0.0) || c.n == 0) return g;
  const double x = rate * T;
  if (!budget.take(poisson_steps(x) * static_cast<double>(J + 1))) {
    ok = false;
    return g;
  }
  const PoissonWeights pw = poisson_weights(x, tol);
  std::vector<double> h(g.size(), 0.0), down(g.size()), stay(g.size());
  for (std::size_t j = 0; j < g.size(); ++j) {
    down[j] = c.death(c.n + static_cast<std::int64_t>(j)) / rate;
    stay[j] = 1.0 - down[j] - kill_rate / rate;
  }
  for (std::int64_t m = 0; m <= pw.right; ++m) {
    if (m >= pw.left) {
      const double w = pw.w(m);
      for (std::size_t j = 0; j < g.size(); ++j) g[j] += w * h[j];
    }
    // in place from the top: h_j <- down_j h_{j-1} + stay_j h_j (h_{-1} = 1: answered)
    for (std::size_t j = g.size() - 1; j > 0; --j) h[j] = down[j] * h[j - 1] + stay[j] * h[j];
    h[0] = down[0] + stay[0] * h[0];
  }
  return g;
}

/// The state distribution and the window [lo, hi] that holds its mass.
struct State {
  std::vector<double> p;
  std::int64_t lo = 0, hi = 0;
};

/// The distribution of the waiting states (k >= n) at the quadrature nodes of an interval's
/// tail [from, L): the callers who arrive there may still wait at the boundary (see the file
/// comment of time_varying.hpp, "Callers waiting at a boundary").
struct TailSample {
  double time = 0.0;            ///< [s] from the interval's start
  double weight = 0.0;          ///< [s] quadrature weight
  std::vector<double> waiting;  ///< waiting[j] = p_{n+j}(time)
};
/// One step of an integrator over [t0, t1] whose ends (p, f = Q^T p, over k >= n) give the
/// cubic Hermite interpolant of p (dense output).
struct TailSegment {
  double t0 = 0.0, t1 = 0.0;
  std::size_t j0 = 0;  ///< p0[0] is p_{n+j0} (the window may start above n)
  std::vector<double> p0, f0, p1, f1;
};
struct TailRequest {
  double from = 0.0;  ///< [s] start of the tail (max(0, L - target time))
  std::int64_t n = 0;
  std::vector<TailSample> samples;    ///< filled by the integrator
  std::vector<TailSegment> segments;  ///< TR-BDF2's steps over the tail (time from the start)
};

/// Gauss-Legendre nodes and weights on [-1, 1], 3 points (exact for degree 5; Abramowitz &
/// Stegun 1964, table 25.4).
constexpr double kGaussNode[3] = {-0.7745966692414834, 0.0, 0.7745966692414834};
constexpr double kGaussWeight[3] = {0.5555555555555556, 0.8888888888888889, 0.5555555555555556};

/// The tail's samples from TR-BDF2's segments: 3 Gauss nodes on each segment's part of the
/// tail, p by the cubic Hermite interpolant of the segment's ends.
void samples_from_segments(TailRequest& tail) {
  tail.samples.clear();
  for (const TailSegment& g : tail.segments) {
    const double a = std::max(g.t0, tail.from), b = g.t1, h = g.t1 - g.t0;
    if (!(b > a)) continue;
    for (int q = 0; q < 3; ++q) {
      TailSample smp;
      smp.time = 0.5 * (a + b) + 0.5 * (b - a) * kGaussNode[q];
      smp.weight = 0.5 * (b - a) * kGaussWeight[q];
      const double x = (smp.time - g.t0) / h, x2 = x * x, x3 = x2 * x;
      const double h00 = 2 * x3 - 3 * x2 + 1, h10 = (x3 - 2 * x2 + x) * h,
                   h01 = 3 * x2 - 2 * x3, h11 = (x3 - x2) * h;
      smp.waiting.assign(g.j0 + g.p0.size(), 0.0);
      for (std::size_t j = 0; j < g.p0.size(); ++j)
        smp.waiting[g.j0 + j] =
            std::max(0.0, h00 * g.p0[j] + h10 * g.f0[j] + h01 * g.p1[j] + h11 * g.f1[j]);
      tail.samples.push_back(std::move(smp));
    }
  }
}

/// Advances `s` over one interval of length L; fills `mean` (time average over the interval,
/// indexed like s.p over [mean_lo, mean_hi]). Returns the status.
struct IntervalOutcome {
  Status status = Status::ok;
  std::int64_t mean_lo = 0, mean_hi = 0;
  double lost = 0.0;
};

IntervalOutcome advance_uniformization(const Chain& c, double L, State& s, std::vector<double>& mean,
                                       const TransientPolicy& policy, Budget& budget) {
  IntervalOutcome out;
  const double cap = static_cast<double>(policy.max_states - 1);
  // Largest state the uniformization rate covers: for theta > 0 exit rates grow with k; the
  // window stays below the fluid queue (lambda - n mu)^+ / theta plus 12 standard deviations
  // (restart with a larger bound otherwise). For theta = 0 the rates stop growing at n.
  double bound = cap;
  if (c.theta > 0.0) {
    const double fluid = std::max(0.0, c.lambda - c.mu * static_cast<double>(c.n)) / c.theta;
    bound = std::max(static_cast<double>(s.hi), static_cast<double>(c.n) + fluid) +
            12.0 * std::sqrt(c.lambda / c.theta + 1.0) + 16.0;
  }
  const State start = s;
  for (;;) {
    // theta = 0: the exit rates stop at lambda + n mu, and the window can grow by at most one
    // state per step, so H only bounds the memory.
    const double steps_c = poisson_steps((c.lambda + c.death(c.n)) * L);
    const auto H = static_cast<std::int64_t>(
        c.theta > 0.0 ? std::min(bound, cap)
                      : std::min(cap, static_cast<double>(std::max(s.hi, c.n)) + steps_c));
    const double rate = c.lambda + c.death(H);
    const double x = rate * L;
    const double width = static_cast<double>(s.hi - s.lo + 1) + 2.0 * poisson_steps(x);
    if (!budget.take(poisson_steps(x) * std::min(width, cap + 1.0))) {
      out.status = Status::time_limit;
      return out;
    }
    if (static_cast<std::size_t>(H + 2) > s.p.size()) s.p.resize(static_cast<std::size_t>(H + 2), 0.0);
    // Working arrays hold state k at index k + 1 and stay 0 outside the window (so the step
    // reads its neighbours without branches): one fused, vectorisable pass per Poisson step.
    const auto size = static_cast<std::size_t>(H + 3);
    std::vector<double> v(size, 0.0), next(size, 0.0), stay(size, 0.0), down(size, 0.0);
    std::vector<double> acc_mean(size, 0.0), acc_end(size, 0.0);
    const double up = c.lambda / rate;  // P = I + Q / rate: into k from k - 1
    for (std::int64_t k = 0; k <= H; ++k) {
      const auto i = static_cast<std::size_t>(k + 1);
      down[i] = c.death(k) / rate;                                   // into k - 1 from k
      stay[i] = 1.0 - (k < H ? up : 0.0) - down[i];                  // no births out of H
    }
    for (std::int64_t k = s.lo; k <= s.hi; ++k)
      v[static_cast<std::size_t>(k + 1)] = s.p[static_cast<std::size_t>(k)];
    const PoissonWeights pw = poisson_weights(x, policy.poisson_tolerance);
    std::int64_t lo = s.lo, hi = s.hi, mlo = lo, mhi = hi;
    bool overflow = false;
    for (std::int64_t m = 0; m <= pw.right && !overflow; ++m) {
      const double w = pw.w(m), t = pw.p_greater(m);
      // accumulate the current vector and take one step on the window grown by one each way
      const std::int64_t nlo = std::max<std::int64_t>(lo - 1, 0), nhi = std::min(hi + 1, H);
      const auto first = static_cast<std::size_t>(nlo + 1), last = static_cast<std::size_t>(nhi + 1);
      for (std::size_t i = first; i <= last; ++i) {
        acc_mean[i] += t * v[i];
        acc_end[i] += w * v[i];
        next[i] = stay[i] * v[i] + up * v[i - 1] + down[i + 1] * v[i + 1];
      }
      std::fill(v.begin() + static_cast<std::ptrdiff_t>(lo + 1),
                v.begin() + static_cast<std::ptrdiff_t>(hi + 2), 0.0);
      std::swap(v, next);
      lo = nlo;
      hi = nhi;
      while (hi > lo && v[static_cast<std::size_t>(hi + 1)] < policy.window_tolerance) {
        out.lost += v[static_cast<std::size_t>(hi + 1)];
        v[static_cast<std::size_t>(hi-- + 1)] = 0.0;
      }
      while (lo < hi && v[static_cast<std::size_t>(lo + 1)] < policy.window_tolerance) {
        out.lost += v[static_cast<std::size_t>(lo + 1)];
        v[static_cast<std::size_t>(lo++ + 1)] = 0.0;
      }
      mlo = std::min(mlo, lo);
      mhi = std::max(mhi, hi);
      if (hi == H && H < static_cast<std::int64_t>(cap) && c.theta > 0.0) overflow = true;
    }
    mean.assign(s.p.size(), 0.0);
    std::vector<double> end(s.p.size(), 0.0);
    for (std::int64_t k = mlo; k <= mhi; ++k) {
      mean[static_cast<std::size_t>(k)] = acc_mean[static_cast<std::size_t>(k + 1)];
      end[static_cast<std::size_t>(k)] = acc_end[static_cast<std::size_t>(k + 1)];
    }
    if (overflow) {  // the rate bound was too low: restart the interval with twice the room
      s = start;
      out.lost = 0.0;
      bound = static_cast<double>(H) + static_cast<double>(H - c.n) + 16.0;
      continue;
    }
    if (hi == H && H == static_cast<std::int64_t>(cap)) out.status = Status::not_converged;
    // the new state: p(L); the window is where it holds mass
    std::fill(s.p.begin(), s.p.end(), 0.0);
    double total_mean = 0.0;
    for (std::int64_t k = mlo; k <= mhi; ++k) total_mean += mean[static_cast<std::size_t>(k)];
    for (std::int64_t k = mlo; k <= mhi; ++k) {
      const auto i = static_cast<std::size_t>(k);
      mean[i] /= total_mean;  // time average: (1 / rate) sum_m P(N > m) v_m, normalised
      s.p[i] = end[i];
    }
    s.lo = mlo;
    s.hi = mhi;
    while (s.hi > s.lo && s.p[static_cast<std::size_t>(s.hi)] < policy.window_tolerance) out.lost += s.p[static_cast<std::size_t>(s.hi--)];
    while (s.lo < s.hi && s.p[static_cast<std::size_t>(s.lo)] < policy.window_tolerance) out.lost += s.p[static_cast<std::size_t>(s.lo++)];
    out.mean_lo = mlo;
    out.mean_hi = mhi;
    return out;
  }
}

/// The rates of the chain on a window [lo, hi] with reflecting ends (no births out of hi, no
/// deaths out of lo): births[i], deaths[i] out of state lo + i.
struct WindowRates {
  std::vector<double> births, deaths;
  WindowRates(const Chain& c, std::int64_t lo, std::int64_t hi) {
    const auto size = static_cast<std::size_t>(hi - lo + 1);
    births.assign(size, c.lambda);
    births[size - 1] = 0.0;
    deaths.resize(size);
    for (std::size_t i = 0; i < size; ++i) deaths[i] = c.death(lo + static_cast<std::int64_t>(i));
    deaths[0] = 0.0;
  }
};

/// (I - h Q^T) factored once (Thomas algorithm): row i reads -h b_{i-1} x_{i-1} +
/// (1 + h (b_i + d_i)) x_i - h d_{i+1} x_{i+1}. A column-diagonally-dominant M-matrix (the
/// columns of Q^T sum to 0), so no pivoting is needed. The sweeps are first-order linear
/// recurrences, y_i = b_i / pivot_i + a_i y_{i-1} (a_i = h b_{i-1} / pivot_i) and
/// x_{i-1} = y_{i-1} - w_{i-1} x_i, whose latency is most of a step's time: each is taken two
/// states per link of its dependency chain with the products a_i a_{i-1}, w_{i-1} w_i stored
/// (recursive doubling of one level: Kogge & Stone 1973, "A parallel algorithm for the
/// efficient solution of a general class of recurrence equations", IEEE Trans. Computers
/// C-22(8)), so the chain is one multiply-add per two states.
struct ImplicitSolver {
  std::vector<double> inv, a, aa, w, ww;  // 1 / pivot, a_i, a_i a_{i-1}, w_i, w_i w_{i+1}
  /// The multipliers from the pivots' reciprocals (inv, filled by factor_pair): independent
  /// per state, so these passes vectorise.
  void multipliers(const WindowRates& r, double h) {
    const std::size_t size = r.births.size();
    a.resize(size);  // every entry is written below (no fill: refactorisations are frequent)
    aa.resize(size);
    w.resize(size);
    ww.resize(size);
    a[0] = aa[0] = w[size - 1] = ww[size - 1] = 0.0;
    for (std::size_t i = 1; i < size; ++i) a[i] = h * r.births[i - 1] * inv[i];
    for (std::size_t i = 0; i + 1 < size; ++i) w[i] = -h * r.deaths[i + 1] * inv[i];
    for (std::size_t i = 1; i < size; ++i) {
      aa[i] = a[i] * a[i - 1];
      ww[i - 1] = w[i - 1] * w[i];
    }
  }
  /// Solves for x with the right side b(i), called once per i in increasing order (so it may
  /// compute and store other per-state values as it goes); term(i) is called once per i in
  /// decreasing order as x[i] takes its final value, and the sum of its results is returned
  /// (0 for a void term). The caller's passes ride on the sweeps, whose time is the latency of
  /// their recurrences, instead of sweeping the arrays again.
  template <class Rhs, class Term>  // inlined: into each compiled variant of its caller
  [[gnu::always_inline]] double solve(std::size_t size, Rhs&& b, std::vector<double>& x,
                                      Term&& term) const {
    constexpr bool sums = !std::is_void_v<std::invoke_result_t<Term&, std::size_t>>;
    double sum[2] = {0.0, 0.0};  // two partial sums: the add chain keeps up with the sweep
    auto visit = [&](std::size_t i, int slot) {
      if constexpr (sums) sum[slot] += term(i);
      else term(i);
    };
    x[0] = b(std::size_t{0}) * inv[0];
    std::size_t i = 1;
    for (; i + 1 < size; i += 2) {  // y_{i+1} = (b'_{i+1} + a_{i+1} b'_i) + a_{i+1} a_i y_{i-1}
      const double prev = x[i - 1], bi = b(i) * inv[i], bj = b(i + 1) * inv[i + 1];
      x[i] = bi + a[i] * prev;
      x[i + 1] = (bj + a[i + 1] * bi) + aa[i + 1] * prev;
    }
    if (i < size) x[i] = b(i) * inv[i] + a[i] * x[i - 1];
    std::size_t k = size - 1;
    visit(k, 0);
    for (; k >= 2; k -= 2) {  // x_{k-2} = (y_{k-2} - w_{k-2} y_{k-1}) + w_{k-2} w_{k-1} x_k
      const double next = x[k], y1 = x[k - 1];
      x[k - 1] = y1 - w[k - 1] * next;
      x[k - 2] = (x[k - 2] - w[k - 2] * y1) + ww[k - 2] * next;
      visit(k - 1, 1);
      visit(k - 2, 0);
    }
    if (k == 1) {
      x[0] -= w[0] * x[1];
      visit(0, 1);
    }
    return sum[0] + sum[1];
  }
};

/// Factors (I - h1 Q^T) into s1 and (I - h2 Q^T) into s2. The pivots obey the continued
/// fraction pivot_i = c_i - e_i / pivot_{i-1} (c_i = 1 + h (b_i + d_i), e_i = h^2 b_{i-1} d_i),
/// whose division latency was most of a refactorisation's time. Two links are composed into
/// one (a Moebius map): with r = 1 / pivot_{i-1},
///   pivot_i = c_i - e_i r,  pivot_i pivot_{i+1} = (c_{i+1} c_i - e_{i+1}) - c_{i+1} e_i r,
/// so r_next = 1 / pivot_{i+1} = pivot_i / (pivot_i pivot_{i+1}): one division on the chain per
/// two states (the other, 1 / pivot_i, is off it), and the two step lengths' chains run side by
/// side. c_{i+1} c_i - e_{i+1} >= 1 (the product holds 1 + h^2 b_i d_{i+1}), and every pivot
/// is >= 1 (column diagonal dominance), so the composed link subtracts nothing near-equal
/// that the plain one does not.
WFM_TV_CLONES
void factor_pair(const WindowRates& r, double h1, ImplicitSolver& s1, double h2,
                 ImplicitSolver& s2) {
  const std::size_t size = r.births.size();
  s1.inv.resize(size);
  s2.inv.resize(size);
  const double h[2] = {h1, h2};
  double* inv[2] = {s1.inv.data(), s2.inv.data()};
  auto c = [&](std::size_t i, int q) { return 1.0 + h[q] * (r.births[i] + r.deaths[i]); };
  auto e = [&](std::size_t i, int q) { return h[q] * h[q] * r.births[i - 1] * r.deaths[i]; };
  double rr[2];
  for (int q = 0; q < 2; ++q) rr[q] = inv[q][0] = 1.0 / c(0, q);
  std::size_t i = 1;
  for (; i + 1 < size; i += 2)
    for (int q = 0; q < 2; ++q) {
      const double ci = c(i, q), cj = c(i + 1, q), ei = e(i, q);
      const double pivot_i = ci - ei * rr[q];
      const double product = (cj * ci - e(i + 1, q)) - cj * ei * rr[q];
      inv[q][i] = 1.0 / pivot_i;
      rr[q] = inv[q][i + 1] = pivot_i / product;
    }
  if (i < size)
    for (int q = 0; q < 2; ++q) inv[q][i] = 1.0 / (c(i, q) - e(i, q) * rr[q]);
  s1.multipliers(r, h1);
  s2.multipliers(r, h2);
}

/// States added below and above the start's window for TR-BDF2's interval.
struct Margins {
  std::int64_t below, above;
};

/// The margins: 16 + 2 sqrt(width) states each way for the spreading, and on the side towards
/// the interval's fluid equilibrium (lambda / mu below n, else n + (lambda - n mu) / theta; +inf
/// for an overloaded Erlang C) the distance to it, up to 2 sqrt(width) more (the former margin,
/// 16 + 4 sqrt(width) both ways, left ~200 of ~840 states empty below 1e-18 on the benchmark
/// day). Mass reaching an edge redoes the interval with both margins doubled, so the window
/// only sets the cost, never the accuracy (window_tolerance).
Margins window_margins(const Chain& c, const State& s) {
  const double root = std::sqrt(static_cast<double>(s.hi - s.lo + 1));
  double mass = 0.0, first = 0.0;
  for (std::int64_t k = s.lo; k <= s.hi; ++k) {
    mass += s.p[static_cast<std::size_t>(k)];
    first += static_cast<double>(k) * s.p[static_cast<std::size_t>(k)];
  }
  const double mean = mass > 0.0 ? first / mass : static_cast<double>(s.lo);
  const auto n = static_cast<double>(c.n);
  const double load = c.lambda / c.mu;
  double equilibrium = load;
  if (load > n)
    equilibrium = c.theta > 0.0 ? n + (c.lambda - c.mu * n) / c.theta
                                : std::numeric_limits<double>::infinity();
  const double spread = 16.0 + 2.0 * root;
  const double down = std::min(std::max(mean - equilibrium, 0.0), 2.0 * root);
  const double up = std::min(std::max(equilibrium - mean, 0.0), 2.0 * root);
  return {static_cast<std::int64_t>(spread + down), static_cast<std::int64_t>(spread + up)};
}

/// One interval by TR-BDF2 (Bank, Coughran, Fichtner, Grosse, Rose & Smith 1985, "Transient
/// simulation of silicon devices and circuits", IEEE Trans. CAD 4(4); for Markov chains:
/// Reibman & Trivedi 1988, "Numerical transient analysis of Markov models", Computers & OR
/// 15(1), who recommend it for stiff chains): L-stable, second order, every stage a
/// tridiagonal solve, and the steady state p Q = 0 is a fixed point (so a constant load
/// stays exactly at its Erlang A distribution). gamma = 2 - sqrt 2, f = Q^T p:
///   (I - gamma h / 2 Q^T) p_g = (I + gamma h / 2 Q^T) p_n,
///   (I - (1 - gamma) / (2 - gamma) h Q^T) p_{n+1} = (p_g - (1 - gamma)^2 p_n) / (gamma (2 - gamma)).
/// Step sizes follow the local error estimate of Bank et al. (1985), section III: the
/// truncation error is C h^3 p''' with C = (-3 gamma^2 + 4 gamma - 2) / (12 (2 - gamma)), and
/// h^3 p''' is estimated by the second divided difference of f over the three points,
///   LTE ~ 2 C h (f_n / gamma - f_g / (gamma (1 - gamma)) + f_{n+1} / (1 - gamma)),
/// f_g and f_{n+1} coming from the stages themselves (no extra product). The steps lie on a
/// ladder first * growth^j (capped at `implicit_step`), so the two factorisations are reused
/// while the rung stays: a step whose estimate (L1 norm, a bound on the probability it moves
/// in any set of states) exceeds `implicit_tolerance` is redone one rung lower, and the next
/// step goes one rung up when the estimate is below tol / (2 growth^3). Each interval starts
/// at `implicit_first_step` (the load and staffing jump there). The time average is the
/// trapezoid rule over the three points of each step (the quadratic through them was tried:
/// its error against uniformization was larger). The window grows by a margin; if mass
/// reaches its edge the interval is redone with twice the margin.
WFM_TV_CLONES
IntervalOutcome advance_tr_bdf2(const Chain& c, double L, State& s, std::vector<double>& mean,
                                const TransientPolicy& policy, Budget& budget,
                                TailRequest* tail = nullptr, double offset = 0.0) {
  IntervalOutcome out;
  const double gamma = 2.0 - std::sqrt(2.0);
  const double inv_g2 = 1.0 / (gamma * (2.0 - gamma)), om = (1.0 - gamma) * (1.0 - gamma);
  const double d2 = (1.0 - gamma) / (2.0 - gamma);
  const double lte = 2.0 * std::fabs(-3.0 * gamma * gamma + 4.0 * gamma - 2.0) /
                     (12.0 * (2.0 - gamma));
  const double c0 = 1.0 / gamma, c1 = 1.0 / (gamma * (1.0 - gamma)), c2 = 1.0 / (1.0 - gamma);
  const std::int64_t cap = policy.max_states - 1;
  Margins margin = window_margins(c, s);
  const State start = s;
  std::vector<double> p, pg, tmp, f;
  for (;;) {
    const std::int64_t lo = std::max<std::int64_t>(start.lo - margin.below, 0);
    const std::int64_t hi = std::min(start.hi + margin.above, cap);
    const auto size = static_cast<std::size_t>(hi - lo + 1);
    p.assign(size, 0.0);
    for (std::int64_t k = start.lo; k <= start.hi; ++k)
      p[static_cast<std::size_t>(k - lo)] = start.p[static_cast<std::size_t>(k)];
    pg.resize(size);
    tmp.resize(size);
    f.resize(size);
    std::vector<double> acc(size, 0.0);
    const WindowRates rates(c, lo, hi);
    if (tail != nullptr) tail->segments.clear();
    // the waiting states k >= n in the window: [first_wait, size)
    const auto first_wait = static_cast<std::size_t>(std::clamp<std::int64_t>(
        (tail != nullptr ? tail->n : c.n) - lo, 0, static_cast<std::int64_t>(size)));
    auto flow = [&](std::size_t i) {  // (Q^T p)_i on the window
      double in = 0.0;
      if (i > 0) in += rates.births[i - 1] * p[i - 1];
      if (i + 1 < size) in += rates.deaths[i + 1] * p[i + 1];
      return in - (rates.births[i] + rates.deaths[i]) * p[i];
    };
    ImplicitSolver first, second;
    double factored = -1.0;
    // step lengths on a ladder first * growth^j (capped), so the factorisations are reused
    // while the rung stays: up one rung when the estimate is below tol / (2 growth^3) (the
    // next step's estimate then stays below tol), down one when a step is redone.
    const double first_step = std::min(policy.implicit_first_step, policy.implicit_step);
    auto rung = [&](int j) {
      return std::min(first_step * std::pow(policy.implicit_growth, j), policy.implicit_step);
    };
    const double grow_below =
        policy.implicit_tolerance * 0.5 / std::pow(policy.implicit_growth, 3.0);
    int j = 0;
    for (double t = 0.0; t < L;) {
      if (!budget.take(kTrBdf2WorkPerState * static_cast<double>(size))) {
        out.status = Status::time_limit;
        return out;
      }
      const double h = rung(j);
      const double take = L - t <= h * 1.25 ? L - t : h;
      if (take != factored) {  // refactor only when the step length changes
        factored = take;
        factor_pair(rates, 0.5 * gamma * take, first, d2 * take, second);
      }
      const double w_g = 0.5 * gamma * take, w_n = 0.5 * (1.0 - gamma) * take;  // trapezoid
      // f = Q^T p and rhs = (I + gamma h / 2 Q^T) p, formed inside the first forward sweep
      auto rhs_g = [&](std::size_t i) {
        double in = 0.0;
        if (i > 0) in += rates.births[i - 1] * p[i - 1];
        if (i + 1 < size) in += rates.deaths[i + 1] * p[i + 1];
        f[i] = in - (rates.births[i] + rates.deaths[i]) * p[i];
        return p[i] + w_g * f[i];
      };
      first.solve(size, rhs_g, pg, [](std::size_t) {});
      // the second stage's right side, and the error estimate term by term as p_{n+1} settles
      // in the backward sweep: f_g = (p_g - p_n) / (gamma h / 2) - f_n;
      // f_{n+1} = (p_{n+1} - rhs) / (d2 h)
      const double inv_wg = 1.0 / w_g, inv_d2h = 1.0 / (d2 * take);
      auto rhs_2 = [&](std::size_t i) { return (pg[i] - om * p[i]) * inv_g2; };
      auto err_term = [&](std::size_t i) {
        const double fg = (pg[i] - p[i]) * inv_wg - f[i];
        const double f1 = (tmp[i] - rhs_2(i)) * inv_d2h;
        return std::fabs(c0 * f[i] - c1 * fg + c2 * f1);
      };
      const double err = second.solve(size, rhs_2, tmp, err_term) * lte * take;
      if (err > policy.implicit_tolerance && j > kLowestRung) {  // redo one rung shorter
        --j;
        continue;
      }
      TailSegment* seg = nullptr;
      if (tail != nullptr && offset + t + take > tail->from) {  // dense output over the tail
        seg = &tail->segments.emplace_back();
        seg->t0 = offset + t;
        seg->t1 = offset + t + take;
        seg->j0 = static_cast<std::size_t>(std::max<std::int64_t>(lo - tail->n, 0));
        seg->p0.assign(p.begin() + static_cast<std::ptrdiff_t>(first_wait), p.end());
        seg->f0.assign(f.begin() + static_cast<std::ptrdiff_t>(first_wait), f.end());
      }
      for (std::size_t i = 0; i < size; ++i) {
        acc[i] += w_g * (p[i] + pg[i]) + w_n * (pg[i] + tmp[i]);
        p[i] = std::max(tmp[i], 0.0);  // rounding can leave -1e-30 in empty states
      }
      if (seg != nullptr) {
        seg->p1.assign(p.begin() + static_cast<std::ptrdiff_t>(first_wait), p.end());
        for (std::size_t i = first_wait; i < size; ++i) seg->f1.push_back(flow(i));
      }
      t += take;
      if (err <= grow_below && rung(j + 1) > rung(j)) ++j;
    }
    const bool at_edge = (lo > 0 && (p[0] > policy.window_tolerance || acc[0] > policy.window_tolerance * L)) ||
                         (hi < cap && (p[size - 1] > policy.window_tolerance ||
                                       acc[size - 1] > policy.window_tolerance * L));
    if (at_edge) {
      margin.below *= 2;
      margin.above *= 2;
      continue;
    }
    if (hi == cap && p[size - 1] > policy.window_tolerance) out.status = Status::not_converged;
    if (static_cast<std::size_t>(hi + 2) > s.p.size()) s.p.resize(static_cast<std::size_t>(hi + 2), 0.0);
    std::fill(s.p.begin(), s.p.end(), 0.0);
    mean.assign(s.p.size(), 0.0);
    double total = 0.0, mass = 0.0;
    for (std::size_t i = 0; i < size; ++i) {
      total += acc[i];
      mass += p[i];
    }
    for (std::size_t i = 0; i < size; ++i) {
      mean[static_cast<std::size_t>(lo) + i] = acc[i] / total;
      s.p[static_cast<std::size_t>(lo) + i] = p[i] / mass;  // undo the clipping's rounding
    }
    out.mean_lo = lo;
    out.mean_hi = hi;
    while (out.mean_hi > out.mean_lo && mean[static_cast<std::size_t>(out.mean_hi)] < policy.window_tolerance) --out.mean_hi;
    while (out.mean_lo < out.mean_hi && mean[static_cast<std::size_t>(out.mean_lo)] < policy.window_tolerance) ++out.mean_lo;
    s.lo = lo;
    s.hi = hi;
    while (s.hi > s.lo && s.p[static_cast<std::size_t>(s.hi)] < policy.window_tolerance) out.lost += s.p[static_cast<std::size_t>(s.hi--)];
    while (s.lo < s.hi && s.p[static_cast<std::size_t>(s.lo)] < policy.window_tolerance) out.lost += s.p[static_cast<std::size_t>(s.lo++)];
    return out;
  }
}

/// The time average of an interval advanced in consecutive pieces: the pieces' averages
/// weighted by their lengths.
struct MeanCombiner {
  IntervalOutcome out;
  std::vector<double> sum;
  bool any = false;
  /// Adds a piece's outcome; false once the budget ran out (out.status = time_limit).
  bool add(const IntervalOutcome& r, const std::vector<double>& mean, double weight) {
    out.lost += r.lost;
    if (r.status == Status::time_limit) {
      out.status = Status::time_limit;
      return false;
    }
    if (r.status != Status::ok) out.status = r.status;
    if (sum.size() <= static_cast<std::size_t>(r.mean_hi)) sum.resize(static_cast<std::size_t>(r.mean_hi) + 1, 0.0);
    for (std::int64_t k = r.mean_lo; k <= r.mean_hi; ++k)
      sum[static_cast<std::size_t>(k)] += weight * mean[static_cast<std::size_t>(k)];
    out.mean_lo = any ? std::min(out.mean_lo, r.mean_lo) : r.mean_lo;
    out.mean_hi = any ? std::max(out.mean_hi, r.mean_hi) : r.mean_hi;
    any = true;
    return true;
  }
  IntervalOutcome finish(std::vector<double>& mean) {
    mean = std::move(sum);
    return out;
  }
};

/// An interval that starts with a staffing cut: uniformization over its first
/// policy.cut_uniformization_span seconds (the spike the remap leaves spreads there, where
/// TR-BDF2's error control would step from 1/64 s up), then TR-BDF2 from the smoothed state
/// (the head ends before a requested tail, whose samples come from TR-BDF2's dense output).
/// The time average is the two pieces' averages weighted by their lengths.
IntervalOutcome advance_after_cut(const Chain& c, double L, State& s, std::vector<double>& mean,
                                  const TransientPolicy& policy, Budget& budget,
                                  TailRequest* tail) {
  double head = std::min(policy.cut_uniformization_span, L);
  if (tail != nullptr) head = std::min(head, tail->from);
  if (!(head > 0.0)) return advance_tr_bdf2(c, L, s, mean, policy, budget, tail);
  IntervalOutcome a = advance_uniformization(c, head, s, mean, policy, budget);
  if (a.status == Status::time_limit || head >= L) return a;
  MeanCombiner both;
  both.add(a, mean, head / L);
  const IntervalOutcome b = advance_tr_bdf2(c, L - head, s, mean, policy, budget, tail, head);
  both.add(b, mean, (L - head) / L);
  return both.finish(mean);
}

/// The tail's pieces for uniformization: at most this long [s], 3 Gauss nodes each.
constexpr double kTailPiece = 60.0;

/// Uniformization over the interval, stopping at the tail's Gauss nodes to sample p there
/// (exact: the pieces are exact transient solutions).
IntervalOutcome advance_uniformization_sampled(const Chain& c, double L, State& s,
                                               std::vector<double>& mean,
                                               const TransientPolicy& policy, Budget& budget,
                                               TailRequest& tail) {
  tail.samples.clear();
  const double span = L - tail.from;
  const int pieces = std::max(1, static_cast<int>(std::ceil(span / kTailPiece)));
  for (int piece = 0; piece < pieces; ++piece) {
    const double a = tail.from + span * piece / pieces, b = tail.from + span * (piece + 1) / pieces;
    for (int q = 0; q < 3; ++q)
      tail.samples.push_back({0.5 * (a + b) + 0.5 * (b - a) * kGaussNode[q],
                              0.5 * (b - a) * kGaussWeight[q], {}});
  }
  MeanCombiner all;
  std::vector<double> piece_mean;
  double t = 0.0;
  auto run = [&](double until) {
    const double length = until - t;
    t = until;
    if (!(length > 0.0)) return true;
    return all.add(advance_uniformization(c, length, s, piece_mean, policy, budget), piece_mean,
                   length / L);
  };
  for (TailSample& smp : tail.samples) {
    if (!run(smp.time)) return all.finish(mean);
    for (std::int64_t k = std::max(s.lo, tail.n); k <= s.hi; ++k) {
      const auto j = static_cast<std::size_t>(k - tail.n);
      if (smp.waiting.size() <= j) smp.waiting.resize(j + 1, 0.0);
      smp.waiting[j] = s.p[static_cast<std::size_t>(k)];
    }
  }
  run(L);
  return all.finish(mean);
}

// ---- Callers waiting at a boundary (time_varying.hpp, "Callers waiting at a boundary") ----

/// Position vectors: entries below kPositionTolerance are dropped from the top, and a vector
/// whose mass falls below kNegligibleMass is done (its remaining answers change no metric).
constexpr double kPositionTolerance = 1e-18;
constexpr double kNegligibleMass = 1e-15;
/// A uniformization of a position vector is split into pieces of this Poisson mean (the vector
/// is trimmed, and its mass checked, between pieces).
constexpr double kPositionPiece = 200.0;

/// The tagged caller's position chain (Mandelbaum & Zeltyn 2007, section 3): with n agents and
/// j callers ahead, j -> j - 1 at rate n mu + j theta (a service or an abandonment ahead),
/// answered from j = 0 at rate n mu, killed at rate `kill` (its own abandonment, theta, or 0
/// for the virtual wait). Across the boundary into an interval with more agents the
/// newcomers take the first d = n_new - n_old waiting callers (j -> j - d; j < d answered at
/// the boundary); at a cut the queue is unchanged and the staying agents serve it (the
/// leavers' calls left the chain: staff_cut_state). After the horizon the last staffing holds.
class BoundaryCallers {
 public:
  BoundaryCallers(std::span<const double> agents, double L, double mu, double theta,
                  const TransientPolicy& policy, Budget& budget)
      : agents_(agents), L_(L), mu_(mu), theta_(theta), policy_(policy), budget_(budget) {}

  bool ok = true;  ///< false once the work budget ran out

  [[nodiscard]] std::size_t intervals() const noexcept { return agents_.size(); }

  [[nodiscard]] std::int64_t agents(std::size_t m) const {
    return static_cast<std::int64_t>(agents_[std::min(m, agents_.size() - 1)]);
  }

  /// Advances the sub-distribution r (r[j]: mass with j ahead) over `duration` [s] under n
  /// agents by uniformization (Jensen 1953); adds the mass answered to `answered`. When no
  /// position can outlast the duration (gone_within), the answered mass is the closed form.
  void advance(std::int64_t n, double kill, double duration, std::vector<double>& r,
               double& answered) {
    trim(r);
    if (r.empty()) return;
    if (gone_within(n, r.size(), duration)) {
      answered += answered_for_ever(n, r, kill);
      r.clear();
      return;
    }
    const double n_mu = mu_ * static_cast<double>(n);
    std::vector<double> v, next, down, stay, acc;
    for (double left = duration; left > 0.0 && !r.empty() && ok;) {
      const std::size_t J = r.size();
      const double rate = n_mu + theta_ * static_cast<double>(J - 1) + kill;
      if (!(rate > 0.0)) return;  // nobody moves
      const double piece = std::min(left, kPositionPiece / rate), x = rate * piece;
      if (!budget_.take(poisson_steps(x) * static_cast<double>(J))) {
        ok = false;
        return;
      }
      const PoissonWeights pw = poisson_weights(x, policy_.poisson_tolerance);
      // v[0] holds the mass answered, v[j + 1] position j; v[J + 1] = 0 pads the top
      v.assign(J + 2, 0.0);
      std::copy(r.begin(), r.end(), v.begin() + 1);
      next.assign(J + 2, 0.0);
      down.assign(J + 2, 0.0);
      stay.assign(J + 2, 1.0);
      acc.assign(J + 2, 0.0);
      for (std::size_t j = 0; j < J; ++j) {
        down[j + 1] = (n_mu + theta_ * static_cast<double>(j)) / rate;
        stay[j + 1] = 1.0 - down[j + 1] - kill / rate;
      }
      for (std::int64_t m = 0; m <= pw.right; ++m) {
        const double w = pw.w(m);
        for (std::size_t i = 0; i <= J; ++i) {  // one fused pass (vectorisable)
          acc[i] += w * v[i];
          next[i] = stay[i] * v[i] + down[i + 1] * v[i + 1];
        }
        std::swap(v, next);
      }
      answered += acc[0];
      std::copy(acc.begin() + 1, acc.begin() + 1 + static_cast<std::ptrdiff_t>(J), r.begin());
      left -= piece;
      trim(r);
      if (!r.empty() && left > 0.0 && gone_within(n, r.size(), left)) {
        answered += answered_for_ever(n, r, kill);
        r.clear();
      }
    }
  }

  /// Whether every position below J is answered or killed within `duration` under n agents
  /// but with probability below 1e-30: answering from j takes j + 1 moves, each at rate >= n mu,
  /// and P(Poisson(x) <= x - 12 sqrt(x) - 40) < e^{-72} (Chernoff bound e^{-a^2 / (2x)}).
  [[nodiscard]] bool gone_within(std::int64_t n, std::size_t J, double duration) const {
    const double x = mu_ * static_cast<double>(n) * duration;
    return std::isfinite(x) && static_cast<double>(J) + 1.0 < x - 12.0 * std::sqrt(x) - 40.0;
  }

  /// The mass of r answered in the end with n agents for ever: from j ahead the j + 1 moves
  /// (at n mu + i theta, i = j..0) must each come before the killing (rate `kill`), so
  /// P = prod_{i=0}^{j} (n mu + i theta) / (n mu + i theta + kill) (Erlang A, kill = theta:
  /// n mu / (n mu + (j + 1) theta); 1 without killing when n > 0).
  [[nodiscard]] double answered_for_ever(std::int64_t n, const std::vector<double>& r,
                                         double kill) const {
    const double n_mu = mu_ * static_cast<double>(n);
    double sum = 0.0, product = 1.0;
    for (std::size_t j = 0; j < r.size(); ++j) {
      const double move = n_mu + theta_ * static_cast<double>(j);
      product *= move > 0.0 ? move / (move + kill) : 0.0;
      sum += r[j] * product;
    }
    return sum;
  }

  /// The mass of r (positions at the end of interval b) answered within tau [s] (+inf: ever)
  /// under the staffing that follows b.
  double answered_after(std::size_t b, std::vector<double> r, double tau, double kill) {
    double answered = 0.0;
    std::int64_t previous = agents(b);
    for (std::size_t m = b + 1;; ++m) {
      const std::int64_t n = agents(m);
      if (n > previous) {  // the newcomers take the first n - previous waiting callers
        const auto d = static_cast<std::size_t>(std::min<std::int64_t>(
            n - previous, static_cast<std::int64_t>(r.size())));
        for (std::size_t j = 0; j < d; ++j) answered += r[j];
        r.erase(r.begin(), r.begin() + static_cast<std::ptrdiff_t>(d));
      }
      previous = n;
      const bool last = m + 1 >= agents_.size();  // n holds from here on
      if (last && std::isinf(tau)) return answered + answered_for_ever(n, r, kill);
      const double span = last ? tau : std::min(tau, L_);
      advance(n, kill, span, r, answered);
      tau -= span;
      if (!(tau > 0.0) || r.empty() || !ok) return answered;
    }
  }

  /// What the staffing after interval i changes in the mass of r (positions at its end)
  /// answered within tau: the true future minus interval i's staffing held for ever (which
  /// the per-interval formulas assume). 0 when the staffing does not change within tau.
  double correction(std::size_t i, std::vector<double> r, double tau, double kill) {
    const std::int64_t n = agents(i);
    std::size_t change = i + 1;
    while (change < agents_.size() && agents(change) == n) ++change;
    const double before = static_cast<double>(change - i - 1) * L_;  // same staffing until then
    if (change >= agents_.size() || !(before < tau)) return 0.0;
    double ignored = 0.0;  // answered before the change: the same under both
    advance(n, kill, before, r, ignored);
    if (r.empty()) return 0.0;
    tau -= before;
    const double truth = answered_after(change - 1, r, tau, kill);
    double held = 0.0;
    if (std::isinf(tau)) held = answered_for_ever(n, r, kill);
    else advance(n, kill, tau, r, held);
    return truth - held;
  }

 private:
  static void trim(std::vector<double>& r) {
    while (!r.empty() && !(r.back() >= kPositionTolerance)) r.pop_back();
    double mass = 0.0;
    for (double v : r) mass += v;
    if (mass < kNegligibleMass) r.clear();
  }
  std::span<const double> agents_;
  double L_, mu_, theta_;
  const TransientPolicy& policy_;
  Budget& budget_;
};

/// q[j] = P(k > n + j): the mass of the callers waiting with j ahead (one per position of
/// every queue longer than j, FCFS).
std::vector<double> queue_positions(const State& s, std::int64_t n) {
  std::vector<double> q;
  if (s.hi <= n) return q;
  q.assign(static_cast<std::size_t>(s.hi - n), 0.0);
  double above = 0.0;
  for (std::int64_t k = s.hi; k > n; --k) {
    above += s.p[static_cast<std::size_t>(k)];
    q[static_cast<std::size_t>(k - n - 1)] = above;
  }
  return q;
}

/// The answered share of interval i's arrivals that its staffing held for ever misses (or
/// adds): its callers still waiting at its end, u[j] = P(k(L) > n + j) minus the callers who
/// were already waiting at its start (FCFS ahead of all of them: their positions follow the
/// position chain from P(k(0) > n + j), with no inflow), weighed by what the later staffing
/// changes in their chance of being answered.
double answered_correction(BoundaryCallers& b, std::size_t i, const Chain& c, double L,
                           std::vector<double> waiting_at_start, const State& end) {
  double ignored = 0.0;
  b.advance(c.n, c.theta, L, waiting_at_start, ignored);
  std::vector<double> u = queue_positions(end, c.n);
  for (std::size_t j = 0; j < u.size(); ++j)
    u[j] = std::max(0.0, u[j] - (j < waiting_at_start.size() ? waiting_at_start[j] : 0.0));
  return b.correction(i, std::move(u), std::numeric_limits<double>::infinity(), c.theta) /
         (c.lambda * L);
}

/// The same for the answered-within-T share: the callers arriving at s in the tail
/// [L - T, L) with j ahead (PASTA: p_{n+j}(s), at the tail's quadrature nodes) are followed
/// to the boundary under interval i's staffing, then over the T - (L - s) seconds left under
/// the later staffing; the per-interval formulas credited them g[j] (P(answered within T | j)
/// with interval i's staffing held, conditional_met).
double met_correction(BoundaryCallers& b, std::size_t i, const Chain& c, double L, double T,
                      double kill, const TailRequest& tail, const std::vector<double>& g) {
  // positions beyond this cannot be answered within T under any staffing of the window
  // (more moves than a Poisson(x) variable exceeds, x + 8 sqrt(x) + 20, but with probability
  // below 1e-16: Chernoff, e^{-a^2 / (2 (x + a / 3))})
  std::int64_t n_max = c.n, rises = 0;
  // the intervals a target reaches (beyond the horizon the last staffing holds)
  const double reach_intervals = std::ceil(T / L);
  const std::size_t last =
      reach_intervals >= static_cast<double>(b.intervals()) ? b.intervals()
                                                            : std::min(b.intervals(), i + 1 + static_cast<std::size_t>(reach_intervals));
  for (std::size_t m = i + 1; m <= last; ++m) {
    n_max = std::max(n_max, b.agents(m));
    rises += std::max<std::int64_t>(b.agents(m) - b.agents(m - 1), 0);
  }
  double sum = 0.0;
  for (const TailSample& smp : tail.samples) {
    const double e = L - smp.time, tau = T - e;
    if (!(tau > 0.0) || smp.waiting.empty()) continue;
    std::vector<double> r = smp.waiting;
    const double x = (c.mu * static_cast<double>(n_max) +
                      c.theta * static_cast<double>(r.size() + 1)) * T;
    const auto reach = static_cast<std::size_t>(static_cast<double>(rises) + x + 8.0 * std::sqrt(x) + 20.0);
    if (r.size() > reach) r.resize(reach);
    double held = 0.0, truth = 0.0;
    for (std::size_t j = 0; j < r.size() && j < g.size(); ++j) held += r[j] * g[j];
    b.advance(c.n, kill, e, r, truth);
    truth += b.answered_after(i, std::move(r), tau, kill);
    sum += smp.weight * (truth - held);
  }
  return sum / L;
}

void validate(std::span<const double> rates, double interval_length, double handle_time,
              double patience, std::span<const double> agents, const TransientPolicy& policy) {
  if (!(interval_length >= limits::min_interval_length &&
        interval_length <= limits::max_transient_interval_length))
    wfm::detail::throw_invalid(kWhere, "interval_length [s] must be in [1, 1e6] (wfm/core/limits.hpp)",
                               interval_length);
  wfm::detail::require_positive(kWhere, "handle_time [s]", handle_time);
  if (!std::isfinite(handle_time))
    wfm::detail::throw_invalid(kWhere, "handle_time [s] must be finite", handle_time);
  wfm::detail::require_positive_or_inf(kWhere, "patience [s]", patience);
  if (!(policy.implicit_first_step > 0.0 && policy.implicit_step > 0.0 &&
        std::isfinite(policy.implicit_step) && policy.implicit_growth >= 1.0 &&
        policy.implicit_growth <= 100.0 && policy.implicit_step / policy.implicit_first_step < 1e9 &&
        policy.implicit_tolerance > 0.0 && policy.implicit_tolerance <= 1.0))
    wfm::detail::throw_invalid(kWhere, "options.policy: implicit_first_step and implicit_step "
                               "must be > 0 (ratio < 1e9), implicit_growth in [1, 100], "
                               "implicit_tolerance in (0, 1]",
                               policy.implicit_growth);
  if (!(policy.cut_uniformization_span >= 0.0 && std::isfinite(policy.cut_uniformization_span)))
    wfm::detail::throw_invalid(kWhere, "options.policy.cut_uniformization_span [s] must be "
                               "finite and >= 0", policy.cut_uniformization_span);
  if (agents.size() != rates.size())
    wfm::detail::throw_invalid(kWhere, fmt::format("agents has {} values for {} arrival rates",
                                                   agents.size(), rates.size()));
  for (std::size_t i = 0; i < rates.size(); ++i) {
    if (!(rates[i] >= 0.0) || !std::isfinite(rates[i]))
      wfm::detail::throw_invalid(kWhere, fmt::format("arrival_rates[{}] must be finite and >= 0 "
                                                     "[1/s]", i), rates[i]);
    const double a = agents[i];
    if (!(a >= 0.0) || a != std::floor(a) || !(a < static_cast<double>(policy.max_states)))
      wfm::detail::throw_invalid(kWhere, fmt::format("agents[{}] must be a whole number >= 0 "
                                                     "and below policy.max_states", i), a);
  }
}

/// The starting distribution: the first interval's steady state, or empty.
State initial_state(const Chain& c, InitialState how, const TransientPolicy& policy,
                    std::string& message) {
  State s;
  s.p.assign(static_cast<std::size_t>(c.n) + 2, 0.0);
  s.p[0] = 1.0;
  if (how == InitialState::empty || c.lambda == 0.0) return s;
  if (c.theta == 0.0 && !(c.mu * static_cast<double>(c.n) > c.lambda)) {
    message = "the first interval is unstable under Erlang C (agents <= load): started empty";
    return s;
  }
  const BirthDeathDistribution d = stationary_distribution(
      [&](std::int64_t k) { return c.lambda / c.death(k + 1); },
      {.monotone_from = c.n, .reference_state = c.n},
      BirthDeathPolicy{.max_states = policy.max_states});
  if (d.status != Status::ok) {
    message = "the first interval's steady state needs more than max_states: started empty";
    return s;
  }
  s.p.assign(d.probability.begin(), d.probability.end());
  s.p.push_back(0.0);
  s.hi = static_cast<std::int64_t>(d.size()) - 1;
  while (s.hi > 0 && s.p[static_cast<std::size_t>(s.hi)] < policy.window_tolerance) --s.hi;
  while (s.lo < s.hi && s.p[static_cast<std::size_t>(s.lo)] < policy.window_tolerance) ++s.lo;
  return s;
}

/// One interval's metrics from its time-average distribution `mean` over [r.mean_lo, r.mean_hi]
/// (formulas: time_varying.hpp, "What each metric means"), g[j] = P(met | j ahead) with the
/// interval's staffing held, plus the corrections for its callers still waiting at its end.
struct IntervalMetrics {
  double wait_probability, queue_length, occupancy, abandon_rate, service_level;
};
IntervalMetrics interval_metrics(const Chain& c, const std::vector<double>& mean,
                                 const IntervalOutcome& r, const std::vector<double>& g,
                                 const StaffingGoal& goal, double answered_fix, double met_fix) {
  const ServiceLevelDefinition def = goal.definition;
  double wait = 0.0, busy = 0.0, queue = 0.0, answered = answered_fix, met = met_fix;
  const double nd = static_cast<double>(c.n), u = std::exp(-goal.target_time * c.theta);
  for (std::int64_t k = r.mean_lo; k <= r.mean_hi; ++k) {
    const double p = mean[static_cast<std::size_t>(k)];
    if (k < c.n) {
      busy += p * static_cast<double>(k);
      answered += p;
      met += p;
      continue;
    }
    const auto j = static_cast<std::size_t>(k - c.n);
    wait += p;
    busy += p * nd;
    queue += p * static_cast<double>(j);
    const double served =
        c.n == 0 ? 0.0 : c.mu * nd / (c.mu * nd + static_cast<double>(j + 1) * c.theta);
    answered += p * served;
    met += p * (def == ServiceLevelDefinition::wait_within ? 1.0 - u * (1.0 - g[j]) : g[j]);
  }
  if (def == ServiceLevelDefinition::wait_within) met -= (1.0 - u) * met_fix;  // u * fix
  IntervalMetrics m{};
  m.wait_probability = std::min(wait, 1.0);  // a sum of probabilities: rounding
  m.queue_length = queue;
  m.occupancy = c.n == 0 ? (c.lambda > 0.0 ? 1.0 : 0.0) : std::fmin(1.0, busy / nd);
  m.abandon_rate = c.theta == 0.0 ? 0.0 : std::clamp(1.0 - answered, 0.0, 1.0);
  m.service_level = std::clamp(def == ServiceLevelDefinition::answered_given_answered
                                   ? (answered > 0.0 ? met / answered : 0.0)
                                   : met,
                               0.0, 1.0);
  return m;
}

}  // namespace

TimeVaryingEvaluation evaluate_staffing(std::span<const double> arrival_rates,
                                        double interval_length, double handle_time,
                                        double patience, std::span<const double> agents,
                                        const StaffingGoal& goal,
                                        const EvaluationOptions& options) {
  const TransientPolicy& policy = options.policy;
  validate(arrival_rates, interval_length, handle_time, patience, agents, policy);
  wfm::detail::require_nonnegative(kWhere, "goal.target_time [s]", goal.target_time);
  const std::size_t n = arrival_rates.size();
  const double mu = 1.0 / handle_time, theta = std::isinf(patience) ? 0.0 : 1.0 / patience;
  TimeVaryingEvaluation out;
  for (auto* v : {&out.service_level, &out.wait_probability, &out.abandon_rate, &out.occupancy,
                  &out.queue_length})
    v->assign(n, std::numeric_limits<double>::quiet_NaN());
  out.status.assign(n, Status::ok);
  if (n == 0) return out;
  auto chain = [&](std::size_t i) {
    return Chain{arrival_rates[i], mu, theta, static_cast<std::int64_t>(agents[i])};
  };
  State s = initial_state(chain(0), options.initial, policy, out.message);
  Budget budget{policy.max_work};
  const bool kill = goal.definition == ServiceLevelDefinition::answered_within ||
                    goal.definition == ServiceLevelDefinition::answered_given_answered;
  std::map<std::int64_t, std::vector<double>> tables;  // conditional SL by agents
  BoundaryCallers boundary(agents, interval_length, mu, theta, policy, budget);
  // whether the staffing after interval i differs from n: anywhere, or within t of its end
  auto changes_after = [&](std::size_t i, std::size_t count) {
    for (std::size_t m = i + 1; m < count; ++m)
      if (agents[m] != agents[i]) return true;
    return false;
  };
  auto changes_within = [&](std::size_t i, double t) {
    const double reach = std::ceil(t / interval_length);
    const std::size_t last = reach >= static_cast<double>(n) ? n : i + 1 + static_cast<std::size_t>(reach);
    return changes_after(i, std::min(last, n));
  };
  std::vector<double> mean;
  std::size_t bad = 0;
  auto stop_from = [&](std::size_t i, Status why) {  // intervals i.. not evaluated
    for (std::size_t j = i; j < n; ++j) out.status[j] = why;
    bad += n - i;
  };
  for (std::size_t i = 0; i < n; ++i) {
    const Chain c = chain(i);
    // More contacts than the chain may hold reach the queue within the interval (or within a
    // patience): stop with a status instead of a useless (or non-finite) integration.
    if (!(c.lambda * std::min(interval_length, patience) <= static_cast<double>(policy.max_states))) {
      stop_from(i, Status::not_converged);
      break;
    }
    const bool cut = i > 0 && c.n < static_cast<std::int64_t>(agents[i - 1]);
    if (cut) {  // end-of-shift rule
      const auto n_old = static_cast<std::int64_t>(agents[i - 1]);
      apply_staff_cut(s.p, n_old, c.n);
      s.lo = staff_cut_state(s.lo, n_old, c.n);
      s.hi = staff_cut_state(s.hi, n_old, c.n);
    }
    // callers waiting at the interval's end meet a different staffing (answered: at any later
    // change; answered within T: a change within T of the end)
    const bool fix_answered =
        policy.boundary_callers && theta > 0.0 && c.lambda > 0.0 && changes_after(i, n);
    const bool fix_met = policy.boundary_callers && goal.target_time > 0.0 && c.lambda > 0.0 &&
                         changes_within(i, goal.target_time);
    std::vector<double> waiting_at_start;
    if (fix_answered) waiting_at_start = queue_positions(s, c.n);
    TailRequest tail{.from = std::max(0.0, interval_length - goal.target_time), .n = c.n,
                     .samples = {}, .segments = {}};
    TailRequest* want = fix_met ? &tail : nullptr;
    const IntervalOutcome r =
        options.integrator == TransientIntegrator::uniformization
            ? (fix_met ? advance_uniformization_sampled(c, interval_length, s, mean, policy, budget, tail)
                       : advance_uniformization(c, interval_length, s, mean, policy, budget))
        : cut ? advance_after_cut(c, interval_length, s, mean, policy, budget, want)
              : advance_tr_bdf2(c, interval_length, s, mean, policy, budget, want);
    out.mass_lost += r.lost;
    out.status[i] = r.status;
    if (r.status == Status::time_limit) {
      stop_from(i, Status::time_limit);
      break;
    }
    // conditional SL per number waiting ahead (cached by agents, grown when needed)
    const std::int64_t J = std::max<std::int64_t>(r.mean_hi - c.n, 0);
    auto& g = tables[c.n];
    if (static_cast<std::int64_t>(g.size()) <= J) {
      bool ok = true;
      g = conditional_met(c, std::max<std::int64_t>(J + J / 2, 64), goal.target_time, kill,
                          policy.poisson_tolerance, budget, ok);
      if (!ok) {
        stop_from(i, Status::time_limit);
        break;
      }
    }
    double answered_fix = 0.0, met_fix = 0.0;
    if (fix_answered)
      answered_fix = answered_correction(boundary, i, c, interval_length,
                                         std::move(waiting_at_start), s);
    if (fix_met) {
      if (options.integrator == TransientIntegrator::tr_bdf2) samples_from_segments(tail);
      met_fix = met_correction(boundary, i, c, interval_length, goal.target_time,
                               kill ? theta : 0.0, tail, g);
    }
    if (!boundary.ok) {
      stop_from(i, Status::time_limit);
      break;
    }
    const IntervalMetrics m = interval_metrics(c, mean, r, g, goal, answered_fix, met_fix);
    out.wait_probability[i] = m.wait_probability;
    out.queue_length[i] = m.queue_length;
    out.occupancy[i] = m.occupancy;
    out.abandon_rate[i] = m.abandon_rate;
    out.service_level[i] = m.service_level;
    if (r.status != Status::ok) ++bad;
  }
  if (bad > 0) {
    out.overall = std::count(out.status.begin(), out.status.end(), Status::time_limit) > 0
                      ? Status::time_limit
                      : Status::not_converged;
    // intervals never evaluated keep NaN metrics only behind a non-ok status (see the message)
    out.message += (out.message.empty() ? "" : "; ") +
                   fmt::format("{} of {} intervals not evaluated to tolerance ({})", bad, n,
                               to_string(out.overall));
  }
  out.final_distribution.assign(s.p.begin(), s.p.begin() + s.hi + 1);
  return out;
}

}  // namespace wfm::queueing
