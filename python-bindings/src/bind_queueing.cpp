// wfm.queueing: Erlang B/C/A, square-root staffing approximations, staffing and horizon plans.
// Same names as C++ (wfm::queueing); times in seconds, rates per second; keyword-only
// arguments for everything with a unit; the GIL is released around every search and loop.
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <wfm/queueing/erlang_a.hpp>
#include <wfm/queueing/erlang_b.hpp>
#include <wfm/queueing/erlang_c.hpp>
#include <wfm/queueing/sqrt_staffing.hpp>
#include <wfm/queueing/staffing.hpp>

#include "bindings.hpp"

namespace wfm::python {
namespace {

namespace q = wfm::queueing;
using namespace pybind11::literals;
using q::AsaOver;
using q::ServiceLevelDefinition;

ServiceLevelDefinition definition_of(const std::string& s) {
  return q::parse_service_level_definition(s, "definition");
}
AsaOver over_of(const std::string& s) { return q::parse_asa_over(s, "over"); }

// doubles_of (bindings.hpp), an absent argument (None) as an empty vector.
std::vector<double> doubles_or_empty(const py::handle& obj, const char* name) {
  return obj.is_none() ? std::vector<double>{} : doubles_of(obj, name);
}

std::string repr_opt(const std::optional<double>& v) {
  return v ? py::repr(py::float_(*v)).cast<std::string>() : "None";
}

}  // namespace

py::dict horizon_plan_dict(const wfm::queueing::HorizonPlan& plan) {
  py::list status;
  for (auto s : plan.status) status.append(std::string(to_string(s)));
  py::dict out;
  out["agents_required"] = to_numpy(plan.agents_required);
  out["agents_required_gross"] = to_numpy(plan.agents_required_gross);
  out["service_level"] = to_numpy(plan.service_level);
  out["asa_s"] = to_numpy(plan.asa_s);
  out["abandon_rate"] = to_numpy(plan.abandon_rate);
  out["occupancy"] = to_numpy(plan.occupancy);
  out["status"] = py::module_::import("numpy").attr("array")(status, "dtype"_a = "U10");
  return out;
}

void bind_queueing(py::module_& root) {
  auto m = root.def_submodule(
      "queueing",
      "Erlang B/C/A queueing models and staffing. Times in seconds, rates per second, "
      "probabilities as fractions in [0, 1].");

  // ---- models -------------------------------------------------------------------------------
  py::class_<q::ErlangB>(m, "ErlangB",
                         "Erlang B (M/M/n/n, blocked calls cleared). `agents` may be real-valued "
                         "(Jagerman's continuous extension).")
      .def(py::init<double, double>(), py::kw_only(), py::arg("arrival_rate"),
           py::arg("handle_time"), "arrival_rate [1/s] >= 0, handle_time (mean AHT) [s] > 0.")
      .def("blocking_probability", &q::ErlangB::blocking_probability, py::arg("agents"),
           "P(an arrival finds every agent busy and is lost).")
      .def("occupancy", &q::ErlangB::occupancy, py::arg("agents"),
           "Carried load per agent, load (1 - B) / agents.")
      .def_property_readonly("arrival_rate", &q::ErlangB::arrival_rate, "[1/s]")
      .def_property_readonly("handle_time", &q::ErlangB::handle_time, "[s]")
      .def_property_readonly("load", &q::ErlangB::load, "offered load [Erl]");

  py::class_<q::ErlangC>(m, "ErlangC",
                         "Erlang C (M/M/n): Poisson arrivals, exponential handle times, n agents, "
                         "infinitely patient callers. `agents` may be real-valued (continuous "
                         "extension). With agents <= load the queue is unstable: P(wait) = 1, "
                         "SL = 0, ASA = inf (values, not errors).")
      .def(py::init<double, double>(), py::kw_only(), py::arg("arrival_rate"),
           py::arg("handle_time"),
           "arrival_rate [1/s] >= 0, handle_time (mean AHT) [s] > 0.")
      .def("wait_probability", &q::ErlangC::wait_probability, py::arg("agents"),
           "P(an arriving call waits).")
      .def("service_level", &q::ErlangC::service_level, py::arg("agents"), py::kw_only(),
           py::arg("target_time"), "P(wait <= target_time); target_time [s].")
      .def("average_speed_of_answer", &q::ErlangC::average_speed_of_answer, py::arg("agents"),
           "ASA: mean wait over all calls [s].")
      .def("occupancy", &q::ErlangC::occupancy, py::arg("agents"),
           "Fraction of agent time busy (load / agents, at most 1).")
      .def_property_readonly("arrival_rate", &q::ErlangC::arrival_rate, "[1/s]")
      .def_property_readonly("handle_time", &q::ErlangC::handle_time, "[s]")
      .def_property_readonly("load", &q::ErlangC::load, "offered load [Erl]");

  py::class_<q::ErlangA>(m, "ErlangA",
                         "Erlang A (M/M/n+M): Erlang C with exponential patience; callers "
                         "abandon when their patience runs out. `agents` may be real-valued.")
      .def(py::init<double, double, double>(), py::kw_only(), py::arg("arrival_rate"),
           py::arg("handle_time"), py::arg("patience"),
           "arrival_rate [1/s] >= 0, handle_time (mean AHT) [s] > 0, patience (mean) [s] > 0.")
      .def("wait_probability", &q::ErlangA::wait_probability, py::arg("agents"),
           "P(an arriving call waits).")
      .def(
          "service_level",
          [](const q::ErlangA& a, double agents, double target_time, const std::string& d) {
            return a.service_level(agents, target_time, definition_of(d));
          },
          py::arg("agents"), py::kw_only(), py::arg("target_time"),
          py::arg("definition") = "answered_within",
          "Service level within target_time [s]. definition: 'answered_within' (answered and "
          "waited <= t, over all calls; the default), 'wait_within' (min(wait, patience) <= t), "
          "'virtual_wait_within' (an infinitely patient caller waits <= t), "
          "'answered_given_answered' (over answered calls).")
      .def(
          "average_speed_of_answer",
          [](const q::ErlangA& a, double agents, const std::string& over) {
            return a.average_speed_of_answer(agents, over_of(over));
          },
          py::arg("agents"), py::kw_only(), py::arg("over") = "all",
          "ASA [s]: over='all' E[min(wait, patience)] over all calls, or 'answered'.")
      .def("abandon_probability", &q::ErlangA::abandon_probability, py::arg("agents"),
           "P(a caller abandons).")
      .def("mean_queue_length", &q::ErlangA::mean_queue_length, py::arg("agents"),
           "E[number waiting] [calls].")
      .def("occupancy", &q::ErlangA::occupancy, py::arg("agents"),
           "Fraction of agent time busy.")
      .def_property_readonly("arrival_rate", &q::ErlangA::arrival_rate, "[1/s]")
      .def_property_readonly("handle_time", &q::ErlangA::handle_time, "[s]")
      .def_property_readonly("patience", &q::ErlangA::patience, "mean patience [s]")
      .def_property_readonly("load", &q::ErlangA::load, "offered load [Erl]");

  // ---- square-root (QED) approximations: approximations, not exact values ------------------
  m.def("square_root_staffing", &q::square_root_staffing, py::kw_only(), py::arg("load"),
        py::arg("beta"),
        "Square-root staffing n = load + beta sqrt(load) [agents], not rounded; load [Erl]. "
        "Halfin & Whitt (1981).");
  m.def("halfin_whitt_wait_probability", &q::halfin_whitt_wait_probability, py::arg("beta"),
        "Approximation: the Halfin-Whitt delay function [1 + beta Phi(beta)/phi(beta)]^-1, the "
        "QED limit of Erlang C's P(wait) at n = load + beta sqrt(load).");
  m.def("halfin_whitt_beta", &q::halfin_whitt_beta, py::arg("wait_probability"),
        "Approximation: the beta whose Halfin-Whitt P(wait) equals wait_probability in (0, 1).");
  py::class_<q::HalfinWhitt>(m, "HalfinWhitt",
                             "Approximation of Erlang C by the Halfin-Whitt QED limit (cheap; "
                             "use ErlangC for exact values).")
      .def(py::init<double, double>(), py::kw_only(), py::arg("arrival_rate"),
           py::arg("handle_time"), "arrival_rate [1/s], handle_time [s].")
      .def("beta", &q::HalfinWhitt::beta, py::arg("agents"), "(agents - load) / sqrt(load).")
      .def("wait_probability", &q::HalfinWhitt::wait_probability, py::arg("agents"))
      .def("service_level", &q::HalfinWhitt::service_level, py::arg("agents"), py::kw_only(),
           py::arg("target_time"), "P(wait <= target_time), target_time [s] (approximation).")
      .def("average_speed_of_answer", &q::HalfinWhitt::average_speed_of_answer,
           py::arg("agents"), "ASA [s] (approximation).")
      .def_property_readonly("load", &q::HalfinWhitt::load, "offered load [Erl]");
  py::class_<q::GarnettMandelbaumReiman>(
      m, "GarnettMandelbaumReiman",
      "Approximation of Erlang A by the Garnett-Mandelbaum-Reiman (2002) QED limit (cheap; use "
      "ErlangA for exact values).")
      .def(py::init<double, double, double>(), py::kw_only(), py::arg("arrival_rate"),
           py::arg("handle_time"), py::arg("patience"),
           "arrival_rate [1/s], handle_time [s], patience (mean) [s].")
      .def("wait_probability", &q::GarnettMandelbaumReiman::wait_probability, py::arg("agents"))
      .def("abandon_probability", &q::GarnettMandelbaumReiman::abandon_probability,
           py::arg("agents"))
      .def("service_level", &q::GarnettMandelbaumReiman::service_level, py::arg("agents"),
           py::kw_only(), py::arg("target_time"),
           "P(V <= target_time) (virtual_wait_within), target_time [s] (approximation).")
      .def_property_readonly("load", &q::GarnettMandelbaumReiman::load, "offered load [Erl]");

  // ---- staffing -----------------------------------------------------------------------------

  py::class_<q::StaffingGoal>(
      m, "StaffingGoal",
      "A service goal: every criterion given must hold (at least one). service_level x in "
      "(0, 1) within target_time [s] under `definition`; max_asa [s] averaged over asa_over "
      "('all' or 'answered'); max_abandon and max_occupancy as fractions in (0, 1].")
      .def(py::init([](std::optional<double> service_level, double target_time,
                       const std::string& definition, std::optional<double> max_asa,
                       const std::string& asa_over, std::optional<double> max_abandon,
                       std::optional<double> max_occupancy) {
             q::StaffingGoal g{.service_level = service_level,
                               .target_time = target_time,
                               .definition = definition_of(definition),
                               .max_asa = max_asa,
                               .asa_over = q::parse_asa_over(asa_over, "asa_over"),
                               .max_abandon = max_abandon,
                               .max_occupancy = max_occupancy};
             g.validate("wfm.queueing.StaffingGoal");
             return g;
           }),
           py::kw_only(), py::arg("service_level") = py::none(), py::arg("target_time") = 20.0,
           py::arg("definition") = "answered_within", py::arg("max_asa") = py::none(),
           py::arg("asa_over") = "all", py::arg("max_abandon") = py::none(),
           py::arg("max_occupancy") = py::none())
      .def_readonly("service_level", &q::StaffingGoal::service_level)
      .def_readonly("target_time", &q::StaffingGoal::target_time, "[s]")
      .def_property_readonly("definition",
                             [](const q::StaffingGoal& g) { return std::string(to_string(g.definition)); })
      .def_readonly("max_asa", &q::StaffingGoal::max_asa, "[s]")
      .def_property_readonly("asa_over",
                             [](const q::StaffingGoal& g) { return std::string(to_string(g.asa_over)); })
      .def_readonly("max_abandon", &q::StaffingGoal::max_abandon)
      .def_readonly("max_occupancy", &q::StaffingGoal::max_occupancy)
      .def("__repr__", [](const q::StaffingGoal& g) {
        return "StaffingGoal(service_level=" + repr_opt(g.service_level) +
               ", target_time=" + py::repr(py::float_(g.target_time)).cast<std::string>() +
               ", definition='" + std::string(to_string(g.definition)) +
               "', max_asa=" + repr_opt(g.max_asa) + ", asa_over='" +
               std::string(to_string(g.asa_over)) + "', max_abandon=" + repr_opt(g.max_abandon) +
               ", max_occupancy=" + repr_opt(g.max_occupancy) + ")";
      });

  py::class_<q::StaffingResult>(m, "StaffingResult",
                                "Required agents, the status, and the metrics predicted there.")
      .def_readonly("agents_required", &q::StaffingResult::agents_required, "required agents")
      .def_readonly("status", &q::StaffingResult::status, "wfm.Status.ok or .infeasible")
      .def_readonly("message", &q::StaffingResult::message)
      .def_readonly("service_level", &q::StaffingResult::service_level)
      .def_readonly("asa_s", &q::StaffingResult::asa_s, "[s]")
      .def_readonly("abandon_rate", &q::StaffingResult::abandon_rate)
      .def_readonly("occupancy", &q::StaffingResult::occupancy)
      .def_readonly("evaluations", &q::StaffingResult::evaluations,
                    "staffing levels checked by the search")
      .def("__repr__", [](const q::StaffingResult& r) {
        return "StaffingResult(agents_required=" +
               py::repr(py::float_(r.agents_required)).cast<std::string>() +
               ", status=" + std::string(to_string(r.status)) +
               ", service_level=" + py::repr(py::float_(r.service_level)).cast<std::string>() +
               ", asa_s=" + py::repr(py::float_(r.asa_s)).cast<std::string>() +
               ", abandon_rate=" + py::repr(py::float_(r.abandon_rate)).cast<std::string>() +
               ", occupancy=" + py::repr(py::float_(r.occupancy)).cast<std::string>() + ")";
      });

  constexpr const char* required_doc =
      "The smallest number of agents meeting every criterion of `goal` (fractional=True: the "
      "smallest real staffing, to `tolerance` agents). Beyond max_agents the result's status "
      "is Status.infeasible with the metrics at max_agents. O(log n) evaluations.";
  def_required_agents<q::ErlangC>(m, required_doc);
  def_required_agents<q::ErlangA>(m, required_doc);

  m.def("scheduled_agents", &q::scheduled_agents, py::arg("required"), py::arg("shrinkage"),
        "required / (1 - shrinkage): agents to schedule so that `required` remain; shrinkage "
        "in [0, 1).");
  m.def(
      "scheduled_agents",
      [](const dense_array<double>& required, double shrinkage) {
        const auto in = as_span(required, "required");
        std::vector<double> out(in.size());
        {
          py::gil_scoped_release nogil;
          for (std::size_t i = 0; i < in.size(); ++i)
            out[i] = q::scheduled_agents(in[i], shrinkage);
        }
        return to_numpy(out);
      },
      py::arg("required"), py::arg("shrinkage"),
      "Element-wise required / (1 - shrinkage) for a 1-D array of required agents.");

  m.def(
      "plan_horizon",
      [](const py::object& volumes, const py::object& handle_times, double interval_length,
         const q::StaffingGoal& goal, const py::object& patience, double shrinkage,
         std::int64_t max_agents, bool fractional, double tolerance, int threads) {
        const std::vector<double> v = doubles_or_empty(volumes, "volumes");
        const std::vector<double> h = doubles_or_empty(handle_times, "handle_times");
        const std::vector<double> p = doubles_or_empty(patience, "patience");
        if (volumes.is_none()) throw py::value_error("volumes must be given");
        if (handle_times.is_none()) throw py::value_error("handle_times must be given");
        const q::PlanOptions opt{.staffing = {.max_agents = max_agents,
                                              .fractional = fractional,
                                              .tolerance = tolerance},
                                 .threads = threads};
        q::HorizonPlan plan;
        {
          py::gil_scoped_release nogil;
          plan = q::plan_horizon(v, h, interval_length, p, goal, shrinkage, opt);
        }
        return horizon_plan_dict(plan);
      },
      py::kw_only(), py::arg("volumes"), py::arg("handle_times"), py::arg("interval_length"),
      py::arg("goal"), py::arg("patience") = py::none(), py::arg("shrinkage") = 0.0,
      py::arg("max_agents") = 1'000'000, py::arg("fractional") = false,
      py::arg("tolerance") = 1e-6, py::arg("threads") = 0,
      "Staff every interval of a horizon. volumes [calls per interval] (1-D array); "
      "handle_times [s] (one per interval, or one for all); interval_length [s]; patience "
      "(mean [s]; None or inf = Erlang C; one value or one per interval); shrinkage in [0, 1). "
      "threads: worker threads, 0 = all cores. Returns a dict of numpy arrays named as in "
      "wfm.vocabulary: agents_required, agents_required_gross, service_level, asa_s [s], "
      "abandon_rate, occupancy, status ('ok' or 'infeasible'). Zero volume: 0 agents and SL 1. "
      "The GIL is released while it runs.");
}

}  // namespace wfm::python
