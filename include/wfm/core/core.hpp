#pragma once
/// \file
/// Umbrella header of the core module: errors, units, calendar, CSV I/O and the neutral roster
/// type. Core types live directly in namespace `wfm`; core knows no model.

#include <wfm/core/calendar.hpp>
#include <wfm/core/csv.hpp>
#include <wfm/core/error.hpp>
#include <wfm/core/interval_grid.hpp>
#include <wfm/core/limits.hpp>
#include <wfm/core/roster.hpp>
#include <wfm/core/status.hpp>
#include <wfm/core/time_zone.hpp>
#include <wfm/core/units.hpp>
#include <wfm/core/vocabulary.hpp>
#include <wfm/version.hpp>
