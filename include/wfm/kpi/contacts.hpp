#pragma once
/// \file
/// Contact log -> KPIs per interval and overall, under the same names as the planning outputs
/// (wfm/core/vocabulary.hpp), so measured `volume` and `aht_s` go straight into wfm::forecast and
/// wfm::simulation, and `patience_s` into wfm::queueing::ErlangA.
///
/// **The log.** One Contact per row: arrival (local wall-clock timestamp, calendar.hpp), outcome
/// (answered or abandoned), wait_s (arrival to answer, or arrival to hang-up), for answered
/// contacts talk_s, hold_s and acw_s, and optionally a customer id, a transfer flag and a CSAT
/// score. Durations are elapsed seconds, so a contact spanning midnight or a DST change has the
/// right duration whatever the wall clock did. Rows may come in any order.
///
/// **Definitions** (per interval = the contacts that *arrived* in it, as wfm::simulation counts;
/// "overall" pools every contact). N = offered, A = answered, B = abandoned, S = short abandons
/// (abandoned with wait_s < short_abandon_s), W_i = wait, H_i = talk + hold + acw:
/// - volume = N; answered = A; abandoned = B; short_abandoned = S;
/// - abandon_rate = B / N; abandon_rate_net = (B - S) / (N - S) (short abandons removed from
///   both sides, the usual ACD "abandon rate excluding short abandons");
/// - aht_s = sum_{answered} H_i / A; asa_s = sum_{answered} W_i / A (AsaOver::answered);
///   asa_all_s = sum_{all} W_i / N (AsaOver::all: abandoned callers count with their wait);
/// - service level for each wfm::queueing::ServiceLevelDefinition and target t, as defined in
///   definitions.hpp: answered_within = #(answered, W <= t) / N; wait_within =
///   #(W <= t) / N (answered or abandoned by t); answered_given_answered = #(answered, W <= t) / A;
///   virtual_wait_within = P(V <= t) = 1 - S_V(t), the Kaplan-Meier estimate of the virtual wait
///   V in which answered waits are observed V and abandoned waits are censored (V > W): a log
///   never shows V for an abandoned caller (the simulator does, through its ghosts), and V is
///   independent of patience in M/M/n+M, so KM is consistent (Kaplan & Meier 1958). Waits are
///   grouped to whole seconds (ceil) for this estimate only, so t is used as floor(t);
/// - transfer_rate = #(answered, transferred) / A;
/// - fcr_rate (first-contact resolution) = share of answered contacts with a customer id after
///   which the same customer makes no other contact (any outcome) within fcr_window_days days
///   (arrival to arrival, 0 < gap <= window). Contacts whose window ends after the last arrival
///   in the log are left out (their window is not observed); fcr_count is the denominator;
/// - csat_mean = mean of the given scores, csat_count = their number;
/// - patience_s = sum_{all} W_i / B: the exponential MLE of mean patience (survival.hpp); +inf
///   when B = 0;
/// - occupancy = busy time / staffed time, busy time = each answered contact's [answer, answer
///   + H) split over the intervals it covers (wall clock: arrival + elapsed seconds), staffed
///   time as added with add_staffed_time() (e.g. agents x interval_length, or the time in
///   working states of an agent state log); absent (has_occupancy false) when none was added.
///
/// **Limit values, not NaN** (as wfm::simulation): without offered contacts every service level
/// is 1 and the rates, asa_s and aht_s are 0; a rate whose denominator is 0 is 0 (its count
/// column says so: fcr_count, csat_count); patience_s is +inf without abandons.
///
/// **Intervals** are [k L, (k+1) L) of the wall clock, L = interval_length_s; only intervals with
/// at least one arrival, some busy or some staffed time are reported (a log cannot tell a closed
/// interval from a quiet one, and wfm::forecast wants closed intervals absent).

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <wfm/kpi/distribution_fit.hpp>
#include <wfm/kpi/survival.hpp>
#include <wfm/queueing/definitions.hpp>

namespace wfm::kpi {

enum class Outcome : std::uint8_t { answered, abandoned };

/// One row of a contact log.
struct Contact {
  std::int64_t arrival = 0;  ///< local wall-clock timestamp [s] (calendar.hpp)
  Outcome outcome = Outcome::answered;
  double wait_s = 0.0;  ///< [s] arrival to answer / to hang-up, >= 0
  double talk_s = 0.0;  ///< [s] answered only, >= 0
  double hold_s = 0.0;  ///< [s]
  double acw_s = 0.0;   ///< [s] after-contact work
  std::uint64_t customer = 0;  ///< 0: unknown (then not in fcr_rate)
  bool transferred = false;
  double csat = std::numeric_limits<double>::quiet_NaN();  ///< NaN: no score
};

/// The tuning of the contact KPIs (one policy struct for the module).
struct ContactKpiOptions {
  std::int64_t interval_length_s = 900;  ///< [s] whole seconds, 1 .. 86400
  double short_abandon_s = 5.0;          ///< [s] abandons with wait_s < this are short abandons
  std::vector<double> target_times_s{20.0};  ///< [s] service-level targets
  std::vector<queueing::ServiceLevelDefinition> definitions{
      queueing::ServiceLevelDefinition::answered_within,
      queueing::ServiceLevelDefinition::wait_within,
      queueing::ServiceLevelDefinition::virtual_wait_within,
      queueing::ServiceLevelDefinition::answered_given_answered};
  double fcr_window_days = 7.0;  ///< [days] repeat-contact window of fcr_rate, > 0
  /// Kaplan-Meier of patience (overall) groups waits to whole seconds up to this [s]; longer
  /// waits are grouped at it.
  double patience_grid_max_s = 7200.0;
  /// Every duration must be at most this [s] (a week): a longer one is an error naming the row.
  double max_duration_s = 7.0 * 86400.0;
  /// Arrivals must lie within this many intervals of each other (bounds the memory: about
  /// 60 doubles per interval); farther is an error naming the row.
  std::int64_t max_intervals = 400000;
  /// Handle times kept (a deterministic uniform reservoir sample, Li (1994) algorithm L) for the
  /// lognormal goodness of fit and the empirical sample; exact below this size.
  std::size_t handle_sample_size = 100000;
  /// \throws InvalidArgument naming the field and the value.
  void validate() const;
};

/// One service-level series: a definition and a target time [s].
struct ServiceLevelKey {
  queueing::ServiceLevelDefinition definition = queueing::ServiceLevelDefinition::answered_within;
  double target_time_s = 20.0;
};

/// The KPIs of one interval or of the whole log (field names = vocabulary names).
struct IntervalKpis {
  std::int64_t timestamp = 0;  ///< interval start (overall: the first interval's start)
  double volume = 0.0;         ///< offered contacts
  double answered = 0.0;
  double abandoned = 0.0;
  double short_abandoned = 0.0;
  double abandon_rate = 0.0;      ///< abandoned / volume
  double abandon_rate_net = 0.0;  ///< (abandoned - short) / (volume - short)
  double aht_s = 0.0;
  double asa_s = 0.0;      ///< over answered contacts
  double asa_all_s = 0.0;  ///< over all offered contacts
  std::vector<double> service_level;  ///< one per ContactKpis::service_levels entry
  double transfer_rate = 0.0;
  double fcr_rate = 0.0;
  double fcr_count = 0.0;  ///< answered contacts with a customer id and an observed window
  double csat_mean = 0.0;
  double csat_count = 0.0;
  double patience_s = std::numeric_limits<double>::infinity();
  double busy_s = 0.0;     ///< [s] handling time falling in the interval
  double staffed_s = 0.0;  ///< [s] staffed agent time added with add_staffed_time()
  double occupancy = 0.0;  ///< busy_s / staffed_s (0 when staffed_s = 0)
};

/// The result of summarising a contact log.
struct ContactKpis {
  std::int64_t interval_length_s = 900;
  std::vector<ServiceLevelKey> service_levels;  ///< the order of IntervalKpis::service_level
  std::vector<IntervalKpis> intervals;          ///< by timestamp
  IntervalKpis overall;
  bool has_occupancy = false;  ///< some staffed time was added
  PatienceEstimate patience;   ///< overall, with Kaplan-Meier (waits grouped to whole seconds)
  LognormalFit handle_time;    ///< overall lognormal fit of H over answered contacts
  std::vector<double> handle_time_sample;  ///< [s] the reservoir sample (empirical distribution)
  std::size_t rows = 0;
  Status status = Status::ok;
  std::string message;
};

/// Streams contacts into per-interval sums; memory grows with the number of intervals (and, for
/// fcr_rate, 16 bytes per contact with a customer id, plus one of 256 buckets of them while
/// finish() sorts it), not otherwise with the number of contacts.
class ContactKpiAccumulator {
 public:
  /// \throws InvalidArgument on bad options.
  explicit ContactKpiAccumulator(ContactKpiOptions options);
  /// Adds one contact. \throws InvalidArgument on a negative or non-finite duration, a CSAT
  /// that is not finite; `where` names the row in the message ("contacts.csv, line 7").
  void add(const Contact& c, std::string_view where = "contact");
  /// Adds `agents` agents on the phones over [start, start + length_s) of the wall clock:
  /// agents x overlap [s] of staffed time to each interval it covers.
  /// \throws InvalidArgument on a negative or non-finite agents or length_s > max_duration_s.
  void add_staffed_time(std::int64_t start, double length_s, double agents);
  /// The KPIs of everything added so far (more may be added afterwards).
  [[nodiscard]] ContactKpis finish();
  /// A hint: about `contacts` contacts with a customer id will come (reserves the fcr_rate
  /// table once instead of growing it; address space only until the records are written).
  void reserve(std::size_t contacts);

 private:
  double* row(std::int64_t interval) {  // data_'s row of an interval (grow() adds it if new)
    const std::int64_t i = interval - base_;
    if (rows_used_ > 0 && i >= 0 && i < static_cast<std::int64_t>(rows_used_))
      return data_.data() + static_cast<std::size_t>(i) * fields_;
    return grow(interval);
  }
  double* grow(std::int64_t interval);
  void add_busy(double from, double length);
  void sample_handle_time(double h);
  void add_first_contact_resolution(std::vector<double>& data) const;

  ContactKpiOptions o_;
  std::size_t fields_ = 0, targets_ = 0, bins_ = 0;
  std::int64_t base_ = 0;     // interval number of data_'s first row
  std::size_t rows_used_ = 0;  // rows in data_
  std::vector<double> data_;   // rows_used_ x fields_
  std::vector<double> patience_events_, patience_censored_;  // whole-second grid
  struct CustomerContact {  // 16 bytes
    std::uint64_t customer;  // the customer id through a bijective mixer
    std::int64_t arrival;    // 2 x arrival + (1 if answered): sorts by arrival
  };
  static constexpr int kCustomerBucketBits = 8;
  // By the top 8 bits of the mixed key: few enough append streams for the TLB and the cache
  // while the log is read; a bucket is then sorted in cache at the end.
  std::vector<std::vector<CustomerContact>> customers_ =
      std::vector<std::vector<CustomerContact>>(std::size_t{1} << kCustomerBucketBits);
  std::int64_t last_arrival_ = std::numeric_limits<std::int64_t>::min();
  double log_shift_ = 0.0, log_sum_ = 0.0, log_sq_sum_ = 0.0;  // K, sums of ln h - K, squared
  std::size_t positive_ = 0, zeros_ = 0;
  std::vector<double> reservoir_;
  std::uint64_t rng_ = 0x9E3779B97F4A7C15ull;
  double sample_w_ = 0.0;         // Algorithm L's W
  std::size_t sample_next_ = 0;   // positive_ of the next handle time kept
  std::size_t rows_ = 0;
  bool any_staffed_ = false;
};

/// Summarises a log held in memory.
[[nodiscard]] ContactKpis contact_kpis(const std::vector<Contact>& contacts,
                                       const ContactKpiOptions& options = {});

}  // namespace wfm::kpi
