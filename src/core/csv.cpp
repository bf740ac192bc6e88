#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <wfm/core/calendar.hpp>
#include <wfm/core/csv.hpp>
#include <wfm/core/error.hpp>

#include "csv_columns.hpp"

namespace wfm {

CsvTable::CsvTable(std::string source, std::vector<std::string> header,
                   std::vector<std::vector<std::string>> rows)
    : source_(std::move(source)), header_(std::move(header)), rows_(std::move(rows)) {}

std::optional<std::size_t> detail::find_column(const std::vector<std::string>& header,
                                               std::string_view name) noexcept {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  return std::nullopt;
}

std::size_t detail::required_column(std::string_view source,
                                    const std::vector<std::string>& header,
                                    std::string_view name) {
  if (auto c = find_column(header, name)) return *c;
  throw_invalid(source, fmt::format("required column '{}' is missing (columns: {})", name,
                                    fmt::join(header, ",")));
}

std::optional<std::size_t> CsvTable::find_column(std::string_view name) const {
  return detail::find_column(header_, name);
}

std::size_t CsvTable::column(std::string_view name) const {
  return detail::required_column(source_, header_, name);
}

const std::string& CsvTable::text(std::size_t row, std::size_t col) const {
  return rows_.at(row).at(col);
}

void CsvTable::fail(std::size_t row, std::size_t col, std::string_view message) const {
  detail::throw_invalid(fmt::format("{}, line {}, column '{}'", source_, line_of(row),
                                    col < header_.size() ? header_[col] : std::string("?")),
                        message);
}

double CsvTable::number(std::size_t row, std::size_t col) const {
  const std::string& s = text(row, col);
  std::size_t b = 0, e = s.size();
  while (b < e && s[b] == ' ') ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\r')) --e;
  if (b < e && s[b] == '+' && e - b > 1 && s[b + 1] != '-') ++b;  // from_chars takes no '+'
  double v = 0.0;
  // std::from_chars reads decimal notation only (no "0x1A", no locale) and, unlike strtod,
  // does not fail on subnormal values such as 1e-320.
  const auto [end, ec] = std::from_chars(s.data() + b, s.data() + e, v, std::chars_format::general);
  if (b == e || end != s.data() + e || (ec != std::errc() && ec != std::errc::result_out_of_range))
    fail(row, col, fmt::format("not a number: '{}'", s));
  if (ec == std::errc::result_out_of_range || !std::isfinite(v))
    fail(row, col, fmt::format("not a finite number: '{}'", s));
  return v;
}

std::int64_t CsvTable::integer(std::size_t row, std::size_t col, std::int64_t lo,
                               std::int64_t hi) const {
  const double v = number(row, col);
  if (v != std::floor(v))
    fail(row, col, fmt::format("must be a whole number, got '{}'", text(row, col)));
  if (!(v >= static_cast<double>(lo) && v <= static_cast<double>(hi)))
    fail(row, col, fmt::format("must be in [{}, {}], got '{}'", lo, hi, text(row, col)));
  return static_cast<std::int64_t>(v);
}

std::int64_t CsvTable::timestamp(std::size_t row, std::size_t col) const {
  const auto t = parse_timestamp(text(row, col));
  if (!t) fail(row, col, fmt::format("not a timestamp 'YYYY-MM-DD HH:MM': '{}'", text(row, col)));
  return *t;
}

ParsedTimestamp CsvTable::instant(std::size_t row, std::size_t col) const {
  const auto t = parse_timestamp_with_offset(text(row, col));
  if (!t)
    fail(row, col,
         fmt::format("not an ISO 8601 timestamp 'YYYY-MM-DD HH:MM[:SS][+HH:MM|Z]': '{}'",
                     text(row, col)));
  return *t;
}

CsvTable parse_csv(std::string_view text, std::string source) {
  std::vector<std::vector<std::string>> lines;
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false, any = false;
  std::size_t line_no = 1;
  auto end_line = [&] {
    if (any || !field.empty() || !fields.empty()) {
      fields.push_back(std::move(field));
      lines.push_back(std::move(fields));
    }
    fields.clear();
    field.clear();
    any = false;
    ++line_no;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = any = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
      any = true;
    } else if (c == '\n') {
      end_line();
    } else if (c != '\r') {
      field += c;
      any = true;
    }
  }
  if (quoted) detail::throw_invalid(source, "unterminated quoted field at end of file");
  end_line();
  if (lines.empty()) detail::throw_invalid(source, "the file is empty (no header row)");
  for (auto& h : lines.front()) {  // tolerate a UTF-8 byte-order mark and stray spaces
    if (h.rfind("\xEF\xBB\xBF", 0) == 0) h.erase(0, 3);
    while (!h.empty() && h.back() == ' ') h.pop_back();
    while (!h.empty() && h.front() == ' ') h.erase(0, 1);
  }
  std::vector<std::string> header = std::move(lines.front());
  std::vector<std::vector<std::string>> rows(std::make_move_iterator(lines.begin() + 1),
                                             std::make_move_iterator(lines.end()));
  for (std::size_t r = 0; r < rows.size(); ++r)
    if (rows[r].size() != header.size())
      detail::throw_invalid(fmt::format("{}, line {}", source, CsvTable::line_of(r)),
                            fmt::format("expected {} fields as in the header, found {}",
                                        header.size(), rows[r].size()));
  return CsvTable(std::move(source), std::move(header), std::move(rows));
}

CsvTable read_csv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) detail::throw_invalid(path, "cannot open the file for reading");
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_csv(ss.str(), path);
}

}  // namespace wfm
