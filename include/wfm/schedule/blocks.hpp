#pragma once
/// \file
/// Independent blocks of a shift-scheduling model (issue 15). Two intervals are linked when
/// some allowed shift covers both; a block is a maximal run of linked intervals. When no side
/// constraint couples the templates (no fixed cost, no template or headcount limit), the cost
/// is a sum over blocks plus a constant, so the optimum is the sum of the blocks' optima and
/// the LP bound the sum of their LP bounds: solve() then solves the blocks one after another
/// (SearchPolicy::decompose). Typical case: a centre with opening hours, whose days share no
/// shift. A 24/7 week whose shifts overlap around the clock is one block.

#include <vector>
#include <wfm/schedule/model.hpp>

namespace wfm::schedule {

/// The intervals first, first + 1, ..., first + length - 1 (modulo the horizon when the model
/// is cyclic).
struct IntervalBlock {
  int first = 0;   ///< [interval]
  int length = 0;  ///< [intervals], >= 1
};

/// The blocks of `model` in the order of their first interval (a block crossing the end of a
/// cyclic horizon comes last). Intervals that no allowed shift covers belong to no block.
/// Empty when the whole horizon is one cyclic run of linked intervals.
/// \throws InvalidArgument on a bad model (validate()).
[[nodiscard]] std::vector<IntervalBlock> independent_blocks(const CoverageModel& model);

/// True when no side constraint couples the templates (no fixed cost, no max_agents, no
/// headcount limit), so that blocks can be solved independently.
[[nodiscard]] bool separable(const CoverageModel& model) noexcept;

}  // namespace wfm::schedule
