#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <wfm/core/calendar.hpp>
#include <wfm/core/error.hpp>
#include <wfm/core/interval_grid.hpp>

namespace wfm {

namespace {

constexpr std::string_view where = "wfm::IntervalGrid";

void check_length(std::int64_t length) {
  if (length <= 0)
    detail::throw_invalid(where, "interval_length_s must be a whole number of seconds > 0",
                          static_cast<double>(length));
}

/// Floor division for possibly negative numerators.
std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

}  // namespace

IntervalGrid::IntervalGrid(std::int64_t start_utc, std::int64_t interval_length_s,
                           std::size_t count, TimeZone zone)
    : start_(start_utc), length_(interval_length_s), open_(count, true), zone_(std::move(zone)),
      aware_(true) {
  check_length(length_);
  offsets_.resize(count);
  for (std::size_t i = 0; i < count; ++i) offsets_[i] = zone_.offset_at(utc(i));
}

IntervalGrid IntervalGrid::naive(std::int64_t start_local, std::int64_t interval_length_s,
                                 std::size_t count) {
  IntervalGrid g(start_local, interval_length_s, count, TimeZone{});
  g.aware_ = false;
  return g;
}

IntervalGrid IntervalGrid::with_offsets(std::int64_t start_utc, std::int64_t interval_length_s,
                                        std::vector<std::int64_t> offsets_s) {
  const std::int64_t last = offsets_s.empty() ? 0 : offsets_s.back();
  IntervalGrid g(start_utc, interval_length_s, 0, TimeZone::fixed(last));
  g.open_.assign(offsets_s.size(), true);
  g.offsets_ = std::move(offsets_s);
  return g;
}

IntervalGrid IntervalGrid::local_span(std::int64_t start_local, std::int64_t end_local,
                                      std::int64_t interval_length_s, TimeZone zone) {
  check_length(interval_length_s);
  const std::int64_t a = zone.to_utc(start_local, Fold::earlier);
  const std::int64_t b = zone.to_utc(end_local, Fold::earlier);
  if (b < a)
    detail::throw_invalid(where, "local_span: end before start", format_timestamp(end_local));
  return {a, interval_length_s, static_cast<std::size_t>((b - a) / interval_length_s),
          std::move(zone)};
}

IntervalGrid IntervalGrid::week(std::int64_t start_local, std::int64_t interval_length_s,
                                TimeZone zone) {
  return local_span(start_local, start_local + 7 * seconds_per_day, interval_length_s,
                    std::move(zone));
}

std::vector<std::int64_t> IntervalGrid::locals() const {
  std::vector<std::int64_t> out(size());
  for (std::size_t i = 0; i < size(); ++i) out[i] = utc(i) + offsets_[i];
  return out;
}

std::string IntervalGrid::timestamp(std::size_t i) const {
  return aware_ ? format_timestamp(local(i), offset_s(i)) : format_timestamp(local(i));
}

std::size_t IntervalGrid::open_count() const noexcept {
  return static_cast<std::size_t>(std::count(open_.begin(), open_.end(), true));
}

std::vector<std::size_t> IntervalGrid::open_indices() const {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < size(); ++i)
    if (open_[i]) out.push_back(i);
  return out;
}

std::optional<std::size_t> IntervalGrid::index_of(std::int64_t t) const noexcept {
  if (t < start_ || t >= end_utc() || (t - start_) % length_ != 0) return std::nullopt;
  return static_cast<std::size_t>((t - start_) / length_);
}

std::optional<std::size_t> IntervalGrid::index_containing(std::int64_t t) const noexcept {
  if (t < start_ || t >= end_utc()) return std::nullopt;
  return static_cast<std::size_t>(floor_div(t - start_, length_));
}

std::vector<std::size_t> IntervalGrid::indices_of_local(std::int64_t local_time) const {
  std::vector<std::size_t> out;
  if (empty()) return out;
  // Offsets present on this grid (a handful): each gives one candidate instant.
  std::vector<std::int64_t> offs(offsets_);
  std::sort(offs.begin(), offs.end());
  offs.erase(std::unique(offs.begin(), offs.end()), offs.end());
  for (std::int64_t o : offs)
    if (auto i = index_of(local_time - o); i && offsets_[*i] == o) out.push_back(*i);
  std::sort(out.begin(), out.end());
  return out;
}

IntervalGrid IntervalGrid::following(std::size_t count) const {
  IntervalGrid g(end_utc(), length_, count, zone_);
  g.aware_ = aware_;
  return g;
}

IntervalGrid IntervalGrid::slice(std::size_t first, std::size_t count) const {
  if (first > size() || count > size() - first)
    detail::throw_invalid(where, fmt::format("slice [{}, {}) outside a grid of {} intervals",
                                             first, first + count, size()));
  IntervalGrid g = *this;
  g.start_ = utc(first);
  const auto b = static_cast<std::ptrdiff_t>(first), e = static_cast<std::ptrdiff_t>(first + count);
  g.offsets_.assign(offsets_.begin() + b, offsets_.begin() + e);
  g.open_.assign(open_.begin() + b, open_.begin() + e);
  return g;
}

bool operator==(const IntervalGrid& a, const IntervalGrid& b) noexcept {
  return a.start_ == b.start_ && a.length_ == b.length_ && a.offsets_ == b.offsets_ &&
         a.open_ == b.open_ && a.aware_ == b.aware_ && a.zone_.name() == b.zone_.name();
}

// --- tables on grids ------------------------------------------------------------------------

namespace {

struct RowInstants {
  std::vector<std::int64_t> utc;      // per row
  std::vector<std::int64_t> offset;   // per row (0 when naive without zone)
  bool carry_offsets = false;
};

[[noreturn]] void fail_row(const CsvTable& t, std::size_t row, std::size_t col,
                           std::string_view msg) {
  t.fail(row, col, fmt::format("timestamp '{}': {}", t.text(row, col), msg));
}

/// Step 1 of the rule: every row's instant.
RowInstants row_instants(const CsvTable& t, std::size_t col, const std::optional<TimeZone>& zone) {
  RowInstants r;
  std::map<std::int64_t, int> seen_local;  // naive + zone: occurrences of each local time so far
  for (std::size_t row = 0; row < t.row_count(); ++row) {
    const ParsedTimestamp p = t.instant(row, col);
    if (row == 0) r.carry_offsets = p.offset_s.has_value();
    if (p.offset_s.has_value() != r.carry_offsets)
      fail_row(t, row, col, "either every timestamp carries a UTC offset or none does");
    if (p.offset_s) {
      r.utc.push_back(p.local - *p.offset_s);
      r.offset.push_back(*p.offset_s);
    } else if (zone) {
      const std::vector<std::int64_t> u = zone->instants_of(p.local);
      if (u.empty())
        fail_row(t, row, col, fmt::format("this local time does not exist in {} (skipped by a "
                                          "clock change)", zone->label()));
      const int n = seen_local[p.local]++;
      if (static_cast<std::size_t>(n) >= u.size())
        fail_row(t, row, col, "duplicate timestamp");
      r.utc.push_back(u[static_cast<std::size_t>(n)]);
      r.offset.push_back(p.local - u[static_cast<std::size_t>(n)]);
    } else {
      r.utc.push_back(p.local);
      r.offset.push_back(0);
    }
  }
  return r;
}

}  // namespace

TableOnGrid grid_from_table(const CsvTable& table, std::string_view timestamp_column,
                            const GridOptions& options) {
  const std::size_t col = table.column(timestamp_column);
  if (table.row_count() == 0)
    detail::throw_invalid(table.source(), "no data rows: cannot build an interval grid");
  const RowInstants r = row_instants(table, col, options.zone);
  std::vector<std::size_t> order(r.utc.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return r.utc[a] < r.utc[b]; });
  for (std::size_t k = 1; k < order.size(); ++k)
    if (r.utc[order[k]] == r.utc[order[k - 1]])
      fail_row(table, std::max(order[k], order[k - 1]), col, "duplicate timestamp");
  std::int64_t length = 0;
  if (options.interval_length_s) {
    check_length(*options.interval_length_s);
    length = *options.interval_length_s;
  } else {
    if (order.size() < 2)
      detail::throw_invalid(table.source(), "one row only: give the interval length");
    length = r.utc[order[1]] - r.utc[order[0]];
    for (std::size_t k = 2; k < order.size(); ++k)
      length = std::min(length, r.utc[order[k]] - r.utc[order[k - 1]]);
  }
  const std::int64_t start = r.utc[order.front()];
  for (std::size_t row = 0; row < r.utc.size(); ++row)
    if ((r.utc[row] - start) % length != 0)
      fail_row(table, row, col,
               fmt::format("not on the grid of {}-s intervals starting at {}", length,
                           table.text(order.front(), col)));
  const auto count = static_cast<std::size_t>((r.utc[order.back()] - start) / length + 1);
  TableOnGrid out;
  if (options.zone && !r.carry_offsets) {
    out.grid = IntervalGrid(start, length, count, *options.zone);
  } else if (r.carry_offsets) {  // offsets from the data; closed intervals take the previous one
    std::vector<std::optional<std::int64_t>> given(count);
    for (std::size_t row : order)
      given[static_cast<std::size_t>((r.utc[row] - start) / length)] = r.offset[row];
    std::vector<std::int64_t> offs(count, r.offset[order.front()]);
    for (std::size_t i = 0; i < count; ++i) offs[i] = given[i] ? *given[i] : offs[i - 1];
    out.grid = IntervalGrid::with_offsets(start, length, std::move(offs));
    if (options.zone) {  // a named zone with offset-carrying data: the zone's calendar if it agrees
      IntervalGrid z(start, length, count, *options.zone);
      for (std::size_t row : order) {
        const auto i = static_cast<std::size_t>((r.utc[row] - start) / length);
        if (z.offset_s(i) != r.offset[row])
          fail_row(table, row, col, fmt::format("offset disagrees with {}", options.zone->label()));
      }
      out.grid = std::move(z);
    }
  } else {
    out.grid = IntervalGrid::naive(start, length, count);
  }
  std::vector<bool> present(count, false);
  out.interval_of_row.resize(r.utc.size());
  for (std::size_t row = 0; row < r.utc.size(); ++row) {
    const auto i = static_cast<std::size_t>((r.utc[row] - start) / length);
    out.interval_of_row[row] = i;
    present[i] = true;
  }
  for (std::size_t i = 0; i < count; ++i) out.grid.set_open(i, present[i]);
  return out;
}

std::vector<std::size_t> align_to_grid(const CsvTable& table, std::string_view timestamp_column,
                                       const IntervalGrid& grid) {
  const std::size_t col = table.column(timestamp_column);
  std::vector<std::size_t> out(table.row_count());
  std::vector<bool> used(grid.size(), false);
  for (std::size_t row = 0; row < table.row_count(); ++row) {
    const ParsedTimestamp p = table.instant(row, col);
    std::optional<std::size_t> idx;
    if (p.offset_s) {
      idx = grid.index_of(p.local - *p.offset_s);
    } else if (!grid.zone_aware()) {
      idx = grid.index_of(p.local);
    } else {  // wall-clock time on a zone-aware grid: the first unused interval with that time
      for (std::size_t i : grid.indices_of_local(p.local))
        if (!used[i]) {
          idx = i;
          break;
        }
      if (!idx && !grid.indices_of_local(p.local).empty())
        fail_row(table, row, col, "duplicate timestamp");
    }
    if (!idx)
      fail_row(table, row, col,
               fmt::format("not on the grid ({} intervals of {} s from {})", grid.size(),
                           grid.interval_length_s(),
                           grid.empty() ? std::string("-") : grid.timestamp(0)));
    if (used[*idx]) fail_row(table, row, col, "duplicate timestamp");
    used[*idx] = true;
    out[row] = *idx;
  }
  return out;
}

std::vector<double> column_on_grid(const CsvTable& table, std::string_view column,
                                   std::span<const std::size_t> interval_of_row,
                                   std::size_t grid_size, double fill) {
  const std::size_t col = table.column(column);
  if (interval_of_row.size() != table.row_count())
    detail::throw_invalid("wfm::column_on_grid", "interval_of_row must have one entry per row");
  std::vector<double> out(grid_size, fill);
  for (std::size_t row = 0; row < table.row_count(); ++row) {
    if (interval_of_row[row] >= grid_size)
      detail::throw_invalid("wfm::column_on_grid", "interval index outside the grid");
    out[interval_of_row[row]] = table.number(row, col);
  }
  return out;
}

}  // namespace wfm
