#pragma once
/// \file
/// Named definitions of service level and average speed of answer. Tools disagree on what
/// "service level" means once callers abandon, and for Erlang A the choice changes staffing,
/// so wfm names each one. `simulation` measures the same quantities under the same names.
///
/// Notation: V = the virtual wait (the wait of an infinitely patient caller), P = patience,
/// t = target time. A caller is answered iff V <= P; the actual wait is W = min(V, P).

#include <string_view>

#include <wfm/core/error.hpp>

namespace wfm::queueing {

/// What a service level of "x % within t seconds" counts. For Erlang C (no abandonment) all
/// four coincide with 1 - C e^{-(n - a) t / AHT}. For Erlang A (exponential patience with
/// rate theta, u = e^{-theta t}) the formulas are given with ErlangA::service_level().
enum class ServiceLevelDefinition {
  /// P(answered and V <= t) over *all* arrivals; abandons count as failures. The default:
  /// what most ACDs report as "answered within t / offered".
  /// Formula: P(V <= t, V <= P) = E[e^{-theta V}; V <= t].
  answered_within,
  /// P(min(V, P) <= t): a caller who abandons before t counts as met (short abandons ignored).
  /// Formula: 1 - P(V > t) P(P > t) = 1 - u P(V > t).
  wait_within,
  /// P(V <= t): the wait an infinitely patient caller would have.
  /// Formula (Erlang A): 1 - P(wait) P(s, z u) / P(s, z), P the regularized lower incomplete
  /// gamma, s = n mu / theta, z = lambda / theta (Mandelbaum & Zeltyn 2007, section 3).
  virtual_wait_within,
  /// P(V <= t | answered): answered within t over answered calls only.
  /// Formula: P(V <= t, V <= P) / (1 - P(abandon)).
  answered_given_answered,
};

/// Over which calls the average speed of answer is averaged.
enum class AsaOver {
  all,       ///< E[min(V, P)] over all arrivals (= E[queue length] / arrival rate, Little;
             ///< for Erlang A = P(abandon) / theta)
  answered,  ///< E[V | answered] = E[V e^{-theta V}] / (1 - P(abandon)) over answered calls
};

/// The name of a definition as used in Python and on the command line.
[[nodiscard]] constexpr std::string_view to_string(ServiceLevelDefinition d) noexcept {
  switch (d) {
    case ServiceLevelDefinition::answered_within: return "answered_within";
    case ServiceLevelDefinition::wait_within: return "wait_within";
    case ServiceLevelDefinition::virtual_wait_within: return "virtual_wait_within";
    case ServiceLevelDefinition::answered_given_answered: return "answered_given_answered";
  }
  return "?";
}
[[nodiscard]] constexpr std::string_view to_string(AsaOver o) noexcept {
  return o == AsaOver::all ? "all" : "answered";
}

/// Parses a definition name. \throws InvalidArgument naming `argument` and the text.
[[nodiscard]] inline ServiceLevelDefinition parse_service_level_definition(
    std::string_view text, std::string_view argument = "definition") {
  for (auto d : {ServiceLevelDefinition::answered_within, ServiceLevelDefinition::wait_within,
                 ServiceLevelDefinition::virtual_wait_within,
                 ServiceLevelDefinition::answered_given_answered})
    if (to_string(d) == text) return d;
  detail::throw_invalid(
      argument,
      "must be one of answered_within, wait_within, virtual_wait_within, answered_given_answered",
      text);
}
/// Parses "all" or "answered". \throws InvalidArgument naming `argument` and the text.
[[nodiscard]] inline AsaOver parse_asa_over(std::string_view text,
                                            std::string_view argument = "over") {
  if (text == "all") return AsaOver::all;
  if (text == "answered") return AsaOver::answered;
  detail::throw_invalid(argument, "must be 'all' or 'answered'", text);
}

}  // namespace wfm::queueing
