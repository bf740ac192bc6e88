#pragma once
/// \file
/// wfm's error model. Bad input throws InvalidArgument (Python: ValueError) naming the
/// argument and the value; outcomes (unstable queue, infeasible schedule, time limit, a fit
/// that did not converge) are status fields in results and never exceptions.

#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>

namespace wfm {

/// Misuse: an argument outside its domain. Derives from std::invalid_argument, which pybind11
/// translates to Python's ValueError.
class InvalidArgument : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// A broken back-end (an LP solver that failed in an unexpected way). Never used for
/// "infeasible" or "time limit": those are statuses.
class SolverError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace detail {

/// Throws InvalidArgument with "<where>: <what>, got <value>".
[[noreturn]] void throw_invalid(std::string_view where, std::string_view what, double got);
[[noreturn]] void throw_invalid(std::string_view where, std::string_view what,
                                std::string_view got);
[[noreturn]] void throw_invalid(std::string_view where, std::string_view message);
/// Throws InvalidArgument with "<where>: <name> <constraint>, got <value>".
[[noreturn]] void throw_constraint(std::string_view where, std::string_view name,
                                   std::string_view constraint, double got);

/// x must be finite and >= 0 (NaN fails).
inline void require_nonnegative(std::string_view where, std::string_view name, double x) {
  if (!(x >= 0.0) || x == std::numeric_limits<double>::infinity())
    throw_constraint(where, name, "must be finite and >= 0", x);
}
/// x must be finite and > 0 (NaN fails).
inline void require_positive(std::string_view where, std::string_view name, double x) {
  if (!(x > 0.0) || x == std::numeric_limits<double>::infinity())
    throw_constraint(where, name, "must be finite and > 0", x);
}
/// x must be > 0; +inf is allowed (e.g. an infinitely patient caller).
inline void require_positive_or_inf(std::string_view where, std::string_view name, double x) {
  if (!(x > 0.0)) throw_constraint(where, name, "must be > 0 (inf allowed)", x);
}
/// p must lie in the open interval (0, 1).
inline void require_open_unit(std::string_view where, std::string_view name, double p) {
  if (!(p > 0.0 && p < 1.0)) throw_constraint(where, name, "must be in (0, 1)", p);
}
/// p must lie in the closed interval [0, 1].
inline void require_unit(std::string_view where, std::string_view name, double p) {
  if (!(p >= 0.0 && p <= 1.0)) throw_constraint(where, name, "must be in [0, 1]", p);
}

}  // namespace detail
}  // namespace wfm
