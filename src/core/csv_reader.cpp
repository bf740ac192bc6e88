// The streaming CSV reader (see include/wfm/core/csv_reader.hpp).
#include <wfm/core/csv_reader.hpp>

#include <fmt/format.h>

#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <wfm/core/calendar.hpp>
#include <wfm/core/error.hpp>

#include "csv_columns.hpp"

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

// Bit i set where b[i] is a ',' (comma), '\n' (newline) or '"' (quote), for the 64 bytes at
// b: four 16-byte SSE2 compares per byte class. Other targets: a byte loop.
struct SpecialMasks {
  std::uint64_t comma = 0, newline = 0, quote = 0;
};

SpecialMasks special_masks(const char* b) noexcept {
  SpecialMasks m;
#ifdef __SSE2__
  const __m128i comma = _mm_set1_epi8(','), newline = _mm_set1_epi8('\n'),
                quote = _mm_set1_epi8('"');
  for (unsigned k = 0; k < 4; ++k) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b + 16 * k));
    const auto bits = [&](__m128i c) {
      return std::uint64_t{static_cast<std::uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, c)))}
             << (16 * k);
    };
    m.comma |= bits(comma);
    m.newline |= bits(newline);
    m.quote |= bits(quote);
  }
#else
  for (unsigned i = 0; i < 64; ++i) {
    const std::uint64_t bit = std::uint64_t{1} << i;
    if (b[i] == ',') m.comma |= bit;
    if (b[i] == '\n') m.newline |= bit;
    if (b[i] == '"') m.quote |= bit;
  }
#endif
  return m;
}

}  // namespace

CsvReader::CsvReader(const std::string& path, std::size_t buffer_bytes)
    : source_(path), in_(path, std::ios::binary), buf_(std::max<std::size_t>(buffer_bytes, 64) + kPadding) {
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
  return detail::find_column(header_, name);
}

std::size_t CsvReader::column(std::string_view name) const {
  return detail::required_column(source_, header_, name);
}

bool CsvReader::fill() {
  if (eof_) return false;
  if (pos_ > 0) {  // keep the unread tail at the front
    std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
  }
  const std::size_t capacity = buf_.size() - kPadding;
  if (end_ == capacity) buf_.resize(2 * capacity + kPadding);  // a row longer than the buffer
  in_.read(buf_.data() + end_, static_cast<std::streamsize>(buf_.size() - kPadding - end_));
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
  // 64 bytes at a time while they are in the buffer: the record's commas, its line end and any
  // quote come from three bit masks, one bit per byte (the idea of simdjson's stage 1:
  // Langdale & Lemire (2019), "Parsing gigabytes of JSON per second", VLDB Journal 28(6)).
  for (std::size_t block = pos_; block + 64 <= end_; block += 64) {
    const SpecialMasks m = special_masks(b + block);
    const std::uint64_t before_end =
        m.newline != 0 ? (m.newline & (~m.newline + 1)) - 1 : ~std::uint64_t{0};
    if ((m.quote & before_end) != 0) return false;
    for (std::uint64_t c = m.comma & before_end; c != 0; c &= c - 1) {
      const std::size_t j = block + static_cast<std::size_t>(std::countr_zero(c));
      fields_.emplace_back(b + start, j - start);
      start = j + 1;
    }
    if (m.newline != 0)
      return end_plain(start, block + static_cast<std::size_t>(std::countr_zero(m.newline)));
  }
  for (;;) {  // the last bytes of the buffer: one field at a time
    const std::size_t j = find_special(b, start, end_);
    if (j == end_ || b[j] == '"') return false;
    if (b[j] == '\n') return end_plain(start, j);
    fields_.emplace_back(b + start, j - start);
    start = j + 1;
  }
}

// The last field of a plain record, [start, j) with its line end at j; false (nothing
// consumed) for a blank line.
bool CsvReader::end_plain(std::size_t start, std::size_t j) {
  std::size_t len = j - start;  // drop the '\r' of a "\r\n" line end
  if (len > 0 && buf_[j - 1] == '\r') --len;
  if (fields_.empty() && len == 0) return false;
  fields_.emplace_back(buf_.data() + start, len);
  pos_ = j + 1;
  row_line_ = line_++;
  return true;
}

bool CsvReader::next() {
  plain_ = pos_ < end_ && scan_plain();
  if (plain_) return count_row();
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

void CsvReader::ragged_row() const {
  fail_row(fmt::format("expected {} fields as in the header, found {}", header_.size(),
                       fields_.size()));
}


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

// The same numbers as plain_decimal() when they have at most 8 characters after the sign
// ("0", "18.9", "-4.56", the durations of a contact log), without a loop over the characters:
// the 8 bytes at p are one little-endian word; the dot is found by the zero-byte test of
// Mycroft (1987; Anderson, "Bit Twiddling Hacks": "haszero"), squeezed out, the digits checked
// and combined in three multiplications (Lemire (2018), "Quickly parsing eight digits",
// lemire.me/blog/2018/10/03, the SWAR form that simdjson uses). Then m / 10^k as in
// plain_decimal (at most 8 digits: m < 2^53). p must have 8 readable bytes; those beyond n are
// ignored.
std::optional<double> short_decimal(const char* p, std::size_t n) noexcept {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  static constexpr double pow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8};
  constexpr std::uint64_t ones = 0x0101010101010101, zeros = 0x3030303030303030;
  const bool negative = n > 0 && *p == '-';
  const std::size_t skip = negative ? 1 : 0;
  if (n <= skip || n - skip > 8) return std::nullopt;
  std::uint64_t x = 0;
  std::memcpy(&x, p, 8);
  x >>= 8 * skip;  // the sign's byte out (a '+' goes to plain_decimal)
  n -= skip;
  x &= ~std::uint64_t{0} >> (64 - 8 * n);  // the n characters; zero bytes above
  const std::uint64_t y = x ^ (ones * '.');
  const std::uint64_t dots = (y - ones) & ~y & (ones * 0x80);
  const std::size_t has_dot = dots != 0 ? 1 : 0;
  const std::size_t dot = dots != 0 ? static_cast<std::size_t>(std::countr_zero(dots)) / 8 : n;
  // the bytes below the dot, and those above it moved down by one (shifts split to stay < 64)
  const std::uint64_t low = x & (((std::uint64_t{1} << (4 * dot)) << (4 * dot)) - 1);
  const std::uint64_t high = ((x >> (4 * dot)) >> (4 * dot)) >> 8;
  const std::uint64_t digits = low | ((high << (4 * dot)) << (4 * dot));
  const std::size_t count = n - has_dot;
  if (count == 0) return std::nullopt;
  // right-align the digits in 8 bytes with leading '0's (the first character is the low byte)
  const std::uint64_t w = (digits << (8 * (8 - count))) | ((zeros >> (8 * count - 8)) >> 8);
  const std::uint64_t hi_nibbles = w & (ones * 0xF0), carry = (w + ones * 0x06) & (ones * 0xF0);
  if (hi_nibbles != zeros || carry != zeros) return std::nullopt;  // a byte not in '0'..'9'
  std::uint64_t v = w - zeros;
  v = (v * 2561) >> 8;  // 10 * 256 + 1: pairs of digits
  v = ((v & 0x00FF00FF00FF00FF) * 6553601) >> 16;          // 100 * 65536 + 1
  v = ((v & 0x0000FFFF0000FFFF) * 42949672960001) >> 32;           // 10000 * 2^32 + 1
  const double value = static_cast<double>(v) / pow10[n - dot - has_dot];
  return negative ? -value : value;
#else
  (void)p;
  (void)n;
  return std::nullopt;
#endif
}
}  // namespace

double CsvReader::number(std::size_t col) const {
  const std::string_view s = trim(fields_[col]);
  if (plain_) {  // the cell is in buf_, followed by at least kPadding readable bytes
    if (const auto fast = short_decimal(s.data(), s.size())) return *fast;
  }
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
