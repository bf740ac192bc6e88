#include <wfm/core/csv_reader.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include <wfm/core/calendar.hpp>
#include <wfm/core/csv.hpp>
#include <wfm/core/error.hpp>

#include "support/catch.hpp"

using namespace wfm;
using Catch::Matchers::Contains;

namespace {
std::string write_temp(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}
}  // namespace

TEST_CASE("CsvReader reads what CsvTable reads, row by row", "[core][csv_reader]") {
  // Quoting with an embedded comma, quote and newline, CRLF, a blank line, a BOM.
  const std::string text =
      "\xEF\xBB\xBF" "a, b\r\n1,\"x,\"\"y\"\"\"\r\n\r\n2.5,\"two\nlines\"\n3,z";
  const CsvTable table = parse_csv(text, "mem.csv");
  // A tiny buffer (64 bytes minimum, rows cross it) must give the same cells.
  for (std::size_t buffer : {std::size_t{1}, std::size_t{64}, std::size_t{1} << 20}) {
    CsvReader in(write_temp("wfm_csv_reader_1.csv", text), buffer);
    REQUIRE(in.header() == table.header());
    std::size_t r = 0;
    while (in.next()) {
      REQUIRE(r < table.row_count());
      for (std::size_t c = 0; c < 2; ++c) CHECK(std::string(in.text(c)) == table.text(r, c));
      ++r;
    }
    CHECK(r == table.row_count());
    CHECK(in.rows_read() == 3);
  }
}

TEST_CASE("CsvReader streams a file larger than its buffer", "[core][csv_reader]") {
  std::string text = "timestamp,volume\n";
  for (int i = 0; i < 5000; ++i) text += "2026-03-02 08:00," + std::to_string(i) + "\n";
  CsvReader in(write_temp("wfm_csv_reader_2.csv", text), 256);
  const std::size_t v = in.column("volume");
  double sum = 0.0;
  while (in.next()) sum += in.number(v);
  CHECK(sum == 4999.0 * 5000.0 / 2.0);  // 0 + 1 + ... + 4999
  CHECK(in.line() == 5001);             // the last data row is line 5001
}

TEST_CASE("CsvReader errors name the file, line and column", "[core][csv_reader]") {
  const std::string path = write_temp(
      "wfm_csv_reader_3.csv", "arrival,wait_s\n2026-03-02 08:00,1\n\n2026-03-02 08:01,abc\n");
  CsvReader in(path);
  REQUIRE(in.next());
  CHECK(in.timestamp(0) == *parse_timestamp("2026-03-02 08:00"));
  REQUIRE(in.next());
  CHECK(in.line() == 4);  // the blank line 3 is skipped but counted
  CHECK_THROWS_WITH(in.number(1), Contains(path + ", line 4, column 'wait_s'") && Contains("abc"));
  CHECK_THROWS_WITH(in.column("talk_s"), Contains("talk_s"));

  CsvReader ragged(write_temp("wfm_csv_reader_4.csv", "a,b\n1,2\n3\n"));
  REQUIRE(ragged.next());
  CHECK_THROWS_WITH(ragged.next(), Contains("line 3") && Contains("expected 2 fields"));
  CHECK_THROWS_AS(CsvReader("/nonexistent/wfm.csv"), InvalidArgument);
  CHECK_THROWS_WITH(CsvReader(write_temp("wfm_csv_reader_5.csv", "")), Contains("empty"));
  CsvReader open_quote(write_temp("wfm_csv_reader_6.csv", "a\n\"x\n"));
  CHECK_THROWS_WITH(open_quote.next(), Contains("unterminated"));
}

TEST_CASE("CsvReader numbers: finite only, spaces tolerated", "[core][csv_reader]") {
  CsvReader in(write_temp("wfm_csv_reader_7.csv", "x\n 1.5e3 \n+2\ninf\nnan\n\n"));
  REQUIRE(in.next());
  CHECK(in.number(0) == 1500.0);
  REQUIRE(in.next());
  CHECK(in.number(0) == 2.0);
  REQUIRE(in.next());
  CHECK_THROWS_WITH(in.number(0), Contains("not a finite number"));
  REQUIRE(in.next());
  CHECK_THROWS_AS(in.number(0), InvalidArgument);
  CHECK_FALSE(in.next());
}
