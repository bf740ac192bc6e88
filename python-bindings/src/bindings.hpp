#pragma once
// One bind_<module>(root) per module, each in its own bind_<module>.cpp (manif style).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include <wfm/core/roster.hpp>
#include <wfm/queueing/definitions.hpp>
#include <wfm/queueing/staffing.hpp>

namespace wfm::python {
namespace py = pybind11;

/// A C-contiguous array of T; other dtypes and layouts are converted once on the way in.
template <class T>
using dense_array = py::array_t<T, py::array::c_style | py::array::forcecast>;

/// A read-only view of a 1-D array (checked: raises ValueError naming `name` otherwise).
template <class T>
std::span<const T> as_span(const dense_array<T>& a, const char* name) {
  if (a.ndim() != 1)
    throw py::value_error(std::string(name) + " must be a 1-D array, got ndim=" +
                          std::to_string(a.ndim()));
  return {a.data(), static_cast<std::size_t>(a.shape(0))};
}

/// A number as a one-element vector, or a 1-D array of numbers as a vector; ValueError naming
/// `name` otherwise (None included).
inline std::vector<double> doubles_of(const py::handle& obj, const char* name) {
  if (obj.is_none()) throw py::value_error(std::string(name) + " is required, got None");
  const auto a = dense_array<double>::ensure(obj);
  if (!a) throw py::value_error(std::string(name) + " must be a number or a 1-D array of numbers");
  if (a.ndim() == 0) return {*a.data()};
  const auto s = as_span(a, name);
  return {s.begin(), s.end()};
}

/// One column of a table given as arrays (a DataFrame's columns): a 1-D array of `n` entries, the
/// length of the table's first column `first`; an absent optional column is an empty span.
/// ValueError naming the column otherwise ("talk_s must have the length of arrival (7), got 6").
template <class T>
std::span<const T> column(const std::optional<dense_array<T>>& a, const char* name,
                          std::size_t n, const char* first) {
  if (!a) return {};
  const auto s = as_span(*a, name);
  if (s.size() != n)
    throw py::value_error(std::string(name) + " must have the length of " + first + " (" +
                          std::to_string(n) + "), got " + std::to_string(s.size()));
  return s;
}

/// A Python number (int, float, numpy scalar) as a double; otherwise ValueError naming `name`
/// (instead of pybind11's "Unable to cast ... to C++ type '?'").
inline double number(py::handle h, const std::string& name) {
  PyObject* f = h ? PyNumber_Float(h.ptr()) : nullptr;
  if (f == nullptr) {
    PyErr_Clear();
    throw py::value_error(name + " must be a number, got " +
                          (h ? std::string(py::str(py::type::handle_of(h).attr("__name__")))
                             : std::string("nothing")));
  }
  const double v = PyFloat_AsDouble(f);
  Py_DECREF(f);
  return v;
}

/// A whole number in [lo, hi] given as a Python int or an integral float; otherwise ValueError
/// naming `name` and the value (2.5 agents is an error, never truncated to 2).
inline int whole_number(py::handle h, const std::string& name, double lo = 0.0,
                        double hi = 2147483647.0) {
  const double v = number(h, name);
  if (!(v >= lo && v <= hi) || v != static_cast<double>(static_cast<long long>(v)))
    throw py::value_error(name + " must be a whole number in [" + std::to_string(static_cast<long long>(lo)) +
                          ", " + std::to_string(static_cast<long long>(hi)) + "], got " +
                          std::string(py::str(py::float_(v))));
  return static_cast<int>(v);
}

/// d[key] of a dict, or ValueError naming `name` when it is missing.
inline py::object item(const py::dict& d, const char* key, const std::string& name) {
  if (!d.contains(key)) throw py::value_error(name + ": the key '" + key + "' is missing");
  return d[key];
}

/// A new numpy array owning a copy of v.
template <class T>
py::array_t<T> to_numpy(const std::vector<T>& v) {
  py::array_t<T> out(static_cast<py::ssize_t>(v.size()));
  std::copy(v.begin(), v.end(), out.mutable_data());
  return out;
}

/// `field` (a data member pointer or a function of a row) of every row, as a column: a numpy
/// array of numbers, or a list of anything else (strings).
template <class Row, class Field>
py::object column_of(const std::vector<Row>& rows, Field field) {
  using T = std::decay_t<std::invoke_result_t<Field, const Row&>>;
  std::vector<T> v;
  v.reserve(rows.size());
  for (const Row& r : rows) v.push_back(std::invoke(field, r));
  if constexpr (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>)
    return to_numpy(v);
  else
    return py::cast(v);
}

/// A neutral roster (wfm/core/roster.hpp) as the dict the simulator's Python layer takes:
/// horizon_length, cyclic, shifts = [{start, end, agents, breaks: [(start, length)]}].
py::dict roster_dict(const wfm::Roster& r);

/// A HorizonPlan as the dict wfm.queueing.plan_horizon returns (vocabulary names, numpy arrays).
py::dict horizon_plan_dict(const wfm::queueing::HorizonPlan& plan);

void bind_core(py::module_& root);
void bind_queueing(py::module_& root);
void bind_queueing_omnichannel(py::module_& root);  // after bind_queueing: adds to wfm.queueing
void bind_queueing_blending(py::module_& root);      // after bind_queueing: adds to wfm.queueing
void bind_forecast(py::module_& root);
void bind_schedule(py::module_& root);
void bind_schedule_roster(py::module_& root);  // after bind_schedule: adds to wfm.schedule
void bind_simulation(py::module_& root);
void bind_kpi(py::module_& root);

void bind_capacity(py::module_& root);


/// The methods every stationary queueing model shares in Python (ChatConcurrency, Blending,
/// GeneralPatience): metrics, service_level, wait_probability, average_speed_of_answer,
/// abandon_probability, occupancy, all at `agents`; the SL definition and the ASA averaging
/// given by name, the GIL released while a model computes. Returns `cls` for more .def()s.
template <class Model>
py::class_<Model>& def_queue_model_methods(py::class_<Model>& cls) {
  namespace q = wfm::queueing;
  cls.def(
         "metrics",
         [](const Model& x, double agents, double target_time, const std::string& d,
            const std::string& over) {
           const auto def = q::parse_service_level_definition(d, "definition");
           const auto ov = q::parse_asa_over(over, "over");
           py::gil_scoped_release nogil;
           return x.metrics(agents, target_time, def, ov);
         },
         py::arg("agents"), py::kw_only(), py::arg("target_time"),
         py::arg("definition") = "answered_within", py::arg("over") = "all",
         "Every metric at `agents` for target_time [s].")
      .def(
          "service_level",
          [](const Model& x, double agents, double target_time, const std::string& d) {
            const auto def = q::parse_service_level_definition(d, "definition");
            py::gil_scoped_release nogil;
            return x.service_level(agents, target_time, def);
          },
          py::arg("agents"), py::kw_only(), py::arg("target_time"),
          py::arg("definition") = "answered_within", "Service level within target_time [s].")
      .def(
          "average_speed_of_answer",
          [](const Model& x, double agents, const std::string& over) {
            return x.average_speed_of_answer(agents, q::parse_asa_over(over, "over"));
          },
          py::arg("agents"), py::kw_only(), py::arg("over") = "all", "ASA [s].")
      .def("wait_probability", &Model::wait_probability, py::arg("agents"))
      .def("abandon_probability", &Model::abandon_probability, py::arg("agents"))
      .def("occupancy", &Model::occupancy, py::arg("agents"));
  return cls;
}

/// wfm.queueing.required_agents(model, goal, *, max_agents, fractional, tolerance) for one model
/// type: an overload per model, the goal validated, the GIL released during the search.
template <class Model>
void def_required_agents(py::module_& m, const char* doc) {
  namespace q = wfm::queueing;
  m.def(
      "required_agents",
      [](const Model& model, const q::StaffingGoal& goal, std::int64_t max_agents,
         bool fractional, double tolerance) {
        goal.validate("wfm.queueing.required_agents: goal");
        const q::StaffingOptions opt{.max_agents = max_agents, .fractional = fractional,
                                     .tolerance = tolerance};
        py::gil_scoped_release nogil;
        return q::required_agents(model, goal, opt);
      },
      py::arg("model"), py::arg("goal"), py::kw_only(), py::arg("max_agents") = 1'000'000,
      py::arg("fractional") = false, py::arg("tolerance") = 1e-6, doc);
}

/// The methods and properties the redial models share in Python (ErlangX and ErlangXRetrial):
/// metrics, service_level (per attempt), average_speed_of_answer, abandon_probability,
/// blocking_probability, occupancy at `agents`; arrival_rate, handle_time, patience, lines,
/// redial_probability. Returns `cls` for more .def()s.
template <class Model>
py::class_<Model>& def_redial_model_methods(py::class_<Model>& cls) {
  namespace q = wfm::queueing;
  cls.def(
         "metrics",
         [](const Model& x, double agents, double target_time, const std::string& over) {
           const auto ov = q::parse_asa_over(over, "over");
           py::gil_scoped_release nogil;
           return x.metrics(agents, target_time, ov);
         },
         py::arg("agents"), py::kw_only(), py::arg("target_time"), py::arg("over") = "all",
         "Every metric at `agents` for target_time [s].")
      .def(
          "service_level",
          [](const Model& x, double agents, double target_time) {
            py::gil_scoped_release nogil;
            return x.service_level(agents, target_time);
          },
          py::arg("agents"), py::kw_only(), py::arg("target_time"),
          "P(answered within target_time [s]) per attempt.")
      .def(
          "average_speed_of_answer",
          [](const Model& x, double agents, const std::string& over) {
            const auto ov = q::parse_asa_over(over, "over");
            py::gil_scoped_release nogil;
            return x.average_speed_of_answer(agents, ov);
          },
          py::arg("agents"), py::kw_only(), py::arg("over") = "all", "ASA [s].")
      .def("abandon_probability", py::method_adaptor<Model>(&Model::abandon_probability),
           py::arg("agents"))
      .def("blocking_probability", py::method_adaptor<Model>(&Model::blocking_probability),
           py::arg("agents"))
      .def("occupancy", py::method_adaptor<Model>(&Model::occupancy), py::arg("agents"))
      .def_property_readonly("arrival_rate", &Model::arrival_rate, "[1/s]")
      .def_property_readonly("handle_time", &Model::handle_time, "[s]")
      .def_property_readonly("patience", &Model::patience, "mean [s]")
      .def_property_readonly("lines", &Model::lines)
      .def_property_readonly("redial_probability", &Model::redial_probability);
  return cls;
}

}  // namespace wfm::python
