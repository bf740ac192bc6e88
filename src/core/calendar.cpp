#include <fmt/format.h>

#include <charconv>
#include <wfm/core/calendar.hpp>

namespace wfm {
namespace {

bool read_int(std::string_view s, std::size_t pos, std::size_t len, int& out) {
  if (pos + len > s.size()) return false;
  for (std::size_t i = pos; i < pos + len; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  auto r = std::from_chars(s.data() + pos, s.data() + pos + len, out);
  return r.ec == std::errc{};
}

constexpr bool is_leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

}  // namespace

std::optional<std::int64_t> parse_timestamp(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  if (!read_int(s, 0, 4, y) || !read_int(s, 5, 2, mo) || !read_int(s, 8, 2, d)) return std::nullopt;
  if (s.size() > 10) {
    if (s[10] != ' ' && s[10] != 'T') return std::nullopt;
    if (s.size() != 16 && s.size() != 19) return std::nullopt;
    if (s[13] != ':' || !read_int(s, 11, 2, h) || !read_int(s, 14, 2, mi)) return std::nullopt;
    if (s.size() == 19 && (s[16] != ':' || !read_int(s, 17, 2, sec))) return std::nullopt;
  }
  static constexpr int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1) return std::nullopt;
  const int dim = mdays[mo - 1] + (mo == 2 && is_leap(y) ? 1 : 0);
  if (d > dim || h > 23 || mi > 59 || sec > 59) return std::nullopt;
  return days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * seconds_per_day +
         h * 3600 + mi * 60 + sec;
}

std::optional<ParsedTimestamp> parse_timestamp_with_offset(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  if (s.size() > 10 && (s.back() == 'Z' || s.back() == 'z')) {
    const auto t = parse_timestamp(s.substr(0, s.size() - 1));
    if (!t) return std::nullopt;
    return ParsedTimestamp{*t, 0};
  }
  // An offset starts with the last '+' or '-' after the time of day (position > 10).
  const std::size_t sign = s.find_last_of("+-");
  if (sign == std::string_view::npos || sign <= 10) {
    const auto t = parse_timestamp(s);
    if (!t) return std::nullopt;
    return ParsedTimestamp{*t, std::nullopt};
  }
  const auto t = parse_timestamp(s.substr(0, sign));
  const std::string_view off = s.substr(sign + 1);
  int h = 0, m = 0;
  bool ok = false;
  if (off.size() == 2) ok = read_int(off, 0, 2, h);
  else if (off.size() == 4) ok = read_int(off, 0, 2, h) && read_int(off, 2, 2, m);
  else if (off.size() == 5) ok = off[2] == ':' && read_int(off, 0, 2, h) && read_int(off, 3, 2, m);
  if (!t || !ok || h > 25 || m > 59) return std::nullopt;
  const std::int64_t o = (s[sign] == '-' ? -1 : 1) * (h * 3600 + m * 60);
  return ParsedTimestamp{*t, o};
}

std::string format_timestamp(std::int64_t local, std::int64_t offset_s) {
  const std::int64_t s = second_of_day(local);
  const char sign = offset_s < 0 ? '-' : '+';
  const std::int64_t a = offset_s < 0 ? -offset_s : offset_s;
  return fmt::format("{}T{:02d}:{:02d}:{:02d}{}{:02d}:{:02d}", format_date(local), s / 3600,
                     s % 3600 / 60, s % 60, sign, a / 3600, a % 3600 / 60);
}

std::string format_date(std::int64_t t) {
  const CivilDate c = civil_from_days(day_of(t));
  return fmt::format("{:04d}-{:02d}-{:02d}", c.year, c.month, c.day);
}

std::string format_timestamp(std::int64_t t) {
  const std::int64_t s = second_of_day(t);
  if (s % 60 == 0) return fmt::format("{} {:02d}:{:02d}", format_date(t), s / 3600, s % 3600 / 60);
  return fmt::format("{} {:02d}:{:02d}:{:02d}", format_date(t), s / 3600, s % 3600 / 60, s % 60);
}

}  // namespace wfm
