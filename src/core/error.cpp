#include <fmt/format.h>

#include <wfm/core/error.hpp>

namespace wfm::detail {

void throw_invalid(std::string_view where, std::string_view what, double got) {
  throw InvalidArgument(fmt::format("{}: {}, got {}", where, what, got));
}

void throw_invalid(std::string_view where, std::string_view what, std::string_view got) {
  throw InvalidArgument(fmt::format("{}: {}, got '{}'", where, what, got));
}

void throw_invalid(std::string_view where, std::string_view message) {
  throw InvalidArgument(fmt::format("{}: {}", where, message));
}

void throw_constraint(std::string_view where, std::string_view name, std::string_view constraint,
                      double got) {
  throw InvalidArgument(fmt::format("{}: {} {}, got {}", where, name, constraint, got));
}

}  // namespace wfm::detail
