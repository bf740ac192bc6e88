#include <fmt/format.h>

#include <cmath>
#include <string>
#include <string_view>
#include <wfm/core/error.hpp>
#include <wfm/core/limits.hpp>
#include <wfm/schedule/model.hpp>

namespace wfm::schedule {
namespace {

/// A cost coefficient: finite, >= 0 and <= limits::max_cost (see wfm/core/limits.hpp).
void require_cost(std::string_view where, const std::string& name, double c) {
  if (!(c >= 0.0 && c <= limits::max_cost))
    detail::throw_invalid(where,
                          fmt::format("{} must be in [0, {:g}] (wfm::limits::max_cost)", name,
                                      limits::max_cost),
                          c);
}

}  // namespace

void validate(const CoverageModel& m) {
  using detail::throw_invalid;
  constexpr std::string_view where = "wfm::schedule::CoverageModel";
  detail::require_positive(where, "interval_length [s]", m.interval_length);
  const int n = m.num_intervals();
  if (n == 0) throw_invalid(where, "requirement must have at least one interval");
  double total = 0.0;
  for (int i = 0; i < n; ++i) {
    const double r = m.requirement[static_cast<std::size_t>(i)];
    if (!(r >= 0.0 && r <= limits::max_requirement))
      throw_invalid(where,
                    fmt::format("requirement[{}] must be in [0, {:g}] agents "
                                "(wfm::limits::max_requirement)",
                                i, limits::max_requirement),
                    r);
    total += std::ceil(r);
  }
  if (total > limits::max_total_requirement)
    throw_invalid(where,
                  fmt::format("requirement sums to {:g} agent-intervals; at most {:g} are "
                              "supported (wfm::limits::max_total_requirement)",
                              total, limits::max_total_requirement),
                  total);
  if (m.templates.empty()) throw_invalid(where, "templates must not be empty (no shift templates)");
  require_cost(where, "cover.under_cost", m.cover.under_cost);
  require_cost(where, "cover.over_cost", m.cover.over_cost);
  if (m.min_headcount < 0 || m.min_headcount > limits::max_total_requirement)
    throw_invalid(where, "min_headcount must be in [0, 1e9] (wfm::limits::max_total_requirement)",
                  m.min_headcount);
  if (m.max_headcount < -1)
    throw_invalid(where, "max_headcount must be >= 0, or -1 for no limit", m.max_headcount);
  if (m.max_headcount >= 0 && m.max_headcount < m.min_headcount)
    throw_invalid(where, fmt::format("max_headcount must be >= min_headcount ({})", m.min_headcount),
                  m.max_headcount);
  for (std::size_t t = 0; t < m.templates.size(); ++t) {
    const ShiftTemplate& st = m.templates[t];
    const std::string f = fmt::format("templates[{}]", t);
    if (st.length < 1) throw_invalid(where, f + ".length must be >= 1 [intervals]", st.length);
    if (!m.cyclic && st.length > n)
      throw_invalid(where, fmt::format("{}.length must be <= the horizon ({} intervals)", f, n),
                    st.length);
    if (m.cyclic && st.length > n)
      throw_invalid(where, fmt::format("{}.length must be <= the cycle ({} intervals)", f, n),
                    st.length);
    if (std::isnan(st.paid_length) || st.paid_length > st.length)
      throw_invalid(where, f + ".paid_length must be <= length (or < 0 for = length)",
                    st.paid_length);
    require_cost(where, f + ".cost", st.cost);
    require_cost(where, f + ".fixed_cost", st.fixed_cost);
    if (st.max_agents_per_start < -1)
      throw_invalid(where, f + ".max_agents_per_start must be >= 0, or -1 for no limit",
                    st.max_agents_per_start);
    if (st.max_agents < -1)
      throw_invalid(where, f + ".max_agents must be >= 0, or -1 for no limit", st.max_agents);
    if (st.starts.empty()) throw_invalid(where, f + ".starts must not be empty");
    for (std::size_t j = 0; j < st.starts.size(); ++j) {
      const int s = st.starts[j];
      if (s < 0 || s >= n)
        throw_invalid(where,
                      fmt::format("{}.starts[{}] must be a start interval in [0, {})", f, j, n), s);
      if (j > 0 && s <= st.starts[j - 1])
        throw_invalid(where, fmt::format("{}.starts must be strictly increasing (starts[{}])", f, j),
                      s);
    }
    int prev_end = 0;
    for (std::size_t k = 0; k < st.breaks.size(); ++k) {
      const BreakWindow& b = st.breaks[k];
      const std::string g = fmt::format("{}.breaks[{}]", f, k);
      if (b.length < 1) throw_invalid(where, g + ".length must be >= 1 [intervals]", b.length);
      if (b.earliest_offset < 0)
        throw_invalid(where, g + ".earliest_offset must be >= 0", b.earliest_offset);
      if (b.latest_offset < b.earliest_offset)
        throw_invalid(where, fmt::format("{}.latest_offset must be >= earliest_offset ({})", g,
                                         b.earliest_offset),
                      b.latest_offset);
      if (b.latest_offset + b.length > st.length)
        throw_invalid(where,
                      fmt::format("{}: the break window lies outside its shift: latest_offset + "
                                  "length must be <= the shift length {}",
                                  g, st.length),
                      b.latest_offset + b.length);
      if (k > 0 && b.earliest_offset < prev_end)
        throw_invalid(where,
                      fmt::format("{}.earliest_offset must be >= {} (break windows of a template "
                                  "must be ordered and disjoint)",
                                  g, prev_end),
                      b.earliest_offset);
      prev_end = b.latest_offset + b.length;
    }
  }
}

bool break_free(const CoverageModel& m) noexcept {
  for (const auto& t : m.templates)
    if (!t.breaks.empty()) return false;
  return true;
}

}  // namespace wfm::schedule
