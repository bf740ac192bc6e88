// solve_lp() and solve(): LP bound (CLP), LP-guided primal heuristics (fix-and-resolve, diving,
// repair, local search, large-neighbourhood search) and CBC polishing.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <limits>
#include <memory>
#include <numeric>
#include <optional>
#include <string>
#include <pcg_random.hpp>
#include <wfm/core/error.hpp>
#include <wfm/schedule/solver.hpp>

#include "blocks_solve.hpp"
#include "formulation.hpp"
#include "lns_stall.hpp"
#include "lp_backend.hpp"

namespace wfm::schedule {
namespace {

using detail::Formulation;
using detail::LpStatus;
using Clock = std::chrono::steady_clock;
constexpr double kInf = std::numeric_limits<double>::infinity();

// The tuning of the search: SolveOptions::policy and the per-instance SearchPlan
// (include/wfm/schedule/search_policy.hpp).


double frac_part(double v) { return v - std::floor(v); }
bool is_integral(double v) { return std::abs(v - std::round(v)) <= 1e-6; }

// Wall clock, or process CPU time (SolveOptions::cpu_time, for benchmarks on shared machines).
struct Timer {
  Clock::time_point t0 = Clock::now();
  std::clock_t c0 = std::clock();
  double limit = 0;
  bool cpu = false;
  [[nodiscard]] double elapsed() const {
    if (cpu) return static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
    return std::chrono::duration<double>(Clock::now() - t0).count();
  }
  [[nodiscard]] double left() const { return limit - elapsed(); }
};

// Integer schedule on the x and b columns, with incremental coverage for local search.
class IntState {
 public:
  IntState(const CoverageModel& m, const Formulation& f) : m_(m), f_(f) {
    nsc_ = f.shifts.empty() ? 0 : f.lp.num_cols;
    for (int c = 0; c < f.lp.num_cols; ++c)
      if (f.col_shift[static_cast<std::size_t>(c)] < 0) { nsc_ = c; break; }
    v_.assign(static_cast<std::size_t>(nsc_), 0);
    cover_lists();
  }
  void set_from(const std::vector<double>& col) {
    for (int c = 0; c < nsc_; ++c) v_[static_cast<std::size_t>(c)] = static_cast<int>(std::lround(col[static_cast<std::size_t>(c)]));
    recompute();
  }
  void set(const std::vector<int>& v) { v_ = v; recompute(); }
  [[nodiscard]] const std::vector<int>& values() const { return v_; }
  [[nodiscard]] int num_shift_cols() const { return nsc_; }

  void recompute() {
    cov_.assign(static_cast<std::size_t>(f_.n), 0.0);
    for (int c = 0; c < nsc_; ++c) {
      const int val = v_[static_cast<std::size_t>(c)];
      if (val != 0) add_col(c, val);
    }
  }
  // Penalty of coverage c at interval i (hard cover: inf below the requirement).
  [[nodiscard]] double pen(int i, double c) const {
    const double r = m_.requirement[static_cast<std::size_t>(i)];
    if (m_.cover.hard_cover) {
      if (c < f_.rhs[static_cast<std::size_t>(i)] - 1e-9) return kInf;
      return m_.cover.over_cost * std::max(0.0, c - r);
    }
    return m_.cover.under_cost * std::max(0.0, r - c) + m_.cover.over_cost * std::max(0.0, c - r);
  }
  [[nodiscard]] double surplus(int i) const {
    return cov_[static_cast<std::size_t>(i)] - f_.rhs[static_cast<std::size_t>(i)];
  }

  // Hard cover: add agents / move breaks until every interval is covered. False if impossible.
  bool repair() {
    if (!m_.cover.hard_cover) return true;
    for (int guard = 0; guard < 1000000; ++guard) {
      int worst = -1;
      for (int i = 0; i < f_.n; ++i)
        if (surplus(i) < -1e-9) { worst = i; break; }
      if (worst < 0) return true;
      if (move_break_away(worst)) continue;
      if (!add_best_shift(worst)) return false;
    }
    return false;
  }

  // Soft cover: adds agents, one at a time on the interval with the largest under-cover, while
  // that lowers the cost (the cost-aware counterpart of repair(); an incumbent built from
  // nothing, when the dive ran out of time, would otherwise stay empty). At most `max_tries`
  // additions are tried.
  void soft_fill(int max_tries) {
    if (m_.cover.hard_cover || m_.cover.under_cost <= 0.0) return;
    std::vector<char> tried(static_cast<std::size_t>(f_.n), 0);
    double current = cost();
    std::vector<int> added;
    for (int t = 0; t < max_tries; ++t) {
      int worst = -1;
      for (int i = 0; i < f_.n; ++i)
        if (!tried[static_cast<std::size_t>(i)] && surplus(i) < -0.5 &&
            (worst < 0 || surplus(i) < surplus(worst)))
          worst = i;
      if (worst < 0) return;
      if (!add_best_shift(worst, &added)) { tried[static_cast<std::size_t>(worst)] = 1; continue; }
      const double c = cost();
      if (c < current - 1e-9) { current = c; continue; }
      for (int col : added) {  // no gain: undo, and do not try this interval again
        --v_[static_cast<std::size_t>(col)];
        add_col(col, -1);
      }
      tried[static_cast<std::size_t>(worst)] = 1;
    }
  }

  // Removes agents whose removal lowers the cost (and keeps hard cover), then moves breaks.
  void improve(pcg32& rng) {
    std::vector<int> order(f_.shifts.size());
    std::iota(order.begin(), order.end(), 0);
    for (int pass = 0; pass < 3; ++pass) {
      std::shuffle(order.begin(), order.end(), rng);
      std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        return cost_of(a) > cost_of(b);
      });
      bool any = false;
      for (int s : order)
        while (x(s) > 0 && try_drop(s)) any = true;
      if (!any) break;
    }
  }

  // Local search over single-agent moves (the 1-opt neighbourhood that improve() and
  // soft_fill() lack): one agent of a shift moves to another shift, of any template, starting
  // within `reach` intervals of its own (the same shift: its breaks only are re-placed). The
  // agent leaves from the break placements on the intervals with the least surplus and joins
  // with its breaks where the surplus is largest; a move is kept when it lowers the cost (hard
  // cover: and keeps every interval covered). Rounding a fractional LP solution leaves such
  // moves open where two starts or two templates share an agent (the dive rounds both up); a
  // sub-MIP finds them only when its window holds both. At most `max_passes` passes.
  // Returns the number of moves kept.
  int improve_moves(int reach, int max_passes, pcg32& rng) {
    if (nsc_ == 0 || max_passes <= 0) return 0;
    build_near(reach);
    std::vector<int> used(m_.templates.size(), 0);
    for (std::size_t s = 0; s < f_.shifts.size(); ++s) used[static_cast<std::size_t>(f_.shifts[s].tmpl)] += x(static_cast<int>(s));
    std::vector<int> order;
    int kept = 0;
    for (int pass = 0; pass < max_passes; ++pass) {
      order.clear();
      for (std::size_t s = 0; s < f_.shifts.size(); ++s)
        if (x(static_cast<int>(s)) > 0) order.push_back(static_cast<int>(s));
      std::shuffle(order.begin(), order.end(), rng);
      int moved = 0;
      for (int s : order)
        for (int t : near_[static_cast<std::size_t>(s)])
          if (x(s) > 0 && try_move(s, t, used)) ++moved;
      kept += moved;
      if (moved == 0) break;
    }
    return kept;
  }

  [[nodiscard]] double cost() const {
    double c = 0.0;
    std::vector<char> used(m_.templates.size(), 0);
    for (std::size_t s = 0; s < f_.shifts.size(); ++s) {
      const int xs = x(static_cast<int>(s));
      if (xs > 0) {
        c += xs * cost_of(static_cast<int>(s));
        used[static_cast<std::size_t>(f_.shifts[s].tmpl)] = 1;
      }
    }
    for (std::size_t t = 0; t < used.size(); ++t)
      if (used[t]) c += m_.templates[t].fixed_cost;
    for (int i = 0; i < f_.n; ++i) c += pen(i, cov_[static_cast<std::size_t>(i)]);
    return c;
  }

  // A full LP column vector (x, b, under, over, fixed) for a MIP start.
  [[nodiscard]] std::vector<double> full_columns() const {
    std::vector<double> col(static_cast<std::size_t>(f_.lp.num_cols), 0.0);
    for (int c = 0; c < nsc_; ++c) col[static_cast<std::size_t>(c)] = v_[static_cast<std::size_t>(c)];
    for (int i = 0; i < f_.n; ++i) {
      const double d = cov_[static_cast<std::size_t>(i)] - f_.rhs[static_cast<std::size_t>(i)];
      if (f_.under_col[static_cast<std::size_t>(i)] >= 0) col[static_cast<std::size_t>(f_.under_col[static_cast<std::size_t>(i)])] = std::max(0.0, -d);
      if (f_.over_col[static_cast<std::size_t>(i)] >= 0) col[static_cast<std::size_t>(f_.over_col[static_cast<std::size_t>(i)])] = std::max(0.0, d);
    }
    for (std::size_t s = 0; s < f_.shifts.size(); ++s) {
      const int y = f_.fixed_col[static_cast<std::size_t>(f_.shifts[s].tmpl)];
      if (y >= 0 && x(static_cast<int>(s)) > 0) col[static_cast<std::size_t>(y)] = 1.0;
    }
    return col;
  }

 private:
  [[nodiscard]] int x(int s) const { return v_[static_cast<std::size_t>(f_.shifts[static_cast<std::size_t>(s)].col)]; }
  [[nodiscard]] double cost_of(int s) const {
    return m_.templates[static_cast<std::size_t>(f_.shifts[static_cast<std::size_t>(s)].tmpl)].cost;
  }
  void add_col(int c, int delta) {
    const auto& lp = f_.lp;
    for (int e = lp.col_start[static_cast<std::size_t>(c)]; e < lp.col_start[static_cast<std::size_t>(c) + 1]; ++e) {
      const int r = lp.row_index[static_cast<std::size_t>(e)];
      if (r < f_.n) cov_[static_cast<std::size_t>(r)] += delta * lp.value[static_cast<std::size_t>(e)];
    }
  }
  template <class F>
  void for_rows(int c, F&& fn) const {
    const auto& lp = f_.lp;
    for (int e = lp.col_start[static_cast<std::size_t>(c)]; e < lp.col_start[static_cast<std::size_t>(c) + 1]; ++e) {
      const int r = lp.row_index[static_cast<std::size_t>(e)];
      if (r < f_.n) fn(r);
    }
  }
  void cover_lists() {
    covering_.assign(static_cast<std::size_t>(f_.n), {});
    for (std::size_t s = 0; s < f_.shifts.size(); ++s)
      for_rows(f_.shifts[s].col, [&](int r) { covering_[static_cast<std::size_t>(r)].push_back(static_cast<int>(s)); });
  }
  struct BreakRange { int first, count; };
  [[nodiscard]] std::vector<BreakRange> breaks_of(int s) const {
    const auto& sh = f_.shifts[static_cast<std::size_t>(s)];
    const auto& t = m_.templates[static_cast<std::size_t>(sh.tmpl)];
    std::vector<BreakRange> out;
    for (std::size_t k = 0; k < t.breaks.size(); ++k)
      out.push_back({sh.break_col + f_.break_base[static_cast<std::size_t>(sh.tmpl)][k], t.breaks[k].placements()});
    return out;
  }
  [[nodiscard]] bool within_limits(int s) const {
    const auto& sh = f_.shifts[static_cast<std::size_t>(s)];
    const auto& t = m_.templates[static_cast<std::size_t>(sh.tmpl)];
    if (t.max_agents_per_start >= 0 && x(s) >= t.max_agents_per_start) return false;
    if (t.max_agents >= 0 || m_.max_headcount >= 0) {
      int tot = 0, head = 0;
      for (std::size_t q = 0; q < f_.shifts.size(); ++q) {
        head += x(static_cast<int>(q));
        if (f_.shifts[q].tmpl == sh.tmpl) tot += x(static_cast<int>(q));
      }
      if (t.max_agents >= 0 && tot >= t.max_agents) return false;
      if (m_.max_headcount >= 0 && head >= m_.max_headcount) return false;
    }
    return true;
  }
  // Moves one break that lies on deficit interval i to a placement where every interval has
  // a surplus of at least one agent.
  bool move_break_away(int i) {
    for (int s : covering_[static_cast<std::size_t>(i)]) {
      if (x(s) == 0) continue;
      for (const auto& br : breaks_of(s)) {
        for (int p = 0; p < br.count; ++p) {
          const int c = br.first + p;
          if (v_[static_cast<std::size_t>(c)] == 0) continue;
          bool on_i = false;
          for_rows(c, [&](int r) { on_i = on_i || r == i; });
          if (!on_i) continue;
          add_col(c, -1);  // the agent works through its old break
          int best = -1;
          double best_min = 0.0;
          for (int q = 0; q < br.count; ++q) {
            if (q == p) continue;
            double mn = kInf;
            for_rows(br.first + q, [&](int r) { mn = std::min(mn, surplus(r)); });
            if (mn >= 1.0 - 1e-9 && (best < 0 || mn > best_min)) { best = q; best_min = mn; }
          }
          if (best >= 0) {
            --v_[static_cast<std::size_t>(c)];
            ++v_[static_cast<std::size_t>(br.first + best)];
            add_col(br.first + best, 1);
            return true;
          }
          add_col(c, 1);
        }
      }
    }
    return false;
  }
  // Adds one agent of the shift covering interval i that covers most deficit per cost.
  bool add_best_shift(int i, std::vector<int>* added = nullptr) {
    int best = -1;
    double best_score = kInf;
    std::vector<int> best_p;
    for (int s : covering_[static_cast<std::size_t>(i)]) {
      if (!within_limits(s)) continue;
      const auto brs = breaks_of(s);
      std::vector<int> ps;
      std::vector<char> on_break(static_cast<std::size_t>(f_.n), 0);
      bool blocked = false;
      for (const auto& br : brs) {  // the placement with the largest surplus, never on i
        int bp = -1;
        double bmin = -kInf;
        for (int p = 0; p < br.count; ++p) {
          double mn = kInf;
          bool on_i = false;
          for_rows(br.first + p, [&](int r) { mn = std::min(mn, surplus(r)); on_i = on_i || r == i; });
          if (!on_i && mn > bmin) { bmin = mn; bp = p; }
        }
        if (bp < 0) { blocked = true; break; }
        ps.push_back(bp);
        for_rows(br.first + bp, [&](int r) { on_break[static_cast<std::size_t>(r)] = 1; });
      }
      if (blocked) continue;
      double gain = 0.0;
      for_rows(f_.shifts[static_cast<std::size_t>(s)].col, [&](int r) {
        if (!on_break[static_cast<std::size_t>(r)] && surplus(r) < -1e-9) gain += std::min(1.0, -surplus(r));
      });
      if (gain <= 0) continue;
      const double score = (cost_of(s) + 1e-9) / gain;
      if (score < best_score) { best_score = score; best = s; best_p = ps; }
    }
    if (best < 0) return false;
    const auto& sh = f_.shifts[static_cast<std::size_t>(best)];
    std::vector<int> cols{sh.col};
    const auto brs = breaks_of(best);
    for (std::size_t k = 0; k < brs.size(); ++k) cols.push_back(brs[k].first + best_p[k]);
    for (int c : cols) {
      ++v_[static_cast<std::size_t>(c)];
      add_col(c, 1);
    }
    if (added) *added = std::move(cols);
    return true;
  }
  // Tries to remove one agent of shift s, choosing its breaks on the tightest intervals.
  bool try_drop(int s) {
    const auto& sh = f_.shifts[static_cast<std::size_t>(s)];
    const auto brs = breaks_of(s);
    std::vector<int> ps;
    for (const auto& br : brs) {
      int bp = -1;
      double bmin = kInf;
      for (int p = 0; p < br.count; ++p) {
        if (v_[static_cast<std::size_t>(br.first + p)] == 0) continue;
        double mn = kInf;
        for_rows(br.first + p, [&](int r) { mn = std::min(mn, surplus(r)); });
        if (mn < bmin) { bmin = mn; bp = p; }
      }
      if (bp < 0) return false;
      ps.push_back(bp);
    }
    // Removing the agent: -1 on the shift's intervals, +1 back on its break intervals.
    add_col(sh.col, -1);
    for (std::size_t k = 0; k < brs.size(); ++k) add_col(brs[k].first + ps[k], -1);
    double delta = -cost_of(s);
    bool feasible = true;
    for_rows(sh.col, [&](int r) {
      const double c = cov_[static_cast<std::size_t>(r)];
      // coverage before removal: c + 1 unless r was on the removed agent's break
      double before = c + 1.0;
      for (std::size_t k = 0; k < brs.size(); ++k)
        for_rows(brs[k].first + ps[k], [&](int rr) { if (rr == r) before = c; });
      const double d = pen(r, c) - pen(r, before);
      if (!std::isfinite(d)) feasible = false; else delta += d;
    });
    if (x(s) == 1) {
      bool other = false;
      for (std::size_t q = 0; q < f_.shifts.size() && !other; ++q)
        other = static_cast<int>(q) != s && f_.shifts[q].tmpl == sh.tmpl && x(static_cast<int>(q)) > 0;
      if (!other) delta -= m_.templates[static_cast<std::size_t>(sh.tmpl)].fixed_cost;
    }
    if (m_.min_headcount > 0) {
      int head = 0;
      for (std::size_t q = 0; q < f_.shifts.size(); ++q) head += x(static_cast<int>(q));
      if (head <= m_.min_headcount) feasible = false;
    }
    if (feasible && delta < -1e-9) {
      --v_[static_cast<std::size_t>(sh.col)];
      for (std::size_t k = 0; k < brs.size(); ++k) --v_[static_cast<std::size_t>(brs[k].first + ps[k])];
      return true;
    }
    add_col(sh.col, 1);
    for (std::size_t k = 0; k < brs.size(); ++k) add_col(brs[k].first + ps[k], 1);
    return false;
  }

  // near_[s]: the shifts starting within `reach` intervals of shift s (cyclic distance on a
  // cyclic horizon), s itself included.
  void build_near(int reach) {
    if (near_reach_ == reach) return;
    near_reach_ = reach;
    const std::size_t ns = f_.shifts.size();
    std::vector<int> by_start(ns);
    std::iota(by_start.begin(), by_start.end(), 0);
    auto start = [&](int s) { return f_.shifts[static_cast<std::size_t>(s)].start; };
    std::sort(by_start.begin(), by_start.end(), [&](int a, int b) { return start(a) < start(b); });
    near_.assign(ns, {});
    for (std::size_t s = 0; s < ns; ++s) {
      const int a = start(static_cast<int>(s));
      for (int t : by_start) {
        int d = std::abs(start(t) - a);
        if (m_.cyclic) d = std::min(d, f_.n - d);
        if (d <= reach) near_[s].push_back(t);
      }
    }
  }
  // Rows of shift column c and of column d, each once, in rows_ (mark_ cleared after use).
  void touched_rows(int c, int d) {
    rows_.clear();
    mark_.resize(static_cast<std::size_t>(f_.n), 0);
    auto take = [&](int r) {
      if (!mark_[static_cast<std::size_t>(r)]) { mark_[static_cast<std::size_t>(r)] = 1; rows_.push_back(r); }
    };
    for_rows(c, take);
    for_rows(d, take);
    for (int r : rows_) mark_[static_cast<std::size_t>(r)] = 0;
  }
  [[nodiscard]] double pen_rows() const {
    double p = 0.0;
    for (int r : rows_) p += pen(r, cov_[static_cast<std::size_t>(r)]);
    return p;
  }
  // Break placement of break range `br` with the smallest (tightest: true) or largest surplus
  // over its rows, among the placements with an agent when `occupied`; -1 if none.
  int pick_placement(const BreakRange& br, bool tightest, bool occupied) const {
    int bp = -1;
    double best = tightest ? kInf : -kInf;
    for (int p = 0; p < br.count; ++p) {
      if (occupied && v_[static_cast<std::size_t>(br.first + p)] == 0) continue;
      double mn = kInf;
      for_rows(br.first + p, [&](int r) { mn = std::min(mn, surplus(r)); });
      if (tightest ? mn < best : mn > best) { best = mn; bp = p; }
    }
    return bp;
  }
  // Moves one agent from shift s to shift t (see improve_moves) if that lowers the cost.
  bool try_move(int s, int t, std::vector<int>& used) {
    const auto& ss = f_.shifts[static_cast<std::size_t>(s)];
    const auto& st = f_.shifts[static_cast<std::size_t>(t)];
    const int ts = ss.tmpl, tt = st.tmpl;
    if (t != s && !within_limits(t)) return false;
    touched_rows(ss.col, st.col);
    const double before = pen_rows();
    std::vector<int> out{ss.col}, in{st.col};
    for (const auto& br : breaks_of(s)) {
      const int p = pick_placement(br, true, true);
      if (p < 0) return false;
      out.push_back(br.first + p);
    }
    for (int c : out) { add_col(c, -1); --v_[static_cast<std::size_t>(c)]; }
    for (const auto& br : breaks_of(t)) in.push_back(br.first + pick_placement(br, false, false));
    for (int c : in) { add_col(c, 1); ++v_[static_cast<std::size_t>(c)]; }
    double delta = pen_rows() - before;
    delta += cost_of(t) - cost_of(s);
    if (tt != ts) {
      if (used[static_cast<std::size_t>(ts)] == 1) delta -= m_.templates[static_cast<std::size_t>(ts)].fixed_cost;
      if (used[static_cast<std::size_t>(tt)] == 0) delta += m_.templates[static_cast<std::size_t>(tt)].fixed_cost;
    }
    if (std::isfinite(delta) && delta < -1e-9) {
      --used[static_cast<std::size_t>(ts)];
      ++used[static_cast<std::size_t>(tt)];
      return true;
    }
    for (int c : in) { add_col(c, -1); --v_[static_cast<std::size_t>(c)]; }
    for (int c : out) { add_col(c, 1); ++v_[static_cast<std::size_t>(c)]; }
    return false;
  }

  const CoverageModel& m_;
  const Formulation& f_;
  int nsc_ = 0;
  int near_reach_ = -1;
  std::vector<std::vector<int>> near_;
  std::vector<int> rows_;
  std::vector<char> mark_;
  std::vector<int> v_;
  std::vector<double> cov_;
  std::vector<std::vector<int>> covering_;
};

// Rounding priority of each column in the dive: shifts crossing the wrap point of a cyclic week
// (fixing them leaves an interval matrix), fixed-cost switches, shift counts, break placements.
std::vector<int> dive_priority(const Formulation& f) {
  std::vector<int> p(static_cast<std::size_t>(f.lp.num_cols), 4);
  for (int c = 0; c < f.lp.num_cols; ++c) {
    const int s = f.col_shift[static_cast<std::size_t>(c)];
    if (s < 0) p[static_cast<std::size_t>(c)] = 1;
    else if (!f.col_is_x[static_cast<std::size_t>(c)]) p[static_cast<std::size_t>(c)] = 3;
    else p[static_cast<std::size_t>(c)] = f.shifts[static_cast<std::size_t>(s)].crosses ? 0 : 2;
  }
  return p;
}

// First interval of an LNS window: where the incumbent wastes (over-cover, or under-cover under
// soft cover) rather than uniformly: a centre interval drawn with probability proportional to
// |coverage - requirement| (the incumbent's slack), the window of shift starts placed `lead`
// intervals before it so that the shifts starting in it cover the centre. Uniform when the
// incumbent matches the requirement exactly.
int window_start(const IntState& inc, int n, int width, int lead, pcg32& rng) {
  const int uniform = static_cast<int>(rng() % static_cast<unsigned>(n));
  double total = 0.0;
  for (int i = 0; i < n; ++i) total += std::abs(inc.surplus(i));
  if (total <= 1e-9) return uniform;
  double u = total * static_cast<double>(rng() % 1000000) / 1e6;
  int centre = n - 1;
  for (int i = 0; i < n; ++i) {
    u -= std::abs(inc.surplus(i));
    if (u <= 0) { centre = i; break; }
  }
  return ((centre - width / 2 - lead) % n + n) % n;
}

// The LNS neighbourhood as a small LP of its own: the columns of the free shifts, the coverage
// rows with the fixed shifts' coverage moved to the right-hand side, the under/over columns.
// Only for formulations without side rows (limits, fixed costs, headcount).
struct SubProblem {
  detail::SparseLp lp;
  std::vector<int> to_full;
  std::vector<int> priority;
  std::vector<char> is_int;
  std::vector<int> int_cols;
};

SubProblem extract_window(const Formulation& f, int nsc, const std::vector<int>& inc,
                          const std::vector<char>& free_shift, const std::vector<int>& prio) {
  SubProblem sp;
  const auto& L = f.lp;
  const int n = f.n;
  std::vector<double> fixed_cov(static_cast<std::size_t>(n), 0.0);
  std::vector<int> row_map(static_cast<std::size_t>(L.num_rows), -1);
  for (int i = 0; i < n; ++i) row_map[static_cast<std::size_t>(i)] = sp.lp.add_row(L.row_lo[static_cast<std::size_t>(i)], L.row_up[static_cast<std::size_t>(i)]);
  auto copy_col = [&](int c) {
    const auto cu = static_cast<std::size_t>(c);
    sp.lp.add_col(L.col_lo[cu], L.col_up[cu], L.obj[cu]);
    for (int e = L.col_start[cu]; e < L.col_start[cu + 1]; ++e) {
      const int r = L.row_index[static_cast<std::size_t>(e)];
      auto& rm = row_map[static_cast<std::size_t>(r)];
      if (rm < 0) rm = sp.lp.add_row(L.row_lo[static_cast<std::size_t>(r)], L.row_up[static_cast<std::size_t>(r)]);
      sp.lp.add_entry(rm, L.value[static_cast<std::size_t>(e)]);
    }
    sp.to_full.push_back(c);
    sp.priority.push_back(prio[cu]);
    sp.is_int.push_back(f.is_int[cu]);
    if (f.is_int[cu]) sp.int_cols.push_back(sp.lp.num_cols - 1);
  };
  for (std::size_t s = 0; s < f.shifts.size(); ++s) {
    const int first = f.shifts[s].col;
    const int end = s + 1 < f.shifts.size() ? f.shifts[s + 1].col : nsc;
    for (int c = first; c < end; ++c) {
      if (free_shift[s]) {
        copy_col(c);
        continue;
      }
      const int v = inc[static_cast<std::size_t>(c)];
      if (v == 0) continue;
      const auto cu = static_cast<std::size_t>(c);
      for (int e = L.col_start[cu]; e < L.col_start[cu + 1]; ++e) {
        const int r = L.row_index[static_cast<std::size_t>(e)];
        if (r < n) fixed_cov[static_cast<std::size_t>(r)] += v * L.value[static_cast<std::size_t>(e)];
      }
    }
  }
  for (int c = nsc; c < L.num_cols; ++c) copy_col(c);
  for (int i = 0; i < n; ++i) {
    const auto iu = static_cast<std::size_t>(i);
    sp.lp.row_lo[iu] -= fixed_cov[iu];
    if (std::isfinite(sp.lp.row_up[iu])) sp.lp.row_up[iu] -= fixed_cov[iu];
  }
  return sp;
}

// Integer break placements for integral shift counts: for each shift and break, the agents are
// spread over the placements by largest remainder of the LP values (Hamilton's method), so each
// break's placements sum to the shift's agents. Repair and local search then fix the coverage.
void round_breaks(const CoverageModel& m, const Formulation& f, std::vector<double>& col) {
  for (const auto& sh : f.shifts) {
    const double x = std::round(col[static_cast<std::size_t>(sh.col)]);
    col[static_cast<std::size_t>(sh.col)] = x;
    const auto& t = m.templates[static_cast<std::size_t>(sh.tmpl)];
    for (std::size_t k = 0; k < t.breaks.size(); ++k) {
      const int first = sh.break_col + f.break_base[static_cast<std::size_t>(sh.tmpl)][k];
      const int cnt = t.breaks[k].placements();
      double total = 0.0;
      for (int p = 0; p < cnt; ++p) total += std::max(0.0, col[static_cast<std::size_t>(first + p)]);
      std::vector<std::pair<double, int>> rem;
      int assigned = 0;
      for (int p = 0; p < cnt; ++p) {
        const double share = total > 1e-9 ? x * std::max(0.0, col[static_cast<std::size_t>(first + p)]) / total : x / cnt;
        const double fl = std::floor(share + 1e-9);
        col[static_cast<std::size_t>(first + p)] = fl;
        assigned += static_cast<int>(fl);
        rem.push_back({-(share - fl), p});
      }
      std::sort(rem.begin(), rem.end());
      for (int q = 0; assigned < static_cast<int>(x); ++q, ++assigned)
        col[static_cast<std::size_t>(first + rem[static_cast<std::size_t>(q % cnt)].second)] += 1.0;
    }
  }
}

// Where a dive stops rounding (first_dive_iterations() in search_policy.hpp): after `iterations`
// simplex iterations of its LP re-solves (LpSolver::iterations; < 0: no cap), or at `deadline`
// [s of the timer], the backstop. Either way the dive returns the last LP point it solved.
struct DiveCap {
  long long iterations = -1;
  double deadline = kInf;
  [[nodiscard]] bool any() const { return iterations >= 0 || std::isfinite(deadline); }
};

// Dives from the current LP: fix-and-resolve (lower bounds at the rounded-down LP values), then
// rounds batches of fractional integer columns in order of priority (columns crossing the wrap
// point of a cyclic week, fixed-cost switches, shift counts, break placements), re-solving after
// each batch (warm-started dual simplex). Returns the integral column vector, or empty.
// `cap`: once reached, the dive stops rounding and returns the last LP point it solved, partly
// rounded (the caller rounds the rest: round_breaks); a dive that ran out of the time limit
// itself returns empty. An iteration cap is the same on every machine (a re-solve it cuts short
// is stopped by the engine's iteration limit), so it leaves the dive's result to the seed.
std::vector<double> dive(detail::LpSolver& lp, int num_cols, const std::vector<int>& cols,
                         const std::vector<int>& prio, const Timer& timer, pcg32& rng,
                         int max_priority = 99, DiveCap cap = {}) {
  const long long it0 = lp.iterations();
  const bool counted = cap.iterations >= 0 && it0 >= 0;
  auto iterations_left = [&] { return cap.iterations - (lp.iterations() - it0); };
  auto capped = [&] {
    return timer.elapsed() >= cap.deadline || (counted && iterations_left() <= 0);
  };
  auto limit_solve = [&] {
    lp.set_time_limit(std::max(0.01, std::min(timer.left(), cap.deadline - timer.elapsed())));
    if (counted) lp.set_iteration_limit(iterations_left());
  };
  std::vector<std::pair<int, std::pair<double, double>>> saved;
  auto set_bounds = [&](int c, double lo, double up) {
    saved.push_back({c, {lp.col_lo(c), lp.col_up(c)}});
    lp.set_col_bounds(c, lo, up);
  };
  auto restore = [&] {
    for (auto it = saved.rbegin(); it != saved.rend(); ++it)
      lp.set_col_bounds(it->first, it->second.first, it->second.second);
    saved.clear();
  };
  auto priority = [&](int c) { return prio[static_cast<std::size_t>(c)]; };
  std::vector<double> result, last_point;
  bool first = true;
  for (int iter = 0; iter < 100000; ++iter) {
    if (capped()) {
      result = std::move(last_point);
      break;
    }
    if (timer.left() <= 0) break;
    limit_solve();
    if (lp.solve() != LpStatus::optimal) {
      if (capped()) result = std::move(last_point);
      break;
    }
    const double* v = lp.col_values();
    if (cap.any()) last_point.assign(v, v + num_cols);
    int best_pri = 99;
    std::vector<int> frac;
    for (int c : cols) {
      const double val = v[c];
      if (is_integral(val)) continue;
      const int p = priority(c);
      if (p > max_priority) continue;  // left to round_breaks()
      if (p < best_pri) { best_pri = p; frac.clear(); }
      if (p == best_pri) frac.push_back(c);
    }
    if (frac.empty()) {
      result.assign(v, v + num_cols);
      for (int c : cols)
        if (priority(c) <= max_priority) result[static_cast<std::size_t>(c)] = std::round(result[static_cast<std::size_t>(c)]);
      break;
    }
    if (first) {  // fix-and-resolve: nothing goes below its rounded-down LP value
      first = false;
      bool any = false;
      for (int c : cols)
        if (v[c] >= 1.0 - 1e-6 && std::floor(v[c] + 1e-6) > lp.col_lo(c)) {
          set_bounds(c, std::floor(v[c] + 1e-6), lp.col_up(c));
          any = true;
        }
      if (any) continue;
    }
    // Round up (covering: rounding up keeps the LP feasible) the columns with the largest
    // fractional part first, an eighth of them per step; ties broken by the seeded generator.
    // (Rounding to the nearest integer, down included, was tried: slower and worse on 24/7 weeks.)
    std::vector<std::pair<double, int>> cand;
    for (int c : frac) cand.push_back({1.0 - frac_part(v[c]) + 1e-7 * (rng() % 1000), c});
    std::sort(cand.begin(), cand.end());
    const std::size_t batch = std::max<std::size_t>(1, cand.size() / 8);
    std::vector<std::pair<int, std::pair<double, double>>> step;
    for (std::size_t q = 0; q < batch && q < cand.size(); ++q) {
      const int c = cand[q].second;
      step.push_back({c, {lp.col_lo(c), lp.col_up(c)}});
      set_bounds(c, std::ceil(v[c]), lp.col_up(c));
    }
    limit_solve();
    if (lp.solve() != LpStatus::optimal) {  // a limit was hit: undo, round the first one down
      const int c = step.front().first;
      const double fl = std::floor(v[c]);
      for (auto& [col, b] : step) lp.set_col_bounds(col, b.first, b.second);
      set_bounds(c, lp.col_lo(c), fl);
    }
  }
  if (counted) lp.set_iteration_limit(-1);
  restore();
  return result;
}

void report(const SolveOptions& o, const Timer& t, double best, double lb, std::string_view phase,
            bool& stop) {
  if (!o.progress || stop) return;
  Progress p;
  p.step = phase;
  p.elapsed_s = t.elapsed();
  p.done = p.elapsed_s;
  p.total = o.time_limit;
  p.objective = best;
  p.bound = lb;
  if (!o.progress(p)) stop = true;
}

void check_options(const SolveOptions& o) {
  wfm::detail::require_positive("wfm::schedule::SolveOptions", "time_limit [s]", o.time_limit);
  wfm::detail::require_nonnegative("wfm::schedule::SolveOptions", "mip_gap", o.mip_gap);
  validate(o.policy);
  if (o.engine != Engine::clp_cbc && !highs_available())
    wfm::detail::throw_invalid("wfm::schedule::SolveOptions: engine",
                               "needs HiGHS, which this build of wfm does not have (configure "
                               "with -DWFM_WITH_HIGHS=ON)",
                               to_string(o.engine));
}

std::vector<int> uncoverable_intervals(const CoverageModel& m, const Formulation& f) {
  std::vector<int> out;
  if (!m.cover.hard_cover) return out;
  std::vector<char> can(static_cast<std::size_t>(f.n), 0);
  for (const auto& sh : f.shifts) {
    const auto& lp = f.lp;
    const auto& t = m.templates[static_cast<std::size_t>(sh.tmpl)];
    if (t.max_agents_per_start == 0 || t.max_agents == 0) continue;
    for (int e = lp.col_start[static_cast<std::size_t>(sh.col)]; e < lp.col_start[static_cast<std::size_t>(sh.col) + 1]; ++e)
      if (lp.row_index[static_cast<std::size_t>(e)] < f.n) can[static_cast<std::size_t>(lp.row_index[static_cast<std::size_t>(e)])] = 1;
  }
  for (int i = 0; i < f.n; ++i)
    if (f.rhs[static_cast<std::size_t>(i)] > 0 && !can[static_cast<std::size_t>(i)]) out.push_back(i);
  return out;
}

Schedule infeasible_result(const CoverageModel& m, const Formulation& f) {
  Schedule s;
  s.status = Status::infeasible;
  s.uncoverable = uncoverable_intervals(m, f);
  s.lower_bound = kInf;
  s.lp_bound = kInf;
  if (!s.uncoverable.empty()) {
    std::string list;
    for (std::size_t q = 0; q < s.uncoverable.size() && q < 20; ++q)
      list += fmt::format("{}{}", q ? "," : "", s.uncoverable[q]);  // (GCC 12 -Wrestrict on +)
    s.message = fmt::format("hard cover infeasible: {} interval(s) with a requirement that no "
                            "allowed shift covers: {}{}",
                            s.uncoverable.size(), list, s.uncoverable.size() > 20 ? ",..." : "");
  } else {
    s.message = "hard cover infeasible under the agent limits (max_agents, max_headcount)";
  }
  return s;
}

/// Integer columns with a fractional value in the LP point `v`.
std::size_t fractional_columns(const Formulation& f, const double* v) {
  std::size_t n = 0;
  for (int c = 0; c < f.lp.num_cols; ++c)
    if (f.is_int[static_cast<std::size_t>(c)] && !is_integral(v[c])) ++n;
  return n;
}

bool lp_solution_integral(const Formulation& f, const double* v) {
  return fractional_columns(f, v) == 0;
}

}  // namespace

Schedule solve_lp(const CoverageModel& m, const SolveOptions& o) {
  validate(m);
  check_options(o);
  Timer timer;
  timer.limit = o.time_limit;
  timer.cpu = o.cpu_time;
  const Formulation f = detail::build_formulation(m);
  // simplex is faster without breaks
  auto lp = detail::make_lp_solver(o.engine, !break_free(m), o.cpu_time);
  lp->load(f.lp);
  lp->set_time_limit(o.time_limit);
  const LpStatus st = lp->solve();
  if (st == LpStatus::infeasible) return infeasible_result(m, f);
  Schedule s;
  if (st != LpStatus::optimal) {
    s.status = st == LpStatus::stopped ? Status::time_limit : Status::error;
    s.message = "LP relaxation not solved";
    return s;
  }
  s.status = Status::optimal;
  s.lp_bound = lp->objective() + f.offset;
  s.lower_bound = detail::round_bound_up(f, s.lp_bound);
  s.lp_integral = lp_solution_integral(f, lp->col_values());
  s.seconds = timer.elapsed();
  return s;
}

namespace {

/// The search of solve(), phase by phase: LP relaxation, first incumbent (dive, else repair),
/// early CBC, large-neighbourhood rounds, final CBC, result. The state shared by the phases
/// (bound, incumbent, timer, random stream) lives here; each phase is one member function.
class SolveRun {
 public:
  SolveRun(const CoverageModel& m, const SolveOptions& o)
      : m_(m), o_(o), rng_(o.seed, 0x5eed), f_(detail::build_formulation(m)),
        best_state_(m, f_), work_(m, f_) {
    timer_.limit = o.time_limit;
    timer_.cpu = o.cpu_time;
  }

  Schedule run() {
    if (std::optional<Schedule> early = solve_relaxation()) return std::move(*early);
    if (lp_solution_integral(f_, lp_->col_values())) return integral_lp_result();
    first_incumbent();
    if (plan_.fixed_costs) template_search(*lp_, pol_.template_search_share * o_.time_limit);
    if (plan_.fixed_costs) raise_bound(step_cover_rounds());
    if (plan_.fixed_costs) cut_search();
    if (early_cbc()) return infeasible();
    int iter = 0;
    while (std::isfinite(best_) && !stop_ && !gap_ok() &&
           timer_.elapsed() < plan_.lns_share * o_.time_limit &&
           (o_.lns_iterations < 0 || iter < o_.lns_iterations)) {
      ++iter;
      if (!stalled(iter, lns_round(iter))) continue;
      if (plan_.cbc_whole_model) break;
      // A hard-cover model CBC does not take whole (detail::cbc_takes_rest): CBC gets
      // SearchPolicy::stall_cbc_share of the time left, and the LNS resumes after it.
      if (run_cbc(pol_.stall_cbc_share * timer_.left()) && !std::isfinite(best_))
        return infeasible();
    }
    // CBC branch-and-cut with the incumbent as MIP start, in the remaining time.
    if (o_.use_cbc && !stop_ && !gap_ok() && timer_.left() > pol_.min_seconds_for_cbc &&
        run_cbc(timer_.left()) && !std::isfinite(best_))
      return infeasible();
    return result(iter);
  }

 private:
  /// Solves the LP relaxation; a result when the search ends there (infeasible, time limit,
  /// back-end failure).
  std::optional<Schedule> solve_relaxation() {
    // simplex is faster without breaks
    lp_ = detail::make_lp_solver(o_.engine, !break_free(m_), o_.cpu_time);
    lp_->load(f_.lp);
    lp_->set_time_limit(o_.time_limit);
    const LpStatus st = lp_->solve();
    if (st == LpStatus::infeasible) return infeasible();
    if (st != LpStatus::optimal) {
      Schedule s;
      s.status = st == LpStatus::stopped ? Status::time_limit : Status::error;
      s.message = st == LpStatus::stopped ? "time limit reached while solving the LP relaxation"
                                          : "the LP back-end failed on the relaxation";
      s.seconds = timer_.elapsed();
      return s;
    }
    lp_bound_ = lp_->objective() + f_.offset;
    lb_ = detail::round_bound_up(f_, lp_bound_);
    root_.assign(lp_->col_values(), lp_->col_values() + f_.lp.num_cols);
    report(o_, timer_, kInf, lb_, "lp", stop_);
    for (int c = 0; c < f_.lp.num_cols; ++c)
      if (f_.is_int[static_cast<std::size_t>(c)]) int_cols_.push_back(c);
    prio_ = dive_priority(f_);
    // The plan follows from the instance (size, shift lengths, fixed costs, the root LP's
    // fractional columns) and the limit: whole-model CBC only where CBC can handle the model in
    // the time or its root LP is nearly integral (search_policy.hpp).
    plan_ = plan_search(m_, pol_, o_.time_limit, o_.use_cbc,
                        fractional_columns(f_, root_.data()));
    return std::nullopt;
  }

  /// Fixed-cost models, after the template search: cut rounds on the LP relaxation
  /// (SearchPolicy::step_cover_rounds), on a copy of the model, from the root LP point: each
  /// adds the violated flow-cover forms of the step rows and re-solves (warm-started). Returns
  /// the last LP value (without the offset; -inf if none).
  /// The rounds also end once the bound proves the incumbent. The model with the cuts goes to
  /// the whole-model CBC runs (SearchPolicy::step_cover_cbc), its LP (cut_lp_) to cut_search();
  /// the first dive, the first template search and the LNS keep the LP without them.
  double step_cover_rounds() {
    double value = -kInf;
    if (f_.steps.empty() || pol_.step_cover_rounds <= 0) return value;
    detail::Formulation g = f_;
    std::unique_ptr<detail::LpSolver>& lp = cut_lp_;
    const int max_rows = static_cast<int>(g.steps.size());
    const double until = timer_.elapsed() + pol_.step_cover_share * o_.time_limit;
    for (int r = 0; r < pol_.step_cover_rounds && !stop_ && !gap_ok(); ++r) {
      if (timer_.elapsed() >= until) break;
      const int first = g.lp.num_rows;
      if (detail::separate_step_covers(g, lp ? lp->col_values() : root_.data(), max_rows) == 0) break;
      if (!lp) {
        lp = detail::make_lp_solver(o_.engine, !break_free(m_), o_.cpu_time);
        lp->load(g.lp);
      } else {
        lp->add_rows(g.lp, first);
      }
      lp->set_time_limit(std::max(0.01, timer_.left()));
      if (lp->solve() != LpStatus::optimal) break;
      const double gain = lp->objective() - std::max(value, lp_bound_ - f_.offset);
      value = lp->objective();
      raise_bound(value);  // the loop ends once the bound proves the incumbent (gap_ok)
      if (gain < pol_.step_cover_min_gain * std::max(1.0, std::abs(value))) break;
    }
    if (!std::isfinite(value)) cut_lp_.reset();
    if (pol_.step_cover_cbc && std::isfinite(value)) cbc_lp_ = std::move(g.lp);
    return value;
  }

  /// After the cut rounds (SearchPolicy::step_cover_search): a dive on the LP with the cuts,
  /// then the template-set search with its dives on that LP, from the incumbent, until a local
  /// optimum or template_search_share of the limit more.
  void cut_search() {
    if (!cut_lp_ || !pol_.step_cover_search || stop_ || gap_ok()) return;
    auto d = dive(*cut_lp_, f_.lp.num_cols, int_cols_, prio_, timer_, rng_, pol_.dive_max_priority);
    if (!d.empty()) round_breaks(m_, f_, d);
    consider(d, "cut-dive");
    template_search(*cut_lp_, timer_.elapsed() + pol_.template_search_share * o_.time_limit);
  }

  /// A stronger LP value (without the offset) raises the LP bound and the lower bound.
  void raise_bound(double lp_value) {
    if (!std::isfinite(lp_value) || lp_value + f_.offset <= lp_bound_) return;
    lp_bound_ = lp_value + f_.offset;
    lb_ = std::max(lb_, detail::round_bound_up(f_, lp_bound_));
    report(o_, timer_, best_, lb_, "cuts", stop_);
  }

  /// Integral LP optimum (always so for an interval matrix with integral requirement).
  Schedule integral_lp_result() {
    std::vector<double> col(lp_->col_values(), lp_->col_values() + f_.lp.num_cols);
    Schedule s = detail::schedule_from_columns(m_, f_, col);
    s.lp_integral = true;
    lb_ = std::max(lb_, s.cost);  // the LP value is the integer optimum
    const bool tu = break_free(m_) && !f_.side_rows && !m_.cyclic;
    return finish(std::move(s), Status::optimal,
                  tu ? "interval matrix (consecutive ones, totally unimodular): LP optimum is "
                       "integral"
                     : "LP optimum is integral");
  }

  /// The dives round shift counts (and fixed-cost switches); break placements are then spread
  /// by largest remainder and repaired, which is faster and, on the 24/7 weeks, better than
  /// diving on every break column. The first dive stops after the simplex iterations that
  /// SearchPolicy::first_dive_share of the limit buys (first_dive_cap()), and the LP point it
  /// reached is rounded the same way. Without a dive result: the root LP rounded the same way;
  /// without any: construct greedily from nothing (soft cover: add shifts while they pay).
  void first_incumbent() {
    auto d = dive(*lp_, f_.lp.num_cols, int_cols_, prio_, timer_, rng_, pol_.dive_max_priority,
                  first_dive_cap());
    if (!d.empty()) round_breaks(m_, f_, d);
    consider(d, "dive", true);
    if (d.empty()) {  // the dive ran out of time: round the root LP, repair, improve
      std::vector<double> col = root_;
      round_breaks(m_, f_, col);
      consider(col, "round", true);
    }
    if (!std::isfinite(best_)) {  // build greedily from nothing
      std::vector<double> zero(static_cast<std::size_t>(f_.lp.num_cols), 0.0);
      consider(zero, "repair", true);
    }
  }

  /// Where the first dive stops (SearchPolicy::first_dive_share): after the simplex iterations
  /// of first_dive_iterations() for this LP and limit, the same on every machine; the CPU or
  /// wall-clock backstop at SearchPolicy::first_dive_backstop times the share's seconds is the
  /// only path by which the machine's speed or load can change the first schedule. An engine
  /// that counts no iterations stops at the share's seconds. A share of 1: the time limit only.
  DiveCap first_dive_cap() {
    DiveCap cap;
    const double share_seconds = pol_.first_dive_share * o_.time_limit;
    if (pol_.first_dive_share >= 1.0) {
      cap.deadline = timer_.elapsed() + share_seconds;
      return cap;
    }
    const bool counted = lp_->iterations() >= 0;
    if (counted) cap.iterations = first_dive_iterations(pol_, f_.lp.value.size(), o_.time_limit);
    cap.deadline = timer_.elapsed() + (counted ? pol_.first_dive_backstop : 1.0) * share_seconds;
    return cap;
  }

  /// A local search over the set of templates used (fixed-cost models, minimum shift design).
  /// A set is evaluated by the LP with the switches of the templates outside it fixed at 0,
  /// dived and improved (consider()): the counts of all the set's templates are re-optimised
  /// at once, which no count move does. Moves, first improvement: close a template of the
  /// incumbent; swap one for one of its SearchPolicy::template_swap_neighbours nearest unused
  /// templates (nearest start and end: Musliu, Schaerf & Slany 2004, EJOR 153:51-64, search the
  /// shift set by moving a shift's start or end for the same reason); close one and leave all
  /// the other switches to the LP and the dive (which may open templates far from it). Passes
  /// repeat while one improves; the search ends at a local optimum, or at `until` [s of the
  /// timer]. `lp`: the plain LP (first pass) or the LP with the cuts (cut_search()).
  void template_search(detail::LpSolver& lp, double until) {
    const std::vector<std::vector<std::size_t>> near = nearest_templates(pol_.template_swap_neighbours);
    // open[t]: 0 closed, 1 open, 2 left to the LP and the dive.
    auto try_set = [&](const std::vector<char>& open) {
      std::vector<std::pair<int, std::pair<double, double>>> saved;
      for (std::size_t t = 0; t < m_.templates.size(); ++t) {
        const int y = f_.fixed_col[t];
        if (y < 0 || open[t] == 2) continue;
        saved.push_back({y, {lp.col_lo(y), lp.col_up(y)}});
        const double v = open[t] ? 1.0 : 0.0;
        lp.set_col_bounds(y, v, v);
      }
      auto d = dive(lp, f_.lp.num_cols, int_cols_, prio_, timer_, rng_, pol_.dive_max_priority);
      for (auto it = saved.rbegin(); it != saved.rend(); ++it) lp.set_col_bounds(it->first, it->second.first, it->second.second);
      if (!d.empty()) round_breaks(m_, f_, d);
      return consider(d, "templates");
    };
    auto out_of_time = [&] { return timer_.elapsed() >= until || stop_ || gap_ok(); };
    bool improved = true;
    while (improved && std::isfinite(best_) && !out_of_time()) {
      improved = false;
      const auto used = templates_used();
      std::vector<char> open(m_.templates.size(), 0);
      for (std::size_t t : used) open[t] = 1;
      for (std::size_t t : used) {  // close one
        if (out_of_time()) return;
        open[t] = 0;
        improved = try_set(open);
        open[t] = 1;
        if (improved) break;
      }
      for (std::size_t t : used) {  // swap one for a nearby unused one
        if (improved) break;
        open[t] = 0;
        for (std::size_t u : near[t]) {
          if (open[u]) continue;
          if (out_of_time()) return;
          open[u] = 1;
          improved = try_set(open);
          open[u] = 0;
          if (improved) break;
        }
        open[t] = 1;
      }
      for (std::size_t t : used) {  // close one, the LP free to open any other
        if (improved || out_of_time()) break;
        std::vector<char> rest(m_.templates.size(), 2);
        rest[t] = 0;
        improved = try_set(rest);
      }
    }
  }

  /// Per fixed-cost template, the `k` other fixed-cost templates nearest to it: distance = that
  /// of the first starts (cyclic on a cyclic horizon) + that of the first ends [intervals].
  std::vector<std::vector<std::size_t>> nearest_templates(int k) const {
    const std::size_t nt = m_.templates.size();
    std::vector<std::vector<std::size_t>> out(nt);
    auto first = [&](std::size_t t) {
      const auto& st = m_.templates[t].starts;
      return st.empty() ? 0 : *std::min_element(st.begin(), st.end());
    };
    auto dist = [&](int a, int b) {
      const int d = std::abs(a - b);
      return m_.cyclic ? std::min(d, f_.n - d) : d;
    };
    for (std::size_t t = 0; t < nt; ++t) {
      if (f_.fixed_col[t] < 0) continue;
      std::vector<std::pair<int, std::size_t>> cand;
      for (std::size_t u = 0; u < nt; ++u) {
        if (u == t || f_.fixed_col[u] < 0) continue;
        const int a = first(t), b = first(u);
        cand.push_back({dist(a, b) + dist(a + m_.templates[t].length, b + m_.templates[u].length), u});
      }
      std::sort(cand.begin(), cand.end());
      for (std::size_t q = 0; q < cand.size() && q < static_cast<std::size_t>(std::max(0, k)); ++q)
        out[t].push_back(cand[q].second);
    }
    return out;
  }

  /// Templates with agents in the incumbent, fewest agents first.
  std::vector<std::size_t> templates_used() const {
    std::vector<int> agents(m_.templates.size(), 0);
    const auto& v = best_state_.values();
    for (const auto& sh : f_.shifts) agents[static_cast<std::size_t>(sh.tmpl)] += v[static_cast<std::size_t>(sh.col)];
    std::vector<std::size_t> out;
    for (std::size_t t = 0; t < agents.size(); ++t)
      if (agents[t] > 0) out.push_back(t);
    std::stable_sort(out.begin(), out.end(), [&](std::size_t a, std::size_t b) { return agents[a] < agents[b]; });
    return out;
  }

  /// Small models, nearly integral ones (SearchPolicy::cbc_fractional_columns) and fixed-cost
  /// models (minimum shift design, whose template switches the heuristics do not branch on) go
  /// to CBC early. True if proven infeasible with no schedule.
  bool early_cbc() {
    const double limit = timer_.left() * plan_.early_cbc_share;
    if (!(plan_.early_cbc && !stop_ && !gap_ok() && limit > pol_.min_seconds_for_cbc))
      return false;
    return run_cbc(limit) && !std::isfinite(best_);
  }

  /// Repairs, improves and keeps `col` if it beats the incumbent.
  bool consider(const std::vector<double>& col, std::string_view phase, bool fill = false) {
    if (col.empty()) return false;
    work_.set_from(col);
    if (!work_.repair()) return false;
    if (fill) work_.soft_fill(4 * f_.n);
    work_.improve(rng_);
    if (work_.improve_moves(plan_.move_reach, pol_.move_passes, rng_) > 0) work_.improve(rng_);
    const double c = work_.cost();
    if (c < best_ - 1e-9) {
      best_ = c;
      best_state_.set(work_.values());
      report(o_, timer_, best_, lb_, phase, stop_);
      return true;
    }
    return false;
  }

  bool gap_ok() const {
    return std::isfinite(best_) && (best_ - lb_) <= o_.mip_gap * std::abs(best_);
  }

  /// CBC on the whole model with the incumbent as MIP start. True if proven infeasible.
  bool run_cbc(double limit) {
    report(o_, timer_, best_, lb_, "cbc", stop_);
    std::vector<double> start;
    if (std::isfinite(best_)) start = best_state_.full_columns();
    const auto r = detail::solve_mip(o_.engine, cbc_lp_ ? *cbc_lp_ : f_.lp, f_.is_int, start, limit, o_.mip_gap,
                                     o_.seed, o_.cpu_time);
    if (r.found) {
      IntState cs(m_, f_);
      cs.set_from(r.x);
      if (cs.repair()) {
        const double c = cs.cost();
        if (c < best_ - 1e-9) {
          best_ = c;
          best_state_.set(cs.values());
          report(o_, timer_, best_, lb_, "cbc", stop_);
        }
      }
    }
    if (std::isfinite(r.bound)) lb_ = std::max(lb_, detail::round_bound_up(f_, r.bound + f_.offset));
    return r.proven_infeasible;
  }

  /// The stall rule of the LNS (SearchPolicy::stall_sweeps), after round `iter`: when the
  /// rounds since the last gain (or the last growth) reach the patience, the windows grow, or,
  /// at their widest on a model CBC takes in the time left (detail::cbc_takes_rest), the LNS
  /// ends (true) and the final CBC run gets its time.
  bool stalled(int iter, bool improved) {
    if (improved) {
      ++lns_gains_;
      quiet_since_ = iter;
      return false;
    }
    if (iter - quiet_since_ < detail::lns_patience(pol_, plan_, iter, lns_gains_)) return false;
    quiet_since_ = iter;
    const int widest = std::max(plan_.dive_window, plan_.cbc_window);
    if (widest * window_scale_ < plan_.window_cap && pol_.stall_window_growth > 1.0) {
      window_scale_ *= pol_.stall_window_growth;
      return false;
    }
    return o_.use_cbc && detail::cbc_takes_rest(pol_, plan_, m_.cover.hard_cover, timer_.left());
  }

  /// One large-neighbourhood round (Shaw 1998; the sub-MIP flavour of RINS, Danna, Rothberg &
  /// Le Pape 2005): free the shifts starting in a window of the horizon, fix the rest at the
  /// incumbent, and re-optimise the window, by a dive (wide windows) or, every
  /// SearchPolicy::cbc_round_period-th round, by CBC (narrow windows, short limit). Windows go
  /// where the incumbent's coverage differs from the requirement (window_start). Widths and the
  /// sub-MIP limit come from the SearchPlan (shift lengths, time limit).
  bool lns_round(int iter) {
    const int n = f_.n;
    const bool by_cbc = o_.use_cbc && iter % std::max(1, pol_.cbc_round_period) == 0;
    const double base = std::min<double>(plan_.window_cap,
                                         window_scale_ * (by_cbc ? plan_.cbc_window : plan_.dive_window));
    const int width = std::clamp(static_cast<int>(base * (0.5 + 0.1 * (rng_() % 11))), 1, n);
    const int w0 = window_start(best_state_, n, width, plan_.window_lead, rng_);
    std::vector<char> free_shift(f_.shifts.size(), 0);
    for (std::size_t q = 0; q < f_.shifts.size(); ++q) {
      int d = f_.shifts[q].start - w0;
      if (d < 0) d += n;
      free_shift[q] = d < width ? 1 : 0;
    }
    const double sub_limit =
        std::min(std::max(plan_.sub_mip_seconds,
                          std::min(pol_.max_sub_mip_seconds, window_scale_ * plan_.sub_mip_seconds)),
                 std::max(pol_.min_seconds_for_cbc, plan_.lns_share * o_.time_limit - timer_.elapsed()));
    const std::uint64_t seed = o_.seed + static_cast<std::uint64_t>(iter);
    return consider(f_.side_rows ? window_by_bounds(free_shift, by_cbc, sub_limit, seed)
                                 : window_alone(free_shift, by_cbc, sub_limit, seed),
                    "lns");
  }

  /// The window as a small LP of its own (formulations without side rows).
  std::vector<double> window_alone(const std::vector<char>& free_shift, bool by_cbc,
                                   double sub_limit, std::uint64_t seed) {
    const auto& inc = best_state_.values();
    const SubProblem sp = extract_window(f_, best_state_.num_shift_cols(), inc, free_shift, prio_);
    std::vector<double> sub, col;
    if (!by_cbc) {
      auto sublp = detail::make_lp_solver(o_.engine, false, o_.cpu_time);
      sublp->load(sp.lp);
      sub = dive(*sublp, sp.lp.num_cols, sp.int_cols, sp.priority, timer_, rng_,
                 pol_.dive_max_priority);
    } else {
      std::vector<double> start(static_cast<std::size_t>(sp.lp.num_cols), 0.0);
      const auto full = best_state_.full_columns();
      for (std::size_t j = 0; j < start.size(); ++j)
        start[j] = full[static_cast<std::size_t>(sp.to_full[j])];
      const auto r = detail::solve_mip(o_.engine, sp.lp, sp.is_int, start, sub_limit, o_.mip_gap,
                                       seed, o_.cpu_time);
      if (r.found) sub = r.x;
    }
    if (!sub.empty()) {
      col.assign(inc.begin(), inc.end());
      col.resize(static_cast<std::size_t>(f_.lp.num_cols), 0.0);
      for (std::size_t j = 0; j < sub.size(); ++j)
        col[static_cast<std::size_t>(sp.to_full[j])] = sub[j];
      if (!by_cbc) round_breaks(m_, f_, col);
    }
    return col;
  }

  /// Side rows couple the window to the rest: fix the other shifts by bounds in the full LP.
  std::vector<double> window_by_bounds(const std::vector<char>& free_shift, bool by_cbc,
                                       double sub_limit, std::uint64_t seed) {
    const auto& inc = best_state_.values();
    const int nsc = best_state_.num_shift_cols();
    std::vector<std::pair<int, std::pair<double, double>>> saved;
    for (std::size_t q = 0; q < f_.shifts.size(); ++q) {
      if (free_shift[q]) continue;
      const int end = q + 1 < f_.shifts.size() ? f_.shifts[q + 1].col : nsc;
      for (int c = f_.shifts[q].col; c < end; ++c) {
        saved.push_back({c, {lp_->col_lo(c), lp_->col_up(c)}});
        const double val = inc[static_cast<std::size_t>(c)];
        lp_->set_col_bounds(c, val, val);
      }
    }
    std::vector<double> col;
    if (!by_cbc) {
      col = dive(*lp_, f_.lp.num_cols, int_cols_, prio_, timer_, rng_, pol_.dive_max_priority);
      if (!col.empty()) round_breaks(m_, f_, col);
    } else {
      detail::SparseLp sub = f_.lp;
      for (auto& [c, bnd] : saved) {
        (void)bnd;
        sub.col_lo[static_cast<std::size_t>(c)] = lp_->col_lo(c);
        sub.col_up[static_cast<std::size_t>(c)] = lp_->col_up(c);
      }
      const auto r = detail::solve_mip(o_.engine, sub, f_.is_int, best_state_.full_columns(),
                                       sub_limit, o_.mip_gap, seed, o_.cpu_time);
      if (r.found) col = r.x;
    }
    for (auto& [c, bnd] : saved) lp_->set_col_bounds(c, bnd.first, bnd.second);
    return col;
  }

  Schedule finish(Schedule s, Status status, std::string msg) const {
    s.lp_bound = lp_bound_;
    s.lower_bound = std::min(lb_, s.cost);
    s.gap = std::max(0.0, (s.cost - s.lower_bound) / std::max(std::abs(s.cost), 1e-12));
    if (s.gap <= o_.mip_gap) status = Status::optimal;
    s.status = status;
    s.message = std::move(msg);
    s.seconds = timer_.elapsed();
    return s;
  }

  Schedule infeasible() const {
    Schedule s = infeasible_result(m_, f_);
    s.seconds = timer_.elapsed();
    return s;
  }

  Schedule result(int iter) const {
    if (!std::isfinite(best_)) {
      Schedule s;
      s.status = Status::time_limit;
      s.lp_bound = lp_bound_;
      s.lower_bound = lb_;
      s.message = "no integer schedule found";
      s.seconds = timer_.elapsed();
      return s;
    }
    Schedule s = detail::schedule_from_columns(m_, f_, best_state_.full_columns());
    const Status status = stop_                 ? Status::feasible
                               : timer_.left() <= 0 ? Status::time_limit
                                                    : Status::feasible;
    return finish(std::move(s), status,
                  stop_ ? "stopped by the progress callback"
                        : fmt::format("{} large-neighbourhood rounds", iter));
  }

  const CoverageModel& m_;
  const SolveOptions& o_;
  Timer timer_;
  pcg32 rng_;
  const Formulation f_;
  std::optional<detail::SparseLp> cbc_lp_;  // f_.lp with the cuts of step_cover_rounds()
  std::unique_ptr<detail::LpSolver> cut_lp_;  // its LP, solved at the last round's point
  std::unique_ptr<detail::LpSolver> lp_;
  double lp_bound_ = 0.0;
  std::vector<double> root_;  // the LP relaxation's optimum
  double lb_ = 0.0;
  std::vector<int> int_cols_;
  std::vector<int> prio_;
  const SearchPolicy& pol_ = o_.policy;
  SearchPlan plan_;
  IntState best_state_, work_;
  double best_ = kInf;
  // LNS stall rule (stalled()): rounds that improved the incumbent, the round of the last gain
  // or growth, and the factor on the plan's window widths.
  int lns_gains_ = 0;
  int quiet_since_ = 0;
  double window_scale_ = 1.0;
  bool stop_ = false;
};

}  // namespace

Schedule solve(const CoverageModel& m, const SolveOptions& o) {
  validate(m);
  check_options(o);
  if (std::optional<Schedule> by_blocks = detail::solve_by_blocks(m, o)) return std::move(*by_blocks);
  return SolveRun(m, o).run();
}

}  // namespace wfm::schedule
