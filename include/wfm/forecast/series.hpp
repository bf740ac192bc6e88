#pragma once
/// \file
/// Interval series and special-day calendars: the inputs of every forecasting method.
///
/// An interval series holds only the *open* intervals of a contact centre: closed hours and
/// absent days (holidays, outages) have no entry at all, never a zero. Timestamps are local
/// wall-clock interval starts in whole seconds since 1970-01-01 00:00 (see
/// <wfm/core/calendar.hpp>), so the weekday of an entry is fixed by its date and an absent day
/// never shifts the weekly cycle.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wfm::forecast {

/// Calls per open interval, with the interval length and optionally the average handle time.
struct IntervalSeries {
  std::vector<std::int64_t> timestamps;  ///< interval starts [s, wall clock], increasing
  std::vector<double> values;            ///< calls per interval, >= 0
  std::int64_t interval_length = 0;      ///< [s], divides one day
  std::vector<double> aht;               ///< average handle time per interval [s]; empty if none

  [[nodiscard]] std::size_t size() const noexcept { return timestamps.size(); }
  [[nodiscard]] bool has_aht() const noexcept { return !aht.empty(); }
};

/// Names the place of an element in error messages: (index, column name) -> "file, line 7,
/// column 'volume'" or "values[5]".
using Locator = std::function<std::string(std::size_t index, std::string_view column)>;

/// The interval length [s] of a set of timestamps: the most frequent gap between consecutive
/// timestamps of the same day. \throws InvalidArgument when fewer than two timestamps share a day.
[[nodiscard]] std::int64_t infer_interval_length(std::span<const std::int64_t> timestamps);

/// Builds a validated series. `interval_length` 0 infers it. The input may be in any order; the
/// result is sorted by time. \throws InvalidArgument (naming the element through `where`, or
/// "timestamps[i]"/"values[i]") on duplicate timestamps, timestamps off the interval grid,
/// negative or non-finite volumes, non-positive or non-finite AHT, mismatched lengths, or an
/// interval length that does not divide one day.
[[nodiscard]] IntervalSeries make_series(std::span<const std::int64_t> timestamps,
                                         std::span<const double> values,
                                         std::int64_t interval_length = 0,
                                         std::span<const double> aht = {},
                                         const Locator& where = {});

/// Second of the day (in [0, interval_length)) at which the grid of `s` is anchored: every
/// timestamp t satisfies (second_of_day(t) - anchor) % interval_length == 0.
[[nodiscard]] std::int64_t grid_anchor(const IntervalSeries& s);

/// Checks timestamps to forecast against the history's grid: unique, on the grid, after the
/// last history timestamp. \throws InvalidArgument naming the element through `where`.
void validate_targets(std::span<const std::int64_t> at, const IntervalSeries& history,
                      const Locator& where = {});

/// Kind of a special day (issue 16). A name that has never occurred borrows the effect of its
/// kind, never that of other kinds.
enum class SpecialDayKind {
  closed,        ///< the centre is closed: forecast 0
  holiday,       ///< a public holiday (possibly with some traffic, e.g. an IVR)
  eve,           ///< the day before a holiday (erev), usually a short day
  intermediate,  ///< a partly-working day inside a festival (e.g. chol hamoed)
  bridge,        ///< a working day between a holiday and a weekend
  user           ///< user-defined (billing run, campaign, outage): see SpecialDay::user_kind
};

/// "closed", "holiday", "eve", "intermediate", "bridge", "user".
[[nodiscard]] std::string_view to_string(SpecialDayKind k) noexcept;

/// A day's kind: a built-in kind, or `user` with its own name.
struct DayKind {
  SpecialDayKind kind = SpecialDayKind::holiday;
  std::string user_kind;  ///< the user kind's name when kind == user, else ""
  /// The kind's display name: the built-in name, or the user kind's name.
  [[nodiscard]] std::string label() const {
    return kind == SpecialDayKind::user ? user_kind : std::string(to_string(kind));
  }
  friend bool operator==(const DayKind&, const DayKind&) = default;
};

/// Parses a kind: a built-in name ("closed", "holiday", "eve", "intermediate", "bridge") or
/// "user:<name>" with a non-empty name; surrounding spaces are ignored. Returns nullopt for
/// anything else.
[[nodiscard]] std::optional<DayKind> parse_day_kind(std::string_view text);

/// The documented default kind of a name without an explicit kind: `eve` when a word of the
/// name is "eve" or "erev" (case-insensitive), else `holiday`.
[[nodiscard]] DayKind default_day_kind(std::string_view name);

/// Named special days (public holidays, promotions): a day number -> a name and a kind.
class SpecialDays {
 public:
  SpecialDays() = default;
  /// Adds a day (days since 1970-01-01). A name ending in a kind in parentheses,
  /// "Pesach chol hamoed (intermediate)", is stored as the name "Pesach chol hamoed" with that
  /// kind (parentheses holding anything but a kind stay part of the name); otherwise the kind
  /// is default_day_kind(name). \throws InvalidArgument on an empty name or a day given twice
  /// with different names or kinds.
  void add(std::int64_t day, std::string name);
  /// Adds a day with an explicit kind (a kind in parentheses in the name must agree with it).
  /// \throws InvalidArgument as add(day, name), or when the two kinds disagree.
  void add(std::int64_t day, std::string name, DayKind kind);
  /// The name of a day, or nullptr.
  [[nodiscard]] const std::string* name_of(std::int64_t day) const;
  /// The kind of a day, or nullptr when the day is not special.
  [[nodiscard]] const DayKind* kind_of(std::int64_t day) const;
  [[nodiscard]] const std::map<std::int64_t, std::string>& days() const noexcept { return days_; }
  [[nodiscard]] std::size_t size() const noexcept { return days_.size(); }
  [[nodiscard]] bool empty() const noexcept { return days_.empty(); }

 private:
  std::map<std::int64_t, std::string> days_;
  std::map<std::int64_t, DayKind> kinds_;
};

/// Reads a history file with columns `timestamp,volume` and optionally `aht_s`.
/// \throws InvalidArgument naming the file, the line and the column of the first bad cell.
[[nodiscard]] IntervalSeries read_history_csv(const std::string& path,
                                              std::int64_t interval_length = 0);
/// Reads a file with a column `timestamp` (the intervals to forecast) and checks it against the
/// history (see validate_targets). \throws InvalidArgument naming file, line and column.
[[nodiscard]] std::vector<std::int64_t> read_targets_csv(const std::string& path,
                                                         const IntervalSeries& history);
/// Reads a special-day file `date,name[,kind]` (date as YYYY-MM-DD). The kind comes from the
/// optional `kind` column (see parse_day_kind; an empty cell means "not given"), else from
/// parentheses after the name, else default_day_kind(name).
/// \throws InvalidArgument naming file, line and column (also for a bad kind).
[[nodiscard]] SpecialDays read_special_days_csv(const std::string& path);

}  // namespace wfm::forecast
