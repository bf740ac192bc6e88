#pragma once
/// \file
/// Umbrella header of wfm::forecast: interval series, special-day calendars, the forecasting
/// methods, the Forecaster (selection, special days, calibrated intervals, AHT, intraday
/// updating, batch) and backtests.

#include <wfm/forecast/backtest.hpp>
#include <wfm/forecast/forecaster.hpp>
#include <wfm/forecast/history.hpp>
#include <wfm/forecast/metrics.hpp>
#include <wfm/forecast/model.hpp>
#include <wfm/forecast/series.hpp>
