#pragma once
/// \file
/// Umbrella header of the queueing module: Erlang B, C and A (exact, real-valued agents),
/// named service-level and ASA definitions, and the square-root (QED) approximations.

#include <wfm/queueing/definitions.hpp>
#include <wfm/queueing/erlang_a.hpp>
#include <wfm/queueing/erlang_b.hpp>
#include <wfm/queueing/erlang_c.hpp>
#include <wfm/queueing/sqrt_staffing.hpp>
#include <wfm/queueing/traffic.hpp>
