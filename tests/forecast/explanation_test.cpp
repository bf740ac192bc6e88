// Issue 16: the special-day hierarchy (name -> kind -> ordinary), shrinkage, neighbour days and
// the per-day explanation. Reference values are the generator's true effects
// (special_days_fixture.hpp), recovered within the noise of Poisson counts of ~2000 a day.
#include <cmath>
#include <map>
#include <numeric>
#include <wfm/core/calendar.hpp>
#include <wfm/forecast/explanation.hpp>
#include <wfm/forecast/forecaster.hpp>

#include "special_days_fixture.hpp"
#include "support/catch.hpp"

using namespace wfm;
using namespace wfm::forecast;
using Catch::Matchers::Contains;

namespace {

const Forecaster& fitted() {
  static const Forecaster f = [] {
    const auto spec = test::special_spec();
    FitOptions o;
    o.method = Method::top_down;
    return Forecaster::fit(test::special_series(spec), test::special_calendar(spec), o);
  }();
  return f;
}

DayExplanation explain_day(int d) {
  const auto spec = test::special_spec();
  const auto at = test::synth_targets(spec, d, d + 1);
  const auto x = fitted().explain(at);
  REQUIRE(x.size() == 1);
  return x[0];
}

double report_ratio(const std::string& name) {
  for (const auto& e : fitted().report().special_days)
    if (e.name == name) return e.ratio;
  FAIL("no report entry " << name);
  return 0.0;
}

}  // namespace

TEST_CASE("A never-seen intermediate day borrows the intermediate kind's effect, not the holiday's",
          "[forecast][special]") {
  // The defect: on main a name without past occurrences took the pooled effect of all
  // non-eve special days (holidays 0.25-0.6 and intermediates 0.8-0.85 together, ~0.5).
  const auto spec = test::special_spec();
  const auto at = test::synth_targets(spec, 142, 143);  // "I3 (intermediate)", never seen
  const auto p = fitted().predict(at);
  double regular = 0.0;
  for (int k = spec.open_slot; k < spec.close_slot; ++k) regular += test::synth_mean(spec, 142, k);
  const double ratio = std::accumulate(p.begin(), p.end(), 0.0) / regular;
  // The kind's effect: geometric mean of 0.8 and 0.85 (0.825), shrunk a little toward 1 (the
  // between-name variance is shared by the kinds and the holidays' names differ, so the
  // posterior leaves the two intermediate names' mean some doubt: 0.885 at the branch fc16b).
  CHECK(ratio > 0.78);
  CHECK(ratio < 0.90);
  const DayExplanation x = explain_day(142);
  CHECK(x.special_source == EffectSource::kind);
  CHECK(x.special_kind == "intermediate");
  CHECK(x.special_name == "I3");
  CHECK(x.occurrences == 5);  // the kind's past days: I1 x 3, I2 x 2
  // The kind's intraday shape: all intermediate calls came in the morning (slots < 28).
  double morning = 0.0;
  for (std::size_t i = 0; i < p.size(); ++i)
    if (second_of_day(at[i]) / 1800 < 28) morning += p[i];
  CHECK(morning / std::accumulate(p.begin(), p.end(), 0.0) > 0.8);
  CHECK(x.profile_source == "kind intermediate");
}

TEST_CASE("Name and kind effects are recovered", "[forecast][special]") {
  CHECK(report_ratio("H1") == Approx(0.25).epsilon(0.08));
  CHECK(report_ratio("H2") == Approx(0.35).epsilon(0.08));
  CHECK(report_ratio("I1") == Approx(0.8).epsilon(0.05));
  CHECK(report_ratio("I2") == Approx(0.85).epsilon(0.05));
  CHECK(report_ratio("E1") == Approx(0.6).epsilon(0.06));
  // Never seen: its kind's effect (geometric mean of H1, H2, H4 = 0.37), shrunk toward 1 by
  // at most k_max / (J + k_max) of the way on the log scale.
  const DayExplanation h3 = explain_day(143);
  CHECK(h3.special_source == EffectSource::kind);
  CHECK(h3.special_kind == "holiday");
  CHECK(h3.special_effect > 0.3);
  CHECK(h3.special_effect < 0.45);
  const DayExplanation i1 = explain_day(144);
  CHECK(i1.special_source == EffectSource::name);
  CHECK(i1.occurrences == 3);
  CHECK(i1.special_effect == Approx(0.8).epsilon(0.05));
}

TEST_CASE("Shrinkage moves a one-occurrence name toward its kind", "[forecast][special]") {
  const DayExplanation h4 = explain_day(149);  // H4: one past day at 0.6; holiday kind ~0.37
  CHECK(h4.special_source == EffectSource::name);
  CHECK(h4.occurrences == 1);
  // weight n / (n + k) with k >= k_min = 0.25: at most 0.8 for one occurrence.
  CHECK(h4.evidence_weight <= 1.0 / 1.25 + 1e-12);
  CHECK(h4.evidence_weight > 0.0);
  CHECK(h4.special_effect < 0.6 * 0.97);
  const DayExplanation h3 = explain_day(143);  // the kind alone
  CHECK(h4.special_effect > h3.special_effect);
  // A name seen three times is shrunk less than a name seen once.
  CHECK(explain_day(144).evidence_weight > h4.evidence_weight);
}

TEST_CASE("The explanation multiplies back to the day's forecast", "[forecast][special]") {
  const auto spec = test::special_spec();
  const auto at = test::synth_targets(spec, 140, 154);  // two weeks, special and neighbour days
  const ForecastResult r = fitted().forecast(at, std::vector<double>{0.8});
  REQUIRE(r.explanation.size() == 10);  // weekdays only
  int special = 0;
  for (const auto& x : r.explanation) {
    INFO(x.date);
    CHECK(x.base_volume * x.weekday_effect * x.day_of_month_effect * x.special_effect ==
          Approx(x.model_day_volume).epsilon(1e-9));
    double sum = 0.0;
    for (std::size_t i = 0; i < at.size(); ++i)
      if (day_of(at[i]) == x.day) sum += r.volume[i];
    CHECK(sum == Approx(x.model_day_volume).epsilon(1e-9));
    CHECK(x.date == format_date(x.day * seconds_per_day));
    if (x.special_source != EffectSource::none) ++special;
  }
  CHECK(special >= 4);
  CHECK(r.explanation[0].special_source == EffectSource::none);  // Monday 140: ordinary
  CHECK(r.explanation[0].special_effect == 1.0);
  // Weekday effects follow the generator's factors (Monday 1.25 / mean of 5 open days 1.02).
  CHECK(r.explanation[0].weekday_effect == Approx(1.25 * 7.0 / 5.1).epsilon(0.06));
}

TEST_CASE("Neighbour effects: the Monday after a long weekend is learned", "[forecast][special]") {
  test::SynthSpec spec;
  spec.days = 140;
  // Holidays on Fridays (run Friday-Sunday of 3 non-working days); the Mondays after run 40 %
  // above normal. Ordinary Mondays are ordinary.
  const std::vector<int> fridays{11, 39, 67, 95, 123};
  const auto s = test::synth_series(spec, [&](int d, int) {
    for (const int f : fridays) {
      if (d == f) return 0.2;
      if (d == f + 3) return 1.4;
    }
    return 1.0;
  });
  SpecialDays cal;
  for (const int f : fridays) cal.add(spec.first_day + f, "Long weekend holiday");
  cal.add(spec.first_day + 144, "Long weekend holiday");  // a future Friday
  FitOptions o;
  o.method = Method::top_down;
  const Forecaster f = Forecaster::fit(s, cal, o);
  const auto monday = test::synth_targets(spec, 147, 148);
  const auto x = f.explain(monday);
  REQUIRE(x.size() == 1);
  CHECK(x[0].special_source == EffectSource::neighbour);
  CHECK(x[0].special_name == "after_long_weekend");
  CHECK(x[0].occurrences == 5);
  CHECK(x[0].special_effect == Approx(1.4).epsilon(0.05));
  // Without neighbour effects the same Monday is ordinary.
  o.special.neighbours = false;
  const auto plain = Forecaster::fit(s, cal, o).explain(monday);
  CHECK(plain[0].special_source == EffectSource::none);
  CHECK(f.predict(monday)[10] > 1.3 * Forecaster::fit(s, cal, o).predict(monday)[10]);
}

TEST_CASE("Kind closed forecasts zero; a kind never observed is ordinary", "[forecast][special]") {
  const auto spec = test::special_spec();
  SpecialDays cal = test::special_calendar(spec);
  cal.add(spec.first_day + 150, "Shutdown", DayKind{SpecialDayKind::closed, ""});
  cal.add(spec.first_day + 151, "Billing run", DayKind{SpecialDayKind::user, "billing"});
  FitOptions o;
  o.method = Method::top_down;
  const Forecaster f = Forecaster::fit(test::special_series(spec), cal, o);
  const auto closed = test::synth_targets(spec, 150, 151);
  for (const double v : f.predict(closed)) CHECK(v == 0.0);
  const auto x = f.explain(test::synth_targets(spec, 150, 152));
  REQUIRE(x.size() == 2);
  CHECK(x[0].special_source == EffectSource::closed);
  CHECK(x[0].model_day_volume == 0.0);
  CHECK(x[1].special_source == EffectSource::none);
  CHECK(x[1].special_kind == "billing");
  CHECK(x[1].special_effect == 1.0);
  CHECK(to_string(EffectSource::neighbour) == "neighbour");
}

TEST_CASE("A kind whose few names differ widely is not shrunk back to ordinary",
          "[forecast][special]") {
  // The Pesach VII defect of the Israeli series (bench/RESULTS.md, issue 16): two holidays
  // seen once each (ratios 0.5 and 0.07, log effects 1.97 apart), one eve (0.35) and three
  // near-ordinary intermediate days. With moment estimates the between-name variance (df = 1)
  // swamped the kinds, the kind variance came out negative, k was clamped to k_max = 20 and
  // a new holiday and a new eve were forecast at 0.86 and 0.95 of an ordinary day. With the
  // variances integrated over their posterior (special.cpp, hierarchy_posterior) both kinds
  // keep most of what their days showed.
  test::SynthSpec spec;
  spec.days = 140;
  const std::map<int, double> ratio{{30, 0.5}, {59, 0.35}, {60, 0.07}, {86, 1.1}, {87, 1.1}, {88, 1.1}};
  const auto s = test::synth_series(spec, [&](int d, int) {
    const auto it = ratio.find(d);
    return it == ratio.end() ? 1.0 : it->second;
  });
  SpecialDays cal;
  cal.add(spec.first_day + 30, "HA (holiday)");
  cal.add(spec.first_day + 59, "EA (eve)");
  cal.add(spec.first_day + 60, "HB (holiday)");
  for (const int d : {86, 87, 88}) cal.add(spec.first_day + d, "IA (intermediate)");
  cal.add(spec.first_day + 142, "EB (eve)");      // Wednesday, never seen
  cal.add(spec.first_day + 143, "HC (holiday)");  // Thursday, never seen
  FitOptions o;
  o.method = Method::top_down;
  const Forecaster f = Forecaster::fit(s, cal, o);
  const auto x = f.explain(test::synth_targets(spec, 142, 144));
  REQUIRE(x.size() == 2);
  CHECK(x[0].special_source == EffectSource::kind);
  CHECK(x[1].special_source == EffectSource::kind);
  // Eve: its one day at 0.35; the posterior keeps more than half of the way from 1.
  CHECK(x[0].special_effect < 0.8);
  CHECK(x[0].special_effect > 0.35);
  // Holiday: geometric mean of 0.5 and 0.07 is 0.19, shrunk toward 1 (0.51 at fc16b).
  CHECK(x[1].special_effect < 0.6);
  CHECK(x[1].special_effect > 0.19);
}
