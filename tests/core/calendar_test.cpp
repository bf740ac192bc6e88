#include <wfm/core/calendar.hpp>
#include <wfm/core/error.hpp>

#include "support/catch.hpp"

using namespace wfm;

TEST_CASE("days_from_civil round-trips and matches known dates", "[core][calendar]") {
  // 2000-03-01 is day 11017 and 1970-01-01 is day 0 (Unix epoch; Hinnant's examples).
  CHECK(days_from_civil(1970, 1, 1) == 0);
  CHECK(days_from_civil(2000, 3, 1) == 11017);
  for (std::int64_t d = -800000; d <= 800000; d += 997) {
    const CivilDate c = civil_from_days(d);
    REQUIRE(days_from_civil(c.year, c.month, c.day) == d);
  }
}

TEST_CASE("timestamps parse, format and give weekdays", "[core][calendar]") {
  const auto t = parse_timestamp("2026-11-26 09:15");
  REQUIRE(t);
  CHECK(weekday(*t) == 3);  // 26 November 2026 is a Thursday
  CHECK(second_of_day(*t) == 9 * 3600 + 15 * 60);
  CHECK(format_timestamp(*t) == "2026-11-26 09:15");
  CHECK(parse_timestamp("2026-11-26T09:15:30").value() == *t + 30);
  CHECK(format_timestamp(*t + 30) == "2026-11-26 09:15:30");
  CHECK(parse_timestamp("2024-02-29 00:00"));  // leap day
  CHECK_FALSE(parse_timestamp("2023-02-29 00:00"));
  CHECK_FALSE(parse_timestamp("2026-13-01 00:00"));
  CHECK_FALSE(parse_timestamp("2026-11-26 24:00"));
  CHECK_FALSE(parse_timestamp("26/11/2026 09:15"));
  CHECK_FALSE(parse_timestamp(""));
  CHECK(weekday(*parse_timestamp("1969-12-31")) == 2);  // before the epoch: a Wednesday
}

TEST_CASE("ISO 8601 timestamps with and without a UTC offset", "[core][calendar]") {
  const std::int64_t t = *parse_timestamp("2026-03-29 01:45");
  auto p = parse_timestamp_with_offset("2026-03-29T01:45:00+01:00");
  REQUIRE(p);
  CHECK(p->local == t);
  CHECK(p->offset_s == 3600);
  CHECK(parse_timestamp_with_offset("2026-03-29T01:45Z")->offset_s == 0);
  CHECK(parse_timestamp_with_offset("2026-03-29 01:45-0530")->offset_s == -(5 * 3600 + 1800));
  CHECK_FALSE(parse_timestamp_with_offset("2026-03-29 01:45")->offset_s);
  CHECK_FALSE(parse_timestamp_with_offset("2026-03-29")->offset_s);
  CHECK_FALSE(parse_timestamp_with_offset("2026-03-29 01:45+1:00"));
  CHECK_FALSE(parse_timestamp_with_offset("2026-03-29 01:45+01:75"));
  CHECK(format_timestamp(t, 3600) == "2026-03-29T01:45:00+01:00");
  CHECK(format_timestamp(t, -9000) == "2026-03-29T01:45:00-02:30");
}
