// Invariants of the engine on many random small scenarios (random staffing, rosters with
// breaks and overlapping shifts, cyclic or not, all distribution kinds, busyness, warm-up):
// every offered call ends answered, abandoned or unserved; fractions lie in [0, 1]; busy time
// never exceeds available time; the service-level definitions are ordered as their
// definitions imply. Scenarios come from a fixed-seed generator, so the test is reproducible.
#include <wfm/simulation/simulation.hpp>

#include "support/catch.hpp"

using namespace wfm::simulation;
using D = wfm::queueing::ServiceLevelDefinition;

namespace {

Distribution random_distribution(Xoshiro256pp& g, bool allow_none) {
  const auto k = static_cast<int>(uniform01(g) * (allow_none ? 4 : 3));
  const double mean = 20.0 + 300.0 * uniform01(g);
  switch (k) {
    case 0: return Distribution::exponential(mean);
    case 1: return Distribution::lognormal(mean, 2.0 * uniform01(g));
    case 2: {
      std::vector<double> s;
      const int n = 1 + static_cast<int>(uniform01(g) * 5);
      for (int i = 0; i < n; ++i) s.push_back(std::floor(2.0 * mean * uniform01(g)) + 1.0);
      return Distribution::empirical(s);
    }
    default: return Distribution::none();
  }
}

Scenario random_scenario(Xoshiro256pp& g) {
  Scenario s;
  s.interval_length = 300.0 + 1500.0 * uniform01(g);
  const int n = 1 + static_cast<int>(uniform01(g) * 6);
  for (int i = 0; i < n; ++i) s.arrival_rate.push_back(uniform01(g) * 0.1);
  s.handle_time = random_distribution(g, false);
  s.patience = random_distribution(g, true);
  if (uniform01(g) < 0.3) {
    s.handle_time_mean.clear();
    for (int i = 0; i < n; ++i) s.handle_time_mean.push_back(30.0 + 200.0 * uniform01(g));
  }
  if (uniform01(g) < 0.3) s.busyness.cv = 0.3 * uniform01(g);
  s.cyclic = uniform01(g) < 0.3;
  const double H = s.horizon_length();
  if (uniform01(g) < 0.5) {
    std::vector<int> a;
    for (int i = 0; i < n; ++i) a.push_back(static_cast<int>(uniform01(g) * 12));
    s.staffing = a;
  } else {
    wfm::Roster r;
    r.horizon_length = H;
    r.cyclic = s.cyclic;
    const int shifts = 1 + static_cast<int>(uniform01(g) * 4);
    for (int k = 0; k < shifts; ++k) {
      wfm::ShiftSpan sh;
      sh.start = std::floor(uniform01(g) * H);
      sh.end = sh.start + std::max(1.0, std::floor(uniform01(g) * H));
      sh.agents = static_cast<int>(uniform01(g) * 6);
      const int breaks = static_cast<int>(uniform01(g) * 3);
      for (int b = 0; b < breaks; ++b)
        sh.breaks.push_back({sh.start + std::floor(uniform01(g) * (sh.end - sh.start)),
                             std::floor(uniform01(g) * 600.0)});
      r.shifts.push_back(sh);
    }
    s.staffing = r;
  }
  return s;
}

}  // namespace

TEST_CASE("engine invariants hold on random scenarios", "[simulation][invariants]") {
  Xoshiro256pp g(20261126);
  for (int trial = 0; trial < 150; ++trial) {
    const Scenario s = random_scenario(g);
    REQUIRE_NOTHROW(validate(s));
    RunOptions o;
    o.replications = 3;
    o.seed = static_cast<std::uint64_t>(trial);
    o.threads = 1 + trial % 2;
    o.warmup = uniform01(g) < 0.5 ? 0.0 : 1000.0 * uniform01(g);
    o.target_times = {0.0, 15.0, 60.0};
    const auto r = simulate(s, o);
    INFO("trial " << trial);
    REQUIRE(r.intervals.size() == s.intervals());
    std::vector<const Measures*> all;
    for (const auto& m : r.intervals) all.push_back(&m);
    all.push_back(&r.total);
    for (const Measures* m : all) {
      const double ended = m->answered.value + m->abandoned.value + m->unserved.value;
      CHECK(ended == Approx(m->volume.value).margin(1e-9));
      CHECK(m->occupancy.value >= 0.0);
      CHECK(m->occupancy.value <= 1.0 + 1e-12);
      CHECK(m->abandon_rate.value >= 0.0);
      CHECK(m->abandon_rate.value <= 1.0);
      CHECK(m->asa_s.value >= 0.0);
      CHECK(m->asa_answered_s.value >= 0.0);
      for (double t : o.target_times) {
        auto sl = [&](D d) {
          return m->service_level[static_cast<std::size_t>(r.service_level_index(d, t))].value;
        };
        const double aw = sl(D::answered_within), ww = sl(D::wait_within),
                     vw = sl(D::virtual_wait_within), ga = sl(D::answered_given_answered);
        for (double x : {aw, ww, vw, ga}) {
          CHECK(x >= 0.0);
          CHECK(x <= 1.0 + 1e-12);
        }
        // answered & V <= t implies V <= t, which implies min(V, P) <= t.
        CHECK(aw <= vw + 1e-12);
        CHECK(vw <= ww + 1e-12);
        if (m->answered.value > 0.0 && m->volume.value > 0.0) CHECK(aw <= ga + 1e-12);
      }
      // Larger targets never lower a service level.
      for (D d : {D::answered_within, D::wait_within, D::virtual_wait_within}) {
        double prev = -1.0;
        for (double t : o.target_times) {
          const double x =
              m->service_level[static_cast<std::size_t>(r.service_level_index(d, t))].value;
          CHECK(x >= prev - 1e-12);
          prev = x;
        }
      }
    }
  }
}
