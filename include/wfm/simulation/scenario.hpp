#pragma once
/// \file
/// What is simulated: one FCFS queue over a horizon of equal intervals, with piecewise-constant
/// Poisson arrivals, handle-time and patience distributions, and staffing given either as agents
/// per interval or as a wfm::Roster (shifts with breaks). Times in seconds, rates per second.

#include <cstdint>
#include <limits>
#include <string_view>
#include <variant>
#include <vector>

#include <wfm/core/roster.hpp>

namespace wfm::simulation {

/// The family of a duration distribution.
enum class DistributionKind {
  none,         ///< no duration: for patience, callers who never abandon (patience = +inf)
  exponential,  ///< exponential with the given mean (cv = 1)
  lognormal,    ///< lognormal with the given mean and coefficient of variation
  empirical,    ///< a draw, uniformly at random, from a sample of observed durations
};

[[nodiscard]] constexpr std::string_view to_string(DistributionKind k) noexcept {
  switch (k) {
    case DistributionKind::none: return "none";
    case DistributionKind::exponential: return "exponential";
    case DistributionKind::lognormal: return "lognormal";
    case DistributionKind::empirical: return "empirical";
  }
  return "?";
}

/// A duration distribution [s]. Build it with the named constructors.
///
/// Per-interval means: a Scenario may give a mean per interval (AHT or mean patience that vary
/// over the day). A draw is then scaled by `interval_mean / mean()`: the shape (cv, or the
/// empirical sample's shape) is kept and only the scale changes.
struct Distribution {
  DistributionKind kind = DistributionKind::none;
  double mean_value = 0.0;     ///< [s]; for empirical, the sample mean
  double cv = 0.0;             ///< coefficient of variation (lognormal); 1 for exponential
  std::vector<double> sample;  ///< [s] (empirical only)

  /// Callers who never abandon (patience only).
  [[nodiscard]] static Distribution none() { return {}; }
  /// \throws InvalidArgument unless mean is finite and > 0.
  [[nodiscard]] static Distribution exponential(double mean);
  /// \throws InvalidArgument unless mean is finite and > 0 and cv is finite and >= 0
  ///         (cv = 0 gives a constant duration).
  [[nodiscard]] static Distribution lognormal(double mean, double cv);
  /// \throws InvalidArgument if the sample is empty, or has a negative or non-finite value, or
  ///         its mean is 0.
  [[nodiscard]] static Distribution empirical(std::vector<double> sample);

  [[nodiscard]] double mean() const noexcept { return mean_value; }
};

/// A random busyness factor per day: the arrival rates of day d are multiplied by F_d, with
/// F_d ~ Gamma(shape 1/cv^2, scale cv^2) (mean 1, coefficient of variation cv), independent per
/// day. Counts then follow a Poisson-gamma (negative binomial) mixture: the forecast is right
/// on average but each day may be busier or quieter (Jongbloed & Koole (2001), "Managing
/// uncertainty in call centres using Poisson mixtures", Appl. Stoch. Models Bus. Ind. 17).
struct Busyness {
  double cv = 0.0;                ///< 0: no busyness factor (pure Poisson)
  double period_length = 86400.0; ///< [s] length of a "day" (one factor per period)
};

/// Staffing: agents per interval, or a roster of shifts with breaks.
///
/// **Agents per interval** (`std::vector<int>`, one per interval): agents are interchangeable.
/// When the number falls at an interval start, free agents leave first; if too few are free,
/// the next agents to finish a call leave then (overtime). When it rises, pending leaves are
/// cancelled first, then new agents start.
///
/// **Roster**: each agent of each shift is simulated individually.
/// - shift start: the agent becomes available;
/// - shift end: a free agent leaves; a busy agent finishes the call in progress and then leaves
///   (overtime; the overtime counts as available and busy time); an agent on break leaves;
/// - break start: a free agent starts the break at once; a busy agent starts it after the
///   current call. A break always lasts its full length from when it actually starts, but
///   never beyond the shift end;
/// - a cyclic roster repeats with period `horizon_length`; a shift whose end exceeds the
///   horizon wraps to its start. Non-cyclic shifts end where they end (possibly past the
///   horizon, which only matters while calls are still queued).
using Staffing = std::variant<std::vector<int>, Roster>;

/// One simulated scenario.
struct Scenario {
  double interval_length = 1800.0;     ///< [s]
  std::vector<double> arrival_rate;    ///< [1/s] per interval (its size is the horizon)
  Distribution handle_time = Distribution::exponential(180.0);
  std::vector<double> handle_time_mean;  ///< [s] per interval; empty: handle_time.mean()
  Distribution patience = Distribution::none();
  std::vector<double> patience_mean;     ///< [s] per interval; empty: patience.mean()
  Busyness busyness{};
  Staffing staffing = std::vector<int>{};
  /// The horizon repeats (a 24/7 week): the warm-up runs over the end of the horizon and the
  /// roster wraps. A cyclic Roster makes the scenario cyclic too.
  bool cyclic = false;
  /// Trace-driven arrivals: if not empty, these sorted arrival times [s, in [0, horizon)]
  /// replace the Poisson process in every replication; arrival_rate then only sets the number
  /// of intervals, and the warm-up has no arrivals. Handle times and patience stay random
  /// (an empirical sample of one value makes them deterministic). For replaying a real day
  /// and for hand-checkable tests.
  std::vector<double> arrival_times;

  [[nodiscard]] std::size_t intervals() const noexcept { return arrival_rate.size(); }
  [[nodiscard]] double horizon_length() const noexcept {
    return interval_length * static_cast<double>(arrival_rate.size());
  }
  [[nodiscard]] bool is_cyclic() const noexcept {
    const auto* r = std::get_if<Roster>(&staffing);
    return cyclic || (r != nullptr && r->cyclic);
  }
};

/// Checks a scenario. \throws InvalidArgument naming the field and the value: interval_length
/// <= 0, no interval, a negative or non-finite rate, per-interval vectors of the wrong size or
/// with non-positive values, a patience mean given with DistributionKind::none, a handle time of
/// kind none, a negative agent count, a bad roster (end <= start, breaks outside their shift,
/// agents < 0, a cyclic shift longer than the horizon), busyness cv < 0, unsorted or
/// out-of-horizon arrival times.
void validate(const Scenario& scenario);

}  // namespace wfm::simulation
