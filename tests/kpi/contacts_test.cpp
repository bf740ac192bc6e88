// Contact-log KPIs on a hand-computed log, and the simulator round trip.
#include <wfm/queueing/definitions.hpp>
// (keep: definitions.hpp first, see tests/simulation/validation_test.cpp)
#include <wfm/kpi/contacts.hpp>
#include <wfm/kpi/from_simulation.hpp>
#include <wfm/kpi/io.hpp>
#include <wfm/queueing/erlang_a.hpp>
#include <wfm/simulation/simulator.hpp>

#include <algorithm>
#include <cmath>
#include <random>

#include <wfm/core/calendar.hpp>
#include <wfm/core/error.hpp>

#include "support/catch.hpp"

using namespace wfm::kpi;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using D = wfm::queueing::ServiceLevelDefinition;

namespace {

std::int64_t ts(const char* s) { return *wfm::parse_timestamp(s); }

Contact answered(const char* arrival, double wait, double talk, double hold, double acw,
                 std::uint64_t customer = 0) {
  Contact c;
  c.arrival = ts(arrival);
  c.wait_s = wait;
  c.talk_s = talk;
  c.hold_s = hold;
  c.acw_s = acw;
  c.customer = customer;
  return c;
}
Contact abandoned(const char* arrival, double wait) {
  Contact c;
  c.arrival = ts(arrival);
  c.outcome = Outcome::abandoned;
  c.wait_s = wait;
  return c;
}

// The hand log (every number below is computed by hand from it in the comments).
// 08:00 interval: #1 answered W 10, H 100+20+30 = 150, customer A, CSAT 4
//                 #2 answered W 30, H 200+0+40 = 240, customer B, transferred, CSAT 2
//                 #3 abandoned W 3 (short: < 5 s)      #4 abandoned W 25
// 08:15 interval: #5 answered W 0, H 60, customer A (repeat of #1 after 20 min)
//                 #6 answered W 15, H 100+0+10 = 110 at 08:29:15: 45 s in 08:15, 65 s in 08:30
// 03-10 09:00:    #7 answered W 5, H 50, customer B (8 days after #2: outside the 7-day window)
std::vector<Contact> hand_log() {
  std::vector<Contact> log;
  log.push_back(answered("2026-03-02 08:00:00", 10, 100, 20, 30, 1));
  log.back().csat = 4;
  log.push_back(answered("2026-03-02 08:05:00", 30, 200, 0, 40, 2));
  log.back().transferred = true;
  log.back().csat = 2;
  log.push_back(abandoned("2026-03-02 08:10:00", 3));
  log.push_back(abandoned("2026-03-02 08:12:00", 25));
  log.push_back(answered("2026-03-02 08:20:00", 0, 60, 0, 0, 1));
  log.push_back(answered("2026-03-02 08:29:00", 15, 100, 0, 10, 3));
  log.push_back(answered("2026-03-10 09:00:00", 5, 50, 0, 0, 2));
  return log;
}

ContactKpis hand_kpis(std::vector<Contact> log) {
  ContactKpiAccumulator acc(ContactKpiOptions{});  // 900 s, short 5 s, target 20 s, FCR 7 days
  for (const Contact& c : log) acc.add(c);
  acc.add_staffed_time(ts("2026-03-02 08:00"), 1800.0, 2.0);  // 2 agents over 08:00-08:30
  return acc.finish();
}

double sl(const ContactKpis& k, const IntervalKpis& r, D d) {
  for (std::size_t i = 0; i < k.service_levels.size(); ++i)
    if (k.service_levels[i].definition == d) return r.service_level[i];
  FAIL("no such service level");
  return -1.0;
}

}  // namespace

TEST_CASE("contact KPIs of a hand-computed log", "[kpi][contacts]") {
  const ContactKpis k = hand_kpis(hand_log());
  REQUIRE(k.intervals.size() == 4);  // 08:00, 08:15, 08:30 (busy time only), 03-10 09:00
  const IntervalKpis& a = k.intervals[0];
  CHECK(a.timestamp == ts("2026-03-02 08:00"));
  CHECK(a.volume == 4);
  CHECK(a.answered == 2);
  CHECK(a.abandoned == 2);
  CHECK(a.short_abandoned == 1);
  CHECK(a.abandon_rate == 0.5);                          // 2 / 4
  CHECK_THAT(a.abandon_rate_net, WithinRel(1.0 / 3.0));  // (2 - 1) / (4 - 1)
  CHECK(a.aht_s == 195.0);                               // (150 + 240) / 2
  CHECK(a.asa_s == 20.0);                                // (10 + 30) / 2
  CHECK(a.asa_all_s == 17.0);                            // (10 + 30 + 3 + 25) / 4
  CHECK(sl(k, a, D::answered_within) == 0.25);           // #1 only, over 4 offered
  CHECK(sl(k, a, D::wait_within) == 0.5);                // #1 and #3 (abandoned at 3 s)
  CHECK(sl(k, a, D::answered_given_answered) == 0.5);    // #1 over 2 answered
  // KM of V: censored at 3 (n 4 -> 3), event at 10 with n = 3: S(20) = 2/3, P(V <= 20) = 1/3.
  CHECK_THAT(sl(k, a, D::virtual_wait_within), WithinRel(1.0 / 3.0));
  CHECK(a.transfer_rate == 0.5);
  CHECK(a.csat_mean == 3.0);
  CHECK(a.csat_count == 2);
  CHECK(a.patience_s == 34.0);  // (10 + 30 + 3 + 25) / 2 abandons
  CHECK(a.fcr_count == 2);      // #1 (repeated by #5) and #2 (no repeat within 7 days)
  CHECK(a.fcr_rate == 0.5);
  CHECK(a.busy_s == 390.0);  // 150 + 240
  CHECK(a.staffed_s == 1800.0);
  CHECK_THAT(a.occupancy, WithinRel(390.0 / 1800.0));

  const IntervalKpis& b = k.intervals[1];
  CHECK(b.volume == 2);
  CHECK(b.abandon_rate == 0.0);
  CHECK(b.aht_s == 85.0);  // (60 + 110) / 2
  CHECK(b.asa_s == 7.5);   // (0 + 15) / 2
  CHECK(sl(k, b, D::answered_within) == 1.0);
  CHECK(sl(k, b, D::virtual_wait_within) == 1.0);
  CHECK(std::isinf(b.patience_s));  // no abandon: only known to exceed the waits
  CHECK(b.fcr_rate == 1.0);         // #5, #6: no later contact of A or C
  CHECK(b.csat_count == 0);
  CHECK(b.busy_s == 105.0);  // 60 + 45

  const IntervalKpis& c = k.intervals[2];  // no arrival, but #6's last 65 s
  CHECK(c.timestamp == ts("2026-03-02 08:30"));
  CHECK(c.volume == 0);
  CHECK(c.busy_s == 65.0);
  CHECK(c.staffed_s == 0.0);
  CHECK(c.occupancy == 0.0);
  CHECK(sl(k, c, D::answered_within) == 1.0);  // limit value without contacts

  CHECK(k.intervals[3].fcr_count == 0);  // #7's window runs past the end of the log

  const IntervalKpis& o = k.overall;
  CHECK(o.volume == 7);
  CHECK_THAT(o.abandon_rate, WithinRel(2.0 / 7.0));
  CHECK_THAT(o.abandon_rate_net, WithinRel(1.0 / 6.0));
  CHECK(o.aht_s == 122.0);  // 610 / 5
  CHECK(o.asa_s == 12.0);   // 60 / 5
  CHECK_THAT(sl(k, o, D::answered_within), WithinRel(4.0 / 7.0));
  CHECK(o.fcr_rate == 0.75);  // 3 of #1, #2, #5, #6
  CHECK(o.patience_s == 44.0);  // 88 / 2
  CHECK_THAT(o.occupancy, WithinRel(610.0 / 3600.0));
  // Kaplan-Meier of patience: events at 3 (n = 6) and 25 (n = 2): S = 5/6, then 5/12.
  const KaplanMeier& km = k.patience.kaplan_meier;
  REQUIRE(km.time.size() == 2);
  CHECK_THAT(km.survival[0], WithinRel(5.0 / 6.0));
  CHECK_THAT(km.survival[1], WithinRel(5.0 / 12.0));
  CHECK(km.median_s == 25.0);
  // int S = 3 + 5/6 * 22 + 5/12 * 5 (to the largest wait, 30)
  CHECK_THAT(km.restricted_mean_s, WithinRel(3.0 + 22.0 * 5.0 / 6.0 + 5.0 * 5.0 / 12.0, 1e-12));
  CHECK(k.handle_time.count == 5);
  CHECK(k.handle_time_sample.size() == 5);
}

TEST_CASE("contact KPIs do not depend on the order of the rows", "[kpi][contacts]") {
  std::vector<Contact> log = hand_log();
  const ContactKpis sorted = hand_kpis(log);
  std::reverse(log.begin(), log.end());  // the reversed log grows the grid at the front
  const ContactKpis reversed = hand_kpis(log);
  REQUIRE(reversed.intervals.size() == sorted.intervals.size());
  for (std::size_t i = 0; i < sorted.intervals.size(); ++i) {
    CHECK(reversed.intervals[i].timestamp == sorted.intervals[i].timestamp);
    CHECK(reversed.intervals[i].volume == sorted.intervals[i].volume);
    CHECK(reversed.intervals[i].busy_s == sorted.intervals[i].busy_s);
    CHECK(reversed.intervals[i].fcr_rate == sorted.intervals[i].fcr_rate);
    CHECK(reversed.intervals[i].service_level == sorted.intervals[i].service_level);
  }
}

// First-contact resolution counted by brute force from its definition (contacts.hpp): an answered
// contact with a customer id whose window ends inside the log counts; it is resolved when the same
// customer's next contact (the earliest strictly later arrival) is more than the window away.
// Per interval from `start` (a multiple of len): (count, resolved).
std::vector<std::pair<double, double>> brute_force_fcr(const std::vector<Contact>& log,
                                                       std::int64_t window, std::int64_t len,
                                                       std::int64_t start) {
  std::int64_t last = start;
  for (const Contact& c : log) last = std::max(last, c.arrival);
  const auto k0 = start / len;
  std::vector<std::pair<double, double>> out(static_cast<std::size_t>(last / len - k0 + 1));
  for (const Contact& c : log) {
    if (c.outcome != Outcome::answered || c.customer == 0 || c.arrival > last - window) continue;
    std::int64_t next = std::numeric_limits<std::int64_t>::max();
    for (const Contact& d : log)
      if (d.customer == c.customer && d.arrival > c.arrival) next = std::min(next, d.arrival);
    auto& [count, ok] = out[static_cast<std::size_t>(c.arrival / len - k0)];
    count += 1.0;
    if (next - c.arrival > window) ok += 1.0;
  }
  return out;
}

TEST_CASE("first-contact resolution equals its brute-force count on shuffled logs",
          "[kpi][contacts]") {
  // Customers as small integers (so the bucketing must mix them), repeated arrival seconds, one
  // customer with a long run of contacts, rows in random order.
  std::mt19937_64 g(11);
  const std::int64_t start = ts("2026-03-02 00:00:00");
  for (const int customers : {3, 400, 5000}) {
    std::vector<Contact> log;
    std::uniform_int_distribution<std::int64_t> when(0, 20 * 86400);
    std::uniform_int_distribution<std::uint64_t> who(0, static_cast<std::uint64_t>(customers));
    for (int i = 0; i < 6000; ++i) {
      Contact c;
      c.arrival = start + when(g) / 600 * 600;  // 10-minute marks: many equal arrivals
      c.outcome = g() % 5 == 0 ? Outcome::abandoned : Outcome::answered;
      c.talk_s = c.outcome == Outcome::answered ? 100.0 : 0.0;
      c.customer = who(g);  // 0: no id
      log.push_back(c);
    }
    std::shuffle(log.begin(), log.end(), g);
    ContactKpiOptions o;
    o.fcr_window_days = 3.0;
    const ContactKpis k = contact_kpis(log, o);
    const auto expect = brute_force_fcr(log, 3 * 86400, 900, start);
    std::size_t seen = 0;
    double total = 0.0;
    for (const IntervalKpis& r : k.intervals) {
      const auto& [count, ok] = expect[static_cast<std::size_t>((r.timestamp - start) / 900)];
      CHECK(r.fcr_count == count);
      CHECK(r.fcr_rate == (count > 0.0 ? ok / count : 0.0));
      total += count;
      ++seen;
    }
    CHECK(seen > 100);
    CHECK(k.overall.fcr_count == total);
    CHECK(total > 1000.0);
  }
}

TEST_CASE("contact KPIs: bad rows are errors naming the row", "[kpi][contacts]") {
  ContactKpiAccumulator acc(ContactKpiOptions{});
  Contact c = answered("2026-03-02 08:00", -1.0, 10, 0, 0);
  CHECK_THROWS_WITH(acc.add(c, "log.csv, line 7"),
                    Contains("log.csv, line 7") && Contains("wait_s"));
  c.wait_s = 0.0;
  c.acw_s = std::nan("");
  CHECK_THROWS_WITH(acc.add(c), Contains("acw_s"));
  c.acw_s = 1e308;  // absurd but finite: an error, not a week-long loop over intervals
  CHECK_THROWS_WITH(acc.add(c), Contains("max_duration_s"));
  CHECK_THROWS_WITH(contact_kpis({answered("2026-03-02 08:00", 1, 10, 0, 0), c}),
                    Contains("contacts[1]") && Contains("acw_s"));
  acc.add(answered("2026-03-02 08:00", 1, 10, 0, 0));
  CHECK_THROWS_WITH(acc.add(answered("1900-01-01 00:00", 1, 10, 0, 0), "row 9"),
                    Contains("row 9") && Contains("max_intervals"));
  ContactKpiOptions bad;
  bad.interval_length_s = 0;
  CHECK_THROWS_AS(ContactKpiAccumulator(bad), wfm::InvalidArgument);
  bad = {};
  bad.target_times_s = {-1.0};
  CHECK_THROWS_AS(ContactKpiAccumulator(bad), wfm::InvalidArgument);
}

TEST_CASE("a contact across midnight counts on its arrival day, its busy time on both",
          "[kpi][contacts]") {
  ContactKpiAccumulator acc(ContactKpiOptions{});
  acc.add(answered("2026-03-28 23:59:00", 30, 90, 0, 0));  // answered 23:59:30, ends 00:01:00
  const ContactKpis k = acc.finish();
  REQUIRE(k.intervals.size() == 2);
  CHECK(k.intervals[0].volume == 1);
  CHECK(k.intervals[0].busy_s == 30.0);
  CHECK(k.intervals[1].timestamp == ts("2026-03-29 00:00"));
  CHECK(k.intervals[1].volume == 0);
  CHECK(k.intervals[1].busy_s == 60.0);
}

TEST_CASE("an empty log gives limit values and statuses, not NaN", "[kpi][contacts]") {
  ContactKpiAccumulator acc(ContactKpiOptions{});
  const ContactKpis k = acc.finish();
  CHECK(k.intervals.empty());
  CHECK(k.overall.volume == 0);
  CHECK(k.overall.aht_s == 0);
  CHECK(k.overall.service_level[0] == 1.0);
  CHECK(k.patience.status == wfm::Status::not_converged);
  CHECK(k.handle_time.status == wfm::Status::not_converged);
}

// The round trip: the simulator's own log of a stationary Erlang A day, measured by wfm::kpi,
// must give the simulator's own estimates (same counting rules: exactly, up to rounding) and
// agree with Erlang A (M/M/n+M, Mandelbaum & Zeltyn 2007) within sampling error.
TEST_CASE("simulator round trip: a stationary Erlang A day", "[kpi][contacts][round_trip]") {
  using namespace wfm::simulation;
  const double lambda = 1.0, aht = 180.0, patience = 120.0;  // 180 Erlangs
  const int n = 182;
  Scenario s;
  s.interval_length = 900.0;
  s.arrival_rate.assign(96, lambda);  // 24 h, about 86,400 calls
  s.handle_time = Distribution::exponential(aht);
  s.patience = Distribution::exponential(patience);
  s.staffing = std::vector<int>(96, n);
  RunOptions ro;
  ro.replications = 1;
  ro.seed = 11;
  ro.warmup = 3600.0;  // start in steady state
  ro.keep_contact_log = true;
  const SimulationResult sim = simulate(s, ro);
  REQUIRE(sim.contact_log.size() == static_cast<std::size_t>(sim.total.volume.value));

  const std::int64_t start = ts("2026-03-02 00:00");
  ContactKpiAccumulator acc(ContactKpiOptions{});
  for (const Contact& c : from_simulation(sim.contact_log, start)) acc.add(c);
  acc.add_staffed_time(start, 96 * 900.0, n);
  const ContactKpis k = acc.finish();
  REQUIRE(k.intervals.size() >= 96);

  // 1. The simulator's own estimates (replication 0 = the whole result with 1 replication).
  const IntervalKpis& o = k.overall;
  CHECK(o.volume == sim.total.volume.value);
  CHECK(o.abandoned == sim.total.abandoned.value);
  CHECK_THAT(o.abandon_rate, WithinRel(sim.total.abandon_rate.value, 1e-12));
  CHECK_THAT(o.asa_s, WithinRel(sim.total.asa_answered_s.value, 1e-9));
  CHECK_THAT(o.asa_all_s, WithinRel(sim.total.asa_s.value, 1e-9));
  for (D d : {D::answered_within, D::wait_within, D::answered_given_answered}) {
    INFO(wfm::queueing::to_string(d));
    CHECK_THAT(sl(k, o, d), WithinRel(sim.total.service_level[static_cast<std::size_t>(
                                          sim.service_level_index(d, 20.0))].value, 1e-12));
  }
  // Virtual wait: the simulator sees V of abandoned callers (ghosts), the log does not (KM).
  const double v_sim = sim.total.service_level[static_cast<std::size_t>(
      sim.service_level_index(D::virtual_wait_within, 20.0))].value;
  CHECK_THAT(sl(k, o, D::virtual_wait_within), WithinAbs(v_sim, 0.01));
  // Occupancy: the log's busy time past the horizon (a few calls) is the only difference.
  CHECK_THAT(o.occupancy, WithinAbs(sim.total.occupancy.value, 0.002));

  // 2. Erlang A. Tolerances: about 4 standard errors of a one-day estimate (batch means of
  // the 96 intervals give SE(SL) ~ 0.003, SE(abandon rate) ~ 0.0015 at this load; with seed 11
  // the measured differences are 0.0026, 0.0005 and 0.0021).
  const wfm::queueing::ErlangA ea(lambda, aht, patience);
  INFO("SL " << sl(k, o, D::answered_within) << " vs "
             << ea.service_level(n, 20.0, D::answered_within));
  CHECK_THAT(sl(k, o, D::answered_within),
             WithinAbs(ea.service_level(n, 20.0, D::answered_within), 0.012));
  CHECK_THAT(sl(k, o, D::virtual_wait_within),
             WithinAbs(ea.service_level(n, 20.0, D::virtual_wait_within), 0.012));
  CHECK_THAT(o.abandon_rate, WithinAbs(ea.abandon_probability(n), 0.006));
  CHECK_THAT(o.asa_all_s,
             WithinRel(ea.average_speed_of_answer(n, wfm::queueing::AsaOver::all), 0.15));
  CHECK_THAT(o.occupancy, WithinAbs(ea.occupancy(n), 0.01));
  // 3. Patience from censored waits: the MLE recovers the simulated mean patience; averaging
  // only the abandoned waits (the naive estimate) is far below it.
  CHECK_THAT(k.patience.patience_s, WithinRel(patience, 0.1));
  double abandoned_wait = 0.0;
  for (const auto& c : sim.contact_log)
    if (!c.answered) abandoned_wait += c.wait;
  CHECK(abandoned_wait / o.abandoned < 0.5 * patience);
  // 4. Handle times: exponential(180) is lognormal-ish only roughly; the fit's mean is near 180
  // and KS rejects (D large) — an exponential has sigma_ln = pi / sqrt(6) ~ 1.28.
  CHECK_THAT(k.handle_time.sample_mean_s, WithinRel(aht, 0.03));
  CHECK_THAT(k.handle_time.sigma, WithinRel(M_PI / std::sqrt(6.0), 0.03));
  CHECK(k.handle_time.ks_p_value < 1e-6);
}

TEST_CASE("the handle-time sample is a uniform sample without replacement",
          "[kpi][contacts]") {
  // 100,000 answered contacts with handle times 1, 2, ..., 100,000 s and a sample of 1,000
  // (Li 1994, algorithm L): a uniform sample puts Binomial(1000, 0.1) = 100 +- 9.5 of them in
  // each tenth of the stream; keeping the first 1,000 (or any prefix) would fail at once.
  ContactKpiOptions o;
  o.handle_sample_size = 1000;
  ContactKpiAccumulator acc(o);
  Contact c;
  c.arrival = ts("2026-03-02 08:00");
  for (int i = 1; i <= 100000; ++i) {
    c.talk_s = static_cast<double>(i);
    acc.add(c);
  }
  std::vector<double> s = acc.finish().handle_time_sample;
  REQUIRE(s.size() == 1000);
  std::sort(s.begin(), s.end());
  CHECK(std::adjacent_find(s.begin(), s.end()) == s.end());  // no item twice
  std::vector<int> tenth(10, 0);
  for (double h : s) ++tenth[static_cast<std::size_t>((h - 1.0) / 10000.0)];
  for (int n : tenth) CHECK(std::abs(n - 100) <= 48);  // 5 standard deviations
  ContactKpiOptions none;
  none.handle_sample_size = 0;
  ContactKpiAccumulator empty(none);
  empty.add(c);
  CHECK(empty.finish().handle_time_sample.empty());
}
