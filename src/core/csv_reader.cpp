// The streaming CSV reader (see include/wfm/core/csv_reader.hpp).
#include <wfm/core/csv_reader.hpp>

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstring>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <wfm/core/calendar.hpp>
#include <wfm/core/error.hpp>

namespace wfm {
namespace {

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  return s;
}

// The first ',', '\n' or '"' in b[i, end), or end. SSE2 (baseline on x86-64): 16 bytes per
// step, three byte compares and one movemask; other targets: a byte loop.
std::size_t find_special(const char* b, std::size_t i, std::size_t end) noexcept {
#ifdef __SSE2__
  const __m128i comma = _mm_set1_epi8(','), newline = _mm_set1_epi8('\n'),
                quote = _mm_set1_epi8('"');
  for (; i + 16 <= end; i += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b + i));
    const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, comma),
                                                  _mm_cmpeq_epi8(x, newline)),
                                     _mm_cmpeq_epi8(x, quote));
    const auto mask = static_cast<unsigned>(_mm_movemask_epi8(hit));
    if (mask != 0) return i + static_cast<std::size_t>(__builtin_ctz(mask));
  }
#endif
  while (i < end && b[i] != ',' && b[i] != '\n' && b[i] != '"') ++i;
  return i;
}

}  // namespace

CsvReader::CsvReader(const std::string& path, std::size_t buffer_bytes)
    : source_(path), in_(path, std::ios::binary), buf_(std::max<std::size_t>(buffer_bytes, 64)) {
  if (!in_) detail::throw_invalid(path, "cannot open the file for reading");
  if (!next()) detail::throw_invalid(path, "the file is empty (no header row)");
  for (std::string_view f : fields_) {
    std::string h(f);
    if (h.rfind("\xEF\xBB\xBF", 0) == 0) h.erase(0, 3);
    header_.emplace_back(trim(h));
  }
  rows_ = 0;
}

std::optional<std::size_t> CsvReader::find_column(std::string_view name) const {
  for (std::size_t i = 0; i < header_.size(); ++i)
    if (header_[i] == name) return i;
  return std::nullopt;
}

std::size_t CsvReader::column(std::string_view name) const {
  if (auto c = find_column(name)) return *c;
  detail::throw_invalid(source_, fmt::format("required column '{}' is missing (columns: {})", name,
                                             fmt::join(header_, ",")));
}

bool CsvReader::fill() {
  if (eof_) return false;
  if (pos_ > 0) {  // keep the unread tail at the front
    std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
  }
  if (end_ == buf_.size()) buf_.resize(buf_.size() * 2);  // a row longer than the buffer
  in_.read(buf_.data() + end_, static_cast<std::streamsize>(buf_.size() - end_));
  const auto got = static_cast<std::size_t>(in_.gcount());
  end_ += got;
  if (got == 0 || !in_) eof_ = true;
  if (in_.bad()) detail::throw_invalid(source_, "read error");
  return got > 0;
}

// Parses one record from pos_. Returns false when none is left. `complete` is false when the
// buffer ended inside the record and more bytes may come (the caller refills and retries).
bool CsvReader::scan_record(bool& complete) {
  spans_.clear();
  unquoted_.clear();
  in_unquoted_.clear();
  complete = true;
  std::size_t i = pos_;
  std::size_t lines = 0;
  std::size_t line_end = 0;  // position of the next '\n' (or end_) once searched
  bool searched = false;
  const char* b = buf_.data();
  for (;;) {  // one field per iteration
    if (i < end_ && b[i] == '"') {
      const std::size_t start = unquoted_.size();
      ++i;
      for (;;) {
        if (i >= end_) {
          if (eof_) detail::throw_invalid(source_, "unterminated quoted field at end of file");
          complete = false;
          return true;
        }
        if (b[i] == '"') {
          if (i + 1 >= end_ && !eof_) {
            complete = false;
            return true;
          }
          if (i + 1 < end_ && b[i + 1] == '"') {
            unquoted_ += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        if (b[i] == '\n') ++lines;
        unquoted_ += b[i++];
      }
      while (i < end_ && b[i] != ',' && b[i] != '\n') {  // text after the closing quote
        if (b[i] != '\r') unquoted_ += b[i];
        ++i;
      }
      spans_.emplace_back(start, unquoted_.size() - start);
      in_unquoted_.push_back(1);
    } else {
      const std::size_t start = i;
      if (!searched || line_end < i) {  // the end of the line, searched once per line
        searched = true;
        const void* hit = std::memchr(b + i, '\n', end_ - i);
        line_end = hit ? static_cast<std::size_t>(static_cast<const char*>(hit) - b) : end_;
      }
      const std::size_t stop = line_end;
      const void* comma = std::memchr(b + i, ',', stop - i);
      i = comma ? static_cast<std::size_t>(static_cast<const char*>(comma) - b) : stop;
      std::size_t len = i - start;
      if (len > 0 && b[start + len - 1] == '\r' && (i == stop)) --len;
      spans_.emplace_back(start, len);
      in_unquoted_.push_back(0);
    }
    if (i < end_ && b[i] == ',') {
      ++i;
      continue;
    }
    if (i >= end_ && !eof_) {
      complete = false;
      return true;
    }
    // end of record: '\n' or end of file
    const bool blank = spans_.size() == 1 && in_unquoted_[0] == 0 && spans_[0].second == 0;
    if (i < end_) ++i;  // the '\n'
    ++lines;
    if (blank) {  // skip a blank line and go on with the next record
      line_ += lines;
      lines = 0;
      pos_ = i;
      spans_.clear();
      in_unquoted_.clear();
      unquoted_.clear();
      if (pos_ >= end_) {
        if (eof_) return false;
        complete = false;
        return true;
      }
      continue;
    }
    row_line_ = line_;
    line_ += lines;
    pos_ = i;
    return true;
  }
}

// The common record: no quote anywhere, its '\n' already in the buffer, not blank. Fills
// fields_ with views into the buffer and consumes the record; false (nothing consumed) for any
// other record, which scan_record() then parses (the same dialect: this is only a shortcut).
bool CsvReader::scan_plain() {
  const char* b = buf_.data();
  fields_.clear();
  std::size_t start = pos_;
  for (;;) {
    const std::size_t j = find_special(b, start, end_);
    if (j == end_ || b[j] == '"') return false;
    if (b[j] == ',') {
      fields_.emplace_back(b + start, j - start);
      start = j + 1;
      continue;
    }
    std::size_t len = j - start;  // the last field: drop the '\r' of a "\r\n" line end
    if (len > 0 && b[j - 1] == '\r') --len;
    if (fields_.empty() && len == 0) return false;  // a blank line
    fields_.emplace_back(b + start, len);
    pos_ = j + 1;
    row_line_ = line_++;
    return true;
  }
}

bool CsvReader::next() {
  if (pos_ < end_ && scan_plain()) return count_row();
  for (;;) {
    if (pos_ >= end_ && !fill()) return false;
    bool complete = true;
    if (!scan_record(complete)) return false;
    if (complete) break;
    fill();  // the record runs past the buffer: read more (sets eof_ when nothing is left)
  }
  fields_.clear();
  for (std::size_t k = 0; k < spans_.size(); ++k)
    fields_.emplace_back(in_unquoted_[k] ? unquoted_.data() + spans_[k].first
                                         : buf_.data() + spans_[k].first,
                         spans_[k].second);
  return count_row();
}

bool CsvReader::count_row() {
  if (!header_.empty()) {
    ++rows_;
    if (fields_.size() != header_.size())
      fail_row(fmt::format("expected {} fields as in the header, found {}", header_.size(),
                           fields_.size()));
  }
  return true;
}

bool CsvReader::empty(std::size_t col) const noexcept { return trim(fields_[col]).empty(); }

namespace {
// Exact fast path for plain decimals ("123", "-4.56"): at most 15 significant digits give an
// integer mantissa m < 2^53 and m / 10^k with k <= 15 is one correctly rounded division of two
// exact doubles (Clinger (1990), "How to read floating point numbers accurately", PLDI, the
// fast path). Anything else (exponents, more digits) goes to std::from_chars.
std::optional<double> plain_decimal(std::string_view s) noexcept {
  static constexpr double pow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  const char* p = s.data();
  const char* const e = p + s.size();
  const bool negative = p != e && *p == '-';
  if (p != e && (*p == '-' || *p == '+')) ++p;
  if (p == e || e - p > 16) return std::nullopt;  // <= 16 characters: m < 10^16, no overflow
  std::uint64_t m = 0;
  const char* dot = nullptr;
  for (const char* q = p; q != e; ++q) {
    const auto d = static_cast<unsigned>(static_cast<unsigned char>(*q)) - unsigned{'0'};
    if (d < 10) {
      m = m * 10 + d;
    } else if (*q == '.' && dot == nullptr) {
      dot = q;
    } else {
      return std::nullopt;
    }
  }
  const std::ptrdiff_t digits = (e - p) - (dot != nullptr ? 1 : 0);
  if (digits == 0 || digits > 15) return std::nullopt;
  const std::ptrdiff_t frac = dot != nullptr ? e - dot - 1 : 0;
  const double v = static_cast<double>(m) / pow10[frac];
  return negative ? -v : v;
}
}  // namespace

double CsvReader::number(std::size_t col) const {
  const std::string_view s = trim(fields_[col]);
  if (const auto fast = plain_decimal(s)) return *fast;
  double v = std::nan("");
  const char* first = s.data();
  if (!s.empty() && s.front() == '+') ++first;
  const auto r = std::from_chars(first, s.data() + s.size(), v);
  if (s.empty() || r.ec != std::errc{} || r.ptr != s.data() + s.size())
    fail(col, fmt::format("not a number: '{}'", fields_[col]));
  if (!std::isfinite(v)) fail(col, fmt::format("not a finite number: '{}'", fields_[col]));
  return v;
}

std::int64_t CsvReader::timestamp(std::size_t col) const {
  const auto t = parse_timestamp(fields_[col]);
  if (!t) fail(col, fmt::format("not a timestamp 'YYYY-MM-DD HH:MM[:SS]': '{}'", fields_[col]));
  return *t;
}

void CsvReader::fail(std::size_t col, std::string_view message) const {
  detail::throw_invalid(fmt::format("{}, line {}, column '{}'", source_, row_line_,
                                    col < header_.size() ? header_[col] : std::string("?")),
                        message);
}

void CsvReader::fail_row(std::string_view message) const {
  detail::throw_invalid(fmt::format("{}, line {}", source_, row_line_), message);
}

}  // namespace wfm
