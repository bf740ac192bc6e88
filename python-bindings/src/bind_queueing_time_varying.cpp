// wfm.queueing, time-varying part (time_varying.hpp): offered load, SIPP / lagged SIPP / MOL
// staffing and the exact evaluator of a staffing vector. Arrays in, dicts of arrays out (the
// pandas wrappers are in wfm/queueing.py); the GIL is released around every computation.
#include <string>
#include <vector>

#include <wfm/queueing/time_varying.hpp>

#include "bindings.hpp"

namespace wfm::python {
namespace {

namespace q = wfm::queueing;
using namespace pybind11::literals;

std::vector<double> vector_of(const py::handle& obj, const char* name) {
  const auto a = dense_array<double>::ensure(obj);
  if (!a || a.ndim() != 1)
    throw py::value_error(std::string(name) + " must be a 1-D array of numbers");
  const auto s = as_span(a, name);
  return {s.begin(), s.end()};
}

q::InitialState initial_of(const std::string& text) {
  if (text == "stationary") return q::InitialState::stationary;
  if (text == "empty") return q::InitialState::empty;
  throw py::value_error("initial must be 'stationary' or 'empty', got '" + text + "'");
}

py::array status_array(const std::vector<Status>& status) {
  py::list out;
  for (auto s : status) out.append(std::string(to_string(s)));
  return py::module_::import("numpy").attr("array")(out, "dtype"_a = "U13");
}

}  // namespace

void bind_queueing_time_varying(py::module_& root) {
  py::module_ m = root.attr("queueing");
  m.def(
      "offered_load_arrays",
      [](const py::handle& rates, double interval_length, double handle_time,
         const std::string& service, const std::string& initial) {
        const auto r = vector_of(rates, "arrival_rates");
        if (service != "exponential" && service != "deterministic")
          throw py::value_error("service must be 'exponential' or 'deterministic', got '" +
                                service + "'");
        const auto dist = service == "exponential" ? q::ServiceDistribution::exponential
                                                   : q::ServiceDistribution::deterministic;
        const auto init = initial_of(initial);
        q::OfferedLoad o;
        {
          py::gil_scoped_release nogil;
          o = q::offered_load(r, interval_length, handle_time, dist, init);
        }
        py::dict out;
        out["offered_load"] = to_numpy(o.offered_load);
        out["offered_load_end"] = to_numpy(o.offered_load_end);
        return out;
      },
      py::kw_only(), py::arg("arrival_rates"), py::arg("interval_length"),
      py::arg("handle_time"), py::arg("service") = "exponential",
      py::arg("initial") = "stationary",
      "Infinite-server offered load [Erl] per interval of piecewise-constant arrival_rates "
      "[1/s] (exact, Eick, Massey & Whitt 1993): dict of offered_load (interval mean) and "
      "offered_load_end.");
  m.def(
      "staff_time_varying_arrays",
      [](const py::handle& rates, double interval_length, double handle_time, double patience,
         const q::StaffingGoal& goal, const std::string& method, std::int64_t max_agents,
         int threads) {
        const auto r = vector_of(rates, "arrival_rates");
        const auto how = q::parse_staffing_method(method, "method");
        q::TimeVaryingStaffing s;
        {
          py::gil_scoped_release nogil;
          s = q::staff_time_varying(r, interval_length, handle_time, patience, goal, how,
                                    {.staffing = {.max_agents = max_agents}, .threads = threads});
        }
        py::dict out = horizon_plan_dict(s.plan);
        out["staffing_arrival_rate"] = to_numpy(s.staffing_arrival_rate);
        return out;
      },
      py::kw_only(), py::arg("arrival_rates"), py::arg("interval_length"),
      py::arg("handle_time"), py::arg("patience"), py::arg("goal"), py::arg("method") = "sipp",
      py::arg("max_agents") = 1'000'000, py::arg("threads") = 0,
      "Agents per interval by 'sipp', 'lagged_sipp' or 'mol' (patience inf: Erlang C).");
  m.def(
      "evaluate_staffing_arrays",
      [](const py::handle& rates, double interval_length, double handle_time, double patience,
         const py::handle& agents, const q::StaffingGoal& goal, const std::string& initial,
         double max_work) {
        const auto r = vector_of(rates, "arrival_rates");
        const auto a = vector_of(agents, "agents");
        if (!(max_work > 0.0 && max_work <= 1e18))
          throw py::value_error("max_work must be in (0, 1e18] (units of ~0.5 ns), got " +
                                std::string(py::str(py::float_(max_work))));
        q::EvaluationOptions opt{.initial = initial_of(initial)};
        opt.policy.max_work = max_work;
        q::TimeVaryingEvaluation e;
        {
          py::gil_scoped_release nogil;
          e = q::evaluate_staffing(r, interval_length, handle_time, patience, a, goal, opt);
        }
        py::dict out;
        out["service_level"] = to_numpy(e.service_level);
        out["wait_probability"] = to_numpy(e.wait_probability);
        out["abandon_rate"] = to_numpy(e.abandon_rate);
        out["occupancy"] = to_numpy(e.occupancy);
        out["queue_length"] = to_numpy(e.queue_length);
        out["status"] = status_array(e.status);
        out["overall"] = std::string(to_string(e.overall));
        out["message"] = e.message;
        out["mass_lost"] = e.mass_lost;
        return out;
      },
      py::kw_only(), py::arg("arrival_rates"), py::arg("interval_length"),
      py::arg("handle_time"), py::arg("patience"), py::arg("agents"), py::arg("goal"),
      py::arg("initial") = "stationary", py::arg("max_work") = q::TransientPolicy{}.max_work,
      "Exact per-interval metrics of whole-number agents under time-varying Erlang A / C "
      "(the birth-death equations carried over the intervals); max_work: the work budget "
      "(TransientPolicy::max_work, ~0.5 ns a unit; the intervals beyond it get time_limit).");
}

}  // namespace wfm::python
