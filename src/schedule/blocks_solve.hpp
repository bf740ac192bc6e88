#pragma once
// Private to src/schedule: solve() of a separable model, block by block (blocks.hpp).
#include <optional>
#include <wfm/schedule/result.hpp>
#include <wfm/schedule/solver.hpp>

namespace wfm::schedule::detail {

/// When `model` is separable with at least two independent blocks (and
/// SearchPolicy::decompose), solves each block with solve() in its share of the time limit and
/// merges the schedules, bounds and statuses; otherwise (or when a block is infeasible, so that
/// the whole solve can say why) nullopt.
[[nodiscard]] std::optional<Schedule> solve_by_blocks(const CoverageModel& model,
                                                      const SolveOptions& options);

}  // namespace wfm::schedule::detail
