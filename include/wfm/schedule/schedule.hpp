#pragma once
/// \file
/// Umbrella header of wfm::schedule: shift scheduling with breaks at least cost.
#include <wfm/schedule/blocks.hpp>
#include <wfm/schedule/grid.hpp>
#include <wfm/schedule/io.hpp>
#include <wfm/schedule/model.hpp>
#include <wfm/schedule/result.hpp>
#include <wfm/schedule/roster.hpp>
#include <wfm/schedule/search_policy.hpp>
#include <wfm/schedule/service_level.hpp>
#include <wfm/schedule/solver.hpp>
#include <wfm/schedule/tours.hpp>
