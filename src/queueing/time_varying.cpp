// Time-varying load: offered load, SIPP / lagged SIPP / MOL staffing and the uniformization
// evaluator (formulas and sources: include/wfm/queueing/time_varying.hpp).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <wfm/core/error.hpp>
#include <wfm/queueing/birth_death.hpp>
#include <wfm/queueing/erlang_a.hpp>
#include <wfm/queueing/erlang_c.hpp>
#include <wfm/queueing/time_varying.hpp>

namespace wfm::queueing {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

void validate_rates(std::string_view where, std::span<const double> rates, double interval_length,
                    double handle_time) {
  wfm::detail::require_positive(where, "interval_length [s]", interval_length);
  if (!std::isfinite(interval_length))
    wfm::detail::throw_invalid(where, "interval_length [s] must be finite", interval_length);
  wfm::detail::require_positive(where, "handle_time [s]", handle_time);
  if (!std::isfinite(handle_time))
    wfm::detail::throw_invalid(where, "handle_time [s] must be finite", handle_time);
  for (std::size_t i = 0; i < rates.size(); ++i)
    if (!(rates[i] >= 0.0) || !std::isfinite(rates[i]))
      wfm::detail::throw_invalid(where, fmt::format("arrival_rates[{}] must be finite and >= 0 "
                                                    "[1/s]", i), rates[i]);
}

/// Piecewise-constant arrivals: rate(j) on [j L, (j + 1) L), `before` for t < 0.
struct Arrivals {
  std::span<const double> rates;
  double length;
  double before;
  [[nodiscard]] double rate(std::int64_t j) const {
    if (j < 0) return before;
    return rates[static_cast<std::size_t>(std::min<std::int64_t>(
        j, static_cast<std::int64_t>(rates.size()) - 1))];
  }
  [[nodiscard]] std::int64_t index(double t) const {
    return static_cast<std::int64_t>(std::floor(t / length));
  }
  /// integral of lambda(u) f(u) du over [a, b] for a linear f (f(a), f(b) given): exact,
  /// piece by piece (the trapezoid rule is exact for a constant times a linear function).
  template <class F>
  [[nodiscard]] double integrate(double a, double b, F&& f) const {
    if (!(b > a)) return 0.0;
    double total = 0.0;
    double x = a;
    if (x < 0.0) {
      const double y = std::min(b, 0.0);
      total += before * (y - x) * 0.5 * (f(x) + f(y));
      x = y;
    }
    const auto n = static_cast<std::int64_t>(rates.size());
    for (std::int64_t j = index(x); x < b && j < n; ++j) {
      const double y = std::min(b, static_cast<double>(j + 1) * length);
      if (y > x) total += rate(j) * (y - x) * 0.5 * (f(x) + f(y));
      x = y;
    }
    return total;
  }
};

/// integral of lambda over [a, b].
double window_integral(const Arrivals& arr, double a, double b) {
  return arr.integrate(a, b, [](double) { return 1.0; });
}

/// Mean over [t0, t1] of m(t) = integral_{t-D}^{t} lambda: integral lambda(u) w(u) du, with
/// w(u) = |[max(t0, u), min(t1, u + D)]|^+, linear between its breakpoints t0 - D, t1 - D, t0.
double deterministic_mean(const Arrivals& arr, double t0, double t1, double d) {
  auto w = [&](double u) { return std::max(0.0, std::min(t1, u + d) - std::max(t0, u)); };
  double pts[4] = {t0 - d, t1 - d, t0, t1};
  std::sort(pts, pts + 4);
  double total = 0.0;
  for (int i = 0; i < 3; ++i) total += arr.integrate(pts[i], pts[i + 1], w);
  return total / (t1 - t0);
}

}  // namespace

OfferedLoad offered_load(std::span<const double> arrival_rates, double interval_length,
                         double handle_time, ServiceDistribution service, InitialState start) {
  validate_rates("wfm::queueing::offered_load", arrival_rates, interval_length, handle_time);
  const std::size_t n = arrival_rates.size();
  OfferedLoad out;
  out.offered_load.resize(n);
  out.offered_load_end.resize(n);
  if (n == 0) return out;
  const double before = start == InitialState::stationary ? arrival_rates[0] : 0.0;
  if (service == ServiceDistribution::exponential) {
    // m(t_i + s) = a_i + (m(t_i) - a_i) e^{-mu s} (Eick, Massey & Whitt 1993, exponential case)
    const double x = interval_length / handle_time;  // mu L
    const double decay = std::exp(-x);
    const double mean_factor = x > 1e-8 ? -std::expm1(-x) / x : 1.0 - 0.5 * x;
    double m = before * handle_time;
    for (std::size_t i = 0; i < n; ++i) {
      const double a = arrival_rates[i] * handle_time;
      out.offered_load[i] = a + (m - a) * mean_factor;
      m = a + (m - a) * decay;
      out.offered_load_end[i] = m;
    }
    return out;
  }
  // Deterministic: m(t) = integral_{t-D}^{t} lambda (Eick, Massey & Whitt 1993, Theorem 1).
  const Arrivals arr{arrival_rates, interval_length, before};
  for (std::size_t i = 0; i < n; ++i) {
    const double t0 = static_cast<double>(i) * interval_length, t1 = t0 + interval_length;
    out.offered_load[i] = deterministic_mean(arr, t0, t1, handle_time);
    out.offered_load_end[i] = window_integral(arr, t1 - handle_time, t1);
  }
  return out;
}

StaffingMethod parse_staffing_method(std::string_view text, std::string_view argument) {
  for (auto m : {StaffingMethod::sipp, StaffingMethod::lagged_sipp, StaffingMethod::mol})
    if (to_string(m) == text) return m;
  wfm::detail::throw_invalid(argument, "must be one of sipp, lagged_sipp, mol", text);
}

TimeVaryingStaffing staff_time_varying(std::span<const double> arrival_rates,
                                       double interval_length, double handle_time, double patience,
                                       const StaffingGoal& goal, StaffingMethod method,
                                       const PlanOptions& options) {
  constexpr std::string_view where = "wfm::queueing::staff_time_varying";
  validate_rates(where, arrival_rates, interval_length, handle_time);
  wfm::detail::require_positive_or_inf(where, "patience [s]", patience);
  goal.validate("wfm::queueing::staff_time_varying: goal");
  options.staffing.validate("wfm::queueing::staff_time_varying: options");
  const std::size_t n = arrival_rates.size();
  TimeVaryingStaffing out;
  out.method = method;
  out.staffing_arrival_rate.assign(arrival_rates.begin(), arrival_rates.end());
  if (method == StaffingMethod::lagged_sipp && n > 0) {
    // Green, Kolesar & Soares 2001: the rate one mean service time earlier.
    const Arrivals arr{arrival_rates, interval_length, arrival_rates[0]};
    for (std::size_t i = 0; i < n; ++i) {
      const double t0 = static_cast<double>(i) * interval_length - handle_time;
      out.staffing_arrival_rate[i] = window_integral(arr, t0, t0 + interval_length) /
                                     interval_length;
    }
  } else if (method == StaffingMethod::mol) {
    // Jennings, Mandelbaum, Massey & Whitt 1996: arrival rate mu m(t) at the same AHT.
    const OfferedLoad m = offered_load(arrival_rates, interval_length, handle_time);
    for (std::size_t i = 0; i < n; ++i) out.staffing_arrival_rate[i] = m.offered_load[i] / handle_time;
  }
  out.plan = detail::plan_each_interval(
      n, 0.0, options, [&](std::size_t i) -> std::optional<StaffingResult> {
        const double rate = out.staffing_arrival_rate[i];
        if (!(rate > 0.0)) return std::nullopt;
        return std::isinf(patience)
                   ? required_agents(ErlangC(rate, handle_time), goal, options.staffing)
                   : required_agents(ErlangA(rate, handle_time, patience), goal, options.staffing);
      });
  return out;
}

}  // namespace wfm::queueing
