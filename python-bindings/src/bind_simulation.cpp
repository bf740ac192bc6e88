#include "bindings.hpp"

namespace wfm::python {

// Placeholder until the simulation module's bindings land: an empty submodule.
void bind_simulation(py::module_& root) { root.def_submodule("simulation"); }

}  // namespace wfm::python
