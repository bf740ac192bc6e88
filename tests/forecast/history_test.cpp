#include <array>
#include <cmath>
#include <wfm/core/calendar.hpp>
#include <wfm/forecast/history.hpp>

#include "support/catch.hpp"
#include "synth.hpp"

using namespace wfm;
using namespace wfm::forecast;

TEST_CASE("History keeps the weekly cycle across absent days", "[forecast][history]") {
  test::SynthSpec spec;
  spec.days = 28;
  spec.absent_days = {9, 10};  // a Wednesday and Thursday
  const History h(test::synth_series(spec), {});
  CHECK(h.first_day() == spec.first_day);
  CHECK(h.days() == 26);  // ends on the last Friday (day 25)
  CHECK(h.slots_per_day() == 48);
  CHECK_FALSE(h.present(9));
  CHECK(h.present(11));
  CHECK(h.weekday_of(11) == 4);  // 2024-01-12 is a Friday, whatever is absent before
  CHECK(h.open(0, spec.open_slot));
  CHECK_FALSE(h.open(0, spec.open_slot - 1));
  CHECK_FALSE(h.open(5, spec.open_slot));
  const DaySlot p = h.locate(parse_timestamp("2024-01-12 09:30").value());
  CHECK(p.day - h.first_day() == 11);
  CHECK(p.slot == 19);
  CHECK(h.timestamp(p) == parse_timestamp("2024-01-12 09:30").value());
}

TEST_CASE("History detects outlier days, honours marked ones and excludes special days",
          "[forecast][history]") {
  test::SynthSpec spec;
  spec.days = 56;
  // Day 23 counted at half (as 1999-05-23 in the Israeli data), day 30 an outage at 20 %.
  const auto s = test::synth_series(spec, [](int d, int) { return d == 23 ? 0.5 : d == 30 ? 0.2 : 1.0; });
  SpecialDays cal;
  cal.add(spec.first_day + 37, "Holiday");  // ordinary volume, but named
  HistoryOptions o;
  o.outlier_days = {spec.first_day + 44};
  const History h(s, cal, o);
  REQUIRE(h.outliers().size() == 3);
  CHECK(h.outliers()[0].day == spec.first_day + 23);
  CHECK(h.outliers()[0].ratio == Approx(0.5).margin(0.05));
  CHECK(h.outliers()[1].day == spec.first_day + 30);
  CHECK(h.outliers()[2].reason == OutlierReason::marked);
  CHECK(h.weight(23) == Approx(0.05));
  CHECK(h.weight(22) == 1.0);
  CHECK(h.special(37) == 0);
  CHECK_FALSE(h.regular(37));
  CHECK(h.special(38) == -1);
  // A truncated history re-analyses without the later days.
  const History t = h.truncated(28);
  CHECK(t.days() == 28);
  CHECK(t.outliers().size() == 1);
}

TEST_CASE("Outliers are judged against their weekday's own noise", "[forecast][history]") {
  // Fridays vary by +-20-35 % from week to week (a short, noisier day: Friday and Saturday of
  // the Israeli series); the other weekdays only by Poisson noise (~2 %). With one scale for all
  // weekdays (the median absolute residual is the quiet days') most Fridays were flagged; each
  // weekday's own scale flags none of them, while a Monday at 60 % is still an outlier.
  test::SynthSpec spec;
  spec.days = 84;
  const std::array<double, 12> z{0.3, -0.3, 0.25, -0.2, 0.35, -0.35, 0.1, -0.1, 0.3, -0.28, 0.2, -0.25};
  const auto s = test::synth_series(spec, [&](int d, int) {
    if (d == 43) return 0.6;                            // a Monday
    if (d % 7 == 4) return std::exp(z[static_cast<std::size_t>(d / 7)]);  // Fridays
    return 1.0;
  });
  const History h(s, {});
  int fridays = 0;
  bool monday = false;
  for (const auto& o : h.outliers()) {
    fridays += static_cast<int>(o.day - spec.first_day) % 7 == 4;
    monday = monday || o.day == spec.first_day + 43;
  }
  CHECK(monday);
  CHECK(fridays == 0);
}
