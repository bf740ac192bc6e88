#include <wfm/core/core.hpp>

#include "bindings.hpp"

namespace wfm::python {

void bind_core(py::module_& root) {
  // InvalidArgument derives from std::invalid_argument: pybind11 raises ValueError for it.
  static py::exception<SolverError> solver_error(root, "SolverError", PyExc_RuntimeError);
  root.def("minutes", &wfm::minutes, py::arg("x"), "x minutes in seconds.");
  root.def("hours", &wfm::hours, py::arg("x"), "x hours in seconds.");

  py::enum_<Status>(root, "Status", "The outcome of a computation (wfm/core/status.hpp).")
      .value("ok", Status::ok)
      .value("optimal", Status::optimal)
      .value("feasible", Status::feasible)
      .value("infeasible", Status::infeasible)
      .value("time_limit", Status::time_limit)
      .value("stopped", Status::stopped)
      .value("not_converged", Status::not_converged)
      .value("error", Status::error)
      .def("__str__", [](Status s) { return std::string(to_string(s)); });

  py::class_<Progress>(root, "Progress",
                       "A progress report: step (or phase), done of total, elapsed_s [s], "
                       "objective and bound (searches only).")
      .def_property_readonly("step", [](const Progress& p) { return std::string(p.step); })
      .def_readonly("done", &Progress::done)
      .def_readonly("total", &Progress::total)
      .def_readonly("elapsed_s", &Progress::elapsed_s)
      .def_readonly("objective", &Progress::objective)
      .def_readonly("bound", &Progress::bound);

  root.def(
      "vocabulary",
      [] {
        py::list out;
        for (const Quantity& q : wfm::vocabulary) {
          py::dict d;
          d["name"] = std::string(q.name);
          d["flag"] = std::string(q.flag);
          d["unit"] = std::string(q.unit);
          d["meaning"] = std::string(q.meaning);
          out.append(d);
        }
        return out;
      },
      "The one vocabulary (wfm/core/vocabulary.hpp): a list of dicts name, flag, unit, meaning.");
  root.def("in_vocabulary", [](const std::string& c) { return wfm::in_vocabulary(c); },
           py::arg("column"),
           "Whether a column name is in the vocabulary (directly or as <name>_lower/_upper).");
}

}  // namespace wfm::python
