// Email and back-office backlog over intervals (backlog.hpp): the FIFO fluid model on
// cumulative curves (Newell 1982, "Applications of Queueing Theory", ch. 2).
#include <wfm/queueing/backlog.hpp>

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include <wfm/core/error.hpp>
#include <wfm/core/limits.hpp>

namespace wfm::queueing {
namespace {

/// Knots of the cumulative arrival curve A and departure curve D (both piecewise linear in t).
struct Curves {
  std::vector<double> t, a, d;
  std::vector<std::size_t> end_knot;  // knot index of the end of each interval
};

void validate(std::string_view where, const BacklogWork& w) {
  wfm::detail::require_positive(where, "handle_time [s]", w.handle_time);
  wfm::detail::require_positive(where, "deadline [s]", w.deadline);
  if (!(w.interval_length >= limits::min_interval_length) || std::isinf(w.interval_length))
    wfm::detail::throw_invalid(where, "interval_length [s] must be finite and >= 1",
                               w.interval_length);
  double total = 0.0;
  for (std::size_t i = 0; i < w.volumes.size(); ++i) {
    wfm::detail::require_nonnegative(where, fmt::format("volumes[{}] [items]", i), w.volumes[i]);
    total += w.volumes[i];
  }
  // the cumulative curves hold the total volume and its work: past the largest double they
  // would turn into inf and NaN (found by tests/data/queueing/audit_omnichannel.py: two
  // intervals of 1e308 items gave a NaN backlog, and required_backlog_agents threw on its own
  // infinite staffing)
  if (!std::isfinite(total * w.handle_time))
    wfm::detail::throw_invalid(where,
                               "volumes: the total work (sum of volumes x handle_time) overflows",
                               total * w.handle_time);
}

/// D(t) = min_{s<=t} [A(s) + C(t) - C(s)] (Newell 1982, ch. 2), interval by interval: the
/// backlog b falls at rate c - a while b > 0, and D follows min(A, D + c t) once it is empty.
Curves build_curves(const BacklogWork& w, std::span<const double> agents,
                    const BacklogPolicy& policy) {
  Curves c;
  const double len = w.interval_length;
  double a = 0.0, d = 0.0;
  c.t.push_back(0.0);
  c.a.push_back(0.0);
  c.d.push_back(0.0);
  for (std::size_t i = 0; i < w.volumes.size(); ++i) {
    const double t0 = static_cast<double>(i) * len;
    const double ar = w.volumes[i] / len, cr = agents[i] / w.handle_time;  // [items/s]
    const double b = std::max(0.0, a - d);
    const double a_end = a + w.volumes[i];
    double d_end = 0.0;
    if (b > 0.0 && cr > ar) {
      const double empty_at = b / (cr - ar);
      if (empty_at < len) {  // the backlog empties inside the interval: a knot there
        c.t.push_back(t0 + empty_at);
        c.a.push_back(a + ar * empty_at);
        c.d.push_back(a + ar * empty_at);
        d_end = a_end;
      } else {
        d_end = d + cr * len;
      }
    } else if (b > 0.0) {
      d_end = d + cr * len;
    } else {
      d_end = d + std::min(ar, cr) * len;
    }
    a = a_end;
    // rounding never lets D pass A, nor leaves a backlog of 1e-15 items
    d = a_end - d_end <= policy.empty_tolerance * a_end ? a_end : d_end;
    c.t.push_back(t0 + len);
    c.a.push_back(a);
    c.d.push_back(d);
    c.end_knot.push_back(c.t.size() - 1);
  }
  return c;
}

/// Time at which the curve `y` (knots t, y) first exceeds x: the arrival (or completion) time of
/// item x, right-continuous. `x` must be below y.back().
double inverse(const std::vector<double>& t, const std::vector<double>& y, double x) {
  const auto k1 = static_cast<std::size_t>(std::upper_bound(y.begin(), y.end(), x) - y.begin());
  const std::size_t k0 = k1 - 1;  // y[k0] <= x < y[k1] (y[0] = 0 <= x)
  return t[k0] + (x - y[k0]) * (t[k1] - t[k0]) / (y[k1] - y[k0]);
}

/// Measure of the x in [x0, x1] where the linear f (f0 at x0, f1 at x1) is <= limit.
double measure_below(double x0, double x1, double f0, double f1, double limit) {
  if (f0 <= limit && f1 <= limit) return x1 - x0;
  if (f0 > limit && f1 > limit) return 0.0;
  const double cut = (limit - f0) / (f1 - f0);  // in (0, 1)
  return (f0 <= limit ? cut : 1.0 - cut) * (x1 - x0);
}

/// Shares on time, per arrival interval: between consecutive knots of A and D (in item
/// space), arrival and completion times are linear in x, so the delay is too.
/// Returns, per arrival interval, the items whose fate is known (done, or missed).
std::vector<double> deadline_shares(const Curves& c, const BacklogWork& w,
                                    const BacklogPolicy& policy, BacklogResult& out) {
  const std::size_t n = w.volumes.size();
  std::vector<double> met(n, 0.0), known(n, 0.0);
  std::vector<double> xs(c.a.size() + c.d.size());
  std::merge(c.a.begin(), c.a.end(), c.d.begin(), c.d.end(), xs.begin());
  xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
  const double horizon = static_cast<double>(n) * w.interval_length;
  const double limit = w.deadline * (1.0 + policy.deadline_tolerance);
  const double done_total = c.d.back();
  for (std::size_t j = 0; j + 1 < xs.size(); ++j) {
    const double x0 = xs[j], x1 = xs[j + 1], xm = 0.5 * (x0 + x1);
    const double width = x1 - x0;
    // No knot of A lies strictly inside (x0, x1): the right-continuous inverse at x0 and xm
    // lie on one line, so s(x) is linear on the segment (the same for D below).
    const double s0 = inverse(c.t, c.a, x0), sm = inverse(c.t, c.a, xm), s1 = 2.0 * sm - s0;
    const auto i = std::min(
        n - 1, static_cast<std::size_t>(std::max(0.0, std::floor(sm / w.interval_length))));
    if (xm < done_total) {
      const double e0 = inverse(c.t, c.d, x0), em = inverse(c.t, c.d, xm);
      const double e1 = 2.0 * em - e0;
      met[i] += measure_below(x0, x1, e0 - s0, e1 - s1, limit);
      known[i] += width;
    } else {  // never done in the horizon: missed once its deadline has passed
      const double missed = measure_below(x0, x1, s0, s1, horizon - w.deadline);
      known[i] += missed;
      out.pending += width - missed;
    }
  }
  double met_all = 0.0, known_all = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    out.within_deadline[i] = known[i] > 0.0 ? std::min(1.0, met[i] / known[i]) : 1.0;
    met_all += met[i];
    known_all += known[i];
  }
  out.within_deadline_total = known_all > 0.0 ? std::min(1.0, met_all / known_all) : 1.0;
  return known;
}

}  // namespace

namespace {
BacklogResult evaluate(const BacklogWork& work, std::span<const double> agents,
                       const BacklogPolicy& policy, std::vector<double>* settled);
}  // namespace

BacklogResult evaluate_backlog(const BacklogWork& work, std::span<const double> agents,
                               const BacklogPolicy& policy) {
  return evaluate(work, agents, policy, nullptr);
}

namespace {
/// evaluate_backlog(), and per arrival interval the items whose fate is known (`settled`).
BacklogResult evaluate(const BacklogWork& work, std::span<const double> agents,
                       const BacklogPolicy& policy, std::vector<double>* settled) {
  constexpr std::string_view where = "wfm::queueing::evaluate_backlog";
  validate(where, work);
  const std::size_t n = work.volumes.size();
  if (agents.size() != n)
    wfm::detail::throw_invalid(
        where, fmt::format("agents has {} values for {} intervals", agents.size(), n));
  for (std::size_t i = 0; i < n; ++i) {
    wfm::detail::require_nonnegative(where, fmt::format("agents[{}]", i), agents[i]);
    if (std::isinf(agents[i] * work.interval_length / work.handle_time))
      wfm::detail::throw_invalid(
          where,
          fmt::format("agents[{}]: the items it can do (agents x interval_length / handle_time) "
                      "overflow",
                      i),
          agents[i]);
  }

  const Curves c = build_curves(work, agents, policy);
  BacklogResult out;
  out.handled.resize(n);
  out.backlog.resize(n);
  out.oldest_age_s.assign(n, 0.0);
  out.within_deadline.assign(n, 1.0);
  out.occupancy.assign(n, 0.0);
  double done_before = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t k = c.end_knot[i];
    const double end = c.t[k];
    out.handled[i] = c.d[k] - done_before;
    done_before = c.d[k];
    out.backlog[i] = c.a[k] - c.d[k];
    if (out.backlog[i] > 0.0) out.oldest_age_s[i] = end - inverse(c.t, c.a, c.d[k]);
    const double capacity = agents[i] * work.interval_length;  // [agent-s]
    if (capacity > 0.0)
      out.occupancy[i] = std::min(1.0, out.handled[i] * work.handle_time / capacity);
  }
  out.carried_over = n > 0 ? out.backlog.back() : 0.0;
  std::vector<double> known = deadline_shares(c, work, policy, out);
  if (settled) *settled = std::move(known);
  return out;
}
}  // namespace

BacklogStaffing required_backlog_agents(const BacklogWork& work, const std::vector<bool>& open,
                                        const BacklogPolicy& policy) {
  constexpr std::string_view where = "wfm::queueing::required_backlog_agents";
  validate(where, work);
  const std::size_t n = work.volumes.size();
  if (!open.empty() && open.size() != n)
    wfm::detail::throw_invalid(
        where, fmt::format("open has {} values for {} intervals", open.size(), n));
  const double m_real = work.deadline / work.interval_length;
  const double m_whole = std::round(m_real);
  if (m_whole < 1.0 || std::abs(m_real - m_whole) > 1e-9 * m_whole)
    wfm::detail::throw_invalid(where, "deadline [s] must be a whole positive number of "
                                      "intervals (interval_length)", work.deadline);
  const auto m = static_cast<std::size_t>(std::min(m_whole, static_cast<double>(n) + 1.0));
  auto is_open = [&](std::size_t j) { return open.empty() || open[j]; };

  std::vector<double> arrived(n + 1, 0.0);  // A(t_j) [items]
  for (std::size_t j = 0; j < n; ++j) arrived[j + 1] = arrived[j] + work.volumes[j];
  // Due by the end of interval j: everything that arrived by t_{j+1} - d = t_{j+1-m}.
  auto due = [&](std::size_t j) { return j + 1 >= m ? arrived[j + 1 - m] : 0.0; };
  // What a closed interval cannot do falls to the last open interval before it.
  std::vector<double> target(n, 0.0);
  for (std::size_t j = n; j-- > 0;)
    target[j] = j + 1 < n && !is_open(j + 1) ? std::max(due(j), target[j + 1]) : due(j);

  BacklogStaffing out;
  out.agents_required.assign(n, 0.0);
  out.cumulative_agent_time_s.assign(n, 0.0);
  double done = 0.0, short_of_due = 0.0;  // most items due and not done at an interval end
  for (std::size_t j = 0; j < n; ++j) {
    // just in time, and never ahead of the arrivals (that work would be wasted)
    const double next = is_open(j) ? std::max(done, std::min(target[j], arrived[j + 1])) : done;
    out.agents_required[j] = (next - done) * work.handle_time / work.interval_length;
    out.cumulative_agent_time_s[j] = next * work.handle_time;
    done = next;
    short_of_due = std::max(short_of_due, due(j) - done);
  }
  out.outcome = evaluate_backlog(work, out.agents_required, policy);
  // infeasible by construction (not by the evaluated share, which rounding may put at 1 - 1e-15)
  if (short_of_due > policy.empty_tolerance * arrived[n]) {
    out.status = wfm::Status::infeasible;
    out.message = fmt::format(
        "some items arrive too close to a closing to be done within the deadline of {} s: "
        "share on time {:.6f} at best; they are done in the first open interval after it",
        work.deadline, out.outcome.within_deadline_total);
  }
  return out;
}

BacklogStaffing required_backlog_agents_share(const BacklogWork& work, double goal,
                                              const std::vector<bool>& open, double tolerance,
                                              const BacklogPolicy& policy) {
  constexpr std::string_view where = "wfm::queueing::required_backlog_agents_share";
  validate(where, work);
  if (!(goal > 0.0 && goal <= 1.0)) wfm::detail::throw_invalid(where, "goal must be in (0, 1]", goal);
  wfm::detail::require_positive(where, "tolerance [agents]", tolerance);
  const std::size_t n = work.volumes.size();
  if (!open.empty() && open.size() != n)
    wfm::detail::throw_invalid(
        where, fmt::format("open has {} values for {} intervals", open.size(), n));
  auto is_open = [&](std::size_t j) { return open.empty() || open[j]; };
  auto level = [&](double c) {
    std::vector<double> a(n, 0.0);
    for (std::size_t j = 0; j < n; ++j) a[j] = is_open(j) ? c : 0.0;
    return a;
  };
  auto share = [&](double c) { return evaluate_backlog(work, level(c), policy).within_deadline_total; };
  // hi: every item done in the interval it arrives (if that interval is open) - the most a
  // level can do for the share; lo = 0 does nothing.
  double hi = 0.0;
  for (std::size_t j = 0; j < n; ++j)
    hi = std::max(hi, work.volumes[j] * work.handle_time / work.interval_length);
  BacklogStaffing out;
  const bool feasible = share(hi) >= goal * (1.0 - policy.deadline_tolerance);
  double lo = 0.0;
  if (!feasible || share(0.0) >= goal) lo = hi = feasible ? 0.0 : hi;
  while (hi - lo > tolerance) {  // share(lo) < goal <= share(hi)
    const double mid = 0.5 * (lo + hi);
    if (!(mid > lo && mid < hi)) break;  // adjacent doubles (levels ~1e10 and up): done
    (share(mid) >= goal ? hi : lo) = mid;
  }
  out.agents_required = level(hi);
  out.outcome = evaluate_backlog(work, out.agents_required, policy);
  out.cumulative_agent_time_s.assign(n, 0.0);
  double done = 0.0;
  for (std::size_t j = 0; j < n; ++j) {
    done += out.outcome.handled[j];
    out.cumulative_agent_time_s[j] = done * work.handle_time;
  }
  if (!feasible) {
    out.status = wfm::Status::infeasible;
    out.message = fmt::format(
        "even a level of {} agents (every item done in the interval it arrives) gives a share "
        "on time of {:.6f} < goal {}: items arrive too close to a closing",
        hi, out.outcome.within_deadline_total, goal);
  }
  return out;
}

}  // namespace wfm::queueing

namespace wfm::queueing {
namespace {
/// The shares on time of each day's arrivals at `agents` (1 for a day without settled items).
std::vector<double> day_shares(const BacklogWork& work, std::span<const double> agents,
                               std::size_t per_day, const BacklogPolicy& policy) {
  std::vector<double> settled;
  const BacklogResult r = evaluate(work, agents, policy, &settled);
  const std::size_t n = work.volumes.size(), days = (n + per_day - 1) / per_day;
  std::vector<double> met(days, 0.0), known(days, 0.0), out(days, 1.0);
  for (std::size_t i = 0; i < n; ++i) {
    met[i / per_day] += r.within_deadline[i] * settled[i];
    known[i / per_day] += settled[i];
  }
  for (std::size_t d = 0; d < days; ++d)
    if (known[d] > 0.0) out[d] = std::min(1.0, met[d] / known[d]);
  return out;
}
}  // namespace

BacklogStaffing required_backlog_agents_share_per_day(const BacklogWork& work, double goal,
                                                      std::size_t intervals_per_day,
                                                      const std::vector<bool>& open,
                                                      double tolerance,
                                                      const BacklogPolicy& policy) {
  constexpr std::string_view where = "wfm::queueing::required_backlog_agents_share_per_day";
  validate(where, work);
  if (!(goal > 0.0 && goal <= 1.0)) wfm::detail::throw_invalid(where, "goal must be in (0, 1]", goal);
  wfm::detail::require_positive(where, "tolerance [agents]", tolerance);
  if (intervals_per_day < 1)
    wfm::detail::throw_invalid(where, "intervals_per_day must be >= 1", 0.0);
  const std::size_t n = work.volumes.size();
  if (!open.empty() && open.size() != n)
    wfm::detail::throw_invalid(
        where, fmt::format("open has {} values for {} intervals", open.size(), n));
  const std::size_t days = (n + intervals_per_day - 1) / intervals_per_day;
  double hi = 0.0;  // every item done in the interval it arrives (as the horizon's level)
  for (std::size_t j = 0; j < n; ++j)
    hi = std::max(hi, work.volumes[j] * work.handle_time / work.interval_length);
  std::vector<double> level(days, 0.0), agents(n, 0.0);
  auto apply = [&] {
    for (std::size_t j = 0; j < n; ++j)
      agents[j] = open.empty() || open[j] ? level[j / intervals_per_day] : 0.0;
  };
  const double need = goal * (1.0 - policy.deadline_tolerance);
  // The least level of day d meeting its goal, the other days as they are; `carry`: the days
  // after d at the same level (the forward pass, before their own levels are chosen).
  auto least = [&](std::size_t d, double lo, bool carry) {
    auto share = [&](double c) {
      for (std::size_t e = d; e < (carry ? days : d + 1); ++e) level[e] = c;
      apply();
      return day_shares(work, agents, intervals_per_day, policy)[d];
    };
    double top = hi;
    if (share(lo) >= goal) top = lo;
    else if (share(top) < need) return std::pair{top, false};
    while (top - lo > tolerance) {
      const double mid = 0.5 * (lo + top);
      if (!(mid > lo && mid < top)) break;  // adjacent doubles (levels ~1e10 and up): done
      (share(mid) >= goal ? top : lo) = mid;
    }
    share(top);
    return std::pair{top, true};
  };
  BacklogStaffing out;
  std::vector<std::size_t> missed;
  for (std::size_t d = 0; d < days; ++d) least(d, 0.0, true);  // forward pass
  // Repair: a day whose spill-over met a lower level on the next day raises its own level
  // (raising any level never lowers a share, so one pass in order suffices).
  std::vector<double> shares = (apply(), day_shares(work, agents, intervals_per_day, policy));
  for (std::size_t d = 0; d < days; ++d) {
    if (shares[d] >= need) continue;
    if (!least(d, level[d], false).second) missed.push_back(d);
    shares = day_shares(work, agents, intervals_per_day, policy);
  }
  apply();
  out.agents_required = agents;
  out.outcome = evaluate_backlog(work, agents, policy);
  out.day_within_deadline = day_shares(work, agents, intervals_per_day, policy);
  out.cumulative_agent_time_s.assign(n, 0.0);
  double done = 0.0;
  for (std::size_t j = 0; j < n; ++j) {
    done += out.outcome.handled[j];
    out.cumulative_agent_time_s[j] = done * work.handle_time;
  }
  if (!missed.empty()) {
    out.status = wfm::Status::infeasible;
    out.message = fmt::format(
        "day {} (from 0) misses the goal {} even at a level of {} agents (every item done in "
        "the interval it arrives): items arrive too close to a closing",
        missed.front(), goal, hi);
  }
  return out;
}

}  // namespace wfm::queueing
