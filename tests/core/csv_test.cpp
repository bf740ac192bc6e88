#include <wfm/core/csv.hpp>
#include <wfm/core/error.hpp>

#include "support/catch.hpp"

using namespace wfm;
using Catch::Matchers::Contains;

TEST_CASE("CSV parses quoted fields, CRLF and blank lines", "[core][csv]") {
  const CsvTable t = parse_csv("a,b\r\n1,\"x,\"\"y\"\"\"\r\n\r\n2.5,z\n", "mem.csv");
  REQUIRE(t.row_count() == 2);
  CHECK(t.text(0, 1) == "x,\"y\"");
  CHECK(t.number(1, t.column("a")) == 2.5);
  CHECK_FALSE(t.find_column("c"));
}

TEST_CASE("CSV errors name the file, line and column", "[core][csv]") {
  const CsvTable t = parse_csv("start,volume\n2026-01-05 08:00,12\n2026-01-05 08:15,abc\n", "in.csv");
  CHECK_THROWS_WITH(t.number(1, 1), Contains("in.csv, line 3, column 'volume'") && Contains("abc"));
  CHECK_THROWS_WITH(t.column("aht_s"), Contains("aht_s"));
  CHECK_THROWS_AS(parse_csv("a,b\n1\n", "r.csv"), InvalidArgument);
  CHECK_THROWS_WITH(parse_csv("a,b\n1\n", "r.csv"), Contains("line 2"));
  CHECK_THROWS_AS(t.timestamp(0, 1), InvalidArgument);  // "12" is not a timestamp either
  CHECK_THROWS_AS(read_csv("/nonexistent/wfm.csv"), InvalidArgument);
}

TEST_CASE("CSV numbers are decimal and finite; integers are range-checked", "[core][csv]") {
  const CsvTable t = parse_csv(
      "x\n1e-320\n 2.5 \n+3\n0x1A\n1e400\ninf\nnan\n3000000000\n12.0\n-0\n", "n.csv");
  CHECK(t.number(0, 0) > 0.0);  // 1e-320 is finite (subnormal); strtod-based parsing rejected it
  CHECK(t.number(0, 0) < 1e-300);
  CHECK(t.number(1, 0) == 2.5);
  CHECK(t.number(2, 0) == 3.0);
  CHECK_THROWS_WITH(t.number(3, 0), Contains("n.csv, line 5, column 'x'") && Contains("0x1A"));
  CHECK_THROWS_WITH(t.number(4, 0), Contains("line 6") && Contains("finite"));
  CHECK_THROWS_WITH(t.number(5, 0), Contains("line 7") && Contains("finite"));
  CHECK_THROWS_WITH(t.number(6, 0), Contains("line 8") && Contains("finite"));
  CHECK_THROWS_WITH(t.integer(7, 0, 0, 2147483647),
                    Contains("line 9, column 'x'") && Contains("3000000000") &&
                        Contains("2147483647"));
  CHECK(t.integer(8, 0, 0, 100) == 12);
  CHECK_THROWS_WITH(t.integer(1, 0, 0, 100), Contains("whole number"));
  CHECK(t.integer(9, 0, 0, 1) == 0);
}
