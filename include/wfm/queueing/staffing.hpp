#pragma once
/// \file
/// Staffing: the smallest number of agents that meets a service goal, for any queueing model,
/// and a whole planning horizon in one call.
///
/// A goal combines any of: service level >= x within t seconds (under any
/// ServiceLevelDefinition), ASA <= a seconds (averaged over AsaOver), P(abandon) <= b and
/// occupancy <= o. `required_agents` brackets the answer around a square-root staffing guess
/// (Halfin & Whitt 1981) by galloping (steps 1, 2, 4, ...) and then bisects, so it evaluates the
/// model O(log n) times; it never scans n one at a time. The bracket guess only decides how
/// fast the answer is found, never which answer: the result is the exact minimal n whenever the
/// goal is monotone in the number of agents (every metric here is).
///
/// Units: seconds, rates per second, fractions in [0, 1].

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <wfm/core/error.hpp>
#include <wfm/core/interval_grid.hpp>
#include <wfm/core/status.hpp>
#include <wfm/queueing/definitions.hpp>
#include <wfm/queueing/sqrt_staffing.hpp>

namespace wfm::queueing {

/// A queueing model that staffing can search over: metrics for a (real-valued) number of
/// agents. Optional members are detected: `service_level(n, t, ServiceLevelDefinition)`,
/// `average_speed_of_answer(n, AsaOver)`, `abandon_probability(n)` (absent: no abandonment, so
/// every service-level definition coincides and P(abandon) = 0), and the offered load through
/// `load()`, `offered_load()` or `arrival_rate()` with `handle_time()` (used only to place the
/// first bracket; without it the search gallops from 0 agents).
template <class M>
concept QueueModel = requires(const M& m, double agents, double target_time) {
  { m.service_level(agents, target_time) } -> std::convertible_to<double>;
  { m.average_speed_of_answer(agents) } -> std::convertible_to<double>;
  { m.occupancy(agents) } -> std::convertible_to<double>;
};

/// What "enough agents" means: every criterion that is set must hold. At least one must be set.
///
/// **Example** (80 % answered within 20 s, and at most 5 % abandoned):
///
///     StaffingGoal goal{.service_level = 0.8, .target_time = 20.0, .max_abandon = 0.05};
struct StaffingGoal {
  /// Service level x: SL(n, target_time, definition) >= x; a fraction in (0, 1).
  std::optional<double> service_level{};
  /// t [s] of "x within t"; also the target time of the reported SL. Finite, >= 0.
  double target_time = 20.0;
  /// Which service level is meant (see definitions.hpp); irrelevant without abandonment.
  ServiceLevelDefinition definition = ServiceLevelDefinition::answered_within;
  /// ASA <= a [s], a > 0 and finite, averaged as in `asa_over`.
  std::optional<double> max_asa{};
  /// Over which calls the ASA (goal and reported value) is averaged.
  AsaOver asa_over = AsaOver::all;
  /// P(abandon) <= b, b in (0, 1]. Models without abandonment meet it with any staffing.
  std::optional<double> max_abandon{};
  /// Occupancy <= o, o in (0, 1].
  std::optional<double> max_occupancy{};

  /// \throws InvalidArgument naming the first bad field and its value.
  void validate(std::string_view where = "wfm::queueing::StaffingGoal") const {
    if (!service_level && !max_asa && !max_abandon && !max_occupancy)
      wfm::detail::throw_invalid(where,
                            "the goal sets no criterion: give at least one of service_level, "
                            "max_asa, max_abandon, max_occupancy");
    if (service_level) wfm::detail::require_open_unit(where, "service_level", *service_level);
    wfm::detail::require_nonnegative(where, "target_time [s]", target_time);
    if (max_asa) wfm::detail::require_positive(where, "max_asa [s]", *max_asa);
    if (max_abandon && !(*max_abandon > 0.0 && *max_abandon <= 1.0))
      wfm::detail::throw_invalid(where, "max_abandon must be in (0, 1]", *max_abandon);
    if (max_occupancy && !(*max_occupancy > 0.0 && *max_occupancy <= 1.0))
      wfm::detail::throw_invalid(where, "max_occupancy must be in (0, 1]", *max_occupancy);
  }
};

/// Search settings for required_agents and plan_horizon.
struct StaffingOptions {
  /// Largest staffing considered; beyond it the result is `infeasible`. >= 0.
  std::int64_t max_agents = 1'000'000;
  /// Return the smallest real-valued staffing on the model's continuous extension.
  bool fractional = false;
  /// Width [agents] to which a fractional requirement is bisected: the returned value meets the
  /// goal and lies at most this far above the exact threshold. > 0.
  double tolerance = 1e-6;

  void validate(std::string_view where = "wfm::queueing::StaffingOptions") const {
    if (max_agents < 0)
      wfm::detail::throw_invalid(where, "max_agents must be >= 0", static_cast<double>(max_agents));
    wfm::detail::require_positive(where, "tolerance [agents]", tolerance);
  }
};

/// The required staffing and what the model predicts with it (names: wfm/core/vocabulary.hpp).
struct StaffingResult {
  /// Required agents (a whole number unless fractional) [agents].
  double agents_required = 0.0;
  /// Status::ok: `agents_required` is the smallest staffing that meets every criterion;
  /// Status::infeasible: even max_agents misses the goal, and the metrics are those at
  /// max_agents (`message` says so); Status::not_converged: the model reports that its own
  /// metrics at agents_required did not converge (models with `metrics().status`), so the
  /// answer rests on numbers the model does not vouch for (`message` gives the model's).
  Status status = Status::ok;
  std::string message;
  double service_level = 1.0;  ///< SL at agents_required (goal's definition and target_time)
  double asa_s = 0.0;          ///< ASA [s] at agents_required (goal's asa_over)
  double abandon_rate = 0.0;   ///< P(abandon) at agents_required
  double occupancy = 0.0;      ///< agent occupancy at agents_required
  int evaluations = 0;         ///< staffing levels at which the goal was checked
};

namespace detail {

/// The metrics of one staffing level, each computed at most once.
template <class M>
class StaffingProbe {
 public:
  StaffingProbe(const M& model, const StaffingGoal& goal, double agents)
      : model_(&model), goal_(&goal), agents_(agents) {}

  double service_level() {
    if (!sl_) {
      if constexpr (requires { model_->service_level(agents_, 0.0, goal_->definition); })
        sl_ = static_cast<double>(
            model_->service_level(agents_, goal_->target_time, goal_->definition));
      else  // no abandonment: every definition is P(V <= t)
        sl_ = static_cast<double>(model_->service_level(agents_, goal_->target_time));
    }
    return *sl_;
  }
  double average_speed_of_answer() {
    if (!asa_) {
      if constexpr (requires { model_->average_speed_of_answer(agents_, goal_->asa_over); })
        asa_ = static_cast<double>(model_->average_speed_of_answer(agents_, goal_->asa_over));
      else  // no abandonment: every caller is answered
        asa_ = static_cast<double>(model_->average_speed_of_answer(agents_));
    }
    return *asa_;
  }
  double abandon_probability() {
    if (!abandon_) {
      if constexpr (requires { model_->abandon_probability(agents_); })
        abandon_ = static_cast<double>(model_->abandon_probability(agents_));
      else
        abandon_ = 0.0;
    }
    return *abandon_;
  }
  double occupancy() {
    if (!occupancy_) occupancy_ = static_cast<double>(model_->occupancy(agents_));
    return *occupancy_;
  }

  /// Every criterion holds (NaN from a model counts as not met). Cheapest checks first.
  bool meets() {
    const StaffingGoal& g = *goal_;
    if (g.max_occupancy && !(occupancy() <= *g.max_occupancy)) return false;
    if (g.service_level && !(service_level() >= *g.service_level)) return false;
    if (g.max_asa && !(average_speed_of_answer() <= *g.max_asa)) return false;
    if (g.max_abandon && !(abandon_probability() <= *g.max_abandon)) return false;
    return true;
  }

  StaffingResult result(Status status, int evaluations) {
    StaffingResult r{agents_,   status, {}, service_level(), average_speed_of_answer(),
                     abandon_probability(), occupancy(), evaluations};
    if (status == Status::infeasible)
      r.message = "the goal is missed even with max_agents; the metrics are those at max_agents";
    if constexpr (requires {
                    {
                      model_->metrics(agents_, goal_->target_time).status
                    } -> std::convertible_to<Status>;
                  }) {
      // A model that reports its own outcome (a chain cut short, a quadrature or a level solve
      // that failed) passes it on: its numbers were used to choose agents_required.
      if (r.status == Status::ok) {
        const auto m = model_->metrics(agents_, goal_->target_time);
        if (m.status != Status::ok) {
          r.status = Status::not_converged;
          r.message = "the model's metrics at agents_required did not converge: " + m.message;
        }
      }
    }
    return r;
  }

 private:
  const M* model_;
  const StaffingGoal* goal_;
  double agents_;
  std::optional<double> sl_, asa_, abandon_, occupancy_;
};

/// Offered load [Erl] if the model exposes it.
template <class M>
std::optional<double> offered_load_of(const M& m) {
  if constexpr (requires { { m.load() } -> std::convertible_to<double>; })
    return static_cast<double>(m.load());
  else if constexpr (requires { { m.offered_load() } -> std::convertible_to<double>; })
    return static_cast<double>(m.offered_load());
  else if constexpr (requires {
                       { m.arrival_rate() } -> std::convertible_to<double>;
                       { m.handle_time() } -> std::convertible_to<double>;
                     })
    return static_cast<double>(m.arrival_rate()) * static_cast<double>(m.handle_time());
  else
    return std::nullopt;
}
template <class M>
std::optional<double> handle_time_of(const M& m) {
  if constexpr (requires { { m.handle_time() } -> std::convertible_to<double>; })
    return static_cast<double>(m.handle_time());
  else
    return std::nullopt;
}

template <class M>
std::optional<double> patience_of(const M& m) {
  if constexpr (requires { { m.patience() } -> std::convertible_to<double>; })
    return static_cast<double>(m.patience());
  else
    return std::nullopt;
}

/// A square-root staffing guess [agents] for the goal; it only places the first bracket of the
/// exact search, so a rough value is enough (a poor one costs a few more evaluations, never a
/// different answer). Without abandonment: the Halfin-Whitt approximation (sqrt_staffing.hpp:
/// SL = 1 - alpha(beta) e^{-(n - A) t / AHT}, ASA = alpha(beta) AHT / (n - A)), solved for
/// beta in [0, 8] by a short bisection. With a finite mean patience: the
/// Garnett-Mandelbaum-Reiman approximation (sqrt_staffing.hpp), which gives P(V <= t) and
/// P(abandon); the other service-level definitions are bounded through them
/// (answered_within >= P(V <= t) - P(ab); wait_within = 1 - e^{-t/patience} P(V > t)), and the
/// requirement is bisected over n in [0, the Halfin-Whitt guess] to within half an agent.
inline double square_root_staffing_guess(const StaffingGoal& g, double load,
                                         std::optional<double> handle_time,
                                         std::optional<double> patience) {
  if (!(load > 0.0) || !std::isfinite(load)) return 0.0;
  const double s = std::sqrt(load);
  double guess = load;
  if (g.max_occupancy) guess = std::max(guess, load / *g.max_occupancy);
  if (!handle_time || !(*handle_time > 0.0) || !std::isfinite(*handle_time)) return guess;
  const double h = *handle_time;
  if (g.service_level || g.max_asa) {
    // The criterion is monotone in beta; 14 halvings put n within 8 sqrt(A) / 2^14 of the limit.
    auto ok = [&](double beta) {
      const double pw = halfin_whitt_wait_probability(beta);
      const double gap = beta * s;  // n - A [agents]
      if (g.service_level && pw * std::exp(-gap * g.target_time / h) > 1.0 - *g.service_level)
        return false;
      if (g.max_asa && pw * h > *g.max_asa * gap) return false;
      return true;
    };
    double lo = 0.0, hi = 8.0;
    if (ok(hi)) {
      for (int i = 0; i < 14; ++i) {
        const double mid = 0.5 * (lo + hi);
        (ok(mid) ? hi : lo) = mid;
      }
    }
    guess = std::max(guess, load + hi * s);
  }
  if (!patience || !std::isfinite(*patience) || !(*patience > 0.0)) return guess;

  const double theta = *patience;
  const GarnettMandelbaumReiman gmr(load / h, h, theta);
  auto ok = [&](double n) {
    const double ab = gmr.abandon_probability(n);
    if (g.max_abandon && ab > *g.max_abandon) return false;
    if (g.max_occupancy && load * (1.0 - ab) > *g.max_occupancy * n) return false;
    if (g.max_asa && ab * theta > *g.max_asa * (g.asa_over == AsaOver::all ? 1.0 : 1.0 - ab))
      return false;  // E[min(V, P)] = P(ab) patience (Little); answered: roughly / (1 - P(ab))
    if (g.service_level) {
      const double virt = gmr.service_level(n, g.target_time);  // P(V <= t)
      double sl = virt;
      switch (g.definition) {
        case ServiceLevelDefinition::answered_within: sl = virt - ab; break;
        case ServiceLevelDefinition::wait_within:
          sl = 1.0 - std::exp(-g.target_time / theta) * (1.0 - virt);
          break;
        case ServiceLevelDefinition::virtual_wait_within: break;
        case ServiceLevelDefinition::answered_given_answered:
          sl = ab < 1.0 ? (virt - ab) / (1.0 - ab) : 0.0;
          break;
      }
      if (sl < *g.service_level) return false;
    }
    return true;
  };
  double lo = 0.0, hi = std::max(guess, 1.0);
  if (!ok(hi)) return hi;  // the exact search gallops up from here
  // At most ~1100 halvings from any finite double; on huge loads adjacent doubles are more than
  // half an agent apart, so stop when the midpoint no longer lies strictly inside.
  while (hi - lo > 0.5) {
    const double mid = 0.5 * (lo + hi);
    if (!(mid > lo && mid < hi)) break;
    (ok(mid) ? hi : lo) = mid;
  }
  return hi;
}

}  // namespace detail

/// The smallest number of agents n in [0, options.max_agents] whose predicted metrics meet
/// every criterion of `goal` (or, with options.fractional, the smallest real n on the model's
/// continuous extension, to options.tolerance).
///
/// **Example**:
///
///     ErlangC q(100.0 / minutes(30), 180.0);
///     auto r = required_agents(q, StaffingGoal{.service_level = 0.8, .target_time = 20.0});
///     // r.agents_required == 14, r.status == Status::ok, r.service_level == 0.88835...
///
/// O(log n) model evaluations: a gallop from a square-root staffing guess, then bisection
/// (plus about log2(1 / tolerance) more for a fractional answer).
/// \throws InvalidArgument if the goal or the options are invalid.
/// \warning A goal missed even at max_agents is a value, `Status::infeasible`, with the
///          metrics at max_agents; it is not an exception.
template <QueueModel M>
[[nodiscard]] StaffingResult required_agents(const M& model, const StaffingGoal& goal,
                                             const StaffingOptions& options) {
  goal.validate("wfm::queueing::required_agents: goal");
  options.validate("wfm::queueing::required_agents: options");
  using Probe = detail::StaffingProbe<M>;
  int evaluations = 0;
  const std::int64_t max_n = options.max_agents;
  auto probe_at = [&](std::int64_t n) {
    ++evaluations;
    Probe p(model, goal, static_cast<double>(n));
    const bool ok = p.meets();
    return std::pair<bool, Probe>(ok, std::move(p));
  };

  // Invariant of the search: `lo` misses the goal (lo == -1: below 0 agents), `hi` meets it.
  const auto load = detail::offered_load_of(model);
  std::int64_t n0 = 0;
  if (load) {
    const double g = detail::square_root_staffing_guess(goal, *load, detail::handle_time_of(model),
                                                       detail::patience_of(model));
    // Capped at max_agents; a NaN guess (a model that cannot say) starts the gallop at 0.
    // (compared as doubles first: casting a double >= 2^63 to int64 is undefined).
    n0 = !(g >= 0.0)                                   ? 0
         : std::ceil(g) >= static_cast<double>(max_n) ? max_n
                                                       : static_cast<std::int64_t>(std::ceil(g));
  }
  auto [ok0, probe0] = probe_at(n0);
  std::int64_t lo = -1, hi = -1;
  std::optional<Probe> hi_probe;
  if (ok0) {
    hi = n0;
    hi_probe.emplace(std::move(probe0));
    for (std::int64_t step = 1; hi > 0; step = step < hi ? 2 * step : hi) {
      const std::int64_t c = std::max<std::int64_t>(hi - step, 0);
      auto [ok, p] = probe_at(c);
      if (!ok) {
        lo = c;
        break;
      }
      hi = c;
      hi_probe.emplace(std::move(p));
    }
  } else {
    lo = n0;
    for (std::int64_t step = 1;; step = step > max_n / 2 ? max_n : 2 * step) {
      if (lo >= max_n) return probe0.result(Status::infeasible, evaluations);
      const std::int64_t c = lo + std::min(step, max_n - lo);  // no overflow near INT64_MAX
      auto [ok, p] = probe_at(c);
      if (ok) {
        hi = c;
        hi_probe.emplace(std::move(p));
        break;
      }
      lo = c;
      if (c == max_n) return p.result(Status::infeasible, evaluations);
    }
  }
  while (hi - lo > 1) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    auto [ok, p] = probe_at(mid);
    if (ok) {
      hi = mid;
      hi_probe.emplace(std::move(p));
    } else {
      lo = mid;
    }
  }
  if (!options.fractional || hi == 0) return hi_probe->result(Status::ok, evaluations);

  // Continuous extension: hi - 1 misses, hi meets; bisect the real threshold in between.
  double flo = static_cast<double>(hi - 1), fhi = static_cast<double>(hi);
  while (fhi - flo > options.tolerance) {
    const double mid = 0.5 * (flo + fhi);
    if (mid <= flo || mid >= fhi) break;  // the interval is as narrow as doubles allow
    ++evaluations;
    Probe p(model, goal, mid);
    if (p.meets()) {
      fhi = mid;
      hi_probe.emplace(std::move(p));
    } else {
      flo = mid;
    }
  }
  return hi_probe->result(Status::ok, evaluations);
}

/// required_agents with a maximum staffing and an optional fractional answer.
template <QueueModel M>
[[nodiscard]] StaffingResult required_agents(const M& model, const StaffingGoal& goal,
                                             std::int64_t max_agents = 1'000'000,
                                             bool fractional = false) {
  return required_agents(model, goal,
                         StaffingOptions{.max_agents = max_agents, .fractional = fractional});
}

/// Agents to schedule so that `required` remain after shrinkage (breaks, training, absence):
/// required / (1 - shrinkage). Not rounded: a whole-agent plan rounds up itself.
/// \throws InvalidArgument if required < 0 or not finite, or shrinkage is outside [0, 1).
[[nodiscard]] inline double scheduled_agents(double required, double shrinkage) {
  constexpr std::string_view where = "wfm::queueing::scheduled_agents";
  wfm::detail::require_nonnegative(where, "required [agents]", required);
  if (!(shrinkage >= 0.0 && shrinkage < 1.0))
    wfm::detail::throw_invalid(where, "shrinkage must be in [0, 1)", shrinkage);
  return required / (1.0 - shrinkage);
}

/// Settings of plan_horizon.
struct PlanOptions {
  StaffingOptions staffing{};  ///< max_agents, fractional, tolerance (per interval)
  /// Worker threads (TBB); 0 = all cores, 1 = serial. Results are identical for any number:
  /// every interval is solved on its own and written to its own slot.
  int threads = 0;
};

/// Required agents and the predicted metrics, one entry per interval (names:
/// wfm/core/vocabulary.hpp).
struct HorizonPlan {
  std::vector<double> agents_required;        ///< net requirement [agents]
  std::vector<double> agents_required_gross;  ///< agents_required / (1 - shrinkage) [agents]
  std::vector<double> service_level;          ///< predicted SL at agents_required
  std::vector<double> asa_s;                  ///< predicted ASA [s]
  std::vector<double> abandon_rate;           ///< predicted P(abandon) (0 under Erlang C)
  std::vector<double> occupancy;              ///< predicted occupancy
  std::vector<Status> status;                 ///< ok, infeasible within max_agents, or
                                              ///< not_converged (the model's own metrics)
  /// Status::ok; Status::infeasible when any interval is; else Status::not_converged when any
  /// interval is (`message` counts them).
  Status overall = Status::ok;
  std::string message;
  /// The grid the plan is on (plan_horizon with a grid); empty for the index overloads.
  IntervalGrid grid;

  [[nodiscard]] std::size_t size() const noexcept { return agents_required.size(); }
  /// Number of intervals whose goal is infeasible within max_agents.
  [[nodiscard]] std::size_t infeasible_count() const noexcept {
    return static_cast<std::size_t>(std::count(status.begin(), status.end(), Status::infeasible));
  }
};

namespace detail {
/// The loop every plan_horizon shares: `solve_one(i)` staffs interval i (nothing: no load, 0
/// agents and SL 1); intervals run on `options.threads` threads, each writing its own slots, so
/// the plan does not depend on the thread count. Sets `overall` and `message`.
[[nodiscard]] HorizonPlan plan_each_interval(
    std::size_t n, double shrinkage, const PlanOptions& options,
    const std::function<std::optional<StaffingResult>(std::size_t)>& solve_one);
}  // namespace detail

/// Staffs every interval of a horizon in one call.
///
/// \param volumes        calls offered per interval [calls], finite, >= 0
/// \param handle_times   AHT per interval [s]: one value per interval, or one for all;
///                       finite and > 0 where the volume is > 0
/// \param interval_length length of every interval [s], > 0
/// \param patience       mean patience [s] (exponential, Erlang A): empty, or one value for
///                       all, or one per interval; +inf (or empty) means Erlang C
/// \param goal           the service goal, applied to every interval
/// \param shrinkage      fraction of paid time unavailable for calls, in [0, 1)
///
/// An interval with zero volume needs 0 agents, with SL 1, ASA 0, no abandons and occupancy 0.
/// \throws InvalidArgument naming the argument (and index) of any bad value.
[[nodiscard]] HorizonPlan plan_horizon(std::span<const double> volumes,
                                       std::span<const double> handle_times,
                                       double interval_length, std::span<const double> patience,
                                       const StaffingGoal& goal, double shrinkage = 0.0,
                                       const PlanOptions& options = {});

/// plan_horizon with one patience for every interval (+inf: Erlang C).
[[nodiscard]] HorizonPlan plan_horizon(std::span<const double> volumes,
                                       std::span<const double> handle_times,
                                       double interval_length, double patience,
                                       const StaffingGoal& goal, double shrinkage = 0.0,
                                       const PlanOptions& options = {});

/// Staffs every interval of `grid` (volumes, handle times and patience as in plan_horizon
/// above, one per grid interval or one for all). Closed intervals get 0 agents whatever their
/// volume. The plan carries the grid.
/// \throws InvalidArgument (see above) or if the sizes do not match the grid.
[[nodiscard]] HorizonPlan plan_horizon(const IntervalGrid& grid, std::span<const double> volumes,
                                       std::span<const double> handle_times,
                                       std::span<const double> patience, const StaffingGoal& goal,
                                       double shrinkage = 0.0, const PlanOptions& options = {});

}  // namespace wfm::queueing
