#pragma once
// Timestamp helpers shared by the tests of grids across clock changes.
#include <cstdint>
#include <filesystem>
#include <string_view>

#include <wfm/core/calendar.hpp>
#include <wfm/core/time_zone.hpp>

namespace wfm::test {

/// The instant of a timestamp text the test knows to be valid ("2026-03-29 01:00").
inline std::int64_t at(std::string_view text) { return *parse_timestamp(text); }

/// Whether the system's zoneinfo has Europe/Berlin (the zone-aware cases skip without it).
inline bool have_berlin() {
  return std::filesystem::exists(TimeZone::default_zoneinfo_dir() + "/Europe/Berlin");
}

}  // namespace wfm::test
