#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numeric>
#include <unordered_map>
#include <wfm/core/calendar.hpp>
#include <wfm/core/csv.hpp>
#include <wfm/core/error.hpp>
#include <wfm/core/limits.hpp>
#include <wfm/forecast/series.hpp>

namespace wfm::forecast {
namespace {

std::string default_where(const Locator& where, std::size_t i, std::string_view column) {
  if (where) return where(i, column);
  return fmt::format("{}[{}]", column, i);
}

std::string trimmed(std::string_view t) {
  while (!t.empty() && (t.back() == ' ' || t.back() == '\r' || t.back() == '\t')) t.remove_suffix(1);
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
  return std::string(t);
}

// A name "Pesach chol hamoed (intermediate)": the name without the parentheses and the kind,
// when the parentheses hold a kind; otherwise the name as it is and nullopt.
std::pair<std::string, std::optional<DayKind>> split_kind(const std::string& name) {
  const std::string n = trimmed(name);
  const auto open = n.rfind('(');
  if (n.empty() || n.back() != ')' || open == std::string::npos) return {n, std::nullopt};
  auto kind = parse_day_kind(std::string_view(n).substr(open + 1, n.size() - open - 2));
  if (!kind) return {n, std::nullopt};
  return {trimmed(std::string_view(n).substr(0, open)), kind};
}

constexpr std::string_view kinds_list =
    "closed, holiday, eve, intermediate, bridge or user:<name>";

}  // namespace

std::int64_t infer_interval_length(std::span<const std::int64_t> timestamps) {
  std::vector<std::int64_t> t(timestamps.begin(), timestamps.end());
  std::sort(t.begin(), t.end());
  std::unordered_map<std::int64_t, std::size_t> count;
  for (std::size_t i = 1; i < t.size(); ++i)
    if (t[i] > t[i - 1] && day_of(t[i]) == day_of(t[i - 1])) ++count[t[i] - t[i - 1]];
  if (count.empty())
    detail::throw_invalid("interval_length",
                          "cannot be inferred: no two timestamps share a day; give it explicitly");
  std::int64_t best = 0;
  std::size_t best_n = 0;
  for (const auto& [gap, n] : count)
    if (n > best_n || (n == best_n && gap < best)) best = gap, best_n = n;
  return best;
}

IntervalSeries make_series(std::span<const std::int64_t> timestamps,
                           std::span<const double> values, std::int64_t interval_length,
                           std::span<const double> aht, const Locator& where) {
  constexpr std::string_view fn = "wfm::forecast::make_series";
  if (values.size() != timestamps.size())
    detail::throw_invalid(fn, fmt::format("values has {} elements but timestamps has {}",
                                          values.size(), timestamps.size()));
  if (!aht.empty() && aht.size() != timestamps.size())
    detail::throw_invalid(fn, fmt::format("aht has {} elements but timestamps has {}",
                                          aht.size(), timestamps.size()));
  if (timestamps.empty()) detail::throw_invalid(fn, "the history is empty");
  for (std::size_t i = 0; i < values.size(); ++i) {
    // Upper limit: wfm::limits::max_history_value (1e12), so that fitting sums stay finite.
    if (!(values[i] >= 0.0 && values[i] <= limits::max_history_value))
      detail::throw_invalid(default_where(where, i, "volume"),
                            "volume must be a finite number >= 0 and <= 1e12 [calls per interval]",
                            values[i]);
    if (!aht.empty() && !(aht[i] >= 0.0 && aht[i] <= limits::max_history_value))
      detail::throw_invalid(default_where(where, i, "aht_s"),
                            "aht_s must be a finite number >= 0 and <= 1e12 [s]", aht[i]);
  }
  // Sort by time, remembering the input position for error messages.
  std::vector<std::size_t> order(timestamps.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return timestamps[a] < timestamps[b]; });
  for (std::size_t k = 1; k < order.size(); ++k)
    if (timestamps[order[k]] == timestamps[order[k - 1]])
      detail::throw_invalid(
          default_where(where, std::max(order[k], order[k - 1]), "timestamp"),
          fmt::format("duplicate timestamp {} (also at {})", format_timestamp(timestamps[order[k]]),
                      default_where(where, std::min(order[k], order[k - 1]), "timestamp")));
  if (interval_length == 0) interval_length = infer_interval_length(timestamps);
  if (interval_length <= 0 || seconds_per_day % interval_length != 0)
    detail::throw_invalid(fn, "interval_length must be > 0 and divide one day (86400 s)",
                          static_cast<double>(interval_length));
  const std::int64_t anchor = second_of_day(timestamps[order[0]]) % interval_length;
  IntervalSeries s;
  s.interval_length = interval_length;
  s.timestamps.reserve(order.size());
  s.values.reserve(order.size());
  for (const std::size_t i : order) {
    if ((second_of_day(timestamps[i]) - anchor) % interval_length != 0)
      detail::throw_invalid(
          default_where(where, i, "timestamp"),
          fmt::format("timestamp {} is off the {}-second interval grid anchored at {} (the first "
                      "interval starts at {})",
                      format_timestamp(timestamps[i]), interval_length,
                      fmt::format("{:02d}:{:02d}", anchor / 3600, anchor % 3600 / 60),
                      format_timestamp(timestamps[order[0]])));
    s.timestamps.push_back(timestamps[i]);
    s.values.push_back(values[i]);
    if (!aht.empty()) s.aht.push_back(aht[i]);
  }
  return s;
}

std::int64_t grid_anchor(const IntervalSeries& s) {
  if (s.timestamps.empty() || s.interval_length <= 0) return 0;
  return second_of_day(s.timestamps.front()) % s.interval_length;
}

void validate_targets(std::span<const std::int64_t> at, const IntervalSeries& history,
                      const Locator& where) {
  if (history.timestamps.empty()) detail::throw_invalid("validate_targets", "empty history");
  const std::int64_t anchor = grid_anchor(history);
  const std::int64_t last = history.timestamps.back();
  std::unordered_map<std::int64_t, std::size_t> seen;
  seen.reserve(at.size());
  for (std::size_t i = 0; i < at.size(); ++i) {
    if ((second_of_day(at[i]) - anchor) % history.interval_length != 0)
      detail::throw_invalid(default_where(where, i, "timestamp"),
                            fmt::format("timestamp {} is off the history's {}-second interval grid",
                                        format_timestamp(at[i]), history.interval_length));
    if (at[i] <= last)
      detail::throw_invalid(
          default_where(where, i, "timestamp"),
          fmt::format("timestamp {} is not after the end of the history ({})",
                      format_timestamp(at[i]), format_timestamp(last)));
    auto [it, fresh] = seen.emplace(at[i], i);
    if (!fresh)
      detail::throw_invalid(default_where(where, i, "timestamp"),
                            fmt::format("duplicate timestamp {} (also at {})",
                                        format_timestamp(at[i]),
                                        default_where(where, it->second, "timestamp")));
  }
}

std::string_view to_string(SpecialDayKind k) noexcept {
  switch (k) {
    case SpecialDayKind::closed: return "closed";
    case SpecialDayKind::holiday: return "holiday";
    case SpecialDayKind::eve: return "eve";
    case SpecialDayKind::intermediate: return "intermediate";
    case SpecialDayKind::bridge: return "bridge";
    case SpecialDayKind::user: return "user";
  }
  return "holiday";
}

std::optional<DayKind> parse_day_kind(std::string_view text) {
  const std::string t = trimmed(text);
  for (const SpecialDayKind k : {SpecialDayKind::closed, SpecialDayKind::holiday, SpecialDayKind::eve,
                                 SpecialDayKind::intermediate, SpecialDayKind::bridge})
    if (t == to_string(k)) return DayKind{k, ""};
  if (t.rfind("user:", 0) == 0) {
    std::string u = trimmed(std::string_view(t).substr(5));
    if (!u.empty()) return DayKind{SpecialDayKind::user, std::move(u)};
  }
  return std::nullopt;
}

DayKind default_day_kind(std::string_view name) {
  std::string token;
  auto eve = [&] { return token == "eve" || token == "erev"; };
  for (const char ch : name) {
    if (std::isalpha(static_cast<unsigned char>(ch))) {
      token += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    } else {
      if (eve()) return {SpecialDayKind::eve, ""};
      token.clear();
    }
  }
  return eve() ? DayKind{SpecialDayKind::eve, ""} : DayKind{SpecialDayKind::holiday, ""};
}

void SpecialDays::add(std::int64_t day, std::string name) {
  auto [bare, kind] = split_kind(name);
  const DayKind k = kind ? *kind : default_day_kind(bare);
  add(day, std::move(bare), k);
}

void SpecialDays::add(std::int64_t day, std::string name, DayKind kind) {
  auto [bare, in_name] = split_kind(name);
  if (bare.empty()) detail::throw_invalid("SpecialDays::add", "the name of a special day is empty");
  if (in_name && !(*in_name == kind))
    detail::throw_invalid("SpecialDays::add",
                          fmt::format("'{}' names kind '{}' but kind '{}' is given", name,
                                      in_name->label(), kind.label()));
  const std::string date = format_date(day * seconds_per_day);
  auto [it, fresh] = days_.emplace(day, bare);
  if (!fresh && it->second != bare)
    detail::throw_invalid("SpecialDays::add",
                          fmt::format("{} is given twice with different names ('{}' and '{}')",
                                      date, it->second, bare));
  auto [kt, kfresh] = kinds_.emplace(day, kind);
  if (!kfresh && !(kt->second == kind))
    detail::throw_invalid("SpecialDays::add",
                          fmt::format("{} is given twice with different kinds ('{}' and '{}')",
                                      date, kt->second.label(), kind.label()));
}

const DayKind* SpecialDays::kind_of(std::int64_t day) const {
  auto it = kinds_.find(day);
  return it == kinds_.end() ? nullptr : &it->second;
}

const std::string* SpecialDays::name_of(std::int64_t day) const {
  auto it = days_.find(day);
  return it == days_.end() ? nullptr : &it->second;
}

IntervalSeries read_history_csv(const std::string& path, std::int64_t interval_length) {
  const CsvTable t = read_csv(path);
  const std::size_t ct = t.column("timestamp"), cv = t.column("volume");
  const auto ca = t.find_column("aht_s");
  std::vector<std::int64_t> ts(t.row_count());
  std::vector<double> v(t.row_count()), a(ca ? t.row_count() : 0);
  for (std::size_t r = 0; r < t.row_count(); ++r) {
    ts[r] = t.timestamp(r, ct);
    v[r] = t.number(r, cv);
    if (ca) a[r] = t.number(r, *ca);
  }
  if (t.row_count() == 0) detail::throw_invalid(path, "the history has no data rows");
  const Locator where = [&](std::size_t i, std::string_view column) {
    return fmt::format("{}, line {}, column '{}'", path, CsvTable::line_of(i), column);
  };
  return make_series(ts, v, interval_length, a, where);
}

std::vector<std::int64_t> read_targets_csv(const std::string& path,
                                           const IntervalSeries& history) {
  const CsvTable t = read_csv(path);
  const std::size_t ct = t.column("timestamp");
  std::vector<std::int64_t> ts(t.row_count());
  for (std::size_t r = 0; r < t.row_count(); ++r) ts[r] = t.timestamp(r, ct);
  const Locator where = [&](std::size_t i, std::string_view column) {
    return fmt::format("{}, line {}, column '{}'", path, CsvTable::line_of(i), column);
  };
  validate_targets(ts, history, where);
  return ts;
}

SpecialDays read_special_days_csv(const std::string& path) {
  const CsvTable t = read_csv(path);
  const std::size_t cd = t.column("date"), cn = t.column("name");
  const auto ck = t.find_column("kind");
  SpecialDays days;
  for (std::size_t r = 0; r < t.row_count(); ++r) {
    const std::string& text = t.text(r, cd);
    const auto ts = parse_timestamp(text);
    if (!ts || text.size() < 10 || second_of_day(*ts) != 0)
      t.fail(r, cd, fmt::format("not a date 'YYYY-MM-DD': '{}'", text));
    auto [name, in_name] = split_kind(t.text(r, cn));
    if (name.empty()) t.fail(r, cn, "the name is empty");
    DayKind kind = in_name ? *in_name : default_day_kind(name);
    if (ck && !trimmed(t.text(r, *ck)).empty()) {
      const auto k = parse_day_kind(t.text(r, *ck));
      if (!k) t.fail(r, *ck, fmt::format("not a kind: '{}' (expected {})", t.text(r, *ck), kinds_list));
      if (in_name && !(*in_name == *k))
        t.fail(r, *ck, fmt::format("kind '{}' disagrees with '({})' in the name", k->label(),
                                   in_name->label()));
      kind = *k;
    }
    const std::string* existing = days.name_of(day_of(*ts));
    if (existing && *existing != name)
      t.fail(r, cd, fmt::format("{} is listed twice with different names ('{}' and '{}')", text,
                                *existing, name));
    const DayKind* existing_kind = days.kind_of(day_of(*ts));
    if (existing_kind && !(*existing_kind == kind))
      t.fail(r, ck ? *ck : cn, fmt::format("{} is listed twice with different kinds ('{}' and '{}')",
                                           text, existing_kind->label(), kind.label()));
    days.add(day_of(*ts), name, kind);
  }
  return days;
}

}  // namespace wfm::forecast
