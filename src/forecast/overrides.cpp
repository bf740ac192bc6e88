// The events-and-overrides layer (wfm/forecast/overrides.hpp): reading and writing its CSV
// files, applying it to a forecast, and the per-day explanation with the layer's factors.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <optional>
#include <wfm/core/calendar.hpp>
#include <wfm/core/csv.hpp>
#include <wfm/core/error.hpp>
#include <wfm/forecast/overrides.hpp>

namespace wfm::forecast {
namespace {

// Validation bounds that keep every layered volume finite (not tuning constants).
constexpr double max_factor = 1e6;   // +100,000,000 %
constexpr double max_volume = 1e15;  // contacts
constexpr std::int64_t max_kind_event_days = 366;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string csv_quote(std::string_view s) {
  if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string join_unique(const std::vector<std::string>& parts) {
  std::string out;
  std::vector<std::string> seen;
  for (const auto& p : parts) {
    if (p.empty() || std::find(seen.begin(), seen.end(), p) != seen.end()) continue;
    seen.push_back(p);
    out += (out.empty() ? "" : "; ") + p;
  }
  return out;
}

// ---- reading ---------------------------------------------------------------------------------
struct Cells {
  const CsvTable& t;
  std::size_t r;
  [[nodiscard]] std::optional<std::string_view> get(std::optional<std::size_t> c) const {
    if (!c) return std::nullopt;
    const std::string_view s = trim(t.text(r, *c));
    return s.empty() ? std::nullopt : std::optional(s);
  }
};

std::int64_t read_date(const Cells& x, std::size_t c) {
  const std::string_view s = trim(x.t.text(x.r, c));
  const auto ts = parse_timestamp(s);
  if (!ts || s.size() != 10) x.t.fail(x.r, c, fmt::format("not a date 'YYYY-MM-DD': '{}'", s));
  return day_of(*ts);
}

// "HH:MM" or "HH:MM:SS" as seconds of the day; "24:00" only when `end`.
std::int64_t read_time(const Cells& x, std::size_t c, bool end) {
  const std::string_view s = trim(x.t.text(x.r, c));
  const auto two = [&](std::size_t at) -> int {
    if (at + 2 > s.size() || s[at] < '0' || s[at] > '9' || s[at + 1] < '0' || s[at + 1] > '9')
      return -1;
    return (s[at] - '0') * 10 + (s[at + 1] - '0');
  };
  const bool shape = (s.size() == 5 || (s.size() == 8 && s[5] == ':')) && s[2] == ':';
  const int h = shape ? two(0) : -1, m = shape ? two(3) : -1, sec = s.size() == 8 ? two(6) : 0;
  const std::int64_t v = std::int64_t{h} * 3600 + m * 60 + sec;
  if (h < 0 || m < 0 || sec < 0 || m > 59 || sec > 59 || v > 86400 || (v == 86400 && !end))
    x.t.fail(x.r, c,
             fmt::format("not a time of day 'HH:MM' (00:00 to {}): '{}'", end ? "24:00" : "23:59",
                         s));
  return v;
}

struct Layout {
  std::optional<std::size_t> from, to, time_from, time_to, name, kind, reason, author;
  std::vector<std::pair<std::size_t, AdjustmentMode>> values;  // value columns present
};

Layout layout(const CsvTable& t, LayerEntryType type) {
  Layout l;
  l.from = t.column("from");
  l.to = t.find_column("to");
  l.time_from = t.find_column("time_from");
  l.time_to = t.find_column("time_to");
  l.reason = t.find_column("reason");
  l.author = t.find_column("author");
  const auto add = [&](std::string_view name, AdjustmentMode m) {
    if (const auto c = t.find_column(name)) l.values.emplace_back(*c, m);
  };
  if (type == LayerEntryType::override) {
    add("override_factor", AdjustmentMode::factor);
    add("override_day_volume", AdjustmentMode::day_volume);
    add("override_volume", AdjustmentMode::interval_volume);
    if (l.values.empty())
      detail::throw_invalid(t.source(), "needs a column override_factor, override_day_volume "
                                        "or override_volume");
  } else {
    l.name = t.column("name");
    l.kind = t.find_column("kind");
    add("event_factor", AdjustmentMode::factor);
    if (l.values.empty() && !l.kind)
      detail::throw_invalid(t.source(), "needs a column event_factor or kind");
  }
  return l;
}

// The one value (or kind) of a row: exactly one of the value columns (and kind) is filled.
void read_value(const Cells& x, const Layout& l, LayerEntry& e) {
  std::optional<std::size_t> got;
  for (const auto& [c, mode] : l.values) {
    if (!x.get(c)) continue;
    if (got) x.t.fail(x.r, c, "give only one of the value columns per row");
    got = c;
    e.mode = mode;
    e.value = x.t.number(x.r, c);
  }
  if (const auto k = x.get(l.kind)) {
    if (got) x.t.fail(x.r, *l.kind, "give either event_factor or kind, not both");
    e.kind = std::string(*k);
    return;
  }
  if (!got) {
    std::string names;
    for (const auto& [c, mode] : l.values) names += (names.empty() ? "" : ", ") + x.t.header()[c];
    if (l.kind) names += ", kind";
    x.t.fail(x.r, l.values.empty() ? *l.kind : l.values.front().first,
             fmt::format("one of {} must be given", names));
  }
}

LayerEntry read_row(const CsvTable& t, std::size_t r, const Layout& l, LayerEntryType type) {
  const Cells x{t, r};
  LayerEntry e;
  e.type = type;
  e.line = CsvTable::line_of(r);
  e.first_day = read_date(x, *l.from);
  e.last_day = x.get(l.to) ? read_date(x, *l.to) : e.first_day;
  if (x.get(l.time_from)) e.time_from_s = read_time(x, *l.time_from, false);
  if (x.get(l.time_to)) e.time_to_s = read_time(x, *l.time_to, true);
  if (l.name) e.name = std::string(trim(t.text(r, *l.name)));
  if (l.reason) e.reason = t.text(r, *l.reason);
  if (l.author) e.author = t.text(r, *l.author);
  read_value(x, l, e);
  validate_entry(e, [&](std::size_t, std::string_view column) {
    const auto c = t.find_column(column);
    return c ? fmt::format("{}, line {}, column '{}'", t.source(), e.line, column)
             : fmt::format("{}, line {}", t.source(), e.line);
  });
  return e;
}

std::vector<LayerEntry> read_table(const CsvTable& t, LayerEntryType type) {
  const Layout l = layout(t, type);
  std::vector<LayerEntry> out;
  out.reserve(t.row_count());
  for (std::size_t r = 0; r < t.row_count(); ++r) out.push_back(read_row(t, r, l, type));
  return out;
}

// ---- applying --------------------------------------------------------------------------------
// Indices of the forecast intervals an entry covers, in time order.
std::vector<std::size_t> covered(const LayerEntry& e, std::span<const std::int64_t> ts,
                                 const std::vector<std::size_t>& order) {
  const auto at = [&](std::size_t i) { return ts[i]; };
  const std::int64_t lo = e.first_day * seconds_per_day, hi = (e.last_day + 1) * seconds_per_day;
  auto it = std::lower_bound(order.begin(), order.end(), lo,
                             [&](std::size_t i, std::int64_t v) { return at(i) < v; });
  std::vector<std::size_t> out;
  for (; it != order.end() && at(*it) < hi; ++it) {
    const std::int64_t s = second_of_day(at(*it));
    if (s >= e.time_from_s && s < e.time_to_s) out.push_back(*it);
  }
  return out;
}

void check_sizes(const ForecastResult& f) {
  const std::size_t n = f.timestamps.size();
  bool ok = f.volume.size() == n && (f.aht_s.empty() || f.aht_s.size() == n) &&
            f.volume_lower.size() == f.levels.size() && f.volume_upper.size() == f.levels.size();
  for (std::size_t j = 0; ok && j < f.levels.size(); ++j)
    ok = f.volume_lower[j].size() == n && f.volume_upper[j].size() == n;
  ok = ok && f.aht_s_lower.size() == f.aht_s_upper.size() &&
       (f.aht_s_lower.empty() || f.aht_s_lower.size() == f.levels.size());
  for (std::size_t j = 0; ok && j < f.aht_s_lower.size(); ++j)
    ok = f.aht_s_lower[j].size() == n && f.aht_s_upper[j].size() == n;
  if (!ok)
    detail::throw_invalid("wfm::forecast::apply_layer",
                          "forecast: timestamps, volume, bounds and aht_s differ in length");
}

LayeredForecast start_layer(const ForecastResult& f) {
  LayeredForecast out;
  const std::size_t n = f.timestamps.size();
  out.timestamps = f.timestamps;
  out.model_volume = f.volume;
  out.volume = f.volume;
  out.levels = f.levels;
  out.volume_lower = f.volume_lower;
  out.volume_upper = f.volume_upper;
  out.aht_s = f.aht_s;
  out.aht_s_lower = f.aht_s_lower;
  out.aht_s_upper = f.aht_s_upper;
  out.event_factor.assign(n, 1.0);
  out.event.assign(n, "");
  out.override_entry.assign(n, -1);
  out.override.assign(n, "");
  out.explanation = f.explanation;
  return out;
}

// Step 2 of the rule: override k sets the volume of the intervals it wins.
void apply_override(const LayerEntry& e, int k, const std::vector<std::size_t>& cov,
                    const std::vector<double>& base, LayeredForecast& out) {
  std::size_t first = 0;
  while (first < cov.size()) {  // one local day at a time (cov is in time order)
    const std::int64_t day = day_of(out.timestamps[cov[first]]);
    std::size_t last = first;
    double sum = 0.0;
    while (last < cov.size() && day_of(out.timestamps[cov[last]]) == day) sum += base[cov[last++]];
    const auto n_day = static_cast<double>(last - first);
    for (std::size_t p = first; p < last; ++p) {
      const std::size_t i = cov[p];
      if (out.override_entry[i] != k) continue;
      switch (e.mode) {
        case AdjustmentMode::factor: out.volume[i] = base[i] * (1.0 + e.value); break;
        case AdjustmentMode::day_volume:
          out.volume[i] = e.value * (sum > 0.0 ? base[i] / sum : 1.0 / n_day);
          break;
        case AdjustmentMode::interval_volume: out.volume[i] = e.value; break;
      }
      out.volume[i] = std::max(0.0, out.volume[i]);
      out.override[i] = e.describe();
    }
    first = last;
  }
}

void scale_bounds(LayeredForecast& out) {
  for (std::size_t i = 0; i < out.volume.size(); ++i) {
    const double m = out.model_volume[i], v = out.volume[i];
    if (m == v) continue;
    for (std::size_t j = 0; j < out.levels.size(); ++j) {
      out.volume_lower[j][i] = m > 0.0 ? out.volume_lower[j][i] * (v / m) : v;
      out.volume_upper[j][i] = m > 0.0 ? out.volume_upper[j][i] * (v / m) : v;
    }
  }
}

std::string number(double v) { return fmt::format("{:.10g}", v); }

}  // namespace

std::string_view to_string(LayerEntryType t) noexcept {
  return t == LayerEntryType::event ? "event" : "override";
}

std::string_view to_string(AdjustmentMode m) noexcept {
  switch (m) {
    case AdjustmentMode::factor: return "factor";
    case AdjustmentMode::day_volume: return "day_volume";
    case AdjustmentMode::interval_volume: return "interval_volume";
  }
  return "factor";
}

std::string LayerEntry::describe() const {
  std::string what;
  if (is_kind_event()) {
    what = "kind " + kind;
  } else if (mode == AdjustmentMode::factor) {
    what = fmt::format("{:+.4g} %", value * 100.0);
  } else {
    what = fmt::format("{:.4g} per {}", value, mode == AdjustmentMode::day_volume ? "day" : "interval");
  }
  std::vector<std::string> why;
  for (const std::string* s : {&name, &reason, &author})
    if (!trim(*s).empty()) why.emplace_back(trim(*s));
  std::string notes;
  for (const auto& w : why) notes += (notes.empty() ? "" : "; ") + w;
  return notes.empty() ? what : fmt::format("{} ({})", what, notes);
}

void validate_entry(const LayerEntry& e, const Locator& where) {
  const auto at = [&](std::string_view column) {
    return where ? where(0, column) : fmt::format("layer entry '{}'", column);
  };
  if (e.last_day < e.first_day)
    detail::throw_invalid(at("to"), fmt::format("the last date {} comes before the first {}",
                                                format_date(e.last_day * seconds_per_day),
                                                format_date(e.first_day * seconds_per_day)));
  if (e.time_from_s < 0 || e.time_from_s >= seconds_per_day)
    detail::throw_invalid(at("time_from"), "must be in [0, 86400) [s]",
                          static_cast<double>(e.time_from_s));
  if (e.time_to_s <= e.time_from_s || e.time_to_s > seconds_per_day)
    detail::throw_invalid(at("time_to"), "must be after time_from and at most 24:00",
                          static_cast<double>(e.time_to_s));
  if (e.type == LayerEntryType::event && trim(e.name).empty())
    detail::throw_invalid(at("name"), "an event needs a name");
  if (e.is_kind_event()) {
    if (e.last_day - e.first_day >= max_kind_event_days)
      detail::throw_invalid(at("to"), "an event with a kind spans at most 366 days",
                            static_cast<double>(e.last_day - e.first_day + 1));
    return;
  }
  const bool factor = e.mode == AdjustmentMode::factor;
  const std::string_view column =
      e.type == LayerEntryType::event ? "event_factor"
      : factor                        ? "override_factor"
      : e.mode == AdjustmentMode::day_volume ? "override_day_volume"
                                             : "override_volume";
  if (e.type == LayerEntryType::event && !factor)
    detail::throw_invalid(at(column), "an event changes the volume by a factor only");
  if (factor && !(e.value >= -1.0 && e.value <= max_factor))
    detail::throw_invalid(at(column),
                          "must be a fraction >= -1 (-0.1 = 10 % lower, not a percentage) and "
                          "at most 1e6",
                          e.value);
  if (!factor && !(e.value >= 0.0 && e.value <= max_volume))
    detail::throw_invalid(at(column), "must be a volume in [0, 1e15] [contacts]", e.value);
}

std::vector<LayerEntry> parse_overrides_csv(std::string_view text, const std::string& source) {
  return read_table(parse_csv(text, source), LayerEntryType::override);
}

std::vector<LayerEntry> parse_events_csv(std::string_view text, const std::string& source) {
  return read_table(parse_csv(text, source), LayerEntryType::event);
}

std::vector<LayerEntry> read_overrides_csv(const std::string& path) {
  return read_table(read_csv(path), LayerEntryType::override);
}

std::vector<LayerEntry> read_events_csv(const std::string& path) {
  return read_table(read_csv(path), LayerEntryType::event);
}

std::string format_layer_csv(std::span<const LayerEntry> entries, LayerEntryType type) {
  const bool ev = type == LayerEntryType::event;
  std::string out = ev ? "from,to,time_from,time_to,name,event_factor,kind,reason,author\n"
                       : "from,to,time_from,time_to,override_factor,override_day_volume,"
                         "override_volume,reason,author\n";
  const auto hm = [](std::int64_t s) {
    return s % 60 ? fmt::format("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
                  : fmt::format("{:02}:{:02}", s / 3600, s / 60 % 60);
  };
  for (const LayerEntry& e : entries) {
    if (e.type != type)
      detail::throw_invalid("wfm::forecast::format_layer_csv",
                            fmt::format("entry of line {} is an {}, not an {}", e.line,
                                        to_string(e.type), to_string(type)));
    out += fmt::format("{},{},{},{},", format_date(e.first_day * seconds_per_day),
                       format_date(e.last_day * seconds_per_day), hm(e.time_from_s),
                       hm(e.time_to_s));
    const std::string v = number(e.value);
    if (ev) {
      out += fmt::format("{},{},{},", csv_quote(e.name), e.is_kind_event() ? "" : v,
                         csv_quote(e.kind));
    } else {
      for (AdjustmentMode m : {AdjustmentMode::factor, AdjustmentMode::day_volume,
                               AdjustmentMode::interval_volume})
        out += (e.mode == m ? v : "") + ",";
    }
    out += csv_quote(e.reason) + "," + csv_quote(e.author) + "\n";
  }
  return out;
}

SpecialDays add_event_days(SpecialDays calendar, std::span<const LayerEntry> events,
                           const std::string& source) {
  for (const LayerEntry& e : events) {
    if (!e.is_kind_event()) continue;
    validate_entry(e);
    const std::string where = e.line ? fmt::format("{}, line {}, column 'kind'", source, e.line)
                                     : std::string("event '") + e.name + "'";
    const auto kind = parse_day_kind(e.kind);
    if (!kind)
      detail::throw_invalid(where, "not a kind (closed, holiday, eve, intermediate, bridge or "
                                   "user:<name>)",
                            e.kind);
    for (std::int64_t d = e.first_day; d <= e.last_day; ++d) {
      try {
        calendar.add(d, e.name, *kind);
      } catch (const InvalidArgument& x) {
        throw InvalidArgument(fmt::format("{}: {}", where, x.what()));
      }
    }
  }
  return calendar;
}

LayeredForecast apply_layer(const ForecastResult& f, std::span<const LayerEntry> entries) {
  check_sizes(f);
  for (const LayerEntry& e : entries) validate_entry(e);
  LayeredForecast out = start_layer(f);
  std::vector<std::size_t> order(f.timestamps.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return f.timestamps[a] < f.timestamps[b]; });
  std::vector<std::vector<std::size_t>> cov(entries.size());
  std::vector<std::vector<std::string>> events(f.timestamps.size());
  for (std::size_t k = 0; k < entries.size(); ++k) {
    const LayerEntry& e = entries[k];
    if (!e.is_kind_event()) cov[k] = covered(e, f.timestamps, order);
    if (cov[k].empty()) out.unmatched.push_back(k);
    for (std::size_t i : cov[k]) {
      if (e.type == LayerEntryType::event) {
        out.event_factor[i] *= 1.0 + e.value;
        events[i].push_back(e.describe());
      } else {
        out.override_entry[i] = static_cast<int>(k);  // later entries overwrite: the rule
      }
    }
  }
  std::vector<double> base(f.timestamps.size());
  for (std::size_t i = 0; i < base.size(); ++i) {
    base[i] = f.volume[i] * out.event_factor[i];
    out.volume[i] = base[i];
    out.event[i] = join_unique(events[i]);
  }
  for (std::size_t k = 0; k < entries.size(); ++k)
    if (entries[k].type == LayerEntryType::override)
      apply_override(entries[k], static_cast<int>(k), cov[k], base, out);
  scale_bounds(out);
  return out;
}

std::vector<LayeredDay> explain_layer(const LayeredForecast& l) {
  std::vector<LayeredDay> days;
  std::map<std::int64_t, std::size_t> at;  // day -> position in `days`
  std::vector<std::vector<std::string>> ev, ov;
  std::vector<double> after_events;
  for (std::size_t i = 0; i < l.timestamps.size(); ++i) {
    const std::int64_t d = day_of(l.timestamps[i]);
    auto [it, fresh] = at.emplace(d, days.size());
    if (fresh) {
      LayeredDay day;
      day.model.day = d;
      day.model.date = format_date(d * seconds_per_day);
      for (const DayExplanation& x : l.explanation)
        if (x.day == d) day.model = x;
      days.push_back(std::move(day));
      ev.emplace_back();
      ov.emplace_back();
      after_events.push_back(0.0);
    }
    const std::size_t p = it->second;
    days[p].model_day_volume += l.model_volume[i];
    after_events[p] += l.model_volume[i] * l.event_factor[i];
    days[p].day_volume += l.volume[i];
    ev[p].push_back(l.event[i]);
    ov[p].push_back(l.override[i]);
  }
  for (std::size_t p = 0; p < days.size(); ++p) {
    LayeredDay& d = days[p];
    d.event_factor = d.model_day_volume > 0.0 ? after_events[p] / d.model_day_volume : 1.0;
    d.override_factor = after_events[p] > 0.0 ? d.day_volume / after_events[p] : 1.0;
    d.event = join_unique(ev[p]);
    d.override = join_unique(ov[p]);
  }
  return days;
}

std::string format_explanation_csv(std::span<const LayeredDay> days) {
  std::string out =
      "date,base_volume,weekday_effect,day_of_month_effect,special_effect,special_source,"
      "special_name,special_kind,occurrences,evidence_weight,profile_source,profile_weight,"
      "model_day_volume,event_factor,event,override_factor,override,day_volume";
  const bool aht = std::any_of(days.begin(), days.end(), [](const LayeredDay& d) { return d.model.has_aht; });
  out += aht ? ",aht_level_s,aht_trend_effect,aht_weekday_effect,aht_special_effect,"
               "aht_special_source,aht_occurrences,aht_evidence_weight,aht_profile_effect,aht_day_s\n"
             : "\n";
  for (const LayeredDay& d : days) {
    const DayExplanation& m = d.model;
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},", m.date, number(m.base_volume),
                       number(m.weekday_effect), number(m.day_of_month_effect),
                       number(m.special_effect), to_string(m.special_source),
                       csv_quote(m.special_name), csv_quote(m.special_kind), m.occurrences,
                       number(m.evidence_weight), csv_quote(m.profile_source),
                       number(m.profile_weight));
    out += fmt::format("{},{},{},{},{},{}", number(d.model_day_volume), number(d.event_factor),
                       csv_quote(d.event), number(d.override_factor), csv_quote(d.override),
                       number(d.day_volume));
    if (aht)
      out += fmt::format(",{},{},{},{},{},{},{},{},{}", number(m.aht_level_s),
                         number(m.aht_trend_effect), number(m.aht_weekday_effect),
                         number(m.aht_special_effect), to_string(m.aht_special_source),
                         m.aht_occurrences, number(m.aht_evidence_weight),
                         number(m.aht_profile_effect), number(m.aht_day_s));
    out += "\n";
  }
  return out;
}

}  // namespace wfm::forecast
