#include <algorithm>
#include <cmath>
#include <string>
#include <vector>
#include <wfm/core/calendar.hpp>
#include <wfm/core/error.hpp>
#include <wfm/forecast/overrides.hpp>

#include "support/catch.hpp"
#include "synth.hpp"

using namespace wfm;
using namespace wfm::forecast;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinRel;

namespace {

const std::int64_t monday = days_from_civil(2024, 3, 4);  // a Monday

// Three days x four half-hours 08:00-10:00 with a known profile; volumes are hand-made so that
// every expected value below is exact arithmetic on them.
ForecastResult small_forecast() {
  ForecastResult f;
  const double profile[4] = {10.0, 20.0, 30.0, 40.0};
  for (int d = 0; d < 3; ++d)
    for (int s = 0; s < 4; ++s) {
      f.timestamps.push_back((monday + d) * 86400 + 8 * 3600 + s * 1800);
      f.volume.push_back(profile[s] * (d + 1));
    }
  f.levels = {0.8};
  f.volume_lower = {f.volume};
  f.volume_upper = {f.volume};
  for (double& v : f.volume_lower[0]) v *= 0.5;
  for (double& v : f.volume_upper[0]) v *= 2.0;
  return f;
}

LayerEntry factor_entry(std::int64_t day, double value) {
  LayerEntry e;
  e.first_day = e.last_day = day;
  e.value = value;
  e.reason = "test";
  return e;
}

}  // namespace

TEST_CASE("An override of +20 % on one day changes exactly that day's intervals by 1.2",
          "[forecast][overrides]") {
  const ForecastResult f = small_forecast();
  const std::vector<LayerEntry> layer{factor_entry(monday + 1, 0.2)};
  const LayeredForecast l = apply_layer(f, layer);
  REQUIRE(l.volume.size() == f.volume.size());
  for (std::size_t i = 0; i < f.volume.size(); ++i) {
    INFO(format_timestamp(f.timestamps[i]));
    const bool tuesday = day_of(f.timestamps[i]) == monday + 1;
    CHECK(l.model_volume[i] == f.volume[i]);  // the model's forecast is kept as it was
    CHECK_THAT(l.volume[i], WithinRel(f.volume[i] * (tuesday ? 1.2 : 1.0), 1e-15));
    CHECK_THAT(l.volume_upper[0][i], WithinRel(f.volume_upper[0][i] * (tuesday ? 1.2 : 1.0), 1e-15));
    CHECK(l.override_entry[i] == (tuesday ? 0 : -1));
    CHECK(l.override[i] == (tuesday ? "+20 % (test)" : ""));
    CHECK(l.event[i].empty());
  }
  CHECK(l.unmatched.empty());
}

TEST_CASE("An absolute day volume is spread by the profile and sums back",
          "[forecast][overrides]") {
  const ForecastResult f = small_forecast();
  LayerEntry e = factor_entry(monday, 0.0);
  e.mode = AdjustmentMode::day_volume;
  e.value = 500.0;
  const LayeredForecast l = apply_layer(f, std::vector<LayerEntry>{e});
  double sum = 0.0;
  for (std::size_t i = 0; i < 4; ++i) {  // Monday's profile 10:20:30:40 of 100
    CHECK_THAT(l.volume[i], WithinRel(500.0 * f.volume[i] / 100.0, 1e-14));
    sum += l.volume[i];
  }
  CHECK_THAT(sum, WithinRel(500.0, 1e-14));
  CHECK(l.override[0] == "500 per day (test)");

  SECTION("a time range: only those intervals, spread among them") {
    e.time_from_s = 9 * 3600;  // 09:00-10:00: the third and fourth half-hour (30:40)
    const LayeredForecast r = apply_layer(f, std::vector<LayerEntry>{e});
    CHECK(r.volume[0] == f.volume[0]);
    CHECK(r.volume[1] == f.volume[1]);
    CHECK_THAT(r.volume[2], WithinRel(500.0 * 30.0 / 70.0, 1e-14));
    CHECK_THAT(r.volume[3], WithinRel(500.0 * 40.0 / 70.0, 1e-14));
  }
  SECTION("a model volume of 0 everywhere: equal shares") {
    ForecastResult z = f;
    std::fill(z.volume.begin(), z.volume.end(), 0.0);
    const LayeredForecast r = apply_layer(z, std::vector<LayerEntry>{e});
    for (std::size_t i = 0; i < 4; ++i) CHECK(r.volume[i] == 125.0);
    CHECK(r.volume_lower[0][0] == 125.0);  // model 0: both bounds are the final volume
  }
  SECTION("per interval") {
    e.mode = AdjustmentMode::interval_volume;
    e.value = 7.0;
    e.last_day = monday + 2;
    const LayeredForecast r = apply_layer(f, std::vector<LayerEntry>{e});
    for (double v : r.volume) CHECK(v == 7.0);
  }
}

TEST_CASE("Overlapping overrides: the later entry wins interval by interval",
          "[forecast][overrides]") {
  const ForecastResult f = small_forecast();
  LayerEntry week = factor_entry(monday, -0.5);  // whole range: -50 %
  week.last_day = monday + 2;
  LayerEntry tuesday = factor_entry(monday + 1, 0.0);  // later: Tuesday absolute 100 per day
  tuesday.mode = AdjustmentMode::day_volume;
  tuesday.value = 100.0;
  const LayeredForecast l = apply_layer(f, std::vector<LayerEntry>{week, tuesday});
  for (std::size_t i = 0; i < f.volume.size(); ++i) {
    const bool tue = day_of(f.timestamps[i]) == monday + 1;
    // Tuesday: the day_volume alone (the earlier -50 % does not apply there at all).
    CHECK_THAT(l.volume[i], WithinRel(tue ? 100.0 * f.volume[i] / 200.0 : f.volume[i] * 0.5, 1e-14));
    CHECK(l.override_entry[i] == (tue ? 1 : 0));
  }
  // Reversed order: the range wins everywhere, the Tuesday entry nowhere.
  const LayeredForecast r = apply_layer(f, std::vector<LayerEntry>{tuesday, week});
  for (std::size_t i = 0; i < f.volume.size(); ++i) CHECK(r.volume[i] == f.volume[i] * 0.5);
}

TEST_CASE("Events multiply the model volume and are reported apart from overrides",
          "[forecast][overrides]") {
  const ForecastResult f = small_forecast();
  LayerEntry a = factor_entry(monday, 0.5);
  a.type = LayerEntryType::event;
  a.name = "billing run";
  LayerEntry b = a;
  b.name = "campaign";
  b.value = 0.2;
  b.time_from_s = 9 * 3600;
  LayerEntry o = factor_entry(monday, -0.1);  // the manager on top: -10 % of the event volume
  o.time_to_s = 8 * 3600 + 1800;
  const LayeredForecast l = apply_layer(f, std::vector<LayerEntry>{a, b, o});
  CHECK_THAT(l.volume[0], WithinRel(10.0 * 1.5 * 0.9, 1e-14));
  CHECK_THAT(l.volume[1], WithinRel(20.0 * 1.5, 1e-14));
  CHECK_THAT(l.volume[3], WithinRel(40.0 * 1.5 * 1.2, 1e-14));
  CHECK_THAT(l.event_factor[3], WithinRel(1.8, 1e-14));
  CHECK(l.event[3] == "+50 % (billing run; test); +20 % (campaign; test)");
  CHECK(l.override[0] == "-10 % (test)");
  CHECK(l.override[1].empty());
  CHECK(l.volume[4] == f.volume[4]);

  SECTION("the explanation's factors multiply back to the day's volumes") {
    const std::vector<LayeredDay> days = explain_layer(l);
    REQUIRE(days.size() == 3);
    const LayeredDay& m = days[0];
    CHECK(m.model.date == "2024-03-04");
    CHECK(m.model_day_volume == 100.0);
    const double after_events = 10 * 1.5 + 20 * 1.5 + 30 * 1.8 + 40 * 1.8;  // 171
    CHECK_THAT(m.event_factor, WithinRel(after_events / 100.0, 1e-14));
    CHECK_THAT(m.model_day_volume * m.event_factor * m.override_factor,
               WithinRel(m.day_volume, 1e-14));
    CHECK_THAT(m.day_volume, WithinRel(after_events - 1.5, 1e-14));  // -10 % of 15
    CHECK(m.override == "-10 % (test)");
    CHECK(days[1].event_factor == 1.0);
    CHECK(days[1].override_factor == 1.0);
    const std::string csv = format_explanation_csv(days);
    CHECK_THAT(csv, Contains("date,base_volume,weekday_effect"));
    CHECK_THAT(csv, Contains("\n2024-03-04,"));
  }
}

TEST_CASE("Entries outside the forecast are reported unmatched, not errors",
          "[forecast][overrides]") {
  const ForecastResult f = small_forecast();
  LayerEntry later = factor_entry(monday + 30, 0.3);
  LayerEntry night = factor_entry(monday, 0.3);
  night.time_from_s = 20 * 3600;
  const LayeredForecast l = apply_layer(f, std::vector<LayerEntry>{later, night});
  CHECK(l.unmatched == std::vector<std::size_t>{0, 1});
  CHECK(l.volume == f.volume);
}

TEST_CASE("Overrides and events files: read, written back, bad rows named",
          "[forecast][overrides]") {
  const std::string text =
      "from,to,time_from,time_to,override_factor,override_day_volume,override_volume,reason,"
      "author\n"
      "2024-03-05,,,,-0.1,,,\"strike, partial\",anna\n"
      "2024-03-06,2024-03-08,09:00,12:30,,1200,,system move,bob\n"
      "2024-03-09,,08:00,24:00,,,15,,\n";
  const std::vector<LayerEntry> e = parse_overrides_csv(text, "o.csv");
  REQUIRE(e.size() == 3);
  CHECK(e[0].first_day == monday + 1);
  CHECK(e[0].last_day == monday + 1);
  CHECK(e[0].value == -0.1);
  CHECK(e[0].reason == "strike, partial");
  CHECK(e[1].mode == AdjustmentMode::day_volume);
  CHECK(e[1].last_day == monday + 4);
  CHECK(e[1].time_from_s == 9 * 3600);
  CHECK(e[1].time_to_s == 12 * 3600 + 1800);
  CHECK(e[2].mode == AdjustmentMode::interval_volume);
  CHECK(e[2].time_to_s == 86400);
  CHECK(e[2].line == 4);
  const std::vector<LayerEntry> back =
      parse_overrides_csv(format_layer_csv(e, LayerEntryType::override), "again");
  REQUIRE(back.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(back[i].first_day == e[i].first_day);
    CHECK(back[i].last_day == e[i].last_day);
    CHECK(back[i].time_from_s == e[i].time_from_s);
    CHECK(back[i].time_to_s == e[i].time_to_s);
    CHECK(back[i].mode == e[i].mode);
    CHECK(back[i].value == e[i].value);
    CHECK(back[i].reason == e[i].reason);
    CHECK(back[i].author == e[i].author);
  }

  const std::string head = "from,to,time_from,time_to,override_factor,override_day_volume\n";
  const auto bad = [&](const std::string& row, const std::string& what) {
    INFO(row);
    CHECK_THROWS_WITH(parse_overrides_csv(head + "2024-03-04,,,,0.1,\n" + row, "o.csv"),
                      Contains(what));
  };
  bad("2024-13-01,,,,0.1,\n", "o.csv, line 3, column 'from': not a date");
  bad("2024-03-05,2024-03-04,,,0.1,\n", "o.csv, line 3, column 'to': the last date");
  bad("2024-03-05,,8:00,,0.1,\n", "o.csv, line 3, column 'time_from': not a time of day");
  bad("2024-03-05,,10:00,09:00,0.1,\n", "o.csv, line 3, column 'time_to': must be after");
  bad("2024-03-05,,,,-10,\n", "o.csv, line 3, column 'override_factor': must be a fraction");
  bad("2024-03-05,,,,0.1,100\n", "o.csv, line 3, column 'override_day_volume': give only one");
  bad("2024-03-05,,,,,\n", "o.csv, line 3, column 'override_factor': one of override_factor, "
                           "override_day_volume must be given");
  bad("2024-03-05,,,,,-5\n", "column 'override_day_volume': must be a volume");
  CHECK_THROWS_WITH(parse_overrides_csv("from,reason\n2024-03-04,x\n", "o.csv"),
                    Contains("o.csv: needs a column override_factor"));
}

TEST_CASE("Events file: uplifts and kinds, kinds go into the calendar", "[forecast][overrides]") {
  const std::string text =
      "from,to,name,event_factor,kind\n"
      "2024-03-05,,Billing run,0.15,\n"
      "2024-03-06,2024-03-07,Spring campaign,,user:campaign\n";
  const std::vector<LayerEntry> e = parse_events_csv(text, "e.csv");
  REQUIRE(e.size() == 2);
  CHECK(e[0].type == LayerEntryType::event);
  CHECK(e[0].value == 0.15);
  CHECK(e[1].is_kind_event());
  const SpecialDays cal = add_event_days({}, e);
  CHECK(cal.size() == 2);
  REQUIRE(cal.name_of(monday + 2) != nullptr);
  CHECK(*cal.name_of(monday + 2) == "Spring campaign");
  REQUIRE(cal.kind_of(monday + 3) != nullptr);
  CHECK(cal.kind_of(monday + 3)->label() == "campaign");
  // The kind event is not applied by the layer: it is the model's business.
  const LayeredForecast l = apply_layer(small_forecast(), e);
  CHECK(l.unmatched == std::vector<std::size_t>{1});
  CHECK_THAT(l.event_factor[4], WithinRel(1.15, 1e-15));

  CHECK_THROWS_WITH(parse_events_csv("from,name,event_factor,kind\n2024-03-05,x,0.1,eve\n", "e.csv"),
                    Contains("e.csv, line 2, column 'kind': give either event_factor or kind"));
  CHECK_THROWS_WITH(parse_events_csv("from,name,event_factor\n2024-03-05,,0.1\n", "e.csv"),
                    Contains("e.csv, line 2, column 'name': an event needs a name"));
  const auto bad_kind = parse_events_csv("from,name,kind\n2024-03-05,x,festival\n", "e.csv");
  CHECK_THROWS_WITH(add_event_days({}, bad_kind), Contains("line 2, column 'kind': not a kind"));
}

TEST_CASE("Overrides survive re-forecasting: same dates, same change, any history",
          "[forecast][overrides]") {
  // Two different histories (length, level, seed) of the synthetic centre, the same target
  // week after both and the same overrides: the same intervals change, by the same rule.
  test::SynthSpec a;
  a.days = 42;
  test::SynthSpec b = a;
  b.days = 49;
  b.level = 3000.0;
  b.seed = 7;
  const std::int64_t target_day = a.first_day + 56;  // a Monday after both histories
  std::vector<std::int64_t> at;
  for (int d = 0; d < 5; ++d)
    for (int s = 16; s < 40; ++s) at.push_back((target_day + d) * 86400 + s * 1800);
  const std::vector<LayerEntry> layer = parse_overrides_csv(
      "from,to,time_from,time_to,override_factor,override_day_volume\n" +
          format_date((target_day + 1) * 86400) + ",,,,0.2,\n" +
          format_date((target_day + 3) * 86400) + ",,10:00,12:00,,300\n",
      "o.csv");
  FitOptions o;
  o.method = Method::weekly_average;
  o.backtest_origins = 1;
  const std::vector<double> levels{0.8};
  const ForecastResult fa = Forecaster::fit(test::synth_series(a), {}, o).forecast(at, levels);
  const ForecastResult fb = Forecaster::fit(test::synth_series(b), {}, o).forecast(at, levels);
  REQUIRE(fa.volume != fb.volume);  // two different model forecasts
  const LayeredForecast la = apply_layer(fa, layer), lb = apply_layer(fb, layer);
  double thursday_a = 0.0, thursday_b = 0.0;
  for (std::size_t i = 0; i < at.size(); ++i) {
    INFO(format_timestamp(at[i]));
    CHECK(la.override_entry[i] == lb.override_entry[i]);
    const std::int64_t day = day_of(at[i]), sec = second_of_day(at[i]);
    const int expected = day == target_day + 1 ? 0
                         : (day == target_day + 3 && sec >= 36000 && sec < 43200) ? 1
                                                                                  : -1;
    CHECK(la.override_entry[i] == expected);
    if (expected == 0) CHECK_THAT(lb.volume[i], WithinRel(fb.volume[i] * 1.2, 1e-14));
    if (expected == -1) CHECK(lb.volume[i] == fb.volume[i]);
    if (expected == 1) {
      thursday_a += la.volume[i];
      thursday_b += lb.volume[i];
    }
  }
  CHECK_THAT(thursday_a, WithinRel(300.0, 1e-12));
  CHECK_THAT(thursday_b, WithinRel(300.0, 1e-12));

  // The model's explanation (Forecaster, wfm/forecast/explanation.hpp) and the layer's factors
  // multiply back: base x effects = the model's day total; x event x override = the final one.
  const std::vector<LayeredDay> days = explain_layer(lb);
  REQUIRE(days.size() == 5);
  for (const LayeredDay& d : days) {
    INFO(d.model.date);
    const DayExplanation& m = d.model;
    CHECK_THAT(m.base_volume * m.weekday_effect * m.day_of_month_effect * m.special_effect,
               WithinRel(d.model_day_volume, 1e-9));
    CHECK_THAT(m.model_day_volume, WithinRel(d.model_day_volume, 1e-9));
    CHECK_THAT(d.model_day_volume * d.event_factor * d.override_factor,
               WithinRel(d.day_volume, 1e-12));
  }
  CHECK_THAT(days[1].override_factor, WithinRel(1.2, 1e-12));
}

TEST_CASE("apply_layer rejects a forecast whose arrays disagree", "[forecast][overrides]") {
  ForecastResult f = small_forecast();
  f.volume.pop_back();
  CHECK_THROWS_AS(apply_layer(f, std::vector<LayerEntry>{}), InvalidArgument);
}
