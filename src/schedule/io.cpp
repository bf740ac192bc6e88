#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <wfm/core/csv.hpp>
#include <wfm/core/error.hpp>
#include <wfm/schedule/grid.hpp>
#include <wfm/schedule/io.hpp>

namespace wfm::schedule {
namespace {

using json = nlohmann::json;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) detail::throw_invalid(path, "cannot open the file for reading");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

[[noreturn]] void bad(const std::string& src, const std::string& field, std::string_view msg) {
  detail::throw_invalid(fmt::format("{}: field '{}'", src, field), msg);
}

double num(const json& j, const std::string& src, const std::string& field) {
  if (!j.is_number()) bad(src, field, "must be a number");
  return j.get<double>();
}
int integer(const json& j, const std::string& src, const std::string& field) {
  const double v = num(j, src, field);
  if (v != std::floor(v) || std::abs(v) > 1e9) bad(src, field, fmt::format("must be an integer, got {}", v));
  return static_cast<int>(v);
}
template <class T>
T get_or(const json& obj, const char* key, T dflt, const std::string& src, const std::string& prefix) {
  if (!obj.contains(key)) return dflt;
  const std::string field = prefix + key;
  if constexpr (std::is_same_v<T, bool>) {
    if (!obj[key].is_boolean()) bad(src, field, "must be true or false");
    return obj[key].get<bool>();
  } else if constexpr (std::is_same_v<T, int>) {
    return integer(obj[key], src, field);
  } else {
    return num(obj[key], src, field);
  }
}

}  // namespace

CoverageModel parse_model_json(std::string_view text, const std::string& src) {
  json j;
  try {
    j = json::parse(text.begin(), text.end());
  } catch (const json::exception& e) {  // parse errors, and number overflow (out_of_range 406)
    detail::throw_invalid(src, fmt::format("not valid JSON: {}", e.what()));
  }
  if (!j.is_object()) detail::throw_invalid(src, "the model must be a JSON object");
  CoverageModel m;
  if (j.contains("interval_length_s")) m.interval_length = num(j["interval_length_s"], src, "interval_length_s");
  else if (j.contains("interval_minutes")) m.interval_length = 60.0 * num(j["interval_minutes"], src, "interval_minutes");
  m.cyclic = get_or<bool>(j, "cyclic", false, src, "");
  const char* rkey = j.contains("requirement") ? "requirement" : "demand";
  if (j.contains(rkey)) {
    if (!j[rkey].is_array()) bad(src, rkey, "must be an array of agents per interval");
    for (std::size_t i = 0; i < j[rkey].size(); ++i)
      m.requirement.push_back(num(j[rkey][i], src, fmt::format("{}[{}]", rkey, i)));
  }
  if (j.contains("num_intervals") && !m.requirement.empty()) {
    const int n = integer(j["num_intervals"], src, "num_intervals");
    if (n != m.num_intervals())
      bad(src, "num_intervals", fmt::format("is {} but {} has {} values", n, rkey, m.requirement.size()));
  }
  m.cover.hard_cover = get_or<bool>(j, "hard_cover", true, src, "");
  m.cover.under_cost = get_or<double>(j, "under_cost", 0.0, src, "");
  m.cover.over_cost = get_or<double>(j, "over_cost", 0.0, src, "");
  m.min_headcount = get_or<int>(j, "min_headcount", 0, src, "");
  m.max_headcount = get_or<int>(j, "max_headcount", -1, src, "");
  const char* tkey = j.contains("templates") ? "templates" : "shift_templates";
  if (!j.contains(tkey) || !j[tkey].is_array()) bad(src, "shift_templates", "must be an array of templates");
  for (std::size_t t = 0; t < j[tkey].size(); ++t) {
    const json& jt = j[tkey][t];
    const std::string p = fmt::format("{}[{}].", tkey, t);
    if (!jt.is_object()) bad(src, p, "must be an object");
    ShiftTemplate st;
    st.name = jt.contains("name") && jt["name"].is_string() ? jt["name"].get<std::string>() : fmt::format("T{}", t);
    if (!jt.contains("length")) bad(src, p + "length", "is required");
    st.length = integer(jt["length"], src, p + "length");
    st.paid_length = get_or<double>(jt, "paid", -1.0, src, p);
    st.cost = get_or<double>(jt, "cost", static_cast<double>(st.length), src, p);
    st.fixed_cost = get_or<double>(jt, "fixed_cost", 0.0, src, p);
    st.max_agents = get_or<int>(jt, "max_agents", -1, src, p);
    st.max_agents_per_start = get_or<int>(jt, "max_agents_per_start", -1, src, p);
    if (!jt.contains("starts")) bad(src, p + "starts", "is required");
    const json& js = jt["starts"];
    if (js.is_array()) {
      for (std::size_t q = 0; q < js.size(); ++q) st.starts.push_back(integer(js[q], src, fmt::format("{}starts[{}]", p, q)));
    } else if (js.is_object()) {
      const int from = get_or<int>(js, "from", 0, src, p + "starts.");
      const int to = get_or<int>(js, "to", from, src, p + "starts.");
      const int step = get_or<int>(js, "step", 1, src, p + "starts.");
      if (step < 1) bad(src, p + "starts.step", "must be >= 1");
      for (int s = from; s <= to; s += step) st.starts.push_back(s);
    } else {
      bad(src, p + "starts", "must be an array or {\"from\", \"to\", \"step\"}");
    }
    if (jt.contains("breaks")) {
      if (!jt["breaks"].is_array()) bad(src, p + "breaks", "must be an array");
      for (std::size_t k = 0; k < jt["breaks"].size(); ++k) {
        const json& jb = jt["breaks"][k];
        const std::string q = fmt::format("{}breaks[{}].", p, k);
        BreakWindow b;
        b.length = get_or<int>(jb, "length", 1, src, q);
        b.earliest_offset = get_or<int>(jb, "earliest_offset", 0, src, q);
        b.latest_offset = get_or<int>(jb, "latest_offset", b.earliest_offset, src, q);
        st.breaks.push_back(b);
      }
    }
    m.templates.push_back(std::move(st));
  }
  return m;
}

CoverageModel read_model_json(const std::string& path) { return parse_model_json(slurp(path), path); }

CoverageModel parse_msd_dzn(std::string_view text, const std::string& src) {
  // key = value; with value a number or [n, n, ...]; '%' starts a comment.
  std::map<std::string, std::vector<double>> kv;
  std::string s(text);
  std::size_t pos = 0;
  while (pos < s.size()) {
    const std::size_t eq = s.find('=', pos);
    if (eq == std::string::npos) break;
    const std::size_t semi = s.find(';', eq);
    if (semi == std::string::npos) detail::throw_invalid(src, "missing ';' after a value");
    std::string key = s.substr(pos, eq - pos);
    std::string val = s.substr(eq + 1, semi - eq - 1);
    pos = semi + 1;
    auto trim = [](std::string& x) {
      while (!x.empty() && std::isspace(static_cast<unsigned char>(x.back()))) x.pop_back();
      std::size_t b = 0;
      while (b < x.size() && std::isspace(static_cast<unsigned char>(x[b]))) ++b;
      x.erase(0, b);
    };
    trim(key);
    std::vector<double> vals;
    for (char& c : val)
      if (c == '[' || c == ']' || c == ',') c = ' ';
    std::istringstream is(val);
    std::string tok;
    while (is >> tok) {
      try {
        vals.push_back(std::stod(tok));
      } catch (const std::exception&) {
        bad(src, key, fmt::format("not a number: '{}'", tok));
      }
    }
    kv[key] = std::move(vals);
  }
  auto get = [&](const char* k) -> const std::vector<double>& {
    auto it = kv.find(k);
    if (it == kv.end() || it->second.empty()) bad(src, k, "is required");
    return it->second;
  };
  // Every count or index must be a whole number in a sane range before it becomes an int (the
  // fuzz target found days = 1.1e47 cast to int: undefined behaviour).
  auto whole = [&](const char* k, double v, double lo, double hi) -> int {
    if (!(v >= lo && v <= hi && v == std::floor(v)))
      bad(src, k, fmt::format("must be a whole number in [{:g}, {:g}], got {:g}", lo, hi, v));
    return static_cast<int>(v);
  };
  const double interval = whole("interval", get("interval")[0], 1.0, 1440.0);
  const int days = whole("days", get("days")[0], 1.0, 3660.0);
  if (std::fmod(1440.0, interval) != 0.0) bad(src, "interval", "must divide 1440 minutes");
  const int per_day = static_cast<int>(1440.0 / interval);
  CoverageModel m;
  m.interval_length = 60.0 * interval;
  m.cyclic = true;
  m.requirement = get("demand");
  if (m.num_intervals() != days * per_day)
    bad(src, "demand", fmt::format("has {} values, expected days * 1440 / interval = {}", m.requirement.size(), days * per_day));
  const auto& min_start = get("minStart");
  const auto& max_start = get("maxStart");
  const auto& min_len = get("minLength");
  const auto& max_len = get("maxLength");
  const std::size_t types = static_cast<std::size_t>(whole("shiftTypes", get("shiftTypes")[0], 1.0, 1e4));
  if (min_start.size() != types || max_start.size() != types || min_len.size() != types || max_len.size() != types)
    bad(src, "minStart/maxStart/minLength/maxLength", "must have shiftTypes entries");
  m.cover.hard_cover = false;
  m.cover.under_cost = get("weightUnderCover")[0] * interval;
  m.cover.over_cost = get("weightOverCover")[0] * interval;
  const double fixed = get("weightShiftInstances")[0];
  std::set<std::pair<int, int>> seen;
  const double slots = static_cast<double>(days) * per_day;
  for (std::size_t t = 0; t < types; ++t)
    for (int st = whole("minStart", min_start[t], 0.0, slots); st <= whole("maxStart", max_start[t], 0.0, slots); ++st)
      for (int len = whole("minLength", min_len[t], 1.0, slots); len <= whole("maxLength", max_len[t], 1.0, slots); ++len) {
        if (!seen.insert({st, len}).second) continue;
        ShiftTemplate tp;
        const int minute = static_cast<int>(st * interval);
        tp.name = fmt::format("{:02d}:{:02d}+{}", minute / 60 % 24, minute % 60, len);
        tp.length = len;
        tp.cost = 0.0;
        tp.fixed_cost = fixed;
        for (int d = 0; d < days; ++d) tp.starts.push_back(((d * per_day + st) % m.num_intervals() + m.num_intervals()) % m.num_intervals());
        std::sort(tp.starts.begin(), tp.starts.end());
        m.templates.push_back(std::move(tp));
      }
  return m;
}

CoverageModel read_msd_dzn(const std::string& path) { return parse_msd_dzn(slurp(path), path); }

std::vector<double> read_requirement_csv(const std::string& path, const std::string& column) {
  const CsvTable t = read_csv(path);
  const std::size_t c = t.column(column);
  std::vector<double> out;
  for (std::size_t r = 0; r < t.row_count(); ++r) {
    const double v = t.number(r, c);
    if (v < 0) t.fail(r, c, fmt::format("requirement must be >= 0, got {}", v));
    out.push_back(v);
  }
  return out;
}

std::string schedule_to_json(const CoverageModel& m, const Schedule& s) {
  validate_schedule(m, s, "wfm::schedule::schedule_to_json");
  json j;
  j["status"] = std::string(to_string(s.status));
  j["message"] = s.message;
  auto finite = [](double v) { return std::isfinite(v) ? json(v) : json(nullptr); };
  j["cost"] = finite(s.cost);
  j["shift_cost"] = s.shift_cost;
  j["penalty_cost"] = s.penalty_cost;
  j["fixed_cost"] = s.fixed_cost;
  j["lower_bound"] = finite(s.lower_bound);
  j["lp_bound"] = finite(s.lp_bound);
  j["gap"] = finite(s.gap);
  j["headcount"] = s.headcount;
  j["seconds"] = s.seconds;
  j["interval_length_s"] = m.interval_length;
  j["uncoverable"] = s.uncoverable;
  json shifts = json::array();
  for (const auto& a : s.shifts) {
    const auto& t = m.templates[static_cast<std::size_t>(a.template_index)];
    json js;
    js["template"] = t.name;
    js["template_index"] = a.template_index;
    js["start"] = a.start;
    js["start_s"] = a.start * m.interval_length;
    js["agents"] = a.agents;
    json br = json::array();
    for (std::size_t k = 0; k < a.break_agents.size(); ++k) {
      json pl = json::array();
      for (std::size_t p = 0; p < a.break_agents[k].size(); ++p)
        if (a.break_agents[k][p] > 0)
          pl.push_back({{"offset", t.breaks[k].earliest_offset + static_cast<int>(p)}, {"agents", a.break_agents[k][p]}});
      br.push_back(pl);
    }
    js["breaks"] = br;
    shifts.push_back(js);
  }
  j["shifts"] = shifts;
  j["requirement"] = m.requirement;
  j["coverage"] = s.coverage;
  j["under"] = s.under;
  j["over"] = s.over;
  return j.dump(1) + "\n";
}

// Without a grid: a naive grid from 1970-01-01 00:00, so that times read as elapsed time.
std::string schedule_to_csv(const CoverageModel& m, const Schedule& s) {
  return schedule_to_csv(m, s, IntervalGrid::naive(0, std::llround(m.interval_length),
                                                   m.requirement.size()));
}

std::string coverage_to_csv(const CoverageModel& m, const Schedule& s) {
  return coverage_to_csv(m, s, IntervalGrid::naive(0, std::llround(m.interval_length),
                                                   m.requirement.size()));
}

}  // namespace wfm::schedule
