// Reference dates: EU summer time, Directive 2000/84/EC art. 2-3 (starts the last Sunday of March,
// ends the last Sunday of October, both at 01:00 UTC); US daylight saving time, Energy Policy Act
// of 2005 sec. 110 (second Sunday of March to first Sunday of November, 02:00 local). In 2026
// those Sundays are 29 March / 25 October and 8 March / 1 November.
#include <filesystem>
#include <wfm/core/calendar.hpp>
#include <wfm/core/error.hpp>
#include <wfm/core/time_zone.hpp>

#include "support/catch.hpp"

using namespace wfm;
using Catch::Matchers::Contains;

namespace {

std::int64_t at(std::string_view text) { return *parse_timestamp(text); }  // naive wall clock

bool have_zoneinfo(std::string_view zone) {
  return std::filesystem::exists(TimeZone::default_zoneinfo_dir() + "/" + std::string(zone));
}

}  // namespace

TEST_CASE("Europe/Berlin from TZif: 2026 clock changes", "[core][time_zone]") {
  if (!have_zoneinfo("Europe/Berlin")) {
    WARN("skipped: " << "no /usr/share/zoneinfo (Debian package tzdata)");
    return;
  }
  const TimeZone z = TimeZone::locate("Europe/Berlin");
  CHECK(z.name() == "Europe/Berlin");
  CHECK_FALSE(z.is_fixed());
  // Spring: 2026-03-29 01:00 UTC = 02:00 CET -> 03:00 CEST.
  CHECK(z.offset_at(at("2026-03-29 00:59:59")) == 3600);
  CHECK(z.offset_at(at("2026-03-29 01:00")) == 7200);
  CHECK(z.instants_of(at("2026-03-29 02:30")).empty());  // skipped local time
  CHECK_THROWS_WITH(z.to_utc(at("2026-03-29 02:30")),
                    Contains("does not exist") && Contains("2026-03-29 02:30"));
  CHECK(z.to_utc(at("2026-03-29 03:00")) == at("2026-03-29 01:00"));
  // Autumn: 2026-10-25 01:00 UTC = 03:00 CEST -> 02:00 CET; 02:30 local happens twice.
  CHECK(z.offset_at(at("2026-10-25 00:59:59")) == 7200);
  CHECK(z.offset_at(at("2026-10-25 01:00")) == 3600);
  const auto twice = z.instants_of(at("2026-10-25 02:30"));
  REQUIRE(twice.size() == 2);
  CHECK(twice[0] == at("2026-10-25 00:30"));
  CHECK(twice[1] == at("2026-10-25 01:30"));
  CHECK(z.to_utc(at("2026-10-25 02:30"), Fold::earlier) == twice[0]);
  CHECK(z.to_utc(at("2026-10-25 02:30"), Fold::later) == twice[1]);
  CHECK_THROWS_WITH(z.to_utc(at("2026-10-25 02:30"), Fold::error), Contains("repeated"));
  CHECK(z.to_local(at("2026-07-01 10:00")) == at("2026-07-01 12:00"));
}

TEST_CASE("America/New_York from TZif; the footer rule beyond the table", "[core][time_zone]") {
  if (!have_zoneinfo("America/New_York")) {
    WARN("skipped: " << "no /usr/share/zoneinfo (Debian package tzdata)");
    return;
  }
  const TimeZone z = TimeZone::locate("America/New_York");
  // 2026-03-08 02:00 EST = 07:00 UTC; 2026-11-01 02:00 EDT = 06:00 UTC.
  CHECK(z.offset_at(at("2026-03-08 06:59")) == -5 * 3600);
  CHECK(z.offset_at(at("2026-03-08 07:00")) == -4 * 3600);
  CHECK(z.offset_at(at("2026-11-01 05:59")) == -4 * 3600);
  CHECK(z.offset_at(at("2026-11-01 06:00")) == -5 * 3600);
  // 2090: past the last transition of a "fat" file (2037), so the POSIX footer
  // "EST5EDT,M3.2.0,M11.1.0" decides: second Sunday of March 2090 is 12 March.
  CHECK(z.offset_at(at("2090-03-12 06:59")) == -5 * 3600);
  CHECK(z.offset_at(at("2090-03-12 07:00")) == -4 * 3600);
  CHECK(z.offset_at(at("2090-07-01 12:00")) == -4 * 3600);
}

TEST_CASE("Fixed zones, bad names and bad TZif data", "[core][time_zone]") {
  const TimeZone utc;
  CHECK(utc.name() == "UTC");
  CHECK(utc.offset_at(123) == 0);
  const TimeZone plus1 = TimeZone::fixed(3600);
  CHECK(plus1.name().empty());
  CHECK(plus1.label() == "+01:00");
  CHECK(plus1.to_utc(at("2026-01-01 01:00")) == at("2026-01-01 00:00"));
  CHECK(format_utc_offset(-5 * 3600 - 1800) == "-05:30");
  CHECK_THROWS_AS(TimeZone::fixed(30 * 3600), InvalidArgument);
  CHECK_THROWS_WITH(TimeZone::locate("Mars/Olympus_Mons"), Contains("Mars/Olympus_Mons"));
  CHECK_THROWS_AS(TimeZone::locate("../etc/passwd"), InvalidArgument);
  CHECK_THROWS_WITH(TimeZone::from_tzif("not a tzif file at all, long enough to have a header",
                                        "junk"),
                    Contains("TZif"));
  CHECK_THROWS_AS(TimeZone::from_tzif("TZif2", "short"), InvalidArgument);
}
