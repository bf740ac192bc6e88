#pragma once
/// \file
/// Wall-clock timestamps. wfm stores local interval starts as whole seconds since
/// 1970-01-01 00:00 of the *same wall clock* (no DST shift): a contact centre's day is its local
/// day. Instants (UTC) and time zones live in wfm/core/time_zone.hpp and
/// wfm/core/interval_grid.hpp, which map each interval to its local time.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wfm {

/// Days since 1970-01-01 of the proleptic Gregorian date y-m-d.
/// Algorithm: H. Hinnant, "chrono-Compatible Low-Level Date Algorithms" (days_from_civil),
/// http://howardhinnant.github.io/date_algorithms.html (public domain).
[[nodiscard]] constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m,
                                                     unsigned d) noexcept {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);                      // [0, 399]
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;       // [0, 365]
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;                 // [0, 146096]
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

/// A civil date.
struct CivilDate {
  std::int64_t year = 1970;
  unsigned month = 1;  ///< 1..12
  unsigned day = 1;    ///< 1..31
};

/// Inverse of days_from_civil (same source: civil_from_days).
[[nodiscard]] constexpr CivilDate civil_from_days(std::int64_t z) noexcept {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2 ? 1 : 0), m, d};
}

inline constexpr std::int64_t seconds_per_day = 86400;

/// Day number (days since 1970-01-01) of a timestamp [s].
[[nodiscard]] constexpr std::int64_t day_of(std::int64_t t) noexcept {
  return t >= 0 ? t / seconds_per_day : -((-t + seconds_per_day - 1) / seconds_per_day);
}
/// Seconds since midnight of a timestamp.
[[nodiscard]] constexpr std::int64_t second_of_day(std::int64_t t) noexcept {
  return t - day_of(t) * seconds_per_day;
}
/// ISO weekday of a timestamp: 0 = Monday ... 6 = Sunday (1970-01-01 was a Thursday).
[[nodiscard]] constexpr int weekday(std::int64_t t) noexcept {
  const std::int64_t d = day_of(t);
  return static_cast<int>(((d % 7) + 7 + 3) % 7);
}

/// Parses "YYYY-MM-DD HH:MM", "YYYY-MM-DD HH:MM:SS" (a 'T' may replace the space) or
/// "YYYY-MM-DD" (midnight). Returns nothing when the text is not a valid timestamp.
[[nodiscard]] std::optional<std::int64_t> parse_timestamp(std::string_view text);

/// An ISO 8601 timestamp as written: its wall-clock time and, when it carries one, its UTC
/// offset ("Z" = +00:00). The instant is `local - *offset_s`.
struct ParsedTimestamp {
  std::int64_t local = 0;                ///< wall-clock seconds (see the file comment)
  std::optional<std::int64_t> offset_s;  ///< local - UTC [s]; nothing for a naive timestamp
};

/// Parses what parse_timestamp accepts, optionally followed by a UTC offset: "Z", "+HH:MM",
/// "+HHMM" or "+HH" (also '-'); e.g. "2026-03-29T01:45:00+01:00". Nothing when invalid.
[[nodiscard]] std::optional<ParsedTimestamp> parse_timestamp_with_offset(std::string_view text);

/// Formats as "YYYY-MM-DD HH:MM" (":SS" appended when the seconds are not zero).
[[nodiscard]] std::string format_timestamp(std::int64_t t);

/// Formats a zone-aware timestamp as ISO 8601 "YYYY-MM-DDTHH:MM:SS+HH:MM" (pandas reads it
/// back as a tz-aware timestamp).
[[nodiscard]] std::string format_timestamp(std::int64_t local, std::int64_t offset_s);

/// Formats the date part as "YYYY-MM-DD".
[[nodiscard]] std::string format_date(std::int64_t t);

}  // namespace wfm
