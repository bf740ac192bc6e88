// Call blending: the stationary chain (1-D for equal handle times, level reduction otherwise),
// the waiting-time law of an inbound call, and the best threshold (blending.hpp).
#include <wfm/queueing/blending.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include <wfm/queueing/birth_death.hpp>
#include <wfm/queueing/detail/impatient_queue_terms.hpp>

namespace wfm::queueing {
namespace {

constexpr double kLn2 = 0.69314718055994530942;

// The uniformization's inner loop is three multiply-adds per state over contiguous arrays:
// on x86-64 with GCC it is also compiled for AVX2 + FMA (x86-64-v3) and the variant the CPU
// supports is chosen at load time (GCC function multiversioning); elsewhere, as is.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__linux__) && \
    !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#define WFM_BLENDING_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define WFM_BLENDING_CLONES
#endif

/// Service level, ASA and abandonment from P(wait), the queue sums and the definition.
struct QueueLaw {
  double no_wait = 0.0;          ///< P(an idle agent on arrival)
  double answered_within = 0.0;  ///< P(wait, answered within t)
  double virtual_within = 0.0;   ///< P(wait, V <= t)
  double answered_wait = 0.0;    ///< E[V; wait, answered] [s]
};

void fill_waiting_metrics(const detail::BlendingRates& q, const QueueLaw& law, double t,
                          ServiceLevelDefinition d, AsaOver over, BlendingMetrics& out) {
  out.abandon_rate = std::fmin(1.0, q.abandon * out.queue_length / q.arrival);
  const double served = 1.0 - out.abandon_rate;
  double sl = law.no_wait + law.virtual_within;  // every definition without patience
  if (q.abandon > 0.0) {
    switch (d) {
      case ServiceLevelDefinition::answered_within: sl = law.no_wait + law.answered_within; break;
      case ServiceLevelDefinition::answered_given_answered:
        sl = served > 0.0 ? (law.no_wait + law.answered_within) / served : 0.0;
        break;
      case ServiceLevelDefinition::virtual_wait_within: break;
      case ServiceLevelDefinition::wait_within:  // 1 - u P(V > t) (definitions.hpp)
        sl -= std::expm1(-q.abandon * t) * (out.wait_probability - law.virtual_within);
        break;
    }
  }
  out.service_level = std::fmin(1.0, std::fmax(0.0, sl));
  const double all = out.queue_length / q.arrival;  // Little
  out.asa_s = over == AsaOver::all || q.abandon == 0.0
                  ? all
                  : (served > 0.0 ? law.answered_wait / served : 0.0);
}

// ---------------------------------------------------------------- equal handle times (1-D)

/// mu_in = mu_out = mu: z = x + y >= n - r is Erlang A (C) restricted to z >= n - r; state
/// k = z - (n - r), capacity reached at k = r (see blending.hpp).
BlendingMetrics equal_rates(const detail::BlendingRates& q, double t, ServiceLevelDefinition d,
                            AsaOver over, const BlendingPolicy& policy) {
  const std::int64_t n = q.agents, r = q.reserve, base = n - r;
  const double mu = q.inbound, full = static_cast<double>(n) * mu;
  auto ratio = [&](std::int64_t k) {
    const std::int64_t z = base + k + 1;
    return q.arrival / (z <= n ? static_cast<double>(z) * mu
                               : full + static_cast<double>(z - n) * q.abandon);
  };
  BirthDeathPolicy bd;
  bd.tail_tolerance = policy.tail_tolerance;
  bd.max_states = std::min<std::int64_t>(policy.max_states, bd.max_states);
  const BirthDeathDistribution dist =
      stationary_distribution(ratio, {.monotone_from = 0, .reference_state = r}, bd);
  BlendingMetrics out;
  out.tail_bound = dist.tail_bound;
  if (dist.status != wfm::Status::ok) {
    out.status = dist.status;
    out.message = dist.message;
  }
  QueueLaw law;
  double busy = 0.0;
  for (std::size_t k = 0; k < dist.size(); ++k) {
    const auto kk = static_cast<std::int64_t>(k);
    const double p = dist.probability[k];
    busy += static_cast<double>(std::min(base + kk, n)) * p;
    if (kk < r) law.no_wait += p;
  }
  if (q.abandon > 0.0) {  // Erlang A's waiting law above capacity (impatient_queue_terms.hpp)
    const detail::ImpatientQueueSums s = detail::impatient_queue_sums(
        dist, r, std::numeric_limits<std::int64_t>::max(), full / q.abandon, q.abandon * t);
    out.wait_probability = std::fmin(1.0, s.joins_queue);
    out.queue_length = s.mean_queue;
    law.answered_within = s.answered_within;
    law.virtual_within = s.virtual_within;
    law.answered_wait = s.answered_wait / q.abandon;
  } else {  // M/M/n above capacity: the queue is geometric, V | wait ~ Exp(n mu - lambda)
    for (std::size_t k = static_cast<std::size_t>(r); k < dist.size(); ++k) {
      out.wait_probability += dist.probability[k];
      out.queue_length += static_cast<double>(static_cast<std::int64_t>(k) - r) * dist.probability[k];
    }
    law.virtual_within = -out.wait_probability * std::expm1(-(full - q.arrival) * t);
  }
  fill_waiting_metrics(q, law, t, d, over, out);
  // Little on the inbound work: E[agents on inbound] = lambda (1 - P(abandon)) / mu.
  const double inbound_busy = q.arrival * (1.0 - out.abandon_rate) / mu;
  out.occupancy = std::fmin(1.0, busy / static_cast<double>(n));
  out.inbound_occupancy = std::fmin(1.0, inbound_busy / static_cast<double>(n));
  out.outbound_throughput = r == n ? 0.0 : std::fmax(0.0, mu * (busy - inbound_busy));
  return out;
}

// ---------------------------------------------------------------- unequal handle times (levels)

/// Per-thread storage for the arrays of one evaluation that span the whole chain (0: the
/// level solution, 1: the waiting entries, 2: the tagged call's rows): megabytes allocated
/// afresh per call cost page faults and zeroing comparable to the work itself. An array is
/// taken (moved out) for the call and given back after; one beyond 32 MB is dropped.
std::vector<double>& thread_storage(int which) {
  thread_local std::vector<double> storage[3];
  return storage[static_cast<std::size_t>(which)];
}
std::vector<double> take_storage(int which) {
  std::vector<double> v = std::move(thread_storage(which));
  thread_storage(which) = std::vector<double>();
  return v;
}
void give_back(int which, std::vector<double>&& v) {
  if (v.size() <= (std::size_t{1} << 22)) thread_storage(which) = std::move(v);
}

/// The two-dimensional chain of blending.hpp, levels y = 0 .. L, states i = 0 .. width - 1.
class LevelChain {
 public:
  /// Levels 0 .. top (top = n - r: the whole chain; below: the level window of
  /// unequal_rates(), whose top level is re-entered from above at (0, top)).
  LevelChain(const detail::BlendingRates& q, std::int64_t queue_cut, std::int64_t top)
      : q_(q),
        levels_(top + 1),
        width_(q.reserve + queue_cut + 1),
        h_(take_storage(0)),
        log_scale_(static_cast<std::size_t>(levels_)) {}

  /// pi(i, y), normalised, row-major by level (every entry is written: no zeroing).
  std::vector<double> solve() {
    h_.resize(static_cast<std::size_t>(levels_ * width_));
    const auto w = static_cast<std::size_t>(width_);
    // one set of work arrays for every level (an allocation per level cost more than its solve)
    std::vector<double> ret(w, 0.0), p(w, 0.0), q(w, 0.0), g(w, 0.0), death_fixed(w);
    // above the top: none (ret = 0), or the window's cut, where a visit above returns to (0,
    // top) (ret = e_0: the move up becomes a self-loop; blending.hpp, "level window")
    if (levels_ - 1 < q_.agents - q_.reserve) ret[0] = 1.0;
    for (std::size_t i = 0; i < w; ++i)
      death_fixed[i] = inbound_rate(static_cast<std::int64_t>(i), 0) +
                       abandon_rate(static_cast<std::int64_t>(i));
    for (std::int64_t y = levels_ - 1; y >= 0; --y) {
      solve_level_in_place(y, ret.data(), death_fixed, p, q, g);
      store(y, g);
      returns(y, ret);
    }
    // pi_y = pi(0, y - 1) mu_in b_{y-1} g_y: level scales in logs, then normalise.
    std::vector<double> level_log(static_cast<std::size_t>(levels_));
    level_log[0] = log_scale_[0];
    for (std::int64_t y = 1; y < levels_; ++y) {
      const auto u = static_cast<std::size_t>(y);
      level_log[u] = level_log[u - 1] + std::log(at(0, y - 1)) +
                     std::log(q_.inbound * static_cast<double>(base(y - 1))) + log_scale_[u];
    }
    const double top = *std::max_element(level_log.begin(), level_log.end());
    // level sums (four running sums each), then one multiplication per state by
    // f_y / total (a division per state and a serial running total cost more than the rest)
    std::vector<double> factor(static_cast<std::size_t>(levels_));
    double total = 0.0;
    for (std::int64_t y = 0; y < levels_; ++y) {
      const auto u = static_cast<std::size_t>(y);
      factor[u] = std::exp(level_log[u] - top);
      total += factor[u] * detail::sum(h_.data() + y * width_, static_cast<std::size_t>(width_));
    }
    const double inv_total = 1.0 / total;
    for (std::int64_t y = 0; y < levels_; ++y) {
      const double f = factor[static_cast<std::size_t>(y)] * inv_total;
      double* row = h_.data() + y * width_;
      for (std::int64_t i = 0; i < width_; ++i) row[i] *= f;
    }
    return std::move(h_);
  }
  [[nodiscard]] std::int64_t levels() const noexcept { return levels_; }
  [[nodiscard]] std::int64_t width() const noexcept { return width_; }

 private:
  [[nodiscard]] std::int64_t base(std::int64_t y) const noexcept {  // b_y = n - r - y
    return q_.agents - q_.reserve - y;
  }
  [[nodiscard]] double inbound_rate(std::int64_t i, std::int64_t y) const noexcept {
    return q_.inbound * static_cast<double>(base(y) + std::min(i, q_.reserve));
  }
  [[nodiscard]] double abandon_rate(std::int64_t i) const noexcept {
    return q_.abandon * static_cast<double>(std::max<std::int64_t>(i - q_.reserve, 0));
  }
  double& ref(std::int64_t i, std::int64_t y) {
    return h_[static_cast<std::size_t>(y * width_ + i)];
  }
  [[nodiscard]] double at(std::int64_t i, std::int64_t y) const {
    return h_[static_cast<std::size_t>(y * width_ + i)];
  }

  /// g M_y = e_0^T (y > 0) or the null vector of M_y (y = 0), where M_y = -(A_y + mu_in b_y
  /// e_0 ret^T): A_y the generator within level y with every outflow on its diagonal, ret the
  /// distribution of the state where level y is re-entered from above (zeros at the top
  /// level). M_y is tridiagonal plus the full row 0: elimination from the last state up,
  /// g_j = p_j g_{j-1} + q_j g_0 (j >= 1), then row 0 gives g_0; O(width). Rates: birth
  /// lambda (none at the cut), death d_j = mu_in (b_y + min(j, r)) + theta (j - r)^+ (at
  /// j = 0: up a level), outbound mu_out y (j > 0; a self-loop at j = 0). `death_fixed` holds
  /// d_j at level 0; level y's is lower by mu_in y.
  ///
  /// The elimination's pivots p_j = lambda / (a_j - d_{j+1} p_{j+1}) (a_j the diagonal) form
  /// a continued fraction; written as p_j = lambda u_{j+1} / u_j with the three-term
  /// recurrence u_j = a_j u_{j+1} - lambda d_{j+1} u_{j+2} (u_w = 1, u_{w+1} = 0; the same
  /// quotients in the same order, e.g. Gautschi 1967, "Computational aspects of three-term
  /// recurrence relations", SIAM Review 9, section 1), the loop carries two multiply-adds and
  /// the division is off its critical path. u changes by about a_j per state: rescaled to 1
  /// whenever it leaves [2^-300, 2^300] (the quotients are unchanged).
  void solve_level_in_place(std::int64_t y, const double* ret,
                            const std::vector<double>& death_fixed, std::vector<double>& p,
                            std::vector<double>& q, std::vector<double>& g) const {
    const auto w = static_cast<std::size_t>(width_);
    const double lambda = q_.arrival, outbound = q_.outbound * static_cast<double>(y);
    const double shift = q_.inbound * static_cast<double>(y);  // death at y vs level 0
    const double restart = q_.inbound * static_cast<double>(base(y));  // e_0 ret^T weight
    const double* dfix = death_fixed.data();
    double* pp = p.data();
    double* qq = q.data();
    const double inv_lambda = 1.0 / lambda;
    double u1 = 1.0, u2 = 0.0, q1 = 0.0, d1 = 0.0;  // u_{j+1}, u_{j+2}, q_{j+1}, d_{j+1}
    for (std::size_t j = w; j-- > 1;) {
      const double dj = dfix[j] - shift;
      const double a = (j + 1 < w ? lambda : 0.0) + dj + outbound;
      double u0 = a * u1 - lambda * d1 * u2;
      const double pj = lambda * u1 / u0;
      pp[j] = pj;
      q1 = (d1 * q1 + restart * ret[j]) * (pj * inv_lambda);  // (q_next + extra) / den
      qq[j] = q1;
      if (!(u0 < 0x1p300 && u0 > 0x1p-300)) {  // rates per second: u may also shrink
        const double scale = 1.0 / u0;
        u0 = 1.0;
        u1 *= scale;
      }
      u2 = u1;
      u1 = u0;
      d1 = dj;
    }
    const double d0 = dfix[0] - shift;
    const double diag0 = (w > 1 ? lambda : 0.0) + d0;
    const double pivot =
        diag0 - restart * ret[0] - (w > 1 ? (dfix[1] - shift) * (pp[1] + qq[1]) : 0.0);
    double* gg = g.data();
    gg[0] = y == 0 ? 1.0 : 1.0 / pivot;
    const double g0 = gg[0];
    for (std::size_t j = 1; j < w; ++j) gg[j] = pp[j] * gg[j - 1] + qq[j] * g0;
  }

  /// Where a visit to levels >= y ends: (i, y) -> (i - 1, y - 1) at rate mu_out y, weighted by
  /// the expected time g_y in (i, y); normalised (the visit ends with probability 1).
  void returns(std::int64_t y, std::vector<double>& ret) const {
    double sum = 0.0;
    const double* row = h_.data() + y * width_;
    for (std::int64_t i = 1; i < width_; ++i)
      sum += (ret[static_cast<std::size_t>(i - 1)] = row[i]);
    ret[static_cast<std::size_t>(width_ - 1)] = 0.0;
    if (sum > 0.0) {
      const double inv = 1.0 / sum;
      for (double& v : ret) v *= inv;
    }
  }

  void store(std::int64_t y, const std::vector<double>& g) {
    const double top = *std::max_element(g.begin(), g.end());
    log_scale_[static_cast<std::size_t>(y)] = std::log(top);
    const double inv = 1.0 / top;
    for (std::int64_t i = 0; i < width_; ++i) ref(i, y) = g[static_cast<std::size_t>(i)] * inv;
  }

  detail::BlendingRates q_;
  std::int64_t levels_, width_;
  std::vector<double> h_;
  std::vector<double> log_scale_;
};

/// Poisson(mean) probabilities, from k = 0 until the right tail is below `tolerance`
/// (geometric bound p_k rho / (1 - rho), rho = mean / (k + 1) < 1); computed in logs, so a
/// mean of thousands does not underflow. Empty if more than max_terms would be needed.
std::vector<double> poisson_weights(double mean, double tolerance, std::int64_t max_terms) {
  std::vector<double> w;
  // the weights reach their tail only past the mean: give up at once (patience 1e-131 s took
  // 2.5 s per evaluation to reach max_terms)
  if (!(mean < static_cast<double>(max_terms))) return w;
  double log_p = -mean;
  const double log_mean = std::log(mean);
  for (std::int64_t k = 0; k < max_terms; ++k) {
    if (k > 0) log_p += log_mean - std::log(static_cast<double>(k));
    const double p = std::exp(log_p);
    w.push_back(p);
    const double rho = mean / static_cast<double>(k + 1);
    if (rho < 1.0 && p * rho / (1.0 - rho) <= tolerance) return w;
  }
  return {};
}

/// The tagged waiting call: j calls ahead, y outbound jobs in service. Each event moves j down
/// by one (a completion frees an agent for the head of the line, or one ahead abandons) or
/// ends the wait (answered at j = 0; own abandonment at rate `own`).
struct TaggedCall {
  const detail::BlendingRates& q;
  std::int64_t ahead, levels;
  double own;
  [[nodiscard]] double inbound(std::int64_t y) const noexcept {
    return q.inbound * static_cast<double>(q.agents - y);
  }
  [[nodiscard]] double outbound(std::int64_t y) const noexcept {
    return q.outbound * static_cast<double>(y);
  }
  [[nodiscard]] double total(std::int64_t j, std::int64_t y) const noexcept {
    return inbound(y) + outbound(y) + q.abandon * static_cast<double>(j) + own;
  }
};

/// The levels y of each row j (calls ahead) the tagged call's chain can visit: row j's own
/// levels with mass above `eps`, widened by what flows down from the rows above (an event takes
/// (j, y) to (j - 1, y) or (j - 1, y - 1): row j - 1 can hold [lo_j - 1, hi_j]). Entries
/// outside are set to 0 (each < eps). Rows with nothing: lo > hi.
struct RowBands {
  std::vector<std::int64_t> lo, hi;
};
RowBands row_bands(const TaggedCall& c, std::vector<double>& mass, double eps,
                   std::size_t stride = 0) {
  const auto row = stride == 0 ? c.levels : static_cast<std::int64_t>(stride);  // row length
  const auto rows = static_cast<std::size_t>(c.ahead);
  RowBands b{std::vector<std::int64_t>(rows, c.levels), std::vector<std::int64_t>(rows, -1)};
  for (std::int64_t j = c.ahead - 1; j >= 0; --j) {
    const auto u = static_cast<std::size_t>(j);
    for (std::int64_t y = 0; y < c.levels; ++y) {
      if (mass[static_cast<std::size_t>(j * row + y)] <= eps) continue;
      b.lo[u] = std::min(b.lo[u], y);
      b.hi[u] = std::max(b.hi[u], y);
    }
    if (j + 1 < c.ahead && b.lo[u + 1] <= b.hi[u + 1]) {  // what flows down from row j + 1
      b.lo[u] = std::min(b.lo[u], std::max<std::int64_t>(b.lo[u + 1] - 1, 0));
      b.hi[u] = std::max(b.hi[u], b.hi[u + 1]);
    }
    for (std::int64_t y = 0; y < c.levels; ++y)
      if (y < b.lo[u] || y > b.hi[u]) mass[static_cast<std::size_t>(j * row + y)] = 0.0;
  }
  return b;
}

/// The previous method, kept as the test reference (BlendingPolicy::full_uniformization):
/// sum over waiting arrivals of P(answered within t) (own abandonment at rate c.own), by
/// uniformization of the tagged call's chain (Tijms 2003, section 4.5). `start` holds
/// pi(r + j, y) at j * levels + y. Returns NaN if the step limit is hit. Each step visits only
/// the levels of each row that can hold mass (row_bands(): the starting entries below
/// eps = uniformization_tolerance x (total mass) / (number of entries) are dropped first, so
/// the result moves by at most uniformization_tolerance x P(wait), as each entry's
/// contribution is its mass times a probability).
double answered_by_reference(const TaggedCall& c, std::vector<double> mass, double t,
                             const BlendingPolicy& policy) {
  double top = 0.0;
  for (std::int64_t y = 0; y < c.levels; ++y) top = std::max(top, c.total(c.ahead - 1, y));
  double total = 0.0;
  for (double m : mass) total += m;
  const RowBands band = row_bands(
      c, mass, policy.uniformization_tolerance * total / static_cast<double>(mass.size() + 1));
  std::int64_t states = 0;
  for (std::size_t j = 0; j < band.lo.size(); ++j)
    states += std::max<std::int64_t>(0, band.hi[j] - band.lo[j] + 1);
  states = std::max<std::int64_t>(1, states);
  const std::vector<double> weights =
      poisson_weights(top * t, policy.uniformization_tolerance, policy.max_work / states);
  if (weights.empty()) return std::numeric_limits<double>::quiet_NaN();
  double served = 0.0, result = 0.0;
  std::vector<double> next(mass.size(), 0.0);
  // the step's rates / top per level (no division per state and step)
  const auto levels = static_cast<std::size_t>(c.levels);
  std::vector<double> in_y(levels), out_y(levels), leave_y(levels);
  for (std::size_t y = 0; y < levels; ++y) {
    const auto yy = static_cast<std::int64_t>(y);
    in_y[y] = c.inbound(yy) / top;
    out_y[y] = c.outbound(yy) / top;
    leave_y[y] = (c.inbound(yy) + c.outbound(yy) + c.own) / top;
  }
  for (std::size_t k = 0; k < weights.size(); ++k) {
    if (k > 0) {  // one uniformized step
      for (std::int64_t j = 0; j < c.ahead; ++j) {  // clear the bands (nothing lies outside)
        const auto u = static_cast<std::size_t>(j);
        for (std::int64_t y = band.lo[u]; y <= band.hi[u]; ++y)
          next[static_cast<std::size_t>(j * c.levels + y)] = 0.0;
      }
      for (std::int64_t j = 0; j < c.ahead; ++j) {
        const auto u = static_cast<std::size_t>(j);
        const double ab = c.q.abandon * static_cast<double>(j) / top;  // ahead abandoning
        for (std::int64_t y = band.lo[u]; y <= band.hi[u]; ++y) {
          const double m = mass[static_cast<std::size_t>(j * c.levels + y)];
          if (m == 0.0) continue;
          const auto v = static_cast<std::size_t>(y);
          const double a = in_y[v], b = out_y[v];
          next[static_cast<std::size_t>(j * c.levels + y)] += m * (1.0 - (leave_y[v] + ab));
          if (j == 0) {
            served += m * (a + b);
            continue;
          }
          next[static_cast<std::size_t>((j - 1) * c.levels + y)] += m * (a + ab);
          if (y > 0) next[static_cast<std::size_t>((j - 1) * c.levels + y - 1)] += m * b;
        }
      }
      mass.swap(next);
    }
    result += weights[k] * served;
  }
  return result;
}

/// P(X >= k) <= p_k (k + 1) / (k + 1 - m) for X ~ Poisson(m), k + 1 > m (the terms after p_k
/// fall at least geometrically, by m / (k + 1)); 1 otherwise.
double poisson_tail_bound(double m, std::int64_t k) {
  const double kk = static_cast<double>(k);
  if (!(kk + 1.0 > m)) return 1.0;
  if (m == 0.0) return k == 0 ? 1.0 : 0.0;
  const double log_p = -m + kk * std::log(m) - std::lgamma(kk + 1.0);
  return std::fmin(1.0, std::exp(log_p) * (kk + 1.0) / (kk + 1.0 - m));
}

/// The largest eps such that the entries <= eps of v[0 .. size) sum to at most `budget` in
/// absolute value, to a power of two: entries are summed per binary exponent (a histogram of 2,048 bins read from
/// the bits), and eps is just below the first power of two whose bins below exceed it.
double entry_threshold(const double* v, std::size_t size, double budget) {
  std::array<double, 2048> bins{};
  for (std::size_t k = 0; k < size; ++k) {
    const auto bits = std::bit_cast<std::uint64_t>(v[k]);
    bins[static_cast<std::size_t>((bits >> 52) & 0x7ff)] += std::fabs(v[k]);
  }
  double below = 0.0;
  std::size_t e = 0;  // entries with exponent field < e sum to `below` <= budget
  while (e < bins.size() && below + bins[e] <= budget) below += bins[e++];
  if (e == 0) return 0.0;
  // entries with exponent field < e are < 2^(e - 1023) (field 0: subnormals and zero)
  return std::nextafter(std::ldexp(1.0, static_cast<int>(e) - 1023), 0.0);
}

/// sum over waiting arrivals of P(answered within t) (own abandonment at rate c.own). The same
/// uniformization as answered_by_reference() (Tijms 2003, "A first course in stochastic
/// models", section 4.5: P(answered by t) = sum_k Poisson(Lambda t; k) P(answered within k
/// steps of the chain uniformized at rate Lambda)), organised around the one fact that every
/// event moves the tagged call one place up (j -> j - 1, with y kept or lowered by one: no
/// new outbound job starts while a call waits), so:
///   1. a call j places back needs j + 1 events, whose total rate never exceeds
///      R_j = max_y R(j, y) (the rate R(j, y) = mu_in (n - y) + mu_out y + theta j + own falls
///      with j and is linear in y), so it is answered within t with probability at most
///      P(Poisson(R_j t) >= j + 1) (the event count is dominated by a Poisson process of rate
///      R_j); rows whose bound is <= uniformization_tolerance are dropped (the SL moves by at
///      most that x P(wait)), and the chain is uniformized at the largest rate of the rows
///      kept (fewer steps than at the largest rate of every row);
///   2. after step m only rows j <= K - 2 - m can still be answered within the K steps the
///      Poisson weights keep; the rows above are not updated any more;
///   3. each step is written as a pull, row by row from the front, in place (row j's new mass
///      needs only row j's and row j + 1's old mass): no second array, and the inner loop
///      over y is branch-free (it vectorises).
///   4. starting mass is dropped where it is smallest, at most tol x P(wait) in all (it moves
///      the result by at most its own size): half on whole rows from the back (the rows beyond
///      ~j = 150 at the benchmark's 1,000 agents, P(wait) 0.33), half on the smallest entries
///      (entry_threshold(): a per-exponent histogram, no sort), not a fixed eps per entry.
/// Within a row only the levels that can hold mass are visited (row_bands(), as before).
/// The starting mass pi(r + j, y) is read from the level solution `pi` (row-major by level,
/// `width` states each; `total` = P(wait), their sum). Returns NaN if the step limit is hit.
WFM_BLENDING_CLONES double answered_by(const TaggedCall& c, const double* pi, std::int64_t width,
                                       double total, double t, const BlendingPolicy& policy) {
  const double tol = policy.uniformization_tolerance;
  const std::int64_t levels = c.levels;
  const double ymax = static_cast<double>(levels - 1);
  auto rate = [&](std::int64_t j, double y) {  // R(j, y)
    return c.q.inbound * (static_cast<double>(c.q.agents) - y) + c.q.outbound * y +
           c.q.abandon * static_cast<double>(j) + c.own;
  };
  auto row_rate = [&](std::int64_t j) { return std::fmax(rate(j, 0.0), rate(j, ymax)); };
  std::int64_t rows = 0;  // one past the last row kept
  for (std::int64_t j = 0; j < c.ahead; ++j)
    if (poisson_tail_bound(row_rate(j) * t, j + 1) > tol) rows = j + 1;
  if (rows == 0) return 0.0;
  // the starting mass of the rows kept (rows 0 .. rows - 1, then a zero row; each row
  // `levels` entries then a zero for the y + 1 reads)
  const auto stride = static_cast<std::size_t>(levels + 1);
  std::vector<double> buf = take_storage(2);
  buf.assign(static_cast<std::size_t>(rows + 1) * stride, 0.0);
  const std::int64_t r = c.q.reserve;
  for (std::int64_t y = 0; y < levels; ++y) {  // pi(r + j, y) -> row j, level y
    const double* level = pi + y * width + r;
    for (std::int64_t j = 0; j < rows; ++j)
      buf[static_cast<std::size_t>(j) * stride + static_cast<std::size_t>(y)] = level[j];
  }
  // Dropped starting mass moves the result by at most its own size (each entry contributes
  // its mass times a probability); half of tol x P(wait) goes to whole rows from the back,
  // half to the smallest entries (entry_threshold()), then each row's band.
  const double budget = 0.5 * tol * total;
  double dropped = 0.0;
  while (rows > 1) {
    double* row = buf.data() + static_cast<std::size_t>(rows - 1) * stride;
    const double m = detail::sum(row, static_cast<std::size_t>(levels));
    if (dropped + m > budget) break;
    dropped += m;
    std::fill(row, row + levels, 0.0);
    --rows;
  }
  const TaggedCall kept{c.q, rows, levels, c.own};
  const RowBands band = row_bands(
      kept, buf, entry_threshold(buf.data(), static_cast<std::size_t>(rows) * stride, budget),
      stride);
  // the uniformization rate: the largest total rate of a state that can hold mass (R is
  // linear in y, so a row's largest is at an end of its band)
  double top = 0.0;
  std::int64_t states = 0;
  for (std::size_t j = 0; j < band.lo.size(); ++j) {
    if (band.lo[j] > band.hi[j]) continue;
    states += band.hi[j] - band.lo[j] + 1;
    const auto jj = static_cast<std::int64_t>(j);
    top = std::fmax(top, std::fmax(rate(jj, static_cast<double>(band.lo[j])),
                                   rate(jj, static_cast<double>(band.hi[j]))));
  }
  if (states == 0) {
    give_back(2, std::move(buf));
    return 0.0;
  }
  const std::vector<double> weights = poisson_weights(top * t, tol, policy.max_work / states);
  if (weights.empty()) {
    give_back(2, std::move(buf));
    return std::numeric_limits<double>::quiet_NaN();
  }
  // per level, divided by the uniformization rate: stay (without theta j), inbound, outbound
  // from the level above, answered from row 0
  const auto l = static_cast<std::size_t>(levels);
  std::vector<double> stay(l), inb(l), out_next(l), answer(l);
  for (std::size_t y = 0; y < l; ++y) {
    const double yy = static_cast<double>(y);
    inb[y] = c.q.inbound * (static_cast<double>(c.q.agents) - yy) / top;
    out_next[y] = c.q.outbound * (yy + 1.0) / top;
    answer[y] = inb[y] + c.q.outbound * yy / top;
    stay[y] = 1.0 - (answer[y] + c.own / top);
  }
  const double theta = c.q.abandon / top;
  const auto last = static_cast<std::int64_t>(weights.size()) - 1;
  double served = 0.0, result = 0.0;  // nothing is answered in 0 steps
  for (std::int64_t k = 1; k <= last; ++k) {
    {  // answered out of row 0 (its old mass)
      const double* row0 = buf.data();
      double s = 0.0;
      for (std::int64_t y = band.lo[0]; y <= band.hi[0]; ++y)
        s += row0[y] * answer[static_cast<std::size_t>(y)];
      served += s;
    }
    // rows that can still be answered within the steps left (k .. last: last - k more)
    const std::int64_t live = std::min(rows - 1, last - k);
    for (std::int64_t j = 0; j <= live; ++j) {
      const auto u = static_cast<std::size_t>(j);
      if (band.lo[u] > band.hi[u]) continue;
      double* __restrict cur = buf.data() + u * stride;
      const double* __restrict up = cur + stride;
      const double leave = theta * static_cast<double>(j), arrive = leave + theta;
      const double* __restrict st = stay.data();
      const double* __restrict in = inb.data();
      const double* __restrict on = out_next.data();
      for (std::int64_t y = band.lo[u]; y <= band.hi[u]; ++y)
        cur[y] = (st[y] - leave) * cur[y] + (in[y] + arrive) * up[y] + on[y] * up[y + 1];
    }
    result += weights[static_cast<std::size_t>(k)] * served;
  }
  give_back(2, std::move(buf));
  return result;
}

/// sum over waiting arrivals of E[V; answered] [s]: E[V 1_s](j, y) = P_s(j, y) / R +
/// sum_next rate / R E[V 1_s](next), j falling by one per event (first-step analysis).
double answered_wait(const TaggedCall& c, const std::vector<double>& mass) {
  const auto levels = static_cast<std::size_t>(c.levels);
  std::vector<double> ps(levels), ev(levels), ps_prev(levels), ev_prev(levels);
  double sum = 0.0;
  for (std::int64_t j = 0; j < c.ahead; ++j) {
    for (std::int64_t y = 0; y < c.levels; ++y) {
      const auto u = static_cast<std::size_t>(y);
      const double rate = c.total(j, y), a = c.inbound(y), b = c.outbound(y),
                   ab = c.q.abandon * static_cast<double>(j);
      if (j == 0) {
        ps[u] = (a + b) / rate;
        ev[u] = ps[u] / rate;
      } else {
        const double down_ps = y > 0 ? ps_prev[u - 1] : 0.0, down_ev = y > 0 ? ev_prev[u - 1] : 0.0;
        ps[u] = ((a + ab) * ps_prev[u] + b * down_ps) / rate;
        ev[u] = ps[u] / rate + ((a + ab) * ev_prev[u] + b * down_ev) / rate;
      }
      sum += mass[static_cast<std::size_t>(j) * levels + u] * ev[u];
    }
    ps_prev.swap(ps);
    ev_prev.swap(ev);
  }
  return sum;
}

/// Queue cut for the levels 0 .. top: the birth-death chain with birth lambda and death
/// c + theta q, c = min over those levels of the total completion rate mu_in (n - y) + mu_out y
/// (every agent busy once a call waits), dominates the queue of every level (blending.hpp);
/// cut where its tail is negligible. The reference (`full_chain`) keeps the older, smaller c =
/// n min(mu_in, mu_out). Without patience and lambda >= c that chain does not exist: then the
/// queue of level y decays geometrically at the smaller root eta_y of
/// mu_in (n - y) eta^2 - (lambda + mu_in (n - y) + mu_out y) eta + lambda = 0 (a birth-death
/// chain killed at rate mu_out y), and the cut is where eta_max^Q < tail_tolerance; the caller
/// checks the mass left at the cut a posteriori (`tail` = -1 asks for it).
std::int64_t queue_cut(const detail::BlendingRates& q, const BlendingPolicy& policy,
                       std::int64_t top, double& tail) {
  const double n = static_cast<double>(q.agents);
  const double slowest =
      policy.full_chain ? n * std::min(q.inbound, q.outbound)
                        : std::min(n * q.inbound, q.inbound * (n - static_cast<double>(top)) +
                                                      q.outbound * static_cast<double>(top));
  if (q.abandon == 0.0 && !(q.arrival < slowest)) {
    double eta = 0.0;
    for (std::int64_t y = 0; y <= top; ++y) {
      const double a = q.inbound * static_cast<double>(q.agents - y);
      const double b = q.arrival + a + q.outbound * static_cast<double>(y);
      eta = std::max(eta, 2.0 * q.arrival / (b + std::sqrt(std::fmax(0.0, b * b - 4.0 * a * q.arrival))));
    }
    if (!(eta < 1.0)) return -1;
    tail = -1.0;
    return static_cast<std::int64_t>(std::ceil(std::log(policy.tail_tolerance) / std::log(eta))) + 1;
  }
  BirthDeathPolicy bd;
  bd.tail_tolerance = policy.tail_tolerance;
  const BirthDeathDistribution d = stationary_distribution(
      [&](std::int64_t k) { return q.arrival / (slowest + q.abandon * static_cast<double>(k + 1)); },
      {.monotone_from = 0, .reference_state = 0}, bd);
  if (d.status != wfm::Status::ok) return -1;
  tail = d.tail_bound;
  return static_cast<std::int64_t>(d.size());
}

/// The level window's first top level: y = n - r - (inbound agents busy, idle ones aside), and
/// the inbound agents busy are about Poisson(lambda / mu_in) (the M/M/inf count), so the first
/// top is window_sigmas standard deviations above n - r - lambda / mu_in, plus 16 levels; at
/// least 32 levels (or all).
std::int64_t first_top(const detail::BlendingRates& q, const BlendingPolicy& policy) {
  const std::int64_t all = q.agents - q.reserve;
  if (policy.full_chain) return all;
  const double a = q.arrival / q.inbound;
  const double guess = static_cast<double>(all) - a + policy.window_sigmas * std::sqrt(a) + 16.0;
  if (!(guess < static_cast<double>(all))) return all;
  return std::min(all, std::max<std::int64_t>(32, static_cast<std::int64_t>(std::ceil(guess))));
}

/// The mass beyond the window's top level, estimated from the last two level sums m_top and
/// m_{top-1} as a geometric tail: m_top max(1, rho / (1 - rho)), rho = m_top / m_{top-1}
/// (+inf if the level sums do not fall). 0 when the window is the whole chain.
double window_tail(const std::vector<double>& pi, std::int64_t levels, std::int64_t width,
                   std::int64_t all_levels) {
  if (levels == all_levels) return 0.0;
  auto level_sum = [&](std::int64_t y) {
    return detail::sum(pi.data() + y * width, static_cast<std::size_t>(width));
  };
  const double top = level_sum(levels - 1), below = levels > 1 ? level_sum(levels - 2) : 0.0;
  if (!(top < below)) return std::numeric_limits<double>::infinity();
  const double rho = top / below;
  return top * std::fmax(1.0, rho / (1.0 - rho));
}

BlendingMetrics too_large(BlendingMetrics out, bool no_bound) {
  out.status = wfm::Status::not_converged;
  out.message = no_bound ? "blending: no patience and arrival_rate >= the slowest total "
                           "completion rate of the levels kept: the queue bound used to cut "
                           "the chain does not exist"
                         : "blending: the chain needs more than max_states states";
  out.wait_probability = out.occupancy = 1.0;
  out.service_level = 0.0;
  out.asa_s = out.queue_length = std::numeric_limits<double>::infinity();
  return out;
}

BlendingMetrics unequal_rates(const detail::BlendingRates& q, double t, ServiceLevelDefinition d,
                              AsaOver over, const BlendingPolicy& policy) {
  BlendingMetrics out;
  const std::int64_t all_levels = q.agents - q.reserve + 1;
  std::int64_t top = first_top(q, policy), cut = 0, cut_scale = 1;
  std::vector<double> pi;
  std::int64_t width = 0;
  double queue_tail = 0.0, beyond = 0.0;
  // solve on the window; widen it while the mass beyond its top is not negligible, and (no
  // patience, where the queue cut is only an estimate) lengthen the queue while the mass at
  // its cut is not
  for (;;) {
    cut = queue_cut(q, policy, top, queue_tail);
    const bool estimated = queue_tail < 0.0;
    if (estimated && cut > 0) cut *= cut_scale;
    if (cut < 0 || (top + 1) * (q.reserve + cut + 1) > policy.max_states)
      return too_large(std::move(out), cut < 0);
    LevelChain chain(q, cut, top);
    pi = chain.solve();
    width = chain.width();
    beyond = window_tail(pi, top + 1, width, all_levels);
    if (!(beyond <= policy.window_tolerance)) {
      give_back(0, std::move(pi));
      top = std::min(all_levels - 1, 2 * top + 16);
      continue;
    }
    if (!estimated) break;
    queue_tail = 0.0;  // a posteriori: the mass in the last queue state of every level
    for (std::int64_t y = 0; y <= top; ++y)
      queue_tail += pi[static_cast<std::size_t>(y * width + width - 1)];
    if (!(queue_tail > 1e3 * policy.tail_tolerance)) break;
    if ((top + 1) * (q.reserve + 2 * cut + 1) > policy.max_states) {
      out.status = wfm::Status::not_converged;
      out.message = "blending: the inbound queue is not negligible at the cut";
      break;
    }
    give_back(0, std::move(pi));
    cut_scale *= 2;
  }
  const std::int64_t levels = top + 1;
  out.tail_bound = queue_tail + beyond;
  const std::int64_t r = q.reserve;
  QueueLaw law;
  // sums in locals (a field of `out` updated per state goes through memory)
  double idle = 0.0, outbound = 0.0, no_wait = 0.0, queue = 0.0, wait = 0.0;
  for (std::int64_t y = 0; y < levels; ++y) {
    const double* row = pi.data() + y * width;
    double level_free = 0.0, level_wait = 0.0;
    for (std::int64_t i = 0; i < r; ++i) {
      idle += static_cast<double>(r - i) * row[i];
      level_free += row[i];
    }
    for (std::int64_t i = r; i + 1 < width; ++i) {  // arrivals at the cut are not admitted
      const double p = row[i];                        // (its mass is below 1e-17)
      queue += static_cast<double>(i - r) * p;
      level_wait += p;
    }
    if (width - 1 >= r) queue += static_cast<double>(width - 1 - r) * row[width - 1];
    no_wait += level_free;
    wait += level_wait;
    outbound += static_cast<double>(y) *
                (level_free + level_wait + (width - 1 >= r ? row[width - 1] : 0.0));
  }
  law.no_wait = no_wait;
  out.queue_length = queue;
  out.wait_probability = std::fmin(1.0, wait);  // rounding (AHT 1e50 s)
  if (std::isnan(out.queue_length) || std::isnan(out.wait_probability)) {
    // the level solve broke down (e.g. outbound handle time 1e16 s at 1,000 agents): a status
    // and the worst case, as above, never a NaN ASA that required_agents would pass on
    out.status = wfm::Status::not_converged;
    out.message = "blending: the level solve broke down at these rates";
    out.wait_probability = out.occupancy = 1.0;
    out.service_level = out.inbound_occupancy = out.outbound_throughput = 0.0;
    out.abandon_rate = q.abandon > 0.0 ? 1.0 : 0.0;
    out.asa_s = out.queue_length = std::numeric_limits<double>::infinity();
    return out;
  }
  const TaggedCall virtual_call{q, cut, levels, 0.0}, patient_call{q, cut, levels, q.abandon};
  const bool answered_asa = q.abandon > 0.0 && over == AsaOver::answered;
  // pi(r + j, y) at j * levels + y (j < cut: arrivals at the cut are not admitted), formed
  // only for the reference uniformization and the ASA over answered calls
  std::vector<double> waiting = take_storage(1);
  if ((t > 0.0 && policy.full_uniformization) || answered_asa) {
    waiting.resize(static_cast<std::size_t>(cut * levels));
    for (std::int64_t y = 0; y < levels; ++y)
      for (std::int64_t j = 0; j < cut; ++j)
        waiting[static_cast<std::size_t>(j * levels + y)] =
            pi[static_cast<std::size_t>(y * width + r + j)];
  }
  if (t > 0.0) {
    const bool killed = q.abandon > 0.0 && (d == ServiceLevelDefinition::answered_within ||
                                            d == ServiceLevelDefinition::answered_given_answered);
    const TaggedCall& call = killed ? patient_call : virtual_call;
    const double v = policy.full_uniformization
                         ? answered_by_reference(call, waiting, t, policy)
                         : answered_by(call, pi.data(), width, wait, t, policy);
    if (std::isnan(v)) {
      out.status = wfm::Status::not_converged;
      out.message = "blending: the service level needs more than max_work state updates";
    }
    (killed ? law.answered_within : law.virtual_within) = std::isnan(v) ? 0.0 : v;
  }
  if (answered_asa) law.answered_wait = answered_wait(patient_call, waiting);
  fill_waiting_metrics(q, law, t, d, over, out);
  const double n = static_cast<double>(q.agents);
  out.occupancy = std::fmin(1.0, 1.0 - idle / n);
  out.inbound_occupancy = std::fmax(0.0, 1.0 - (idle + outbound) / n);
  out.outbound_throughput = q.outbound * outbound;
  give_back(0, std::move(pi));
  give_back(1, std::move(waiting));
  return out;
}

}  // namespace

namespace detail {
BlendingMetrics blending_metrics(const BlendingRates& rates, double target_time,
                                 ServiceLevelDefinition d, AsaOver over,
                                 const BlendingPolicy& policy) {
  // Equal handle times (or no outbound at all, r = n): the exact 1-D chain.
  if (rates.inbound == rates.outbound || rates.reserve == rates.agents)
    return equal_rates(rates, target_time, d, over, policy);
  return unequal_rates(rates, target_time, d, over, policy);
}
}  // namespace detail

ThresholdChoice best_threshold(const Blending& model, std::int64_t agents,
                               const StaffingGoal& goal) {
  constexpr std::string_view where = "wfm::queueing::best_threshold";
  if (agents < 0) wfm::detail::throw_invalid(where, "agents must be >= 0", static_cast<double>(agents));
  StaffingGoal inbound = goal;
  inbound.max_occupancy.reset();  // outbound work fills the pool on purpose
  if (!inbound.service_level && !inbound.max_asa && !inbound.max_abandon)
    wfm::detail::throw_invalid(where, "the goal sets no inbound criterion (service_level, "
                                      "max_asa or max_abandon)");
  inbound.validate(where);
  ThresholdChoice out;
  auto meets = [&](std::int64_t s, BlendingMetrics& m) {
    ++out.evaluations;
    const Blending b = model.with_reserve(s);
    const auto n = static_cast<double>(agents);
    m = b.metrics(n, inbound.target_time, inbound.definition, inbound.asa_over);
    if (m.status != wfm::Status::ok) return false;
    if (inbound.service_level && !(m.service_level >= *inbound.service_level)) return false;
    if (inbound.max_asa && !(m.asa_s <= *inbound.max_asa)) return false;
    if (inbound.max_abandon && !(m.abandon_rate <= *inbound.max_abandon)) return false;
    return true;
  };
  BlendingMetrics best;
  if (!meets(agents, best)) {
    out.reserve = agents;
    out.metrics = best;
    out.status = wfm::Status::infeasible;
    out.message = "the inbound goal is missed even with no outbound work (reserve = agents)";
    return out;
  }
  std::int64_t lo = -1, hi = agents;  // meets(hi); lo fails or is below 0
  while (hi - lo > 1) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    BlendingMetrics m;
    if (meets(mid, m)) {
      hi = mid;
      best = std::move(m);
    } else {
      lo = mid;
    }
  }
  out.reserve = hi;
  out.metrics = std::move(best);
  return out;
}

}  // namespace wfm::queueing
