#pragma once
// One bind_<module>(root) per module, each in its own bind_<module>.cpp (manif style).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <span>
#include <vector>

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

/// A new numpy array owning a copy of v.
template <class T>
py::array_t<T> to_numpy(const std::vector<T>& v) {
  py::array_t<T> out(static_cast<py::ssize_t>(v.size()));
  std::copy(v.begin(), v.end(), out.mutable_data());
  return out;
}

/// A HorizonPlan as the dict wfm.queueing.plan_horizon returns (vocabulary names, numpy arrays).
py::dict horizon_plan_dict(const wfm::queueing::HorizonPlan& plan);

void bind_core(py::module_& root);
void bind_queueing(py::module_& root);
void bind_queueing_omnichannel(py::module_& root);  // after bind_queueing: adds to wfm.queueing
void bind_forecast(py::module_& root);
void bind_schedule(py::module_& root);
void bind_simulation(py::module_& root);
void bind_kpi(py::module_& root);

void bind_capacity(py::module_& root);

}  // namespace wfm::python
