// Named-agent rostering: daily min-cost assignment with look-ahead, repair by ejection chains,
// local search on soft costs. Method and references: include/wfm/schedule/roster.hpp.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <map>
#include <numeric>
#include <random>
#include <wfm/core/calendar.hpp>
#include <wfm/core/error.hpp>
#include <wfm/schedule/roster.hpp>

namespace wfm::schedule {
namespace {

constexpr double kDay = 86400.0;
constexpr std::string_view kWhere = "wfm::schedule::make_roster";

/// One agent-shift of the schedule.
struct Shift {
  RosterAssignment a;  // day, template, start, breaks, times, paid
  int week = 0;
  double phone_s = 0.0;  // on-site time net of breaks [s]
  bool night = false;
  int weekend = -1;  // weekend key of its day, -1 on a weekday
};

/// The hard rules an agent-shift pairing can break, in the order they are tested.
enum class Rule { none, tmpl, unavailable, same_day, days_per_week, week_hours, consecutive, rest };

constexpr std::string_view rule_name(Rule r) {
  switch (r) {
    case Rule::none: return "none";
    case Rule::tmpl: return "template not allowed";
    case Rule::unavailable: return "unavailable";
    case Rule::same_day: return "already work that day";
    case Rule::days_per_week: return "at max days per week";
    case Rule::week_hours: return "at max weekly hours";
    case Rule::consecutive: return "at max consecutive days";
    case Rule::rest: return "too little rest";
  }
  return "?";
}

struct AgentState {
  std::vector<int> day_shift;  // per day: shift index or -1
  std::vector<int> week_days;
  std::vector<double> week_paid;
  std::vector<int> weekend_shifts;  // per weekend key
  int nights = 0;
};

class Timer {
 public:
  explicit Timer(bool cpu) : cpu_(cpu) {}
  [[nodiscard]] double wall() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - w0_).count();
  }
  [[nodiscard]] double cpu() const { return static_cast<double>(std::clock() - c0_) / CLOCKS_PER_SEC; }
  [[nodiscard]] double elapsed() const { return cpu_ ? cpu() : wall(); }

 private:
  bool cpu_;
  std::chrono::steady_clock::time_point w0_ = std::chrono::steady_clock::now();
  std::clock_t c0_ = std::clock();
};

/// The problem, expanded: every agent-shift, and per-agent lookups.
struct Instance {
  const CoverageModel& m;
  const std::vector<Agent>& agents;
  const RosterOptions& o;
  const RosterPolicy& p;
  int days = 0, weeks = 0, weekends = 0;
  std::vector<Shift> shifts;
  std::vector<std::vector<int>> by_day;
  std::vector<std::vector<char>> allowed;   // agent x template
  std::vector<std::vector<char>> wish_off;  // agent x day
  std::vector<std::vector<double>> week_min;  // agent x week (prorated)
  int reach_days = 1;  // days around a shift that rest and overlap can reach

  Instance(const CoverageModel& model, const std::vector<Agent>& ag, const RosterOptions& opt)
      : m(model), agents(ag), o(opt), p(opt.policy) {}

  [[nodiscard]] int weekday(int d) const { return (o.first_weekday + d) % 7; }
  [[nodiscard]] int weekend_key(int d) const {
    const int wd = weekday(d);
    return wd >= 5 ? (o.first_weekday + d) / 7 : -1;
  }
  [[nodiscard]] int days_in_week(int w) const { return std::min(7, days - 7 * w); }
};

// ---------------------------------------------------------------- validation

void validate_agent(const Agent& a, std::size_t i, int days, std::size_t templates) {
  const std::string f = fmt::format("agents[{}]", i);
  if (a.id.empty() || a.id.find_first_of(",\"\n\r") != std::string::npos)
    detail::throw_invalid(kWhere, f + ".id must be non-empty, without commas, quotes or newlines", a.id);
  const Contract& c = a.contract;
  detail::require_nonnegative(kWhere, f + ".contract.min_week_s", c.min_week_s);
  if (!(c.max_week_s >= c.min_week_s))
    detail::throw_invalid(kWhere, f + ".contract.max_week_s must be >= min_week_s", c.max_week_s);
  if (c.max_days_per_week < 0 || c.max_days_per_week > 7)
    detail::throw_invalid(kWhere, f + ".contract.max_days_per_week must be in [0, 7]",
                          c.max_days_per_week);
  if (c.max_consecutive_days < 1)
    detail::throw_invalid(kWhere, f + ".contract.max_consecutive_days must be >= 1",
                          c.max_consecutive_days);
  if (!(c.min_rest_s >= 0.0 && c.min_rest_s <= 7 * kDay))
    detail::throw_invalid(kWhere, f + ".contract.min_rest_s must be in [0, 604800]", c.min_rest_s);
  for (std::size_t k = 0; k < c.templates.size(); ++k)
    if (c.templates[k] < 0 || static_cast<std::size_t>(c.templates[k]) >= templates)
      detail::throw_invalid(kWhere, fmt::format("{}.contract.templates[{}] is not a template index", f, k),
                            c.templates[k]);
  if (!a.availability.empty() && a.availability.size() != static_cast<std::size_t>(days))
    detail::throw_invalid(kWhere, fmt::format("{}.availability must be empty or one window per day ({})", f, days),
                          static_cast<double>(a.availability.size()));
  for (std::size_t d = 0; d < a.availability.size(); ++d) {
    const DayWindow& w = a.availability[d];
    for (double x : {w.earliest_start_s, w.latest_end_s})
      if (!(x >= 0.0 && x <= 2 * kDay))
        detail::throw_invalid(kWhere, fmt::format("{}.availability[{}] must lie in [0, 172800] s", f, d), x);
  }
  const Preferences& pr = a.preferences;
  for (double x : {pr.start_from_s, pr.start_to_s})
    if (!(x >= 0.0 && x <= kDay))
      detail::throw_invalid(kWhere, f + ".preferences start window must lie in [0, 86400] s", x);
  for (int d : pr.days_off)
    if (d < 0 || d >= days)
      detail::throw_invalid(kWhere, fmt::format("{}.preferences.days_off must be days in [0, {})", f, days), d);
}

void validate_options(const RosterOptions& o) {
  if (!(o.time_limit > 0.0)) detail::throw_invalid(kWhere, "options.time_limit must be > 0 [s]", o.time_limit);
  if (o.first_weekday < 0 || o.first_weekday > 6)
    detail::throw_invalid(kWhere, "options.first_weekday must be in [0, 6]", o.first_weekday);
  const RosterPolicy& p = o.policy;
  for (auto [name, x] : {std::pair{"unassigned_cost", p.unassigned_cost}, {"start_preference", p.start_preference},
                         {"day_off_wish", p.day_off_wish}, {"night", p.night}, {"weekend", p.weekend},
                         {"slack", p.slack}, {"shortfall", p.shortfall},
                         {"shortfall_per_hour", p.shortfall_per_hour}, {"moves_per_shift", p.moves_per_shift}})
    detail::require_nonnegative(kWhere, fmt::format("options.policy.{}", name), x);
  if (p.unassigned_cost > 1e9) detail::throw_invalid(kWhere, "options.policy.unassigned_cost must be <= 1e9", p.unassigned_cost);
  if (p.moves_per_shift > 1e6) detail::throw_invalid(kWhere, "options.policy.moves_per_shift must be <= 1e6", p.moves_per_shift);
  for (double x : {p.night_start_s, p.night_end_s})
    if (!(x >= 0.0 && x <= kDay)) detail::throw_invalid(kWhere, "options.policy night window must lie in [0, 86400] s", x);
}

// ---------------------------------------------------------------- expansion

bool is_night(const RosterPolicy& p, double start_s, double end_s, int day) {
  // On-site time overlapping [night_start, night_end + 1 day) of its day, or the early part
  // [0, night_end) of the day itself.
  const double d0 = day * kDay;
  const bool late = start_s < d0 + kDay + p.night_end_s && end_s > d0 + p.night_start_s;
  const bool early = start_s < d0 + p.night_end_s;
  return late || early;
}

void expand(Instance& in, const Schedule& s) {
  const CoverageModel& m = in.m;
  const double dt = m.interval_length;
  double longest = 0.0;
  for (const auto& sa : s.shifts) {
    const ShiftTemplate& t = m.templates[static_cast<std::size_t>(sa.template_index)];
    // Agent j of the assignment takes, for break k, the j-th placement of break_agents[k].
    std::vector<std::vector<int>> offsets(t.breaks.size());
    for (std::size_t k = 0; k < t.breaks.size(); ++k)
      for (std::size_t q = 0; q < sa.break_agents[k].size(); ++q)
        for (int c = 0; c < sa.break_agents[k][q]; ++c)
          offsets[k].push_back(t.breaks[k].earliest_offset + static_cast<int>(q));
    for (int j = 0; j < sa.agents; ++j) {
      Shift sh;
      RosterAssignment& a = sh.a;
      a.template_index = sa.template_index;
      a.start = sa.start;
      a.start_s = sa.start * dt;
      a.end_s = (sa.start + t.length) * dt;
      a.day = static_cast<int>(std::floor(a.start_s / kDay));
      a.paid_s = (t.paid_length < 0.0 ? t.length : t.paid_length) * dt;
      double off_s = 0.0;
      for (std::size_t k = 0; k < t.breaks.size(); ++k) {
        const int off = offsets[k][static_cast<std::size_t>(j)];
        a.break_offsets.push_back(off);
        a.breaks.push_back({(sa.start + off) * dt, t.breaks[k].length * dt});
        off_s += t.breaks[k].length * dt;
      }
      sh.phone_s = a.end_s - a.start_s - off_s;
      sh.week = a.day / 7;
      sh.night = is_night(in.p, a.start_s, a.end_s, a.day);
      sh.weekend = in.weekend_key(a.day);
      longest = std::max(longest, a.end_s - a.start_s);
      in.by_day[static_cast<std::size_t>(a.day)].push_back(static_cast<int>(in.shifts.size()));
      in.shifts.push_back(std::move(sh));
    }
  }
  double rest = 0.0;
  for (const Agent& ag : in.agents) rest = std::max(rest, ag.contract.min_rest_s);
  in.reach_days = static_cast<int>(std::ceil((longest + rest) / kDay)) + 1;
}

void prepare(Instance& in) {
  const std::size_t n = in.agents.size();
  in.allowed.assign(n, std::vector<char>(in.m.templates.size(), 0));
  in.wish_off.assign(n, std::vector<char>(static_cast<std::size_t>(in.days), 0));
  in.week_min.assign(n, std::vector<double>(static_cast<std::size_t>(in.weeks), 0.0));
  for (std::size_t a = 0; a < n; ++a) {
    const Agent& ag = in.agents[a];
    if (ag.contract.templates.empty()) std::fill(in.allowed[a].begin(), in.allowed[a].end(), 1);
    for (int t : ag.contract.templates) in.allowed[a][static_cast<std::size_t>(t)] = 1;
    for (int d : ag.preferences.days_off) in.wish_off[a][static_cast<std::size_t>(d)] = 1;
    for (int w = 0; w < in.weeks; ++w)
      in.week_min[a][static_cast<std::size_t>(w)] = ag.contract.min_week_s * in.days_in_week(w) / 7.0;
  }
  int keys = 0;
  for (int d = 0; d < in.days; ++d) keys = std::max(keys, in.weekend_key(d) + 1);
  in.weekends = keys;
}

// ---------------------------------------------------------------- state and rules

class State {
 public:
  const Instance& in;
  std::vector<AgentState> ag;
  std::vector<int> owner;  // per shift: agent or -1

  explicit State(const Instance& inst) : in(inst), owner(inst.shifts.size(), -1) {
    AgentState s;
    s.day_shift.assign(static_cast<std::size_t>(in.days), -1);
    s.week_days.assign(static_cast<std::size_t>(in.weeks), 0);
    s.week_paid.assign(static_cast<std::size_t>(in.weeks), 0.0);
    s.weekend_shifts.assign(static_cast<std::size_t>(in.weekends), 0);
    ag.assign(in.agents.size(), s);
  }

  [[nodiscard]] const Shift& shift(int s) const { return in.shifts[static_cast<std::size_t>(s)]; }

  void add(int a, int s) {
    const Shift& sh = shift(s);
    AgentState& st = ag[static_cast<std::size_t>(a)];
    st.day_shift[static_cast<std::size_t>(sh.a.day)] = s;
    ++st.week_days[static_cast<std::size_t>(sh.week)];
    st.week_paid[static_cast<std::size_t>(sh.week)] += sh.a.paid_s;
    if (sh.weekend >= 0) ++st.weekend_shifts[static_cast<std::size_t>(sh.weekend)];
    st.nights += sh.night ? 1 : 0;
    owner[static_cast<std::size_t>(s)] = a;
  }
  void remove(int a, int s) {
    const Shift& sh = shift(s);
    AgentState& st = ag[static_cast<std::size_t>(a)];
    st.day_shift[static_cast<std::size_t>(sh.a.day)] = -1;
    --st.week_days[static_cast<std::size_t>(sh.week)];
    st.week_paid[static_cast<std::size_t>(sh.week)] -= sh.a.paid_s;
    if (sh.weekend >= 0) --st.weekend_shifts[static_cast<std::size_t>(sh.weekend)];
    st.nights -= sh.night ? 1 : 0;
    owner[static_cast<std::size_t>(s)] = -1;
  }

  /// The first hard rule agent a would break by also working shift s (Rule::none if none).
  [[nodiscard]] Rule violates(int a, int s) const {
    const Shift& sh = shift(s);
    const Agent& agent = in.agents[static_cast<std::size_t>(a)];
    const AgentState& st = ag[static_cast<std::size_t>(a)];
    const Contract& c = agent.contract;
    const auto d = static_cast<std::size_t>(sh.a.day);
    if (!in.allowed[static_cast<std::size_t>(a)][static_cast<std::size_t>(sh.a.template_index)]) return Rule::tmpl;
    if (!agent.availability.empty()) {
      const DayWindow& w = agent.availability[d];
      const double from = sh.a.start_s - sh.a.day * kDay, to = sh.a.end_s - sh.a.day * kDay;
      if (w.is_off() || from < w.earliest_start_s || to > w.latest_end_s) return Rule::unavailable;
    }
    if (st.day_shift[d] >= 0) return Rule::same_day;
    const auto w = static_cast<std::size_t>(sh.week);
    if (st.week_days[w] + 1 > c.max_days_per_week) return Rule::days_per_week;
    if (st.week_paid[w] + sh.a.paid_s > c.max_week_s * (1 + 1e-12)) return Rule::week_hours;
    int run = 1;
    for (int e = sh.a.day - 1; e >= 0 && st.day_shift[static_cast<std::size_t>(e)] >= 0; --e) ++run;
    for (int e = sh.a.day + 1; e < in.days && st.day_shift[static_cast<std::size_t>(e)] >= 0; ++e) ++run;
    if (run > c.max_consecutive_days) return Rule::consecutive;
    for (int e = std::max(0, sh.a.day - in.reach_days); e <= std::min(in.days - 1, sh.a.day + in.reach_days); ++e) {
      const int o = st.day_shift[static_cast<std::size_t>(e)];
      if (o < 0) continue;
      const RosterAssignment& x = shift(o).a;
      const bool apart = x.end_s + c.min_rest_s <= sh.a.start_s || sh.a.end_s + c.min_rest_s <= x.start_s;
      if (!apart) return Rule::rest;
    }
    return Rule::none;
  }

  /// Missing paid time below the weekly minimum [s], summed over the weeks.
  [[nodiscard]] double shortfall_s(int a) const {
    double s = 0.0;
    const AgentState& st = ag[static_cast<std::size_t>(a)];
    for (int w = 0; w < in.weeks; ++w)
      s += std::max(0.0, in.week_min[static_cast<std::size_t>(a)][static_cast<std::size_t>(w)] -
                             st.week_paid[static_cast<std::size_t>(w)] - 1e-9);
    return s;
  }

  /// Preference points of agent a working shift s (0 when granted).
  [[nodiscard]] double preference_cost(int a, int s) const {
    const Shift& sh = shift(s);
    const Preferences& pr = in.agents[static_cast<std::size_t>(a)].preferences;
    double c = 0.0;
    const double tod = sh.a.start_s - sh.a.day * kDay;
    if (pr.states_start() && (tod < pr.start_from_s || tod > pr.start_to_s)) c += in.p.start_preference;
    if (in.wish_off[static_cast<std::size_t>(a)][static_cast<std::size_t>(sh.a.day)]) c += in.p.day_off_wish;
    return c;
  }

  /// The soft cost of agent a's line: preferences, fairness (sums of squares), shortfall.
  [[nodiscard]] double soft_cost(int a) const {
    const AgentState& st = ag[static_cast<std::size_t>(a)];
    double c = 0.0;
    for (int s : st.day_shift)
      if (s >= 0) c += preference_cost(a, s);
    int worked = 0;
    for (int k : st.weekend_shifts) worked += k > 0 ? 1 : 0;
    c += in.p.night * st.nights * st.nights + in.p.weekend * worked * worked;
    return c + in.p.shortfall_per_hour * shortfall_s(a) / 3600.0;
  }
};

// ---------------------------------------------------------------- daily assignment

/// Minimum-cost assignment of n rows to m >= n columns (cost[i][j]); returns the column of each
/// row. Shortest augmenting paths with potentials (Kuhn 1955; Jonker & Volgenant 1987): each
/// row is added by a Dijkstra-like search on reduced costs, O(n^2 m) overall.
std::vector<int> assign_min_cost(const std::vector<std::vector<double>>& cost, std::size_t m) {
  const std::size_t n = cost.size();
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> u(n + 1, 0.0), v(m + 1, 0.0);
  std::vector<std::size_t> row_of(m + 1, 0), way(m + 1, 0);  // column -> row (1-based), 0 free
  for (std::size_t i = 1; i <= n; ++i) {
    row_of[0] = i;
    std::size_t j0 = 0;
    std::vector<double> minv(m + 1, inf);
    std::vector<char> used(m + 1, 0);
    do {
      used[j0] = 1;
      const std::size_t i0 = row_of[j0];
      double delta = inf;
      std::size_t j1 = 0;
      for (std::size_t j = 1; j <= m; ++j) {
        if (used[j]) continue;
        const double cur = cost[i0 - 1][j - 1] - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (std::size_t j = 0; j <= m; ++j) {
        if (used[j]) {
          u[row_of[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (row_of[j0] != 0);
    do {
      const std::size_t j1 = way[j0];
      row_of[j0] = row_of[j1];
      j0 = j1;
    } while (j0 != 0);
  }
  std::vector<int> col(n, -1);
  for (std::size_t j = 1; j <= m; ++j)
    if (row_of[j] != 0) col[row_of[j] - 1] = static_cast<int>(j - 1);
  return col;
}

/// The cost of agent a taking shift s today, with the look-ahead terms (see RosterPolicy).
double marginal_cost(const State& st, int a, int s) {
  const Instance& in = st.in;
  const RosterPolicy& p = in.p;
  const Shift& sh = st.shift(s);
  const AgentState& as = st.ag[static_cast<std::size_t>(a)];
  const Agent& agent = in.agents[static_cast<std::size_t>(a)];
  double c = st.preference_cost(a, s);
  if (sh.night) c += p.night * (2.0 * as.nights + 1.0);
  if (sh.weekend >= 0 && as.weekend_shifts[static_cast<std::size_t>(sh.weekend)] == 0) {
    int worked = 0;
    for (int k : as.weekend_shifts) worked += k > 0 ? 1 : 0;
    c += p.weekend * (2.0 * worked + 1.0);
  }
  // Days left in the week (today included) on which the agent is available.
  const int week_end = std::min(in.days, 7 * (sh.week + 1));
  int left = 0;
  for (int d = sh.a.day; d < week_end; ++d)
    left += agent.availability.empty() || !agent.availability[static_cast<std::size_t>(d)].is_off() ? 1 : 0;
  const auto w = static_cast<std::size_t>(sh.week);
  const int quota = agent.contract.max_days_per_week - as.week_days[w];
  if (left > 0) c -= p.slack * std::min(1.0, static_cast<double>(quota) / left);
  const double missing = in.week_min[static_cast<std::size_t>(a)][w] - as.week_paid[w];
  if (missing > 0.0) {
    const double possible = std::max(1.0, std::min(quota, left) * sh.a.paid_s);
    c -= p.shortfall * std::min(1.0, missing / possible);
  }
  return c;
}

/// Assigns day d's shifts by one min-cost assignment. Rules and costs depend on a shift's
/// template and start only (not its breaks), so they are computed once per (template, start).
/// A pairing that breaks a rule costs as much as leaving the shift unassigned, which is set so
/// high that the assignment first maximises the shifts given legally (any shift left costs more
/// than all soft costs of the day together), then minimises the soft cost; dummy columns make up
/// for agents when there are more shifts than agents.
void assign_day(State& st, int d) {
  const Instance& in = st.in;
  const std::vector<int>& rows = in.by_day[static_cast<std::size_t>(d)];
  if (rows.empty()) return;
  std::vector<int> group(rows.size()), first;  // row -> group; group -> a row of it
  std::map<std::pair<int, int>, int> key;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const RosterAssignment& a = st.shift(rows[i]).a;
    auto [it, fresh] = key.try_emplace({a.template_index, a.start}, static_cast<int>(first.size()));
    if (fresh) first.push_back(rows[i]);
    group[i] = it->second;
  }
  constexpr double kIllegal = std::numeric_limits<double>::infinity();
  std::vector<int> cols;  // agents who may take at least one of today's shifts
  std::vector<std::vector<double>> by_group;  // per column: cost per group (inf: illegal)
  double spread = 0.0;
  for (int a = 0; a < static_cast<int>(in.agents.size()); ++a) {
    std::vector<double> c(first.size(), kIllegal);
    bool any = false;
    for (std::size_t g = 0; g < first.size(); ++g)
      if (st.violates(a, first[g]) == Rule::none) {
        c[g] = marginal_cost(st, a, first[g]);
        spread = std::max(spread, std::abs(c[g]));
        any = true;
      }
    if (!any) continue;
    cols.push_back(a);
    by_group.push_back(std::move(c));
  }
  const double left = std::max(in.p.unassigned_cost, 4.0 * (spread + 1.0) * static_cast<double>(rows.size()));
  const std::size_t m = std::max(cols.size(), rows.size());
  std::vector<std::vector<double>> cost(rows.size(), std::vector<double>(m, left));
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t j = 0; j < cols.size(); ++j) {
      const double c = by_group[j][static_cast<std::size_t>(group[i])];
      if (c != kIllegal) cost[i][j] = c;
    }
  const std::vector<int> col = assign_min_cost(cost, m);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto j = static_cast<std::size_t>(col[i]);
    if (j < cols.size() && by_group[j][static_cast<std::size_t>(group[i])] != kIllegal) st.add(cols[j], rows[i]);
  }
}

// ---------------------------------------------------------------- repair

/// Shift s to some agent other than `except` who may take it as things stand; -1 if none.
int find_taker(const State& st, int s, int except) {
  for (int b = 0; b < static_cast<int>(st.in.agents.size()); ++b)
    if (b != except && st.violates(b, s) == Rule::none) return b;
  return -1;
}

/// Ejection chain of length two (Glover 1996): agent a drops a shift t near u's day to take u,
/// and another agent takes t. Returns true when u got an agent.
bool eject_for(State& st, int u, const Timer& timer) {
  const Instance& in = st.in;
  const int day = st.shift(u).a.day;
  const int lo = std::max(0, std::min(7 * st.shift(u).week, day - in.reach_days));
  const int hi = std::min(in.days - 1, std::max(7 * st.shift(u).week + 6, day + in.reach_days));
  for (int a = 0; a < static_cast<int>(in.agents.size()); ++a) {
    if (timer.elapsed() > in.o.time_limit) return false;
    const Rule r = st.violates(a, u);
    if (r == Rule::tmpl || r == Rule::unavailable) continue;
    for (int d = lo; d <= hi; ++d) {
      const int t = st.ag[static_cast<std::size_t>(a)].day_shift[static_cast<std::size_t>(d)];
      if (t < 0) continue;
      const double short_before = st.shortfall_s(a);
      st.remove(a, t);
      if (st.violates(a, u) == Rule::none) {
        st.add(a, u);
        // A shorter shift must not take the agent below the weekly minimum.
        const int b = st.shortfall_s(a) <= short_before + 1e-9 ? find_taker(st, t, a) : -1;
        if (b >= 0) {
          st.add(b, t);
          return true;
        }
        st.remove(a, u);
      }
      st.add(a, t);
    }
  }
  return false;
}

void repair_unassigned(State& st, const Timer& timer) {
  for (int u = 0; u < static_cast<int>(st.owner.size()); ++u) {
    if (st.owner[static_cast<std::size_t>(u)] >= 0) continue;
    const int b = find_taker(st, u, -1);
    if (b >= 0) st.add(b, u);
    else eject_for(st, u, timer);
  }
}

/// Moves shifts to agents below their weekly minimum: unassigned ones first, then shifts of
/// agents who stay at or above their own minimum without them.
void repair_shortfalls(State& st, const Timer& timer) {
  const Instance& in = st.in;
  for (int a = 0; a < static_cast<int>(in.agents.size()); ++a) {
    for (int w = 0; w < in.weeks; ++w) {
      const auto wi = static_cast<std::size_t>(w);
      const double need = in.week_min[static_cast<std::size_t>(a)][wi];
      for (int s = 0; s < static_cast<int>(in.shifts.size()) && st.ag[static_cast<std::size_t>(a)].week_paid[wi] < need - 1e-9; ++s) {
        if (timer.elapsed() > in.o.time_limit) return;
        if (st.shift(s).week != w) continue;
        const int b = st.owner[static_cast<std::size_t>(s)];
        if (b == a) continue;
        if (b >= 0 && st.ag[static_cast<std::size_t>(b)].week_paid[wi] - st.shift(s).a.paid_s <
                          in.week_min[static_cast<std::size_t>(b)][wi] - 1e-9)
          continue;
        if (b >= 0) st.remove(b, s);
        if (st.violates(a, s) == Rule::none) st.add(a, s);
        else if (b >= 0) st.add(b, s);
      }
    }
  }
}

// ---------------------------------------------------------------- local search

/// Exchanges the shifts of agents a and b on the given days (either may have none on a day)
/// when both stay legal, no shortfall grows and the soft cost does not rise. Two days at once
/// let a day worked move between agents whose days per week are full (the "double swap").
bool try_swap(State& st, int a, int b, const std::vector<int>& days) {
  std::vector<std::pair<int, int>> x;  // (a's shift, b's shift) per day
  bool any = false;
  for (int d : days) {
    const auto di = static_cast<std::size_t>(d);
    x.emplace_back(st.ag[static_cast<std::size_t>(a)].day_shift[di], st.ag[static_cast<std::size_t>(b)].day_shift[di]);
    any = any || x.back().first >= 0 || x.back().second >= 0;
  }
  if (!any) return false;
  const double before = st.soft_cost(a) + st.soft_cost(b);
  const double short_before = st.shortfall_s(a) + st.shortfall_s(b);
  for (const auto& [sa, sb] : x) {
    if (sa >= 0) st.remove(a, sa);
    if (sb >= 0) st.remove(b, sb);
  }
  bool ok = true;
  for (const auto& [sa, sb] : x) {  // add one by one, testing each against what is in place
    if (sb >= 0 && ok) {
      ok = st.violates(a, sb) == Rule::none;
      if (ok) st.add(a, sb);
    }
    if (sa >= 0 && ok) {
      ok = st.violates(b, sa) == Rule::none;
      if (ok) st.add(b, sa);
    }
  }
  if (ok && st.shortfall_s(a) + st.shortfall_s(b) <= short_before + 1e-9 &&
      st.soft_cost(a) + st.soft_cost(b) <= before - 1e-12)
    return true;
  // Undo: take back whatever was added, restore the original owners.
  for (const auto& [sa, sb] : x) {
    if (sb >= 0 && st.owner[static_cast<std::size_t>(sb)] == a) st.remove(a, sb);
    if (sa >= 0 && st.owner[static_cast<std::size_t>(sa)] == b) st.remove(b, sa);
  }
  for (const auto& [sa, sb] : x) {
    if (sa >= 0) st.add(a, sa);
    if (sb >= 0) st.add(b, sb);
  }
  return false;
}

int weekends_worked(const State& st, int a) {
  int n = 0;
  for (int k : st.ag[static_cast<std::size_t>(a)].weekend_shifts) n += k > 0 ? 1 : 0;
  return n;
}

long local_search(State& st, const Timer& timer) {
  const Instance& in = st.in;
  const int n = static_cast<int>(in.agents.size());
  if (n < 2 || in.shifts.empty()) return 0;
  std::mt19937_64 rng(in.o.seed);
  std::uniform_int_distribution<int> pick_agent(0, n - 1), pick_day(0, in.days - 1);
  const auto budget = static_cast<long>(in.p.moves_per_shift * static_cast<double>(in.shifts.size()));
  long accepted = 0;
  for (long it = 0; it < budget; ++it) {
    if ((it & 255) == 0 && timer.elapsed() > in.o.time_limit) break;
    // Half the moves start from a shift whose owner pays a preference cost for it; a quarter
    // from a weekend day worked by the busiest of three agents (weekends in rotation).
    int a = pick_agent(rng), d = pick_day(rng);
    if (it % 2 == 0) {
      const int s = static_cast<int>(rng() % in.shifts.size());
      const int o = st.owner[static_cast<std::size_t>(s)];
      if (o >= 0 && st.preference_cost(o, s) > 0.0) {
        a = o;
        d = st.shift(s).a.day;
      }
    } else if (it % 4 == 1 && in.weekends > 0) {
      for (int k = 0; k < 2; ++k) {
        const int c = pick_agent(rng);
        if (weekends_worked(st, c) > weekends_worked(st, a)) a = c;
      }
      const auto& line = st.ag[static_cast<std::size_t>(a)].day_shift;
      for (int k = 0; k < 7; ++k) {
        const int e = pick_day(rng);
        if (line[static_cast<std::size_t>(e)] >= 0 && in.weekend_key(e) >= 0) {
          d = e;
          break;
        }
      }
    }
    const int b = pick_agent(rng);
    if (b == a) continue;
    std::vector<int> days{d};
    if (it % 3 == 0 || it % 4 == 1) {  // a second day of the same week
      const int w0 = 7 * (d / 7), e = w0 + static_cast<int>(rng() % 7);
      if (e != d && e < in.days) days.push_back(e);
    }
    accepted += try_swap(st, a, b, days) ? 1 : 0;
  }
  return accepted;
}

// ---------------------------------------------------------------- reporting

std::vector<std::string> capacity_conflicts(const Instance& in) {
  std::vector<std::string> out;
  const std::size_t n = in.agents.size();
  auto available = [&](std::size_t a, int d) {
    return in.agents[a].availability.empty() || !in.agents[a].availability[static_cast<std::size_t>(d)].is_off();
  };
  for (int d = 0; d < in.days; ++d) {
    const std::size_t need = in.by_day[static_cast<std::size_t>(d)].size();
    std::size_t can = 0;
    for (std::size_t a = 0; a < n; ++a)
      if (available(a, d) && in.agents[a].contract.max_days_per_week > 0) ++can;
    if (need > can)
      out.push_back(fmt::format("day {}: {} shifts but only {} agents available that day", d, need, can));
  }
  for (int w = 0; w < in.weeks; ++w) {
    std::size_t need = 0;
    double paid = 0.0, mins = 0.0;
    for (int d = 7 * w; d < std::min(in.days, 7 * w + 7); ++d)
      for (int s : in.by_day[static_cast<std::size_t>(d)]) {
        ++need;
        paid += in.shifts[static_cast<std::size_t>(s)].a.paid_s;
      }
    long can = 0;
    for (std::size_t a = 0; a < n; ++a) {
      int avail = 0;
      for (int d = 7 * w; d < std::min(in.days, 7 * w + 7); ++d) avail += available(a, d) ? 1 : 0;
      can += std::min(avail, in.agents[a].contract.max_days_per_week);
      mins += in.week_min[a][static_cast<std::size_t>(w)];
    }
    if (static_cast<long>(need) > can)
      out.push_back(fmt::format("week {}: {} shifts but the agents may work only {} days in it", w, need, can));
    if (mins > paid + 1e-6)
      out.push_back(fmt::format("week {}: the agents' weekly minimums total {:.1f} h but the schedule "
                                "has only {:.1f} paid hours", w, mins / 3600.0, paid / 3600.0));
  }
  return out;
}

std::string unassigned_reason(const State& st, int s) {
  std::map<Rule, int> by_rule;
  for (int a = 0; a < static_cast<int>(st.in.agents.size()); ++a) ++by_rule[st.violates(a, s)];
  std::string r = st.in.agents.empty() ? "no agents" : "no agent may take it:";
  bool first = true;
  for (const auto& [rule, count] : by_rule) {
    r += fmt::format("{} {} {}", first ? "" : ",", count, rule_name(rule));
    first = false;
  }
  return r;
}

void fill_agent(const State& st, int a, AgentRoster& out) {
  const Instance& in = st.in;
  const AgentState& as = st.ag[static_cast<std::size_t>(a)];
  out.agent = in.agents[static_cast<std::size_t>(a)].id;
  out.week_paid_s = as.week_paid;
  out.nights = as.nights;
  int worked = 0;
  for (int k : as.weekend_shifts) worked += k > 0 ? 1 : 0;
  out.weekends_off = in.weekends - worked;
  const Preferences& pr = in.agents[static_cast<std::size_t>(a)].preferences;
  for (int s : as.day_shift) {
    if (s < 0) continue;
    out.assignments.push_back(st.shift(s).a);
    if (pr.states_start()) {
      ++out.preferences_stated;
      const RosterAssignment& x = st.shift(s).a;
      const double tod = x.start_s - x.day * kDay;
      out.preferences_granted += tod >= pr.start_from_s && tod <= pr.start_to_s ? 1 : 0;
    }
  }
  for (int d : pr.days_off) {
    ++out.preferences_stated;
    out.preferences_granted += as.day_shift[static_cast<std::size_t>(d)] < 0 ? 1 : 0;
  }
}

void report(const State& st, RosterResult& r) {
  const Instance& in = st.in;
  r.agents.resize(in.agents.size());
  r.min_weekends_off = r.min_nights = std::numeric_limits<int>::max();
  for (int a = 0; a < static_cast<int>(in.agents.size()); ++a) {
    AgentRoster& ar = r.agents[static_cast<std::size_t>(a)];
    fill_agent(st, a, ar);
    r.preferences_granted += ar.preferences_granted;
    r.preferences_stated += ar.preferences_stated;
    r.soft_cost += st.soft_cost(a);
    r.min_weekends_off = std::min(r.min_weekends_off, ar.weekends_off);
    r.max_weekends_off = std::max(r.max_weekends_off, ar.weekends_off);
    r.min_nights = std::min(r.min_nights, ar.nights);
    r.max_nights = std::max(r.max_nights, ar.nights);
    for (int w = 0; w < in.weeks; ++w) {
      const double min_s = in.week_min[static_cast<std::size_t>(a)][static_cast<std::size_t>(w)];
      if (ar.week_paid_s[static_cast<std::size_t>(w)] < min_s - 1e-6)
        r.shortfalls.push_back({a, w, ar.week_paid_s[static_cast<std::size_t>(w)], min_s});
    }
  }
  if (in.agents.empty()) r.min_weekends_off = r.min_nights = 0;
  for (int s = 0; s < static_cast<int>(in.shifts.size()); ++s) {
    if (st.owner[static_cast<std::size_t>(s)] >= 0) continue;
    const Shift& sh = st.shift(s);
    r.unassigned.push_back({sh.a, sh.phone_s, unassigned_reason(st, s)});
    r.coverage_lost_s += sh.phone_s;
  }
  if (r.unassigned.empty() && r.shortfalls.empty()) {
    r.status = Status::ok;
    return;
  }
  r.status = Status::infeasible;
  r.message = fmt::format("{} of {} agent-shifts unassigned (coverage lost {:.0f} s of agent time), "
                          "{} agent-weeks below the weekly minimum",
                          r.unassigned.size(), r.shifts, r.coverage_lost_s, r.shortfalls.size());
  if (!r.unassigned.empty())
    r.message += fmt::format("; first unassigned: day {} start {} s: {}", r.unassigned[0].shift.day,
                             r.unassigned[0].shift.start_s, r.unassigned[0].reason);
  if (!r.shortfalls.empty()) {
    const Shortfall& f = r.shortfalls[0];
    r.message += fmt::format("; first shortfall: agent '{}' week {}: {:.1f} h of {:.1f} h",
                             in.agents[static_cast<std::size_t>(f.agent)].id, f.week, f.paid_s / 3600.0,
                             f.min_s / 3600.0);
  }
  if (!r.conflicts.empty()) r.message += "; " + r.conflicts[0];
}

/// Memory and time bounds (RosterLimits in roster.hpp). \throws InvalidArgument beyond them.
void check_size(const Instance& in) {
  if (static_cast<double>(in.shifts.size()) > RosterLimits::max_shifts)
    detail::throw_invalid(kWhere, "the schedule has too many agent-shifts for one roster (max 1e6); "
                                  "roster per skill or site", static_cast<double>(in.shifts.size()));
  for (int d = 0; d < in.days; ++d) {
    const double n = static_cast<double>(in.by_day[static_cast<std::size_t>(d)].size());
    const double cells = n * (n + static_cast<double>(in.agents.size()));
    if (cells > RosterLimits::max_day_cells)
      detail::throw_invalid(kWhere, fmt::format("day {}: agent-shifts x (agents + agent-shifts) exceeds "
                                                "2e7; roster per skill or site", d), cells);
  }
}

}  // namespace

RosterResult make_roster(const CoverageModel& m, const Schedule& s, const std::vector<Agent>& agents,
                         const RosterOptions& o) {
  validate(m);
  validate_schedule(m, s, kWhere);
  validate_options(o);
  const double days_f = std::ceil(m.num_intervals() * m.interval_length / kDay - 1e-9);
  if (!(days_f >= 1.0) || days_f * std::max<double>(1.0, static_cast<double>(agents.size())) > RosterLimits::max_agent_days)
    detail::throw_invalid(kWhere, "agents x days of the horizon must be in [1, 1e7]; roster fewer weeks, or per skill or site",
                          days_f * static_cast<double>(agents.size()));
  const int days = static_cast<int>(days_f);
  if (static_cast<double>(agents.size()) > RosterLimits::max_agents)
    detail::throw_invalid(kWhere, "too many agents for one roster (max 1e5)", static_cast<double>(agents.size()));
  for (std::size_t i = 0; i < agents.size(); ++i) validate_agent(agents[i], i, days, m.templates.size());
  Timer timer(o.cpu_time);
  Instance in(m, agents, o);
  in.days = days;
  in.weeks = (days + 6) / 7;
  in.by_day.resize(static_cast<std::size_t>(days));
  prepare(in);
  double total = 0.0;
  for (const ShiftAssignment& a : s.shifts) total += a.agents;
  if (total > RosterLimits::max_shifts)
    detail::throw_invalid(kWhere, "the schedule has too many agent-shifts for one roster (max 1e6); "
                                  "roster per skill or site", total);
  expand(in, s);
  RosterResult r;
  r.days = in.days;
  r.weeks = in.weeks;
  r.shifts = static_cast<int>(in.shifts.size());
  r.conflicts = capacity_conflicts(in);
  check_size(in);
  State st(in);
  int built = 0;
  for (; built < days && timer.elapsed() <= o.time_limit; ++built) assign_day(st, built);
  if (built == days) {
    repair_unassigned(st, timer);
    repair_shortfalls(st, timer);
    repair_unassigned(st, timer);
    r.moves = local_search(st, timer);
  }
  report(st, r);
  if (built < days) {
    r.status = Status::time_limit;
    r.message = fmt::format("the time limit ended the daily assignment after {} of {} days; the "
                            "shifts of the remaining days are reported unassigned. {}", built, days, r.message);
  }
  r.seconds = timer.wall();
  r.cpu_seconds = timer.cpu();
  return r;
}

Roster to_roster(const CoverageModel& m, const RosterResult& r) {
  Roster out;
  out.horizon_length = m.num_intervals() * m.interval_length;
  out.cyclic = m.cyclic;
  for (const AgentRoster& a : r.agents)
    for (const RosterAssignment& x : a.assignments) out.shifts.push_back({x.start_s, x.end_s, x.breaks, 1});
  return out;
}

std::string roster_to_csv(const CoverageModel& m, const RosterResult& r, const IntervalGrid& grid) {
  if (grid.size() != m.requirement.size())
    detail::throw_invalid("wfm::schedule::roster_to_csv",
                          fmt::format("the grid has {} intervals, the model {}", grid.size(), m.requirement.size()));
  // Timestamp text of an instant that may lie at the grid's end or beyond.
  auto stamp = [&grid](std::int64_t utc) {
    if (auto i = grid.index_of(utc)) return grid.timestamp(*i);
    if (!grid.zone_aware()) return format_timestamp(utc);
    const std::int64_t off = grid.zone().offset_at(utc);
    return format_timestamp(utc + off, off);
  };
  const std::int64_t len = grid.interval_length_s();
  std::string out = "agent,template,start,end,breaks\n";
  for (const AgentRoster& a : r.agents)
    for (const RosterAssignment& x : a.assignments) {
      const ShiftTemplate& t = m.templates.at(static_cast<std::size_t>(x.template_index));
      std::string breaks;
      for (std::size_t k = 0; k < x.break_offsets.size(); ++k)
        breaks += fmt::format("{}{}:1", k ? "|" : "", x.break_offsets[k]);
      const std::int64_t start = grid.utc(0) + static_cast<std::int64_t>(x.start) * len;
      out += fmt::format("{},{},{},{},{}\n", a.agent, t.name, stamp(start), stamp(start + static_cast<std::int64_t>(t.length) * len), breaks);
    }
  return out;
}

}  // namespace wfm::schedule
