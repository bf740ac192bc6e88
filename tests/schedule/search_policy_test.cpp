// plan_search(): the search plan follows from the instance (issue 15).
#include <string>
#include <vector>
#include <wfm/core/error.hpp>
#include <wfm/schedule/schedule.hpp>

#include "../../bench/schedule_family.hpp"
#include "../../src/schedule/lns_stall.hpp"
#include "support.hpp"

using namespace wfm::schedule;

namespace {

family::InstanceParams params(const std::string& name) {
  for (const auto& p : family::standard_family())
    if (p.name == name) return p;
  FAIL("no instance " << name);
  return {};
}

}  // namespace

TEST_CASE("integer columns are counted from the model", "[schedule][policy]") {
  CoverageModel m;
  m.requirement = std::vector<double>(40, 1.0);
  ShiftTemplate t{.name = "A", .length = 10, .cost = 10.0, .starts = {0, 5, 10}};
  t.breaks = {{.length = 1, .earliest_offset = 2, .latest_offset = 4},
              {.length = 1, .earliest_offset = 6, .latest_offset = 7}};
  ShiftTemplate u{.name = "B", .length = 6, .cost = 6.0, .starts = {0, 20}, .fixed_cost = 5.0};
  m.templates = {t, u};
  // A: 3 starts x (1 shift + 3 + 2 placements) = 18; B: 2 starts x 1 + 1 switch = 3.
  CHECK(integer_columns(m) == 21);
  const auto plan = plan_search(m, {}, 10.0);
  CHECK(plan.longest_shift == 10);
  CHECK(plan.shortest_shift == 6);
  CHECK(plan.fixed_costs);
  CHECK(plan.window_lead == 3);  // half the shortest shift
}

TEST_CASE("the plan scales with the instance and the time limit", "[schedule][policy]") {
  const SearchPolicy pol;
  // 24/7, 15-minute grid, three breaks: about 21k integer columns.
  const auto big = family::generate(params("f05-247-hard-m-fragmented"));
  // Opening hours, 60-minute grid: a few hundred columns.
  const auto small = family::generate(params("f20-day-hard-s-fragmented"));
  const auto nb = static_cast<double>(integer_columns(big));
  const auto ns = static_cast<double>(integer_columns(small));
  REQUIRE(nb > 10 * ns);
  const auto pb = plan_search(big, pol, 10.0);
  const auto ps = plan_search(small, pol, 10.0);
  // Whole-model CBC exactly when the columns fit CBC's rate times the limit.
  // (cyclic: only when small, see SearchPolicy::cbc_columns_per_second).
  CHECK(pb.cbc_whole_model == (nb <= pol.early_cbc_fraction * pol.cbc_columns_per_second * 10.0));
  CHECK(ps.cbc_whole_model);
  // An acyclic hard-cover model that CBC takes whole gets one long early CBC run (SearchPolicy::
  // early_cbc_share_acyclic), under soft cover the usual early share; the same columns in a
  // cyclic week get early CBC only when small.
  REQUIRE(small.cover.hard_cover);
  CHECK(ps.early_cbc);
  CHECK(ps.early_cbc_share == pol.early_cbc_share_acyclic);
  auto small_soft = small;
  small_soft.cover = {.hard_cover = false, .under_cost = 3.0, .over_cost = 0.1};
  const auto pss = plan_search(small_soft, pol, 10.0);
  CHECK(pss.early_cbc);
  CHECK(pss.early_cbc_share == pol.early_cbc_share);
  auto small_cyclic = small;
  small_cyclic.cyclic = true;
  const auto pc = plan_search(small_cyclic, pol, 10.0);
  CHECK(pc.early_cbc == (ns <= pol.early_cbc_fraction * pol.cbc_columns_per_second * 10.0));
  const double tight = 0.5 * ns / (pol.early_cbc_fraction * pol.cbc_columns_per_second);
  const auto pt = plan_search(small_cyclic, pol, tight);  // not small at this limit
  CHECK_FALSE(pt.early_cbc);
  CHECK(pt.early_cbc_share == 0.0);
  CHECK_FALSE(pb.early_cbc);
  // Without fixed costs the LNS runs to the end unless it stalls (SearchPolicy::stall_sweeps).
  CHECK(pb.lns_share == 1.0);
  CHECK(ps.lns_share == 1.0);
  // A longer limit lets CBC handle the big model too.
  const double enough = 1.01 * nb / (pol.early_cbc_fraction * pol.cbc_columns_per_second);
  CHECK(plan_search(big, pol, enough).cbc_whole_model);
  // Windows follow the longest shift (34 intervals here), the sub-MIP limit the time limit.
  // Without CBC the windows are not narrowed (SearchPolicy::cbc_window_shifts):
  CHECK(pb.longest_shift == 34);
  const auto pn = plan_search(big, pol, 10.0, false);
  CHECK(pn.dive_window == static_cast<int>(std::lround(pol.dive_window_shifts * 34)));
  CHECK(pn.cbc_window == static_cast<int>(std::lround(pol.cbc_window_shifts * 34)));
  // With CBC this dense week (about 31 integer columns per interval) narrows both windows by
  // window_narrowing() (checked on numbers in its own test).
  const double k = window_narrowing(big, pol, pb, 336.0);
  REQUIRE(k < 1.0);
  CHECK(pb.dive_window == static_cast<int>(std::lround(pol.dive_window_shifts * 34 * k)));
  CHECK(pb.cbc_window == static_cast<int>(std::lround(pol.cbc_window_shifts * 34 * k)));
  CHECK(pb.sub_mip_seconds == Approx(10.0 / pol.sub_mip_rounds));
  CHECK(plan_search(big, pol, 1000.0).sub_mip_seconds == pol.max_sub_mip_seconds);
  CHECK(plan_search(big, pol, 0.1).sub_mip_seconds == pol.min_sub_mip_seconds);
  // A sweep: the rounds whose windows span the horizon once, at the mean width of one period
  // (dives only: ceil(672 / 102) = 7; with CBC, two dive windows and one CBC window).
  CHECK(pb.window_cap == 336);
  CHECK(pn.sweep_rounds == 7);
  CHECK(pb.sweep_rounds ==
        static_cast<int>(std::ceil(672.0 / ((2.0 * pb.dive_window + pb.cbc_window) / 3.0))));
  // No CBC: the LNS takes the whole run.
  const auto nocbc = plan_search(small, pol, 10.0, false);
  CHECK_FALSE(nocbc.early_cbc);
  CHECK(nocbc.lns_share == 1.0);
}

TEST_CASE("windows cover at most max_window_share of a short horizon", "[schedule][policy]") {
  // One opening-hours day of 40 quarter-hours with an 8.5-h shift (34 intervals): the windows
  // in multiples of the longest shift (102 and 51 intervals) would free every shift.
  CoverageModel day;
  day.requirement = std::vector<double>(40, 2.0);
  ShiftTemplate f8{.name = "F8", .length = 34, .cost = 32.0, .starts = {0, 2, 4, 6}};
  ShiftTemplate p4{.name = "P4", .length = 16, .cost = 17.6, .starts = {0, 8, 16, 24}};
  day.templates = {f8, p4};
  SearchPolicy pol;
  const auto plan = plan_search(day, pol, 1.0);
  CHECK(plan.dive_window == 20);  // 0.5 x 40, not 3 x 34
  CHECK(plan.cbc_window == 20);   // not 1.5 x 34
  CHECK(plan.move_reach == 8);    // half the shortest shift
  pol.max_window_share = 1.0;
  CHECK(plan_search(day, pol, 1.0).cbc_window == 40);
  // A week is long enough: the rule of the longest shift holds (checked above on f05).
  pol.max_window_share = 0.5;
  day.requirement = std::vector<double>(672, 2.0);
  CHECK(plan_search(day, pol, 1.0).dive_window == 102);
}

TEST_CASE("fixed-cost models go to CBC early whatever their size", "[schedule][policy]") {
  const SearchPolicy pol;
  const auto m = family::generate(params("f41-design-247-m-fragmented"));
  const auto plan = plan_search(m, pol, 1.0);
  CHECK(plan.fixed_costs);
  CHECK(plan.early_cbc);
  CHECK(plan.early_cbc_share == pol.early_cbc_share_fixed_cost);
  CHECK(plan.lns_share == 1.0 - pol.final_cbc_share_fixed_cost);
}

TEST_CASE("a bad policy is rejected with the field named", "[schedule][policy]") {
  const auto m = family::generate(params("f20-day-hard-s-fragmented"));
  SearchPolicy pol;
  pol.final_cbc_share_fixed_cost = 1.5;
  CHECK_THROWS_WITH(plan_search(m, pol, 10.0), Catch::Contains("final_cbc_share_fixed_cost"));
  pol = {};
  pol.stall_probability = 1.0;
  CHECK_THROWS_WITH(plan_search(m, pol, 10.0), Catch::Contains("stall_probability"));
  pol = {};
  pol.stall_window_growth = 0.5;
  CHECK_THROWS_WITH(plan_search(m, pol, 10.0), Catch::Contains("stall_window_growth"));
  pol = {};
  pol.stall_sweeps = 0.0;
  CHECK_THROWS_WITH(plan_search(m, pol, 10.0), Catch::Contains("stall_sweeps"));
  pol = {};
  pol.cbc_round_period = 0;
  CHECK_THROWS_AS(solve(m, {.time_limit = 1.0, .policy = pol}), wfm::InvalidArgument);
  pol = {};
  pol.max_window_share = 0.0;
  CHECK_THROWS_WITH(plan_search(m, pol, 10.0), Catch::Contains("max_window_share"));
  pol = {};
  pol.stall_cbc_share = 1.5;
  CHECK_THROWS_WITH(plan_search(m, pol, 10.0), Catch::Contains("stall_cbc_share"));
  pol = {};
  pol.move_passes = -1;
  CHECK_THROWS_WITH(plan_search(m, pol, 10.0), Catch::Contains("move_passes"));
  pol = {};
  pol.step_cover_rounds = -1;
  CHECK_THROWS_WITH(plan_search(m, pol, 10.0), Catch::Contains("step_cover_rounds"));
  pol = {};
  pol.step_cover_share = 1.5;
  CHECK_THROWS_WITH(plan_search(m, pol, 10.0), Catch::Contains("step_cover_share"));
  pol = {};
  pol.step_cover_min_gain = -1e-3;
  CHECK_THROWS_WITH(plan_search(m, pol, 10.0), Catch::Contains("step_cover_min_gain"));
}

TEST_CASE("the first dive's cap in simplex iterations follows from the LP and the limit",
          "[schedule][policy][dive]") {
  // first_dive_share x time_limit x lp_work_per_second / nonzeros, rounded down. By hand:
  // the shared week cc-247-s has 96,768 nonzeros: 0.1 x 10 x 4e8 / 96768 = 4133.6 -> 4133;
  // at 1 s 413.36 -> 413; a matrix of 1000 nonzeros at a rate of 1e6 and 600 s: 60,000.
  SearchPolicy pol;
  CHECK(first_dive_iterations(pol, 96768, 10.0) == 4133);
  CHECK(first_dive_iterations(pol, 96768, 1.0) == 413);
  pol.lp_work_per_second = 1e6;
  CHECK(first_dive_iterations(pol, 1000, 600.0) == 60000);
  pol.first_dive_share = 0.5;  // the cap scales with the share
  CHECK(first_dive_iterations(pol, 1000, 600.0) == 300000);
  pol.first_dive_share = 0.0;  // no re-solve at all: the root LP is rounded
  CHECK(first_dive_iterations(pol, 1000, 600.0) == 0);
  CHECK(first_dive_iterations(SearchPolicy{}, 0, 1.0) == 40000000);  // empty matrix: 1 entry
  const auto m = family::generate(params("f20-day-hard-s-fragmented"));
  pol = {};
  pol.lp_work_per_second = 0.0;
  CHECK_THROWS_WITH(plan_search(m, pol, 10.0), Catch::Contains("lp_work_per_second"));
  pol = {};
  pol.first_dive_backstop = 0.5;
  CHECK_THROWS_WITH(plan_search(m, pol, 10.0), Catch::Contains("first_dive_backstop"));
}

TEST_CASE("the LNS stall rule: patience from the gain rate so far", "[schedule][policy][stall]") {
  const SearchPolicy pol;  // stall_sweeps 2, stall_probability 0.05
  SearchPlan plan;
  plan.sweep_rounds = 8;
  const double floor = 16.0;  // two sweeps
  // 3 gains in 100 rounds: p = 4 / 101, k >= ln 0.05 / ln(97 / 101) = 74.13 (by hand:
  // ln 0.05 = -2.99573, ln(97 / 101) = -0.040409).
  CHECK(detail::lns_patience(pol, plan, 100, 3) == Approx(74.13).epsilon(1e-3));
  // Every round gained (p = 1) or a high rate: the floor of two sweeps.
  CHECK(detail::lns_patience(pol, plan, 10, 10) == floor);
  CHECK(detail::lns_patience(pol, plan, 20, 15) == floor);  // p = 16 / 21: k >= 2.1
  // No gain yet: the patience exceeds the rounds run, so the LNS never stalls without a gain.
  for (int rounds : {1, 10, 100, 10000}) CHECK(detail::lns_patience(pol, plan, rounds, 0) > rounds);
  // A stricter probability waits longer; a longer sweep raises the floor.
  SearchPolicy strict = pol;
  strict.stall_probability = 0.01;
  CHECK(detail::lns_patience(strict, plan, 100, 3) > detail::lns_patience(pol, plan, 100, 3));
  plan.sweep_rounds = 50;
  CHECK(detail::lns_patience(pol, plan, 100, 3) == 100.0);
}

TEST_CASE("a stalled LNS hands the rest to CBC when the time left covers the model",
          "[schedule][policy][stall]") {
  const SearchPolicy pol;  // cbc_columns_per_second 1500
  SearchPlan plan;
  plan.integer_columns = 10416;  // the small 24/7 week f01 of the family (bench/RESULTS.md)
  // 10416 columns / 1500 per second = 6.944 s (by hand): hard cover with that much time left
  // goes to CBC, with less it keeps the LNS; soft cover never (unless CBC takes it whole).
  CHECK(detail::cbc_takes_rest(pol, plan, true, 7.0));
  CHECK(detail::cbc_takes_rest(pol, plan, true, 6.944));
  CHECK_FALSE(detail::cbc_takes_rest(pol, plan, true, 6.94));
  CHECK_FALSE(detail::cbc_takes_rest(pol, plan, false, 100.0));
  SearchPolicy off = pol;
  off.stall_cbc_hard_cover = false;
  CHECK_FALSE(detail::cbc_takes_rest(off, plan, true, 100.0));
  plan.cbc_whole_model = true;  // a model CBC takes whole: always, whatever the cover and time
  CHECK(detail::cbc_takes_rest(pol, plan, false, 0.0));
  CHECK(detail::cbc_takes_rest(pol, plan, true, 0.0));
  // The rule on the plan of a family week: f01 (cyclic, hard cover) is not small at 10 s, so
  // CBC does not take it whole; a stall with 7 s left hands over, with 6 s not.
  const auto f01 = family::generate(params("f01-247-hard-s-noisy"));
  const auto p01 = plan_search(f01, pol, 10.0);
  REQUIRE(f01.cyclic);
  REQUIRE(f01.cover.hard_cover);
  CHECK_FALSE(p01.cbc_whole_model);
  const double need = static_cast<double>(p01.integer_columns) / pol.cbc_columns_per_second;
  CHECK(detail::cbc_takes_rest(pol, p01, true, need * 1.001));
  CHECK_FALSE(detail::cbc_takes_rest(pol, p01, true, need * 0.999));
}

TEST_CASE("windows narrow where a CBC window holds more than a sub-MIP handles",
          "[schedule][policy][windows]") {
  // window_narrowing() on numbers: 672 intervals, 21504 integer columns (32 per interval, the
  // shared week cc-247-s), shifts of 16-34 intervals, a sub-MIP limit of 0.4 s. A sub-MIP
  // handles 1500 x 0.4 = 600 columns = 18.75 intervals; the CBC window of 1.5 x 34 = 51
  // intervals narrows by 18.75 / 51 = 0.36765 (by hand).
  CoverageModel m;
  m.requirement.assign(672, 1.0);
  const SearchPolicy pol;
  SearchPlan plan;
  plan.integer_columns = 21504;
  plan.longest_shift = 34;
  plan.shortest_shift = 16;
  plan.sub_mip_seconds = 0.4;
  CHECK(window_narrowing(m, pol, plan, 336.0) == Approx(0.36765).epsilon(1e-4));
  // Half the columns per interval: 37.5 intervals fit, 37.5 / 51 = 0.73529.
  plan.integer_columns = 10752;
  CHECK(window_narrowing(m, pol, plan, 336.0) == Approx(0.73529).epsilon(1e-4));
  // Sparse enough (10 columns per interval: 60 intervals fit): no narrowing.
  plan.integer_columns = 6720;
  CHECK(window_narrowing(m, pol, plan, 336.0) == 1.0);
  // Never below the shortest shift: a 0.05-s limit fits 2.3 intervals, the floor is 16 / 51.
  plan.integer_columns = 21504;
  plan.sub_mip_seconds = 0.05;
  CHECK(window_narrowing(m, pol, plan, 336.0) == Approx(16.0 / 51.0));
  // The cap on the window (a short horizon) is the CBC width the factor applies to.
  plan.sub_mip_seconds = 0.4;
  CHECK(window_narrowing(m, pol, plan, 25.0) == Approx(18.75 / 25.0));
  // The plan of the cc-247-s shape at 10 s: windows 3 x 34 x 0.36765 = 37.5 -> 38 (dives) and
  // 1.5 x 34 x 0.36765 = 18.75 -> 19 (CBC); sweep ceil(672 / ((2 x 38 + 19) / 3)) = 22.
  ShiftTemplate f8{.name = "F8", .length = 34, .cost = 32.0};
  ShiftTemplate p4{.name = "P4", .length = 16, .cost = 17.6};
  for (int s = 0; s < 672; ++s) {
    f8.starts.push_back(s);
    p4.starts.push_back(s);
  }
  // 672 x (1 + 15 + 15) + 672 x 1 = 21504 columns: F8 with two breaks of 15 placements.
  f8.breaks = {{.length = 2, .earliest_offset = 8, .latest_offset = 22},
               {.length = 2, .earliest_offset = 12, .latest_offset = 26}};
  m.templates = {f8, p4};
  m.cyclic = true;
  REQUIRE(integer_columns(m) == 21504);
  const auto p = plan_search(m, pol, 10.0);
  CHECK(p.dive_window == 38);
  CHECK(p.cbc_window == 19);
  CHECK(p.sweep_rounds == 22);
  CHECK(plan_search(m, pol, 10.0, false).dive_window == 102);  // no CBC: not narrowed
  m.cyclic = false;  // acyclic models keep their windows
  CHECK(plan_search(m, pol, 10.0).dive_window == 102);
}

TEST_CASE("a nearly integral root LP gives CBC the whole model whatever its size",
          "[schedule][policy][near_integral]") {
  const SearchPolicy pol;  // cbc_fractional_columns 400, cbc_columns_per_second 1500
  const auto m = family::generate(params("f05-247-hard-m-fragmented"));
  // 20832 integer columns: above CBC's rate x limit (1500 x 10 s = 15000) and far above the
  // small bound (0.2 x 15000 = 3000), so the size rule alone gives CBC nothing.
  REQUIRE(integer_columns(m) == 20832);
  const auto by_size = plan_search(m, pol, 10.0);
  CHECK_FALSE(by_size.cbc_whole_model);
  CHECK_FALSE(by_size.early_cbc);
  CHECK_FALSE(by_size.near_integral);
  // Its root LP has 78 fractional columns (<= 400): CBC early with half the remaining time,
  // and the rest once the LNS stalls.
  const auto near = plan_search(m, pol, 10.0, true, 78);
  CHECK(near.near_integral);
  CHECK(near.cbc_whole_model);
  CHECK(near.early_cbc);
  CHECK(near.early_cbc_share == pol.early_cbc_share);
  CHECK(plan_search(m, pol, 10.0, true, 400).near_integral);
  const auto far = plan_search(m, pol, 10.0, true, 401);
  CHECK_FALSE(far.near_integral);
  CHECK_FALSE(far.early_cbc);
  CHECK_FALSE(plan_search(m, pol, 10.0, false, 78).early_cbc);  // no CBC at all
  SearchPolicy off = pol;
  off.cbc_fractional_columns = 0;
  CHECK_FALSE(plan_search(m, off, 10.0, true, 0).near_integral);
  // Acyclic models keep the size rule: the same model without the wrap is not near-integral
  // (and too large for CBC at 10 s: no early run).
  CoverageModel open = m;
  open.cyclic = false;
  const auto acyclic = plan_search(open, pol, 10.0, true, 0);
  CHECK_FALSE(acyclic.near_integral);
  CHECK_FALSE(acyclic.early_cbc);
}

TEST_CASE("the near-integral rule alone sends small cyclic models to CBC, which proves them",
          "[schedule][policy][near_integral]") {
  // Size rule off (rate 0: no model fits): the root LP's fractional columns (at most the 8-16
  // integer columns of these 8-interval weeks, <= 400) are the only reason for an early CBC run.
  // Where the first schedule does not already meet the bound, CBC then proves the brute-force
  // optimum before any LNS round ("0 large-neighbourhood rounds"); without the rule the LNS
  // runs first (lns_iterations rounds) and the final CBC proves it.
  int early_proofs = 0;
  for (std::uint64_t seed = 1; seed <= 6; ++seed)
    for (bool hard : {true, false}) {
      const CoverageModel m = wfm::test::random_small_model(seed, true, hard, seed % 2 == 1);
      const double ref = wfm::test::brute_force_optimum(m, 2);
      INFO("seed " << seed << " hard " << hard);
      std::vector<Schedule> runs;
      std::vector<bool> cbc_ran;
      for (std::size_t rule : {std::size_t{400}, std::size_t{0}}) {
        SolveOptions o{.time_limit = 20.0, .seed = seed, .lns_iterations = 3};
        o.policy.cbc_columns_per_second = 0.0;
        o.policy.cbc_fractional_columns = rule;
        bool ran = false;
        o.progress = [&](const wfm::Progress& p) {
          ran = ran || p.step == "cbc";
          return true;
        };
        runs.push_back(solve(m, o));
        cbc_ran.push_back(ran);
        wfm::test::require_checked(m, runs.back());
        CHECK(runs.back().status == wfm::Status::optimal);
        CHECK(runs.back().cost == Approx(ref).margin(1e-9));
      }
      if (!cbc_ran[0]) continue;  // integral LP, or the first schedule met the bound
      CHECK(runs[0].message == "0 large-neighbourhood rounds");
      CHECK(runs[1].message != "0 large-neighbourhood rounds");
      ++early_proofs;
    }
  CHECK(early_proofs > 0);
}
