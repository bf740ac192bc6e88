// Properties of simulate(): determinism across thread counts, confidence intervals that shrink
// as 1/sqrt(replications), common random numbers, carry-over after a peak, the busyness
// factor, and bad input.
//
// Statistical assertions use fixed seeds; each states how often it would fail for a random
// seed if the simulator is correct.
// definitions.hpp first: it calls detail::throw_invalid unqualified, which breaks once
// wfm::queueing::detail has been declared by another queueing header.
#include <wfm/queueing/definitions.hpp>
// (keep)
#include <wfm/queueing/erlang_c.hpp>
#include <wfm/simulation/simulator.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <vector>

#include "simulation/reference.hpp"
#include "support/catch.hpp"

using namespace wfm::simulation;
using D = wfm::queueing::ServiceLevelDefinition;

namespace {

// A half-hourly morning: 8 intervals, lognormal handle times, exponential patience.
Scenario small_day() {
  Scenario s;
  s.interval_length = 1800.0;
  const double volumes[] = {40, 80, 120, 150, 140, 120, 90, 60};
  for (double v : volumes) s.arrival_rate.push_back(v / 1800.0);
  s.handle_time = Distribution::lognormal(240.0, 0.8);
  s.patience = Distribution::exponential(180.0);
  s.staffing = std::vector<int>{7, 13, 18, 22, 21, 18, 14, 10};
  return s;
}

bool same(const Estimate& a, const Estimate& b) {
  return a.value == b.value && a.half_width == b.half_width;
}
bool same(const Measures& a, const Measures& b) {
  bool ok = same(a.volume, b.volume) && same(a.answered, b.answered) &&
            same(a.abandoned, b.abandoned) && same(a.asa_s, b.asa_s) &&
            same(a.asa_answered_s, b.asa_answered_s) && same(a.occupancy, b.occupancy) &&
            same(a.abandon_rate, b.abandon_rate) &&
            a.service_level.size() == b.service_level.size();
  for (std::size_t i = 0; ok && i < a.service_level.size(); ++i)
    ok = same(a.service_level[i], b.service_level[i]);
  return ok;
}

}  // namespace

TEST_CASE("results are identical whatever the number of threads", "[simulation][determinism]") {
  Scenario s = small_day();
  wfm::Roster roster;  // also with a roster: two overlapping shifts with breaks
  roster.horizon_length = s.horizon_length();
  roster.shifts.push_back({0.0, 9000.0, {{3600.0, 900.0}}, 15});
  roster.shifts.push_back({3600.0, 14400.0, {{7200.0, 600.0}, {10800.0, 900.0}}, 12});
  for (int variant = 0; variant < 2; ++variant) {
    if (variant == 1) s.staffing = roster;
    RunOptions o;
    o.replications = 37;  // not a multiple of the block size
    o.seed = 99;
    o.threads = 1;
    const auto r1 = simulate(s, o);
    o.threads = 2;
    const auto r2 = simulate(s, o);
    o.threads = 3;
    const auto r3 = simulate(s, o);
    CHECK(same(r1.total, r2.total));
    CHECK(same(r1.total, r3.total));
    for (std::size_t i = 0; i < r1.intervals.size(); ++i) {
      CHECK(same(r1.intervals[i], r2.intervals[i]));
      CHECK(same(r1.intervals[i], r3.intervals[i]));
    }
    CHECK(r1.events == r3.events);
    o.seed = 100;  // and a different seed does change them
    CHECK_FALSE(same(simulate(s, o).total, r1.total));
  }
}

TEST_CASE("confidence half-widths shrink as 1/sqrt(replications)", "[simulation][ci]") {
  const Scenario s = small_day();
  std::vector<double> log_n, log_hw_sl, log_hw_asa;
  for (int n : {16, 64, 256}) {
    RunOptions o;
    o.replications = n;
    o.seed = 3;
    o.threads = 2;
    o.target_times = {20.0};
    o.definitions = {D::answered_within};
    const auto r = simulate(s, o);
    log_n.push_back(std::log(n));
    log_hw_sl.push_back(std::log(r.total.service_level[0].half_width));
    log_hw_asa.push_back(std::log(r.total.asa_s.half_width));
  }
  // Least-squares slope of log(half-width) on log(n): -1/2 in theory (plus the t-quantile's
  // drift, +0.02 here). The slope's sampling sd from the variance estimates is about 0.04, so
  // [-0.65, -0.35] fails with probability below 1e-3 for a correct simulator.
  auto slope = [&](const std::vector<double>& y) {
    const double mx = std::accumulate(log_n.begin(), log_n.end(), 0.0) / 3.0;
    const double my = std::accumulate(y.begin(), y.end(), 0.0) / 3.0;
    double sxy = 0, sxx = 0;
    for (std::size_t i = 0; i < 3; ++i) {
      sxy += (log_n[i] - mx) * (y[i] - my);
      sxx += (log_n[i] - mx) * (log_n[i] - mx);
    }
    return sxy / sxx;
  };
  CHECK(slope(log_hw_sl) == Approx(-0.5).margin(0.15));
  CHECK(slope(log_hw_asa) == Approx(-0.5).margin(0.15));
}

TEST_CASE("common random numbers: n vs n+1 differ far less noisily than independent runs",
          "[simulation][crn]") {
  Scenario a = small_day();
  Scenario b = a;
  auto& staff = std::get<std::vector<int>>(b.staffing);
  for (int& x : staff) x += 1;
  RunOptions o;
  o.replications = 60;
  o.seed = 17;
  o.threads = 2;
  o.target_times = {20.0};
  o.definitions = {D::answered_within};
  o.keep_replications = true;
  const auto ra = simulate(a, o);
  const auto rb_crn = simulate(b, o);
  o.seed = 18;
  const auto rb_ind = simulate(b, o);
  auto var_diff = [&](const SimulationResult& x, const SimulationResult& y) {
    double s = 0, ss = 0;
    const int n = x.replications;
    for (int i = 0; i < n; ++i) {
      const double d = y.replication_totals[static_cast<std::size_t>(i)].service_level[0].value -
                       x.replication_totals[static_cast<std::size_t>(i)].service_level[0].value;
      s += d;
      ss += d * d;
    }
    return (ss - s * s / n) / (n - 1);
  };
  const double v_crn = var_diff(ra, rb_crn);
  const double v_ind = var_diff(ra, rb_ind);
  INFO("variance of the SL difference: CRN " << v_crn << ", independent " << v_ind);
  // With CRN the two runs see the same calls; the ratio is typically ~0.05. An F-test bound:
  // for 59/59 degrees of freedom, a true ratio of 1/4 exceeds the observed 1/4 with
  // probability 0.5 only, but a true ratio of 0.05 exceeds 0.25 with probability < 1e-8.
  CHECK(v_crn < 0.25 * v_ind);
  // The mean effect has the right sign in every replication... nearly: more agents help.
  int better = 0;
  for (int i = 0; i < o.replications; ++i)
    better += rb_crn.replication_totals[static_cast<std::size_t>(i)].service_level[0].value >=
              ra.replication_totals[static_cast<std::size_t>(i)].service_level[0].value;
  CHECK(better >= 55);
}

TEST_CASE("a peak carries over into the next interval, which Erlang C does not see",
          "[simulation][carry_over]") {
  // 30-minute intervals, AHT 300 s, 20 agents throughout. Load 15 Erl before and after a
  // 1-hour peak of 22 Erl (above capacity: the backlog grows by ~2 calls per 5 minutes).
  Scenario s;
  s.interval_length = 1800.0;
  const double handle = 300.0;
  const double loads[] = {15, 15, 15, 22, 22, 15, 15, 15};
  for (double a : loads) s.arrival_rate.push_back(a / handle);
  s.handle_time = Distribution::exponential(handle);
  s.staffing = std::vector<int>(8, 20);
  RunOptions o;
  o.replications = 200;
  o.seed = 5;
  o.threads = 2;
  o.warmup = 3600.0;
  o.target_times = {20.0};
  o.definitions = {D::answered_within};
  const auto r = simulate(s, o);
  const wfm::queueing::ErlangC erlang(15.0 / handle, handle);
  const double stationary = erlang.service_level(20, 20.0);  // 0.885
  CHECK(stationary == Approx(wfm::simulation::test::ErlangCRef{15.0 / handle, handle, 20}
                                 .service_level(20.0)).epsilon(1e-9));
  const auto& before = r.intervals[2].service_level[0];
  const auto& after = r.intervals[5].service_level[0];
  INFO("Erlang C " << stationary << "; before the peak " << before.value << " +- "
                   << before.half_width << "; after " << after.value << " +- "
                   << after.half_width);
  // Before the peak the stationary formula is right (within 2 half-widths, p ~ 1e-4)...
  CHECK(std::abs(before.value - stationary) <= 2.0 * before.half_width + 0.01);
  // ...after it, the backlog makes the interval far worse than Erlang C predicts: 3 half-widths
  // below it (p < 1e-6 if the truth were the stationary value) and at least 0.2 lower.
  CHECK(after.value + 3.0 * after.half_width < stationary);
  CHECK(after.value < stationary - 0.2);
  // and the carry-over fades: two intervals later it is back within 0.1.
  CHECK(r.intervals[7].service_level[0].value > stationary - 0.1);
}

TEST_CASE("the daily busyness factor keeps the mean and widens the daily volume",
          "[simulation][busyness]") {
  // One day of 4 intervals with 100 calls expected per interval: Var(day volume) is
  // 400 (Poisson) and 400 + 400^2 cv^2 = 6800 with cv = 0.2 (Poisson-gamma).
  Scenario s;
  s.interval_length = 1800.0;
  s.arrival_rate.assign(4, 100.0 / 1800.0);
  s.handle_time = Distribution::exponential(60.0);
  s.staffing = std::vector<int>(4, 10);
  s.busyness.cv = 0.2;
  s.busyness.period_length = 4 * 1800.0;
  RunOptions o;
  o.replications = 400;
  o.seed = 21;
  o.threads = 2;
  o.keep_replications = true;
  const auto r = simulate(s, o);
  double sum = 0, ss = 0;
  for (const auto& m : r.replication_totals) {
    sum += m.volume.value;
    ss += m.volume.value * m.volume.value;
  }
  const double n = r.replications, mean = sum / n, var = (ss - n * mean * mean) / (n - 1);
  // Mean 400, sd of the mean sqrt(6800/400) = 4.1: 5 sd -> 21. The sample variance of 400
  // negative-binomial-like values has a relative sd of ~0.09; [4000, 10000] is > 4 sd wide.
  CHECK(std::abs(mean - 400.0) < 21.0);
  CHECK(var > 4000.0);
  CHECK(var < 10000.0);
  CHECK(r.total.volume.value == Approx(mean).epsilon(1e-12));
}

TEST_CASE("per-interval means scale handle time and patience", "[simulation][scenario]") {
  Scenario s;
  s.interval_length = 3600.0;
  s.arrival_rate = {0.2, 0.2};
  s.handle_time = Distribution::lognormal(100.0, 0.5);
  s.handle_time_mean = {50.0, 200.0};
  s.staffing = std::vector<int>{100, 100};  // never a wait: occupancy = load / agents
  RunOptions o;
  o.replications = 20;
  o.seed = 8;
  const auto r = simulate(s, o);
  // Interval 0: 0.2 * 50 = 10 Erl of 100 agents -> 0.10; interval 1: 40 Erl -> ~0.40 (its
  // busy time includes spill-over from interval 0 and loses calls running past the end).
  CHECK(r.intervals[0].occupancy.value == Approx(0.10).margin(0.01));
  CHECK(r.intervals[1].occupancy.value == Approx(0.40).margin(0.03));
}

TEST_CASE("bad input raises InvalidArgument", "[simulation][errors]") {
  using wfm::InvalidArgument;
  CHECK_THROWS_AS(Distribution::exponential(-1.0), InvalidArgument);
  CHECK_THROWS_AS(Distribution::lognormal(100.0, -0.5), InvalidArgument);
  CHECK_THROWS_AS(Distribution::lognormal(0.0, 0.5), InvalidArgument);
  CHECK_THROWS_AS(Distribution::empirical({}), InvalidArgument);
  CHECK_THROWS_AS(Distribution::empirical({1.0, -2.0}), InvalidArgument);
  CHECK_THROWS_WITH(Distribution::lognormal(100.0, -0.5), Catch::Contains("cv"));

  const Scenario good = small_day();
  CHECK_NOTHROW(validate(good));
  RunOptions o;
  o.replications = 0;
  CHECK_THROWS_WITH(simulate(good, o), Catch::Contains("replications"));
  o.replications = 1;
  o.warmup = -1.0;
  CHECK_THROWS_AS(simulate(good, o), InvalidArgument);
  o.warmup = 0.0;
  o.target_times = {-5.0};
  CHECK_THROWS_AS(simulate(good, o), InvalidArgument);

  auto bad = [&](auto&& change) {
    Scenario s = good;
    change(s);
    return s;
  };
  CHECK_THROWS_WITH(validate(bad([](Scenario& s) { s.arrival_rate[2] = -0.1; })),
                    Catch::Contains("arrival_rate[2]"));
  CHECK_THROWS_AS(validate(bad([](Scenario& s) { s.arrival_rate.clear(); })), InvalidArgument);
  CHECK_THROWS_AS(validate(bad([](Scenario& s) { s.interval_length = 0.0; })), InvalidArgument);
  CHECK_THROWS_AS(validate(bad([](Scenario& s) { s.arrival_rate[0] = NAN; })), InvalidArgument);
  CHECK_THROWS_AS(validate(bad([](Scenario& s) { s.handle_time = Distribution::none(); })),
                  InvalidArgument);
  CHECK_THROWS_AS(validate(bad([](Scenario& s) { s.handle_time.cv = -1.0; })), InvalidArgument);
  CHECK_THROWS_AS(validate(bad([](Scenario& s) {
                    s.patience.kind = DistributionKind::empirical;
                  })),
                  InvalidArgument);  // empirical with an empty sample
  CHECK_THROWS_AS(validate(bad([](Scenario& s) { s.handle_time_mean = {1.0}; })),
                  InvalidArgument);
  CHECK_THROWS_AS(validate(bad([](Scenario& s) {
                    s.patience = Distribution::none();
                    s.patience_mean.assign(8, 60.0);
                  })),
                  InvalidArgument);  // patience none
  CHECK_THROWS_AS(validate(bad([](Scenario& s) { s.staffing = std::vector<int>{1, 2}; })),
                  InvalidArgument);
  CHECK_THROWS_AS(validate(bad([](Scenario& s) { std::get<0>(s.staffing)[1] = -1; })),
                  InvalidArgument);
  CHECK_THROWS_AS(validate(bad([](Scenario& s) { s.busyness.cv = -0.1; })), InvalidArgument);
  CHECK_THROWS_AS(validate(bad([](Scenario& s) { s.arrival_times = {5.0, 1.0}; })),
                  InvalidArgument);
  CHECK_THROWS_AS(validate(bad([](Scenario& s) {
                    wfm::Roster r;
                    r.horizon_length = s.horizon_length();
                    r.shifts.push_back({100.0, 50.0, {}, 1});
                    s.staffing = r;
                  })),
                  InvalidArgument);
  CHECK_THROWS_AS(validate(bad([](Scenario& s) {
                    wfm::Roster r;
                    r.horizon_length = s.horizon_length();
                    r.shifts.push_back({0.0, 500.0, {{600.0, 10.0}}, 1});
                    s.staffing = r;
                  })),
                  InvalidArgument);
}

namespace {

bool same_result(const SimulationResult& a, const SimulationResult& b) {
  bool ok = a.replications == b.replications && a.events == b.events &&
            a.service_levels.size() == b.service_levels.size() && same(a.total, b.total) &&
            same(a.total.unserved, b.total.unserved) && a.intervals.size() == b.intervals.size() &&
            a.replication_totals.size() == b.replication_totals.size();
  for (std::size_t i = 0; ok && i < a.intervals.size(); ++i)
    ok = same(a.intervals[i], b.intervals[i]) && same(a.intervals[i].unserved, b.intervals[i].unserved);
  for (std::size_t i = 0; ok && i < a.replication_totals.size(); ++i)
    ok = same(a.replication_totals[i], b.replication_totals[i]);
  return ok;
}

// The ReplicationSums of replications [first, first + count) run in one call.
ReplicationSums run_part(const Scenario& s, RunOptions o, std::int64_t first, int count) {
  o.first_replication = first;
  o.replications = count;
  o.keep_sums = true;
  return simulate(s, o).sums;
}

}  // namespace

TEST_CASE("replications split across calls and merged equal one call, bit for bit",
          "[simulation][first_replication]") {
  Scenario s = small_day();
  s.busyness.cv = 0.2;  // the busyness stream is drawn per replication too
  wfm::Roster roster;   // and with a roster (breaks, shift ends)
  roster.horizon_length = s.horizon_length();
  roster.shifts.push_back({0.0, 9000.0, {{3600.0, 900.0}}, 15});
  roster.shifts.push_back({3600.0, 14400.0, {{7200.0, 600.0}, {10800.0, 900.0}}, 12});
  for (int variant = 0; variant < 2; ++variant) {
    if (variant == 1) s.staffing = roster;
    RunOptions o;
    o.seed = 2024;
    o.target_times = {20.0, 60.0};
    o.keep_replications = true;
    o.keep_sums = true;
    o.replications = 41;  // more than one block of 32 (the simulator's reduction block)
    const SimulationResult one = simulate(s, o);
    REQUIRE(one.sums.replications == 41);
    REQUIRE(one.sums.values.size() == 41u * 8u * one.sums.fields());
    // Splits: whole, halves, a single replication at either end, uneven thirds, many.
    const std::vector<std::vector<int>> splits{
        {41}, {20, 21}, {1, 40}, {40, 1}, {13, 1, 27}, {5, 5, 5, 5, 5, 5, 5, 6}, {33, 8}};
    for (const auto& split : splits) {
      std::vector<ReplicationSums> parts;
      std::int64_t first = 0;
      for (std::size_t k = 0; k < split.size(); ++k) {
        RunOptions ok = o;
        ok.threads = 1 + static_cast<int>(k % 3);  // any thread count per part
        parts.push_back(run_part(s, ok, first, split[k]));
        first += split[k];
      }
      const SimulationResult merged = merge(parts, /*keep_replications=*/true);
      CAPTURE(variant, split.size(), split.front());
      CHECK(same_result(merged, one));
      CHECK(merged.sums.values == one.sums.values);
      CHECK(merged.sums.events == one.sums.events);
      CHECK(merged.sums.first_replication == 0);
    }
  }
}

TEST_CASE("first_replication selects the replications' random streams",
          "[simulation][first_replication]") {
  const Scenario s = small_day();
  RunOptions o;
  o.seed = 5;
  o.replications = 12;
  o.keep_replications = true;
  const SimulationResult all = simulate(s, o);
  // Replications 7..11 alone are the last five of the twelve.
  o.first_replication = 7;
  o.replications = 5;
  const SimulationResult tail = simulate(s, o);
  REQUIRE(tail.replication_totals.size() == 5);
  for (std::size_t i = 0; i < 5; ++i)
    CHECK(same(tail.replication_totals[i], all.replication_totals[7 + i]));
  // Another first replication gives other numbers (the index reaches the streams).
  o.first_replication = 8;
  CHECK_FALSE(same(simulate(s, o).replication_totals[0], tail.replication_totals[0]));
  // keep_sums changes no number; merging one part gives the call's own result.
  o.first_replication = 0;
  o.replications = 12;
  o.keep_sums = true;
  const SimulationResult kept = simulate(s, o);
  CHECK(same_result(kept, all));
  CHECK(same_result(merge({kept.sums}, true), all));
  CHECK(all.sums.values.empty());  // not kept unless asked
}

TEST_CASE("bad first_replication or parts raise InvalidArgument",
          "[simulation][first_replication][errors]") {
  using wfm::InvalidArgument;
  const Scenario s = small_day();
  RunOptions o;
  o.replications = 4;
  o.first_replication = -1;
  CHECK_THROWS_WITH(simulate(s, o), Catch::Contains("first_replication"));
  o.first_replication = std::numeric_limits<std::int64_t>::max() - 2;
  CHECK_THROWS_WITH(simulate(s, o), Catch::Contains("first_replication"));

  o.first_replication = 0;
  const ReplicationSums a = run_part(s, o, 0, 4);
  const ReplicationSums b = run_part(s, o, 4, 3);
  CHECK_NOTHROW(merge({a, b}));
  CHECK_THROWS_WITH(merge({}), Catch::Contains("empty"));
  CHECK_THROWS_WITH(merge({b, a}), Catch::Contains("parts[1].first_replication"));
  CHECK_THROWS_WITH(merge({a, a}), Catch::Contains("parts[1].first_replication"));
  CHECK_THROWS_WITH(merge({simulate(s, o).sums}), Catch::Contains("keep_sums"));
  ReplicationSums other_targets = b;
  other_targets.target_times = {30.0};
  CHECK_THROWS_WITH(merge({a, other_targets}), Catch::Contains("parts[1]"));
  ReplicationSums short_values = b;
  short_values.values.pop_back();
  CHECK_THROWS_WITH(merge({a, short_values}), Catch::Contains("parts[1].values"));
  Scenario longer = small_day();
  longer.arrival_rate.push_back(0.01);
  std::get<0>(longer.staffing).push_back(3);
  CHECK_THROWS_WITH(merge({a, run_part(longer, o, 4, 2)}), Catch::Contains("parts[1].intervals"));
}
