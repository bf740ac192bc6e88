#include "bindings.hpp"

#include <wfm/core/core.hpp>

PYBIND11_MODULE(_core, m) {
  m.doc() = "wfm: contact-centre workforce management. Times in seconds, rates per second.";
  m.attr("__version__") = wfm::version;
  wfm::python::bind_core(m);
  wfm::python::bind_queueing(m);
  wfm::python::bind_queueing_omnichannel(m);
  wfm::python::bind_queueing_blending(m);
  wfm::python::bind_forecast(m);
  wfm::python::bind_schedule(m);
  wfm::python::bind_schedule_roster(m);
  wfm::python::bind_simulation(m);
  wfm::python::bind_kpi(m);

  wfm::python::bind_capacity(m);
}
