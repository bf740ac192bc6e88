// Hand-checkable cases of the engine's rules: deterministic arrivals (a trace) and deterministic
// durations (an empirical sample with one value), so every number below is worked out by hand
// in the comments. Two replications of a deterministic model give identical values and a
// half-width of exactly 0.
#include <cstddef>
#include <utility>
#include <vector>

#include <wfm/simulation/simulator.hpp>

#include "support/catch.hpp"

using namespace wfm::simulation;
using wfm::BreakSpan;
using wfm::Roster;
using wfm::ShiftSpan;
using D = wfm::queueing::ServiceLevelDefinition;
using Catch::Matchers::WithinAbs;

namespace {
RunOptions two_reps(std::vector<double> targets = {20.0}) {
  RunOptions o;
  o.replications = 2;
  o.threads = 1;
  o.target_times = std::move(targets);
  return o;
}
/// Calls at `arrivals` [s] only (a trace, no Poisson arrivals), each `handle` s long, over
/// `intervals` intervals of `length` s; staffing and patience are the caller's.
Scenario traced(double length, std::size_t intervals, std::vector<double> arrivals,
                double handle) {
  Scenario s;
  s.interval_length = length;
  s.arrival_rate.assign(intervals, 0.0);
  s.arrival_times = std::move(arrivals);
  s.handle_time = Distribution::empirical({handle});
  return s;
}
double sl(const SimulationResult& r, std::size_t interval, D d, double t) {
  const int k = r.service_level_index(d, t);
  REQUIRE(k >= 0);
  return r.intervals[interval].service_level[static_cast<std::size_t>(k)].value;
}
}  // namespace

TEST_CASE("per-interval staffing: a falling count lets the busy agent finish (overtime)",
          "[simulation][semantics]") {
  Scenario s = traced(100.0, 2, {10.0, 20.0}, 50.0);
  s.staffing = std::vector<int>{1, 0};
  const auto r = simulate(s, two_reps());
  // Call 1: answered at 10, done at 60. Call 2: waits 10 -> 60 (40 s), done at 110: the agent
  // works 10 s of overtime into interval 1, where the staffing is 0.
  CHECK(r.intervals[0].volume.value == 2.0);
  CHECK(r.intervals[0].answered.value == 2.0);
  CHECK(r.intervals[0].volume.half_width == 0.0);
  CHECK_THAT(r.intervals[0].asa_answered_s.value, WithinAbs(20.0, 1e-12));
  CHECK_THAT(r.intervals[0].asa_s.value, WithinAbs(20.0, 1e-12));
  CHECK_THAT(sl(r, 0, D::answered_within, 20.0), WithinAbs(0.5, 1e-12));
  // Busy [10, 100) of 100 s available; interval 1: busy and available [100, 110).
  CHECK_THAT(r.intervals[0].occupancy.value, WithinAbs(0.9, 1e-12));
  CHECK_THAT(r.intervals[1].occupancy.value, WithinAbs(1.0, 1e-12));
  CHECK(r.intervals[0].occupancy.half_width == 0.0);
  // Interval 1 has no calls: limit values.
  CHECK(r.intervals[1].volume.value == 0.0);
  CHECK(sl(r, 1, D::answered_within, 20.0) == 1.0);
  CHECK(r.intervals[1].asa_s.value == 0.0);
  CHECK_THAT(r.total.occupancy.value, WithinAbs(100.0 / 110.0, 1e-12));
}

TEST_CASE("per-interval staffing: free agents leave first",
          "[simulation][semantics]") {
  // 2 agents in [0,100): call A at 10 (done 160). At 100 the count drops to 1: the free agent
  // leaves, A's agent stays. At 200 it rises to 2. Call B at 150: A's agent is busy -> waits
  // until 160 (10 s). Call C at 205: the new agent takes it at once.
  Scenario s = traced(100.0, 3, {10.0, 150.0, 205.0}, 150.0);
  s.staffing = std::vector<int>{2, 1, 2};
  const auto r = simulate(s, two_reps({5.0, 10.0}));
  CHECK_THAT(r.intervals[1].asa_answered_s.value, WithinAbs(10.0, 1e-12));
  CHECK(sl(r, 1, D::answered_within, 5.0) == 0.0);
  CHECK(sl(r, 1, D::answered_within, 10.0) == 1.0);
  CHECK(r.intervals[2].asa_answered_s.value == 0.0);
  // Available time: 200 in [0,100), 100 in [100,200), 200 in [200,300).
  // Busy: [10,100) = 90; [100,160) + [160,200) = 100; B until 310 and C from 205: 100 + 95.
  CHECK_THAT(r.intervals[0].occupancy.value, WithinAbs(90.0 / 200.0, 1e-12));
  CHECK_THAT(r.intervals[1].occupancy.value, WithinAbs(100.0 / 100.0, 1e-12));
  CHECK_THAT(r.intervals[2].occupancy.value, WithinAbs(195.0 / 200.0, 1e-12));
}

TEST_CASE("per-interval staffing: at a cut a busy agent leaves after the call, the stayer answers",
          "[simulation][semantics]") {
  // End-of-shift rule (scenario.hpp). Agents come on duty in index order and the free list is
  // last in, first out: A (at 10) goes to agent 1 (done 260), B (at 50) to agent 0 (done 300).
  // At 100 the count falls 2 -> 1 with nobody free: the busy agent of lowest index (0, B's)
  // takes nothing new and leaves at 300; agent 1 stays. C (at 120) is answered by agent 1 when
  // A ends at 260 (wait 140). Under the former rule the first agent to finish (agent 1, at 260)
  // left and C waited for agent 0 until 300 (wait 180).
  Scenario s = traced(100.0, 3, {10.0, 50.0, 120.0}, 250.0);
  s.staffing = std::vector<int>{2, 1, 1};
  RunOptions o = two_reps();
  o.keep_contact_log = true;
  const auto r = simulate(s, o);
  CHECK_THAT(r.intervals[1].asa_answered_s.value, WithinAbs(140.0, 1e-12));
  REQUIRE(r.contact_log.size() == 3);
  const auto& log = r.contact_log;  // in the order resolved: A, B at once, C at 260
  CHECK(log[0].agent == 1);
  CHECK(log[1].agent == 0);
  CHECK(log[2].agent == 1);
  CHECK_THAT(log[2].wait, WithinAbs(140.0, 1e-12));
  // Interval 2 [200, 300): agent 0 in overtime (busy and available 100 s), agent 1 busy.
  CHECK_THAT(r.intervals[2].occupancy.value, WithinAbs(1.0, 1e-12));
}

TEST_CASE("per-interval staffing: a rise brings a new agent; a leaving agent is not called back",
          "[simulation][semantics]") {
  // As above, A -> agent 1 (done 260), B -> agent 0 (done 300); the cut at 100 makes agent 0
  // leave after B. At 200 the count rises 1 -> 2: every agent is on duty or finishing a call,
  // so a third agent (2) starts and answers C (at 210) at once. (Under the former rule the
  // rise cancelled agent 0's leave and C waited until 260.)
  Scenario s = traced(100.0, 3, {10.0, 50.0, 210.0}, 250.0);
  s.staffing = std::vector<int>{2, 1, 2};
  RunOptions o = two_reps();
  o.keep_contact_log = true;
  const auto r = simulate(s, o);
  CHECK(r.intervals[2].asa_answered_s.value == 0.0);
  REQUIRE(r.contact_log.size() == 3);
  CHECK(r.contact_log[2].agent == 2);
  // Interval 2 [200, 300): available 100 s each (agent 0 in overtime until 300); busy: agent 0
  // 100, agent 1 60 (A until 260), agent 2 90 (C from 210): 250 / 300.
  CHECK_THAT(r.intervals[2].occupancy.value, WithinAbs(250.0 / 300.0, 1e-12));
}

TEST_CASE("multi-contact loop: a rise brings a new agent; a leaving agent is not called back",
          "[simulation][semantics]") {
  // The case above through the multi-contact loop (src/simulation/contact_engine.cpp: chat
  // concurrency 1, handle-time factor 1, so Scenario::uses_contact_features()): A (10) and B
  // (50) each take an agent until 260 and 300; the cut at 100 (2 -> 1, nobody free) makes one
  // of them take nothing new and leave after its call. At 200 the count rises 1 -> 2: an agent
  // who is off starts and answers C (210) at once. Under the loop's former rule the rise
  // called the leaving agent back, who was still busy, so C waited until 260 (50 s).
  Scenario s = traced(100.0, 3, {10.0, 50.0, 210.0}, 250.0);
  s.handle_time_factors = {1.0};
  s.staffing = std::vector<int>{2, 1, 2};
  REQUIRE(s.uses_contact_features());
  const auto r = simulate(s, two_reps());
  REQUIRE(r.multi_contact);
  CHECK(r.intervals[2].answered.value == 1.0);
  CHECK(r.intervals[2].asa_answered_s.value == 0.0);
  CHECK(sl(r, 2, D::answered_within, 20.0) == 1.0);
  // the cut itself: B's or A's agent finishes in overtime, nobody waits in interval 0
  CHECK(r.intervals[0].asa_answered_s.value == 0.0);
}

TEST_CASE("roster: a break starts after the current call and lasts its full length",
          "[simulation][semantics]") {
  Scenario s = traced(300.0, 1, {10.0, 40.0}, 50.0);
  Roster roster;
  roster.horizon_length = 300.0;
  roster.shifts.push_back(ShiftSpan{0.0, 300.0, {BreakSpan{30.0, 20.0}}, 1});
  s.staffing = roster;
  const auto r = simulate(s, two_reps());
  // Busy 10..60 when the break is due at 30: the break runs 60..80. Call 2 (arrived at 40)
  // is answered at 80 (wait 40) and done at 130.
  CHECK_THAT(r.intervals[0].asa_answered_s.value, WithinAbs(20.0, 1e-12));
  // Available [0,60) + [80,300) = 280 s; busy 100 s.
  CHECK_THAT(r.intervals[0].occupancy.value, WithinAbs(100.0 / 280.0, 1e-12));
}

TEST_CASE("roster: a free agent starts the break at once; the break ends at the shift end",
          "[simulation][semantics]") {
  Scenario s = traced(100.0, 2, {35.0}, 10.0);
  s.patience = Distribution::empirical({1000.0});
  Roster roster;
  roster.horizon_length = 200.0;
  // Agent 1: [0, 200) with a break at 30 for 20 s. Agent 2: [0, 40) with a break at 20 that
  // would last 100 s but is cut by the shift end at 40.
  roster.shifts.push_back(ShiftSpan{0.0, 200.0, {BreakSpan{30.0, 20.0}}, 1});
  roster.shifts.push_back(ShiftSpan{0.0, 40.0, {BreakSpan{20.0, 100.0}}, 1});
  s.staffing = roster;
  const auto r = simulate(s, two_reps());
  // At 35 both agents are away: the call waits until agent 1 returns at 50 (wait 15).
  CHECK_THAT(r.intervals[0].asa_answered_s.value, WithinAbs(15.0, 1e-12));
  // Available: agent 1 [0,30) + [50,100) = 80; agent 2 [0,20) = 20 -> 100 in interval 0.
  // Busy [50, 60) = 10.
  CHECK_THAT(r.intervals[0].occupancy.value, WithinAbs(10.0 / 100.0, 1e-12));
  CHECK_THAT(r.intervals[1].occupancy.value, WithinAbs(0.0, 1e-12));
}

TEST_CASE("roster: a shift end during a call means overtime; later calls are unserved",
          "[simulation][semantics]") {
  Scenario s = traced(100.0, 2, {90.0, 120.0}, 50.0);
  Roster roster;
  roster.horizon_length = 200.0;
  roster.shifts.push_back(ShiftSpan{0.0, 100.0, {}, 1});
  s.staffing = roster;
  const auto r = simulate(s, two_reps());
  // Call 1 answered at 90, done at 140 (40 s of overtime). Call 2 at 120: nobody will come.
  CHECK(r.intervals[0].answered.value == 1.0);
  CHECK(r.intervals[1].volume.value == 1.0);
  CHECK(r.intervals[1].answered.value == 0.0);
  CHECK(r.intervals[1].unserved.value == 1.0);
  CHECK(sl(r, 1, D::answered_within, 20.0) == 0.0);
  CHECK_THAT(r.intervals[0].occupancy.value, WithinAbs(10.0 / 100.0, 1e-12));
  CHECK_THAT(r.intervals[1].occupancy.value, WithinAbs(1.0, 1e-12));
}

TEST_CASE("abandonment: stale timers, short abandons and the virtual wait of a ghost",
          "[simulation][semantics]") {
  // A at 0 (answered at once, done 100, its timer at 5 is stale). B at 10 and C at 20 abandon
  // at 15 and 25; an agent would have reached both at 100: V_B = 90, V_C = 80.
  // D at 30 has patience 5 too but... all patience values are 5: D abandons at 35, V_D = 70.
  Scenario s = traced(1000.0, 1, {0.0, 10.0, 20.0, 30.0}, 100.0);
  s.patience = Distribution::empirical({5.0});
  s.staffing = std::vector<int>{1};
  const auto r = simulate(s, two_reps({5.0, 75.0, 85.0, 95.0}));
  const auto& m = r.intervals[0];
  CHECK(m.volume.value == 4.0);
  CHECK(m.answered.value == 1.0);
  CHECK(m.abandoned.value == 3.0);
  CHECK_THAT(m.abandon_rate.value, WithinAbs(0.75, 1e-12));
  CHECK_THAT(m.asa_s.value, WithinAbs(15.0 / 4.0, 1e-12));
  CHECK_THAT(m.asa_answered_s.value, WithinAbs(0.0, 1e-12));
  CHECK_THAT(sl(r, 0, D::answered_within, 5.0), WithinAbs(0.25, 1e-12));
  CHECK_THAT(sl(r, 0, D::answered_given_answered, 5.0), WithinAbs(1.0, 1e-12));
  CHECK_THAT(sl(r, 0, D::wait_within, 5.0), WithinAbs(1.0, 1e-12));
  CHECK_THAT(sl(r, 0, D::virtual_wait_within, 5.0), WithinAbs(0.25, 1e-12));
  CHECK_THAT(sl(r, 0, D::virtual_wait_within, 75.0), WithinAbs(0.5, 1e-12));
  CHECK_THAT(sl(r, 0, D::virtual_wait_within, 85.0), WithinAbs(0.75, 1e-12));
  CHECK_THAT(sl(r, 0, D::virtual_wait_within, 95.0), WithinAbs(1.0, 1e-12));
}

TEST_CASE("warm-up calls are simulated but not counted", "[simulation][semantics]") {
  Scenario s;
  s.interval_length = 100.0;
  s.arrival_rate = {0.5};
  s.handle_time = Distribution::exponential(1.0);
  s.staffing = std::vector<int>{5};
  RunOptions o = two_reps();
  o.warmup = 1000.0;
  const auto with = simulate(s, o);
  o.warmup = 0.0;
  const auto without = simulate(s, o);
  // The horizon holds ~50 calls, the warm-up ~500: counts must stay near 50 (a count above 200
  // would need a Poisson(50) deviation of 21 sd).
  CHECK(with.intervals[0].volume.value < 200.0);
  CHECK(without.intervals[0].volume.value < 200.0);
  CHECK(with.events > without.events);
}

TEST_CASE("cyclic roster: a shift past the horizon end wraps to its start",
          "[simulation][semantics]") {
  Scenario s = traced(100.0, 2, {10.0, 60.0}, 20.0);
  Roster roster;
  roster.horizon_length = 200.0;
  roster.cyclic = true;
  roster.shifts.push_back(ShiftSpan{150.0, 250.0, {}, 1});  // works [150, 200) and [0, 50)
  s.staffing = roster;
  const auto r = simulate(s, two_reps());
  // Call 1 at 10: the wrapped part of the shift is on duty -> answered at once (done 30).
  // Call 2 at 60: nobody until 150 -> wait 90 (done 170).
  CHECK_THAT(r.intervals[0].asa_answered_s.value, WithinAbs(45.0, 1e-12));
  CHECK_THAT(r.intervals[0].occupancy.value, WithinAbs(20.0 / 50.0, 1e-12));
  CHECK_THAT(r.intervals[1].occupancy.value, WithinAbs(20.0 / 50.0, 1e-12));
  // A non-cyclic roster does not wrap: call 1 then waits until 150 as well.
  roster.cyclic = false;
  s.staffing = roster;
  const auto r2 = simulate(s, two_reps());
  CHECK_THAT(r2.intervals[0].asa_answered_s.value, WithinAbs((140.0 + 110.0) / 2.0, 1e-12));
}
