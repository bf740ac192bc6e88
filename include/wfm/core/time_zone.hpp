#pragma once
/// \file
/// Time zones: the UTC offset of a zone at an instant, and local wall-clock time -> UTC.
///
/// GCC 12's libstdc++ ships no `std::chrono::tzdb` (C++20 time-zone support arrived in GCC 14),
/// so wfm reads the system's IANA time-zone files itself: the TZif format of RFC 8536
/// (https://www.rfc-editor.org/rfc/rfc8536), installed on Debian by the package `tzdata` under
/// /usr/share/zoneinfo (or $TZDIR). Instants after the file's last transition follow the POSIX
/// TZ rule of the file's footer (RFC 8536 section 3.3; POSIX.1-2017 section 8.3, "TZ"), so
/// "slim" files work too.
///
/// Conventions: instants are whole seconds since 1970-01-01 00:00 UTC; a local time is whole
/// seconds since 1970-01-01 00:00 of the zone's wall clock (the representation of
/// wfm/core/calendar.hpp); an offset is local - UTC in seconds (+3600 for CET).

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace wfm {

/// Which instant a repeated local time (the hour that occurs twice when clocks go back) means.
enum class Fold : std::uint8_t {
  earlier,  ///< the first occurrence (the earlier UTC instant, the larger offset)
  later,    ///< the second occurrence
  error,    ///< a repeated local time is an error
};

/// A time zone: an IANA zone read from a TZif file, or a fixed offset. Cheap to copy (the
/// transition table is shared and immutable).
class TimeZone {
 public:
  /// UTC (a fixed zone with offset 0, name "UTC").
  TimeZone();

  /// A fixed offset [s] east of UTC (|offset| < 26 h). Its name is "" (no IANA zone known) and
  /// its label "+HH:MM". \throws InvalidArgument if out of range.
  [[nodiscard]] static TimeZone fixed(std::int64_t offset_s);

  /// The IANA zone `name` ("Europe/Berlin", "UTC"), read from `<zoneinfo_dir>/<name>`.
  /// \throws InvalidArgument naming the zone if it cannot be found or read.
  [[nodiscard]] static TimeZone locate(std::string_view name,
                                       const std::string& zoneinfo_dir = default_zoneinfo_dir());

  /// A zone from the bytes of a TZif file (RFC 8536, versions 1 to 4).
  /// \throws InvalidArgument naming `name` if the data is not valid TZif.
  [[nodiscard]] static TimeZone from_tzif(std::string_view bytes, std::string name);

  /// $TZDIR if set, else "/usr/share/zoneinfo".
  [[nodiscard]] static std::string default_zoneinfo_dir();

  /// The IANA name, or "" for a fixed offset.
  [[nodiscard]] const std::string& name() const noexcept;
  /// The IANA name, or "+HH:MM" for a fixed offset.
  [[nodiscard]] std::string label() const;
  /// Whether the offset never changes.
  [[nodiscard]] bool is_fixed() const noexcept;

  /// UTC offset [s] at the instant `utc`.
  [[nodiscard]] std::int64_t offset_at(std::int64_t utc) const;
  /// Wall-clock time at the instant `utc`.
  [[nodiscard]] std::int64_t to_local(std::int64_t utc) const { return utc + offset_at(utc); }

  /// Every instant whose wall-clock time is `local`, earliest first: one normally, two in a
  /// repeated hour, none in a skipped hour.
  [[nodiscard]] std::vector<std::int64_t> instants_of(std::int64_t local) const;

  /// The instant of the wall-clock time `local`.
  /// \throws InvalidArgument if `local` does not exist (skipped by a clock change), or if it is
  /// repeated and `fold` is Fold::error.
  [[nodiscard]] std::int64_t to_utc(std::int64_t local, Fold fold = Fold::earlier) const;

  struct Data;  ///< the parsed zone (defined in src/core/time_zone.cpp)

 private:
  explicit TimeZone(std::shared_ptr<const Data> data);
  std::shared_ptr<const Data> data_;
};

/// "+HH:MM" / "-HH:MM" for an offset [s] ("+HH:MM:SS" when not whole minutes).
[[nodiscard]] std::string format_utc_offset(std::int64_t offset_s);

}  // namespace wfm
