// The multi-contact event loop of wfm::simulation: chat concurrency, finite lines with busy
// signals and redials, and outbound work for call blending (Scenario's multi-contact fields).
//
// It shares the compiled Model (engine.hpp: segments, interval starts, the row layout) with the
// classic loop in simulator.cpp, which stays untouched and runs every scenario without these
// features, so those results are unchanged bit for bit.
//
// Design:
// - An agent holds up to m = factors.size() contacts (slots). Each contact carries its remaining
//   work [s at concurrency 1]; an agent holding j contacts works through each at speed 1 / f_j.
//   The agent's next departure is last_update + min remaining work x f_j; any change of its
//   contacts updates the works to now and pushes a new departure with a new generation, and
//   departures of older generations are stale (never removed from the heap).
// - Routing: agents on duty sit in buckets by load (0 .. m); a new contact goes to an agent of
//   the lowest non-full bucket. With balance_chats, a departure that leaves an agent two below
//   the busiest moves one contact (with its remaining work) over: the loads then always are the
//   q / q + 1 split that wfm::queueing::ChatConcurrency assumes.
// - Lines: contacts in the system (in service + waiting) are counted; an attempt that finds
//   `lines` of them is blocked. Blocked and abandoned attempts redial with probability r after a
//   drawn delay (a heap event), as a new attempt of the same customer.
// - Outbound (m = 1): an agent with nothing to do starts an outbound job when at least `reserve`
//   other agents are idle; the job is one "contact" of work drawn from outbound_handle_time.
// - Abandoned contacts stay in the FCFS queue as ghosts until a slot would have reached them,
//   which gives their virtual wait, as in the classic loop.

#include <algorithm>
#include <cmath>
#include <deque>
#include <functional>
#include <limits>
#include <queue>
#include <vector>

#include "engine.hpp"

namespace wfm::simulation::engine {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr std::uint64_t kKindShift = 62;
constexpr std::uint64_t kDeparture = 0;
constexpr std::uint64_t kAbandon = 1;
constexpr std::uint64_t kRedial = 2;
constexpr std::uint64_t kLowMask = (std::uint64_t{1} << kKindShift) - 1;
constexpr std::uint64_t kAgentBits = 24;
constexpr std::uint64_t kAgentMask = (std::uint64_t{1} << kAgentBits) - 1;

struct Event {
  double time;
  std::uint64_t payload;
  bool operator>(const Event& o) const noexcept { return time > o.time; }
};

struct Call {
  double arrival = 0.0;
  double patience = kInf;
  double work = 0.0;          // [s at concurrency 1]
  std::int32_t interval = -1;  // of this attempt
  std::int32_t first_interval = -1;  // of the customer's first attempt
  bool first = true;
  bool abandoned = false;
};

struct Agent {
  double last = 0.0;  // time up to which the works are current
  std::uint64_t generation = 0;
  int load = 0;       // contacts in progress (an outbound job counts as one)
  int pos = -1;       // index in buckets_[load], or -1
  bool on = false;
  bool leaving = false;   // staff cut: takes nothing new, goes off when empty
  bool outbound = false;  // busy with an outbound job
};

class Contacts final : public ContactEngine {
 public:
  explicit Contacts(const Model& m)
      : m_(m), slots_(static_cast<int>(m.factors.size())), extra_(m.fields - kExtraFields) {}
  std::uint64_t run(std::uint64_t seed, std::uint64_t replication, double* acc) override;

 private:
  void reset(std::uint64_t seed, std::uint64_t replication, double* acc);
  double next_arrival(double t);
  void on_segment(const Segment& g, double t);
  void on_event(const Event& e, double t);
  void attempt(const Segment& g, double t, bool first, int first_interval);
  void after_loss(double t, int first_interval);
  void departure(int a, double t);
  void settle(int a, double t);
  void set_staff(int n, double t);
  void count_unserved(double t);

  // -- agents --
  Agent& agent(int a) { return agents_[static_cast<std::size_t>(a)]; }
  double* work(int a) { return work_.data() + static_cast<std::ptrdiff_t>(a) * slots_; }
  double factor(const Agent& g) const {
    return g.outbound ? 1.0 : m_.factors[static_cast<std::size_t>(g.load - 1)];
  }
  void advance(int a, double t) {
    Agent& g = agent(a);
    if (g.load > 0 && t > g.last) {
      const double done = (t - g.last) / factor(g);
      double* w = work(a);
      for (int i = 0; i < g.load; ++i) w[i] -= done;
    }
    g.last = t;
  }
  void reschedule(int a) {
    Agent& g = agent(a);
    ++g.generation;
    if (g.load == 0) return;
    const double* w = work(a);
    const double least = std::max(0.0, *std::min_element(w, w + g.load));
    const std::uint64_t gen = g.generation & (kLowMask >> kAgentBits);
    heap_.push({g.last + least * factor(g),
                (kDeparture << kKindShift) | (gen << kAgentBits) | static_cast<std::uint64_t>(a)});
  }
  void add_work(int a, double t, double w) {
    advance(a, t);
    Agent& g = agent(a);
    work(a)[g.load] = w;
    ++g.load;
    ++busy_;
  }
  void bucket_insert(int a) {
    Agent& g = agent(a);
    auto& b = buckets_[static_cast<std::size_t>(g.load)];
    g.pos = static_cast<int>(b.size());
    b.push_back(a);
  }
  void bucket_remove(int a) {
    Agent& g = agent(a);
    if (g.pos < 0) return;
    auto& b = buckets_[static_cast<std::size_t>(g.load)];
    const int last = b.back();
    b[static_cast<std::size_t>(g.pos)] = last;
    agent(last).pos = g.pos;
    b.pop_back();
    g.pos = -1;
  }
  int least_loaded() const {  // an agent with a free slot, fewest contacts first; -1: none
    for (int j = 0; j < slots_; ++j)
      if (!buckets_[static_cast<std::size_t>(j)].empty())
        return buckets_[static_cast<std::size_t>(j)].back();
    return -1;
  }
  int most_loaded() const {
    for (int j = slots_; j >= 0; --j)
      if (!buckets_[static_cast<std::size_t>(j)].empty())
        return buckets_[static_cast<std::size_t>(j)].back();
    return -1;
  }
  bool take_next(int a, double t);
  void answer(int a, double t, const Call& c);

  // -- accounting --
  double* row(int interval) { return acc_ + static_cast<std::ptrdiff_t>(interval) * m_.fields; }
  double* extras(int interval) { return row(interval) + extra_; }
  double draw(Xoshiro256pp& g, NormalGenerator& ng, const Distribution& d,
              const LognormalParameters& ln) {
    switch (d.kind) {
      case DistributionKind::exponential: return d.mean_value * standard_exponential(g);
      case DistributionKind::lognormal: return std::exp(ln.mu + ln.sigma * ng(g));
      case DistributionKind::empirical: {
        const auto n = d.sample.size();
        const auto i = static_cast<std::size_t>(uniform01(g) * static_cast<double>(n));
        return d.sample[std::min(i, n - 1)];
      }
      case DistributionKind::none: return kInf;
    }
    return kInf;
  }

  const Model& m_;
  const int slots_;   // m
  const int extra_;   // offset of the Extra fields in a row
  std::priority_queue<Event, std::vector<Event>, std::greater<>> heap_;
  std::deque<Call> queue_;  // FCFS, ghosts included; id of queue_[i] = head_ + i
  std::uint64_t head_ = 0;
  std::vector<Agent> agents_;
  std::vector<double> work_;
  std::vector<std::vector<int>> buckets_;
  std::vector<int> off_;
  std::vector<double> factors_;
  double* acc_ = nullptr;
  int busy_ = 0, available_ = 0, outbound_ = 0, waiting_ = 0, staff_ = 0;
  std::int64_t in_system_ = 0, pending_redials_ = 0;
  int cur_interval_ = -1;
  std::size_t cur_segment_ = 0, aseg_ = 0, trace_pos_ = 0;
  Xoshiro256pp arr_rng_{0}, handle_rng_{0}, patience_rng_{0}, redial_rng_{0}, outbound_rng_{0};
  NormalGenerator handle_normal_, patience_normal_, redial_normal_, outbound_normal_;
};

void Contacts::reset(std::uint64_t seed, std::uint64_t replication, double* acc) {
  acc_ = acc;
  std::fill(acc, acc + static_cast<std::ptrdiff_t>(m_.intervals) * m_.fields, 0.0);
  for (int j = 0; j < m_.intervals; ++j) extras(j)[ReplicationSums::duration] = m_.interval_length;
  heap_ = {};
  queue_.clear();
  head_ = 0;
  agents_.assign(static_cast<std::size_t>(m_.agents), Agent{});
  work_.assign(static_cast<std::size_t>(m_.agents) * static_cast<std::size_t>(slots_), 0.0);
  buckets_.assign(static_cast<std::size_t>(slots_) + 1, {});
  off_.clear();
  for (int a = m_.agents - 1; a >= 0; --a) off_.push_back(a);
  busy_ = available_ = outbound_ = waiting_ = staff_ = 0;
  in_system_ = pending_redials_ = 0;
  cur_interval_ = -1;
  cur_segment_ = aseg_ = trace_pos_ = 0;
  arr_rng_ = Xoshiro256pp::stream(seed, replication, Source::arrivals);
  handle_rng_ = Xoshiro256pp::stream(seed, replication, Source::handle_time);
  patience_rng_ = Xoshiro256pp::stream(seed, replication, Source::patience);
  redial_rng_ = Xoshiro256pp::stream(seed, replication, Source::redial);
  outbound_rng_ = Xoshiro256pp::stream(seed, replication, Source::outbound);
  handle_normal_ = patience_normal_ = redial_normal_ = outbound_normal_ = NormalGenerator{};
  factors_.assign(static_cast<std::size_t>(m_.days), 1.0);
  if (m_.busyness_cv > 0.0) {
    Xoshiro256pp g = Xoshiro256pp::stream(seed, replication, Source::busyness);
    NormalGenerator ng;
    const double shape = 1.0 / (m_.busyness_cv * m_.busyness_cv);
    for (auto& f : factors_) f = standard_gamma(g, ng, shape) / shape;
  }
}

double Contacts::next_arrival(double t) {
  if (m_.use_trace) return trace_pos_ < m_.trace.size() ? m_.trace[trace_pos_++] : kInf;
  while (aseg_ < m_.segments.size()) {
    const Segment& g = m_.segments[aseg_];
    t = std::max(t, g.start);
    const double rate = g.rate * factors_[static_cast<std::size_t>(g.day)];
    if (rate > 0.0) {
      const double t2 = t + standard_exponential(arr_rng_) / rate;
      if (t2 < g.end) return t2;
    }
    t = g.end;  // memoryless: restart at the boundary with the next segment's rate
    ++aseg_;
  }
  return kInf;
}

std::uint64_t Contacts::run(std::uint64_t seed, std::uint64_t replication, double* acc) {
  reset(seed, replication, acc);
  const std::vector<StaticEvent>& statics = m_.statics;  // segment starts only (no roster)
  std::size_t si = 0;
  double t = m_.start_time;
  bool past_horizon = false;
  std::uint64_t events = 0;
  double next_arr = next_arrival(t);
  std::size_t arr_seg = aseg_;
  for (;;) {
    if (past_horizon && next_arr == kInf && waiting_ == 0 && queue_.empty() &&
        pending_redials_ == 0)
      break;
    const double ts = si < statics.size() ? statics[si].time : kInf;
    const double th = heap_.empty() ? kInf : heap_.top().time;
    const double tn = std::min(ts, std::min(th, next_arr));
    if (tn == kInf) break;
    if (cur_interval_ >= 0) {
      double* r = row(cur_interval_);
      const double dt = tn - t;
      r[fBusy] += busy_ * dt;
      r[fAvailable] += available_ * slots_ * dt;
      extras(cur_interval_)[ReplicationSums::outbound_busy] += outbound_ * dt;
    }
    t = tn;
    ++events;
    if (ts <= th && ts <= next_arr) {
      cur_segment_ = static_cast<std::size_t>(statics[si++].index);
      const Segment& g = m_.segments[cur_segment_];
      if (g.start >= m_.interval_length * m_.intervals) past_horizon = true;
      on_segment(g, t);
    } else if (th <= next_arr) {
      const Event e = heap_.top();
      heap_.pop();
      on_event(e, t);
    } else {
      attempt(m_.segments[arr_seg], t, true, -2);
      next_arr = next_arrival(t);
      arr_seg = aseg_;
    }
  }
  count_unserved(t);
  return events;
}

void Contacts::on_segment(const Segment& g, double t) {
  cur_interval_ = g.interval;
  set_staff(g.staff, t);
}

void Contacts::on_event(const Event& e, double t) {
  const std::uint64_t kind = e.payload >> kKindShift;
  const std::uint64_t low = e.payload & kLowMask;
  if (kind == kDeparture) {
    const int a = static_cast<int>(low & kAgentMask);
    const std::uint64_t gen = low >> kAgentBits;
    if ((agent(a).generation & (kLowMask >> kAgentBits)) == gen) departure(a, t);
  } else if (kind == kAbandon) {
    if (low < head_) return;  // stale: the call was answered
    Call& c = queue_[static_cast<std::size_t>(low - head_)];
    if (c.abandoned) return;
    c.abandoned = true;
    --waiting_;
    --in_system_;
    if (c.interval >= 0) {
      record_abandoned(row(c.interval), m_.targets, c.patience);
      if (contact_log != nullptr)
        contact_log->push_back({c.arrival, c.patience, 0.0, -1, false, false});
    }
    after_loss(t, c.first_interval);
  } else {  // a redial
    --pending_redials_;
    attempt(m_.segments[cur_segment_], t, false, static_cast<int>(low) - 1);
  }
}

// An attempt (fresh when `first`) at t: blocked, answered at once, or queued.
void Contacts::attempt(const Segment& g, double t, bool first, int first_interval) {
  int interval = g.interval;
  double hscale = g.handle_scale;
  double pscale = g.patience_scale;
  if (m_.use_trace && first) {
    interval = std::min(m_.intervals - 1, static_cast<int>(t / m_.interval_length));
    const Segment& gi = m_.segments[m_.segments.size() - 1 -
                                    static_cast<std::size_t>(m_.intervals - interval)];
    hscale = gi.handle_scale;
    pscale = gi.patience_scale;
  }
  if (first) first_interval = interval;
  Call c;
  c.arrival = t;
  c.work = hscale * draw(handle_rng_, handle_normal_, m_.handle, m_.handle_ln);
  c.patience = pscale * draw(patience_rng_, patience_normal_, m_.patience, m_.patience_ln);
  c.interval = interval;
  c.first_interval = first_interval;
  c.first = first;
  if (interval >= 0) {
    row(interval)[fOffered] += 1.0;
    if (first) extras(interval)[ReplicationSums::customers] += 1.0;
  }
  if (m_.lines > 0 && in_system_ >= m_.lines) {  // busy signal
    if (interval >= 0) extras(interval)[ReplicationSums::blocked] += 1.0;
    after_loss(t, first_interval);
    return;
  }
  ++in_system_;
  const int a = least_loaded();
  if (a >= 0) {
    bucket_remove(a);
    answer(a, t, c);
    settle(a, t);
    return;
  }
  const std::uint64_t id = head_ + queue_.size();
  queue_.push_back(c);
  ++waiting_;
  if (c.patience < kInf) heap_.push({t + c.patience, (kAbandon << kKindShift) | id});
}

// A blocked or abandoned attempt: redial with probability r, else the customer is lost.
void Contacts::after_loss(double t, int first_interval) {
  if (m_.redial_probability > 0.0 && uniform01(redial_rng_) < m_.redial_probability) {
    const double delay = draw(redial_rng_, redial_normal_, m_.redial_delay, m_.redial_ln);
    heap_.push({t + delay, (kRedial << kKindShift) | static_cast<std::uint64_t>(first_interval + 1)});
    ++pending_redials_;
    return;
  }
  if (first_interval >= 0) extras(first_interval)[ReplicationSums::lost] += 1.0;
}

// Agent a (out of its bucket) starts call c at t.
void Contacts::answer(int a, double t, const Call& c) {
  const double wait = t - c.arrival;
  if (c.interval >= 0) {
    record_answered(row(c.interval), m_.targets, wait);
    if (contact_log != nullptr) contact_log->push_back({c.arrival, wait, c.work, a, true, false});
  }
  if (c.first && c.first_interval >= 0 && wait <= m_.targets.front())
    extras(c.first_interval)[ReplicationSums::customer_within] += 1.0;
  add_work(a, t, c.work);
}

// Agent a (out of its bucket) takes the next waiting call, resolving ghosts ahead of it.
bool Contacts::take_next(int a, double t) {
  while (!queue_.empty()) {
    const Call c = queue_.front();
    queue_.pop_front();
    ++head_;
    if (c.abandoned) {  // a ghost: an agent would have reached it now (its virtual wait)
      if (c.interval >= 0 && c.patience <= m_.max_target)
        count_within(row(c.interval), m_.targets, t - c.arrival, kWithinVirtual);
      continue;
    }
    --waiting_;
    answer(a, t, c);
    return true;
  }
  return false;
}

// Agent a (on duty, out of its bucket, works current at t) takes what the policy gives it:
// waiting calls, a contact moved over from the busiest agent, or an outbound job; then it goes
// back into its bucket and its next departure is scheduled.
void Contacts::settle(int a, double t) {
  Agent& g = agent(a);
  // Ghosts at the head are resolved even when nobody waits: a free slot reaches them now.
  while (g.load < slots_ && !queue_.empty() && take_next(a, t)) {
  }
  if (m_.balance_chats && slots_ > 1 && waiting_ == 0) {
    for (;;) {
      const int h = most_loaded();
      if (h < 0 || agent(h).load < g.load + 2) break;
      bucket_remove(h);
      advance(h, t);
      Agent& gh = agent(h);
      const double moved = work(h)[gh.load - 1];
      --gh.load;
      --busy_;
      bucket_insert(h);
      reschedule(h);
      add_work(a, t, moved);
    }
  }
  if (g.load == 0 && m_.outbound.kind != DistributionKind::none &&
      static_cast<int>(buckets_[0].size()) >= m_.reserve) {
    g.outbound = true;
    ++outbound_;
    g.last = t;
    work(a)[0] = draw(outbound_rng_, outbound_normal_, m_.outbound, m_.outbound_ln);
    g.load = 1;
    ++busy_;
  }
  if (!g.outbound) bucket_insert(a);
  reschedule(a);
}

void Contacts::departure(int a, double t) {
  Agent& g = agent(a);
  advance(a, t);
  bucket_remove(a);
  double* w = work(a);
  const auto done = static_cast<int>(std::min_element(w, w + g.load) - w);
  w[done] = w[g.load - 1];
  --g.load;
  --busy_;
  if (g.outbound) {
    g.outbound = false;
    --outbound_;
    if (cur_interval_ >= 0) extras(cur_interval_)[ReplicationSums::outbound_done] += 1.0;
  } else {
    --in_system_;
  }
  if (g.leaving) {
    if (g.load == 0) {
      g.leaving = g.on = false;
      available_ -= 1;
      off_.push_back(a);
      ++g.generation;
    } else {
      reschedule(a);
    }
    return;
  }
  settle(a, t);
}

// Agents per interval, the end-of-shift rule of Scenario (the classic loop's too): cuts send
// idle agents off first, then the least loaded take nothing new, finish their contacts and
// leave; rises bring on agents who are off, never a leaving one (an agent whose shift ended
// is not called back; while leavers finish, more agents than the staffing may be on, so the
// pool grows when nobody is off).
void Contacts::set_staff(int n, double t) {
  while (staff_ < n) {
    if (off_.empty()) {
      off_.push_back(static_cast<int>(agents_.size()));
      agents_.emplace_back();
      work_.resize(agents_.size() * static_cast<std::size_t>(slots_), 0.0);
    }
    const int a = off_.back();
    off_.pop_back();
    Agent& g = agent(a);
    g.on = true;
    g.load = 0;
    g.last = t;
    available_ += 1;
    ++staff_;
    settle(a, t);
  }
  while (staff_ > n) {
    int a = -1;
    for (std::size_t i = 0; i < agents_.size(); ++i) {
      const Agent& g = agents_[i];
      if (g.on && !g.leaving && (a < 0 || g.load < agent(a).load)) a = static_cast<int>(i);
    }
    Agent& g = agent(a);
    bucket_remove(a);
    --staff_;
    if (g.load == 0) {
      g.on = false;
      available_ -= 1;
      ++g.generation;
      off_.push_back(a);
    } else {
      g.leaving = true;  // its departures stay scheduled; the last one sends it off
    }
  }
}

// Calls still waiting: no agent will ever come back for them.
void Contacts::count_unserved(double t) {
  for (const Call& c : queue_) {
    if (c.abandoned || c.interval < 0) continue;
    double* r = row(c.interval);
    r[fUnserved] += 1.0;
    r[fWaitAll] += t - c.arrival;
    if (contact_log != nullptr)
      contact_log->push_back({c.arrival, t - c.arrival, 0.0, -1, false, true});
  }
}

}  // namespace

std::unique_ptr<ContactEngine> make_contact_engine(const Model& m) {
  return std::make_unique<Contacts>(m);
}

}  // namespace wfm::simulation::engine
