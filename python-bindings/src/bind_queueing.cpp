#include "bindings.hpp"

namespace wfm::python {

// Placeholder until the queueing module's bindings land: an empty submodule.
void bind_queueing(py::module_& root) { root.def_submodule("queueing"); }

}  // namespace wfm::python
