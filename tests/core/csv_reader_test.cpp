#include <wfm/core/csv_reader.hpp>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <wfm/core/calendar.hpp>
#include <wfm/core/csv.hpp>
#include <wfm/core/error.hpp>

#include "support/catch.hpp"
#include "support/data.hpp"

using namespace wfm;
using Catch::Matchers::Contains;

using wfm::test::write_temp;

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

TEST_CASE("CsvReader fast paths: same cells as CsvTable, same numbers as from_chars",
          "[core][csv_reader]") {
  // Rows the unquoted fast path takes and rows it hands to the general scanner: quoted
  // fields, "\r\n" line ends, a blank "\r\n" line, empty fields, no final newline. The cells
  // must be those of CsvTable (an independent parser), whatever the buffer.
  const std::string text =
      "a,b,c\n1,2,3\nxy,2,\"q\"\n1,2,3\r\n\r\n,,\n7,8,9\r\n\"a\nb\",5,6\n4,5,6";
  const CsvTable table = parse_csv(text, "mem.csv");
  for (std::size_t buffer : {std::size_t{1}, std::size_t{64}, std::size_t{1} << 20}) {
    CsvReader in(write_temp("wfm_csv_reader_8.csv", text), buffer);
    std::size_t r = 0;
    while (in.next()) {
      REQUIRE(r < table.row_count());
      for (std::size_t c = 0; c < 3; ++c) CHECK(std::string(in.text(c)) == table.text(r, c));
      // line 5 is blank, row 5 spans lines 8-9
      CHECK(in.line() == CsvTable::line_of(r) + (r >= 3 ? 1 : 0) + (r >= 6 ? 1 : 0));
      ++r;
    }
    CHECK(r == table.row_count());
  }
  // The exact decimal fast path (Clinger 1990) against std::from_chars (correctly rounded):
  // 1 to 15 significant digits, 0 to 15 after the point, signs, and the shapes it refuses.
  std::string numbers = "x\n";
  std::vector<std::string> cells;
  std::uint64_t state = 12345;
  for (int i = 0; i < 3000; ++i) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;  // Knuth's MMIX LCG
    const auto digits = static_cast<int>(1 + (state >> 33) % 15);
    const auto frac = static_cast<int>((state >> 40) % static_cast<std::uint64_t>(digits + 1));
    const std::string d = std::to_string((state >> 11) % 1000000000000000ull);
    const std::size_t len = std::min(d.size(), static_cast<std::size_t>(digits));
    const std::size_t point = len - std::min(len, static_cast<std::size_t>(frac));
    std::string s = i % 3 == 1 ? "-" : "";
    s.append(d, 0, point);
    if (point < len) s.append(".").append(d, point, len - point);
    cells.push_back(s);
  }
  for (const char* s : {"0", "-0.5", "+.5", "5.", "0000000000000001", "1234567890123456",
                        "123456789012345.6", "1e3", " 42 ", "0.1", "9007199254740993"})
    cells.emplace_back(s);
  for (const auto& c : cells) numbers += c + "\n";
  CsvReader in(write_temp("wfm_csv_reader_9.csv", numbers));
  for (const auto& c : cells) {
    REQUIRE(in.next());
    std::string_view s = c;
    while (s.front() == ' ') s.remove_prefix(1);
    while (s.back() == ' ') s.remove_suffix(1);
    if (s.front() == '+') s.remove_prefix(1);
    double expected = 0.0;
    REQUIRE(std::from_chars(s.data(), s.data() + s.size(), expected).ec == std::errc{});
    CHECK(in.number(0) == expected);
  }
  CsvReader bad(write_temp("wfm_csv_reader_10.csv", "x\n1.2.3\n-\n.\n"));
  for (int i = 0; i < 3; ++i) {
    REQUIRE(bad.next());
    CHECK_THROWS_WITH(bad.number(0), Contains("not a number"));
  }
}

TEST_CASE("CsvReader short cells: every string of up to 5 characters over \"0159.-x\"",
          "[core][csv_reader]") {
  // The word-at-a-time path for cells of at most 8 characters against std::from_chars (which
  // reads a number or refuses it): digits, dots, signs and a letter in every position.
  const std::string alphabet = "0159.-x";
  std::vector<std::string> cells;
  for (std::size_t len = 1; len <= 5; ++len) {
    std::vector<std::size_t> at(len, 0);
    for (;;) {
      std::string s;
      for (std::size_t k : at) s += alphabet[k];
      cells.push_back(s);
      std::size_t k = 0;
      while (k < len && ++at[k] == alphabet.size()) at[k++] = 0;
      if (k == len) break;
    }
  }
  for (const char* s : {"12345678", "-12345678", "1234567.", "-.1234567", "99999999",
                        "0.000001", "1.5e3", "123456789"})
    cells.emplace_back(s);
  std::string text = "x,y\n";
  for (const auto& c : cells) text += c + ",1\n";  // the cell is followed by more bytes
  CsvReader in(write_temp("wfm_csv_reader_11.csv", text));
  std::size_t numbers = 0;
  for (const auto& c : cells) {
    REQUIRE(in.next());
    double expected = 0.0;
    const auto r = std::from_chars(c.data(), c.data() + c.size(), expected);
    if (r.ec == std::errc{} && r.ptr == c.data() + c.size()) {
      ++numbers;
      CHECK(in.number(0) == expected);
    } else {
      CHECK_THROWS_AS(in.number(0), InvalidArgument);
    }
  }
  CHECK(numbers > 1000);  // the sweep did exercise the numbers, not only the refusals
}
