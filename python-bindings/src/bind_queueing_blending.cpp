// wfm.queueing, blending part: inbound calls and outbound work in one pool (blending.hpp).
// Same rules as bind_queueing_omnichannel.cpp: keyword-only arguments with units, the GIL
// released around every evaluation and search.
#include <cstdint>
#include <limits>
#include <string>

#include <wfm/queueing/blending.hpp>

#include "bindings.hpp"

namespace wfm::python {
namespace {

namespace q = wfm::queueing;

void bind_blending_metrics(py::module_& m) {
  py::class_<q::BlendingMetrics>(m, "BlendingMetrics",
                                 "Every metric of a blended pool at one staffing and reserve.")
      .def_readonly("wait_probability", &q::BlendingMetrics::wait_probability,
                    "P(an inbound call finds no idle agent)")
      .def_readonly("service_level", &q::BlendingMetrics::service_level, "inbound")
      .def_readonly("asa_s", &q::BlendingMetrics::asa_s, "inbound ASA [s]")
      .def_readonly("abandon_rate", &q::BlendingMetrics::abandon_rate, "inbound")
      .def_readonly("queue_length", &q::BlendingMetrics::queue_length, "E[inbound waiting]")
      .def_readonly("occupancy", &q::BlendingMetrics::occupancy, "inbound + outbound work")
      .def_readonly("inbound_occupancy", &q::BlendingMetrics::inbound_occupancy)
      .def_readonly("outbound_throughput", &q::BlendingMetrics::outbound_throughput,
                    "outbound jobs per second [1/s]")
      .def_readonly("tail_bound", &q::BlendingMetrics::tail_bound)
      .def_property_readonly(
          "status", [](const q::BlendingMetrics& x) { return std::string(to_string(x.status)); })
      .def_readonly("message", &q::BlendingMetrics::message)
      .def("to_dict", [](const q::BlendingMetrics& x) {
        py::dict d;
        d["wait_probability"] = x.wait_probability;
        d["service_level"] = x.service_level;
        d["asa_s"] = x.asa_s;
        d["abandon_rate"] = x.abandon_rate;
        d["queue_length"] = x.queue_length;
        d["occupancy"] = x.occupancy;
        d["inbound_occupancy"] = x.inbound_occupancy;
        d["outbound_throughput"] = x.outbound_throughput;
        d["status"] = std::string(to_string(x.status));
        return d;
      }, "The metrics as a dict (vocabulary names).");
}

void bind_blending_model(py::module_& m) {
  def_queue_model_methods(py::class_<q::Blending>(
      m, "Blending",
      "Call blending (Bhulai & Koole 2003; exact chain): n agents share inbound calls "
      "(Poisson arrival_rate, Exp handle_time, optional Exp patience) and an endless supply of "
      "outbound jobs (Exp outbound_handle_time); a free agent takes outbound work only if at "
      "least `reserve` other agents stay idle.")
      .def(py::init<double, double, double, double, std::int64_t>(), py::kw_only(),
           py::arg("arrival_rate"), py::arg("handle_time"), py::arg("outbound_handle_time"),
           py::arg("patience") = std::numeric_limits<double>::infinity(), py::arg("reserve"),
           "arrival_rate [1/s] >= 0; handle_time, outbound_handle_time [s] > 0; patience "
           "(mean) [s] > 0, inf: none; reserve [agents] >= 0 (>= agents: no outbound)."))
      .def("outbound_throughput", &q::Blending::outbound_throughput, py::arg("agents"),
           "outbound jobs per second [1/s]")
      .def("with_reserve", &q::Blending::with_reserve, py::arg("reserve"))
      .def_property_readonly("arrival_rate", &q::Blending::arrival_rate, "[1/s]")
      .def_property_readonly("handle_time", &q::Blending::handle_time, "[s]")
      .def_property_readonly("outbound_handle_time", &q::Blending::outbound_handle_time, "[s]")
      .def_property_readonly("patience", &q::Blending::patience, "mean [s]")
      .def_property_readonly("reserve", &q::Blending::reserve, "[agents]");
}

}  // namespace

void bind_queueing_blending(py::module_& root) {
  py::module_ m = root.attr("queueing");
  bind_blending_metrics(m);
  bind_blending_model(m);
  py::class_<q::ThresholdChoice>(m, "ThresholdChoice", "The reserve chosen for an inbound goal.")
      .def_readonly("reserve", &q::ThresholdChoice::reserve)
      .def_readonly("metrics", &q::ThresholdChoice::metrics)
      .def_property_readonly(
          "status", [](const q::ThresholdChoice& x) { return std::string(to_string(x.status)); })
      .def_readonly("message", &q::ThresholdChoice::message)
      .def_readonly("evaluations", &q::ThresholdChoice::evaluations);
  m.def(
      "best_threshold",
      [](const q::Blending& b, std::int64_t agents, const q::StaffingGoal& goal) {
        py::gil_scoped_release nogil;
        return q::best_threshold(b, agents, goal);
      },
      py::arg("model"), py::kw_only(), py::arg("agents"), py::arg("goal"),
      "The reserve with the largest outbound throughput whose inbound metrics meet `goal` at "
      "`agents` (status 'infeasible' if even reserve = agents misses it).");
  def_required_agents<q::Blending>(
      m, "Blending: the least agents meeting the inbound goal at the model's fixed reserve.");
}

}  // namespace wfm::python
