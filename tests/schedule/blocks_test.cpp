// independent_blocks(), separable() and solve() block by block (issue 15).
#include <wfm/schedule/schedule.hpp>

#include "../../bench/schedule_family.hpp"
#include "support.hpp"

using namespace wfm::schedule;

namespace {

// Two "days" of 4 intervals, intervals 4 and 9 covered by no shift: blocks [0, 4) and [5, 9).
CoverageModel two_days(std::uint64_t seed, bool hard) {
  pcg32 rng(seed);
  CoverageModel m;
  m.requirement.resize(10);
  for (std::size_t i = 0; i < m.requirement.size(); ++i)
    m.requirement[i] = (i == 4 || i == 9) ? (hard ? 0.0 : 1.0) : 1.0 + rng(2);
  m.templates = {ShiftTemplate{.name = "A", .length = 2, .cost = 2.0, .starts = {0, 2, 5, 7}},
                 ShiftTemplate{.name = "B", .length = 4, .cost = 3.0, .starts = {0, 5}}};
  m.cover = hard ? CoverRules{.hard_cover = true, .over_cost = 0.5}
                 : CoverRules{.hard_cover = false, .under_cost = 4.0, .over_cost = 0.5};
  return m;
}

bool same(const IntervalBlock& b, int first, int length) {
  return b.first == first && b.length == length;
}

}  // namespace

TEST_CASE("blocks are the runs of intervals that shifts link", "[schedule][blocks]") {
  CoverageModel m = two_days(1, true);
  auto blocks = independent_blocks(m);
  REQUIRE(blocks.size() == 2);
  CHECK(same(blocks[0], 0, 4));
  CHECK(same(blocks[1], 5, 4));
  // Shifts over the gap (A from 3 covers 3-4, A from 4 covers 4-5) join the days.
  m.templates[0].starts = {0, 2, 3, 4, 5, 7};
  blocks = independent_blocks(m);
  REQUIRE(blocks.size() == 1);
  CHECK(same(blocks[0], 0, 9));
  // Cyclic: a shift from interval 8 wraps to 0 and 1, so the second day runs into the first.
  m = two_days(1, true);
  m.cyclic = true;
  m.templates[1].starts = {0, 5, 8};
  blocks = independent_blocks(m);
  REQUIRE(blocks.size() == 1);
  CHECK(same(blocks[0], 5, 9));  // intervals 5..9 and 0..3; only 4 is left out
  // Shifts overlapping round the clock: one cyclic run, no blocks.
  m.templates[0].starts = {0, 2, 3, 4, 5, 7};
  CHECK(independent_blocks(m).empty());
}

TEST_CASE("side constraints make a model inseparable", "[schedule][blocks]") {
  CoverageModel m = two_days(2, true);
  CHECK(separable(m));
  auto f = m;
  f.templates[0].fixed_cost = 1.0;
  CHECK_FALSE(separable(f));
  auto a = m;
  a.templates[1].max_agents = 3;
  CHECK_FALSE(separable(a));
  auto h = m;
  h.max_headcount = 9;
  CHECK_FALSE(separable(h));
  h.max_headcount = -1;
  h.min_headcount = 1;
  CHECK_FALSE(separable(h));
  auto p = m;
  p.templates[0].max_agents_per_start = 1;  // a column bound, not a side row
  CHECK(separable(p));
}

TEST_CASE("solving block by block finds the optimum of the whole", "[schedule][blocks]") {
  for (bool hard : {true, false})
    for (std::uint64_t seed = 1; seed <= 4; ++seed) {
      const CoverageModel m = two_days(seed, hard);
      INFO("hard " << hard << " seed " << seed);
      const double opt = wfm::test::brute_force_optimum(m, 3);  // independent of the solver
      const Schedule s = solve(m, {.time_limit = 5.0});
      CHECK_THAT(s.message, Catch::Matchers::Contains("2 independent blocks"));
      wfm::test::require_checked(m, s);
      CHECK(s.status == wfm::Status::optimal);
      CHECK(s.cost == Approx(opt).epsilon(1e-9));
      // The bounds are the whole model's: the LP bound the sum of the blocks'.
      CHECK(s.lp_bound == Approx(solve_lp(m).lp_bound).epsilon(1e-9));
      SolveOptions whole{.time_limit = 5.0};
      whole.policy.decompose = false;
      const Schedule w = solve(m, whole);
      CHECK_THAT(w.message, !Catch::Matchers::Contains("independent blocks"));
      CHECK(w.cost == Approx(s.cost).epsilon(1e-9));
    }
}

TEST_CASE("an infeasible block makes the whole model infeasible, with the reason",
          "[schedule][blocks]") {
  CoverageModel m = two_days(3, true);
  for (auto& t : m.templates) t.max_agents_per_start = 1;
  m.requirement[6] = 5.0;  // at most 1 (A from 5) + 1 (B from 5) agents can be there
  const Schedule s = solve(m, {.time_limit = 5.0});
  CHECK(s.status == wfm::Status::infeasible);
  CHECK(s.shifts.empty());
}

TEST_CASE("a stopped block-by-block solve still returns a checked schedule",
          "[schedule][blocks]") {
  const CoverageModel m = two_days(4, true);
  int calls = 0;
  SolveOptions o{.time_limit = 5.0};
  o.progress = [&](const wfm::Progress& p) {
    ++calls;
    CHECK(p.elapsed_s >= 0.0);
    return false;  // stop at once
  };
  const Schedule s = solve(m, o);
  CHECK(calls >= 1);
  REQUIRE((s.status == wfm::Status::feasible || s.status == wfm::Status::optimal ||
           s.status == wfm::Status::stopped));
  if (s.status != wfm::Status::stopped) wfm::test::require_checked(m, s);
}

TEST_CASE("the days of an opening-hours week are its blocks", "[schedule][blocks]") {
  for (const auto& p : family::standard_family()) {
    if (p.name.rfind("f18-", 0) != 0 && p.name.rfind("f05-", 0) != 0) continue;
    const CoverageModel m = family::generate(p);
    const auto blocks = independent_blocks(m);
    if (p.cyclic) {
      CHECK(blocks.empty());
      continue;
    }
    REQUIRE(blocks.size() == 7);
    for (std::size_t d = 0; d < 7; ++d) {
      CHECK(blocks[d].first == 96 * static_cast<int>(d) + p.open_slot);
      CHECK(blocks[d].length == p.close_slot - p.open_slot);
    }
    // The LP bound of the whole is the sum of the days' (the decomposition is exact).
    // (2 s: the LP alone takes ~0.1 s, but a loaded machine once stretched it past a 0.5-s limit)
    const Schedule s = solve(m, {.time_limit = 2.0, .lns_iterations = 0});
    wfm::test::require_checked(m, s);
    CHECK(s.lp_bound == Approx(solve_lp(m).lp_bound).epsilon(1e-9));
  }
}
