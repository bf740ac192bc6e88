// The HiGHS back end (src/schedule/highs_backend.cpp): compiled only with -DWFM_WITH_HIGHS=ON.
// Its contracts are those of the CLP and CBC back ends, so CLP/CBC and hand-derived optima are
// the references.
#include <chrono>
#include <cmath>
#include <limits>
#include <pcg_random.hpp>
#include <thread>
#include <vector>
#include <wfm/core/error.hpp>
#include <wfm/schedule/schedule.hpp>

#include "../../src/schedule/formulation.hpp"
#include "../../src/schedule/lp_backend.hpp"
#include "schedule/support.hpp"
#include "support/catch.hpp"

using namespace wfm::schedule;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

/// Three arcs on a cycle of three intervals, each covering two, requirement 1 (the circular-ones
/// example of include/wfm/schedule/solver.hpp): by hand, x = (1/2, 1/2, 1/2) is feasible with
/// value 3/2, and summing the three rows gives 2 (x1 + x2 + x3) >= 3, so the LP optimum is 3/2;
/// the integer optimum is 2 (any two arcs; one arc leaves an interval uncovered).
detail::SparseLp three_arcs() {
  detail::SparseLp lp;
  for (int r = 0; r < 3; ++r) lp.add_row(1.0, kInf);
  for (int a = 0; a < 3; ++a) {
    lp.add_col(0.0, kInf, 1.0);
    lp.add_entry(a, 1.0);
    lp.add_entry((a + 1) % 3, 1.0);
  }
  return lp;
}

/// The market-split problem of Cornuejols & Dawande (1999), "A class of hard small 0-1
/// programs", INFORMS J. Computing 11(2):205-210: m rows sum_j a_ij x_j = floor(sum_j a_ij / 2),
/// a_ij uniform in 0..99, x binary. With m = 4 and n = 30 branch-and-bound needs millions of
/// nodes (their Table 1), far beyond the time limits used below.
detail::SparseLp market_split(int m, int n, std::uint64_t seed) {
  pcg32 rng(seed);
  std::vector<std::vector<double>> a(static_cast<std::size_t>(m),
                                     std::vector<double>(static_cast<std::size_t>(n)));
  detail::SparseLp lp;
  for (auto& row : a) {
    double sum = 0.0;
    for (auto& v : row) sum += (v = static_cast<double>(rng(100)));
    lp.add_row(std::floor(sum / 2.0), std::floor(sum / 2.0));
  }
  for (int j = 0; j < n; ++j) {
    lp.add_col(0.0, 1.0, 0.0);
    for (int i = 0; i < m; ++i)
      lp.add_entry(i, a[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)]);
  }
  return lp;
}

CoverageModel week_with_breaks(bool cyclic, std::uint64_t seed) {
  CoverageModel m = wfm::test::random_small_model(seed, cyclic, true, true, 96, 9);
  m.templates.push_back(wfm::test::make_template("F", 16, 17.0, 96, cyclic, 1));
  m.templates.back().breaks = {{.length = 2, .earliest_offset = 6, .latest_offset = 9}};
  return m;
}

}  // namespace

TEST_CASE("HiGHS LP: the hand-derived optimum and CLP's, cold and warm", "[schedule][highs]") {
  const detail::SparseLp lp = three_arcs();
  for (bool barrier : {false, true}) {
    auto h = detail::make_highs_solver(barrier, false);
    h->load(lp);
    REQUIRE(h->solve() == detail::LpStatus::optimal);
    CHECK_THAT(h->objective(), WithinAbs(1.5, 1e-9));
    // Warm start after a bound change: x1 = 0 forces x2 = x3 = 1 (rows 0 and 2), value 2.
    h->set_col_bounds(0, 0.0, 0.0);
    CHECK(h->col_up(0) == 0.0);
    REQUIRE(h->solve() == detail::LpStatus::optimal);
    CHECK_THAT(h->objective(), WithinAbs(2.0, 1e-9));
    CHECK_THAT(h->col_values()[1], WithinAbs(1.0, 1e-9));
    h->set_col_bounds(0, 0.0, kInf);
    REQUIRE(h->solve() == detail::LpStatus::optimal);
    CHECK_THAT(h->objective(), WithinAbs(1.5, 1e-9));
  }
  // A model with breaks (Aykin's implicit rows): CLP is the reference, to 1e-6.
  for (bool cyclic : {false, true}) {
    const auto f = detail::build_formulation(week_with_breaks(cyclic, 11));
    auto clp = detail::make_clp_solver(true);
    auto h = detail::make_highs_solver(true, false);
    clp->load(f.lp);
    h->load(f.lp);
    REQUIRE(clp->solve() == detail::LpStatus::optimal);
    REQUIRE(h->solve() == detail::LpStatus::optimal);
    CHECK_THAT(h->objective(), WithinRel(clp->objective(), 1e-6));
    // The same dive step in both: fix the first shift column at ceil of its value, re-solve warm.
    const double v = std::ceil(clp->col_values()[0] + 0.5);
    clp->set_col_bounds(0, v, v);
    h->set_col_bounds(0, v, v);
    REQUIRE(clp->solve() == detail::LpStatus::optimal);
    REQUIRE(h->solve() == detail::LpStatus::optimal);
    CHECK_THAT(h->objective(), WithinRel(clp->objective(), 1e-6));
  }
}

TEST_CASE("HiGHS LP and MIP: infeasible models have the infeasible status", "[schedule][highs]") {
  detail::SparseLp lp;  // x in [0, 1], 2 <= x <= 3
  lp.add_row(2.0, 3.0);
  lp.add_col(0.0, 1.0, 1.0);
  lp.add_entry(0, 1.0);
  auto h = detail::make_highs_solver(false, false);
  h->load(lp);
  CHECK(h->solve() == detail::LpStatus::infeasible);
  const auto r = detail::solve_mip_highs(lp, {1}, {}, 5.0, 1e-6, 0);
  CHECK(r.proven_infeasible);
  CHECK_FALSE(r.found);
  // LP-feasible, integer-infeasible: 2 x = 1 with x integer in [0, 1].
  detail::SparseLp odd;
  odd.add_row(1.0, 1.0);
  odd.add_col(0.0, 1.0, 1.0);
  odd.add_entry(0, 2.0);
  const auto q = detail::solve_mip_highs(odd, {1}, {}, 5.0, 1e-6, 0);
  CHECK(q.proven_infeasible);
  CHECK_FALSE(q.found);
  // Through solve(): the same statuses and messages as with CLP/CBC.
  CoverageModel m;
  m.requirement = {0, 1, 1, 1, 1, 0, 0, 0};
  m.templates = {wfm::test::make_template("S", 3, 1.0, 8, false)};
  m.max_headcount = 1;  // two shifts are needed for intervals 1-4
  for (Engine e : {Engine::highs, Engine::clp_highs}) {
    const Schedule s = solve(m, {.time_limit = 5.0, .engine = e});
    CHECK(s.status == wfm::Status::infeasible);
    const Schedule ref = solve(m, {.time_limit = 5.0});
    CHECK(s.message == ref.message);
  }
}

TEST_CASE("HiGHS MIP: optimum, MIP start, and the time limit", "[schedule][highs]") {
  const auto r = detail::solve_mip_highs(three_arcs(), {1, 1, 1}, {}, 5.0, 1e-6, 0);
  REQUIRE(r.found);
  CHECK(r.proven_optimal);
  CHECK_THAT(r.objective, WithinAbs(2.0, 1e-9));
  CHECK_THAT(r.bound, WithinAbs(2.0, 1e-6));
  // A MIP start that is optimal is kept (the result is never worse than the start).
  const auto s = detail::solve_mip_highs(three_arcs(), {1, 1, 1}, {1.0, 1.0, 0.0}, 5.0, 1e-6, 1);
  REQUIRE(s.found);
  CHECK_THAT(s.objective, WithinAbs(2.0, 1e-9));

  // Market split, m = 4, n = 30: not solved in 0.2 s. The status says so (neither optimal nor
  // infeasible), and the limit holds in wall-clock and in CPU time (generous bound: no hang).
  const detail::SparseLp hard = market_split(4, 30, 2026);
  const std::vector<char> binary(30, 1);
  for (bool cpu : {false, true}) {
    INFO("cpu_time " << cpu);
    const auto t0 = std::chrono::steady_clock::now();
    const auto t = detail::solve_mip_highs(hard, binary, {}, 0.2, 1e-6, 0, cpu);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    CHECK_FALSE(t.proven_optimal);
    CHECK_FALSE(t.proven_infeasible);
    CHECK(wall < 20.0);
  }
  // The LP back end stops at its limit too, with the `stopped` status: a 24/7 week of 672
  // intervals with breaks, whose simplex needs thousands of iterations, given no time at all.
  CoverageModel w = wfm::test::random_small_model(5, true, true, true, 672, 40);
  w.templates.push_back(wfm::test::make_template("F", 34, 32.0, 672, true, 1));
  w.templates.back().breaks = {{.length = 2, .earliest_offset = 14, .latest_offset = 20}};
  const auto f = detail::build_formulation(w);
  for (bool cpu : {false, true}) {
    auto h = detail::make_highs_solver(false, cpu);
    h->load(f.lp);
    h->set_time_limit(1e-9);
    CHECK(h->solve() == detail::LpStatus::stopped);
  }
}

TEST_CASE("engine highs and clp_highs reach the brute-force optimum", "[schedule][highs]") {
  // Reference: exhaustive enumeration in tests/schedule/support.hpp (independent of the solver).
  for (std::uint64_t seed = 1; seed <= 4; ++seed)
    for (bool cyclic : {false, true})
      for (bool hard : {true, false}) {
        const bool breaks = seed % 2 == 1;
        const CoverageModel m = wfm::test::random_small_model(seed, cyclic, hard, breaks);
        const double ref = wfm::test::brute_force_optimum(m, 2);
        for (Engine e : {Engine::highs, Engine::clp_highs}) {
          INFO("seed " << seed << " cyclic " << cyclic << " hard " << hard << " engine "
                       << to_string(e));
          const Schedule s = solve(m, {.time_limit = 20.0, .seed = seed, .engine = e});
          wfm::test::require_checked(m, s);
          CHECK(s.status == wfm::Status::optimal);
          CHECK_THAT(s.cost, WithinAbs(ref, 1e-9));
        }
      }
  // The LP bound of the whole model equals CLP's.
  const CoverageModel w = week_with_breaks(true, 3);
  CHECK_THAT(solve_lp(w, {.engine = Engine::highs}).lp_bound,
             WithinRel(solve_lp(w, {}).lp_bound, 1e-6));
}

TEST_CASE("concurrent HiGHS solves equal serial ones", "[schedule][highs][threads]") {
  // HiGHS's task scheduler is process-wide: solves in several threads at once must not
  // interfere (each uses one thread; results equal the serial ones).
  std::vector<CoverageModel> models;
  for (std::uint64_t k = 0; k < 6; ++k)
    models.push_back(wfm::test::random_small_model(10 + k % 3, k % 2 == 0, true, true, 24, 4));
  const SolveOptions o{
      .time_limit = 60.0, .seed = 3, .use_cbc = true, .lns_iterations = 2, .engine = Engine::highs};
  std::vector<Schedule> serial, parallel(models.size());
  for (const auto& m : models) serial.push_back(solve(m, o));
  std::vector<std::thread> pool;
  for (std::size_t k = 0; k < models.size(); ++k)
    pool.emplace_back([&, k] { parallel[k] = solve(models[k], o); });
  for (auto& t : pool) t.join();
  for (std::size_t k = 0; k < models.size(); ++k) {
    INFO(k);
    wfm::test::require_checked(models[k], parallel[k]);
    CHECK(parallel[k].status == serial[k].status);
    CHECK(parallel[k].cost == serial[k].cost);
  }
}
