#pragma once
/// \file
/// The one interval grid every module takes and returns: a start instant, an interval length,
/// a number of intervals, which of them are open, and the calendar (the local wall-clock time of
/// each interval).
///
/// The grid runs in elapsed (UTC) time: interval i covers [start_utc + i L, start_utc + (i+1) L).
/// Its local time is `local(i) = utc(i) + offset_s(i)`, the wall-clock seconds that
/// wfm/core/calendar.hpp's weekday(), day_of() and second_of_day() work on. So a day on which
/// the clocks go forward has 23 hours of intervals (the skipped local hour does not exist), and
/// a day on which they go back has 25 (the repeated local hour is two distinct intervals with
/// equal local times and different offsets).
///
/// A grid is *naive* (no zone: local time = UTC, timestamps written without an offset, as wfm
/// always did) or *zone-aware* (a TimeZone, or per-interval offsets read from the data;
/// timestamps written as "2026-03-29T01:45:00+01:00").
///
/// ## Building a grid from a table: the one rule (used by every program and binding)
/// `grid_from_table(table, "timestamp", options)`:
/// 1. Timestamps are ISO 8601 (see parse_timestamp_with_offset). Either every row carries a UTC
///    offset or none does.
///    - With offsets: each row is the instant `local - offset`, and keeps its offset.
///    - Naive + `options.zone`: local times in that zone. A repeated local time (clocks going
///      back) is resolved by row order: its first row is the earlier instant (the earlier,
///      larger offset), its second row the later one. A local time the zone skips is an error.
///    - Naive without a zone: a naive grid.
/// 2. The interval length is `options.interval_length_s` if given, else the smallest gap between
///    consecutive distinct instants (at least two rows needed). A row whose distance to the
///    first row is not a multiple of it, or a duplicate instant, is an InvalidArgument naming
///    file, line and timestamp.
/// 3. The grid spans the first to the last row; intervals without a row are *closed*.
///
/// `align_to_grid(table, column, grid)` maps the rows of a table onto an existing grid (each row
/// to its interval, by timestamp, never by row order); the same errors apply, plus rows that do
/// not fall on the grid.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <wfm/core/csv.hpp>
#include <wfm/core/time_zone.hpp>

namespace wfm {

class IntervalGrid {
 public:
  /// An empty naive grid with 900-s intervals.
  IntervalGrid() = default;

  /// `count` open intervals of `interval_length_s` [s, whole, > 0] from the instant `start_utc`,
  /// with the calendar of `zone`. \throws InvalidArgument on a bad length.
  IntervalGrid(std::int64_t start_utc, std::int64_t interval_length_s, std::size_t count,
               TimeZone zone);

  /// A naive grid: `count` open intervals from the wall-clock time `start_local` (no zone;
  /// local time = UTC).
  [[nodiscard]] static IntervalGrid naive(std::int64_t start_local, std::int64_t interval_length_s,
                                          std::size_t count);

  /// A zone-aware grid whose offsets are given per interval (timestamps that carried offsets);
  /// the grid that follows it continues with the last offset. `offsets_s.size()` = intervals.
  [[nodiscard]] static IntervalGrid with_offsets(std::int64_t start_utc,
                                                 std::int64_t interval_length_s,
                                                 std::vector<std::int64_t> offsets_s);

  /// The intervals from wall-clock `start_local` up to wall-clock `end_local` in `zone`: 7 days
  /// of 24 h are 7*96 intervals of 15 min, one fewer hour in a spring-forward week, one more in
  /// a fall-back week. Both ends must exist in the zone (the earlier instant when repeated).
  [[nodiscard]] static IntervalGrid local_span(std::int64_t start_local, std::int64_t end_local,
                                               std::int64_t interval_length_s, TimeZone zone);
  /// The whole week from wall-clock `start_local` (usually a Monday 00:00) in `zone`.
  [[nodiscard]] static IntervalGrid week(std::int64_t start_local, std::int64_t interval_length_s,
                                         TimeZone zone);

  // --- shape
  [[nodiscard]] std::size_t size() const noexcept { return offsets_.size(); }
  [[nodiscard]] bool empty() const noexcept { return offsets_.empty(); }
  [[nodiscard]] std::int64_t interval_length_s() const noexcept { return length_; }
  [[nodiscard]] std::int64_t start_utc() const noexcept { return start_; }
  /// The instant just after the last interval.
  [[nodiscard]] std::int64_t end_utc() const noexcept {
    return start_ + static_cast<std::int64_t>(size()) * length_;
  }

  // --- the calendar
  /// Start instant of interval i [s since the epoch, UTC].
  [[nodiscard]] std::int64_t utc(std::size_t i) const noexcept {
    return start_ + static_cast<std::int64_t>(i) * length_;
  }
  /// UTC offset of interval i [s] (0 on a naive grid).
  [[nodiscard]] std::int64_t offset_s(std::size_t i) const { return offsets_.at(i); }
  /// Wall-clock start of interval i (see wfm/core/calendar.hpp).
  [[nodiscard]] std::int64_t local(std::size_t i) const { return utc(i) + offset_s(i); }
  /// local(i) for every interval.
  [[nodiscard]] std::vector<std::int64_t> locals() const;
  /// Whether timestamps carry offsets (a zone or offsets from the data).
  [[nodiscard]] bool zone_aware() const noexcept { return aware_; }
  /// The zone (UTC for a naive grid; a fixed offset when only offsets are known).
  [[nodiscard]] const TimeZone& zone() const noexcept { return zone_; }
  /// The IANA name of the zone, "" when not known.
  [[nodiscard]] const std::string& time_zone() const noexcept { return zone_.name(); }
  /// The timestamp of interval i as written to files: ISO 8601 with the offset when
  /// zone_aware(), else "YYYY-MM-DD HH:MM".
  [[nodiscard]] std::string timestamp(std::size_t i) const;

  // --- open and closed intervals
  [[nodiscard]] bool is_open(std::size_t i) const { return open_.at(i); }
  void set_open(std::size_t i, bool open) { open_.at(i) = open; }
  [[nodiscard]] const std::vector<bool>& open_mask() const noexcept { return open_; }
  [[nodiscard]] std::size_t open_count() const noexcept;
  /// Indices of the open intervals, ascending.
  [[nodiscard]] std::vector<std::size_t> open_indices() const;

  // --- lookups
  /// The interval starting at the instant `utc`, or nothing when it is not on the grid.
  [[nodiscard]] std::optional<std::size_t> index_of(std::int64_t utc) const noexcept;
  /// The interval containing the instant `utc`, or nothing when outside the grid.
  [[nodiscard]] std::optional<std::size_t> index_containing(std::int64_t utc) const noexcept;
  /// The intervals whose local start is `local`, ascending: two in a repeated hour, none in a
  /// skipped one.
  [[nodiscard]] std::vector<std::size_t> indices_of_local(std::int64_t local) const;

  // --- derived grids
  /// The `count` open intervals that follow this grid (same length and zone): the horizon to
  /// forecast after a history.
  [[nodiscard]] IntervalGrid following(std::size_t count) const;
  /// Intervals [first, first + count) of this grid, with their open flags and offsets.
  [[nodiscard]] IntervalGrid slice(std::size_t first, std::size_t count) const;

  friend bool operator==(const IntervalGrid& a, const IntervalGrid& b) noexcept;

 private:
  std::int64_t start_ = 0;
  std::int64_t length_ = 900;
  std::vector<std::int64_t> offsets_;
  std::vector<bool> open_;
  TimeZone zone_;
  bool aware_ = false;
};

/// Options of grid_from_table (see the file comment for the rule).
struct GridOptions {
  /// Interval length [s, whole]; inferred from the smallest gap when absent.
  std::optional<std::int64_t> interval_length_s;
  /// Zone of naive timestamps; nothing: naive grid (or the offsets the timestamps carry).
  std::optional<TimeZone> zone;
};

/// A table's rows placed on a grid.
struct TableOnGrid {
  IntervalGrid grid;
  std::vector<std::size_t> interval_of_row;  ///< interval of data row r
};

/// The grid of a table (the one rule, see the file comment).
/// \throws InvalidArgument naming file, line and timestamp of the first offending row.
[[nodiscard]] TableOnGrid grid_from_table(const CsvTable& table,
                                          std::string_view timestamp_column = "timestamp",
                                          const GridOptions& options = {});

/// The interval of every row of `table` on `grid`, by timestamp. Naive timestamps on a
/// zone-aware grid are wall-clock times (a repeated one: first row = earlier interval).
/// \throws InvalidArgument naming file, line and timestamp of a row off the grid or repeated.
[[nodiscard]] std::vector<std::size_t> align_to_grid(const CsvTable& table,
                                                     std::string_view timestamp_column,
                                                     const IntervalGrid& grid);

/// A numeric column spread over the grid: value of each row at its interval, `fill` elsewhere.
/// \throws InvalidArgument naming file, line and column of a non-number.
[[nodiscard]] std::vector<double> column_on_grid(const CsvTable& table, std::string_view column,
                                                 std::span<const std::size_t> interval_of_row,
                                                 std::size_t grid_size, double fill = 0.0);

}  // namespace wfm
