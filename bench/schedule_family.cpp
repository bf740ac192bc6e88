// The seeded instance family of issue 15 (see schedule_family.hpp).
#include "schedule_family.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <pcg_random.hpp>
#include <random>

namespace wfm::schedule::family {
namespace {

constexpr int kPerDay = 96;        // quarter-hours
constexpr int kDays = 7;
constexpr int kWeek = kPerDay * kDays;
constexpr double kMinutes = 15.0;  // interval length [min]

// Weekday factors Monday..Sunday: smooth shapes dip mildly at the weekend, fragmented ones deeply.
constexpr std::array<double, 7> kDaySmooth{1.0, 0.97, 0.95, 0.93, 0.9, 0.72, 0.6};
constexpr std::array<double, 7> kDayNoisy{1.0, 0.95, 0.92, 0.9, 0.85, 0.6, 0.45};
constexpr std::array<double, 7> kDayFragmented{1.0, 0.9, 0.95, 0.85, 0.8, 0.45, 0.25};

double bump(double h, double centre, double width) {
  const double z = (h - centre) / width;
  return std::exp(-0.5 * z * z);
}

// One day's intraday profile in [0, 1] at hour h, for a shape; `peaks` are (centre, width,
// height) of the fragmented shape.
struct Peak { double centre, width, height; };
double profile(const InstanceParams& p, double h, const std::vector<Peak>& peaks) {
  if (p.shape == "smooth") return 0.12 + 0.88 * bump(h, 13.0, 3.5);
  if (p.shape == "noisy")
    return std::min(1.0, 0.08 + 0.9 * std::max(bump(h, 10.5, 1.6), 0.85 * bump(h, 15.5, 1.8)));
  double v = 0.02;  // fragmented: low nights, several narrow peaks
  for (const Peak& k : peaks) v = std::max(v, k.height * bump(h, k.centre, k.width));
  return v;
}

bool open_at(const InstanceParams& p, int slot) {
  const int q = slot % kPerDay;
  return p.cyclic || (q >= p.open_slot && q < p.close_slot);
}

// Requirement of a cover instance: peak x day factor x profile x noise, rounded.
std::vector<double> cover_demand(const InstanceParams& p, pcg32& rng) {
  std::normal_distribution<double> gauss(0.0, 1.0);
  std::uniform_real_distribution<double> unif(0.0, 1.0);
  const auto& dayf = p.shape == "smooth" ? kDaySmooth : p.shape == "noisy" ? kDayNoisy : kDayFragmented;
  const double sd = p.shape == "smooth" ? 0.0 : p.shape == "noisy" ? 0.12 : 0.25;
  std::vector<double> req(kWeek, 0.0);
  for (int d = 0; d < kDays; ++d) {
    std::vector<Peak> peaks;
    const int np = 3 + static_cast<int>(rng(2));
    for (int k = 0; k < np; ++k)
      peaks.push_back({7.0 + 15.0 * unif(rng), 0.5 + unif(rng), 0.4 + 0.6 * unif(rng)});
    for (int q = 0; q < kPerDay; ++q) {
      const int slot = d * kPerDay + q;
      if (!open_at(p, slot)) continue;
      const double h = (q + 0.5) / 4.0;
      double v = p.peak * dayf[static_cast<std::size_t>(d)] * profile(p, h, peaks);
      if (sd > 0) v *= std::exp(sd * gauss(rng));
      if (p.shape == "fragmented" && unif(rng) < 0.05) v = 0.0;  // holes between peaks
      req[static_cast<std::size_t>(slot)] = std::max(0.0, std::round(v));
    }
  }
  return req;
}

// Allowed starts of a shift of `len` slots on the grid: every grid point (24/7), or the grid
// points of each day from which the shift ends by closing time (opening hours).
std::vector<int> grid_starts(const InstanceParams& p, int len) {
  const int step = p.grid_minutes / 15;
  std::vector<int> out;
  for (int s = 0; s < kWeek; s += step) {
    const int q = s % kPerDay;
    if (p.cyclic || (q >= p.open_slot && q + len <= p.close_slot)) out.push_back(s);
  }
  return out;
}

ShiftTemplate make_template(const InstanceParams& p, const char* name, int len, double paid,
                            double cost, std::vector<BreakWindow> breaks) {
  ShiftTemplate t;
  t.name = name;
  t.length = len;
  t.paid_length = paid;
  t.cost = cost;
  t.starts = grid_starts(p, len);
  t.breaks = std::move(breaks);
  return t;
}

// Full time 8.5 h on site with `breaks` breaks (30-min unpaid lunch, then paid 15-min breaks
// before and after it), part time 6 h and 4 h (10 % premium) with one break at 2 and 3 breaks.
std::vector<ShiftTemplate> cover_templates(const InstanceParams& p) {
  const BreakWindow early{1, 6, 10}, lunch{2, 14, 20}, late{1, 24, 29};
  std::vector<BreakWindow> f8 = {lunch};
  if (p.breaks >= 2) f8 = {early, lunch};
  if (p.breaks >= 3) f8 = {early, lunch, late};
  std::vector<BreakWindow> f6, p4;
  if (p.breaks >= 2) f6 = {{1, 9, 14}};
  if (p.breaks >= 3) p4 = {{1, 6, 9}};
  return {make_template(p, "F8", 34, 32, 32.0, f8), make_template(p, "F6", 24, 24, 24.0, f6),
          make_template(p, "P4", 16, 16, 17.6, p4)};
}

// Shift design: one template per (start time of day on the grid, length from 7 to 9 h on the
// grid) of the types early / day / late (/ night when 24/7), starting on every day, as in the
// public MSD instances (Musliu et al. 2004: start windows of 2 h, lengths in a 2-h range).
struct ShiftType { int first, last; };  // start window [quarter-hour of the day]
std::vector<ShiftType> design_types(const InstanceParams& p) {
  if (p.cyclic) return {{20, 32}, {36, 44}, {52, 60}, {84, 92}};
  return {{p.open_slot, p.open_slot + 8}, {p.open_slot + 12, p.open_slot + 20},
          {p.close_slot - 36 - 8, p.close_slot - 36}};
}

std::vector<ShiftTemplate> design_templates(const InstanceParams& p) {
  std::vector<ShiftTemplate> out;
  const int step = p.grid_minutes / 15;
  for (const ShiftType& ty : design_types(p))
    for (int q = ty.first; q <= ty.last; q += step)
      for (int len = 28; len <= 36; len += step) {
        if (!p.cyclic && q + len > p.close_slot) continue;
        ShiftTemplate t;
        t.name = fmt::format("{:02d}:{:02d}+{}:{:02d}", q / 4, 15 * (q % 4), len / 4, 15 * (len % 4));
        t.length = len;
        t.cost = 0.0;
        t.fixed_cost = p.fixed_cost;  // weightShiftInstances x interval of the public MSD sets
        for (int d = 0; d < kDays; ++d) t.starts.push_back(d * kPerDay + q);
        out.push_back(std::move(t));
      }
  return out;
}

struct Design { CoverageModel model; double planted = 0.0; };

// Demand = coverage of k planted shifts with random daily counts (any day may be empty, weekend
// days more often), plus noise for the noisy/fragmented shapes; the planted schedule's cost
// bounds the optimum. With many planted shifts of nearby starts and lengths and a fixed cost
// of one to four agent-intervals of deviation, the optimum merges some of them (as in the
// public MSD sets): the planted design is a bound, not the answer.
Design make_design(const InstanceParams& p) {
  pcg32 rng(p.seed, 0xde5);
  Design out;
  CoverageModel& m = out.model;
  m.interval_length = 60.0 * kMinutes;
  m.cyclic = p.cyclic;
  m.templates = design_templates(p);
  m.cover = {.hard_cover = false, .under_cost = kMinutes, .over_cost = kMinutes};
  std::vector<double> cov(kWeek, 0.0);
  const int k = (p.size == 's' ? 6 : 10) + static_cast<int>(rng(p.size == 's' ? 5 : 7));
  std::vector<std::size_t> chosen;
  while (chosen.size() < static_cast<std::size_t>(k) && chosen.size() < m.templates.size()) {
    const std::size_t t = rng(static_cast<std::uint32_t>(m.templates.size()));
    if (std::find(chosen.begin(), chosen.end(), t) == chosen.end()) chosen.push_back(t);
  }
  const int per = std::max(1, static_cast<int>(p.peak / std::max(1, k / 2)));
  for (std::size_t t : chosen)
    for (int d = 0; d < kDays; ++d) {
      const bool weekend = d >= 5;
      if (rng(weekend ? 2 : 5) == 0) continue;
      const int agents = 1 + static_cast<int>(rng(static_cast<std::uint32_t>(per)));
      const ShiftTemplate& st = m.templates[t];
      for (int o = 0; o < st.length; ++o) {
        const int i = (st.starts[static_cast<std::size_t>(d)] + o) % kWeek;
        cov[static_cast<std::size_t>(i)] += agents;
      }
    }
  m.requirement = cov;
  const double share = p.shape == "smooth" ? 0.0 : p.shape == "noisy" ? 0.08 : 0.2;
  for (int i = 0; i < kWeek; ++i) {
    if (share <= 0 || rng(1000) >= static_cast<std::uint32_t>(1000 * share)) continue;
    const double delta = rng(2) ? 1.0 : -1.0;
    if (open_at(p, i)) m.requirement[static_cast<std::size_t>(i)] = std::max(0.0, cov[static_cast<std::size_t>(i)] + delta);
  }
  double planted = m.templates[0].fixed_cost * static_cast<double>(chosen.size());
  for (int i = 0; i < kWeek; ++i) {
    const double d = m.requirement[static_cast<std::size_t>(i)] - cov[static_cast<std::size_t>(i)];
    planted += d > 0 ? m.cover.under_cost * d : -m.cover.over_cost * d;
  }
  out.planted = planted;
  return out;
}

}  // namespace

std::vector<InstanceParams> standard_family(std::uint64_t base_seed) {
  std::vector<InstanceParams> out;
  const std::array<const char*, 3> shapes{"smooth", "noisy", "fragmented"};
  const std::array<int, 3> grids{15, 30, 60};
  auto add = [&](bool cyclic, bool hard, bool design, char size, int b, int c) {
    InstanceParams p;
    const int i = static_cast<int>(out.size());
    const int a = cyclic ? 0 : 1;
    p.cyclic = cyclic;
    p.hard_cover = hard && !design;
    p.design = design;
    p.kind = design ? "design" : fmt::format("{}-{}", cyclic ? "247" : "day", hard ? "hard" : "soft");
    p.size = size;
    p.shape = shapes[static_cast<std::size_t>(c)];
    p.grid_minutes = grids[static_cast<std::size_t>((b + c) % 3)];
    p.breaks = design ? 0 : 1 + (a + b + 2 * c) % 3;
    if (design) p.peak = size == 's' ? 8.0 : 25.0;
    if (design) p.fixed_cost = kMinutes * std::array<double, 3>{1.0, 2.0, 4.0}[static_cast<std::size_t>(i % 3)];
    else p.peak = size == 's' ? 20.0 : size == 'm' ? 80.0 : 300.0;
    p.open_slot = cyclic ? 0 : 4 * (6 + (i % 3));           // 06:00-08:00
    p.close_slot = cyclic ? kPerDay : 4 * (20 + (i % 4));   // 20:00-23:00
    p.seed = base_seed * 1000 + static_cast<std::uint64_t>(i);
    p.name = fmt::format("f{:02d}-{}-{}-{}", i, design ? (cyclic ? "design-247" : "design-day") : p.kind,
                         size, p.shape);
    out.push_back(p);
  };
  const std::array<char, 3> sizes{'s', 'm', 'l'};
  for (bool cyclic : {true, false})
    for (bool hard : {true, false})
      for (int b = 0; b < 3; ++b)
        for (int c = 0; c < 3; ++c) add(cyclic, hard, false, sizes[static_cast<std::size_t>(b)], b, c);
  for (bool cyclic : {true, false})
    for (int b = 0; b < 2; ++b)
      for (int c = 0; c < 3; ++c) add(cyclic, false, true, sizes[static_cast<std::size_t>(b)], b, c);
  return out;
}

CoverageModel generate(const InstanceParams& p) {
  if (p.design) return make_design(p).model;
  pcg32 rng(p.seed, 0xcc);
  CoverageModel m;
  m.interval_length = 60.0 * kMinutes;
  m.cyclic = p.cyclic;
  m.requirement = cover_demand(p, rng);
  m.templates = cover_templates(p);
  m.cover.hard_cover = p.hard_cover;
  if (!p.hard_cover) {
    m.cover.under_cost = 3.0;  // an uncovered agent-quarter-hour costs 3 paid quarter-hours
    m.cover.over_cost = 0.1;
  }
  return m;
}

double planted_cost(const InstanceParams& p) {
  return p.design ? make_design(p).planted : std::numeric_limits<double>::quiet_NaN();
}

std::string manifest_csv(const std::vector<InstanceParams>& family) {
  std::string out =
      "name,kind,cyclic,size,peak,shape,grid_minutes,breaks,hard_cover,design,open_slot,"
      "close_slot,seed,fixed_cost,intervals,templates,starts,total_requirement,planted_cost\n";
  for (const auto& p : family) {
    const CoverageModel m = generate(p);
    std::size_t starts = 0;
    for (const auto& t : m.templates) starts += t.starts.size();
    double total = 0.0;
    for (double r : m.requirement) total += r;
    out += fmt::format("{},{},{},{},{:g},{},{},{},{},{},{},{},{},{:g},{},{},{},{:g},{:g}\n", p.name,
                       p.kind, p.cyclic ? 1 : 0, p.size, p.peak, p.shape, p.grid_minutes,
                       p.breaks, p.hard_cover ? 1 : 0, p.design ? 1 : 0, p.open_slot,
                       p.close_slot, p.seed, p.design ? p.fixed_cost : 0.0, m.num_intervals(),
                       m.templates.size(), starts, total,
                       planted_cost(p));
  }
  return out;
}

}  // namespace wfm::schedule::family
