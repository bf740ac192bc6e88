#pragma once
/// \file
/// A seeded family of weekly shift-scheduling instances (issue 15): the instances the search
/// was never tuned on. Used by the family benchmark (bench/schedule_family_main.cpp) and by its
/// tests (tests/schedule/family_test.cpp). Not part of the installed library.
///
/// Every instance is a week of 672 quarter-hours. Five kinds:
///   247-hard, day-hard   hard cover, shifts with breaks (Dantzig 1954 / Aykin 1996 model)
///   247-soft, day-soft   soft cover (under-cover cost, small over-cover cost), shifts with breaks
///   design               minimum shift design (Musliu, Schaerf & Slany 2004): soft cover, no
///                        shift cost, a fixed cost per distinct shift (one template per
///                        (time of day, length) on the start grid, starting on every day); the
///                        demand is the coverage of 6-16 planted shifts (plus noise), whose
///                        cost is a known upper bound on the optimum (`planted_cost`)
/// The instances are generated on demand from their parameters; nothing big is stored.

#include <cstdint>
#include <string>
#include <vector>
#include <wfm/schedule/model.hpp>

namespace wfm::schedule::family {

/// The parameters of one instance (one row of the manifest).
struct InstanceParams {
  std::string name;          ///< unique, e.g. "f07-247-hard-m-noisy"
  std::string kind;          ///< 247-hard, day-hard, 247-soft, day-soft, design
  bool cyclic = true;        ///< 24/7 (wraps) or opening hours
  char size = 's';           ///< s, m, l
  double peak = 20.0;        ///< [agents] requirement at the busiest interval (before noise)
  std::string shape;         ///< smooth, noisy, fragmented
  int grid_minutes = 15;     ///< start-time grid [min]: 15, 30 or 60
  int breaks = 1;            ///< breaks of the full-time shift (1-3); 0 for design
  bool hard_cover = true;
  bool design = false;       ///< fixed cost per distinct shift
  int open_slot = 0;         ///< opening hours [quarter-hour of the day], day kinds only
  int close_slot = 96;       ///< exclusive
  /// Design only: cost of each distinct shift used, in the cover-cost unit (an agent-interval of
  /// under- or over-cover costs 15): 15, 30 or 60, rotating (one to four agent-intervals, the
  /// range of the public MSD sets' weightShiftInstances x interval).
  double fixed_cost = 60.0;
  std::uint64_t seed = 0;    ///< of the demand noise, peaks and planted shifts
};

/// The standard family: 36 cover instances (24/7 and opening hours x hard and soft cover x
/// sizes s/m/l x shapes smooth/noisy/fragmented) and 12 shift-design instances (24/7 and
/// opening hours x sizes s/m x three shapes). Start grids and break counts rotate over the
/// instances; seeds follow from `base_seed` and the index.
[[nodiscard]] std::vector<InstanceParams> standard_family(std::uint64_t base_seed = 15);

/// The instance of `p` (deterministic for equal parameters).
[[nodiscard]] CoverageModel generate(const InstanceParams& p);

/// Cost of the planted shifts of a design instance under its model (an upper bound on the
/// optimum); NaN for other kinds.
[[nodiscard]] double planted_cost(const InstanceParams& p);

/// The manifest: a CSV header and one line per instance, with every parameter and the
/// generated model's size (intervals, templates, starts, total requirement).
[[nodiscard]] std::string manifest_csv(const std::vector<InstanceParams>& family);

}  // namespace wfm::schedule::family
