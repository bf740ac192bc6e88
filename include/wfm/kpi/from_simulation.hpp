#pragma once
/// \file
/// A simulated contact log (wfm::simulation::RunOptions::keep_contact_log) as a wfm::kpi log, so
/// the simulator's output can be measured exactly like a real ACD's (the round-trip check).

#include <cmath>
#include <cstdint>
#include <vector>

#include <wfm/kpi/contacts.hpp>
#include <wfm/simulation/simulator.hpp>

namespace wfm::kpi {

/// Converts simulated contacts; `start` is the wall-clock timestamp of the horizon's start.
/// Arrivals are floored to whole seconds (timestamps are whole seconds); waits and handle times
/// are kept exactly, the handle time as talk_s. An unserved contact is logged as abandoned at
/// the end of the run, as an ACD closing the day would.
[[nodiscard]] inline std::vector<Contact> from_simulation(
    const std::vector<simulation::LoggedContact>& log, std::int64_t start) {
  std::vector<Contact> out;
  out.reserve(log.size());
  for (const simulation::LoggedContact& s : log) {
    Contact c;
    c.arrival = start + static_cast<std::int64_t>(std::floor(s.arrival));
    c.outcome = s.answered ? Outcome::answered : Outcome::abandoned;
    c.wait_s = s.wait;
    c.talk_s = s.answered ? s.handle : 0.0;
    out.push_back(c);
  }
  return out;
}

}  // namespace wfm::kpi
