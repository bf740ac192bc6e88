#pragma once
/// \file
/// Contact logs from CSV, streamed (wfm::CsvReader: bounded memory, any file size), and the
/// interval KPIs as CSV.
///
/// **Contact log columns** (header names; any order; other columns are ignored):
/// - `arrival` (required): local wall-clock timestamp "YYYY-MM-DD HH:MM[:SS]";
/// - `outcome` (required): `answered` or `abandoned`;
/// - `wait_s` (required): [s] arrival to answer, or to hang-up;
/// - `talk_s`, `hold_s`, `acw_s` [s]: answered contacts; an empty cell (or a missing column) is
///   0, except `talk_s`, which an answered contact must have when the column exists;
/// - `customer` (optional): any text; empty = unknown (then not counted in fcr_rate). Ids are
///   compared through a 64-bit FNV-1a hash (Fowler, Noll & Vo): two different ids collide with
///   probability about n^2 / 2^65, negligible for n below 10^8;
/// - `transferred` (optional): 1/0, true/false, yes/no; empty = 0;
/// - `csat` (optional): a finite number; empty = no score;
/// - `queue` (optional): with ContactLogFilter::queue set, only rows of that queue are counted.
///
/// **Messy logs: policies.** Rows in any order (nothing assumes sorting). A contact spanning
/// midnight or a DST change counts in the interval of its arrival and its durations are elapsed
/// seconds (the wall clock's jump does not enter them); its busy time is spread from the
/// arrival's wall clock on (at a DST change that shifts it by the change, documented). A
/// negative, non-finite or absurd (> max_duration_s) duration, an unknown outcome, an answered
/// contact without talk_s, or a bad timestamp is an error naming the file, line and column;
/// nothing is written.

#include <optional>
#include <string>
#include <string_view>

#include <vector>

#include <wfm/kpi/adherence.hpp>
#include <wfm/kpi/contacts.hpp>

namespace wfm::kpi {

/// Which rows of a log count.
struct ContactLogFilter {
  std::string queue;  ///< empty: every row; otherwise only rows whose `queue` equals it
};

/// Streams the contact log at `path` into `acc`; returns the number of rows counted.
/// \throws InvalidArgument naming file, line and column (see the file comment).
std::size_t read_contact_log(const std::string& path, ContactKpiAccumulator& acc,
                             const ContactLogFilter& filter = {});

/// Adds staffed time from a CSV with columns `timestamp` and `agents` (e.g. wfm-staff's or a
/// schedule's coverage output): agents x interval_length_s [s] from each timestamp on.
/// \throws InvalidArgument naming file, line and column.
std::size_t read_staffing(const std::string& path, ContactKpiAccumulator& acc,
                          std::int64_t interval_length_s);

/// The column name of a service-level series: "service_level_<definition>_<t>s"
/// (e.g. service_level_answered_within_20s).
[[nodiscard]] std::string service_level_column(const ServiceLevelKey& key);

/// The interval KPIs as CSV, one row per interval, columns named by the vocabulary:
/// timestamp, interval_length_s, volume, answered, abandoned, short_abandoned, abandon_rate,
/// abandon_rate_net, aht_s, asa_s, asa_all_s, the service levels, transfer_rate, fcr_rate,
/// fcr_count, csat_mean, csat_count, patience_s, busy_s, and (when staffed time was given)
/// staffed_s and occupancy. +inf is written "inf".
[[nodiscard]] std::string to_csv(const ContactKpis& kpis);

/// **Agent schedule CSV** (adherence.hpp): columns `agent`, `start`, `end`, `activity` (any
/// order, others ignored); `start`/`end` local wall-clock "YYYY-MM-DD HH:MM[:SS]", end exclusive.
/// An empty agent or activity, or end <= start, is an error naming the file, line and column.
/// `lines` (optional) receives each row's line number.
[[nodiscard]] std::vector<ScheduledActivity> read_schedule(
    const std::string& path, std::vector<std::size_t>* lines = nullptr);

/// **Agent state log CSV**: columns `timestamp`, `agent`, `state`; from `timestamp` on the agent
/// is in `state` until the agent's next row. Rows in any order. An empty agent or state, or a
/// bad timestamp, is an error naming the file, line and column. `lines` (optional) receives
/// each row's line number.
[[nodiscard]] std::vector<StateRecord> read_states(const std::string& path,
                                                   std::vector<std::size_t>* lines = nullptr);

/// adherence() of a schedule CSV and a state log CSV; its errors name the file and line instead
/// of "schedule[i]" / "states[i]". \throws InvalidArgument.
[[nodiscard]] AdherenceResult read_adherence(const std::string& schedule_path,
                                             const std::string& states_path,
                                             const AdherenceOptions& options = {});

/// Adherence rows (per interval or per day) as CSV: timestamp, interval_length_s (the row's
/// length: options.interval_length_s or 86400), scheduled_s, adherent_s, work_scheduled_s,
/// worked_s, adherence, conformance.
[[nodiscard]] std::string adherence_to_csv(const std::vector<AdherenceRow>& rows,
                                           std::int64_t interval_length_s);

/// Per-agent adherence as CSV: agent, scheduled_s, adherent_s, work_scheduled_s, worked_s,
/// adherence, conformance (agents without a schedule: scheduled_s = 0).
[[nodiscard]] std::string agent_adherence_to_csv(const AdherenceResult& r);

/// Exceptions as CSV: agent, start, end, activity (scheduled), state (actual).
[[nodiscard]] std::string exceptions_to_csv(const AdherenceResult& r);

/// Measured shrinkage by category as CSV: state, time_in_state_s, shrinkage (their sum is
/// AdherenceResult::shrinkage).
[[nodiscard]] std::string shrinkage_to_csv(const AdherenceResult& r);

/// A 64-bit hash of a customer id (splitmix64's mixer over its bytes, 8 at a time); never 0
/// (0 means unknown). Two different ids of the same length of at most 8 bytes get different
/// keys (the last word mixed holds all their bytes and the mixer is a bijection), unless one
/// of them mixes to 0 (made 1).
[[nodiscard]] std::uint64_t customer_key(std::string_view id) noexcept;

}  // namespace wfm::kpi
