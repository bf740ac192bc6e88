// Internal to src/simulation: the compiled model that the event loops read, and the row layout
// of the per-interval sums. Not installed; not part of the API.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include <wfm/simulation/rng.hpp>
#include <wfm/simulation/scenario.hpp>
#include <wfm/simulation/simulator.hpp>

namespace wfm::simulation::engine {

// ---------------------------------------------------------------------------------------------
// The compiled model: read-only, shared by all threads.

struct Segment {            // a stretch of constant arrival rate and staffing
  double start = 0.0;       // [s]
  double end = 0.0;         // [s]
  double rate = 0.0;        // [1/s] before the busyness factor
  double handle_scale = 1.0;
  double patience_scale = 1.0;
  int interval = -1;        // statistics interval; -1 in the warm-up and after the horizon
  int day = 0;              // busyness period
  int staff = 0;            // agents (per-interval staffing only)
};

enum StaticKind : std::uint8_t { kSegment = 0, kShiftEnd = 1, kBreakStart = 2, kShiftStart = 3 };

struct StaticEvent {
  double time = 0.0;
  double length = 0.0;   // break length [s]
  std::int32_t index = 0;  // segment or agent
  StaticKind kind = kSegment;
};

struct Model {
  std::vector<Segment> segments;
  std::vector<StaticEvent> statics;
  std::vector<double> trace;  // trace-driven arrival times, or empty
  bool use_trace = false;
  bool count_mode = true;     // agents per interval (interchangeable) vs. roster agents
  int agents = 0;             // agent table size
  int days = 1;
  double start_time = 0.0;    // -warmup
  double interval_length = 1.0;
  int intervals = 0;
  Distribution handle;
  Distribution patience;
  LognormalParameters handle_ln{};
  LognormalParameters patience_ln{};
  double busyness_cv = 0.0;
  std::vector<double> targets;
  double max_target = 0.0;
  int fields = 0;
  // -- multi-contact features (Scenario: handle_time_factors, lines, redials, outbound) --
  bool contact_mode = false;  // any of them on: ContactEngine runs, rows carry extra fields
  std::vector<double> factors{1.0};  // h_j / h_1, j = 1 .. m
  bool balance_chats = true;
  std::int64_t lines = 0;            // 0: no limit
  double redial_probability = 0.0;
  Distribution redial_delay;
  LognormalParameters redial_ln{};
  Distribution outbound;             // kind none: no outbound work
  LognormalParameters outbound_ln{};
  int reserve = 0;
};

// Per-interval accumulator layout of one replication: ReplicationSums's (simulator.hpp), then,
// per target k: answered with W <= t, abandoned with P <= t, abandoned with V <= t.
constexpr int fOffered = ReplicationSums::offered;
constexpr int fAnswered = ReplicationSums::answered;
constexpr int fAbandoned = ReplicationSums::abandoned;
constexpr int fUnserved = ReplicationSums::unserved;
constexpr int fWaitAnswered = ReplicationSums::wait_answered;
constexpr int fWaitAll = ReplicationSums::wait_all;
constexpr int fBusy = ReplicationSums::busy;
constexpr int fAvailable = ReplicationSums::available;
constexpr int kBaseFields = ReplicationSums::base_fields;
constexpr int kPerTarget = ReplicationSums::per_target_fields;
// The per-target fields, in that order.
constexpr std::size_t kWithinAnswered = 0, kWithinAbandoned = 1, kWithinVirtual = 2;

// Counts 1 in per-target field `field` of row r for every target t_k >= time.
inline void count_within(double* r, const std::vector<double>& targets, double time,
                         std::size_t field) {
  for (std::size_t k = 0; k < targets.size(); ++k)
    if (time <= targets[k]) r[kBaseFields + kPerTarget * k + field] += 1.0;
}
// A call answered after `wait` [s], into row r.
inline void record_answered(double* r, const std::vector<double>& targets, double wait) {
  r[fAnswered] += 1.0;
  r[fWaitAnswered] += wait;
  r[fWaitAll] += wait;
  count_within(r, targets, wait, kWithinAnswered);
}
// A call abandoned after `patience` [s], into row r.
inline void record_abandoned(double* r, const std::vector<double>& targets, double patience) {
  r[fAbandoned] += 1.0;
  r[fWaitAll] += patience;
  count_within(r, targets, patience, kWithinAbandoned);
}


// Extra fields of a contact-mode row, after the per-target ones (ReplicationSums::Extra).
constexpr int kExtraFields = ReplicationSums::extra_fields;

/// The contact-mode event loop (contact_engine.cpp): concurrency, lines, redials, outbound.
class ContactEngine {
 public:
  virtual ~ContactEngine() = default;
  /// One replication into `acc` (intervals x fields); returns the number of events.
  virtual std::uint64_t run(std::uint64_t seed, std::uint64_t replication, double* acc) = 0;
  std::vector<LoggedContact>* contact_log = nullptr;
};
[[nodiscard]] std::unique_ptr<ContactEngine> make_contact_engine(const Model& m);

}  // namespace wfm::simulation::engine
