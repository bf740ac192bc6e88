#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <wfm/core/calendar.hpp>
#include <wfm/core/error.hpp>
#include <wfm/forecast/series.hpp>

#include "support/catch.hpp"
#include "support/data.hpp"

using namespace wfm;
using namespace wfm::forecast;
using Catch::Matchers::Contains;

namespace {
std::int64_t ts(const char* s) { return parse_timestamp(s).value(); }

std::string write_temp(const std::string& name, const std::string& content) {
  return wfm::test::write_temp("wfm_forecast_test_" + name, content);
}
}  // namespace

TEST_CASE("make_series sorts, infers the interval length and keeps absent days absent",
          "[forecast][series]") {
  const std::vector<std::int64_t> t{ts("2024-01-02 08:30"), ts("2024-01-01 08:00"),
                                    ts("2024-01-01 08:15"), ts("2024-01-04 08:00")};
  const std::vector<double> v{3, 1, 2, 4};
  const IntervalSeries s = make_series(t, v);
  CHECK(s.interval_length == 900);
  REQUIRE(s.size() == 4);
  CHECK(s.timestamps.front() == ts("2024-01-01 08:00"));
  CHECK(s.values == std::vector<double>{1, 2, 3, 4});
  CHECK(grid_anchor(s) == 0);
  CHECK(infer_interval_length(std::vector<std::int64_t>{ts("2024-01-01 07:05"), ts("2024-01-01 07:35"),
                                                        ts("2024-01-01 08:05")}) == 1800);
}

TEST_CASE("make_series rejects bad input naming the element", "[forecast][series]") {
  const std::vector<std::int64_t> t{ts("2024-01-01 08:00"), ts("2024-01-01 08:15"),
                                    ts("2024-01-01 08:30")};
  CHECK_THROWS_WITH(make_series(t, std::vector<double>{1, -2, 3}),
                    Contains("volume[1]") && Contains(">= 0"));
  CHECK_THROWS_WITH(make_series(t, std::vector<double>{1, std::nan(""), 3}), Contains("volume[1]"));
  CHECK_THROWS_AS(make_series(t, std::vector<double>{1, 2}), InvalidArgument);
  const std::vector<std::int64_t> dup{ts("2024-01-01 08:00"), ts("2024-01-01 08:15"),
                                      ts("2024-01-01 08:15")};
  CHECK_THROWS_WITH(make_series(dup, std::vector<double>{1, 2, 3}), Contains("duplicate"));
  const std::vector<std::int64_t> off{ts("2024-01-01 08:00"), ts("2024-01-01 08:15"),
                                      ts("2024-01-01 08:30"), ts("2024-01-01 08:37")};
  CHECK_THROWS_WITH(make_series(off, std::vector<double>{1, 2, 3, 4}),
                    Contains("timestamp[3]") && Contains("off the"));
  CHECK_THROWS_WITH(make_series(t, std::vector<double>{1, 2, 3}, 7 * 60),
                    Contains("divide one day"));
  const std::vector<std::int64_t> lonely{ts("2024-01-01 08:00"), ts("2024-01-02 08:00")};
  CHECK_THROWS_WITH(make_series(lonely, std::vector<double>{1, 2}), Contains("cannot be inferred"));
  CHECK(make_series(lonely, std::vector<double>{1, 2}, 900).interval_length == 900);
}

TEST_CASE("validate_targets checks the grid, the order and duplicates", "[forecast][series]") {
  const std::vector<std::int64_t> t{ts("2024-01-01 08:00"), ts("2024-01-01 08:30")};
  const IntervalSeries s = make_series(t, std::vector<double>{1, 2});
  CHECK_NOTHROW(validate_targets(std::vector<std::int64_t>{ts("2024-01-02 08:00")}, s));
  CHECK_THROWS_WITH(validate_targets(std::vector<std::int64_t>{ts("2024-01-02 08:10")}, s),
                    Contains("off the"));
  CHECK_THROWS_WITH(validate_targets(std::vector<std::int64_t>{ts("2024-01-01 08:30")}, s),
                    Contains("not after the end"));
  CHECK_THROWS_WITH(validate_targets(std::vector<std::int64_t>{ts("2024-01-02 08:00"),
                                                               ts("2024-01-02 08:00")},
                                     s),
                    Contains("duplicate"));
}

TEST_CASE("CSV readers name file, line and column", "[forecast][series]") {
  const std::string good = write_temp("good.csv",
                                      "timestamp,volume,aht_s\n2024-01-01 08:00,10,200\n"
                                      "2024-01-01 08:30,12,210\n2024-01-02 08:00,11,190\n");
  const IntervalSeries s = read_history_csv(good);
  CHECK(s.interval_length == 1800);
  CHECK(s.has_aht());
  CHECK(s.aht[1] == 210.0);
  const std::string bad_ts = write_temp("bad_ts.csv", "timestamp,volume\n2024-01-01 08:00,1\n2024-13-01 08:30,2\n");
  CHECK_THROWS_WITH(read_history_csv(bad_ts), Contains("line 3") && Contains("'timestamp'"));
  const std::string neg = write_temp("neg.csv", "timestamp,volume\n2024-01-01 08:00,1\n2024-01-01 08:30,-2\n");
  CHECK_THROWS_WITH(read_history_csv(neg), Contains("neg.csv, line 3, column 'volume'"));
  const std::string nan = write_temp("nan.csv", "timestamp,volume\n2024-01-01 08:00,1\n2024-01-01 08:30,nan\n");
  CHECK_THROWS_WITH(read_history_csv(nan), Contains("line 3, column 'volume'"));
  const std::string dup = write_temp("dup.csv", "timestamp,volume\n2024-01-01 08:00,1\n2024-01-01 08:30,2\n2024-01-01 08:00,3\n");
  CHECK_THROWS_WITH(read_history_csv(dup), Contains("line 4, column 'timestamp'") && Contains("line 2"));
  const std::string targets = write_temp("at.csv", "timestamp\n2024-01-03 08:00\n2024-01-03 08:10\n");
  CHECK_THROWS_WITH(read_targets_csv(targets, s), Contains("at.csv, line 3, column 'timestamp'"));
  const std::string days = write_temp("days.csv", "date,name\n2024-12-25,Christmas\n2024-12-24, Christmas Eve\n");
  const SpecialDays d = read_special_days_csv(days);
  REQUIRE(d.size() == 2);
  CHECK(*d.name_of(days_from_civil(2024, 12, 24)) == "Christmas Eve");
  const std::string bad_days = write_temp("bad_days.csv", "date,name\n2024-12-25 10:00,X\n");
  CHECK_THROWS_WITH(read_special_days_csv(bad_days), Contains("line 2, column 'date'"));
  const std::string twice = write_temp("twice.csv", "date,name\n2024-12-25,X\n2024-12-25,Y\n");
  CHECK_THROWS_WITH(read_special_days_csv(twice), Contains("line 3"));
}

TEST_CASE("Special-day kinds: kind column, kind in parentheses, documented default",
          "[forecast][series][special]") {
  const std::string days = write_temp(
      "kinds.csv",
      "date,name,kind\n2024-04-23,Pesach,holiday\n2024-04-24,Pesach chol hamoed (intermediate),\n"
      "2024-04-22,Erev Pesach,\n2024-04-26,Month end,user:billing run\n2024-04-25,Shutdown,closed\n"
      "2024-04-28,Bridge,bridge\n");
  const SpecialDays d = read_special_days_csv(days);
  REQUIRE(d.size() == 6);
  auto kind = [&](unsigned day) { return d.kind_of(days_from_civil(2024, 4, day))->label(); };
  CHECK(kind(23) == "holiday");
  CHECK(kind(24) == "intermediate");
  CHECK(*d.name_of(days_from_civil(2024, 4, 24)) == "Pesach chol hamoed");
  CHECK(kind(22) == "eve");  // default: a word "erev" or "eve"
  CHECK(kind(26) == "billing run");
  CHECK(d.kind_of(days_from_civil(2024, 4, 26))->kind == SpecialDayKind::user);
  CHECK(kind(25) == "closed");
  CHECK(kind(28) == "bridge");
  CHECK(d.kind_of(days_from_civil(2024, 4, 29)) == nullptr);
  // Without a kind column: parentheses, else the default (holiday; eve for eve/erev words).
  const std::string plain = write_temp(
      "plain.csv", "date,name\n2024-12-25,Christmas\n2024-12-24,Christmas Eve\n"
                   "2024-12-27,Office party (user:party)\n2024-12-30,Dinner (formal)\n");
  const SpecialDays p = read_special_days_csv(plain);
  CHECK(p.kind_of(days_from_civil(2024, 12, 25))->kind == SpecialDayKind::holiday);
  CHECK(p.kind_of(days_from_civil(2024, 12, 24))->kind == SpecialDayKind::eve);
  CHECK(p.kind_of(days_from_civil(2024, 12, 27))->label() == "party");
  // Parentheses holding no kind stay part of the name.
  CHECK(*p.name_of(days_from_civil(2024, 12, 30)) == "Dinner (formal)");
  CHECK(default_day_kind("Evening").kind == SpecialDayKind::holiday);  // a word, not a prefix
}

TEST_CASE("A bad special-day kind names the file, line and column", "[forecast][series][special]") {
  const std::string bad = write_temp("bad_kind.csv", "date,name,kind\n2024-04-23,Pesach,holiday\n"
                                                     "2024-04-24,Chol hamoed,partly\n");
  CHECK_THROWS_AS(read_special_days_csv(bad), InvalidArgument);
  CHECK_THROWS_WITH(read_special_days_csv(bad),
                    Contains("bad_kind.csv") && Contains("line 3") && Contains("column 'kind'") &&
                        Contains("partly"));
  const std::string user = write_temp("bad_user.csv", "date,name,kind\n2024-04-24,X,user:\n");
  CHECK_THROWS_WITH(read_special_days_csv(user), Contains("line 2, column 'kind'"));
  const std::string clash = write_temp("clash.csv", "date,name,kind\n2024-04-24,X (eve),holiday\n");
  CHECK_THROWS_WITH(read_special_days_csv(clash), Contains("line 2, column 'kind'"));
  const std::string twice = write_temp("twice_kind.csv", "date,name,kind\n2024-04-24,X,eve\n2024-04-24,X,holiday\n");
  CHECK_THROWS_WITH(read_special_days_csv(twice), Contains("line 3"));
  SpecialDays s;
  CHECK_THROWS_AS(s.add(1, "X (eve)", DayKind{SpecialDayKind::holiday, ""}), InvalidArgument);
  CHECK_THROWS_AS(s.add(1, " (eve)"), InvalidArgument);  // empty name
}
