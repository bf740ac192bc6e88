#pragma once
/// \file
/// The manager's layer on top of the statistical forecast: events with an expected uplift and
/// overrides (issue 16). The layer is data kept beside the model, never written into it: a
/// forecast is made, then the layer is applied, and the result keeps both the model's volume
/// (`model_volume`) and the final one (`volume`) per interval, with what changed it (`event`,
/// `override`). Re-forecasting (a longer history, another method) and re-applying the same
/// layer file changes the same intervals the same way: entries are keyed by local date and
/// time of day, never by row position.
///
/// **Entries.** An entry covers the days `first_day`..`last_day` (inclusive) and, on each, the
/// intervals starting in [time_from_s, time_to_s) of the local day. It changes them by
/// - `factor`: volume x (1 + value); value is a fraction, -0.10 = 10 % lower, >= -1;
/// - `day_volume`: value contacts per day over the entry's intervals of each day, spread over
///   them in proportion to the volume before the override (the model's intraday profile,
///   with any event uplift); equally when that is 0 everywhere;
/// - `interval_volume`: value contacts in each of the entry's intervals.
///
/// **Order and conflicts (the rule).**
/// 1. Events first: every event uplift covering an interval multiplies its model volume
///    (several events on one interval multiply: they are separate causes).
/// 2. Then overrides, on the event-adjusted volume. Where overrides overlap, the **later
///    entry wins** (file order): each interval takes its volume from the last override that
///    covers it, and earlier overrides do not apply there at all (not even partly). A
///    `day_volume` entry keeps the shares of its other intervals, so its intervals sum to its
///    value only where no later override took some of them.
///
/// **Bounds and AHT.** The prediction-interval bounds are scaled by volume / model_volume of
/// the interval (an interval whose model volume is 0 gets both bounds equal to its final
/// volume). AHT is not changed.
///
/// **Events with a kind** (no uplift) are not applied here: they are special days of the
/// calendar the model learns from (add_event_days), so the model itself forecasts them.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <wfm/forecast/forecaster.hpp>
#include <wfm/forecast/series.hpp>

namespace wfm::forecast {

/// Whether a layer entry is a planned event or a manager's override.
enum class LayerEntryType { event, override };
/// How an entry changes the volume (see the file comment).
enum class AdjustmentMode { factor, day_volume, interval_volume };

/// "event", "override".
[[nodiscard]] std::string_view to_string(LayerEntryType t) noexcept;
/// "factor", "day_volume", "interval_volume".
[[nodiscard]] std::string_view to_string(AdjustmentMode m) noexcept;

/// One row of an events or overrides file.
struct LayerEntry {
  LayerEntryType type = LayerEntryType::override;
  std::int64_t first_day = 0;   ///< days since 1970-01-01 (local date)
  std::int64_t last_day = 0;    ///< inclusive, >= first_day
  std::int64_t time_from_s = 0;     ///< second of the local day, [0, 86400)
  std::int64_t time_to_s = 86400;   ///< exclusive, (time_from_s, 86400]
  AdjustmentMode mode = AdjustmentMode::factor;
  /// factor: relative change (fraction, -0.1 = 10 % lower); day_volume: contacts per day;
  /// interval_volume: contacts per interval.
  double value = 0.0;
  std::string name;    ///< event: its name (also the special-day name when it has a kind)
  std::string kind;    ///< event: a special-day kind (parse_day_kind) instead of an uplift
  std::string reason;  ///< why (free text)
  std::string author;  ///< who (free text)
  std::size_t line = 0;  ///< line of the file it came from (0: not from a file)

  /// An event with a kind: it goes into the calendar, not into the layer.
  [[nodiscard]] bool is_kind_event() const noexcept {
    return type == LayerEntryType::event && !kind.empty();
  }
  /// "+20 %", "-10 %", "150 per day", "12 per interval", or "kind intermediate"; with the
  /// name, reason and author when given: "+20 % (Valentine campaign; anna)".
  [[nodiscard]] std::string describe() const;
};

/// Checks an entry: dates in order, times in range and on whole seconds, a finite value
/// (factor >= -1, volumes >= 0), an event has a name, a kind event no value.
/// \throws InvalidArgument naming the entry through `where` (column names of the CSV file).
void validate_entry(const LayerEntry& e, const Locator& where = {});

/// Reads an overrides file. Columns (vocabulary names): `from` (YYYY-MM-DD, required), `to`
/// (YYYY-MM-DD, inclusive; empty = from), `time_from` / `time_to` (HH:MM[:SS], [from, to) of
/// the local day; empty = the whole day; "24:00" allowed for time_to), exactly one of
/// `override_factor` (fraction), `override_day_volume` (contacts per day) and `override_volume`
/// (contacts per interval) filled per row, and optional `reason` and `author`.
/// \throws InvalidArgument naming the file, the line and the column of the first bad cell.
[[nodiscard]] std::vector<LayerEntry> read_overrides_csv(const std::string& path);
/// Reads an events file: `from`, `to`, `time_from`, `time_to` as overrides, `name` (required),
/// exactly one of `event_factor` (fraction, the expected uplift: 0.15 = 15 % more) and `kind`
/// (a special-day kind, see parse_day_kind), optional `reason` and `author`.
/// \throws InvalidArgument naming the file, the line and the column.
[[nodiscard]] std::vector<LayerEntry> read_events_csv(const std::string& path);
/// The same from CSV text; `source` names it in messages.
[[nodiscard]] std::vector<LayerEntry> parse_overrides_csv(std::string_view text,
                                                          const std::string& source);
[[nodiscard]] std::vector<LayerEntry> parse_events_csv(std::string_view text,
                                                       const std::string& source);
/// CSV text of entries of one type, as the readers read it back (a round trip keeps every
/// field but `line`). \throws InvalidArgument if an entry has the other type.
[[nodiscard]] std::string format_layer_csv(std::span<const LayerEntry> entries,
                                           LayerEntryType type);

/// The calendar with every day of each kind event added under the event's name and kind.
/// \throws InvalidArgument (naming `source` and the entry's line) on a bad kind or a day the
/// calendar already holds under another name or kind.
[[nodiscard]] SpecialDays add_event_days(SpecialDays calendar, std::span<const LayerEntry> events,
                                         const std::string& source = "events");

/// A forecast with the layer applied. Per interval (one entry per timestamp of the forecast):
struct LayeredForecast {
  std::vector<std::int64_t> timestamps;  ///< as the forecast's [s, wall clock]
  std::vector<double> model_volume;      ///< the statistical forecast [contacts per interval]
  std::vector<double> volume;            ///< final: after events and overrides
  std::vector<double> levels;            ///< as the forecast's
  std::vector<std::vector<double>> volume_lower;  ///< [level][interval], scaled (see above)
  std::vector<std::vector<double>> volume_upper;
  std::vector<double> aht_s;             ///< as the forecast's (empty: none)
  std::vector<std::vector<double>> aht_s_lower;  ///< as the forecast's AHT band (empty: none)
  std::vector<std::vector<double>> aht_s_upper;
  std::vector<double> event_factor;      ///< product of the event uplifts, 1 + value each
  std::vector<std::string> event;        ///< the events that applied ("; "-joined), "" none
  std::vector<int> override_entry;       ///< index of the winning override, -1 none
  std::vector<std::string> override;     ///< its description, "" none
  std::vector<DayExplanation> explanation;  ///< the model's per-day explanation, as given
  /// Entries (indices into the given span) that matched no interval of the forecast: outside
  /// its days or hours, or kind events (which act through the calendar).
  std::vector<std::size_t> unmatched;
};

/// Applies events (uplifts) and overrides to a forecast (see the file comment for the rule).
/// Entries may come in any mix of types; their order matters only among overrides.
/// \throws InvalidArgument if an entry is invalid (validate_entry) or the forecast's arrays
/// disagree in size.
[[nodiscard]] LayeredForecast apply_layer(const ForecastResult& forecast,
                                          std::span<const LayerEntry> entries);

/// One forecast day with the layer: the model's components and what the layer did to them.
struct LayeredDay {
  DayExplanation model;       ///< the model's components (fc16's DayExplanation)
  double model_day_volume = 0.0;  ///< sum of model_volume over the day's intervals
  double event_factor = 1.0;      ///< (day total after events) / model_day_volume
  double override_factor = 1.0;   ///< day_volume / (day total after events)
  double day_volume = 0.0;        ///< sum of the final volume over the day's intervals
  std::string event;              ///< events that applied on the day ("; "-joined)
  std::string override;           ///< overrides that applied on the day ("; "-joined)
};

/// Per forecast day (in order of first appearance): the model's explanation (matched by day
/// from `layered.explanation`; a default one when absent) and the layer's factors, so that
/// model_day_volume x event_factor x override_factor = day_volume. A day whose model total
/// is 0 gets factors 1 and its final total in day_volume.
[[nodiscard]] std::vector<LayeredDay> explain_layer(const LayeredForecast& layered);

/// CSV text of explain_layer: one row per day, columns date, base_volume, weekday_effect,
/// day_of_month_effect, special_effect, special_source, special_name, special_kind,
/// occurrences, evidence_weight, profile_source, profile_weight, model_day_volume,
/// event_factor, event, override_factor, override, day_volume; then, when the days have AHT,
/// aht_level_s, aht_trend_effect, aht_weekday_effect, aht_special_effect, aht_special_source,
/// aht_occurrences, aht_evidence_weight, aht_profile_effect, aht_day_s.
[[nodiscard]] std::string format_explanation_csv(std::span<const LayeredDay> days);

}  // namespace wfm::forecast
