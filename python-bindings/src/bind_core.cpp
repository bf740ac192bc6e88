#include <wfm/core/core.hpp>

#include "bindings.hpp"

namespace wfm::python {

void bind_core(py::module_& root) {
  // InvalidArgument derives from std::invalid_argument: pybind11 raises ValueError for it.
  static py::exception<SolverError> solver_error(root, "SolverError", PyExc_RuntimeError);
  root.def("minutes", &wfm::minutes, py::arg("x"), "x minutes in seconds.");
  root.def("hours", &wfm::hours, py::arg("x"), "x hours in seconds.");
}

}  // namespace wfm::python
