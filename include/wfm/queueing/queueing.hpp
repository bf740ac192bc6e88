#pragma once
/// \file
/// Umbrella header of the queueing module: Erlang B, C and A (exact, real-valued agents),
/// named service-level and ASA definitions, and the square-root (QED) approximations; the
/// omnichannel models on the log-space birth-death engine (chat with concurrency, Erlang X) and
/// the model registry (models by name).

#include <wfm/queueing/backlog.hpp>
#include <wfm/queueing/birth_death.hpp>
#include <wfm/queueing/chat_concurrency.hpp>
#include <wfm/queueing/definitions.hpp>
#include <wfm/queueing/erlang_a.hpp>
#include <wfm/queueing/erlang_b.hpp>
#include <wfm/queueing/erlang_c.hpp>
#include <wfm/queueing/erlang_x.hpp>
#include <wfm/queueing/general_patience.hpp>
#include <wfm/queueing/model_registry.hpp>
#include <wfm/queueing/sqrt_staffing.hpp>
#include <wfm/queueing/staffing.hpp>
#include <wfm/queueing/time_varying.hpp>
#include <wfm/queueing/traffic.hpp>
