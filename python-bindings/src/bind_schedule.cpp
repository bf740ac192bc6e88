#include "bindings.hpp"

namespace wfm::python {

// Placeholder until the schedule module's bindings land: an empty submodule.
void bind_schedule(py::module_& root) { root.def_submodule("schedule"); }

}  // namespace wfm::python
