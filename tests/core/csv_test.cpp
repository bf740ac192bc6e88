#include <filesystem>
#include <fstream>
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

TEST_CASE("write_file_atomic leaves nothing behind on failure", "[core][csv]") {
  const auto dir = std::filesystem::temp_directory_path() / "wfm_csv_test";
  std::filesystem::create_directories(dir);
  const auto path = (dir / "out.csv").string();
  write_file_atomic(path, "x\n1\n");
  CHECK(read_csv(path).number(0, 0) == 1.0);
  CHECK_THROWS_AS(write_file_atomic((dir / "missing" / "out.csv").string(), "x\n"), InvalidArgument);
  CHECK_FALSE(std::filesystem::exists(dir / "missing"));
  std::filesystem::remove_all(dir);
}
