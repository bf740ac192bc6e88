#pragma once
/// \file
/// wfm::kpi: measure what happened. Contact logs -> interval KPIs under the planning vocabulary
/// (contacts.hpp, io.hpp), patience from censored waits (survival.hpp), handle-time fits
/// (distribution_fit.hpp); agent states -> adherence,
/// conformance and measured shrinkage (adherence.hpp); plan versus actual (plan_vs_actual.hpp).

#include <wfm/kpi/adherence.hpp>
#include <wfm/kpi/contacts.hpp>
#include <wfm/kpi/distribution_fit.hpp>
#include <wfm/kpi/from_simulation.hpp>
#include <wfm/kpi/io.hpp>
#include <wfm/kpi/plan_vs_actual.hpp>
#include <wfm/kpi/survival.hpp>
