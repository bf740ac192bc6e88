#pragma once
// Independent reference values for the simulation tests: exact stationary M/M/n (Erlang C) and
// M/M/n+M (Erlang A) measures, computed here from first principles so that the simulator is
// checked against formulas it does not share code with.
#include <cmath>
#include <vector>

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
    if (jmax == 0) return p;
    const double kill = own_patience ? theta : 0.0;
    const double big = n * mu + static_cast<double>(jmax) * theta + kill;  // uniformization rate
    const double lt = big * t;
    // v[i] = P(absorbed in "reached an agent" after m uniformized steps | i ahead); index i.
    std::vector<double> v(jmax, 0.0), next(jmax), u(jmax, 0.0);
    const auto terms = static_cast<int>(lt + 12.0 * std::sqrt(lt) + 30.0);
    for (int m = 0; m <= terms; ++m) {
      const double w = std::exp(-lt + m * std::log(std::max(lt, 1e-300)) - std::lgamma(m + 1.0));
      for (std::size_t i = 0; i < jmax; ++i) u[i] += w * v[i];
      for (std::size_t i = 0; i < jmax; ++i) {
        const double r = n * mu + static_cast<double>(i) * theta;
        const double down = i == 0 ? 1.0 : v[i - 1];
        next[i] = (1.0 - (r + kill) / big) * v[i] + r / big * down;
      }
      v.swap(next);
    }
    for (std::size_t j = 0; j < jmax; ++j) p += pi[static_cast<std::size_t>(n) + j] * u[j];
    return p;
  }
  /// Occupancy = carried load / n = lambda (1 - P(abandon)) E[S] / n.
  [[nodiscard]] double occupancy() const {
    return lambda * (1.0 - abandon_probability()) * mean_handle / n;
  }
};

}  // namespace wfm::simulation::test
