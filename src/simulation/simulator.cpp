// The discrete-event engine of wfm::simulation.
//
// Design (see simulator.hpp for the model and measurement rules):
// - Three sources of events are merged by time: the next arrival (one scalar: there is one
//   arrival stream), a sorted, read-only list of "static" events compiled once per simulate()
//   call (interval starts, shift starts and ends, break starts), and a binary min-heap of
//   dynamic events (call departures, abandonment timers, break ends).
// - The heap holds 16-byte entries {time, payload}; the payload packs the kind into its top two
//   bits. Nothing is allocated per event: the heap, the call ring buffer and the agent tables
//   live in a per-thread Workspace that only grows (amortised) and is reused.
// - Abandonment timers are never removed: when a call is answered its timer stays in the heap
//   and is recognised as stale when it pops (its call id is below the queue head).
// - Calls wait in one FCFS ring buffer. A caller who abandons stays in it as a "ghost" until an
//   agent would have reached it: that instant gives its virtual wait V exactly, which is what
//   ServiceLevelDefinition::virtual_wait_within needs. Multi-queue routing would replace this
//   ring with one per queue and a routing step in take_next_call(); the rest is unchanged.
// - Every call's handle time and patience are drawn at arrival from their own streams, so two
//   scenarios that differ only in staffing see identical calls (common random numbers).
// - Replications run in blocks on std::threads; each replication writes into its own slot and
//   the slots are reduced in replication order, so results do not depend on the thread count.

#include <wfm/simulation/simulator.hpp>

#include <algorithm>
#include <chrono>
#include <atomic>
#include <cmath>
#include <exception>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <fmt/format.h>

#include <wfm/core/error.hpp>
#include <wfm/core/limits.hpp>
#include <wfm/simulation/rng.hpp>

#include "engine.hpp"

namespace wfm::simulation {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

/// The simulator's tuning constants, in one place. None changes a result: they trade memory
/// for speed. (Magnitude limits on what may be simulated are in wfm/core/limits.hpp.)
struct SimulatorPolicy {
  /// Initial capacity of the ring buffer of waiting calls (a power of two; it doubles when full).
  std::size_t initial_queue_capacity = 1024;
  /// Replications per block and thread: results of a block are reduced in replication order
  /// after the block, so larger blocks mean fewer joins but more buffer memory.
  int replications_per_thread_per_block = 8;
  int min_replications_per_block = 32;
};
constexpr SimulatorPolicy kPolicy{};

using namespace engine;  // Segment, StaticEvent, Model, the row layout (engine.hpp)

int segment_day(double t_in_horizon, double period) {
  return static_cast<int>(std::floor(t_in_horizon / period));
}

Model compile(const Scenario& s, const RunOptions& o) {
  Model m;
  const int n = static_cast<int>(s.intervals());
  const double L = s.interval_length;
  const double H = s.horizon_length();
  const double w = o.warmup;
  const bool cyclic = s.is_cyclic();
  m.interval_length = L;
  m.intervals = n;
  m.start_time = -w;
  m.handle = s.handle_time;
  m.patience = s.patience;
  if (m.handle.kind == DistributionKind::lognormal)
    m.handle_ln = lognormal_parameters(m.handle.mean_value, m.handle.cv);
  if (m.patience.kind == DistributionKind::lognormal)
    m.patience_ln = lognormal_parameters(m.patience.mean_value, m.patience.cv);
  m.busyness_cv = s.busyness.cv;
  m.days = std::max(1, static_cast<int>(std::ceil(H / s.busyness.period_length - 1e-9)));
  m.targets = o.target_times;
  m.max_target = *std::max_element(m.targets.begin(), m.targets.end());
  m.fields = kBaseFields + kPerTarget * static_cast<int>(m.targets.size());
  m.use_trace = !s.arrival_times.empty();
  m.trace = s.arrival_times;
  m.contact_mode = s.uses_contact_features();
  if (m.contact_mode) {
    if (!s.handle_time_factors.empty()) m.factors = s.handle_time_factors;
    m.balance_chats = s.balance_chats;
    m.lines = s.lines;
    m.redial_probability = s.redial_probability;
    m.redial_delay = s.redial_delay;
    if (m.redial_delay.kind == DistributionKind::lognormal)
      m.redial_ln = lognormal_parameters(m.redial_delay.mean_value, m.redial_delay.cv);
    m.outbound = s.outbound_handle_time;
    if (m.outbound.kind == DistributionKind::lognormal)
      m.outbound_ln = lognormal_parameters(m.outbound.mean_value, m.outbound.cv);
    m.reserve = s.reserve;
    m.fields += kExtraFields;
  }

  const auto* per_interval = std::get_if<std::vector<int>>(&s.staffing);
  m.count_mode = per_interval != nullptr;

  auto make_segment = [&](int j, double a, double b, int stat_interval) {
    Segment g;
    g.start = a;
    g.end = b;
    g.rate = s.arrival_rate[static_cast<std::size_t>(j)];
    if (!s.handle_time_mean.empty())
      g.handle_scale = s.handle_time_mean[static_cast<std::size_t>(j)] / m.handle.mean_value;
    if (!s.patience_mean.empty())
      g.patience_scale = s.patience_mean[static_cast<std::size_t>(j)] / m.patience.mean_value;
    g.interval = stat_interval;
    g.day = std::min(m.days - 1, segment_day(static_cast<double>(j) * L, s.busyness.period_length));
    g.staff = per_interval ? (*per_interval)[static_cast<std::size_t>(j)] : 0;
    return g;
  };

  // Warm-up: the state of time 0 held constant, or (cyclic) the end of the horizon repeated.
  if (w > 0.0) {
    if (!cyclic) {
      m.segments.push_back(make_segment(0, -w, 0.0, -1));
    } else {
      const int wraps = static_cast<int>(std::ceil(w / H));
      for (int k = wraps; k >= 1; --k) {
        const double off = -static_cast<double>(k) * H;
        for (int j = 0; j < n; ++j) {
          const double a = std::max(off + j * L, -w);
          const double b = std::min(off + (j + 1) * L, 0.0);
          if (b > a) m.segments.push_back(make_segment(j, a, b, -1));
        }
      }
    }
  }
  for (int j = 0; j < n; ++j) m.segments.push_back(make_segment(j, j * L, (j + 1) * L, j));
  {  // after the horizon: no arrivals; staffing of the last interval (or, cyclic, the first)
    Segment tail = make_segment(cyclic ? 0 : n - 1, H, kInf, -1);
    tail.rate = 0.0;
    m.segments.push_back(tail);
  }
  // In trace mode the warm-up has no arrivals.
  if (m.use_trace)
    for (auto& g : m.segments) g.rate = 0.0;

  for (std::size_t i = 0; i < m.segments.size(); ++i)
    m.statics.push_back({m.segments[i].start, 0.0, static_cast<std::int32_t>(i), kSegment});

  if (m.count_mode) {
    int mx = 0;
    for (const auto& g : m.segments) mx = std::max(mx, g.staff);
    m.agents = mx;
  } else {
    const Roster& r = std::get<Roster>(s.staffing);
    int agent = 0;
    for (const ShiftSpan& sh : r.shifts) {
      for (int c = 0; c < sh.agents; ++c, ++agent) {
        auto add_instance = [&](double off) {
          double st = sh.start + off;
          const double en = sh.end + off;
          if (en <= -w) return;
          if (!cyclic && st <= 0.0) st = -w;  // on duty at time 0: on duty in the warm-up too
          st = std::max(st, -w);
          m.statics.push_back({st, 0.0, agent, kShiftStart});
          m.statics.push_back({en, 0.0, agent, kShiftEnd});
          for (const BreakSpan& b : sh.breaks) {
            const double bs = b.start + off;
            if (bs >= st && b.length > 0.0) m.statics.push_back({bs, b.length, agent, kBreakStart});
          }
        };
        if (cyclic) {
          const int wraps = static_cast<int>(std::ceil(w / H)) + 1;
          for (int k = -wraps; k <= 1; ++k) add_instance(static_cast<double>(k) * H);
        } else {
          add_instance(0.0);
        }
      }
    }
    m.agents = agent;
  }
  // the multi-contact loop's pool may hold up to twice the staffing (leavers finishing while a
  // rise brings others on), and its events carry 24 bits of agent index
  if (m.agents >= (1 << 24) || (m.contact_mode && m.agents >= (1 << 23)))
    wfm::detail::throw_invalid("wfm::simulation::simulate", "at most 16777215 agents are supported "
                          "(8388607 with multi-contact features)", m.agents);
  // Ties: interval boundaries first, then shift ends before break and shift starts (handover).
  std::stable_sort(m.statics.begin(), m.statics.end(),
                   [](const StaticEvent& a, const StaticEvent& b) {
                     if (a.time != b.time) return a.time < b.time;
                     if (a.kind != b.kind) return a.kind < b.kind;
                     return a.index < b.index;
                   });
  return m;
}

// ---------------------------------------------------------------------------------------------
// The per-thread workspace and the event loop of one replication.

struct HeapEntry {
  double time;
  std::uint64_t payload;
};

constexpr std::uint64_t kKindShift = 62;
constexpr std::uint64_t kDeparture = 0;
constexpr std::uint64_t kAbandon = 1;
constexpr std::uint64_t kBreakEnd = 2;
constexpr std::uint64_t kLowMask = (std::uint64_t{1} << kKindShift) - 1;

struct Call {
  double arrival;
  double patience;
  double handle;
  std::int32_t interval;
  std::uint8_t abandoned;
};

enum AgentState : std::uint8_t { kOff = 0, kFree, kBusy, kOnBreak };

struct Agent {
  double pending_break = 0.0;  // a break to start after the current call [s]
  std::uint32_t generation = 0;  // invalidates stale break ends
  std::int32_t free_pos = -1;
  AgentState state = kOff;
  bool leave_after_call = false;
};

class Engine {
 public:
  explicit Engine(const Model& m) : m_(m) {}

  /// One replication: the event loop over static events (interval boundaries, shifts,
  /// breaks), dynamic events (departures, abandonments, break ends) and arrivals, in time
  /// order (ties: static, then dynamic, then arrival). Returns the number of events.
  std::uint64_t run(std::uint64_t seed, std::uint64_t replication, double* acc);
  std::vector<LoggedContact>* contact_log = nullptr;  // set for the replication whose log is kept

 private:
  // -- the phases of run() --
  void reset(std::uint64_t seed, std::uint64_t replication, double* acc);
  void on_static(const StaticEvent& e, double t, int& cur_interval, bool& past_horizon);
  void on_dynamic(const HeapEntry& e, double t);
  void on_arrival(const Segment& g, double t);
  void count_unserved(double t);

  // -- heap (binary, 0-based) --
  void heap_push(double t, std::uint64_t payload) {
    heap_.push_back({t, payload});
    std::size_t i = heap_.size() - 1;
    const HeapEntry e = heap_[i];
    while (i > 0) {
      const std::size_t p = (i - 1) / 2;
      if (!(e.time < heap_[p].time)) break;
      heap_[i] = heap_[p];
      i = p;
    }
    heap_[i] = e;
  }
  HeapEntry heap_pop() {
    const HeapEntry top = heap_[0];
    const HeapEntry last = heap_.back();
    heap_.pop_back();
    const std::size_t n = heap_.size();
    if (n > 0) {
      std::size_t i = 0;
      for (;;) {
        std::size_t c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && heap_[c + 1].time < heap_[c].time) ++c;
        if (!(heap_[c].time < last.time)) break;
        heap_[i] = heap_[c];
        i = c;
      }
      heap_[i] = last;
    }
    return top;
  }

  // -- calls ring buffer; ids are global sequence numbers, slot = id & mask --
  Call& call(std::uint64_t id) { return ring_[id & ring_mask_]; }
  void push_call(const Call& c) {
    if (tail_ - head_ == ring_.size()) grow_ring();
    ring_[tail_ & ring_mask_] = c;
    ++tail_;
  }
  void grow_ring() {
    std::vector<Call> bigger(ring_.size() * 2);
    const std::uint64_t mask = bigger.size() - 1;
    for (std::uint64_t id = head_; id < tail_; ++id) bigger[id & mask] = ring_[id & ring_mask_];
    ring_.swap(bigger);
    ring_mask_ = mask;
  }

  // -- agents --
  void free_push(int a) {
    agents_[static_cast<std::size_t>(a)].free_pos = static_cast<std::int32_t>(free_.size());
    agents_[static_cast<std::size_t>(a)].state = kFree;
    free_.push_back(a);
  }
  void free_remove(int a) {
    Agent& ag = agents_[static_cast<std::size_t>(a)];
    const auto pos = static_cast<std::size_t>(ag.free_pos);
    const int last = free_.back();
    free_[pos] = last;
    agents_[static_cast<std::size_t>(last)].free_pos = static_cast<std::int32_t>(pos);
    free_.pop_back();
    ag.free_pos = -1;
  }
  int free_pop() {
    const int a = free_.back();
    free_.pop_back();
    agents_[static_cast<std::size_t>(a)].free_pos = -1;
    return a;
  }

  double* row(int interval) { return acc_ + static_cast<std::ptrdiff_t>(interval) * m_.fields; }

  void serve(int a, double t, double handle) {
    agents_[static_cast<std::size_t>(a)].state = kBusy;
    ++busy_;
    heap_push(t + handle, (kDeparture << kKindShift) | static_cast<std::uint64_t>(a));
  }
  void record_answer(int interval, double wait) {
    if (interval < 0) return;
    record_answered(row(interval), m_.targets, wait);
  }
  // An agent becomes available at t: resolve ghosts at the head, take the next waiting call,
  // or join the free set.
  void make_available(int a, double t) {
    while (head_ < tail_) {
      Call& c = call(head_);
      ++head_;
      if (c.abandoned) {
        if (c.interval >= 0 && c.patience <= m_.max_target)
          count_within(row(c.interval), m_.targets, t - c.arrival, kWithinVirtual);
        continue;
      }
      --waiting_;
      record_answer(c.interval, t - c.arrival);
      if (contact_log != nullptr && c.interval >= 0)
        contact_log->push_back({c.arrival, t - c.arrival, c.handle, a, true, false});
      serve(a, t, c.handle);
      return;
    }
    free_push(a);
  }

  void set_staff(int n, double t);
  double draw_duration(Xoshiro256pp& g, NormalGenerator& ng, const Distribution& d,
                       const LognormalParameters& ln) {
    switch (d.kind) {
      case DistributionKind::exponential: return d.mean_value * standard_exponential(g);
      case DistributionKind::lognormal: return std::exp(ln.mu + ln.sigma * ng(g));
      case DistributionKind::empirical: {
        const auto n = d.sample.size();
        auto i = static_cast<std::size_t>(uniform01(g) * static_cast<double>(n));
        return d.sample[std::min(i, n - 1)];
      }
      case DistributionKind::none: return kInf;
    }
    return kInf;
  }
  double next_arrival(double t);

  const Model& m_;
  std::vector<HeapEntry> heap_;
  std::vector<Call> ring_;
  std::uint64_t ring_mask_ = 0;
  std::uint64_t head_ = 0, tail_ = 0;
  std::vector<Agent> agents_;
  std::vector<int> free_;
  std::vector<int> off_;  // per-interval staffing: agents not on duty
  std::vector<double> factors_;
  double* acc_ = nullptr;
  int busy_ = 0, available_ = 0, waiting_ = 0;
  int staff_target_ = 0;
  // arrival process
  Xoshiro256pp arr_rng_{0};
  Xoshiro256pp handle_rng_{0};
  Xoshiro256pp patience_rng_{0};
  NormalGenerator handle_normal_;
  NormalGenerator patience_normal_;
  std::size_t aseg_ = 0;
  std::size_t trace_pos_ = 0;
};

// Per-interval staffing, the end-of-shift rule of scenario.hpp: a cut sends free agents off
// first; if more must go, that many busy agents (lowest index first: a choice that does not
// look at the call in hand) finish their call and log off (leave_after_call) while the others
// keep taking calls. A rise brings on agents who are off (a new one when every agent is on
// duty or finishing a call): an agent who is leaving is never called back.
void Engine::set_staff(int n, double t) {
  if (n > staff_target_) {
    for (int d = n - staff_target_; d > 0; --d) {
      int a = static_cast<int>(agents_.size());
      if (off_.empty()) {
        agents_.push_back(Agent{});
      } else {
        a = off_.back();
        off_.pop_back();
      }
      ++available_;
      make_available(a, t);
    }
  } else if (n < staff_target_) {
    int d = staff_target_ - n;
    while (d > 0 && !free_.empty()) {
      const int a = free_pop();
      agents_[static_cast<std::size_t>(a)].state = kOff;
      off_.push_back(a);
      --available_;
      --d;
    }
    for (std::size_t a = 0; d > 0 && a < agents_.size(); ++a) {
      Agent& ag = agents_[a];
      if (ag.state == kBusy && !ag.leave_after_call) {
        ag.leave_after_call = true;
        --d;
      }
    }
  }
  staff_target_ = n;
}

double Engine::next_arrival(double t) {
  if (m_.use_trace) {
    if (trace_pos_ < m_.trace.size()) return m_.trace[trace_pos_++];
    return kInf;
  }
  while (aseg_ < m_.segments.size()) {
    const Segment& g = m_.segments[aseg_];
    if (t < g.start) t = g.start;
    const double rate = g.rate * factors_[static_cast<std::size_t>(g.day)];
    if (rate > 0.0) {
      const double t2 = t + standard_exponential(arr_rng_) / rate;
      if (t2 < g.end) return t2;
    }
    // Memorylessness: restart at the boundary with the next segment's rate.
    t = g.end;
    ++aseg_;
  }
  return kInf;
}

void Engine::reset(std::uint64_t seed, std::uint64_t replication, double* acc) {
  acc_ = acc;
  std::fill(acc, acc + static_cast<std::ptrdiff_t>(m_.intervals) * m_.fields, 0.0);
  heap_.clear();
  if (ring_.empty()) {
    ring_.resize(kPolicy.initial_queue_capacity);
    ring_mask_ = ring_.size() - 1;
  }
  head_ = tail_ = 0;
  agents_.assign(static_cast<std::size_t>(m_.agents), Agent{});
  free_.clear();
  free_.reserve(static_cast<std::size_t>(m_.agents));
  off_.clear();
  if (m_.count_mode)
    for (int a = m_.agents - 1; a >= 0; --a) off_.push_back(a);
  busy_ = available_ = waiting_ = staff_target_ = 0;

  arr_rng_ = Xoshiro256pp::stream(seed, replication, Source::arrivals);
  handle_rng_ = Xoshiro256pp::stream(seed, replication, Source::handle_time);
  patience_rng_ = Xoshiro256pp::stream(seed, replication, Source::patience);
  handle_normal_ = NormalGenerator{};
  patience_normal_ = NormalGenerator{};
  factors_.assign(static_cast<std::size_t>(m_.days), 1.0);
  if (m_.busyness_cv > 0.0) {
    Xoshiro256pp g = Xoshiro256pp::stream(seed, replication, Source::busyness);
    NormalGenerator ng;
    const double shape = 1.0 / (m_.busyness_cv * m_.busyness_cv);
    for (auto& f : factors_) f = standard_gamma(g, ng, shape) / shape;
  }
  aseg_ = 0;
  trace_pos_ = 0;
}

std::uint64_t Engine::run(std::uint64_t seed, std::uint64_t replication, double* acc) {
  reset(seed, replication, acc);
  const std::vector<StaticEvent>& statics = m_.statics;
  const std::size_t n_static = statics.size();
  std::size_t si = 0;
  double t = m_.start_time;
  int cur_interval = -1;
  bool past_horizon = false;
  std::uint64_t events = 0;
  double next_arr = next_arrival(t);
  std::size_t arr_seg = aseg_;

  for (;;) {
    if (past_horizon && next_arr == kInf && waiting_ == 0 && head_ == tail_) break;
    const double ts = si < n_static ? statics[si].time : kInf;
    const double th = heap_.empty() ? kInf : heap_[0].time;
    const double tn = std::min(ts, std::min(th, next_arr));
    if (tn == kInf) break;
    if (cur_interval >= 0) {
      double* r = row(cur_interval);
      const double dt = tn - t;
      r[fBusy] += busy_ * dt;
      r[fAvailable] += available_ * dt;
    }
    t = tn;
    ++events;
    if (ts <= th && ts <= next_arr) {
      on_static(statics[si++], t, cur_interval, past_horizon);
    } else if (th <= next_arr) {
      on_dynamic(heap_pop(), t);
    } else {
      on_arrival(m_.segments[arr_seg], t);
      next_arr = next_arrival(t);
      arr_seg = aseg_;
    }
  }
  count_unserved(t);
  return events;
}

void Engine::on_static(const StaticEvent& e, double t, int& cur_interval, bool& past_horizon) {
  switch (e.kind) {
    case kSegment: {
      const Segment& g = m_.segments[static_cast<std::size_t>(e.index)];
      cur_interval = g.interval;
      if (g.start >= m_.interval_length * m_.intervals) past_horizon = true;
      if (m_.count_mode) set_staff(g.staff, t);
      break;
    }
    case kShiftStart: {
      Agent& ag = agents_[static_cast<std::size_t>(e.index)];
      if (ag.state == kOff) {
        ++available_;
        make_available(e.index, t);
      } else if (ag.state == kBusy) {
        ag.leave_after_call = false;  // overtime ran into the next shift: just carry on
      }
      break;
    }
    case kShiftEnd: {
      Agent& ag = agents_[static_cast<std::size_t>(e.index)];
      if (ag.state == kFree) {
        free_remove(e.index);
        ag.state = kOff;
        --available_;
      } else if (ag.state == kBusy) {
        ag.leave_after_call = true;
        ag.pending_break = 0.0;
      } else if (ag.state == kOnBreak) {
        ag.state = kOff;
        ++ag.generation;
      }
      break;
    }
    case kBreakStart: {
      Agent& ag = agents_[static_cast<std::size_t>(e.index)];
      if (ag.state == kFree) {
        free_remove(e.index);
        ag.state = kOnBreak;
        --available_;
        ++ag.generation;
        heap_push(t + e.length, (kBreakEnd << kKindShift) |
                                    (static_cast<std::uint64_t>(ag.generation) << 24) |
                                    static_cast<std::uint64_t>(e.index));
      } else if (ag.state == kBusy && !ag.leave_after_call) {
        ag.pending_break = e.length;
      }
      break;
    }
  }
}

void Engine::on_dynamic(const HeapEntry& e, double t) {
  const std::uint64_t kind = e.payload >> kKindShift;
  const std::uint64_t low = e.payload & kLowMask;
  if (kind == kDeparture) {
    const int a = static_cast<int>(low);
    Agent& ag = agents_[static_cast<std::size_t>(a)];
    --busy_;
    if (ag.leave_after_call) {
      ag.leave_after_call = false;
      ag.state = kOff;
      --available_;
      if (m_.count_mode) off_.push_back(a);
    } else if (ag.pending_break > 0.0) {
      ag.state = kOnBreak;
      --available_;
      ++ag.generation;
      heap_push(t + ag.pending_break, (kBreakEnd << kKindShift) |
                                          (static_cast<std::uint64_t>(ag.generation) << 24) |
                                          static_cast<std::uint64_t>(a));
      ag.pending_break = 0.0;
    } else {
      make_available(a, t);
    }
  } else if (kind == kAbandon) {
    const std::uint64_t id = low;
    if (id >= head_) {  // otherwise stale: the call was answered
      Call& c = call(id);
      c.abandoned = 1;
      --waiting_;
      if (c.interval >= 0) {
        record_abandoned(row(c.interval), m_.targets, c.patience);
        if (contact_log != nullptr)
          contact_log->push_back({c.arrival, c.patience, 0.0, -1, false, false});
      }
    }
  } else {  // break end
    const int a = static_cast<int>(low & 0xFFFFFF);
    const auto gen = static_cast<std::uint32_t>(low >> 24);
    Agent& ag = agents_[static_cast<std::size_t>(a)];
    if (ag.state == kOnBreak && (ag.generation & 0xFFFFFFFFu) == gen) {
      ++available_;
      make_available(a, t);
    }
  }
}

void Engine::on_arrival(const Segment& g, double t) {
  int interval = g.interval;
  double hscale = g.handle_scale;
  double pscale = g.patience_scale;
  if (m_.use_trace) {
    interval = std::min(m_.intervals - 1, static_cast<int>(t / m_.interval_length));
    const Segment& gi = m_.segments[m_.segments.size() - 1 - static_cast<std::size_t>(
                                                                  m_.intervals - interval)];
    hscale = gi.handle_scale;
    pscale = gi.patience_scale;
  }
  const double handle =
      hscale * draw_duration(handle_rng_, handle_normal_, m_.handle, m_.handle_ln);
  const double patience =
      pscale * draw_duration(patience_rng_, patience_normal_, m_.patience, m_.patience_ln);
  if (interval >= 0) row(interval)[fOffered] += 1.0;
  if (!free_.empty()) {
    const int a = free_pop();
    record_answer(interval, 0.0);
    if (contact_log != nullptr && interval >= 0)
      contact_log->push_back({t, 0.0, handle, a, true, false});
    serve(a, t, handle);
  } else {
    const std::uint64_t id = tail_;
    push_call({t, patience, handle, interval, 0});
    ++waiting_;
    if (patience < kInf) heap_push(t + patience, (kAbandon << kKindShift) | id);
  }
}

// Calls still waiting: no agent will ever come back for them.
void Engine::count_unserved(double t) {
  for (std::uint64_t id = head_; id < tail_; ++id) {
    const Call& c = call(id);
    if (c.abandoned || c.interval < 0) continue;
    double* r = row(c.interval);
    r[fUnserved] += 1.0;
    r[fWaitAll] += t - c.arrival;
    if (contact_log != nullptr)
      contact_log->push_back({c.arrival, t - c.arrival, 0.0, -1, false, true});
  }
}

// ---------------------------------------------------------------------------------------------
// Reduction over replications.

struct MeasureAccumulators {
  detail::RatioAccumulator offered, answered, abandoned, unserved, abandon_rate, asa_all,
      asa_answered, occupancy;
  std::vector<detail::RatioAccumulator> sl;
  bool contact = false;  // the rows carry ReplicationSums::Extra fields
  detail::RatioAccumulator blocking, attempt_rate, lost, customer_sl, outbound_throughput;
};

void add_replication(MeasureAccumulators& m, const double* r, const std::vector<ServiceLevelKey>& keys,
                     const std::vector<double>& targets) {
  m.offered.add(0.0, r[fOffered]);
  m.answered.add(0.0, r[fAnswered]);
  m.abandoned.add(0.0, r[fAbandoned]);
  m.unserved.add(0.0, r[fUnserved]);
  m.abandon_rate.add(r[fOffered], r[fAbandoned]);
  m.asa_all.add(r[fOffered], r[fWaitAll]);
  m.asa_answered.add(r[fAnswered], r[fWaitAnswered]);
  m.occupancy.add(r[fAvailable], r[fBusy]);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const auto k = static_cast<std::size_t>(
        std::find(targets.begin(), targets.end(), keys[i].target_time) - targets.begin());
    const double aw = r[kBaseFields + kPerTarget * k];
    const double ap = r[kBaseFields + kPerTarget * k + kWithinAbandoned];
    const double gv = r[kBaseFields + kPerTarget * k + kWithinVirtual];
    using D = queueing::ServiceLevelDefinition;
    switch (keys[i].definition) {
      case D::answered_within: m.sl[i].add(r[fOffered], aw); break;
      case D::wait_within: m.sl[i].add(r[fOffered], aw + ap); break;
      case D::virtual_wait_within: m.sl[i].add(r[fOffered], aw + gv); break;
      case D::answered_given_answered: m.sl[i].add(r[fAnswered], aw); break;
    }
  }
  if (!m.contact) return;
  const double* x = r + kBaseFields + kPerTarget * static_cast<std::ptrdiff_t>(targets.size());
  using E = ReplicationSums::Extra;
  m.blocking.add(r[fOffered], x[E::blocked]);
  m.attempt_rate.add(x[E::duration], r[fOffered]);
  m.lost.add(x[E::customers], x[E::lost]);
  m.customer_sl.add(x[E::customers], x[E::customer_within]);
  m.outbound_throughput.add(x[E::duration], x[E::outbound_done]);
}

Measures finish(const MeasureAccumulators& a, double tq) {
  Measures m;
  m.volume = a.offered.mean(tq);
  m.answered = a.answered.mean(tq);
  m.abandoned = a.abandoned.mean(tq);
  m.unserved = a.unserved.mean(tq);
  m.abandon_rate = a.abandon_rate.ratio(tq, 0.0);
  m.asa_s = a.asa_all.ratio(tq, 0.0);
  m.asa_answered_s = a.asa_answered.ratio(tq, 0.0);
  m.occupancy = a.occupancy.ratio(tq, 0.0);
  for (const auto& s : a.sl) m.service_level.push_back(s.ratio(tq, 1.0));
  if (a.contact) {
    m.blocking_rate = a.blocking.ratio(tq, 0.0);
    m.effective_arrival_rate = a.attempt_rate.ratio(tq, 0.0);
    m.lost_rate = a.lost.ratio(tq, 0.0);
    m.customer_service_level = a.customer_sl.ratio(tq, 1.0);
    m.outbound_throughput = a.outbound_throughput.ratio(tq, 0.0);
  }
  return m;
}

/// The reduction over replications, shared by simulate() and merge(): replications must be
/// added in replication order, so that both give the same sums in the same order.
class Reduction {
 public:
  Reduction(int intervals, std::size_t row_size, const std::vector<ServiceLevelKey>& keys,
            const std::vector<double>& targets, bool contact)
      : intervals_(intervals), row_size_(row_size), keys_(keys), targets_(targets),
        contact_(contact), acc_(static_cast<std::size_t>(intervals) + 1), total_row_(row_size) {
    for (auto& a : acc_) {
      a.sl.resize(keys.size());
      a.contact = contact;
    }
  }

  /// Adds one replication's rows (intervals x row_size values); with `keep_replications`, its
  /// whole-horizon measures are appended to `totals`.
  void add(const double* rows, bool keep_replications, std::vector<Measures>& totals) {
    std::fill(total_row_.begin(), total_row_.end(), 0.0);
    for (int j = 0; j < intervals_; ++j) {
      const double* r = rows + static_cast<std::size_t>(j) * row_size_;
      add_replication(acc_[static_cast<std::size_t>(j)], r, keys_, targets_);
      for (std::size_t f = 0; f < row_size_; ++f) total_row_[f] += r[f];
    }
    add_replication(acc_.back(), total_row_.data(), keys_, targets_);
    if (!keep_replications) return;
    MeasureAccumulators one;
    one.sl.resize(keys_.size());
    one.contact = contact_;
    add_replication(one, total_row_.data(), keys_, targets_);
    Measures mm = finish(one, 0.0);
    for (Estimate* e : {&mm.volume, &mm.answered, &mm.abandoned, &mm.unserved, &mm.abandon_rate,
                        &mm.asa_s, &mm.asa_answered_s, &mm.occupancy, &mm.blocking_rate,
                        &mm.effective_arrival_rate, &mm.lost_rate, &mm.customer_service_level,
                        &mm.outbound_throughput})
      e->half_width = 0.0;
    for (auto& e : mm.service_level) e.half_width = 0.0;
    totals.push_back(std::move(mm));
  }

  /// The estimates over `replications` added replications, into `result`.
  void finish_into(SimulationResult& result, int replications) const {
    const double tq = detail::t975(replications - 1);
    result.intervals.reserve(static_cast<std::size_t>(intervals_));
    for (int j = 0; j < intervals_; ++j)
      result.intervals.push_back(finish(acc_[static_cast<std::size_t>(j)], tq));
    result.total = finish(acc_.back(), tq);
  }

 private:
  int intervals_;
  std::size_t row_size_;
  const std::vector<ServiceLevelKey>& keys_;
  const std::vector<double>& targets_;
  bool contact_;
  std::vector<MeasureAccumulators> acc_;  // per interval, then the whole horizon
  std::vector<double> total_row_;
};

void validate_options(const RunOptions& o) {
  constexpr std::string_view where = "wfm::simulation::simulate";
  if (o.replications < 1 || o.replications > limits::max_replications)
    wfm::detail::throw_invalid(
        where, fmt::format("replications must be in [1, {:g}] (wfm::limits::max_replications)",
                           limits::max_replications),
        o.replications);
  if (o.threads < 0) wfm::detail::throw_invalid(where, "threads must be >= 0", o.threads);
  if (o.first_replication < 0 ||
      o.first_replication > std::numeric_limits<std::int64_t>::max() - o.replications)
    wfm::detail::throw_invalid(where,
                               "first_replication must be >= 0 with first_replication + "
                               "replications <= 2^63 - 1",
                               static_cast<double>(o.first_replication));
  wfm::detail::require_nonnegative(where, "warmup [s]", o.warmup);
  if (o.warmup > limits::max_simulated_time)
    wfm::detail::throw_invalid(
        where, fmt::format("warmup [s] must be <= {:g} (wfm::limits::max_simulated_time)",
                           limits::max_simulated_time),
        o.warmup);
  if (o.target_times.empty()) wfm::detail::throw_invalid(where, "target_times must not be empty");
  for (double t : o.target_times) wfm::detail::require_nonnegative(where, "target_times [s]", t);
  if (o.definitions.empty()) wfm::detail::throw_invalid(where, "definitions must not be empty");
}

/// Multi-contact runs: outbound jobs never stop while agents are on duty, so their expected
/// number (agents x simulated time / mean job time) is bounded like the calls.
void check_contact_run_size(const Scenario& s, const RunOptions& o) {
  if (s.outbound_handle_time.kind == DistributionKind::none) return;
  const auto* staff = std::get_if<std::vector<int>>(&s.staffing);
  if (staff == nullptr || staff->empty()) return;  // validate() rejects a Roster
  const double most = *std::max_element(staff->begin(), staff->end());
  const double jobs = most * (s.horizon_length() + o.warmup) / s.outbound_handle_time.mean();
  if (!(jobs <= limits::max_expected_calls))
    wfm::detail::throw_invalid(
        "wfm::simulation::simulate",
        fmt::format("agents x (horizon + warmup) [s] / outbound_handle_time mean [s] gives {:g} "
                    "expected outbound jobs per replication; at most {:g} are supported "
                    "(wfm::limits::max_expected_calls)",
                    jobs, limits::max_expected_calls),
        jobs);
}

/// Rejects runs whose size no contact centre has, before any memory is allocated: the number
/// of warm-up segments of a cyclic scenario and the expected arrivals per replication
/// (wfm/core/limits.hpp gives the reasons).
void check_run_size(const Scenario& s, const RunOptions& o) {
  constexpr std::string_view where = "wfm::simulation::simulate";
  const double n = static_cast<double>(s.intervals());
  const double h = s.horizon_length();
  const bool cyclic = s.is_cyclic();
  if (cyclic && o.warmup > 0.0 && std::ceil(o.warmup / h) * (n + 1.0) > limits::max_warmup_segments)
    wfm::detail::throw_invalid(
        where,
        fmt::format("warmup [s] spans {:g} repetitions of the {:g} s cyclic horizon; at most {:g} "
                    "warm-up segments are supported (wfm::limits::max_warmup_segments)",
                    std::ceil(o.warmup / h), h, limits::max_warmup_segments),
        o.warmup);
  check_contact_run_size(s, o);
  if (!s.arrival_times.empty()) return;  // trace-driven: the trace is the arrivals
  double calls = 0.0;
  for (double r : s.arrival_rate) calls += r * s.interval_length;
  // Each customer makes at most 1 / (1 - r) attempts on average (r = redial probability).
  calls /= 1.0 - s.redial_probability;
  if (!(calls <= limits::max_expected_calls))
    wfm::detail::throw_invalid(
        where,
        fmt::format("arrival_rate [1/s] x interval_length [s] gives {:g} expected calls per "
                    "replication; at most {:g} are supported (wfm::limits::max_expected_calls)",
                    calls, limits::max_expected_calls),
        calls);
  // Warm-up arrivals: the rate of time 0 (cyclic: the horizon repeated).
  const double warm = cyclic ? calls * (o.warmup / h) : s.arrival_rate.front() * o.warmup;
  if (!(calls + warm <= limits::max_expected_calls))
    wfm::detail::throw_invalid(
        where,
        fmt::format("warmup [s] brings the expected calls per replication to {:g}; at most {:g} "
                    "are supported (wfm::limits::max_expected_calls)",
                    calls + warm, limits::max_expected_calls),
        o.warmup);
  const double total = (calls + warm) * static_cast<double>(o.replications);
  if (!(total <= limits::max_total_calls))
    wfm::detail::throw_invalid(
        where,
        fmt::format("replications x expected calls per replication gives {:g} calls; at most {:g} "
                    "are supported (wfm::limits::max_total_calls)",
                    total, limits::max_total_calls),
        o.replications);
}

}  // namespace

SimulationResult simulate(const Scenario& scenario, const RunOptions& options) {
  validate(scenario);
  validate_options(options);
  check_run_size(scenario, options);
  RunOptions o = options;
  // Duplicate target times would double-count nothing but clutter the keys: drop them.
  {
    std::vector<double> uniq;
    for (double t : o.target_times)
      if (std::find(uniq.begin(), uniq.end(), t) == uniq.end()) uniq.push_back(t);
    o.target_times = uniq;
  }
  const Model model = compile(scenario, o);

  SimulationResult result;
  result.replications = o.replications;
  result.multi_contact = model.contact_mode;
  for (auto d : o.definitions)
    for (double t : o.target_times) result.service_levels.push_back({d, t});
  const int n_int = model.intervals;
  const auto row_size = static_cast<std::size_t>(model.fields);
  Reduction reduction(n_int, row_size, result.service_levels, o.target_times,
                      model.contact_mode);
  if (o.keep_sums) {
    result.sums.contact = model.contact_mode;
    result.sums.first_replication = o.first_replication;
    result.sums.intervals = n_int;
    result.sums.target_times = o.target_times;
    result.sums.service_levels = result.service_levels;
    result.sums.values.reserve(static_cast<std::size_t>(o.replications) *
                               static_cast<std::size_t>(n_int) * row_size);
  }

  int threads = o.threads > 0 ? o.threads : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::max(1, std::min(threads, o.replications));
  const int block = std::min(o.replications, std::max(kPolicy.replications_per_thread_per_block * threads,
                                                       kPolicy.min_replications_per_block));
  std::vector<double> buffers(static_cast<std::size_t>(block) * static_cast<std::size_t>(n_int) *
                              row_size);
  std::vector<std::uint64_t> block_events(static_cast<std::size_t>(block));
  std::vector<Engine> engines;
  std::vector<std::unique_ptr<ContactEngine>> contact_engines;
  engines.reserve(static_cast<std::size_t>(threads));
  for (int i = 0; i < threads; ++i) {
    if (model.contact_mode)
      contact_engines.push_back(make_contact_engine(model));
    else
      engines.emplace_back(model);
  }
  const auto started = std::chrono::steady_clock::now();
  int done = 0;

  for (int first = 0; first < o.replications; first += block) {
    const int count = std::min(block, o.replications - first);
    std::atomic<int> next{0};
    // An exception in a worker (bad_alloc) must reach the caller, never std::terminate: the
    // first one is kept, the other workers stop taking replications, and it is rethrown after
    // the join.
    std::exception_ptr failure;
    std::mutex failure_mutex;
    auto work = [&](int tid) {
      try {
        for (;;) {
          const int i = next.fetch_add(1);
          if (i >= count) return;
          double* buf = buffers.data() + static_cast<std::size_t>(i) *
                                             static_cast<std::size_t>(n_int) * row_size;
          auto* log = o.keep_contact_log && first + i == 0 ? &result.contact_log : nullptr;
          const auto replication = static_cast<std::uint64_t>(o.first_replication + first + i);
          if (model.contact_mode) {
            ContactEngine& engine = *contact_engines[static_cast<std::size_t>(tid)];
            engine.contact_log = log;
            block_events[static_cast<std::size_t>(i)] = engine.run(o.seed, replication, buf);
            engine.contact_log = nullptr;
          } else {
            Engine& engine = engines[static_cast<std::size_t>(tid)];
            engine.contact_log = log;
            block_events[static_cast<std::size_t>(i)] = engine.run(o.seed, replication, buf);
            engine.contact_log = nullptr;
          }
        }
      } catch (...) {
        next.store(count);
        const std::lock_guard<std::mutex> lock(failure_mutex);
        if (!failure) failure = std::current_exception();
      }
    };
    if (threads == 1) {
      work(0);
    } else {
      std::vector<std::thread> pool;
      pool.reserve(static_cast<std::size_t>(threads));
      for (int tid = 0; tid < threads; ++tid) pool.emplace_back(work, tid);
      for (auto& th : pool) th.join();
    }
    if (failure) std::rethrow_exception(failure);
    // Reduce in replication order: deterministic whatever the thread count.
    const std::size_t replication_size = static_cast<std::size_t>(n_int) * row_size;
    for (int i = 0; i < count; ++i) {
      const double* buf = buffers.data() + static_cast<std::size_t>(i) * replication_size;
      reduction.add(buf, o.keep_replications, result.replication_totals);
      result.events += block_events[static_cast<std::size_t>(i)];
    }
    if (o.keep_sums) {
      result.sums.values.insert(result.sums.values.end(), buffers.begin(),
                                buffers.begin() + static_cast<std::ptrdiff_t>(
                                                      static_cast<std::size_t>(count) *
                                                      replication_size));
      result.sums.replications += count;
      result.sums.events = result.events;
    }
    done = first + count;
    if (o.progress) {
      Progress p;
      p.step = "simulate";
      p.done = done;
      p.total = o.replications;
      p.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      if (!o.progress(p) && done < o.replications) {
        result.status = Status::feasible;
        result.message = fmt::format("stopped by the progress callback after {} of {} replications",
                                     done, o.replications);
        break;
      }
    }
  }
  result.replications = done;
  reduction.finish_into(result, done);
  return result;
}

SimulationResult simulate(const IntervalGrid& grid, Scenario scenario, const RunOptions& options) {
  constexpr std::string_view where = "wfm::simulation::simulate";
  if (scenario.arrival_rate.size() != grid.size())
    wfm::detail::throw_invalid(where, fmt::format("the scenario has {} intervals, the grid {}",
                                             scenario.arrival_rate.size(), grid.size()));
  if (scenario.interval_length != static_cast<double>(grid.interval_length_s()))
    wfm::detail::throw_invalid(where, "scenario.interval_length [s] differs from the grid's",
                          scenario.interval_length);
  for (std::size_t i = 0; i < grid.size(); ++i)
    if (!grid.is_open(i)) scenario.arrival_rate[i] = 0.0;
  SimulationResult r = simulate(scenario, options);
  r.grid = grid;
  return r;
}

namespace {

bool same_keys(const std::vector<ServiceLevelKey>& a, const std::vector<ServiceLevelKey>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const ServiceLevelKey& x, const ServiceLevelKey& y) {
                      return x.definition == y.definition && x.target_time == y.target_time;
                    });
}

/// merge()'s checks: parts that fit together as one run of consecutive replications.
void validate_parts(const std::vector<ReplicationSums>& parts) {
  constexpr std::string_view where = "wfm::simulation::merge";
  if (parts.empty()) wfm::detail::throw_invalid(where, "parts must not be empty");
  const ReplicationSums& p0 = parts.front();
  if (p0.service_levels.empty() || p0.target_times.empty())
    wfm::detail::throw_invalid(where, "parts[0] holds no sums (simulate with keep_sums)");
  for (std::size_t k = 0; k < parts.size(); ++k) {
    const ReplicationSums& p = parts[k];
    const std::string name = fmt::format("parts[{}]", k);
    if (p.replications < 1)
      wfm::detail::throw_invalid(where, name + ".replications must be >= 1 (simulate with keep_sums)",
                                 p.replications);
    if (p.contact != p0.contact)
      wfm::detail::throw_invalid(where, name + ".contact differs from parts[0]'s", p.contact);
    if (p.intervals != p0.intervals)
      wfm::detail::throw_invalid(where, name + ".intervals differs from parts[0]'s", p.intervals);
    if (p.target_times != p0.target_times || !same_keys(p.service_levels, p0.service_levels))
      wfm::detail::throw_invalid(where, name + ": target times or service-level keys differ from "
                                               "parts[0]'s");
    const std::size_t expected = static_cast<std::size_t>(p.replications) *
                                 static_cast<std::size_t>(p.intervals) * p.fields();
    if (p.values.size() != expected)
      wfm::detail::throw_invalid(
          where, fmt::format("{}.values must hold replications x intervals x fields() = {} values",
                             name, expected),
          static_cast<double>(p.values.size()));
    if (k > 0 && p.first_replication != parts[k - 1].first_replication + parts[k - 1].replications)
      wfm::detail::throw_invalid(
          where,
          fmt::format("{}.first_replication must be {} (where parts[{}] ends)", name,
                      parts[k - 1].first_replication + parts[k - 1].replications, k - 1),
          static_cast<double>(p.first_replication));
  }
  std::int64_t total = 0;
  for (const ReplicationSums& p : parts) total += p.replications;
  if (total > static_cast<std::int64_t>(std::numeric_limits<int>::max()))
    wfm::detail::throw_invalid(where, "the parts hold more than 2^31 - 1 replications",
                               static_cast<double>(total));
}

}  // namespace

SimulationResult merge(const std::vector<ReplicationSums>& parts, bool keep_replications) {
  validate_parts(parts);
  const ReplicationSums& p0 = parts.front();
  const std::size_t row_size = p0.fields();
  const std::size_t replication_size = static_cast<std::size_t>(p0.intervals) * row_size;
  SimulationResult result;
  result.service_levels = p0.service_levels;
  result.sums.first_replication = p0.first_replication;
  result.sums.intervals = p0.intervals;
  result.sums.target_times = p0.target_times;
  result.sums.service_levels = p0.service_levels;
  result.sums.contact = p0.contact;
  result.multi_contact = p0.contact;
  Reduction reduction(p0.intervals, row_size, result.service_levels, p0.target_times, p0.contact);
  std::size_t values = 0;
  for (const ReplicationSums& p : parts) values += p.values.size();
  result.sums.values.reserve(values);
  for (const ReplicationSums& p : parts) {
    for (int i = 0; i < p.replications; ++i)
      reduction.add(p.values.data() + static_cast<std::size_t>(i) * replication_size,
                    keep_replications, result.replication_totals);
    result.events += p.events;
    result.sums.values.insert(result.sums.values.end(), p.values.begin(), p.values.end());
    result.sums.replications += p.replications;
  }
  result.sums.events = result.events;
  result.replications = result.sums.replications;
  reduction.finish_into(result, result.replications);
  return result;
}

}  // namespace wfm::simulation
