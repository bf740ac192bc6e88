// Plan versus actual (see include/wfm/kpi/plan_vs_actual.hpp for every definition).
#include <wfm/kpi/plan_vs_actual.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <unordered_map>

#include <wfm/core/calendar.hpp>
#include <wfm/core/csv.hpp>
#include <wfm/core/error.hpp>
#include <wfm/kpi/io.hpp>

namespace wfm::kpi {
namespace {

constexpr std::string_view kWhere = "wfm::kpi::plan_vs_actual";

// An optional column: empty, or as long as the timestamps, without NaN.
void check_optional(std::string_view side, std::string_view name, const std::vector<double>& v,
                    std::size_t n) {
  if (v.empty()) return;
  if (v.size() != n)
    detail::throw_invalid(kWhere, fmt::format("{}.{} has {} entries, timestamp has {}", side,
                                              name, v.size(), n));
  for (std::size_t i = 0; i < n; ++i)
    if (std::isnan(v[i]))
      detail::throw_invalid(kWhere, fmt::format("{}.{}[{}] is NaN", side, name, i));
}

// A required column: as long as the timestamps; volumes finite >= 0, service levels in [0, 1].
void check_required(std::string_view side, std::string_view name, const std::vector<double>& v,
                    std::size_t n, bool fraction) {
  if (v.size() != n)
    detail::throw_invalid(kWhere, fmt::format("{}.{} has {} entries, timestamp has {}", side,
                                              name, v.size(), n));
  for (std::size_t i = 0; i < n; ++i) {
    const bool ok = fraction ? (v[i] >= 0.0 && v[i] <= 1.0) : (v[i] >= 0.0 && std::isfinite(v[i]));
    if (!ok)
      detail::throw_invalid(kWhere,
                            fmt::format("{}.{}[{}] must be {}", side, name, i,
                                        fraction ? "in [0, 1]" : "finite and >= 0"),
                            v[i]);
  }
}

// Row of each timestamp; a repeated one is an error naming it.
std::unordered_map<std::int64_t, std::size_t> index_of(std::string_view side,
                                                       const std::vector<std::int64_t>& t) {
  std::unordered_map<std::int64_t, std::size_t> at;
  at.reserve(t.size());
  for (std::size_t i = 0; i < t.size(); ++i)
    if (!at.emplace(t[i], i).second)
      detail::throw_invalid(kWhere, fmt::format("{}.timestamp[{}] = {} repeats row {}", side, i,
                                                format_timestamp(t[i]), at[t[i]]));
  return at;
}

// sum_i w_i x_i / sum_i w_i; the limit value 1 (an interval without contacts) when sum w = 0.
double weighted(const std::vector<double>& x, const std::vector<double>& w) {
  double num = 0.0, den = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    num += x[i] * w[i];
    den += w[i];
  }
  return den > 0.0 ? num / den : 1.0;
}

std::string fmt_double(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return fmt::format("{:.10g}", v);
}

}  // namespace

std::vector<std::pair<std::string_view, const std::vector<double>*>> PlanVsActual::columns()
    const {
  const std::pair<std::string_view, const std::vector<double>*> all[] = {
      {"planned_volume", &planned_volume},
      {"volume", &volume},
      {"forecast_error", &forecast_error},
      {"planned_aht_s", &planned_aht_s},
      {"aht_s", &aht_s},
      {"agents_required", &agents_required},
      {"agents", &agents},
      {"planned_service_level", &planned_service_level},
      {"service_level", &service_level},
      {"service_level_gap", &service_level_gap},
      {"asa_s", &asa_s},
      {"abandon_rate", &abandon_rate},
      {"occupancy", &occupancy}};
  // Required columns always (also for an empty plan), optional ones when given.
  const auto required = [&](const std::vector<double>* c) {
    return c == &planned_volume || c == &volume || c == &forecast_error ||
           c == &planned_service_level || c == &service_level || c == &service_level_gap;
  };
  std::vector<std::pair<std::string_view, const std::vector<double>*>> out;
  for (const auto& c : all)
    if (required(c.second) || !c.second->empty()) out.push_back(c);
  return out;
}

MeasuredIntervals measured_intervals(const ContactKpis& kpis, const ServiceLevelKey& key) {
  const auto it = std::find_if(kpis.service_levels.begin(), kpis.service_levels.end(),
                               [&](const ServiceLevelKey& k) {
                                 return k.definition == key.definition &&
                                        k.target_time_s == key.target_time_s;
                               });
  if (it == kpis.service_levels.end()) {
    std::vector<std::string> have;
    for (const ServiceLevelKey& k : kpis.service_levels) have.push_back(service_level_column(k));
    detail::throw_invalid("wfm::kpi::measured_intervals",
                          fmt::format("the KPIs have no '{}' series (they have: {})",
                                      service_level_column(key), fmt::join(have, ", ")));
  }
  const auto j = static_cast<std::size_t>(it - kpis.service_levels.begin());
  MeasuredIntervals m;
  for (const IntervalKpis& r : kpis.intervals) {
    m.timestamp.push_back(r.timestamp);
    m.volume.push_back(r.volume);
    m.service_level.push_back(r.service_level.at(j));
    m.aht_s.push_back(r.aht_s);
    m.asa_s.push_back(r.asa_s);
    m.abandon_rate.push_back(r.abandon_rate);
    if (kpis.has_occupancy) m.occupancy.push_back(r.occupancy);
  }
  return m;
}

PlanVsActual plan_vs_actual(const PlanIntervals& plan, const MeasuredIntervals& actual) {
  const std::size_t n = plan.timestamp.size(), m = actual.timestamp.size();
  check_required("plan", "planned_volume", plan.planned_volume, n, false);
  check_required("plan", "planned_service_level", plan.planned_service_level, n, true);
  check_optional("plan", "planned_aht_s", plan.planned_aht_s, n);
  check_optional("plan", "agents_required", plan.agents_required, n);
  check_optional("plan", "agents", plan.agents, n);
  check_required("actual", "volume", actual.volume, m, false);
  check_required("actual", "service_level", actual.service_level, m, true);
  for (const auto& [name, col] : {std::pair{"aht_s", &actual.aht_s}, {"asa_s", &actual.asa_s},
                                  {"abandon_rate", &actual.abandon_rate},
                                  {"occupancy", &actual.occupancy}})
    check_optional("actual", name, *col, m);
  const auto plan_row = index_of("plan", plan.timestamp);
  const auto actual_row = index_of("actual", actual.timestamp);

  PlanVsActual r;
  r.timestamp = plan.timestamp;
  r.planned_volume = plan.planned_volume;
  r.planned_service_level = plan.planned_service_level;
  r.planned_aht_s = plan.planned_aht_s;
  r.agents_required = plan.agents_required;
  r.agents = plan.agents;
  // A plan interval without a measured row: volume 0 and the limit values (contacts.hpp).
  const auto measured = [&](const std::vector<double>& col, double limit,
                            std::vector<double>& out) {
    if (col.empty()) return;
    out.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const auto at = actual_row.find(plan.timestamp[i]);
      out[i] = at == actual_row.end() ? limit : col[at->second];
    }
  };
  measured(actual.volume, 0.0, r.volume);
  measured(actual.service_level, 1.0, r.service_level);
  measured(actual.aht_s, 0.0, r.aht_s);
  measured(actual.asa_s, 0.0, r.asa_s);
  measured(actual.abandon_rate, 0.0, r.abandon_rate);
  measured(actual.occupancy, 0.0, r.occupancy);
  r.volume.resize(n);  // (also when nothing was measured at all)
  r.service_level.resize(n, 1.0);
  double abs_error = 0.0;
  r.forecast_error.resize(n);
  r.service_level_gap.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    r.forecast_error[i] = r.volume[i] - r.planned_volume[i];
    r.service_level_gap[i] = r.service_level[i] - r.planned_service_level[i];
    abs_error += std::abs(r.forecast_error[i]);
    r.total_volume += r.volume[i];
    r.total_planned_volume += r.planned_volume[i];
  }
  for (std::size_t k = 0; k < m; ++k)
    if (plan_row.find(actual.timestamp[k]) == plan_row.end())
      r.unplanned_volume += actual.volume[k];
  // WAPE (Kolassa & Schuetz 2007): sum |A - F| / sum A; limits 0 (nothing at all) and +inf.
  r.wape = r.total_volume > 0.0 ? abs_error / r.total_volume
           : abs_error == 0.0   ? 0.0
                                : std::numeric_limits<double>::infinity();
  r.overall_service_level = weighted(r.service_level, r.volume);
  r.overall_planned_service_level = weighted(r.planned_service_level, r.planned_volume);
  r.overall_service_level_gap = r.overall_service_level - r.overall_planned_service_level;
  return r;
}

namespace {

// One plan file (staffing.csv's shape).
PlanIntervals read_plan_file(const std::string& path) {
  const CsvTable t = read_csv(path);
  const std::size_t c_t = t.column("timestamp"), c_v = t.column("volume"),
                    c_sl = t.column("service_level");
  const auto c_aht = t.find_column("aht_s"), c_req = t.find_column("agents_required"),
             c_agents = t.find_column("agents");
  PlanIntervals p;
  for (std::size_t i = 0; i < t.row_count(); ++i) {
    p.timestamp.push_back(t.instant(i, c_t).local);
    p.planned_volume.push_back(t.number(i, c_v));
    p.planned_service_level.push_back(t.number(i, c_sl));
    if (c_aht) p.planned_aht_s.push_back(t.number(i, *c_aht));
    if (c_req) p.agents_required.push_back(t.number(i, *c_req));
    if (c_agents) p.agents.push_back(t.number(i, *c_agents));
  }
  // Name the file and line of a bad value (plan_vs_actual would name the index only).
  std::unordered_map<std::int64_t, std::size_t> seen;
  for (std::size_t i = 0; i < p.timestamp.size(); ++i) {
    const auto bad = [&](std::size_t col, std::string_view what) {
      detail::throw_invalid(fmt::format("{}, line {}, column '{}'", path, CsvTable::line_of(i),
                                        t.header()[col]),
                            fmt::format("{}: '{}'", what, t.text(i, col)));
    };
    if (p.planned_volume[i] < 0.0) bad(c_v, "a volume must be >= 0");
    if (p.planned_service_level[i] < 0.0 || p.planned_service_level[i] > 1.0)
      bad(c_sl, "a service level must be a fraction in [0, 1]");
    if (const auto [at, fresh] = seen.emplace(p.timestamp[i], i); !fresh)
      bad(c_t, fmt::format("the timestamp repeats line {}", CsvTable::line_of(at->second)));
  }
  return p;
}

}  // namespace

PlanIntervals read_plan(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return read_plan_file(path);
  const std::string staffing = (fs::path(path) / "staffing.csv").string();
  const std::string coverage = (fs::path(path) / "coverage.csv").string();
  if (!fs::exists(staffing, ec))
    detail::throw_invalid(path, "a plan folder must hold staffing.csv (as wfm-plan writes it)");
  PlanIntervals p = read_plan_file(staffing);
  if (!fs::exists(coverage, ec) || !p.agents.empty()) return p;
  const CsvTable t = read_csv(coverage);
  const auto c_agents = t.find_column("agents");
  if (!c_agents) return p;
  const std::size_t c_t = t.column("timestamp");
  std::unordered_map<std::int64_t, std::size_t> row;
  for (std::size_t i = 0; i < p.timestamp.size(); ++i) row.emplace(p.timestamp[i], i);
  p.agents.assign(p.timestamp.size(), 0.0);  // an interval without a coverage row: no agents
  for (std::size_t i = 0; i < t.row_count(); ++i) {
    const auto at = row.find(t.instant(i, c_t).local);
    if (at != row.end()) p.agents[at->second] = t.number(i, *c_agents);
  }
  return p;
}

std::string to_csv(const PlanVsActual& r) {
  const auto cols = r.columns();
  std::string out = "timestamp";
  for (const auto& c : cols) fmt::format_to(std::back_inserter(out), ",{}", c.first);
  out += '\n';
  for (std::size_t i = 0; i < r.timestamp.size(); ++i) {
    out += format_timestamp(r.timestamp[i]);
    for (const auto& c : cols) {
      out += ',';
      out += fmt_double((*c.second)[i]);
    }
    out += '\n';
  }
  return out;
}

}  // namespace wfm::kpi
