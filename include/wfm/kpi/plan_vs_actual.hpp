#pragma once
/// \file
/// Plan versus actual: a plan's figures per interval beside the measured ones, with the forecast
/// error and the service-level gap (the daily comparison of a contact centre).
///
/// **Definitions** (per interval i of the plan, in the plan's order; names = vocabulary):
/// - forecast_error_i = volume_i - planned_volume_i (> 0: more contacts than forecast);
/// - service_level_gap_i = service_level_i - planned_service_level_i (< 0: below plan);
/// - a plan interval without a measured row had no contacts: volume 0 and the limit values of
///   contacts.hpp (service level 1; aht_s, asa_s, abandon_rate, occupancy 0);
/// - wape = sum_i |forecast_error_i| / sum_i volume_i (weighted absolute percentage error, the
///   MAD/mean ratio: Kolassa & Schuetz (2007), "Advantages of the MAD/MEAN ratio over the MAPE",
///   Foresight 6: 40-43; as wfm::forecast::wape, measured volume in the denominator); 0 when
///   both sums are 0, +inf when only the measured one is (never NaN);
/// - service_level = sum_i volume_i SL_i / sum_i volume_i, planned_service_level = the same
///   weighted by planned_volume (as the plan's summary weighs its intervals); 1 when the weights
///   sum to 0 (an interval without contacts); service_level_gap = their difference;
/// - unplanned_volume = measured contacts at timestamps the plan does not have.
///
/// Python: wfm.kpi.plan_vs_actual (which calls plan_vs_actual() below); CLI: wfm-kpi --plan.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <wfm/kpi/contacts.hpp>

namespace wfm::kpi {

/// A plan as columns, one entry per interval (timestamps unique, local wall clock [s]).
/// Optional columns are empty when not given.
struct PlanIntervals {
  std::vector<std::int64_t> timestamp;        ///< interval start
  std::vector<double> planned_volume;         ///< [contacts per interval] >= 0
  std::vector<double> planned_service_level;  ///< [0, 1] the SL the plan expects
  std::vector<double> planned_aht_s;          ///< optional [s]
  std::vector<double> agents_required;        ///< optional
  std::vector<double> agents;                 ///< optional: scheduled agents
};

/// Measured KPIs as columns, one entry per interval (timestamps unique). Optional columns are
/// empty when not measured.
struct MeasuredIntervals {
  std::vector<std::int64_t> timestamp;  ///< interval start
  std::vector<double> volume;           ///< [contacts per interval] >= 0
  std::vector<double> service_level;    ///< [0, 1] under the definition compared
  std::vector<double> aht_s, asa_s, abandon_rate, occupancy;  ///< optional
};

/// The comparison: columns in the plan's order (optional ones empty when absent on both sides
/// that feed them) and the overall figures (see the file comment for every definition).
struct PlanVsActual {
  std::vector<std::int64_t> timestamp;
  std::vector<double> planned_volume, volume, forecast_error, planned_aht_s, aht_s,
      agents_required, agents, planned_service_level, service_level, service_level_gap, asa_s,
      abandon_rate, occupancy;
  double wape = 0.0;
  double total_volume = 0.0;          ///< measured contacts in the plan's intervals
  double total_planned_volume = 0.0;  ///< sum of planned_volume
  double overall_service_level = 1.0;          ///< volume-weighted
  double overall_planned_service_level = 1.0;  ///< planned_volume-weighted
  double overall_service_level_gap = 0.0;
  double unplanned_volume = 0.0;
  /// The non-empty columns in output order with their vocabulary names (timestamp excluded).
  [[nodiscard]] std::vector<std::pair<std::string_view, const std::vector<double>*>> columns()
      const;
};

/// The measured side of a ContactKpis: volume, the service level of `key`, aht_s, asa_s,
/// abandon_rate and (when staffed time was given) occupancy.
/// \throws InvalidArgument naming the series when `key` is not among kpis.service_levels.
[[nodiscard]] MeasuredIntervals measured_intervals(const ContactKpis& kpis,
                                                   const ServiceLevelKey& key);

/// Plan versus actual (see the file comment).
/// \throws InvalidArgument naming the column and the row on columns of different lengths, a
///         repeated timestamp, a volume that is negative or not finite, a service level outside
///         [0, 1], or a NaN in an optional column.
[[nodiscard]] PlanVsActual plan_vs_actual(const PlanIntervals& plan,
                                          const MeasuredIntervals& actual);

/// **Plan CSV**: what wfm-plan writes as staffing.csv: columns `timestamp` (ISO 8601, with or
/// without a UTC offset: the wall-clock part is used, as the measured KPIs count the local
/// wall clock), `volume` (-> planned_volume), `service_level` (-> planned_service_level) and
/// optionally `aht_s` (-> planned_aht_s), `agents_required`, `agents`; other columns are
/// ignored. When `path` is a directory (wfm-plan's output folder) its staffing.csv is read and
/// the scheduled `agents` are taken from its coverage.csv (same timestamps) when that exists.
/// \throws InvalidArgument naming the file, line and column.
[[nodiscard]] PlanIntervals read_plan(const std::string& path);

/// The comparison as CSV: timestamp, then columns() (vocabulary names); +inf written "inf".
[[nodiscard]] std::string to_csv(const PlanVsActual& r);

}  // namespace wfm::kpi
