#pragma once
// Independent reference values for the simulation tests: exact stationary M/M/n (Erlang C) and
// M/M/n+M (Erlang A) measures, computed here from first principles so that the simulator is
// checked against formulas it does not share code with.
#include <cmath>
#include <functional>
#include <vector>

#include <Eigen/Dense>
#include <Eigen/SparseCore>
#include <Eigen/SparseLU>

#include "support/catch.hpp"

namespace wfm::simulation::test {

/// Erlang B by the recursion B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1))
/// (the standard recursion; e.g. Cooper (1981), Introduction to Queueing Theory, 2nd ed., ch. 3).
inline double erlang_b(int n, double a) {
  double b = 1.0;
  for (int k = 1; k <= n; ++k) b = a * b / (k + a * b);
  return b;
}

/// Erlang C, M/M/n: P(wait > 0) = n B / (n - a (1 - B)) (Cooper 1981, ch. 3).
struct ErlangCRef {
  double lambda, mean_handle;
  int n;
  [[nodiscard]] double load() const { return lambda * mean_handle; }
  [[nodiscard]] double wait_probability() const {
    const double a = load(), b = erlang_b(n, a);
    return n * b / (n - a * (1.0 - b));
  }
  /// P(W <= t) = 1 - C exp(-(n mu - lambda) t) (Cooper 1981, ch. 3).
  [[nodiscard]] double service_level(double t) const {
    return 1.0 - wait_probability() * std::exp(-(n / mean_handle - lambda) * t);
  }
  /// E[W] = C / (n mu - lambda).
  [[nodiscard]] double asa() const { return wait_probability() / (n / mean_handle - lambda); }
  [[nodiscard]] double occupancy() const { return load() / n; }
};

/// P(reached by an agent within t | i callers ahead) for i = 0 .. ahead_max - 1 in an M/M/n+M
/// queue with FCFS: the queue head advances at rate n mu + i theta, and the caller's own
/// patience kills at rate `kill` (theta: P(answered within t); 0: P(V <= t)). The
/// uniformization of ErlangARef::reach_agent_within (below), for chains whose state is not
/// only the number in system.
inline std::vector<double> reached_within_given_ahead(double t, int n, double mu, double theta,
                                                      std::size_t ahead_max, double kill) {
  std::vector<double> v(ahead_max, 0.0), next(ahead_max), u(ahead_max, 0.0);
  if (ahead_max == 0) return u;
  const double big = n * mu + static_cast<double>(ahead_max) * theta + kill;  // uniformization
  const double lt = big * t;
  // v[i] = P(absorbed in "reached an agent" after m uniformized steps | i ahead).
  const auto terms = static_cast<int>(lt + 12.0 * std::sqrt(lt) + 30.0);
  for (int m = 0; m <= terms; ++m) {
    const double w = std::exp(-lt + m * std::log(std::max(lt, 1e-300)) - std::lgamma(m + 1.0));
    for (std::size_t i = 0; i < ahead_max; ++i) u[i] += w * v[i];
    for (std::size_t i = 0; i < ahead_max; ++i) {
      const double r = n * mu + static_cast<double>(i) * theta;
      const double down = i == 0 ? 1.0 : v[i - 1];
      next[i] = (1.0 - (r + kill) / big) * v[i] + r / big * down;
    }
    v.swap(next);
  }
  return u;
}

/// P(answered within t | i callers ahead), i = 0 .. ahead_max - 1: the caller's own patience
/// (rate theta) kills.
inline std::vector<double> answered_within_given_ahead(double t, int n, double mu, double theta,
                                                       std::size_t ahead_max) {
  return reached_within_given_ahead(t, n, mu, theta, ahead_max, theta);
}

/// Erlang A, M/M/n+M, as the birth-death chain of the number in system: births lambda, deaths
/// min(k, n) mu + (k - n)^+ theta (Palm (1943); Garnett, Mandelbaum & Reiman (2002),
/// "Designing a call center with impatient customers", MSOM 4(3), section 3). The stationary
/// distribution is computed in log space and truncated where it is below e^-50 times its mode.
struct ErlangARef {
  double lambda, mean_handle, mean_patience;
  int n;
  std::vector<double> pi;
  ErlangARef(double lam, double h, double p, int agents)
      : lambda(lam), mean_handle(h), mean_patience(p), n(agents) {
    std::vector<double> logp{0.0};
    double lp = 0.0, mx = 0.0;
    for (int k = 1; k < 1000000; ++k) {
      const double death = std::min(k, n) / h + std::max(k - n, 0) / p;
      lp += std::log(lambda / death);
      logp.push_back(lp);
      mx = std::max(mx, lp);
      if (k > n && lp < mx - 50.0) break;  // the tail beyond is < e^-50 of the mode
    }
    double z = 0.0;
    for (double v : logp) z += std::exp(v - mx);
    for (double v : logp) pi.push_back(std::exp(v - mx) / z);
  }
  /// P(an arrival waits) = P(N >= n) (PASTA).
  [[nodiscard]] double wait_probability() const {
    double s = 0.0;
    for (std::size_t k = static_cast<std::size_t>(n); k < pi.size(); ++k) s += pi[k];
    return s;
  }
  [[nodiscard]] double mean_queue() const {
    double s = 0.0;
    for (std::size_t k = static_cast<std::size_t>(n); k < pi.size(); ++k)
      s += (static_cast<double>(k) - n) * pi[k];
    return s;
  }
  /// P(abandon) = theta E[Q] / lambda (rate balance of abandonments).
  [[nodiscard]] double abandon_probability() const {
    return mean_queue() / mean_patience / lambda;
  }
  /// ASA over all arrivals, E[min(V, P)] = E[Q] / lambda (Little's law).
  [[nodiscard]] double asa_all() const { return mean_queue() / lambda; }
  /// P(a caller reaches an agent within t), with or without the caller's own exponential
  /// patience acting meanwhile (`own_patience`). A caller who finds k >= n in the system has
  /// j = k - n callers ahead; the head of the queue advances at rate n mu + i theta while i are
  /// ahead, so the virtual wait V is a sum of exponential stages (Garnett, Mandelbaum & Reiman
  /// 2002, section 3; Mandelbaum & Zeltyn (2005), "The M/M/n+G queue: summary of performance
  /// measures"). P(V <= t | j) is the absorption probability of this pure-death chain by time
  /// t, computed by uniformization (Grassmann (1977), "Transient solutions in Markovian
  /// queueing systems", Comput. Oper. Res. 4); own_patience adds killing at rate theta, which
  /// gives P(V <= t, V < P) = P(answered within t).
  [[nodiscard]] double reach_agent_within(double t, bool own_patience) const {
    const double mu = 1.0 / mean_handle, theta = 1.0 / mean_patience;
    const std::size_t jmax = pi.size() > static_cast<std::size_t>(n)
                                 ? pi.size() - static_cast<std::size_t>(n) : 0;
    double p = 0.0;
    for (std::size_t k = 0; k < std::min(pi.size(), static_cast<std::size_t>(n)); ++k) p += pi[k];
    const std::vector<double> u =
        reached_within_given_ahead(t, n, mu, theta, jmax, own_patience ? theta : 0.0);
    for (std::size_t j = 0; j < jmax; ++j) p += pi[static_cast<std::size_t>(n) + j] * u[j];
    return p;
  }
  /// Occupancy = carried load / n = lambda (1 - P(abandon)) E[S] / n.
  [[nodiscard]] double occupancy() const {
    return lambda * (1.0 - abandon_probability()) * mean_handle / n;
  }
};

/// The stationary distribution of a finite CTMC: pi Q = 0, sum pi = 1, by LU of Q^T with its
/// last equation replaced by the normalisation (the textbook method, e.g. Stewart (1994),
/// "Introduction to the Numerical Solution of Markov Chains", section 2.3), as a sparse LU with
/// partial pivoting (Eigen's SparseLU, SuperLU's supernodal algorithm: Demmel et al. (1999),
/// SIAM J. Matrix Anal. Appl. 20(3)), so that chains of thousands of states stay quick in the
/// unoptimised sanitizer build. `rates(i, add)` calls add(j, rate) for each transition i -> j.
inline std::vector<double> ctmc_stationary(
    int states, const std::function<void(int, const std::function<void(int, double)>&)>& rates) {
  std::vector<Eigen::Triplet<double>> t;  // a = Q^T, its last row replaced by ones
  for (int i = 0; i < states; ++i) {
    double out = 0.0;
    rates(i, [&](int j, double r) {
      if (j == i || r == 0.0) return;
      if (j != states - 1) t.emplace_back(j, i, r);
      out += r;
    });
    if (i != states - 1) t.emplace_back(i, i, -out);
    t.emplace_back(states - 1, i, 1.0);
  }
  Eigen::SparseMatrix<double> a(states, states);
  a.setFromTriplets(t.begin(), t.end());  // duplicates (two transitions i -> j) are summed
  Eigen::SparseLU<Eigen::SparseMatrix<double>, Eigen::COLAMDOrdering<int>> lu;
  lu.compute(a);
  Eigen::VectorXd b = Eigen::VectorXd::Zero(states);
  b(states - 1) = 1.0;
  const Eigen::VectorXd x = lu.solve(b);
  return {x.data(), x.data() + states};
}

/// The exact retrial chain of Erlang X with redials after an exponential delay: state (k, j),
/// k = 0 .. N calls holding a line, j = 0 .. J customers waiting to redial (the orbit).
/// Fresh attempts arrive at rate lambda, the orbit redials at rate j / D; an attempt at k = N is
/// blocked; service min(k, n) mu, abandonment (k - n)^+ theta; a blocked or abandoned attempt
/// joins the orbit with probability r and is lost otherwise. This is the multiserver retrial
/// queue with impatience and persistence of Falin & Templeton (1997), "Retrial Queues"
/// (Chapman & Hall), ch. 2 (the orbit as a second dimension), with the orbit truncated at J
/// (the test checks that the mass at J is negligible). Rates per attempt by PASTA.
struct RetrialChainRef {
  double lambda, mean_handle, mean_patience;
  int n, lines;
  double r, mean_delay;
  int orbit_max;
  std::vector<double> pi;  // index k + (N + 1) j

  RetrialChainRef(double lam, double h, double p, int agents, int N, double redial, double delay,
                  int J)
      : lambda(lam), mean_handle(h), mean_patience(p), n(agents), lines(N), r(redial),
        mean_delay(delay), orbit_max(J) {
    const int K = N + 1;
    pi = ctmc_stationary(K * (J + 1), [&](int i, const std::function<void(int, double)>& add) {
      const int k = i % K, j = i / K;
      const double retry = j / delay;
      if (k < N) {
        add(i + 1, lam);
        if (j > 0) add(i + 1 - K, retry);
      } else {
        if (j < J) add(i + K, lam * r);  // blocked fresh attempt joins the orbit
        if (j > 0) add(i - K, retry * (1.0 - r));  // blocked redial gives up
      }
      if (k > 0) add(i - 1, std::min(k, n) / h);
      if (k > n) {
        const double ab = (k - n) / p;
        if (j < J) add(i - 1 + K, ab * r);
        add(i - 1, ab * (1.0 - r));
      }
    });
  }
  [[nodiscard]] double at(int k, int j) const {
    return pi[static_cast<std::size_t>(k + (lines + 1) * j)];
  }
  [[nodiscard]] double attempt_rate_at(int j) const { return lambda + j / mean_delay; }
  /// Attempts per second, redials included.
  [[nodiscard]] double attempt_rate() const {
    double s = 0.0;
    for (int j = 0; j <= orbit_max; ++j)
      for (int k = 0; k <= lines; ++k) s += at(k, j) * attempt_rate_at(j);
    return s;
  }
  [[nodiscard]] double orbit_tail() const {  // P(j = J): must be negligible
    double s = 0.0;
    for (int k = 0; k <= lines; ++k) s += at(k, orbit_max);
    return s;
  }
  [[nodiscard]] double blocked_rate() const {
    double s = 0.0;
    for (int j = 0; j <= orbit_max; ++j) s += at(lines, j) * attempt_rate_at(j);
    return s;
  }
  [[nodiscard]] double abandon_rate() const {
    double s = 0.0;
    for (int j = 0; j <= orbit_max; ++j)
      for (int k = n + 1; k <= lines; ++k) s += at(k, j) * (k - n) / mean_patience;
    return s;
  }
  [[nodiscard]] double blocking_per_attempt() const { return blocked_rate() / attempt_rate(); }
  [[nodiscard]] double abandon_per_attempt() const { return abandon_rate() / attempt_rate(); }
  /// A fresh customer is lost when a blocked or abandoned attempt is not redialled.
  [[nodiscard]] double lost_per_customer() const {
    return (1.0 - r) * (blocked_rate() + abandon_rate()) / lambda;
  }
  /// P(an attempt is answered within t): admitted at k < N, then the M/M/n+M wait with
  /// k - n callers ahead (later arrivals and the orbit never overtake it).
  [[nodiscard]] double service_level_per_attempt(double t) const {
    const auto ahead = static_cast<std::size_t>(std::max(0, lines - n));
    const std::vector<double> u =
        answered_within_given_ahead(t, n, 1.0 / mean_handle, 1.0 / mean_patience, ahead);
    double s = 0.0;
    for (int j = 0; j <= orbit_max; ++j)
      for (int k = 0; k < lines; ++k) {
        const double w = at(k, j) * attempt_rate_at(j);
        s += k < n ? w : w * u[static_cast<std::size_t>(k - n)];
      }
    return s / attempt_rate();
  }
  /// P(a fresh customer's first attempt is answered within t): as above, weighted by the
  /// fresh arrival rate lambda alone (PASTA for the Poisson fresh stream).
  [[nodiscard]] double service_level_first_attempt(double t) const {
    const auto ahead = static_cast<std::size_t>(std::max(0, lines - n));
    const std::vector<double> u =
        answered_within_given_ahead(t, n, 1.0 / mean_handle, 1.0 / mean_patience, ahead);
    double s = 0.0;
    for (int j = 0; j <= orbit_max; ++j)
      for (int k = 0; k < lines; ++k)
        s += k < n ? at(k, j) : at(k, j) * u[static_cast<std::size_t>(k - n)];
    return s;
  }
};

/// Call blending (Bhulai & Koole (2003), "A queueing model for call blending in call centers",
/// IEEE Trans. Automatic Control 48(8)) with reserve s, as the 2-D chain (x, y): x inbound
/// calls in the system, y outbound jobs in service, the policy of the simulator and of
/// Scenario::outbound_handle_time (a free agent takes a waiting call; else starts an outbound
/// job if at least s others stay idle). The queue is truncated at `queue_max` waiting calls
/// (abandonment makes the tail geometric; the test checks the mass there).
struct BlendingChainRef {
  double lambda, mean_handle, mean_outbound, mean_patience;
  int n, s, queue_max;
  std::vector<double> pi;
  int xs = 0;  // x = 0 .. xs - 1

  BlendingChainRef(double lam, double h, double ho, double p, int agents, int reserve, int qmax)
      : lambda(lam), mean_handle(h), mean_outbound(ho), mean_patience(p), n(agents), s(reserve),
        queue_max(qmax) {
    xs = n + qmax + 1;
    const int ys = n - s + 1;
    pi = ctmc_stationary(xs * ys, [&](int i, const std::function<void(int, double)>& add) {
      const int x = i % xs, y = i / xs;
      const int in_service = std::min(x, n - y);
      const int queue = std::max(0, x - (n - y));
      if (x + 1 < xs) add(i + 1, lam);
      if (in_service > 0) {  // the freed agent: queue, or outbound if x + y = n - s, or idle
        const double rate = in_service / h;
        if (queue == 0 && x + y == n - s && y + 1 < ys) add(i - 1 + xs, rate);
        else add(i - 1, rate);
      }
      if (y > 0) {
        const double rate = y / ho;
        if (queue > 0) add(i - xs, rate);            // takes the head of the queue
        else if (x + y != n - s) add(i - xs, rate);  // stays idle (transient states only)
      }
      if (queue > 0) add(i - 1, queue / p);
    });
  }
  [[nodiscard]] double at(int x, int y) const {
    return pi[static_cast<std::size_t>(x + xs * y)];
  }
  [[nodiscard]] double tail() const {
    double t = 0.0;
    for (int y = 0; y <= n - s; ++y) t += at(xs - 1, y);
    return t;
  }
  /// P(an inbound arrival finds no idle agent) (PASTA).
  [[nodiscard]] double wait_probability() const {
    double w = 0.0;
    for (int y = 0; y <= n - s; ++y)
      for (int x = std::max(0, n - y); x < xs; ++x) w += at(x, y);
    return w;
  }
  [[nodiscard]] double mean_queue() const {
    double q = 0.0;
    for (int y = 0; y <= n - s; ++y)
      for (int x = n - y + 1; x < xs; ++x) q += (x - (n - y)) * at(x, y);
    return q;
  }
  [[nodiscard]] double abandon_probability() const { return mean_queue() / mean_patience / lambda; }
  [[nodiscard]] double outbound_throughput() const {
    double e = 0.0;
    for (int y = 0; y <= n - s; ++y)
      for (int x = 0; x < xs; ++x) e += y * at(x, y);
    return e / mean_outbound;
  }
  /// P(answered at once) = 1 - P(wait). Only t = 0: while calls wait, the head of the queue
  /// advances at (n - y) mu_in + y mu_out + i theta, and y changes meanwhile, so the wait is
  /// not the M/M/n+M one (SL for t > 0 comes from wfm::queueing's blending model).
  [[nodiscard]] double answered_at_once() const { return 1.0 - wait_probability(); }
};

}  // namespace wfm::simulation::test

/// CHECKs that a simulated estimate (value +- half_width) agrees with a reference value: within
/// two half-widths, with a half-width of at most max_hw (so that the check has power).
#define CHECK_AGREES(est, exact, max_hw)                                      \
  do {                                                                        \
    INFO(#est << " = " << (est).value << " +- " << (est).half_width           \
              << ", reference " << (exact));                                  \
    CHECK(std::abs((est).value - (exact)) <= 2.0 * (est).half_width);         \
    CHECK((est).half_width <= (max_hw));                                      \
  } while (false)
