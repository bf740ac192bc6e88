#pragma once
/// \file
/// A streaming CSV reader: one row at a time from a file of any size, in bounded memory (a
/// buffer of `buffer_bytes`, grown only for a single row longer than that). The same dialect and
/// the same error messages as wfm::CsvTable (csv.hpp): RFC 4180 quoting, "\n" or "\r\n" line
/// ends, blank lines ignored, a UTF-8 byte-order mark tolerated; errors name the file, the line
/// and the column. For tens of millions of rows (contact logs, agent state logs).
///
///     CsvReader in("contacts.csv");
///     const std::size_t arrival = in.column("arrival");
///     while (in.next()) { std::int64_t t = in.timestamp(arrival); ... }

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wfm {

class CsvReader {
 public:
  /// Opens `path` and reads its header row. \throws InvalidArgument if the file cannot be read
  /// or has no header row.
  explicit CsvReader(const std::string& path, std::size_t buffer_bytes = std::size_t{1} << 20);

  [[nodiscard]] const std::string& source() const noexcept { return source_; }
  [[nodiscard]] const std::vector<std::string>& header() const noexcept { return header_; }
  /// Index of a column, or nothing when absent.
  [[nodiscard]] std::optional<std::size_t> find_column(std::string_view name) const;
  /// Index of a required column. \throws InvalidArgument naming the file and the column.
  [[nodiscard]] std::size_t column(std::string_view name) const;

  /// Advances to the next data row; false at the end of the file.
  /// \throws InvalidArgument on a row whose field count differs from the header's, or an
  ///         unterminated quoted field.
  bool next();
  /// The 1-based line of the file on which the current row starts.
  [[nodiscard]] std::size_t line() const noexcept { return row_line_; }
  /// Data rows read so far (the current one included).
  [[nodiscard]] std::size_t rows_read() const noexcept { return rows_; }

  /// The raw text of a cell of the current row (valid until the next call of next()).
  [[nodiscard]] std::string_view text(std::size_t col) const noexcept { return fields_[col]; }
  /// Whether the cell is empty (after trimming spaces).
  [[nodiscard]] bool empty(std::size_t col) const noexcept {
    for (char c : fields_[col])
      if (c != ' ' && c != '\r') return false;
    return true;
  }
  /// A cell as a finite number. \throws InvalidArgument naming file, line and column.
  [[nodiscard]] double number(std::size_t col) const;
  /// A cell as a timestamp (wfm::parse_timestamp). \throws InvalidArgument as number().
  [[nodiscard]] std::int64_t timestamp(std::size_t col) const;

  /// Throws InvalidArgument "<file>, line <n>, column '<col>': <message>".
  [[noreturn]] void fail(std::size_t col, std::string_view message) const;
  /// Throws InvalidArgument "<file>, line <n>: <message>".
  [[noreturn]] void fail_row(std::string_view message) const;

 private:
  bool fill();                       // moves unread bytes to the front and reads more
  bool scan_record(bool& complete);  // parses one record at pos_ into fields_
  bool scan_plain();                 // the common unquoted record, already in the buffer
  bool end_plain(std::size_t start, std::size_t j);  // its last field, line end at j
  bool count_row() {  // counts a data row and checks its field count
    if (!header_.empty() && (++rows_, fields_.size() != header_.size())) ragged_row();
    return true;
  }
  [[noreturn]] void ragged_row() const;

  std::string source_;
  std::ifstream in_;
  std::vector<char> buf_;
  std::size_t pos_ = 0, end_ = 0;
  bool eof_ = false;
  std::vector<std::string> header_;
  std::vector<std::string_view> fields_;
  std::vector<std::pair<std::size_t, std::size_t>> spans_;  // offsets while scanning
  std::string unquoted_;  // unescaped quoted fields of the current row
  std::vector<std::uint8_t> in_unquoted_;
  std::size_t line_ = 1, row_line_ = 1, rows_ = 0;
  bool plain_ = false;  // the current row came from scan_plain(): its cells are in buf_
  static constexpr std::size_t kPadding = 8;  // readable bytes after the buffer's data
};

}  // namespace wfm
