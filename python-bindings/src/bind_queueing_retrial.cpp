// wfm.queueing, Erlang X's exact retrial chain (retrial.hpp). Same rules as
// bind_queueing_omnichannel.cpp: keyword-only arguments with units, the GIL released around
// every evaluation and search.
#include <cstdint>
#include <string>

#include <wfm/queueing/retrial.hpp>
#include <wfm/queueing/staffing.hpp>

#include "bindings.hpp"

namespace wfm::python {
namespace {
namespace q = wfm::queueing;

void bind_retrial_metrics(py::module_& m) {
  py::class_<q::ErlangXRetrialMetrics, q::ErlangXMetrics>(
      m, "ErlangXRetrialMetrics",
      "Every metric of ErlangXMetrics from the exact retrial chain, and the chain's orbit.")
      .def_readonly("mean_orbit", &q::ErlangXRetrialMetrics::mean_orbit,
                    "E[customers waiting to redial]")
      .def_readonly("orbit_bound", &q::ErlangXRetrialMetrics::orbit_bound,
                    "largest orbit level of the solved chain")
      .def_readonly("truncated_mass", &q::ErlangXRetrialMetrics::truncated_mass,
                    "P(orbit = orbit_bound): the mass the truncation moved at most")
      .def_readonly("exact", &q::ErlangXRetrialMetrics::exact,
                    "False: the chain exceeds RetrialPolicy and the values are ErlangX's");
}

void bind_retrial_model(py::module_& m) {
  def_redial_model_methods(py::class_<q::ErlangXRetrial>(
      m, "ErlangXRetrial",
      "Erlang X with redials after an exponential delay (mean redial_delay [s]), solved as "
      "the exact two-dimensional retrial chain (calls on the lines x customers waiting to "
      "redial). Use it when redials come quickly and n, lines are small (lines <= 100); "
      "ErlangX's Poisson fixed point is its limit for slow redials. Status not_converged "
      "when the chain exceeds its size limits (then exact is False and the values are "
      "ErlangX's).")
      .def(py::init<double, double, double, std::int64_t, double, double>(), py::kw_only(),
           py::arg("arrival_rate"), py::arg("handle_time"), py::arg("patience"),
           py::arg("lines"), py::arg("redial_probability"), py::arg("redial_delay"),
           "arrival_rate (fresh) [1/s] >= 0, handle_time [s] > 0, patience (mean) [s] > 0, "
           "lines >= 1, redial_probability in [0, 1), redial_delay (mean) [s] > 0."))
      .def_property_readonly("redial_delay", &q::ErlangXRetrial::redial_delay, "mean [s]");
}

}  // namespace

void bind_queueing_retrial(py::module_& root) {
  py::module_ m = root.attr("queueing");
  bind_retrial_metrics(m);
  bind_retrial_model(m);
  def_required_agents<q::ErlangXRetrial>(
      m, "ErlangXRetrial: the least agents meeting the goal (per-attempt metrics).");
}

}  // namespace wfm::python
