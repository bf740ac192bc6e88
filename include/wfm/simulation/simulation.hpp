#pragma once
/// \file
/// Umbrella header of wfm::simulation: discrete-event simulation of a contact centre's queue
/// over a day or a week, to check staffing and schedules that Erlang formulas cannot (peaks,
/// carry-over between intervals, lognormal handle times, impatient callers, shift changes).

#include <wfm/simulation/rng.hpp>
#include <wfm/simulation/scenario.hpp>
#include <wfm/simulation/simulated_queue.hpp>
#include <wfm/simulation/simulator.hpp>
#include <wfm/simulation/statistics.hpp>
