#pragma once
/// \file
/// Email and back-office work with deadlines: a backlog carried over between intervals.
///
/// **The model** (a deterministic FIFO fluid queue on cumulative curves; G. F. Newell, 1982,
/// "Applications of Queueing Theory", 2nd ed., Chapman & Hall, ch. 2: the delay of the x-th
/// item under FIFO is the horizontal distance between the cumulative arrival curve A and the
/// cumulative departure curve D at height x). Items arrive at a constant rate within each
/// interval (volume_i / L), agents work through them oldest first at agents_i / handle_time
/// items per second, and what is not done is carried over. D is the reflected curve
/// (Newell, ch. 2; Lindley's recursion in continuous form)
///
///   D(t) = min_{s <= t} [ A(s) + (C(t) - C(s)) ],   C(t) = cumulative capacity [items],
///
/// which is piecewise linear with knots at the interval bounds and at the moments the backlog
/// empties; item x (0 <= x <= A(T)) arrives at A^{-1}(x) and is done at D^{-1}(x), and its
/// delay D^{-1}(x) - A^{-1}(x) is linear between consecutive knots of either curve, so the share
/// handled within the deadline is computed exactly (no sampling).
///
/// Fluid, not stochastic: it is the right scale when the deadline (hours, days) is long
/// against the handle time and the interval, so that the randomness of arrivals within the
/// deadline averages out and what matters is where the work goes over the day. It ignores
/// that randomness (a Poisson stream of 40 items per hour is 40 +- 6), so leave slack or
/// add a margin to the volumes when deadlines are short.
///
/// **Why Erlang C with a target of hours is the wrong model.** Erlang C (or A) is the steady
/// state of one interval: every contact is answered in the interval it arrives or waits in
/// a queue that the next interval forgets. With a target t of hours, P(wait <= t) is ~1 as soon
/// as agents > load, so Erlang C staffs ceil(load) + 1 in every interval: it cannot move work
/// from the morning peak into the quiet afternoon (it staffs the peak), nor see the night's
/// emails waiting at 08:00 (it gives them no agents at night and forgets them), nor know
/// that an item arriving at 19:30 with a 4-hour deadline in a centre closing at 20:00 cannot
/// make it. The backlog model carries the work over and staffs the cumulative work due.
///
/// **A share goal below 1** ("90 % within 4 hours"): see required_backlog_agents_share(). Which
/// items slip is a choice; under FIFO it is the oldest items of the backlog built while the
/// staffing is short (at the peaks), and every item behind a late one waits for it.
///
/// A share goal per day: required_backlog_agents_share_per_day(). Not done (issue 12): a
/// deadline counted in working hours only; wfm::schedule does not yet read `cumulative_agent_time_s` (they are necessary
/// conditions measured from the start of the horizon; the full condition for an arbitrary
/// staffing is D(t) >= A(t - d) on the evaluated curves, which evaluate_backlog() checks).
///
/// Times in seconds; volumes are items per interval of `interval_length` [s].

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <wfm/core/status.hpp>

namespace wfm::queueing {

/// Tuning constant of the backlog model.
struct BacklogPolicy {
  /// An item whose delay exceeds the deadline by at most this fraction of the deadline counts
  /// as on time (just-in-time staffing puts delays exactly at the deadline; rounding would
  /// otherwise decide).
  double deadline_tolerance = 1e-9;
  /// A backlog of at most this fraction of the items arrived so far counts as empty (rounding
  /// of agents x interval / handle time would otherwise leave 1e-15 items with an age).
  double empty_tolerance = 1e-12;
};

/// Deferrable work over a horizon of equal intervals.
struct BacklogWork {
  std::span<const double> volumes;  ///< items arriving per interval (>= 0, finite)
  double handle_time = 0.0;         ///< work per item [s] (> 0)
  double interval_length = 0.0;     ///< [s] (>= 1)
  double deadline = 0.0;            ///< an item is on time if done within this of arriving [s]
};

/// The backlog over the horizon at a given staffing (evaluate_backlog()).
struct BacklogResult {
  std::vector<double> handled;       ///< items done in the interval
  std::vector<double> backlog;       ///< items waiting at the end of the interval
  std::vector<double> oldest_age_s;  ///< age of the oldest waiting item at the end [s] (0: none)
  /// Share of the interval's arrivals done within the deadline, among those whose fate is known
  /// in the horizon (done, or still waiting when their deadline passed); 1 when there are none.
  std::vector<double> within_deadline;
  std::vector<double> occupancy;  ///< work done / agent time available (0 when no agents)
  double within_deadline_total = 1.0;  ///< the same share over the whole horizon
  double carried_over = 0.0;  ///< items still waiting at the end of the horizon
  double pending = 0.0;       ///< of those, items whose deadline falls after the horizon
  [[nodiscard]] std::size_t size() const noexcept { return backlog.size(); }
};

/// The backlog, oldest items' age and share on time at `agents` [agents per interval, >= 0,
/// real-valued] (FIFO fluid model, see the file comment).
///
/// **Example** (hand-checked in the tests): 10 items in the first hour, 360 s each, half an
/// agent every hour: 5 items done per hour; item x is done 360 x s after arriving, so half are
/// done within a deadline of 30 minutes and the oldest waiting item at 01:00 is 1,800 s old.
///
///     std::vector<double> v{10, 0, 0, 0}, a{0.5, 0.5, 0.5, 0.5};
///     BacklogResult r = evaluate_backlog({v, 360.0, 3600.0, 1800.0}, a);
///     // r.within_deadline_total == 0.5, r.backlog[0] == 5, r.oldest_age_s[0] == 1800
///
/// \throws InvalidArgument if a volume or an agents value is < 0 or not finite, handle_time or
///         deadline <= 0 or not finite, interval_length < 1 s, or agents has another length.
[[nodiscard]] BacklogResult evaluate_backlog(const BacklogWork& work,
                                             std::span<const double> agents,
                                             const BacklogPolicy& policy = {});

/// The least staffing that does every item within the deadline (required_backlog_agents()).
struct BacklogStaffing {
  std::vector<double> agents_required;  ///< agents per interval (real-valued) [agents]
  /// Least work done from the start of the horizon to the end of each interval [agent-s]: any
  /// staffing meeting the deadline does at least this much by then.
  std::vector<double> cumulative_agent_time_s;
  BacklogResult outcome;  ///< evaluate_backlog() at agents_required
  /// required_backlog_agents_share_per_day() only: the share on time of each day's arrivals
  /// (days of intervals_per_day intervals from the start; the last may be shorter).
  std::vector<double> day_within_deadline;
  wfm::Status status = wfm::Status::ok;  ///< ok, or infeasible (some items cannot make it)
  std::string message;                   ///< why, when infeasible
};

/// The least staffing per interval with which every item is done within `work.deadline`,
/// with agents only in the `open` intervals (working hours; empty: all open): "just in time",
/// each interval does exactly the work falling due by its end that no later open interval can
/// do, and never more than has arrived. It is the pointwise least cumulative work curve
/// (Newell 1982, ch. 2: D(t) >= A(t - d) for all t, and D <= A), so every other staffing
/// meeting the deadline does at least as much work by the end of every interval; the totals
/// equal volume x handle time over the items due in the horizon.
///
/// The deadline must be a whole number of intervals (then A(t - d) is linear within each
/// interval and the end of each interval is the binding point).
///
/// Items that arrive too close to a closing (their deadline passes before any open interval
/// can reach them) cannot make it: the result is then `Status::infeasible`, with the staffing
/// that does them in the first open interval after their deadline, and the share on time in
/// `outcome`.
///
/// **Example** (hand-checked in the tests): 10 items of 360 s in the first hour, a deadline of
/// 2 hours: no agent in hours 0 and 1, one agent in hour 2; every item is done exactly 2 h
/// after it arrived.
///
/// \throws InvalidArgument as evaluate_backlog(), if the deadline is not a whole positive
///         number of intervals, or `open` has another length.
[[nodiscard]] BacklogStaffing required_backlog_agents(const BacklogWork& work,
                                                      const std::vector<bool>& open = {},
                                                      const BacklogPolicy& policy = {});

/// The least **level** staffing (the same number of agents in every open interval, real-valued)
/// with which at least a share `goal` of the items is done within `work.deadline` over the
/// horizon, FIFO: the share is within_deadline_total of evaluate_backlog() (items done, or
/// still waiting when their deadline passed, count; items whose deadline falls after the horizon
/// are pending and do not). Which items slip: those that FIFO leaves late when the level is
/// below the peak's need, i.e. the oldest items of the backlog that builds up in the peaks
/// (the work is carried into the quieter intervals after them, never dropped).
///
/// Why a level and not a shape: under FIFO any lag of the cumulative work curve behind the
/// due curve A(t - d) makes every item late until the curve catches up, so a share below 1
/// comes from letting the backlog build in the peaks and drain after them; the least *level*
/// is the one number a back-office team is staffed by, and it is exact: every item's
/// completion time falls as the level rises (the reflected curve D grows with the capacity,
/// Newell 1982, ch. 2), so the share is non-decreasing in the level and the least level is
/// bracketed and bisected to `tolerance` agents (the returned level meets the goal).
///
/// With goal = 1 this is the least level doing every item on time (compare
/// required_backlog_agents(), the least cumulative work, which varies by interval). If even the
/// level that does every item in the interval it arrives (max volume x handle time /
/// interval_length, open intervals) misses the goal (items arrive too close to a closing),
/// the result is `Status::infeasible` with that level.
///
/// \throws InvalidArgument as evaluate_backlog(), if goal is not in (0, 1], tolerance <= 0, or
///         `open` has another length.
[[nodiscard]] BacklogStaffing required_backlog_agents_share(const BacklogWork& work, double goal,
                                                            const std::vector<bool>& open = {},
                                                            double tolerance = 1e-6,
                                                            const BacklogPolicy& policy = {});

/// A share goal **per day**: a level per day (the same agents in every open interval of the
/// day, real-valued) such that, for every day, at least a share `goal` of the items arriving
/// that day is done within `work.deadline` (FIFO; items settled in the horizon count, as in
/// evaluate_backlog(); a day is `intervals_per_day` intervals from the start of the horizon).
/// The horizon-wide goal of required_backlog_agents_share() lets a quiet day's easy items
/// pay for a busy day's late ones; this one does not.
///
/// Days are coupled: a day's late items are done after the next day's opening, at the next
/// day's level, and FIFO puts them ahead of that day's items. The definition chosen:
///   1. forward pass, day by day in calendar order: the least level of day d (bisected to
///      `tolerance`) that meets day d's goal with the earlier days at their chosen levels and
///      the later days provisionally at the same level as day d;
///   2. repair pass, in order: a day that misses its goal at the final levels (its spill-over
///      met a lower level the next day) raises its own level to the least that meets it.
/// Raising a level never lowers a share (every completion time falls; Newell 1982, ch. 2), so
/// one repair pass leaves every day meeting its goal, and no day's level can be lowered alone
/// without some day missing its goal (the forward pass's day misses, or the day it spills
/// into). Not a least total: a day may carry its spill-over where a higher level on the next
/// day would cost less. Without spill-over (each day's backlog cleared before the next day)
/// every day's level is its own least level, independent of the others.
///
/// Status infeasible if some day misses even at the level that does every item in the
/// interval it arrives (items too close to a closing); `message` names the first such day.
/// Cost: about 2 x days x log2(max level / tolerance) evaluations of the whole horizon.
///
/// **Example** (hand-worked in the tests): days of 4 hours, 10 items of 360 s in the first
/// hour of day 0 and 20 in the first hour of day 1, a deadline of 30 minutes and a goal of
/// 0.8: levels 8/13 and 16/13 agents; one level for the horizon's share would leave day 1
/// below the goal.
///
/// \throws InvalidArgument as required_backlog_agents_share(), or if intervals_per_day < 1.
[[nodiscard]] BacklogStaffing required_backlog_agents_share_per_day(
    const BacklogWork& work, double goal, std::size_t intervals_per_day,
    const std::vector<bool>& open = {}, double tolerance = 1e-6,
    const BacklogPolicy& policy = {});

}  // namespace wfm::queueing
