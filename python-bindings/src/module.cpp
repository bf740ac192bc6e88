#include "bindings.hpp"

#include <wfm/core/core.hpp>

namespace wfm::python {
void bind_queueing_time_varying(py::module_& root);  // after bind_queueing: adds to wfm.queueing
void bind_queueing_retrial(py::module_& root);  // after bind_queueing_omnichannel (ErlangXMetrics)
}

PYBIND11_MODULE(_core, m) {
  m.doc() = "wfm: contact-centre workforce management. Times in seconds, rates per second.";
  m.attr("__version__") = wfm::version;
  wfm::python::bind_core(m);
  wfm::python::bind_queueing(m);
  wfm::python::bind_queueing_omnichannel(m);
  wfm::python::bind_queueing_time_varying(m);
  wfm::python::bind_queueing_blending(m);
  wfm::python::bind_queueing_retrial(m);
  wfm::python::bind_forecast(m);
  wfm::python::bind_schedule(m);
  wfm::python::bind_schedule_roster(m);
  wfm::python::bind_simulation(m);
  wfm::python::bind_kpi(m);

  wfm::python::bind_capacity(m);
}
