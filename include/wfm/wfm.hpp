#pragma once
/// \file
/// Everything in wfm. Prefer the module umbrellas (<wfm/queueing/queueing.hpp>, ...) in code
/// that needs only one module.

#include <wfm/capacity/capacity.hpp>
#include <wfm/core/core.hpp>
#include <wfm/forecast/forecast.hpp>
#include <wfm/kpi/kpi.hpp>
#include <wfm/queueing/queueing.hpp>
#include <wfm/schedule/schedule.hpp>
#include <wfm/simulation/simulation.hpp>
