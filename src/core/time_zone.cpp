// TZif reader (RFC 8536) and POSIX TZ footer rules (POSIX.1-2017 section 8.3).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <wfm/core/calendar.hpp>
#include <wfm/core/error.hpp>
#include <wfm/core/time_zone.hpp>

namespace wfm {

namespace {

/// A POSIX TZ rule date "Mm.w.d/time": day d (0 = Sunday) of week w (5 = last) of month m,
/// at `time` [s] local time (of the offset in force before the change).
struct RuleDate {
  unsigned month = 1, week = 1, day = 0;
  std::int64_t time = 7200;  // POSIX default 02:00:00
};

/// A footer rule "std offset [dst [offset],start[/time],end[/time]]".
struct PosixRule {
  std::int64_t std_offset = 0;  // local - UTC [s] (POSIX writes the opposite sign)
  std::optional<std::int64_t> dst_offset;
  RuleDate start, end;
};

}  // namespace

struct TimeZone::Data {
  std::string name;  // IANA name, "" for fixed offsets
  std::vector<std::int64_t> transitions;  // UTC instants, ascending
  std::vector<std::int64_t> offsets;      // offset in force from transitions[i] on
  std::int64_t initial_offset = 0;        // before the first transition (type 0, RFC 8536 3.2)
  std::optional<PosixRule> rule;          // after the last transition
  std::vector<std::int64_t> all_offsets;  // every offset the zone ever uses
};

namespace {

std::uint32_t be32(std::string_view b, std::size_t pos) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(b[pos + i]);
  return v;
}
std::int64_t be_signed(std::string_view b, std::size_t pos, std::size_t width) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < width; ++i) v = (v << 8) | static_cast<unsigned char>(b[pos + i]);
  if (width == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
  return static_cast<std::int64_t>(v);
}

// --- POSIX TZ strings -------------------------------------------------------------------------

class PosixParser {
 public:
  explicit PosixParser(std::string_view s) : s_(s) {}

  std::optional<PosixRule> parse() {
    PosixRule r;
    if (!name() || !offset(r.std_offset)) return std::nullopt;
    r.std_offset = -r.std_offset;
    if (done()) return r;
    if (!name()) return std::nullopt;
    std::int64_t dst = -(r.std_offset + 3600);  // default: one hour ahead of standard time
    if (!done() && s_[pos_] != ',' && !offset(dst)) return std::nullopt;
    r.dst_offset = -dst;
    if (done() || s_[pos_] != ',') return std::nullopt;  // no rule: unsupported
    ++pos_;
    if (!date(r.start) || done() || s_[pos_] != ',') return std::nullopt;
    ++pos_;
    if (!date(r.end) || !done()) return std::nullopt;
    return r;
  }

 private:
  bool done() const { return pos_ >= s_.size(); }
  bool name() {
    if (!done() && s_[pos_] == '<') {
      const auto close = s_.find('>', pos_);
      if (close == std::string_view::npos) return false;
      pos_ = close + 1;
      return true;
    }
    const std::size_t begin = pos_;
    while (!done() && std::isalpha(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    return pos_ - begin >= 3;
  }
  bool number(std::int64_t& out) {
    const std::size_t begin = pos_;
    out = 0;
    while (!done() && s_[pos_] >= '0' && s_[pos_] <= '9') out = out * 10 + (s_[pos_++] - '0');
    return pos_ > begin;
  }
  /// [+-]hh[:mm[:ss]] in seconds (RFC 8536 3.3.1 allows hours up to 167 for rule times).
  bool offset(std::int64_t& out) {
    std::int64_t sign = 1;
    if (!done() && (s_[pos_] == '+' || s_[pos_] == '-')) sign = s_[pos_++] == '-' ? -1 : 1;
    std::int64_t h = 0, m = 0, sec = 0;
    if (!number(h)) return false;
    if (!done() && s_[pos_] == ':') {
      ++pos_;
      if (!number(m)) return false;
      if (!done() && s_[pos_] == ':') {
        ++pos_;
        if (!number(sec)) return false;
      }
    }
    out = sign * (h * 3600 + m * 60 + sec);
    return true;
  }
  bool date(RuleDate& d) {
    if (done() || s_[pos_] != 'M') return false;  // only the "Mm.w.d" form (all current zones)
    ++pos_;
    std::int64_t m = 0, w = 0, wd = 0;
    if (!number(m) || done() || s_[pos_++] != '.' || !number(w) || done() || s_[pos_++] != '.' ||
        !number(wd))
      return false;
    if (m < 1 || m > 12 || w < 1 || w > 5 || wd > 6) return false;
    d.month = static_cast<unsigned>(m);
    d.week = static_cast<unsigned>(w);
    d.day = static_cast<unsigned>(wd);
    if (!done() && s_[pos_] == '/') {
      ++pos_;
      if (!offset(d.time)) return false;
    }
    return true;
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

constexpr bool is_leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/// Local time (seconds since the epoch of the wall clock) of a rule date in year y.
std::int64_t rule_local_time(const RuleDate& d, std::int64_t y) {
  static constexpr unsigned mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const std::int64_t first = days_from_civil(y, d.month, 1);
  const std::int64_t wd_first = ((first % 7) + 7 + 4) % 7;  // 0 = Sunday; 1970-01-01 a Thursday
  std::int64_t day = 1 + (static_cast<std::int64_t>(d.day) - wd_first + 7) % 7 +
                     (static_cast<std::int64_t>(d.week) - 1) * 7;
  const auto dim = static_cast<std::int64_t>(mdays[d.month - 1] + (d.month == 2 && is_leap(y)));
  while (day > dim) day -= 7;
  return (first + day - 1) * seconds_per_day + d.time;
}

std::int64_t rule_offset(const PosixRule& r, std::int64_t utc) {
  if (!r.dst_offset) return r.std_offset;
  const std::int64_t y = civil_from_days(day_of(utc + r.std_offset)).year;
  // The change to DST happens at a standard-time clock reading, the change back at a DST one.
  const std::int64_t start = rule_local_time(r.start, y) - r.std_offset;
  const std::int64_t end = rule_local_time(r.end, y) - *r.dst_offset;
  const bool dst = start < end ? (utc >= start && utc < end) : !(utc >= end && utc < start);
  return dst ? *r.dst_offset : r.std_offset;
}

// --- TZif --------------------------------------------------------------------------------------

struct TzifCounts {
  std::uint32_t isut, isstd, leap, time, type, chars;
  [[nodiscard]] std::size_t block_size(std::size_t time_size) const {
    return time * time_size + time + type * 6u + chars + leap * (time_size + 4) + isstd + isut;
  }
};

TzifCounts read_counts(std::string_view b, std::size_t pos, const std::string& name) {
  if (b.size() < pos + 44 || b.substr(pos, 4) != "TZif")
    detail::throw_invalid("wfm::TimeZone", "not a TZif file (RFC 8536)", name);
  return {be32(b, pos + 20), be32(b, pos + 24), be32(b, pos + 28),
          be32(b, pos + 32), be32(b, pos + 36), be32(b, pos + 40)};
}

}  // namespace

TimeZone::TimeZone() {
  static const std::shared_ptr<const Data> utc = [] {
    auto d = std::make_shared<Data>();
    d->name = "UTC";
    d->all_offsets = {0};
    return d;
  }();
  data_ = utc;
}

TimeZone::TimeZone(std::shared_ptr<const Data> data) : data_(std::move(data)) {}

TimeZone TimeZone::fixed(std::int64_t offset_s) {
  if (offset_s <= -26 * 3600 || offset_s >= 26 * 3600)
    detail::throw_invalid("wfm::TimeZone::fixed", "offset_s must be within +-26 h",
                          static_cast<double>(offset_s));
  auto d = std::make_shared<Data>();
  d->initial_offset = offset_s;
  d->all_offsets = {offset_s};
  return TimeZone(std::move(d));
}

std::string TimeZone::default_zoneinfo_dir() {
  const char* dir = std::getenv("TZDIR");
  return dir && *dir ? std::string(dir) : std::string("/usr/share/zoneinfo");
}

TimeZone TimeZone::locate(std::string_view name, const std::string& zoneinfo_dir) {
  const bool safe = !name.empty() && name.front() != '/' && name.find("..") == std::string_view::npos;
  if (!safe) detail::throw_invalid("wfm::TimeZone::locate", "not an IANA zone name", name);
  const std::string path = zoneinfo_dir + "/" + std::string(name);
  std::ifstream in(path, std::ios::binary);
  if (!in)
    detail::throw_invalid("wfm::TimeZone::locate",
                          fmt::format("unknown time zone (no file {}; Debian package tzdata)", path),
                          name);
  std::ostringstream ss;
  ss << in.rdbuf();
  return from_tzif(ss.str(), std::string(name));
}

TimeZone TimeZone::from_tzif(std::string_view b, std::string name) {
  TzifCounts c = read_counts(b, 0, name);
  std::size_t pos = 44, tsize = 4;
  if (b[4] >= '2') {  // skip the 32-bit block; use the 64-bit one (RFC 8536 section 3)
    pos += c.block_size(4);
    c = read_counts(b, pos, name);
    pos += 44;
    tsize = 8;
  }
  if (c.type == 0 || b.size() < pos + c.block_size(tsize))
    detail::throw_invalid("wfm::TimeZone", "truncated TZif file", name);
  auto d = std::make_shared<Data>();
  d->name = std::move(name);
  const std::size_t types_at = pos + c.time * tsize + c.time;
  auto type_offset = [&](std::size_t t) {
    if (t >= c.type) detail::throw_invalid("wfm::TimeZone", "bad local time type index", d->name);
    return be_signed(b, types_at + 6 * t, 4);
  };
  for (std::uint32_t i = 0; i < c.time; ++i) {
    d->transitions.push_back(be_signed(b, pos + i * tsize, tsize));
    d->offsets.push_back(type_offset(static_cast<unsigned char>(b[pos + c.time * tsize + i])));
  }
  d->initial_offset = type_offset(0);
  for (std::uint32_t t = 0; t < c.type; ++t) d->all_offsets.push_back(type_offset(t));
  if (tsize == 8) {  // footer: "\n<POSIX TZ string>\n"
    const std::size_t f = pos + c.block_size(8);
    if (f + 1 < b.size() && b[f] == '\n') {
      const std::size_t nl = b.find('\n', f + 1);
      if (nl != std::string_view::npos) d->rule = PosixParser(b.substr(f + 1, nl - f - 1)).parse();
    }
  }
  if (d->rule) {
    d->all_offsets.push_back(d->rule->std_offset);
    if (d->rule->dst_offset) d->all_offsets.push_back(*d->rule->dst_offset);
  }
  std::sort(d->all_offsets.begin(), d->all_offsets.end());
  d->all_offsets.erase(std::unique(d->all_offsets.begin(), d->all_offsets.end()),
                       d->all_offsets.end());
  return TimeZone(std::move(d));
}

const std::string& TimeZone::name() const noexcept { return data_->name; }

std::string TimeZone::label() const {
  return data_->name.empty() ? format_utc_offset(data_->initial_offset) : data_->name;
}

bool TimeZone::is_fixed() const noexcept { return data_->all_offsets.size() <= 1; }

std::int64_t TimeZone::offset_at(std::int64_t utc) const {
  const Data& d = *data_;
  if (d.transitions.empty() || utc < d.transitions.front())
    return d.transitions.empty() && d.rule ? rule_offset(*d.rule, utc) : d.initial_offset;
  if (utc >= d.transitions.back() && d.rule) return rule_offset(*d.rule, utc);
  const auto it = std::upper_bound(d.transitions.begin(), d.transitions.end(), utc);
  return d.offsets[static_cast<std::size_t>(it - d.transitions.begin()) - 1];
}

std::vector<std::int64_t> TimeZone::instants_of(std::int64_t local) const {
  std::vector<std::int64_t> out;
  for (std::int64_t off : data_->all_offsets)
    if (offset_at(local - off) == off) out.push_back(local - off);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::int64_t TimeZone::to_utc(std::int64_t local, Fold fold) const {
  const std::vector<std::int64_t> u = instants_of(local);
  if (u.empty())
    detail::throw_invalid("wfm::TimeZone::to_utc",
                          fmt::format("local time does not exist in {} (skipped by a clock change)",
                                      label()),
                          format_timestamp(local));
  if (u.size() > 1 && fold == Fold::error)
    detail::throw_invalid("wfm::TimeZone::to_utc",
                          fmt::format("local time is repeated in {} (clocks go back); give the "
                                      "UTC offset",
                                      label()),
                          format_timestamp(local));
  return fold == Fold::later ? u.back() : u.front();
}

std::string format_utc_offset(std::int64_t offset_s) {
  const char sign = offset_s < 0 ? '-' : '+';
  const std::int64_t a = offset_s < 0 ? -offset_s : offset_s;
  if (a % 60 != 0) return fmt::format("{}{:02d}:{:02d}:{:02d}", sign, a / 3600, a % 3600 / 60, a % 60);
  return fmt::format("{}{:02d}:{:02d}", sign, a / 3600, a % 3600 / 60);
}

}  // namespace wfm
