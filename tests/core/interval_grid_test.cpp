// Clock changes in Europe/Berlin 2026: 29 March and 25 October at 01:00 UTC (Directive
// 2000/84/EC); see time_zone_test.cpp.
#include <filesystem>
#include <string>
#include <wfm/core/calendar.hpp>
#include <wfm/core/error.hpp>
#include <wfm/core/interval_grid.hpp>

#include "support/catch.hpp"
#include "support/time.hpp"

using namespace wfm;
using Catch::Matchers::Contains;

namespace {

using wfm::test::at;
using wfm::test::have_berlin;

/// A 24/7 history CSV of 15-min rows from `first` (naive local), `n` rows, in zone `z`, written
/// with or without the offset.
std::string history_csv(const TimeZone& z, std::int64_t first_utc, std::size_t n, bool offsets) {
  std::string s = "timestamp,volume\n";
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t u = first_utc + static_cast<std::int64_t>(i) * 900;
    const std::int64_t off = z.offset_at(u);
    s += (offsets ? format_timestamp(u + off, off) : format_timestamp(u + off)) + "," +
         std::to_string(i) + "\n";
  }
  return s;
}

}  // namespace

TEST_CASE("Grid arithmetic on a naive grid", "[core][interval_grid]") {
  const IntervalGrid g = IntervalGrid::naive(at("2026-01-05 08:00"), 900, 8);
  CHECK(g.size() == 8);
  CHECK_FALSE(g.zone_aware());
  CHECK(g.utc(3) == at("2026-01-05 08:45"));
  CHECK(g.local(3) == g.utc(3));
  CHECK(g.end_utc() == at("2026-01-05 10:00"));
  CHECK(g.index_of(at("2026-01-05 09:00")) == std::optional<std::size_t>{4});
  CHECK_FALSE(g.index_of(at("2026-01-05 09:05")));
  CHECK(g.index_containing(at("2026-01-05 09:05")) == std::optional<std::size_t>{4});
  CHECK_FALSE(g.index_of(at("2026-01-05 10:00")));
  CHECK(g.timestamp(1) == "2026-01-05 08:15");
  const IntervalGrid next = g.following(4);
  CHECK(next.start_utc() == g.end_utc());
  CHECK(next.size() == 4);
  CHECK_FALSE(next.zone_aware());
  const IntervalGrid s = g.slice(2, 3);
  CHECK(s.utc(0) == g.utc(2));
  CHECK(s.size() == 3);
  CHECK_THROWS_AS(g.slice(6, 3), InvalidArgument);
  CHECK_THROWS_AS(IntervalGrid::naive(0, 0, 3), InvalidArgument);
  IntervalGrid h = g;
  h.set_open(0, false);
  CHECK(h.open_count() == 7);
  CHECK(h.open_indices().front() == 1);
  CHECK_FALSE(h == g);
}

TEST_CASE("Weeks across the 2026 clock changes have 23- and 25-hour days", "[core][interval_grid]") {
  if (!have_berlin()) {
    WARN("skipped: " << "no /usr/share/zoneinfo (Debian package tzdata)");
    return;
  }
  const TimeZone berlin = TimeZone::locate("Europe/Berlin");
  const IntervalGrid spring = IntervalGrid::week(at("2026-03-23 00:00"), 900, berlin);
  CHECK(spring.size() == 7 * 96 - 4);
  CHECK(spring.indices_of_local(at("2026-03-29 02:00")).empty());
  CHECK(spring.indices_of_local(at("2026-03-29 03:00")).size() == 1);
  const IntervalGrid autumn = IntervalGrid::week(at("2026-10-19 00:00"), 900, berlin);
  CHECK(autumn.size() == 7 * 96 + 4);
  const auto twice = autumn.indices_of_local(at("2026-10-25 02:15"));
  REQUIRE(twice.size() == 2);
  CHECK(twice[1] - twice[0] == 4);  // one hour of elapsed time apart
  CHECK(autumn.offset_s(twice[0]) == 7200);
  CHECK(autumn.offset_s(twice[1]) == 3600);
  CHECK(autumn.timestamp(twice[0]) == "2026-10-25T02:15:00+02:00");
  CHECK(autumn.timestamp(twice[1]) == "2026-10-25T02:15:00+01:00");
  CHECK(weekday(autumn.local(twice[1])) == 6);  // Sunday
  CHECK(autumn.time_zone() == "Europe/Berlin");
  // The week after continues in the zone's calendar (no change: 7 * 96 intervals).
  const IntervalGrid next = autumn.following(7 * 96);
  CHECK(next.local(0) == at("2026-10-26 00:00"));
  CHECK(next.local(next.size() - 1) == at("2026-11-01 23:45"));
}

TEST_CASE("A 24/7 history across a clock change loads the repeated hour as two intervals",
          "[core][interval_grid]") {
  if (!have_berlin()) {
    WARN("skipped: " << "no /usr/share/zoneinfo (Debian package tzdata)");
    return;
  }
  const TimeZone berlin = TimeZone::locate("Europe/Berlin");
  const std::int64_t first = berlin.to_utc(at("2026-10-24 00:00"));
  const std::size_t n = 2 * 96 + 4;  // two local days, the second of 25 hours
  for (bool offsets : {false, true}) {
    const CsvTable t = parse_csv(history_csv(berlin, first, n, offsets), "h.csv");
    GridOptions o;
    if (!offsets) o.zone = berlin;
    const TableOnGrid tg = grid_from_table(t, "timestamp", o);
    CHECK(tg.grid.size() == n);
    CHECK(tg.grid.open_count() == n);
    CHECK(tg.grid.interval_length_s() == 900);
    CHECK(tg.grid.zone_aware());
    for (std::size_t r = 0; r < n; ++r) CHECK(tg.interval_of_row[r] == r);
    const auto vol = column_on_grid(t, "volume", tg.interval_of_row, tg.grid.size());
    CHECK(vol[n - 1] == static_cast<double>(n - 1));
    // Aligning the same table on the grid it made gives the same rows.
    CHECK(align_to_grid(t, "timestamp", tg.grid) == tg.interval_of_row);
  }
}

TEST_CASE("Building a grid from a table: inferred length, closed intervals, errors",
          "[core][interval_grid]") {
  const CsvTable t = parse_csv(
      "timestamp,volume\n2026-01-05 08:00,1\n2026-01-05 08:15,2\n2026-01-05 09:00,3\n", "t.csv");
  const TableOnGrid tg = grid_from_table(t);
  CHECK(tg.grid.interval_length_s() == 900);
  CHECK(tg.grid.size() == 5);
  CHECK(tg.grid.open_mask() == std::vector<bool>{true, true, false, false, true});
  CHECK(tg.interval_of_row == std::vector<std::size_t>{0, 1, 4});
  CHECK(grid_from_table(t, "timestamp", {.interval_length_s = 300, .zone = {}}).grid.size() == 13);

  const CsvTable off = parse_csv(
      "timestamp,volume\n2026-01-05 08:00,1\n2026-01-05 08:15,2\n2026-01-05 08:40,3\n", "off.csv");
  CHECK_THROWS_WITH(grid_from_table(off),
                    Contains("off.csv, line 4") && Contains("2026-01-05 08:40") &&
                        Contains("not on the grid"));
  const CsvTable dup = parse_csv(
      "timestamp,volume\n2026-01-05 08:00,1\n2026-01-05 08:15,2\n2026-01-05 08:00,3\n", "dup.csv");
  CHECK_THROWS_WITH(grid_from_table(dup), Contains("dup.csv, line 4") && Contains("duplicate"));
  const CsvTable mixed = parse_csv(
      "timestamp,volume\n2026-01-05 08:00Z,1\n2026-01-05 08:15,2\n", "mixed.csv");
  CHECK_THROWS_WITH(grid_from_table(mixed), Contains("mixed.csv, line 3"));
  const CsvTable bad = parse_csv("timestamp,volume\nmonday,1\n", "bad.csv");
  CHECK_THROWS_WITH(grid_from_table(bad), Contains("bad.csv, line 2") && Contains("monday"));
  CHECK_THROWS_AS(grid_from_table(parse_csv("timestamp,volume\n2026-01-05 08:00,1\n", "one.csv")),
                  InvalidArgument);

  // Aligning rows on an existing grid: by timestamp, never by row order.
  const IntervalGrid g = IntervalGrid::naive(at("2026-01-05 08:00"), 900, 8);
  const CsvTable shuffled = parse_csv(
      "timestamp,agents\n2026-01-05 09:00,3\n2026-01-05 08:00,1\n", "req.csv");
  CHECK(align_to_grid(shuffled, "timestamp", g) == std::vector<std::size_t>{4, 0});
  const CsvTable outside = parse_csv("timestamp,agents\n2026-01-05 08:00,1\n2026-01-05 10:00,1\n",
                                     "outside.csv");
  CHECK_THROWS_WITH(align_to_grid(outside, "timestamp", g),
                    Contains("outside.csv, line 3") && Contains("2026-01-05 10:00"));
  CHECK_THROWS_WITH(align_to_grid(dup, "timestamp", g), Contains("dup.csv, line 4"));
}

TEST_CASE("Naive timestamps in a zone: the skipped hour is an error, the repeated one by row order",
          "[core][interval_grid]") {
  if (!have_berlin()) {
    WARN("skipped: " << "no /usr/share/zoneinfo (Debian package tzdata)");
    return;
  }
  const TimeZone berlin = TimeZone::locate("Europe/Berlin");
  const CsvTable skipped = parse_csv(
      "timestamp,volume\n2026-03-29 01:45,1\n2026-03-29 02:00,1\n", "spring.csv");
  CHECK_THROWS_WITH(grid_from_table(skipped, "timestamp", {.interval_length_s = 900, .zone = berlin}),
                    Contains("spring.csv, line 3") && Contains("does not exist"));
  const CsvTable three = parse_csv(
      "timestamp,volume\n2026-10-25 02:00,1\n2026-10-25 02:00,1\n2026-10-25 02:00,1\n", "x3.csv");
  CHECK_THROWS_WITH(grid_from_table(three, "timestamp", {.interval_length_s = 900, .zone = berlin}),
                    Contains("x3.csv, line 4") && Contains("duplicate"));
  const CsvTable two = parse_csv(
      "timestamp,volume\n2026-10-25 02:00,1\n2026-10-25 02:00,1\n", "x2.csv");
  const TableOnGrid tg = grid_from_table(two, "timestamp", {.interval_length_s = 900, .zone = berlin});
  CHECK(tg.grid.size() == 5);  // 02:00 CEST ... 02:00 CET: one hour of elapsed time
  CHECK(tg.grid.offset_s(0) == 7200);
  CHECK(tg.grid.offset_s(4) == 3600);
}
