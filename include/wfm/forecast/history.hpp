#pragma once
/// \file
/// The history as a day x interval matrix: the common view every method fits on.
///
/// Rows are calendar days from the first to the last day of the history (absent days are rows
/// of NaN, so the weekly cycle never shifts), columns are the slots of a day
/// (86400 / interval_length of them, slot 0 starting at the grid anchor). The history also knows
/// each day's special-day name and its weight (outlier days are down-weighted), found here once
/// for all methods.

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include <wfm/forecast/series.hpp>

namespace wfm::forecast {

/// A position on the grid: a day number (days since 1970-01-01) and a slot of that day.
struct DaySlot {
  std::int64_t day = 0;
  int slot = 0;
};

/// Why a day of the history carries a reduced weight.
enum class OutlierReason { detected, marked };

/// One down-weighted day of the history.
struct OutlierDay {
  std::int64_t day = 0;      ///< days since 1970-01-01
  double ratio = 1.0;        ///< observed / expected daily total
  double weight = 0.0;       ///< weight given to the day in fitting, in [0, 1]
  OutlierReason reason = OutlierReason::detected;
};

/// Options of the history analysis.
struct HistoryOptions {
  /// Days to down-weight whatever their volume (outages, double counts) [days since 1970-01-01].
  std::vector<std::int64_t> outlier_days;
  /// A regular day is an outlier when |log(observed/expected daily total)| exceeds this many
  /// robust standard deviations (1.4826 x MAD, of its weekday's residuals when that weekday has
  /// 8 or more, else of all) and 25 %. 0 disables detection.
  double outlier_threshold = 4.0;
  /// Weight of an outlier day in every fit, in [0, 1].
  double outlier_weight = 0.05;
};

class History {
 public:
  /// \throws InvalidArgument if the series is empty.
  History(const IntervalSeries& series, SpecialDays calendar, HistoryOptions options = {});

  [[nodiscard]] std::int64_t interval_length() const noexcept { return interval_length_; }
  [[nodiscard]] std::int64_t anchor() const noexcept { return anchor_; }
  [[nodiscard]] int slots_per_day() const noexcept { return slots_; }
  [[nodiscard]] std::int64_t first_day() const noexcept { return first_day_; }
  /// Number of calendar days covered (first to last, absent days included).
  [[nodiscard]] int days() const noexcept { return n_days_; }
  [[nodiscard]] std::int64_t end_day() const noexcept { return first_day_ + n_days_; }

  /// Calls in row d (0-based from first_day()) and slot s; NaN when absent.
  [[nodiscard]] double y(int d, int s) const noexcept {
    return y_[static_cast<std::size_t>(d) * static_cast<std::size_t>(slots_) +
              static_cast<std::size_t>(s)];
  }
  /// AHT [s] in row d and slot s; NaN when absent or when the series has none.
  [[nodiscard]] double aht(int d, int s) const noexcept {
    return aht_.empty() ? std::numeric_limits<double>::quiet_NaN()
                        : aht_[static_cast<std::size_t>(d) * static_cast<std::size_t>(slots_) +
                               static_cast<std::size_t>(s)];
  }
  [[nodiscard]] bool has_aht() const noexcept { return !aht_.empty(); }
  /// Whether row d has any observation.
  [[nodiscard]] bool present(int d) const noexcept { return count_[static_cast<std::size_t>(d)] > 0; }
  /// Number of observed slots in row d.
  [[nodiscard]] int observed_slots(int d) const noexcept { return count_[static_cast<std::size_t>(d)]; }
  /// Sum of calls in row d.
  [[nodiscard]] double total(int d) const noexcept { return total_[static_cast<std::size_t>(d)]; }
  /// Weekday of row d (or of any day index, also beyond the history): 0 = Monday.
  [[nodiscard]] int weekday_of(int d) const noexcept;
  /// Weight of row d in fitting: 1, or HistoryOptions::outlier_weight for outliers.
  [[nodiscard]] double weight(int d) const noexcept { return weight_[static_cast<std::size_t>(d)]; }
  /// Index of the special-day name of day index d (also beyond the history) or -1.
  [[nodiscard]] int special(int d) const;
  [[nodiscard]] const std::vector<std::string>& special_names() const noexcept { return names_; }
  /// A regular day: present, not special, not an outlier.
  [[nodiscard]] bool regular(int d) const { return present(d) && special(d) < 0 && weight(d) >= 1.0; }
  /// Whether slot s was ever observed open on weekday w (0 = Monday).
  [[nodiscard]] bool open(int w, int s) const noexcept {
    return open_[static_cast<std::size_t>(w) * static_cast<std::size_t>(slots_) +
                 static_cast<std::size_t>(s)] != 0;
  }
  /// Robust expected daily total of row d from neighbouring same-weekday regular days
  /// (used for outlier detection and special-day effects); NaN when there are none.
  [[nodiscard]] double expected_total(int d) const noexcept {
    return expected_[static_cast<std::size_t>(d)];
  }
  [[nodiscard]] const std::vector<OutlierDay>& outliers() const noexcept { return outliers_; }

  /// Grid position of a timestamp; the day index is position.day - first_day().
  [[nodiscard]] DaySlot locate(std::int64_t t) const noexcept;
  [[nodiscard]] std::int64_t timestamp(DaySlot p) const noexcept {
    return p.day * 86400 + anchor_ + static_cast<std::int64_t>(p.slot) * interval_length_;
  }
  /// The first `n_days` rows only (for rolling-origin backtests), re-analysed without the rest.
  [[nodiscard]] History truncated(int n_days) const;
  [[nodiscard]] const SpecialDays& calendar() const noexcept { return calendar_; }
  [[nodiscard]] const HistoryOptions& options() const noexcept { return options_; }

 private:
  History() = default;
  void analyse();

  std::int64_t interval_length_ = 0, anchor_ = 0, first_day_ = 0;
  int slots_ = 0, n_days_ = 0;
  std::vector<double> y_, aht_, total_, weight_, expected_;
  std::vector<int> count_;
  std::vector<char> open_;
  std::vector<int> special_;  // per row
  std::vector<std::string> names_;
  std::vector<OutlierDay> outliers_;
  SpecialDays calendar_;
  HistoryOptions options_;
};

}  // namespace wfm::forecast
