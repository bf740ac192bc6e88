// Kaplan-Meier and the exponential MLE of patience (see include/wfm/kpi/survival.hpp).
#include <wfm/kpi/survival.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include <wfm/core/error.hpp>

namespace wfm::kpi {

double KaplanMeier::at(double t) const noexcept {
  const auto it = std::upper_bound(time.begin(), time.end(), t);
  if (it == time.begin()) return 1.0;
  return survival[static_cast<std::size_t>(it - time.begin()) - 1];
}

// Product-limit estimator over grouped data (Kaplan & Meier 1958, eq. 2): censored
// observations tied with events count as at risk at that time.
KaplanMeier kaplan_meier_grouped(std::span<const double> time, std::span<const double> events,
                                 std::span<const double> censored) {
  KaplanMeier km;
  double n = 0.0;
  for (std::size_t j = 0; j < time.size(); ++j) n += events[j] + censored[j];
  double s = 1.0, prev_t = 0.0;
  for (std::size_t j = 0; j < time.size(); ++j) {
    if (events[j] + censored[j] <= 0.0) continue;
    km.largest_wait_s = time[j];
    if (events[j] > 0.0) {
      km.restricted_mean_s += s * (time[j] - prev_t);
      prev_t = time[j];
      const double before = s;
      s *= 1.0 - events[j] / n;
      if (before > 0.5 && s <= 0.5) km.median_s = time[j];
      km.time.push_back(time[j]);
      km.survival.push_back(s);
      km.at_risk.push_back(n);
      km.events.push_back(events[j]);
    }
    n -= events[j] + censored[j];
  }
  km.restricted_mean_s += s * (km.largest_wait_s - prev_t);
  return km;
}

namespace {
void check_waits(std::span<const double> waits, std::span<const std::uint8_t> abandoned) {
  if (waits.size() != abandoned.size())
    detail::throw_invalid("wfm::kpi::kaplan_meier",
                          fmt::format("waits_s has {} values but abandoned has {}", waits.size(),
                                      abandoned.size()));
  for (std::size_t i = 0; i < waits.size(); ++i)
    if (!(waits[i] >= 0.0) || !std::isfinite(waits[i]))
      detail::throw_invalid(fmt::format("wfm::kpi::kaplan_meier: waits_s[{}]", i),
                            "must be finite and >= 0", waits[i]);
}
}  // namespace

KaplanMeier kaplan_meier(std::span<const double> waits_s, std::span<const std::uint8_t> abandoned) {
  check_waits(waits_s, abandoned);
  std::vector<std::size_t> order(waits_s.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return waits_s[a] < waits_s[b]; });
  std::vector<double> t, d, c;
  for (std::size_t i : order) {
    if (t.empty() || waits_s[i] != t.back()) {
      t.push_back(waits_s[i]);
      d.push_back(0.0);
      c.push_back(0.0);
    }
    (abandoned[i] ? d.back() : c.back()) += 1.0;
  }
  return kaplan_meier_grouped(t, d, c);
}

PatienceEstimate estimate_patience(std::span<const double> waits_s,
                                   std::span<const std::uint8_t> abandoned) {
  PatienceEstimate p;
  p.kaplan_meier = kaplan_meier(waits_s, abandoned);
  for (std::size_t i = 0; i < waits_s.size(); ++i) {
    p.total_wait_s += waits_s[i];
    (abandoned[i] ? p.abandoned : p.censored) += 1.0;
  }
  // Exponential MLE with right censoring (Lawless 2003, eq. 2.2.2): 1/theta = sum w / events.
  if (p.abandoned > 0.0) {
    p.patience_s = p.total_wait_s / p.abandoned;
  } else {
    p.status = Status::not_converged;
    p.message = "no abandoned contact: patience is only known to exceed every wait (inf)";
  }
  return p;
}

}  // namespace wfm::kpi
