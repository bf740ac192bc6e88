#include <wfm/simulation/scenario.hpp>

#include <cmath>
#include <string>

#include <fmt/format.h>

#include <wfm/core/error.hpp>
#include <wfm/core/limits.hpp>

namespace wfm::simulation {

namespace {
constexpr std::string_view kWhere = "wfm::simulation";
}

Distribution Distribution::exponential(double mean) {
  detail::require_positive("wfm::simulation::Distribution::exponential", "mean [s]", mean);
  Distribution d;
  d.kind = DistributionKind::exponential;
  d.mean_value = mean;
  d.cv = 1.0;
  return d;
}

Distribution Distribution::lognormal(double mean, double cv) {
  detail::require_positive("wfm::simulation::Distribution::lognormal", "mean [s]", mean);
  detail::require_nonnegative("wfm::simulation::Distribution::lognormal", "cv", cv);
  Distribution d;
  d.kind = DistributionKind::lognormal;
  d.mean_value = mean;
  d.cv = cv;
  return d;
}

Distribution Distribution::empirical(std::vector<double> sample) {
  constexpr std::string_view where = "wfm::simulation::Distribution::empirical";
  if (sample.empty()) detail::throw_invalid(where, "sample must not be empty");
  double sum = 0.0;
  for (std::size_t i = 0; i < sample.size(); ++i)
    detail::require_nonnegative(where, fmt::format("sample[{}] [s]", i), sample[i]);
  for (double x : sample) sum += x;
  const double mean = sum / static_cast<double>(sample.size());
  if (!(mean > 0.0)) detail::throw_invalid(where, "sample mean must be > 0 [s]", mean);
  double ss = 0.0;
  for (double x : sample) ss += (x - mean) * (x - mean);
  Distribution d;
  d.kind = DistributionKind::empirical;
  d.mean_value = mean;
  d.cv = std::sqrt(ss / static_cast<double>(sample.size())) / mean;
  d.sample = std::move(sample);
  return d;
}

namespace {

void validate_distribution(const Distribution& d, std::string_view name, bool allow_none) {
  const std::string where = fmt::format("{}: {}", kWhere, name);
  switch (d.kind) {
    case DistributionKind::none:
      if (!allow_none) detail::throw_invalid(where, "kind must not be 'none'");
      return;
    case DistributionKind::exponential:
    case DistributionKind::lognormal:
      detail::require_positive(where, "mean [s]", d.mean_value);
      detail::require_nonnegative(where, "cv", d.cv);
      if (d.mean_value > limits::max_simulated_time)
        detail::throw_invalid(where, "mean [s] must be <= 1e9 (wfm::limits::max_simulated_time)",
                              d.mean_value);
      return;
    case DistributionKind::empirical: {
      if (d.sample.empty()) detail::throw_invalid(where, "empirical sample must not be empty");
      for (double x : d.sample) detail::require_nonnegative(where, "sample value [s]", x);
      detail::require_positive(where, "mean [s]", d.mean_value);
      return;
    }
  }
  detail::throw_invalid(where, "unknown distribution kind");
}

void validate_per_interval(const std::vector<double>& v, std::size_t n, std::string_view name) {
  if (v.empty()) return;
  if (v.size() != n)
    detail::throw_invalid(kWhere, fmt::format("{} must have one value per interval ({})", name, n),
                          static_cast<double>(v.size()));
  for (std::size_t i = 0; i < v.size(); ++i) {
    detail::require_positive(kWhere, fmt::format("{}[{}] [s]", name, i), v[i]);
    if (v[i] > limits::max_simulated_time)  // a clock + 1e308 s is inf: NaN waits
      detail::throw_invalid(kWhere,
                            fmt::format("{}[{}] [s] must be <= 1e9 (wfm::limits::max_simulated_time)",
                                        name, i),
                            v[i]);
  }
}

void validate_contact_features(const Scenario& s) {
  // Checked whether or not the features are on: a negative count is a mistake, never "off".
  if (s.lines < 0)
    detail::throw_invalid(kWhere, "lines must be >= 0 (0: no limit)", static_cast<double>(s.lines));
  if (s.reserve < 0) detail::throw_invalid(kWhere, "reserve must be >= 0", s.reserve);
  if (!s.uses_contact_features()) return;
  const auto& f = s.handle_time_factors;
  if (f.size() > 64)
    detail::throw_invalid(kWhere, "handle_time_factors: at most 64 (concurrency m <= 64)",
                          static_cast<double>(f.size()));
  for (std::size_t j = 0; j < f.size(); ++j) {
    detail::require_positive(kWhere, fmt::format("handle_time_factors[{}]", j), f[j]);
    if (f[j] > 1e6)
      detail::throw_invalid(kWhere, fmt::format("handle_time_factors[{}] must be <= 1e6", j), f[j]);
  }
  if (!(s.redial_probability >= 0.0 && s.redial_probability < 1.0))
    detail::throw_invalid(kWhere, "redial_probability must be in [0, 1)", s.redial_probability);
  if (s.redial_probability > 0.0) validate_distribution(s.redial_delay, "redial_delay", false);
  validate_distribution(s.outbound_handle_time, "outbound_handle_time", true);
  if (s.outbound_handle_time.kind != DistributionKind::none && f.size() > 1)
    detail::throw_invalid(kWhere,
                          "outbound_handle_time needs one contact per agent (handle_time_factors "
                          "of size <= 1)",
                          static_cast<double>(f.size()));
  if (std::holds_alternative<Roster>(s.staffing))
    detail::throw_invalid(kWhere,
                          "handle_time_factors, lines, redials and outbound work need staffing as "
                          "agents per interval, not a Roster");
}

}  // namespace

void validate(const Scenario& s) {
  detail::require_positive(kWhere, "interval_length [s]", s.interval_length);
  if (!(s.interval_length >= limits::min_interval_length))
    detail::throw_invalid(kWhere, "interval_length [s] must be >= 1 s "
                          "(wfm::limits::min_interval_length)", s.interval_length);
  const std::size_t n = s.arrival_rate.size();
  if (n == 0) detail::throw_invalid(kWhere, "arrival_rate must have at least one interval");
  for (std::size_t i = 0; i < n; ++i)
    detail::require_nonnegative(kWhere, fmt::format("arrival_rate[{}] [1/s]", i),
                                s.arrival_rate[i]);
  validate_distribution(s.handle_time, "handle_time", false);
  validate_distribution(s.patience, "patience", true);
  validate_per_interval(s.handle_time_mean, n, "handle_time_mean");
  validate_per_interval(s.patience_mean, n, "patience_mean");
  if (!s.patience_mean.empty() && s.patience.kind == DistributionKind::none)
    detail::throw_invalid(kWhere, "patience_mean given but the patience distribution is 'none'");
  detail::require_nonnegative(kWhere, "busyness.cv", s.busyness.cv);
  detail::require_positive(kWhere, "busyness.period_length [s]", s.busyness.period_length);
  const double horizon = s.horizon_length();
  if (!(horizon <= limits::max_simulated_time))
    detail::throw_invalid(kWhere,
                          fmt::format("interval_length [s] x {} intervals (the horizon) must be "
                                      "<= {:g} s (wfm::limits::max_simulated_time)",
                                      n, limits::max_simulated_time),
                          s.interval_length);
  for (std::size_t i = 0; i < s.arrival_times.size(); ++i) {
    const double t = s.arrival_times[i];
    if (!(t >= 0.0 && t < horizon))
      detail::throw_invalid(kWhere, fmt::format("arrival_times[{}] must be in [0, {}) [s]", i,
                                                horizon),
                            t);
    if (i > 0 && t < s.arrival_times[i - 1])
      detail::throw_invalid(kWhere, fmt::format("arrival_times must be sorted; arrival_times[{}]",
                                                i),
                            t);
  }
  validate_contact_features(s);
  if (const auto* agents = std::get_if<std::vector<int>>(&s.staffing)) {
    if (agents->size() != n)
      detail::throw_invalid(kWhere,
                            fmt::format("staffing must give agents for each interval ({})", n),
                            static_cast<double>(agents->size()));
    for (std::size_t i = 0; i < n; ++i)
      if ((*agents)[i] < 0)
        detail::throw_invalid(kWhere, fmt::format("agents[{}] must be >= 0", i), (*agents)[i]);
    return;
  }
  const auto& roster = std::get<Roster>(s.staffing);
  const bool cyclic = s.is_cyclic();
  if (cyclic && std::abs(roster.horizon_length - horizon) > 1e-6 * horizon)
    detail::throw_invalid(kWhere,
                          fmt::format("a cyclic roster's horizon_length must equal the scenario "
                                      "horizon {} [s]",
                                      horizon),
                          roster.horizon_length);
  for (std::size_t i = 0; i < roster.shifts.size(); ++i) {
    const ShiftSpan& sh = roster.shifts[i];
    const std::string name = fmt::format("roster.shifts[{}]", i);
    if (!std::isfinite(sh.start) || !std::isfinite(sh.end) || !(sh.end > sh.start))
      detail::throw_invalid(kWhere, name + ": end must be finite and > start [s]", sh.end);
    if (sh.agents < 0) detail::throw_invalid(kWhere, name + ": agents must be >= 0", sh.agents);
    if (cyclic && (sh.end - sh.start > horizon || sh.start < 0.0 || sh.start >= horizon))
      detail::throw_invalid(kWhere,
                            name + ": a cyclic shift must start in [0, horizon) and last at most "
                                   "the horizon [s]",
                            sh.start);
    for (std::size_t b = 0; b < sh.breaks.size(); ++b) {
      const BreakSpan& br = sh.breaks[b];
      if (!(br.start >= sh.start && br.start < sh.end) || !(br.length >= 0.0) ||
          !std::isfinite(br.length))
        detail::throw_invalid(kWhere,
                              fmt::format("{}.breaks[{}]: start must lie in the shift and length "
                                          "be finite and >= 0 [s]",
                                          name, b),
                              br.start);
    }
  }
}

}  // namespace wfm::simulation
