#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <random>
#include <vector>

#include <wfm/core/error.hpp>
#include <wfm/queueing/backlog.hpp>

#include "support/catch.hpp"

using namespace wfm::queueing;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

// Every reference value below is worked out by hand in the comment above it, from the cumulative
// curves (Newell 1982, ch. 2: delay of item x = horizontal distance between A and D).

// 10 items per quarter-hour of 90 s each and 1 agent: capacity 900 / 90 = 10 items per
// interval = the arrivals, at the same constant rate, so D = A: no backlog, no delay.
TEST_CASE("backlog: capacity equal to arrivals keeps no backlog", "[queueing][backlog]") {
  const std::vector<double> v{10, 10, 10}, agents{1, 1, 1};
  const BacklogResult r = evaluate_backlog({v, 90.0, 900.0, 60.0}, agents);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK_THAT(r.handled[i], WithinRel(10.0, 1e-12));
    CHECK_THAT(r.backlog[i], WithinAbs(0.0, 1e-12));
    CHECK(r.oldest_age_s[i] == 0.0);
    CHECK_THAT(r.occupancy[i], WithinRel(1.0, 1e-12));
  }
  CHECK(r.within_deadline_total == 1.0);
  CHECK(r.carried_over == 0.0);
}

// 10 items in hour 0 (item x arrives at 360 x s), 360 s each, half an agent all day: 5 items
// per hour, item x done at 720 x s, delay 360 x s. Backlog at 01:00: 10 - 5 = 5; the oldest
// waiting item is x = 5, arrived at 1,800 s, so 1,800 s old. On time: x <= d / 360, i.e. the
// share min(1, d / 3600): 0.25 at 900 s, 0.5 at 1,800 s, 1 at 3,600 s.
TEST_CASE("backlog: a burst worked off at half an agent (hand-checked)", "[queueing][backlog]") {
  const std::vector<double> v{10, 0, 0, 0}, agents{0.5, 0.5, 0.5, 0.5};
  const BacklogResult r = evaluate_backlog({v, 360.0, 3600.0, 1800.0}, agents);
  CHECK_THAT(r.handled[0], WithinRel(5.0, 1e-12));
  CHECK_THAT(r.handled[1], WithinRel(5.0, 1e-12));
  CHECK_THAT(r.backlog[0], WithinRel(5.0, 1e-12));
  CHECK(r.backlog[1] == 0.0);
  CHECK_THAT(r.oldest_age_s[0], WithinRel(1800.0, 1e-12));
  CHECK(r.oldest_age_s[1] == 0.0);
  CHECK_THAT(r.occupancy[0], WithinRel(1.0, 1e-12));
  CHECK(r.occupancy[2] == 0.0);
  CHECK_THAT(r.within_deadline_total, WithinRel(0.5, 1e-8));  // deadline_tolerance 1e-9
  CHECK_THAT(r.within_deadline[0], WithinRel(0.5, 1e-8));
  CHECK(r.within_deadline[1] == 1.0);  // no arrivals
  for (auto [deadline, share] : {std::pair{900.0, 0.25}, {3600.0, 1.0}, {5000.0, 1.0}}) {
    INFO("deadline " << deadline);
    CHECK_THAT(evaluate_backlog({v, 360.0, 3600.0, deadline}, agents).within_deadline_total,
               WithinRel(share, 1e-8));
  }
}

// Nobody works: item x arrives at 360 x s (x in [0, 10]) and is never done. With a deadline of
// 1,800 s every deadline (<= 5,400 s) passes inside the 2-hour horizon: share 0, 10 carried
// over. With 5,400 s only the items arrived by 1,800 s (x <= 5) are known to be late; the other
// 5 are pending and left out of the share.
TEST_CASE("backlog: work left at the end of the horizon", "[queueing][backlog]") {
  const std::vector<double> v{10, 0}, agents{0, 0};
  const BacklogResult r = evaluate_backlog({v, 360.0, 3600.0, 1800.0}, agents);
  CHECK(r.within_deadline_total == 0.0);
  CHECK_THAT(r.carried_over, WithinRel(10.0, 1e-12));
  CHECK(r.pending == 0.0);
  CHECK_THAT(r.oldest_age_s[1], WithinRel(7200.0, 1e-12));
  const BacklogResult p = evaluate_backlog({v, 360.0, 3600.0, 5400.0}, agents);
  CHECK(p.within_deadline_total == 0.0);
  CHECK_THAT(p.pending, WithinRel(5.0, 1e-12));
}

// 10 items of 360 s in hour 0, deadline 2 h: what falls due by the end of hour 2 is what
// arrived by 00:00 + 1 h = all 10 items, 3,600 agent-s of work: 1 agent in hour 2, none before
// or after. Item x (arrived 360 x s) is done at 7,200 + 360 x s: every delay is exactly 2 h.
TEST_CASE("backlog staffing: just in time (hand-checked)", "[queueing][backlog]") {
  const std::vector<double> v{10, 0, 0, 0};
  const BacklogStaffing s = required_backlog_agents({v, 360.0, 3600.0, 7200.0});
  REQUIRE(s.status == wfm::Status::ok);
  const std::vector<double> expect{0, 0, 1, 0}, cumulative{0, 0, 3600, 3600};
  for (std::size_t i = 0; i < 4; ++i) {
    CHECK_THAT(s.agents_required[i], WithinAbs(expect[i], 1e-12));
    CHECK_THAT(s.cumulative_agent_time_s[i], WithinAbs(cumulative[i], 1e-9));
  }
  CHECK(s.outcome.within_deadline_total == 1.0);
  CHECK_THAT(s.outcome.oldest_age_s[1], WithinRel(7200.0, 1e-12));
  // one agent less in hour 2 misses: 0.9 agents do 9 items by 03:00, item x done at
  // 7,200 + 400 x s, late for every x > 0
  const std::vector<double> fewer{0, 0, 0.9, 0.1};
  CHECK(evaluate_backlog({v, 360.0, 3600.0, 7200.0}, fewer).within_deadline_total < 0.01);
}

// Working hours: 10 items arrive in hour 1, deadline 1 h. Open in hours 0, 1 and 3: the work due
// at 03:00 cannot wait for hour 3 (hour 2 is closed), so hour 1 does it as it arrives: 1 agent.
// Open only in hours 0 and 3: nothing can reach the items before their deadline; they are done
// in hour 3 (item x arrives at 3,600 + 360 x, done at 10,800 + 360 x: 2 h late), infeasible.
TEST_CASE("backlog staffing: closed intervals and items that cannot make it",
          "[queueing][backlog]") {
  const std::vector<double> v{0, 10, 0, 0};
  const BacklogStaffing s = required_backlog_agents({v, 360.0, 3600.0, 3600.0},
                                                    {true, true, false, true});
  REQUIRE(s.status == wfm::Status::ok);
  CHECK_THAT(s.agents_required[1], WithinRel(1.0, 1e-12));
  CHECK(s.agents_required[0] == 0.0);
  CHECK(s.agents_required[3] == 0.0);
  CHECK(s.outcome.within_deadline_total == 1.0);
  const BacklogStaffing late = required_backlog_agents({v, 360.0, 3600.0, 3600.0},
                                                       {true, false, false, true});
  CHECK(late.status == wfm::Status::infeasible);
  CHECK(!late.message.empty());
  CHECK_THAT(late.agents_required[3], WithinRel(1.0, 1e-12));
  CHECK(late.outcome.within_deadline_total == 0.0);
}

// Properties on random days: the just-in-time staffing meets the deadline, does exactly the
// work due in the horizon (volume x handle time of the items arrived by T - d), and is minimal:
// taking 1 % from any interval that works makes some item late.
TEST_CASE("backlog staffing: meets the deadline and is minimal (random days)",
          "[queueing][backlog]") {
  std::mt19937_64 rng(12);
  std::uniform_real_distribution<double> u(0.0, 40.0);
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<double> v(32);
    for (double& x : v) x = trial % 3 == 0 && u(rng) < 10.0 ? 0.0 : u(rng);
    const std::size_t m = 1 + static_cast<std::size_t>(trial % 8);
    const BacklogWork w{v, 240.0, 900.0, 900.0 * static_cast<double>(m)};
    const BacklogStaffing s = required_backlog_agents(w);
    INFO("trial " << trial << " m " << m);
    REQUIRE(s.status == wfm::Status::ok);
    CHECK(s.outcome.within_deadline_total > 1.0 - 1e-12);  // every delay is d, up to rounding
    double work = 0.0, due = 0.0;
    for (std::size_t i = 0; i < v.size(); ++i) work += s.agents_required[i] * 900.0;
    for (std::size_t i = 0; i + m < v.size(); ++i) due += v[i] * 240.0;
    CHECK_THAT(work, WithinRel(due, 1e-9));
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (s.agents_required[i] < 1e-6) continue;
      std::vector<double> less = s.agents_required;
      less[i] *= 0.99;
      CHECK(evaluate_backlog(w, less).within_deadline_total < 1.0 - 1e-6);
    }
  }
}

// An independent method: K discrete items per unit of volume, spread evenly over their
// interval, served one after another (FIFO) at the interval's work rate (agents per second of
// time); the share of those on time tends to the fluid share as K grows (error O(1/K)).
namespace {
double discrete_share(const std::vector<double>& v, const std::vector<double>& agents, double h,
                      double len, double deadline, int k) {
  double free_at = 0.0;  // when the server has finished the previous item
  auto finish = [&](double start, double work) {  // agent-seconds of work from `start`
    double t = start;
    for (auto i = static_cast<std::size_t>(t / len); i < v.size(); ++i) {
      const double end = static_cast<double>(i + 1) * len, rate = agents[i];
      if (rate * (end - t) >= work) return t + work / rate;
      work -= rate * (end - t);
      t = end;
    }
    return std::numeric_limits<double>::infinity();
  };
  double on_time = 0.0, total = 0.0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const auto count = static_cast<int>(std::lround(v[i] * k));
    for (int j = 0; j < count; ++j) {
      const double arrive = (static_cast<double>(i) + (j + 0.5) / count) * len;
      free_at = finish(std::max(free_at, arrive), h / k);
      total += 1.0;
      if (free_at - arrive <= deadline) on_time += 1.0;
    }
  }
  return on_time / total;
}
}  // namespace

TEST_CASE("backlog: fluid share agrees with many small discrete items", "[queueing][backlog]") {
  const std::vector<double> v{30, 50, 10, 0, 20, 40, 5, 0};
  const std::vector<double> agents{2.2, 3.1, 2.7, 1.0, 1.6, 2.3, 2.5, 3.0};
  for (double deadline : {500.0, 1200.0, 1700.0}) {
    const double fluid =
        evaluate_backlog({v, 180.0, 1800.0, deadline}, agents).within_deadline_total;
    const double discrete = discrete_share(v, agents, 180.0, 1800.0, deadline, 200);
    INFO("deadline " << deadline << " fluid " << fluid << " discrete " << discrete);
    CHECK(fluid > 0.05);
    CHECK(fluid < 0.999);
    CHECK_THAT(fluid, WithinAbs(discrete, 2e-3));  // O(1/K) with K = 200 items per unit
  }
}

TEST_CASE("backlog: bad input names the argument", "[queueing][backlog]") {
  const std::vector<double> v{1, 2}, a{1, 1}, bad{-1, 2};
  CHECK_THROWS_AS(evaluate_backlog({bad, 60.0, 900.0, 3600.0}, a), wfm::InvalidArgument);
  CHECK_THROWS_WITH(evaluate_backlog({v, 60.0, 900.0, 3600.0}, std::vector<double>{1}),
                    Catch::Contains("agents has 1 values"));
  CHECK_THROWS_WITH(evaluate_backlog({v, 0.0, 900.0, 3600.0}, a), Catch::Contains("handle_time"));
  CHECK_THROWS_WITH(required_backlog_agents({v, 60.0, 900.0, 1000.0}),
                    Catch::Contains("whole positive number of intervals"));
  CHECK_THROWS_AS(required_backlog_agents({v, 60.0, 900.0, 900.0}, {true}), wfm::InvalidArgument);
  // absurd but finite: bounded time, finite answers
  const std::vector<double> huge{1e16, 1e300};
  const BacklogStaffing s = required_backlog_agents({huge, 1e6, 900.0, 900.0});
  CHECK(std::isfinite(s.agents_required[1]));
}

// Share goal below 1, by hand: 10 items of 360 s arrive evenly in the first hour, deadline
// 30 min, level c < 1 agents (10 c items per hour). Item x (0 <= x <= 10) arrives at x / 10 h
// and is done at x / (10 c) h, a delay of (x / 10)(1 / c - 1) h <= 1/2 h iff x <= 5 c / (1 - c):
// share = c / (2 (1 - c)). Goal 0.5: c = 1/2; goal 0.8: c = 8/13; goal 1: c = 2/3.
TEST_CASE("backlog share goal: least level by hand", "[queueing][backlog]") {
  const std::vector<double> v{10, 0, 0, 0};
  const BacklogWork w{v, 360.0, 3600.0, 1800.0};
  struct Case {
    double goal, level;
  };
  for (const Case& c : {Case{0.5, 0.5}, Case{0.8, 8.0 / 13.0}, Case{1.0, 2.0 / 3.0}}) {
    const BacklogStaffing s = required_backlog_agents_share(w, c.goal, {}, 1e-9);
    CHECK(s.status == wfm::Status::ok);
    CHECK_THAT(s.agents_required[0], WithinAbs(c.level, 2e-9));
    CHECK(s.agents_required[0] >= c.level - 1e-12);  // meets the goal: never below
    CHECK(s.agents_required[3] == s.agents_required[0]);
    CHECK(s.outcome.within_deadline_total >= c.goal - 1e-9);
    // a level visibly below misses the goal
    const std::vector<double> less(4, c.level - 1e-3);
    CHECK(evaluate_backlog(w, less).within_deadline_total < c.goal);
  }
  // cumulative work: everything done by the end of hour 2 at c = 1/2 (10 items x 360 s)
  const BacklogStaffing half = required_backlog_agents_share(w, 0.5, {}, 1e-9);
  CHECK_THAT(half.cumulative_agent_time_s[3], WithinRel(3600.0, 1e-9));
}

TEST_CASE("backlog share goal: closed intervals, infeasible and bad input", "[queueing][backlog]") {
  // Open hours 0..2 only; 10 items of 360 s arrive evenly in hour 2, deadline 1 h; by hand:
  // at a level c <= 1 the items x <= 10 c are done by 3 h (delay (x / 10)(1 / c - 1) h <= 1 h)
  // and the rest wait through the closed hour 3 past their deadlines (3 + x / 10 h <= 4 h):
  // share = c, so a goal of 0.9 needs c = 0.9.
  const std::vector<double> v{0, 0, 10, 0};
  const BacklogWork w{v, 360.0, 3600.0, 3600.0};
  const std::vector<bool> open{true, true, true, false};
  const BacklogStaffing s = required_backlog_agents_share(w, 0.9, open, 1e-7);
  CHECK(s.status == wfm::Status::ok);
  CHECK_THAT(s.agents_required[0], WithinAbs(0.9, 2e-7));
  CHECK(s.agents_required[3] == 0.0);
  CHECK(s.outcome.within_deadline_total >= 0.9);
  std::vector<double> less = s.agents_required;
  for (std::size_t j = 0; j < 3; ++j) less[j] -= 1e-5;
  CHECK(evaluate_backlog(w, less).within_deadline_total < 0.9);
  // items arriving in a closed hour with no open one after: share 0 at any level
  const std::vector<bool> shut{true, true, false, false};
  const BacklogStaffing bad = required_backlog_agents_share(w, 0.9, shut);
  CHECK(bad.status == wfm::Status::infeasible);
  CHECK_THROWS_AS(required_backlog_agents_share(w, 0.0), wfm::InvalidArgument);
  CHECK_THROWS_AS(required_backlog_agents_share(w, 1.5), wfm::InvalidArgument);
  CHECK_THROWS_AS(required_backlog_agents_share(w, 0.9, {true}), wfm::InvalidArgument);
}

// Share goal per day, by hand: days of 4 hours, 360 s items, deadline 30 min, goal 0.8.
// Day 0: 10 items in its first hour; at a level c the share is c / (2 (1 - c)) (the case
// above): c = 8/13. Day 1: 20 items in its first hour; item x arrives at x / 20 h and is done
// at x / (10 c) h, late iff x (1 / (10 c) - 1 / 20) > 1/2, so the share is c / (2 (2 - c)):
// c = 16/13. Neither day spills into the next (day 0's work of 3,600 s ends after 5,850 s at
// 8/13 agent, day 1's 7,200 s after 5,850 s at 16/13), so each level is the day's own least.
// One level for the horizon's share instead: 10 + 10 c / (2 - c) on time of 30 = 0.8 gives
// c = 7/6, at which day 1's share is (7/6) / (2 (2 - 7/6)) = 0.7.
TEST_CASE("backlog share goal per day: each day's least level by hand", "[queueing][backlog]") {
  const std::vector<double> v{10, 0, 0, 0, 20, 0, 0, 0};
  const BacklogWork w{v, 360.0, 3600.0, 1800.0};
  const BacklogStaffing s = required_backlog_agents_share_per_day(w, 0.8, 4, {}, 1e-9);
  REQUIRE(s.status == wfm::Status::ok);
  REQUIRE(s.day_within_deadline.size() == 2);
  CHECK_THAT(s.agents_required[0], WithinAbs(8.0 / 13.0, 2e-9));
  CHECK_THAT(s.agents_required[3], WithinAbs(8.0 / 13.0, 2e-9));
  CHECK_THAT(s.agents_required[4], WithinAbs(16.0 / 13.0, 2e-9));
  CHECK_THAT(s.agents_required[7], WithinAbs(16.0 / 13.0, 2e-9));
  for (double share : s.day_within_deadline) CHECK(share >= 0.8 - 1e-9);
  const BacklogStaffing whole = required_backlog_agents_share(w, 0.8, {}, 1e-9);
  CHECK_THAT(whole.agents_required[0], WithinAbs(7.0 / 6.0, 2e-9));
  std::vector<double> day1(whole.outcome.within_deadline.begin() + 4,
                           whole.outcome.within_deadline.end());
  CHECK_THAT(day1[0], WithinAbs(0.7, 1e-8));  // the horizon's level leaves day 1 short
  // Each level is least: lowering one day's level makes that day miss.
  for (std::size_t d = 0; d < 2; ++d) {
    std::vector<double> less = s.agents_required;
    for (std::size_t j = 4 * d; j < 4 * d + 4; ++j) less[j] -= 1e-4;
    const BacklogResult r = evaluate_backlog(w, less);
    CHECK(r.within_deadline[4 * d] < 0.8);
  }
}

// Spill-over: a 4-hour deadline, days of 2 hours over 6 hours, day 0's 20 items of 360 s
// arrive in its last hour (hour 1), days 1 and 2 are empty. Forward pass, days 1-2
// provisionally at day 0's level c: item x arrives at 1 + x / 20 h, is done at 1 + x / (10 c) h,
// on time iff x <= 80 c / (2 - c): share 4 c / (2 - c), 0.8 at c = 1/3. Days 1 and 2 have no
// arrivals: level 0. Then nothing is done after hour 1: the items x <= 10 c done in hour 1 are
// on time, the rest miss (their deadlines, 5-6 h, pass inside the horizon): share c / 2, so
// the repair pass raises day 0 to c = 1.6.
TEST_CASE("backlog share goal per day: a day carries its own spill-over", "[queueing][backlog]") {
  const std::vector<double> v{0, 20, 0, 0, 0, 0};
  const BacklogWork w{v, 360.0, 3600.0, 4.0 * 3600.0};
  const BacklogStaffing s = required_backlog_agents_share_per_day(w, 0.8, 2, {}, 1e-9);
  REQUIRE(s.status == wfm::Status::ok);
  for (std::size_t j = 2; j < 6; ++j) CHECK(s.agents_required[j] == 0.0);
  CHECK_THAT(s.agents_required[1], WithinAbs(1.6, 2e-9));
  CHECK(s.day_within_deadline[0] >= 0.8 - 1e-9);
  CHECK(s.day_within_deadline[1] == 1.0);  // no arrivals
  CHECK(s.day_within_deadline[2] == 1.0);
  const BacklogStaffing lax = required_backlog_agents_share_per_day(w, 0.1, 2, {}, 1e-9);
  CHECK_THAT(lax.agents_required[0], WithinAbs(0.2, 2e-9));  // c / 2 = 0.1
  // closed last hours make a day infeasible; bad input throws
  const std::vector<bool> shut{true, false, false, false, false, false};
  CHECK(required_backlog_agents_share_per_day(w, 0.8, 2, shut).status ==
        wfm::Status::infeasible);
  CHECK_THROWS_AS(required_backlog_agents_share_per_day(w, 0.8, 0), wfm::InvalidArgument);
  CHECK_THROWS_AS(required_backlog_agents_share_per_day(w, 0.0, 2), wfm::InvalidArgument);
}

// Absurd but finite: 1e7 items of 1e9 s per quarter-hour need levels of ~1e13 agents, where
// neighbouring doubles lie ~2e-3 apart, farther than the tolerance of 1e-6 agents: the
// bisections stop at adjacent doubles instead of looping for ever (they hung before). The
// level meets the goal: the share at the returned level is at least the goal.
TEST_CASE("backlog share goals end at absurd levels", "[queueing][backlog]") {
  const std::vector<double> v{1e7, 0, 1e7, 0, 0, 0, 0, 0};  // every deadline within the horizon
  const BacklogWork w{v, 1e9, 900.0, 1800.0};
  const BacklogStaffing whole = required_backlog_agents_share(w, 1.0, {}, 1e-6);
  CHECK(whole.status == wfm::Status::ok);
  CHECK(std::isfinite(whole.agents_required[0]));
  CHECK(whole.agents_required[0] > 1e12);
  CHECK(whole.outcome.within_deadline_total >= 1.0 - 1e-9);
  const BacklogStaffing per_day = required_backlog_agents_share_per_day(w, 1.0, 4, {}, 1e-6);
  CHECK(per_day.agents_required[0] > 1e12);
  CHECK(per_day.status == wfm::Status::ok);
  for (double share : per_day.day_within_deadline) CHECK(share >= 1.0 - 1e-9);
}

// Found by the randomized audit (tests/data/queueing/audit_omnichannel.py --backlog, seed
// 1212): two intervals of 1e308 items made the cumulative curves overflow (a NaN backlog), and
// required_backlog_agents threw on its own infinite staffing. Both are now input errors naming
// the argument; the largest workable inputs still end in numbers.
TEST_CASE("Backlog: work beyond the largest double is an input error, not a NaN",
          "[queueing][backlog]") {
  const std::vector<double> huge{1e308, 1e308}, a{1.0, 1.0};
  CHECK_THROWS_WITH(evaluate_backlog({huge, 60.0, 900.0, 900.0}, a),
                    Catch::Contains("volumes") && Catch::Contains("overflows"));
  CHECK_THROWS_WITH(required_backlog_agents({huge, 1e-300, 900.0, 900.0}),
                    Catch::Contains("volumes"));
  const std::vector<double> v{5.0, 5.0}, many{1e308, 0.0};
  CHECK_THROWS_WITH(evaluate_backlog({v, 1e-300, 900.0, 900.0}, many),
                    Catch::Contains("agents[0]"));
  const std::vector<double> big{1e300, 0.0};
  const BacklogResult r = evaluate_backlog({big, 60.0, 900.0, 900.0}, std::vector<double>{1e10, 1e10});
  for (double b : r.backlog) CHECK(std::isfinite(b));
  CHECK(std::isfinite(r.carried_over));
}
