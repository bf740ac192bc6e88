#include "bindings.hpp"

namespace wfm::python {

// Placeholder until the forecast module's bindings land: an empty submodule.
void bind_forecast(py::module_& root) { root.def_submodule("forecast"); }

}  // namespace wfm::python
