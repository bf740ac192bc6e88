#pragma once
// The stall rule of solve()'s large-neighbourhood search (SearchPolicy::stall_sweeps), apart
// from the search so that a test can check it on numbers.
#include <algorithm>
#include <cmath>
#include <wfm/schedule/search_policy.hpp>

namespace wfm::schedule::detail {

/// Rounds without a gain after which the LNS counts as stalled, after `rounds` rounds of which
/// `gains` improved the incumbent: at least SearchPolicy::stall_sweeps sweeps of the horizon,
/// and the run k that the gain rate so far makes improbable, (1 - p)^k < stall_probability
/// with p = (gains + 1) / (rounds + 1) (Laplace's rule of succession). Without a gain the
/// patience exceeds the rounds run (k > 3 x rounds): an LNS that never gained keeps its time,
/// and a stall needs gains that have since stopped.
inline double lns_patience(const SearchPolicy& pol, const SearchPlan& plan, int rounds,
                           int gains) {
  const double p = std::min(1.0, (gains + 1.0) / (rounds + 1.0));
  const double improbable = p < 1.0 ? std::log(pol.stall_probability) / std::log1p(-p) : 0.0;
  return std::max(pol.stall_sweeps * plan.sweep_rounds, improbable);
}

/// Whether a stalled LNS hands time to one CBC run on the whole model, with the incumbent as
/// MIP start: always on a model CBC takes whole (SearchPlan::cbc_whole_model: the LNS ends and
/// CBC gets the rest); with SearchPolicy::stall_cbc_hard_cover on another hard-cover model when
/// the `seconds_left` [s] cover its integer columns at CBC's rate (SearchPolicy::
/// cbc_columns_per_second: columns <= rate x seconds_left, the size rule of cbc_whole_model
/// applied to the time left; CBC then gets SearchPolicy::stall_cbc_share of it and the LNS
/// resumes). Under hard cover the neighbourhoods' schedules need repair (added shifts) where
/// CBC's stay feasible; a stall late in the run leaves too little time for CBC's tree, and the
/// LNS, whose gains come in bursts, keeps it (bench/RESULTS.md, issue 15, session 14).
inline bool cbc_takes_rest(const SearchPolicy& pol, const SearchPlan& plan, bool hard_cover,
                           double seconds_left) {
  if (plan.cbc_whole_model) return true;
  return pol.stall_cbc_hard_cover && hard_cover &&
         static_cast<double>(plan.integer_columns) <= pol.cbc_columns_per_second * seconds_left;
}

}  // namespace wfm::schedule::detail
