#pragma once
/// \file
/// Fractional staffing for models evaluated at whole agent counts (chat concurrency, M/M/n+G):
/// metrics at n + f (0 < f < 1) interpolate linearly between n and n + 1, so that staffing
/// searches over real-valued agents see a continuous, monotone function.

#include <cmath>

#include <wfm/core/status.hpp>

namespace wfm::queueing::detail {

/// x + f (y - x); an infinite end (zero agents, an unstable queue) is taken as it is.
[[nodiscard]] inline double mix_agents(double f, double x, double y) noexcept {
  return std::isinf(x) || std::isinf(y) ? (f < 1.0 ? x : y) : x + f * (y - x);
}

/// The metrics shared by the whole-agent models at n + f from those at n (`a`) and n + 1 (`b`),
/// with b's status when it is not ok. Model-specific fields are mixed by the caller.
template <class Metrics>
[[nodiscard]] Metrics mix_agent_metrics(double f, Metrics a, const Metrics& b) {
  a.wait_probability = mix_agents(f, a.wait_probability, b.wait_probability);
  a.service_level = mix_agents(f, a.service_level, b.service_level);
  a.asa_s = mix_agents(f, a.asa_s, b.asa_s);
  a.abandon_rate = mix_agents(f, a.abandon_rate, b.abandon_rate);
  a.queue_length = mix_agents(f, a.queue_length, b.queue_length);
  a.occupancy = mix_agents(f, a.occupancy, b.occupancy);
  if (b.status != wfm::Status::ok) {
    a.status = b.status;
    a.message = b.message;
  }
  return a;
}

}  // namespace wfm::queueing::detail
