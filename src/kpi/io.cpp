// Contact logs from CSV (streamed) and interval KPIs to CSV (see include/wfm/kpi/io.hpp).
#include <wfm/kpi/io.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <new>

#include <wfm/core/calendar.hpp>
#include <wfm/core/csv_reader.hpp>
#include <wfm/core/error.hpp>

namespace wfm::kpi {
namespace {

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  return s;
}

bool parse_flag(const CsvReader& in, std::size_t col) {
  const std::string_view s = trim(in.text(col));
  if (s.empty() || s == "0" || s == "false" || s == "no" || s == "False" || s == "FALSE")
    return false;
  if (s == "1" || s == "true" || s == "yes" || s == "True" || s == "TRUE") return true;
  in.fail(col, fmt::format("not a flag (1/0, true/false, yes/no): '{}'", s));
}

std::string fmt_double(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return fmt::format("{:.10g}", v);
}

// A CSV field: quoted (RFC 4180) when it holds a comma, a quote or a line break.
std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

std::string required_text(const CsvReader& in, std::size_t col) {
  const std::string_view s = trim(in.text(col));
  if (s.empty()) in.fail(col, "must not be empty");
  return std::string(s);
}

// Replaces every "<name>[i]" of an adherence() message by "<path>, line <lines[i]>".
std::string relabel(std::string msg, std::string_view name, const std::string& path,
                    const std::vector<std::size_t>& lines) {
  const std::string key = std::string(name) + "[";
  for (std::size_t at = msg.find(key); at != std::string::npos; at = msg.find(key, at)) {
    std::size_t end = at + key.size(), i = 0;
    while (end < msg.size() && msg[end] >= '0' && msg[end] <= '9')
      i = i * 10 + static_cast<std::size_t>(msg[end++] - '0');
    if (end == at + key.size() || end >= msg.size() || msg[end] != ']' || i >= lines.size()) {
      at = end;
      continue;
    }
    const std::string by = fmt::format("{}, line {}", path, lines[i]);
    msg.replace(at, end + 1 - at, by);
    at += by.size();
  }
  return msg;
}

std::string adherence_values(const AdherenceRow& r) {
  return fmt::format("{},{},{},{},{},{}", fmt_double(r.scheduled_s), fmt_double(r.adherent_s),
                     fmt_double(r.work_scheduled_s), fmt_double(r.worked_s),
                     fmt_double(r.adherence), fmt_double(r.conformance));
}

constexpr std::string_view adherence_columns =
    "scheduled_s,adherent_s,work_scheduled_s,worked_s,adherence,conformance\n";

// Timestamps of a log nearly always share their date with the row read before: the date
// ("YYYY-MM-DD" and the separator) is parsed and validated by wfm::parse_timestamp once, the
// time of day of each row with the same checks as there (HH:MM[:SS], h <= 23, m, s <= 59). A
// field of another shape or date goes through CsvReader::timestamp (which names the row).
class TimestampCache {
 public:
  std::int64_t operator()(const CsvReader& in, std::size_t col) {
    const std::string_view s = in.text(col);
    const bool plain = (s.size() == 16 || s.size() == 19) && (s[10] == ' ' || s[10] == 'T');
    if (plain && known_ && s.substr(0, 11) == std::string_view(date_, 11)) {
      int h = 0, m = 0, sec = 0;
      if (two(s, 11, h) && s[13] == ':' && two(s, 14, m) &&
          (s.size() == 16 || (s[16] == ':' && two(s, 17, sec))) && h <= 23 && m <= 59 &&
          sec <= 59)
        return day_ + h * 3600 + m * 60 + sec;
    }
    const std::int64_t t = in.timestamp(col);
    known_ = plain;
    if (plain) {
      std::copy(s.begin(), s.begin() + 11, date_);
      day_ = t - second_of_day(t);
    }
    return t;
  }

 private:
  static bool two(std::string_view s, std::size_t at, int& v) noexcept {
    const char a = s[at], b = s[at + 1];
    if (a < '0' || a > '9' || b < '0' || b > '9') return false;
    v = (a - '0') * 10 + (b - '0');
    return true;
  }
  char date_[11] = {};
  std::int64_t day_ = 0;
  bool known_ = false;
};

}  // namespace

std::uint64_t customer_key(std::string_view id) noexcept {
  // splitmix64's finaliser (Steele, Lea & Flood (2014), "Fast splittable pseudorandom number
  // generators", OOPSLA; a bijection of 64-bit words) over the id 8 bytes at a time.
  const auto mix = [](std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  };
  const auto load = [](const char* p, std::size_t bytes) {
    std::uint64_t w = 0;
    std::memcpy(&w, p, bytes);
    return w;
  };
  const char* p = id.data();
  std::size_t n = id.size();
  std::uint64_t h = mix(0x9E3779B97F4A7C15ull + n);
  for (; n > 8; p += 8, n -= 8) h = mix(h ^ load(p, 8));
  // the last 1 to 8 bytes, all read: two overlapping 4-byte words, or bytes 0, n/2 and n - 1
  std::uint64_t last = 0;
  if (n >= 4) {
    last = (load(p, 4) << 32) | load(p + n - 4, 4);
  } else if (n > 0) {
    last = (load(p, 1) << 16) | (load(p + n / 2, 1) << 8) | load(p + n - 1, 1);
  }
  h = mix(h ^ last);
  return h == 0 ? 1 : h;
}

std::size_t read_contact_log(const std::string& path, ContactKpiAccumulator& acc,
                             const ContactLogFilter& filter) {
  CsvReader in(path);
  const std::size_t c_arrival = in.column("arrival"), c_outcome = in.column("outcome"),
                    c_wait = in.column("wait_s");
  const auto c_talk = in.find_column("talk_s"), c_hold = in.find_column("hold_s"),
             c_acw = in.find_column("acw_s"), c_customer = in.find_column("customer"),
             c_transfer = in.find_column("transferred"), c_csat = in.find_column("csat"),
             c_queue = in.find_column("queue");
  if (!filter.queue.empty() && !c_queue)
    detail::throw_invalid(path, "a queue filter was given but the file has no 'queue' column");
  if (c_customer) {  // at most one record per 24 bytes: reserve once instead of growing
    std::error_code ec;
    const auto bytes = std::filesystem::file_size(path, ec);
    try {
      if (!ec) acc.reserve(static_cast<std::size_t>(bytes / 24));
    } catch (const std::bad_alloc&) {  // only a hint: the table then grows as it fills
    }
  }
  std::size_t counted = 0;
  TimestampCache arrival;
  while (in.next()) {
    if (!filter.queue.empty() && trim(in.text(*c_queue)) != filter.queue) continue;
    Contact c;
    c.arrival = arrival(in, c_arrival);
    const std::string_view outcome = trim(in.text(c_outcome));
    if (outcome == "answered") {
      c.outcome = Outcome::answered;
    } else if (outcome == "abandoned") {
      c.outcome = Outcome::abandoned;
    } else {
      in.fail(c_outcome, fmt::format("must be 'answered' or 'abandoned', got '{}'", outcome));
    }
    const auto duration = [&](std::size_t col) {
      const double v = in.number(col);
      if (v < 0.0) in.fail(col, fmt::format("a duration must be >= 0, got {:g}", v));
      return v;
    };
    c.wait_s = duration(c_wait);
    if (c.outcome == Outcome::answered) {
      if (c_talk) {
        if (in.empty(*c_talk)) in.fail(*c_talk, "an answered contact needs its talk time");
        c.talk_s = duration(*c_talk);
      }
      if (c_hold && !in.empty(*c_hold)) c.hold_s = duration(*c_hold);
      if (c_acw && !in.empty(*c_acw)) c.acw_s = duration(*c_acw);
    }
    if (c_customer) {
      const std::string_view id = trim(in.text(*c_customer));
      if (!id.empty()) c.customer = customer_key(id);
    }
    if (c_transfer) c.transferred = parse_flag(in, *c_transfer);
    if (c_csat && !in.empty(*c_csat)) c.csat = in.number(*c_csat);
    try {
      acc.add(c);
    } catch (const InvalidArgument& e) {  // name the row
      in.fail_row(e.what());
    }
    ++counted;
  }
  return counted;
}

std::size_t read_staffing(const std::string& path, ContactKpiAccumulator& acc,
                          std::int64_t interval_length_s) {
  CsvReader in(path);
  const std::size_t c_t = in.column("timestamp"), c_agents = in.column("agents");
  std::size_t n = 0;
  while (in.next()) {
    const std::int64_t t = in.timestamp(c_t);
    const double agents = in.number(c_agents);
    if (agents < 0.0) in.fail(c_agents, fmt::format("must be >= 0, got {:g}", agents));
    try {
      acc.add_staffed_time(t, static_cast<double>(interval_length_s), agents);
    } catch (const InvalidArgument& e) {
      in.fail(c_agents, e.what());
    }
    ++n;
  }
  return n;
}

std::vector<ScheduledActivity> read_schedule(const std::string& path,
                                             std::vector<std::size_t>* lines) {
  CsvReader in(path);
  const std::size_t c_agent = in.column("agent"), c_start = in.column("start"),
                    c_end = in.column("end"), c_activity = in.column("activity");
  std::vector<ScheduledActivity> out;
  while (in.next()) {
    ScheduledActivity r;
    r.agent = required_text(in, c_agent);
    r.start = in.timestamp(c_start);
    r.end = in.timestamp(c_end);
    if (r.end <= r.start)
      in.fail(c_end, fmt::format("end {} is not after start {}", format_timestamp(r.end),
                                 format_timestamp(r.start)));
    r.activity = required_text(in, c_activity);
    out.push_back(std::move(r));
    if (lines != nullptr) lines->push_back(in.line());
  }
  return out;
}

std::vector<StateRecord> read_states(const std::string& path, std::vector<std::size_t>* lines) {
  CsvReader in(path);
  const std::size_t c_t = in.column("timestamp"), c_agent = in.column("agent"),
                    c_state = in.column("state");
  std::vector<StateRecord> out;
  while (in.next()) {
    StateRecord r;
    r.timestamp = in.timestamp(c_t);
    r.agent = required_text(in, c_agent);
    r.state = required_text(in, c_state);
    out.push_back(std::move(r));
    if (lines != nullptr) lines->push_back(in.line());
  }
  return out;
}

AdherenceResult read_adherence(const std::string& schedule_path, const std::string& states_path,
                               const AdherenceOptions& options) {
  std::vector<std::size_t> schedule_lines, state_lines;
  auto schedule = read_schedule(schedule_path, &schedule_lines);
  auto states = read_states(states_path, &state_lines);
  try {
    return adherence(std::move(schedule), std::move(states), options);
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(relabel(relabel(e.what(), "schedule", schedule_path, schedule_lines),
                                  "states", states_path, state_lines));
  }
}

std::string adherence_to_csv(const std::vector<AdherenceRow>& rows,
                             std::int64_t interval_length_s) {
  std::string out = "timestamp,interval_length_s,";
  out += adherence_columns;
  for (const AdherenceRow& r : rows)
    out += fmt::format("{},{},{}\n", format_timestamp(r.timestamp), interval_length_s,
                       adherence_values(r));
  return out;
}

std::string agent_adherence_to_csv(const AdherenceResult& r) {
  std::string out = "agent,";
  out += adherence_columns;
  for (const AdherenceRow& a : r.agents)
    out += fmt::format("{},{}\n", csv_field(a.agent), adherence_values(a));
  return out;
}

std::string exceptions_to_csv(const AdherenceResult& r) {
  std::string out = "agent,start,end,activity,state\n";
  for (const AdherenceException& e : r.exceptions)
    out += fmt::format("{},{},{},{},{}\n", csv_field(e.agent), format_timestamp(e.from),
                       format_timestamp(e.to), csv_field(e.activity), csv_field(e.state));
  return out;
}

std::string shrinkage_to_csv(const AdherenceResult& r) {
  std::string out = "state,time_in_state_s,shrinkage\n";
  for (const ShrinkageCategory& c : r.shrinkage_by_state)
    out += fmt::format("{},{},{}\n", csv_field(c.state), fmt_double(c.seconds),
                       fmt_double(c.shrinkage));
  return out;
}

std::string service_level_column(const ServiceLevelKey& key) {
  return fmt::format("service_level_{}_{:g}s", queueing::to_string(key.definition),
                     key.target_time_s);
}

std::string to_csv(const ContactKpis& k) {
  std::string out =
      "timestamp,interval_length_s,volume,answered,abandoned,short_abandoned,abandon_rate,"
      "abandon_rate_net,aht_s,asa_s,asa_all_s";
  for (const auto& key : k.service_levels) {
    out += ',';
    out += service_level_column(key);
  }
  out += ",transfer_rate,fcr_rate,fcr_count,csat_mean,csat_count,patience_s,busy_s";
  if (k.has_occupancy) out += ",staffed_s,occupancy";
  out += '\n';
  for (const IntervalKpis& r : k.intervals) {
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{}", format_timestamp(r.timestamp),
                       k.interval_length_s, fmt_double(r.volume), fmt_double(r.answered),
                       fmt_double(r.abandoned), fmt_double(r.short_abandoned),
                       fmt_double(r.abandon_rate), fmt_double(r.abandon_rate_net),
                       fmt_double(r.aht_s), fmt_double(r.asa_s), fmt_double(r.asa_all_s));
    for (double sl : r.service_level) {
      out += ',';
      out += fmt_double(sl);
    }
    out += fmt::format(",{},{},{},{},{},{},{}", fmt_double(r.transfer_rate),
                       fmt_double(r.fcr_rate), fmt_double(r.fcr_count), fmt_double(r.csat_mean),
                       fmt_double(r.csat_count), fmt_double(r.patience_s), fmt_double(r.busy_s));
    if (k.has_occupancy)
      out += fmt::format(",{},{}", fmt_double(r.staffed_s), fmt_double(r.occupancy));
    out += '\n';
  }
  return out;
}

}  // namespace wfm::kpi
