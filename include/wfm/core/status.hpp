#pragma once
/// \file
/// One way to report an outcome, one progress callback and one threads option for every module.
///
/// Outcomes are results, never exceptions: every result struct carries `Status status` and
/// `std::string message` (empty when the status says it all). The `status` column of every CSV
/// and DataFrame holds `to_string(status)`.

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string_view>

namespace wfm {

/// The outcome of a computation.
enum class Status : std::uint8_t {
  ok,             ///< done; the result meets its goal (staffing, forecast, simulation)
  optimal,        ///< proven optimal within the requested gap (schedules, plans)
  feasible,       ///< a valid result without proof of optimality
  infeasible,     ///< no result can meet the goal or the constraints; `message` says why
  time_limit,     ///< the time limit ended the run before any valid result
  stopped,        ///< the progress callback asked to stop before any valid result
  not_converged,  ///< an iterative fit ended without converging; the result is the best found
  error,          ///< a back-end failed unexpectedly; `message` says how
};

[[nodiscard]] constexpr std::string_view to_string(Status s) noexcept {
  switch (s) {
    case Status::ok: return "ok";
    case Status::optimal: return "optimal";
    case Status::feasible: return "feasible";
    case Status::infeasible: return "infeasible";
    case Status::time_limit: return "time_limit";
    case Status::stopped: return "stopped";
    case Status::not_converged: return "not_converged";
    case Status::error: return "error";
  }
  return "error";
}

/// The status named `name`, or nothing.
[[nodiscard]] constexpr std::optional<Status> status_from_string(std::string_view name) noexcept {
  for (Status s : {Status::ok, Status::optimal, Status::feasible, Status::infeasible,
                   Status::time_limit, Status::stopped, Status::not_converged, Status::error})
    if (to_string(s) == name) return s;
  return std::nullopt;
}

/// Whether a result with this status holds a usable answer.
[[nodiscard]] constexpr bool has_result(Status s) noexcept {
  return s == Status::ok || s == Status::optimal || s == Status::feasible ||
         s == Status::not_converged;
}

/// A progress report, the same for every long computation.
struct Progress {
  std::string_view step;  ///< "forecast", "staff", "schedule", "simulate", or a phase ("lp", "lns")
  double done = 0.0;      ///< work done, in units of `total`
  double total = 0.0;     ///< total work (0 when unknown)
  double elapsed_s = 0.0;  ///< [s] since the computation started
  /// Best objective so far and proven bound (searches only; inf / -inf when none).
  double objective = std::numeric_limits<double>::infinity();
  double bound = -std::numeric_limits<double>::infinity();
};

/// The one progress-callback signature. Return false to stop the computation early: it then
/// returns its best result so far with status `feasible`, or `stopped` when it has none.
using ProgressCallback = std::function<bool(const Progress&)>;

/// Exit codes of every wfm command-line program (documented in each `--help`).
namespace exit_code {
inline constexpr int ok = 0;          ///< done; outputs written
inline constexpr int failure = 1;     ///< an internal error or an output that could not be written
inline constexpr int bad_input = 2;   ///< bad flags or input file; nothing written
inline constexpr int infeasible = 3;  ///< no feasible result (outputs that explain why are written)
inline constexpr int time_limit = 4;  ///< the time limit ended the run before any result
}  // namespace exit_code

/// The exit code for a run whose worst outcome is `s`.
[[nodiscard]] constexpr int exit_code_for(Status s) noexcept {
  switch (s) {
    case Status::ok:
    case Status::optimal:
    case Status::feasible:
    case Status::not_converged: return exit_code::ok;
    case Status::infeasible: return exit_code::infeasible;
    case Status::time_limit:
    case Status::stopped: return exit_code::time_limit;
    case Status::error: return exit_code::failure;
  }
  return exit_code::failure;
}

}  // namespace wfm
