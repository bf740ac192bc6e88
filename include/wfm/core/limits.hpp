#pragma once
/// \file
/// Magnitude limits: the largest values wfm accepts, in one place, each with its reason.
///
/// wfm promises bounded time and memory on any finite input. A few quantities have no natural
/// upper bound in their type (a double volume, a warm-up in seconds) but do have one in any
/// contact centre and in the arithmetic that follows: beyond these limits a call is rejected up
/// front with wfm::InvalidArgument naming the argument and the value, instead of hanging,
/// exhausting memory, or tripping an assertion deep inside a solver. Every limit is orders of
/// magnitude above the largest contact centre (tens of thousands of agents, millions of calls a
/// week), so no real plan is affected.

namespace wfm::limits {

/// Simulated time [s]: horizon (interval_length x intervals) and warm-up, each at most 1e9 s
/// (about 31.7 years). Reason: event times are doubles; at 1e9 s their spacing is 1.2e-7 s, so
/// handle times and waits keep full precision, while beyond ~1e15 s adding a handle time of a
/// few seconds no longer moves the clock and the event loop cannot progress.
inline constexpr double max_simulated_time = 1e9;

/// Expected arrivals per replication (sum of rate x duration over warm-up and horizon), at most
/// 1e7. Reason: every waiting call is stored (32 bytes), so a fully overloaded replication needs
/// up to ~320 MB per worker thread, and about a second of CPU per replication; a week of a very
/// large centre is ~2e6 calls.
inline constexpr double max_expected_calls = 1e7;

/// Replications of one simulation, at most 1e5; and expected arrivals over all replications
/// (max_expected_calls' count x replications), at most 1e9. Reason: each replication is a full
/// run of the event loop (about 1e7 events per second of CPU), so 2^31 - 1 replications of a
/// two-interval day ran for hours (the hang of the randomised bad-input suite); 1e9 contacts
/// are a few minutes of CPU, and 1e5 replications narrow a confidence interval far below any
/// planning tolerance.
inline constexpr double max_replications = 1e5;
inline constexpr double max_total_calls = 1e9;

/// Segments of a cyclic warm-up (warm-up / horizon, rounded up, times intervals), at most 1e6.
/// Reason: each repetition of the horizon is a list entry; a warm-up of 1e12 s over a 30-minute
/// horizon would need 5.6e8 of them.
inline constexpr double max_warmup_segments = 1e6;

/// Shift-scheduling requirement [agents per interval], at most 1e6. Reason: CLP and CBC decide
/// integrality with an absolute tolerance of ~1e-6 and feasibility with ~1e-7 relative to the
/// row scale; at 1e6 agents the spacing of doubles (1.2e-10) is far below both, while from about
/// 1e15 on an integer and its neighbour are no longer distinct and CBC reports a wrong optimum
/// or trips an internal assertion.
inline constexpr double max_requirement = 1e6;

/// Sum of the requirement over the horizon [agent-intervals], at most 1e9. Reason: headcounts
/// are `int` (int32) in results; the optimal headcount never exceeds the summed requirement
/// (each shift covers at least one interval), so 1e9 < 2^31 - 1 keeps every count exact.
inline constexpr double max_total_requirement = 1e9;

/// Any one cost coefficient of a schedule (shift cost, fixed cost, under- and over-cover cost),
/// at most 1e6 currency units. Reason: the objective is at most cost x headcount
/// <= 1e6 x 1e9 = 1e15 < 2^53, so it is exact to better than one unit and the relative gap
/// stays meaningful; costs of 1e26 and above trip CLP's scaling assertions.
inline constexpr double max_cost = 1e6;

/// Forecast history values (volume per interval [contacts], handle time [s]), at most 1e12.
/// Reason: fitting sums squares and products of values over up to ~1e6 points: with values up
/// to 1e12 those stay below 1e30, far from overflow (1e308), whereas a single 1e308 makes
/// every sum infinite.
inline constexpr double max_history_value = 1e12;
/// Interval length [s], at least 1 s. Reason: volumes per interval become rates per second by
/// dividing by the length; a planning interval is minutes long, and below 1 s (down to the
/// subnormal 1e-320) a finite volume turns into an infinite rate.
inline constexpr double min_interval_length = 1.0;
/// Interval length [s] of the time-varying evaluator (evaluate_staffing), at most 1e6 s
/// (11.6 days). Reason: it integrates the forward equations through every interval in steps
/// of at most 10 s, so the work grows with the length: two intervals of 1e9 s at 14 agents
/// took 38 s (2.2 s at 1e7 s, 0.2 s at 1e6 s); a time-varying interval is minutes to hours
/// (a longer one is a stationary period: use the stationary models).
inline constexpr double max_transient_interval_length = 1e6;

}  // namespace wfm::limits
