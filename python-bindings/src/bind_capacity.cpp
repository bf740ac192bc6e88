// wfm.capacity: weekly capacity plans (mirrors wfm::capacity). One keyword-only entry point
// that takes plain lists and returns plain dicts; wfm/capacity.py turns them into DataFrames.
#include <fmt/format.h>

#include <limits>
#include <wfm/capacity/capacity.hpp>
#include <wfm/core/error.hpp>

#include "bindings.hpp"

namespace wfm::python {

using namespace wfm::capacity;

namespace {

py::dict supply_dict(const SupplyProjection& s) {
  py::dict d;
  d["hires"] = to_numpy(s.hires);
  d["leavers"] = to_numpy(s.leavers);
  d["headcount"] = to_numpy(s.headcount);
  d["headcount_training"] = to_numpy(s.headcount_training);
  d["headcount_ramp"] = to_numpy(s.headcount_ramp);
  d["headcount_tenured"] = to_numpy(s.headcount_tenured);
  d["fte_paid"] = to_numpy(s.fte_paid);
  d["fte_available"] = to_numpy(s.fte_available);
  return d;
}

py::dict plan_dict(const CapacityPlan& p) {
  const Requirement& q = p.requirement;
  const HiringPlan& h = p.hiring;
  py::dict weeks = supply_dict(h.supply);
  weeks["agent_time_s"] = to_numpy(q.agent_time_s);
  weeks["fte_productive_required"] = to_numpy(q.fte_productive_required);
  for (std::size_t c = 0; c < q.shrinkage_names.size(); ++c)
    weeks[py::str("shrinkage_" + q.shrinkage_names[c])] = to_numpy(q.shrinkage_by_category[c]);
  weeks["shrinkage"] = to_numpy(q.shrinkage);
  weeks["scheduling_efficiency"] = to_numpy(std::vector<double>(h.fte_required.size(), q.scheduling_efficiency));
  weeks["fte_required"] = to_numpy(h.fte_required);
  weeks["overtime"] = to_numpy(h.overtime);
  weeks["temps"] = to_numpy(h.temps);
  weeks["fte_gap"] = to_numpy(h.fte_gap);
  weeks["cost"] = to_numpy(h.cost_week);
  py::dict out;
  out["weeks"] = weeks;
  out["class_size"] = h.class_size;
  out["status"] = std::string(to_string(h.status));
  out["message"] = h.message;
  out["cost"] = h.cost;
  out["lower_bound"] = h.lower_bound;
  out["gap"] = h.gap;
  out["salary_cost"] = h.salary_cost;
  out["hiring_cost"] = h.hiring_cost;
  out["overtime_cost"] = h.overtime_cost;
  out["temp_cost"] = h.temp_cost;
  out["understaffing_cost"] = h.understaffing_cost;
  out["uncoverable_weeks"] = h.uncoverable_weeks;
  out["requirement_status"] = std::string(to_string(q.status));
  out["requirement_message"] = q.message;
  return out;
}

py::list scenarios_list(const std::vector<ScenarioResult>& rs) {
  py::list out;
  for (const auto& r : rs) {
    py::dict d;
    d["scenario"] = r.name;
    d["status"] = std::string(to_string(r.status));
    d["fte_required"] = r.fte_required_mean;
    d["hires"] = r.hires;
    d["classes_run"] = r.classes_run;
    d["cost"] = r.cost;
    d["lower_bound"] = r.lower_bound;
    d["fte_gap"] = r.fte_gap_max;
    d["weeks_short"] = r.weeks_short;
    d["class_size"] = r.class_size;
    d["message"] = r.message;
    out.append(d);
  }
  return out;
}

}  // namespace

void bind_capacity(py::module_& root) {
  auto m = root.def_submodule(
      "capacity",
      "Capacity planning weeks ahead: demand -> paid FTE required -> least-cost hiring plan "
      "(integer programme). Times in seconds, FTE of fte_week_s paid seconds a week.");
  m.def(
      "plan_capacity",
      [](std::vector<double> fte_required, std::vector<double> volume, std::vector<double> aht_s,
         std::vector<double> profile, double interval_length_s, double patience_s,
         double service_level, double target_time_s,
         std::vector<std::pair<std::string, std::vector<double>>> shrinkage,
         double scheduling_efficiency, double fte_week_s,
         std::vector<std::pair<int, double>> cohorts, std::vector<double> attrition,
         int training_weeks, std::vector<double> ramp, std::vector<double> leave,
         std::vector<std::tuple<int, int, int>> classes, double salary, double hire_cost,
         double training_cost, double overtime_cost, double temp_cost, double understaffing_cost,
         double max_overtime, std::vector<double> max_temps, double gap_tolerance,
         double time_limit_s, std::uint64_t seed,
         std::optional<std::vector<std::tuple<std::string, double, double, double, int>>> scenarios,
         bool standard_scenarios_) {
        CapacityInput in;
        in.demand = {.volume = std::move(volume), .aht_s = std::move(aht_s),
                     .profile = std::move(profile), .interval_length_s = interval_length_s,
                     .patience_s = patience_s,
                     .goal = {.service_level = service_level, .target_time = target_time_s},
                     .scheduling_efficiency = scheduling_efficiency, .fte_week_s = fte_week_s};
        for (auto& [name, f] : shrinkage) in.demand.shrinkage.push_back({name, f});
        in.hiring.fte_required = std::move(fte_required);
        for (auto [t, h] : cohorts) in.hiring.supply.cohorts.push_back({t, h});
        in.hiring.supply.attrition = std::move(attrition);
        in.hiring.supply.training_weeks = training_weeks;
        in.hiring.supply.ramp = std::move(ramp);
        in.hiring.supply.leave = std::move(leave);
        for (auto [s, lo, hi] : classes) in.hiring.classes.push_back({s, lo, hi});
        in.hiring.costs = {.salary = salary, .hire_cost = hire_cost, .training_cost = training_cost,
                           .overtime = overtime_cost, .temp = temp_cost,
                           .understaffing = understaffing_cost};
        in.hiring.max_overtime = max_overtime;
        in.hiring.max_temps = std::move(max_temps);
        in.hiring.gap_tolerance = gap_tolerance;
        const CapacityPolicy policy{.time_limit_s = time_limit_s, .seed = seed};
        CapacityPlan plan;
        std::vector<ScenarioResult> what_if;
        {
          py::gil_scoped_release nogil;
          plan = plan_capacity(in, policy);
          std::vector<Scenario> sc;
          if (standard_scenarios_) sc = standard_scenarios(plan.hiring);
          if (scenarios)
            for (auto& [n, v, a, at, k] : *scenarios)
              sc.push_back({.name = n, .volume_factor = v, .aht_factor = a,
                            .attrition_factor = at, .cancel_class = k});
          if (!sc.empty()) what_if = compare_scenarios(in, sc, policy);
        }
        py::dict out = plan_dict(plan);
        out["what_if"] = scenarios_list(what_if);
        return out;
      },
      py::kw_only(), py::arg("fte_required") = std::vector<double>{},
      py::arg("volume") = std::vector<double>{}, py::arg("aht_s") = std::vector<double>{},
      py::arg("profile") = std::vector<double>{}, py::arg("interval_length_s") = 900.0,
      py::arg("patience_s") = std::numeric_limits<double>::infinity(),
      py::arg("service_level") = 0.8, py::arg("target_time_s") = 20.0,
      py::arg("shrinkage") = std::vector<std::pair<std::string, std::vector<double>>>{},
      py::arg("scheduling_efficiency") = 1.0, py::arg("fte_week_s") = 37.5 * 3600.0,
      py::arg("cohorts") = std::vector<std::pair<int, double>>{},
      py::arg("attrition") = std::vector<double>{0.0}, py::arg("training_weeks") = 0,
      py::arg("ramp") = std::vector<double>{}, py::arg("leave") = std::vector<double>{},
      py::arg("classes") = std::vector<std::tuple<int, int, int>>{}, py::arg("salary") = 0.0,
      py::arg("hire_cost") = 0.0, py::arg("training_cost") = 0.0, py::arg("overtime_cost") = 0.0,
      py::arg("temp_cost") = 0.0, py::arg("understaffing_cost") = 0.0,
      py::arg("max_overtime") = 0.0, py::arg("max_temps") = std::vector<double>{},
      py::arg("gap_tolerance") = 0.05, py::arg("time_limit_s") = 30.0, py::arg("seed") = 0,
      py::arg("scenarios") = py::none(), py::arg("standard_scenarios") = false,
      "Requirement (volume [contacts per week] + aht_s [s] over `profile`, or fte_required "
      "[FTE] as given), then the least-cost hiring plan. Returns a dict of weekly arrays and "
      "the plan's status, cost, lower_bound and gap.");
  m.def(
      "forecast_weekly",
      [](std::vector<double> history, int horizon, double level, int fourier_terms,
         std::vector<double> week_factor, std::vector<double> history_factor,
         const std::string& model) {
        WeeklyForecast f;
        const WeeklyModel m = weekly_model_from_string(model, "model");
        {
          py::gil_scoped_release nogil;
          f = forecast_weekly(history, {.horizon = horizon, .level = level,
                                        .fourier_terms = fourier_terms,
                                        .week_factor = std::move(week_factor),
                                        .history_factor = std::move(history_factor),
                                        .model = m});
        }
        py::dict d;
        d["volume"] = to_numpy(f.volume);
        d["volume_lower"] = to_numpy(f.volume_lower);
        d["volume_upper"] = to_numpy(f.volume_upper);
        d["model"] = std::string(to_string(f.model));
        d["validation_error"] = to_numpy(f.validation_error);
        d["alpha"] = f.alpha;
        d["beta"] = f.beta;
        d["phi"] = f.phi;
        d["fourier_terms"] = f.fourier_terms;
        d["status"] = std::string(to_string(f.status));
        return d;
      },
      py::arg("history"), py::kw_only(), py::arg("horizon") = 52, py::arg("level") = 0.8,
      py::arg("fourier_terms") = 3, py::arg("week_factor") = std::vector<double>{},
      py::arg("history_factor") = std::vector<double>{}, py::arg("model") = "automatic",
      "Weekly totals `horizon` weeks ahead of `history` (weekly totals, >= 8 weeks): calendar "
      "adjusted, naive / simple / damped trend chosen by rolling-origin validation, yearly "
      "Fourier term with >= 104 weeks, intervals at `level`.");
  m.def(
      "volume_quantile",
      [](std::vector<double> volume, std::vector<double> lower, std::vector<double> upper,
         double level, double probability) {
        if (lower.size() != volume.size() || upper.size() != volume.size())
          wfm::detail::throw_invalid("volume_lower, volume_upper", "need one entry per week of volume",
                                     static_cast<double>(volume.size()));
        std::vector<double> q(volume.size());
        for (std::size_t w = 0; w < volume.size(); ++w)
          q[w] = volume_quantile(volume[w], lower[w], upper[w], level, probability,
                                 fmt::format("volume[{}]", w));
        return to_numpy(q);
      },
      py::arg("volume"), py::arg("lower"), py::arg("upper"), py::kw_only(), py::arg("level"),
      py::arg("probability"),
      "Per week: the volume demand stays at or below with `probability`, from the forecast "
      "interval [lower, upper] at coverage `level` (lognormal; see weekly_forecast.hpp).");
}

}  // namespace wfm::python
