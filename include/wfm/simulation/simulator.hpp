#pragma once
/// \file
/// Running a Scenario: independent replications (in parallel threads), each a discrete-event
/// simulation of the whole horizon, combined into per-interval and whole-horizon estimates with
/// 95 % confidence intervals.
///
/// **Example**:
///
///     Scenario s;
///     s.interval_length = 1800.0;
///     s.arrival_rate = {100.0 / 1800.0, 120.0 / 1800.0};       // [1/s]
///     s.handle_time = Distribution::lognormal(240.0, 1.0);
///     s.patience = Distribution::exponential(120.0);
///     s.staffing = std::vector<int>{15, 18};
///     SimulationResult r = simulate(s, RunOptions{.replications = 200, .seed = 7});
///     Estimate sl = r.intervals[1].service_level[0];           // answered within 20 s
///
/// **Splitting replications across calls** (machines, Dask tasks): replication i draws its
/// random streams from (seed, i), whichever call runs it. Run replications [0, 100) and
/// [100, 200) with RunOptions::first_replication 0 and 100 and keep_sums, then merge() their
/// ReplicationSums in replication order: the result equals one call over [0, 200), bit for bit.
///
///     RunOptions a{.replications = 100, .seed = 7, .first_replication = 0, .keep_sums = true};
///     RunOptions b = a;
///     b.first_replication = 100;
///     SimulationResult r2 = merge({simulate(s, a).sums, simulate(s, b).sums});  // == r
///
/// **Measurement rules** (each call is counted in the interval in which it *arrived*):
/// offered, answered, abandoned and unserved (still waiting when no agent would ever come back)
/// calls; W = the actual wait, V = the virtual wait (the wait of an infinitely patient caller;
/// for a caller who abandoned, the time at which an agent would have taken the call, observed
/// exactly by keeping the abandoned call as a "ghost" in the FCFS queue); service levels under
/// every wfm::queueing::ServiceLevelDefinition and every target time; ASA over all arrivals
/// (E[min(V, P)]) and over answered calls (E[V | answered]); abandonment rate = abandoned /
/// offered; occupancy = busy agent time / available agent time in the interval (available =
/// on duty and not on break, including overtime to finish a call).
///
/// **Horizon edges.** Warm-up (RunOptions::warmup = w > 0): the system runs over [-w, 0)
/// with the rate and staffing of time 0 held constant (a roster's agents on duty at time 0 are
/// on duty throughout), or, for a cyclic scenario, with the end of the horizon repeated; its
/// calls are not counted. After the horizon no call arrives and the queue drains: per-interval
/// staffing keeps the last interval's count (cyclic: the first's), roster shifts run as
/// scheduled. A call still waiting when no agent will ever come back is *unserved*: it counts
/// as offered and not answered (it fails every service level over offered calls), and its
/// wait until the end of the run enters ASA over all.
///
/// **Multi-contact scenarios** (Scenario::uses_contact_features(): chat concurrency, lines and
/// redials, outbound work) run a second event loop (src/simulation/contact_engine.cpp) that
/// needs agents per interval; the rules above hold with these changes: a staff cut sends idle
/// agents off first, then the least-loaded agents take nothing new and leave when their
/// contacts end, and a rise brings on agents who are off, never a leaving one (Scenario's
/// end-of-shift rule, as in the classic loop); every count is per attempt (a redial is a new attempt, in the interval in
/// which it is made); blocked attempts are not logged in the contact log. Scenarios without
/// these features run the classic loop, unchanged.
///
/// \warning Limit values, not NaN: an interval without calls has service level 1, ASA 0 and
/// abandonment rate 0; an interval without available agent time has occupancy 0 (with
/// half-width 0). With one replication every half-width is +inf.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <wfm/core/interval_grid.hpp>
#include <wfm/core/status.hpp>
#include <wfm/queueing/definitions.hpp>
#include <wfm/simulation/scenario.hpp>
#include <wfm/simulation/statistics.hpp>

namespace wfm::simulation {

/// How to run a Scenario.
struct RunOptions {
  int replications = 100;          ///< independent replications, >= 1
  std::uint64_t seed = 1;          ///< master seed; streams are derived per (seed, replication, source)
  /// Index of this call's first replication, >= 0: the call runs replications first_replication
  /// .. first_replication + replications - 1, replication i with the streams of (seed, i). Runs
  /// of consecutive replications merged with merge() equal one call over all of them.
  std::int64_t first_replication = 0;
  int threads = 0;                 ///< worker threads; 0 = std::thread::hardware_concurrency()
  double warmup = 0.0;             ///< [s] simulated before the horizon; its calls are not counted
  std::vector<double> target_times{20.0};  ///< [s] service-level targets, each >= 0
  /// Service-level definitions reported, each for every target time.
  std::vector<queueing::ServiceLevelDefinition> definitions{
      queueing::ServiceLevelDefinition::answered_within,
      queueing::ServiceLevelDefinition::wait_within,
      queueing::ServiceLevelDefinition::virtual_wait_within,
      queueing::ServiceLevelDefinition::answered_given_answered};
  /// Keep each replication's whole-horizon measures in SimulationResult::replications.
  bool keep_replications = false;
  /// Called from the calling thread after each block of replications with step "simulate",
  /// done and total replications. Never called inside the event loop. Returning false stops:
  /// the result then holds the replications done so far, with Status::feasible.
  ProgressCallback progress;
  /// Keep the first replication's contact log in SimulationResult::contact_log (for measuring
  /// it with wfm::kpi exactly as a real log).
  bool keep_contact_log = false;
  /// Keep every replication's per-interval sums in SimulationResult::sums (what merge() needs):
  /// replications x intervals x (8 + 3 x target times, + 7 for a
  /// multi-contact scenario) doubles, allocated before the first
  /// replication runs (std::bad_alloc then, never half-way).
  bool keep_sums = false;
};

/// One service-level series: a definition and a target time [s].
struct ServiceLevelKey {
  queueing::ServiceLevelDefinition definition = queueing::ServiceLevelDefinition::answered_within;
  double target_time = 20.0;  ///< [s]
};

/// The measures of one interval (or of the whole horizon), each with its 95 % half-width.
/// Counts are means per replication [calls]; the rest are ratio estimators.
/// Field names are those of wfm/core/vocabulary.hpp; the confidence interval of a field `x` is
/// `x.value -+ x.half_width`, written to tables as `x_lower` / `x_upper`.
struct Measures {
  Estimate volume;          ///< offered contacts
  Estimate answered;        ///< contacts answered
  Estimate abandoned;       ///< contacts that abandoned
  Estimate unserved;        ///< still waiting at the end with no agent ever coming back
  Estimate abandon_rate;    ///< abandoned / offered [fraction]
  Estimate asa_s;           ///< E[min(V, P)] over all offered calls [s]
  Estimate asa_answered_s;  ///< E[V | answered] [s]
  Estimate occupancy;       ///< busy / available agent time [fraction]
  /// One estimate per SimulationResult::service_levels entry [fraction].
  std::vector<Estimate> service_level;
  // Multi-contact scenarios only (Scenario::uses_contact_features(); value and half-width 0
  // otherwise). With lines or redials every count above is per *attempt* (a redial is a new
  // attempt, counted in the interval in which it is made; a blocked attempt is offered and not
  // answered), as wfm::queueing::ErlangX counts them.
  Estimate blocking_rate;           ///< attempts that found every line busy / attempts [fraction]
  Estimate effective_arrival_rate;  ///< attempts per second, redials included [1/s]
  Estimate lost_rate;  ///< fresh customers finally lost / fresh customers [fraction]
  /// Fresh customers answered at their first attempt within target_times[0] / fresh customers
  /// [fraction].
  Estimate customer_service_level;
  Estimate outbound_throughput;  ///< outbound jobs completed per second [1/s]
};

/// The sums every estimate is reduced from, per replication and interval (calls counted in
/// the interval in which they arrived), for runs of consecutive replications: kept with
/// RunOptions::keep_sums, combined by merge(). `values` is row-major
/// [replication][interval][field], fields() values per (replication, interval), in the order of
/// ReplicationSums::Field, then for each target time t_k of `target_times` three counts: answered
/// with wait <= t_k, abandoned with patience <= t_k, abandoned with virtual wait <= t_k.
struct ReplicationSums {
  enum Field : int {
    offered = 0,     ///< contacts offered
    answered,        ///< contacts answered
    abandoned,       ///< contacts that abandoned
    unserved,        ///< contacts still waiting with no agent coming back
    wait_answered,   ///< sum of the waits of answered contacts [s]
    wait_all,        ///< sum of min(V, P) over offered contacts (unserved: wait to the end) [s]
    busy,            ///< agent time handling contacts [s]
    available,       ///< agent time available: on duty, not on break [s]
    base_fields      ///< number of fields before the per-target ones
  };
  static constexpr int per_target_fields = 3;
  /// Rows of a multi-contact scenario (Scenario::uses_contact_features()) carry these fields
  /// after the per-target ones; other rows do not (their layout is unchanged).
  enum Extra : int {
    blocked = 0,      ///< attempts that found every line busy (counted in offered too)
    customers,        ///< fresh customers (first attempts; counted where the first attempt fell)
    lost,             ///< fresh customers finally lost: blocked or abandoned and not redialled
    customer_within,  ///< fresh customers answered at the first attempt within target_times[0]
    outbound_done,    ///< outbound jobs completed (counted where they ended)
    outbound_busy,    ///< agent time on outbound jobs [s]
    duration,         ///< clock time counted [s] (the interval length)
    extra_fields      ///< number of extra fields
  };
  bool contact = false;  ///< the rows carry the Extra fields

  std::int64_t first_replication = 0;  ///< index of the replication of row 0
  int replications = 0;                ///< replications held
  int intervals = 0;                   ///< intervals per replication
  std::vector<double> target_times;    ///< [s] distinct, the order of the per-target fields
  std::vector<ServiceLevelKey> service_levels;  ///< the estimates' keys (SimulationResult's)
  std::vector<double> values;          ///< replications x intervals x fields()
  std::uint64_t events = 0;            ///< events processed by these replications

  [[nodiscard]] std::size_t fields() const noexcept {
    return static_cast<std::size_t>(base_fields) +
           static_cast<std::size_t>(per_target_fields) * target_times.size() +
           (contact ? static_cast<std::size_t>(extra_fields) : 0U);
  }
};

/// One simulated contact, as an ACD would log it (warm-up calls are not logged).
struct LoggedContact {
  double arrival = 0.0;  ///< [s] since the start of the horizon
  double wait = 0.0;     ///< [s] arrival to answer, to abandonment, or (unserved) to the run's end
  double handle = 0.0;   ///< [s] handle time (answered contacts; 0 otherwise)
  int agent = -1;        ///< the agent who answered (index of the engine's agent table), or -1
  bool answered = false;
  bool unserved = false;  ///< still waiting when no agent would ever come back
};

/// The outcome of simulate().
struct SimulationResult {
  /// Status::ok, or Status::feasible when the progress callback stopped the run early.
  Status status = Status::ok;
  std::string message;
  int replications = 0;  ///< replications done
  /// The scenario used multi-contact features (Scenario::uses_contact_features()): the
  /// Measures' blocking_rate .. outbound_throughput are estimated.
  bool multi_contact = false;
  std::vector<ServiceLevelKey> service_levels;  ///< the order of Measures::service_level
  std::vector<Measures> intervals;              ///< one per scenario interval
  Measures total;                               ///< the whole horizon
  /// Per replication, the whole-horizon values (half-width 0), if RunOptions::keep_replications.
  std::vector<Measures> replication_totals;
  std::uint64_t events = 0;  ///< events processed over all replications (incl. warm-up, stale)
  /// The grid of the intervals (simulate with a grid); empty otherwise.
  IntervalGrid grid;
  /// The first replication's contacts in the order they were resolved
  /// (RunOptions::keep_contact_log).
  std::vector<LoggedContact> contact_log;
  /// Per replication and interval, the sums the estimates come from (RunOptions::keep_sums;
  /// empty otherwise).
  ReplicationSums sums;

  /// Index into Measures::service_level of (definition, target_time), or -1 when not reported.
  [[nodiscard]] int service_level_index(queueing::ServiceLevelDefinition definition,
                                        double target_time) const noexcept {
    for (std::size_t i = 0; i < service_levels.size(); ++i)
      if (service_levels[i].definition == definition &&
          service_levels[i].target_time == target_time)
        return static_cast<int>(i);
    return -1;
  }
};

/// Simulates `scenario` under `options`. Results are identical for any number of threads.
/// \throws InvalidArgument on a bad scenario (see validate()) or options: replications < 1,
///         threads < 0, first_replication < 0 (or first_replication + replications past
///         2^63 - 1), warmup < 0 or non-finite, a negative or non-finite target time, no
///         target time or no definition.
[[nodiscard]] SimulationResult simulate(const Scenario& scenario, const RunOptions& options = {});

/// Simulates `scenario` on `grid`: the scenario's intervals are the grid's (same number and
/// length); closed intervals receive no arrivals. The result carries the grid.
/// \throws InvalidArgument as simulate() above, or if the scenario does not match the grid.
[[nodiscard]] SimulationResult simulate(const IntervalGrid& grid, Scenario scenario,
                                        const RunOptions& options = {});

/// The result of one simulate() call over all the replications of `parts`: runs of consecutive
/// replications of the same scenario and options (each kept with RunOptions::keep_sums, in
/// replication order: parts[k + 1] starts where parts[k] ends), reduced in replication order as
/// simulate() reduces them. replications, service_levels, intervals, total, events and sums
/// (the parts' rows, concatenated) equal that call's bit for bit, and replication_totals too
/// with keep_replications; the contact log and the grid are not carried.
/// \throws InvalidArgument if `parts` is empty, a part holds no replication or sums whose size
///         does not match, the parts differ in intervals, target times or service-level keys,
///         or a part does not start where the previous one ends.
[[nodiscard]] SimulationResult merge(const std::vector<ReplicationSums>& parts,
                                     bool keep_replications = false);

}  // namespace wfm::simulation
