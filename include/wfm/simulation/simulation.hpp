#pragma once
/// \file
/// Umbrella header of wfm::simulation: discrete-event simulation of a contact centre's queue
/// over a day or a week, to check staffing and schedules where Erlang formulas fall short
/// (peaks and carry-over between intervals, lognormal or empirical handle times, impatient
/// callers, shift changes and breaks).
///
/// - scenario.hpp: Scenario (per-interval Poisson rates, optional Poisson-gamma busyness,
///   handle-time and patience Distributions, staffing as agents per interval or a wfm::Roster
///   with the documented shift-end and break rules);
/// - simulator.hpp: simulate(scenario, RunOptions) -> SimulationResult, per-interval and
///   whole-horizon measures (every wfm::queueing::ServiceLevelDefinition, ASA over all and
///   over answered, abandonment, occupancy) with 95 % confidence intervals;
/// - simulated_queue.hpp: SimulatedQueue, a stationary queue queried like ErlangC/ErlangA;
/// - rng.hpp: xoshiro256++ streams per (seed, replication, source) and wfm's own variates;
/// - statistics.hpp: ratio estimators and their half-widths.
///
/// Reproducibility: results depend only on the scenario, the options and the seed, never on
/// the number of threads or the platform's standard library. Common random numbers: two
/// scenarios that differ only in staffing see exactly the same calls.

#include <wfm/simulation/rng.hpp>
#include <wfm/simulation/scenario.hpp>
#include <wfm/simulation/simulated_queue.hpp>
#include <wfm/simulation/simulator.hpp>
#include <wfm/simulation/statistics.hpp>
