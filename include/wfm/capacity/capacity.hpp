#pragma once
/// \file
/// wfm::capacity: capacity planning weeks to months ahead. Demand -> paid FTE required
/// (requirement.hpp), the supply of agents by tenure cohort with attrition, training and
/// ramp-up (supply.hpp), and the least-cost hiring plan as an integer programme (hiring.hpp).

#include <wfm/capacity/hiring.hpp>
#include <wfm/capacity/policy.hpp>
#include <wfm/capacity/requirement.hpp>
#include <wfm/capacity/supply.hpp>
#include <wfm/capacity/plan.hpp>
#include <wfm/capacity/weekly_forecast.hpp>
