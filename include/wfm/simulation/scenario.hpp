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
/// The end-of-shift rule is an ACD's: an agent whose shift ends finishes the call in hand and
/// logs off, and the agents who stay keep taking calls. When the number falls by d at an
/// interval start, free agents leave first (the count says how many go, not who: a free agent
/// logs off at once); if fewer than d are free, the rest of the d are busy agents (lowest
/// index first, a choice blind to the call in hand) who take nothing new and leave when their
/// call ends (overtime), while the remaining agents answer the queue at once. When the number
/// rises, agents who are off start (a leaving agent is never called back). Under this rule the
/// time-varying birth-death chain of wfm/queueing/time_varying.hpp is exact for exponential
/// handle times (there the leavers' calls leave the chain at the boundary). An earlier rule
/// (the first agents to *finish* a call leave until the count is met) left the queue unanswered
/// for about AHT ln(n_old / n_new) after a cut (91 -> 33 agents: ~300 s, SL 0.33 against 0.77
/// under this rule); no ACD works that way, so it is gone.
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

  // ---- Multi-contact features (all off by default; any of them on runs the multi-contact
  // event loop, which needs per-interval staffing, not a Roster). They let the simulation check
  // what wfm::queueing::ChatConcurrency, ErlangX and the blending model claim.

  /// Chat concurrency (vocabulary `handle_time_factors`, ratio h_j / h_1): an agent holds up to
  /// m = size() contacts at once, and while holding j of them works through each at speed
  /// 1 / handle_time_factors[j - 1]. A contact's work is its handle-time draw (the handle time
  /// it would take alone, at concurrency 1); with j contacts in progress its remaining work
  /// falls at rate 1 / f_j per second, so it ends after remaining work x f_j if nothing changes.
  /// When the agent's concurrency changes, every remaining work is kept and the speed changes:
  /// with exponential handle times this is exactly the ChatConcurrency model (each chat of an
  /// agent with j chats ends at rate 1 / h_j, h_j = f_j x AHT). A new contact goes to the agent
  /// holding the fewest (least-loaded routing); it waits (FCFS) when every agent holds m.
  /// Empty: one contact per agent (the classic model). With factors, occupancy is slot
  /// occupancy: contacts in progress / (agents x m), as ChatConcurrency::occupancy.
  ///
  /// What a real chat system differs in (and the simulator can show with other inputs): chat
  /// durations are far from exponential (lognormal or empirical handle times may be given; the
  /// rescaling of remaining work then is an assumption, not a law); an agent's slowdown comes
  /// from waiting for customers' replies as much as from its own typing, so it depends on the
  /// mix of chats, not only their number; conversations never move between agents
  /// (balance_chats = false); and customers also leave after being answered ("silent"
  /// abandonment), which neither the model nor the simulator represents.
  std::vector<double> handle_time_factors;
  /// With concurrency, keep the agents' loads within one of each other, as the model assumes:
  /// when an agent finishes a contact and another holds two more than it, one contact (with its
  /// remaining work) moves from the busiest agent to it. A real chat system never moves a
  /// conversation; set false to simulate that (least-loaded routing only), which the
  /// birth-death model then only approximates.
  bool balance_chats = true;
  /// Lines (trunks; vocabulary `lines`): an attempt that finds `lines` contacts in the system
  /// (in service or waiting) hears a busy signal (it is blocked). 0: no limit.
  std::int64_t lines = 0;
  /// After a busy signal or an abandonment the customer tries again with this probability
  /// (vocabulary `redial_probability`, in [0, 1)), after a delay drawn from redial_delay.
  double redial_probability = 0.0;
  /// Time from a busy signal or an abandonment to the redial [s] (vocabulary `redial_delay_s`
  /// for its mean). Used only when redial_probability > 0.
  Distribution redial_delay = Distribution::exponential(60.0);
  /// Outbound (or back-office) work for call blending (vocabulary `outbound_aht_s` for its
  /// mean): an infinite supply of jobs with this duration. kind none: no outbound work.
  /// Policy: an agent who becomes free takes the first waiting inbound contact; if none waits,
  /// it starts an outbound job when at least `reserve` other agents stay idle, else it stays
  /// idle. Outbound jobs are never interrupted. Needs one contact per agent.
  Distribution outbound_handle_time = Distribution::none();
  /// Agents kept idle for inbound work (vocabulary `reserve`), >= 0. Used only with outbound work.
  int reserve = 0;

  /// Whether any multi-contact feature is on.
  [[nodiscard]] bool uses_contact_features() const noexcept {
    return !handle_time_factors.empty() || lines > 0 || redial_probability > 0.0 ||
           outbound_handle_time.kind != DistributionKind::none;
  }

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
/// out-of-horizon arrival times; for the multi-contact features: a handle-time factor <= 0 or
/// not finite or more than 64 of them, lines < 0, redial_probability outside [0, 1), a redial
/// delay of kind none when redials are on, reserve < 0, outbound work with concurrency, or any
/// of them with a Roster.
void validate(const Scenario& scenario);

}  // namespace wfm::simulation
