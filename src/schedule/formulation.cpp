#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "formulation.hpp"

namespace wfm::schedule::detail {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Rows of the intervals [first, first + len) (wrapping when cyclic, clipped otherwise).
template <class F>
void for_span(int n, bool cyclic, int first, int len, F&& f) {
  for (int o = 0; o < len; ++o) {
    int i = first + o;
    if (i >= n) {
      if (!cyclic) break;
      i %= n;
    }
    f(i);
  }
}

// Greatest common unit of positive values given to 1e-4 (0 when there is none).
double common_unit(const std::vector<double>& values) {
  long long g = 0;
  for (double v : values) {
    if (v <= 0) continue;
    const double s = v * 1e4;
    const double r = std::round(s);
    if (std::abs(s - r) > 1e-6 * std::max(1.0, s) || r > 1e15) return 0.0;
    g = std::gcd(g, static_cast<long long>(r));
  }
  return static_cast<double>(g) * 1e-4;
}

// Bound M on the agents of one shift in x[s] <= M y[t] (fixed-cost templates): an optimal
// schedule has no more agents on a shift than the largest requirement over its span, R (times
// the breaks that may overlap an interval): with more, every interval of the span is over-
// covered and one agent less costs less or the same. A bound per shift (per start, i.e. per
// day in minimum shift design) instead of one per model is the disaggregated form of the
// fixed-charge relaxation (Padberg, Van Roy & Wolsey 1985, Oper. Res. 33:842-861: the tighter
// the variable upper bound, the stronger the LP). A minimum headcount voids the argument (an
// agent may be needed for it): the model-wide bound is kept then.
double shift_big_m(const CoverageModel& m, const Formulation& f, const Formulation::Shift& sh,
                   double max_r) {
  const ShiftTemplate& st = m.templates[static_cast<std::size_t>(sh.tmpl)];
  double r = max_r;
  if (m.min_headcount <= 0) {
    r = 0.0;
    const SparseLp& lp = f.lp;
    for (int e = lp.col_start[static_cast<std::size_t>(sh.col)]; e < lp.col_start[static_cast<std::size_t>(sh.col) + 1]; ++e) {
      const int i = lp.row_index[static_cast<std::size_t>(e)];
      if (i < f.n) r = std::max(r, f.rhs[static_cast<std::size_t>(i)]);
    }
    r = std::ceil(r - 1e-9);
  }
  double big = r * static_cast<double>(1 + st.breaks.size());
  if (st.max_agents_per_start >= 0) big = std::min(big, double(st.max_agents_per_start));
  if (st.max_agents >= 0) big = std::min(big, double(st.max_agents));
  return std::max(big, 1.0);
}

// Step inequalities of fixed-cost models (minimum shift design). Coverage changes between
// intervals j-1 and j only where a shift starts or ends or a break ends or starts:
// c[j] - c[j-1] <= P[j], the sum of the columns whose coverage rises at j (diff > 0, counted
// with diff). With c[j] >= r[j] - under[j] and c[j-1] <= r[j-1] + over[j-1], a rise of the
// requirement d = r[j] - r[j-1] > 0 gives under[j] + over[j-1] + P[j] >= d; a fall, with the
// columns whose coverage falls, over[j] + under[j-1] + F[j] >= -d. A column of a fixed-cost
// template t enters through its switch: its part of P[j] is at most B[t] y[t] (the shifts'
// bounds of shift_big_m), and at most d is needed, so y[t] gets min(d, B[t]) (the coefficient
// reduction of a variable-upper-bound flow cover, Padberg, Van Roy & Wolsey 1985). The plain
// LP lets a fraction of a switch pay for a whole step; these rows make every step of the
// requirement cost a shift start or end at that time of day, or its deviation, which is what
// makes minimum shift design hard (Musliu, Schaerf & Slany 2004, EJOR 153:51-64, section 2).
// Rows only for steps of the requirement (|d| > 0), so at most one per interval.
void add_step_cuts(const CoverageModel& m, Formulation& f, const std::vector<double>& big,
                   std::vector<std::vector<std::pair<int, double>>>& extra) {
  const int n = f.n;
  SparseLp& lp = f.lp;
  const auto nu = static_cast<std::size_t>(n);
  // Per boundary j (between j-1 and j): the shift and break columns whose coverage changes.
  std::vector<std::vector<std::pair<int, double>>> edges(nu);
  std::vector<std::pair<int, double>> d;
  const int shift_cols = static_cast<int>(f.col_shift.size());
  for (int c = 0; c < shift_cols; ++c) {
    d.clear();
    for (int e = lp.col_start[static_cast<std::size_t>(c)]; e < lp.col_start[static_cast<std::size_t>(c) + 1]; ++e) {
      const int i = lp.row_index[static_cast<std::size_t>(e)];
      if (i >= n) continue;
      const double v = lp.value[static_cast<std::size_t>(e)];
      d.push_back({i, v});
      if (i + 1 < n) d.push_back({i + 1, -v});
      else if (m.cyclic) d.push_back({0, -v});
    }
    std::sort(d.begin(), d.end());
    for (std::size_t q = 0; q < d.size();) {
      double sum = 0.0;
      std::size_t r = q;
      for (; r < d.size() && d[r].first == d[q].first; ++r) sum += d[r].second;
      if (std::abs(sum) > 1e-9 && (m.cyclic || d[q].first > 0))
        edges[static_cast<std::size_t>(d[q].first)].push_back({c, sum});
      q = r;
    }
  }
  std::vector<double> coef_t(m.templates.size(), 0.0);
  for (int j = m.cyclic ? 0 : 1; j < n; ++j) {
    const int prev = j > 0 ? j - 1 : n - 1;
    const double step = f.rhs[static_cast<std::size_t>(j)] - f.rhs[static_cast<std::size_t>(prev)];
    if (std::abs(step) < 1e-9) continue;
    const double sign = step > 0 ? 1.0 : -1.0;
    const int row = lp.add_row(std::abs(step), kInf);
    Formulation::StepRow sr;
    sr.d = std::abs(step);
    const auto& at_j = step > 0 ? f.under_col : f.over_col;
    const auto& at_prev = step > 0 ? f.over_col : f.under_col;
    for (int c : {at_j[static_cast<std::size_t>(j)], at_prev[static_cast<std::size_t>(prev)]})
      if (c >= 0) {
        extra[static_cast<std::size_t>(c)].push_back({row, 1.0});
        sr.other.push_back({c, 1.0});
      }
    std::fill(coef_t.begin(), coef_t.end(), 0.0);
    std::vector<std::vector<std::pair<int, double>>> cols_t(m.templates.size());
    for (auto [c, diff] : edges[static_cast<std::size_t>(j)]) {
      if (sign * diff <= 0) continue;
      const int s = f.col_shift[static_cast<std::size_t>(c)];
      const auto t = static_cast<std::size_t>(f.shifts[static_cast<std::size_t>(s)].tmpl);
      if (f.fixed_col[t] >= 0) {
        coef_t[t] += sign * diff * big[static_cast<std::size_t>(s)];
        cols_t[t].push_back({c, sign * diff});
      } else {
        extra[static_cast<std::size_t>(c)].push_back({row, sign * diff});
        sr.other.push_back({c, sign * diff});
      }
    }
    for (std::size_t t = 0; t < coef_t.size(); ++t)
      if (coef_t[t] > 0) {
        const double a = std::min(std::abs(step), coef_t[t]);
        extra[static_cast<std::size_t>(f.fixed_col[t])].push_back({row, a});
        sr.fixed.push_back({f.fixed_col[t], a, std::move(cols_t[t])});
      }
    f.steps.push_back(std::move(sr));
  }
}

// Appends rows (lo, up, entries) to a CSC matrix: every column is rebuilt with its new entries.
struct NewRow {
  double lo = 0.0, up = kInf;
  std::vector<std::pair<int, double>> entries;  // (column, value)
};
void append_rows(SparseLp& lp, const std::vector<NewRow>& rows) {
  std::vector<std::vector<std::pair<int, double>>> add(static_cast<std::size_t>(lp.num_cols));
  for (const NewRow& r : rows) {
    const int i = lp.add_row(r.lo, r.up);
    for (auto [c, v] : r.entries) add[static_cast<std::size_t>(c)].push_back({i, v});
  }
  std::vector<int> start{0}, index;
  std::vector<double> value;
  index.reserve(lp.row_index.size());
  value.reserve(lp.value.size());
  for (std::size_t c = 0; c < add.size(); ++c) {
    for (int e = lp.col_start[c]; e < lp.col_start[c + 1]; ++e) {
      index.push_back(lp.row_index[static_cast<std::size_t>(e)]);
      value.push_back(lp.value[static_cast<std::size_t>(e)]);
    }
    for (auto [i, v] : add[c]) {
      index.push_back(i);
      value.push_back(v);
    }
    start.push_back(static_cast<int>(index.size()));
  }
  lp.col_start = std::move(start);
  lp.row_index = std::move(index);
  lp.value = std::move(value);
}

}  // namespace

Formulation build_formulation(const CoverageModel& m) {
  Formulation f;
  const int n = m.num_intervals();
  f.n = n;
  const bool hard = m.cover.hard_cover;
  f.rhs.resize(static_cast<std::size_t>(n));
  bool integral_r = true;
  for (int i = 0; i < n; ++i) {
    const double r = m.requirement[static_cast<std::size_t>(i)];
    f.rhs[static_cast<std::size_t>(i)] = hard ? std::ceil(r - 1e-9) : r;
    if (std::abs(r - std::round(r)) > 1e-9) integral_r = false;
    if (hard) f.offset += m.cover.over_cost * (f.rhs[static_cast<std::size_t>(i)] - r);
  }
  SparseLp& lp = f.lp;
  // Coverage rows 0..n-1 (coverage + u - o = rhs, or coverage >= rhs).
  const bool with_over = m.cover.over_cost > 0 || !hard;
  for (int i = 0; i < n; ++i) {
    const double r = f.rhs[static_cast<std::size_t>(i)];
    if (with_over) lp.add_row(r, r); else lp.add_row(r, kInf);
  }
  double max_r = 0.0;
  for (double r : f.rhs) max_r = std::max(max_r, r);
  f.break_base.resize(m.templates.size());
  for (std::size_t t = 0; t < m.templates.size(); ++t) {
    const ShiftTemplate& st = m.templates[t];
    int base = 0;
    for (const auto& b : st.breaks) {
      f.break_base[t].push_back(base);
      base += b.placements();
    }
    const double up = st.max_agents_per_start >= 0 ? st.max_agents_per_start : kInf;
    for (int s : st.starts) {
      Formulation::Shift sh;
      sh.tmpl = static_cast<int>(t);
      sh.start = s;
      sh.crosses = m.cyclic && s + st.length > n;
      // x column
      sh.col = lp.add_col(0.0, up, st.cost);
      for_span(n, m.cyclic, s, st.length, [&](int i) { lp.add_entry(i, 1.0); });
      std::vector<int> brow;
      for (std::size_t k = 0; k < st.breaks.size(); ++k) {
        brow.push_back(lp.add_row(0.0, 0.0));  // sum_p b - x = 0
      }
      for (int r : brow) lp.add_entry(r, -1.0);
      sh.break_col = lp.num_cols;
      for (std::size_t k = 0; k < st.breaks.size(); ++k) {
        const BreakWindow& b = st.breaks[k];
        for (int p = 0; p < b.placements(); ++p) {
          lp.add_col(0.0, kInf, 0.0);
          for_span(n, m.cyclic, s + b.earliest_offset + p, b.length,
                   [&](int i) { lp.add_entry(i, -1.0); });
          lp.add_entry(brow[k], 1.0);
        }
      }
      f.shifts.push_back(sh);
    }
  }
  f.col_shift.assign(static_cast<std::size_t>(lp.num_cols), -1);
  f.col_is_x.assign(static_cast<std::size_t>(lp.num_cols), 0);
  for (std::size_t s = 0; s < f.shifts.size(); ++s) {
    const auto& sh = f.shifts[s];
    const int nb = (s + 1 < f.shifts.size() ? f.shifts[s + 1].col : lp.num_cols);
    for (int c = sh.col; c < nb; ++c) f.col_shift[static_cast<std::size_t>(c)] = static_cast<int>(s);
    f.col_is_x[static_cast<std::size_t>(sh.col)] = 1;
  }
  const int shift_cols = lp.num_cols;
  // Under/over columns.
  f.under_col.assign(static_cast<std::size_t>(n), -1);
  f.over_col.assign(static_cast<std::size_t>(n), -1);
  for (int i = 0; i < n; ++i) {
    if (!hard) {
      f.under_col[static_cast<std::size_t>(i)] = lp.add_col(0.0, kInf, m.cover.under_cost);
      lp.add_entry(i, 1.0);
    }
    if (with_over) {
      f.over_col[static_cast<std::size_t>(i)] = lp.add_col(0.0, kInf, m.cover.over_cost);
      lp.add_entry(i, -1.0);
    }
  }
  // Side rows: template limits, fixed costs, headcount. Rows first, then entries via new columns
  // is awkward in CSC, so these rows get their entries by rebuilding the columns below.
  std::vector<std::vector<std::pair<int, double>>> extra(static_cast<std::size_t>(lp.num_cols));
  f.fixed_col.assign(m.templates.size(), -1);
  std::vector<double> big(f.shifts.size(), 0.0);  // x[s] <= big[s] y[t] (fixed-cost templates)
  for (std::size_t t = 0; t < m.templates.size(); ++t) {
    const ShiftTemplate& st = m.templates[t];
    if (st.max_agents >= 0) {
      const int row = lp.add_row(-kInf, st.max_agents);
      for (const auto& sh : f.shifts)
        if (sh.tmpl == static_cast<int>(t)) extra[static_cast<std::size_t>(sh.col)].push_back({row, 1.0});
      f.side_rows = true;
    }
    if (st.fixed_cost > 0) {
      const int y = lp.add_col(0.0, 1.0, st.fixed_cost);
      f.fixed_col[t] = y;
      extra.emplace_back();
      for (std::size_t s = 0; s < f.shifts.size(); ++s) {
        const auto& sh = f.shifts[s];
        if (sh.tmpl != static_cast<int>(t)) continue;
        big[s] = shift_big_m(m, f, sh, max_r);
        const int row = lp.add_row(-kInf, 0.0);
        extra[static_cast<std::size_t>(sh.col)].push_back({row, 1.0});
        extra[static_cast<std::size_t>(y)].push_back({row, -big[s]});
      }
      f.side_rows = true;
    }
  }
  // Only fixed-cost models: without switches the step rows are sums of cover rows (no gain).
  const bool fixed_cost = std::any_of(f.fixed_col.begin(), f.fixed_col.end(), [](int y) { return y >= 0; });
  if (fixed_cost && with_over) add_step_cuts(m, f, big, extra);
  if (m.min_headcount > 0 || m.max_headcount >= 0) {
    const int row = lp.add_row(m.min_headcount, m.max_headcount >= 0 ? m.max_headcount : kInf);
    for (const auto& sh : f.shifts) extra[static_cast<std::size_t>(sh.col)].push_back({row, 1.0});
    f.side_rows = true;
  }
  if (f.side_rows) {  // splice the extra entries into the columns
    SparseLp out = lp;
    out.row_index.clear();
    out.value.clear();
    out.col_start.assign(1, 0);
    for (int c = 0; c < lp.num_cols; ++c) {
      for (int e = lp.col_start[static_cast<std::size_t>(c)]; e < lp.col_start[static_cast<std::size_t>(c) + 1]; ++e) {
        out.row_index.push_back(lp.row_index[static_cast<std::size_t>(e)]);
        out.value.push_back(lp.value[static_cast<std::size_t>(e)]);
      }
      if (static_cast<std::size_t>(c) < extra.size())
        for (auto [r, v] : extra[static_cast<std::size_t>(c)]) {
          out.row_index.push_back(r);
          out.value.push_back(v);
        }
      out.col_start.push_back(static_cast<int>(out.row_index.size()));
    }
    lp = std::move(out);
  }
  f.col_shift.resize(static_cast<std::size_t>(lp.num_cols), -1);
  f.col_is_x.resize(static_cast<std::size_t>(lp.num_cols), 0);
  f.is_int.assign(static_cast<std::size_t>(lp.num_cols), 0);
  for (int c = 0; c < shift_cols; ++c) f.is_int[static_cast<std::size_t>(c)] = 1;
  for (int y : f.fixed_col)
    if (y >= 0) f.is_int[static_cast<std::size_t>(y)] = 1;
  // Cost unit: every integer schedule costs offset + k * unit when all cost terms share it.
  std::vector<double> units;
  for (const auto& t : m.templates) {
    units.push_back(t.cost);
    units.push_back(t.fixed_cost);
  }
  bool ok = true;
  if (!hard) {
    units.push_back(m.cover.under_cost);
    if (!integral_r && (m.cover.under_cost > 0 || m.cover.over_cost > 0)) ok = false;
  }
  units.push_back(m.cover.over_cost);
  if (hard && !integral_r) {
    // over-cover measured from the fractional requirement: the offset already holds the
    // fractional part, the rest is integral.
  }
  f.granularity = ok ? common_unit(units) : 0.0;
  return f;
}

// Flow-cover form of a step row. The step row gives each fixed-cost template t with an edge at
// the step its switch, a_t y[t] with a_t = min(d, B_t): an LP point can then pay for the step
// with the switch of a template that has no agents there (RandomExample28: 19 switches summing
// to the LP bound, several at 0.65-0.96 with no agent at all). Where the template's own columns
// X_t (its coverage change at the step) are smaller than a_t y[t], X_t may replace the switch
// term: for any set S of templates,
//   other + sum_{t in S} a_t y[t] + sum_{t not in S} X_t >= d
// is valid. Proof: X_t <= B_t y[t] and X_t = 0 when y[t] = 0 (x[s] <= B y[t]); if some t in S
// has y[t] = 1 and B_t >= d, its term alone is d; otherwise every term a_t y[t] of S is B_t y[t]
// >= X_t, so the left side is at least other + sum_t X_t, which the cover rows make >= d (the
// step row's argument). These are the flow cover inequalities of single-node fixed-charge flow
// (Padberg, Van Roy & Wolsey 1985, Oper. Res. 33:842-861, section 3; the form with the
// flows outside the cover kept, Van Roy & Wolsey 1986, Discrete Appl. Math. 14:199-213). The
// most violated S at a point takes, per template, the smaller of its two terms.
int separate_step_covers(Formulation& f, const double* v, int max_rows) {
  std::vector<NewRow> rows;
  for (const Formulation::StepRow& sr : f.steps) {
    if (static_cast<int>(rows.size()) >= max_rows) break;
    double lhs = 0.0;
    for (auto [c, a] : sr.other) lhs += a * v[c];
    NewRow r;
    r.lo = sr.d;
    r.entries = sr.other;
    bool mixed = false;
    for (const auto& st : sr.fixed) {
      double x = 0.0;
      for (auto [c, a] : st.cols) x += a * v[c];
      const double yt = st.bound * v[st.y];
      if (x < yt - 1e-9) {
        lhs += x;
        r.entries.insert(r.entries.end(), st.cols.begin(), st.cols.end());
        mixed = true;
      } else {
        lhs += yt;
        r.entries.push_back({st.y, st.bound});
      }
    }
    if (mixed && lhs < sr.d - 1e-6 * std::max(1.0, sr.d)) rows.push_back(std::move(r));
  }
  append_rows(f.lp, rows);
  return static_cast<int>(rows.size());
}

double round_bound_up(const Formulation& f, double v) {
  if (f.granularity <= 0) return v;
  const double k = std::ceil((v - f.offset) / f.granularity - 1e-6);
  return std::max(v, f.offset + k * f.granularity) ;
}

Schedule schedule_from_columns(const CoverageModel& m, const Formulation& f,
                               const std::vector<double>& col) {
  Schedule s;
  for (const auto& sh : f.shifts) {
    const int x = static_cast<int>(std::lround(col[static_cast<std::size_t>(sh.col)]));
    if (x <= 0) continue;
    ShiftAssignment a;
    a.template_index = sh.tmpl;
    a.start = sh.start;
    a.agents = x;
    const ShiftTemplate& t = m.templates[static_cast<std::size_t>(sh.tmpl)];
    for (std::size_t k = 0; k < t.breaks.size(); ++k) {
      std::vector<int> ba(static_cast<std::size_t>(t.breaks[k].placements()));
      for (std::size_t p = 0; p < ba.size(); ++p)
        ba[p] = static_cast<int>(std::lround(
            col[static_cast<std::size_t>(sh.break_col + f.break_base[static_cast<std::size_t>(sh.tmpl)][k]) + p]));
      a.break_agents.push_back(std::move(ba));
    }
    s.shifts.push_back(std::move(a));
  }
  evaluate(m, s);
  return s;
}

}  // namespace wfm::schedule::detail
