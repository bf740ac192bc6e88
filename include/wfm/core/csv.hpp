#pragma once
/// \file
/// The one CSV reader used by every command-line program and by the Python layer's file helpers.
/// Errors name the file, the line and the column. (The writer is in <wfm/core/output.hpp>.)

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include <wfm/core/output.hpp>

#include <wfm/core/calendar.hpp>

namespace wfm {

/// A CSV file held as text: a header row and data rows. Data row i is line i + 2 of the file.
class CsvTable {
 public:
  CsvTable(std::string source, std::vector<std::string> header,
           std::vector<std::vector<std::string>> rows);

  [[nodiscard]] const std::string& source() const noexcept { return source_; }
  [[nodiscard]] const std::vector<std::string>& header() const noexcept { return header_; }
  [[nodiscard]] std::size_t row_count() const noexcept { return rows_.size(); }

  /// Index of a column, or nothing when absent.
  [[nodiscard]] std::optional<std::size_t> find_column(std::string_view name) const;
  /// Index of a required column. \throws InvalidArgument naming the file and the column.
  [[nodiscard]] std::size_t column(std::string_view name) const;

  /// The raw text of a cell.
  [[nodiscard]] const std::string& text(std::size_t row, std::size_t col) const;
  /// A cell as a finite decimal number ("12", "-3.5", "1e-320", "+2E3"; surrounding spaces
  /// allowed; no hexadecimal, no "inf" or "nan"). \throws InvalidArgument naming file, line
  /// and column.
  [[nodiscard]] double number(std::size_t row, std::size_t col) const;
  /// A cell as a whole number in [lo, hi] (a decimal integer such as "12", or "12.0").
  /// \throws InvalidArgument naming file, line, column and the range.
  [[nodiscard]] std::int64_t integer(std::size_t row, std::size_t col, std::int64_t lo,
                                     std::int64_t hi) const;
  /// A cell as a timestamp (see parse_timestamp). \throws InvalidArgument naming file, line, column.
  [[nodiscard]] std::int64_t timestamp(std::size_t row, std::size_t col) const;
  /// A cell as an ISO 8601 timestamp with an optional UTC offset (parse_timestamp_with_offset).
  /// \throws InvalidArgument naming file, line and column.
  [[nodiscard]] ParsedTimestamp instant(std::size_t row, std::size_t col) const;
  /// The 1-based line number in the file of data row `row`.
  [[nodiscard]] static std::size_t line_of(std::size_t row) noexcept { return row + 2; }

  /// Throws InvalidArgument "<file>, line <n>, column '<col>': <message>".
  [[noreturn]] void fail(std::size_t row, std::size_t col, std::string_view message) const;

 private:
  std::string source_;
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

/// Parses CSV text (RFC 4180 quoting, "\n" or "\r\n" line ends, blank lines ignored).
/// `source` names the text in error messages. \throws InvalidArgument on a ragged row.
[[nodiscard]] CsvTable parse_csv(std::string_view text, std::string source);

/// Reads and parses a CSV file. \throws InvalidArgument if it cannot be read.
[[nodiscard]] CsvTable read_csv(const std::string& path);

}  // namespace wfm
