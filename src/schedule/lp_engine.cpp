// Picks the LP and MIP back ends of wfm::schedule::Engine (clp_backend.cpp, cbc_backend.cpp and,
// with WFM_WITH_HIGHS, highs_backend.cpp).
#include <wfm/core/error.hpp>

#include "lp_backend.hpp"

namespace wfm::schedule {

Engine engine_from_string(std::string_view name) {
  for (Engine e : {Engine::clp_cbc, Engine::highs, Engine::clp_highs})
    if (to_string(e) == name) return e;
  wfm::detail::throw_invalid("engine", "must be clp_cbc, highs or clp_highs", name);
}

bool highs_available() noexcept {
#ifdef WFM_WITH_HIGHS
  return true;
#else
  return false;
#endif
}

namespace detail {

namespace {
void require_built_in(Engine engine) {
  if (engine != Engine::clp_cbc && !highs_available())
    wfm::detail::throw_invalid("engine",
                               "needs HiGHS, which this build of wfm does not have (configure "
                               "with -DWFM_WITH_HIGHS=ON)",
                               to_string(engine));
}
}  // namespace

std::unique_ptr<LpSolver> make_lp_solver(Engine engine, bool barrier, bool cpu_time) {
  require_built_in(engine);
#ifdef WFM_WITH_HIGHS
  if (engine == Engine::highs) return make_highs_solver(barrier, cpu_time);
#else
  (void)cpu_time;
#endif
  return make_clp_solver(barrier);
}

MipResult solve_mip(Engine engine, const SparseLp& lp, const std::vector<char>& is_int,
                    const std::vector<double>& start, double time_limit, double rel_gap,
                    std::uint64_t seed, bool cpu_time) {
  require_built_in(engine);
#ifdef WFM_WITH_HIGHS
  if (engine != Engine::clp_cbc)
    return solve_mip_highs(lp, is_int, start, time_limit, rel_gap, seed, cpu_time);
#endif
  return solve_mip_cbc(lp, is_int, start, time_limit, rel_gap, seed, cpu_time);
}

}  // namespace detail
}  // namespace wfm::schedule
