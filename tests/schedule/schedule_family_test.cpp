// The seeded instance family of issue 15 (bench/schedule_family.hpp): deterministic by seed,
// parameters respected.
#include <set>
#include <wfm/schedule/schedule.hpp>

#include "../../bench/schedule_family.hpp"
#include "support.hpp"

using namespace wfm::schedule;

TEST_CASE("the family has at least 40 distinct, valid instances of every kind",
          "[schedule][family]") {
  const auto fam = family::standard_family();
  REQUIRE(fam.size() >= 40);
  std::set<std::string> names, kinds, shapes, sizes;
  std::set<int> grids, breaks;
  for (const auto& p : fam) {
    names.insert(p.name);
    kinds.insert(p.kind);
    shapes.insert(p.shape);
    sizes.insert(std::string(1, p.size));
    grids.insert(p.grid_minutes);
    breaks.insert(p.breaks);
  }
  CHECK(names.size() == fam.size());
  CHECK(kinds == std::set<std::string>{"247-hard", "247-soft", "day-hard", "day-soft", "design"});
  CHECK(shapes == std::set<std::string>{"smooth", "noisy", "fragmented"});
  CHECK(sizes == std::set<std::string>{"s", "m", "l"});
  CHECK(grids == std::set<int>{15, 30, 60});
  CHECK(breaks == std::set<int>{0, 1, 2, 3});
  const std::string manifest = family::manifest_csv(fam);
  CHECK(std::count(manifest.begin(), manifest.end(), '\n') == static_cast<long>(fam.size()) + 1);
}

TEST_CASE("an instance is a function of its parameters (seed)", "[schedule][family]") {
  const auto fam = family::standard_family();
  for (std::size_t i : {std::size_t{1}, std::size_t{23}, std::size_t{40}}) {
    const auto a = family::generate(fam[i]);
    const auto b = family::generate(fam[i]);
    CHECK(a.requirement == b.requirement);
    REQUIRE(a.templates.size() == b.templates.size());
    CHECK(a.templates[0].starts == b.templates[0].starts);
    auto other = fam[i];
    other.seed += 1;
    CHECK(family::generate(other).requirement != a.requirement);
  }
  // The whole family is reproduced by the same base seed, and changed by another.
  CHECK(family::manifest_csv(family::standard_family(15)) == family::manifest_csv(fam));
  CHECK(family::generate(family::standard_family(16)[1]).requirement !=
        family::generate(fam[1]).requirement);
}

TEST_CASE("generated models respect their parameters", "[schedule][family]") {
  for (const auto& p : family::standard_family()) {
    INFO(p.name);
    const auto m = family::generate(p);
    REQUIRE_NOTHROW(validate(m));
    CHECK(m.num_intervals() == 672);
    CHECK(m.cyclic == p.cyclic);
    CHECK(m.cover.hard_cover == p.hard_cover);
    double peak = 0.0;
    for (double r : m.requirement) peak = std::max(peak, r);
    CHECK(peak > 0.0);
    const int step = p.grid_minutes / 15;
    bool fixed = false;
    for (const auto& t : m.templates) {
      fixed = fixed || t.fixed_cost > 0.0;
      for (int s : t.starts) {
        CHECK(s % step == 0);
        if (!p.cyclic) {  // opening hours: every shift inside them
          CHECK(s % 96 >= p.open_slot);
          CHECK(s % 96 + t.length <= p.close_slot);
        }
      }
    }
    CHECK(fixed == p.design);
    if (!p.design) {
      CHECK(m.templates.front().breaks.size() == static_cast<std::size_t>(p.breaks));
      CHECK(peak <= 3.0 * p.peak);  // noise is multiplicative, log-sd <= 0.25
    }
    if (!p.cyclic)  // closed hours need nobody
      for (int i = 0; i < 672; ++i)
        if (i % 96 < p.open_slot || i % 96 >= p.close_slot) CHECK(m.requirement[static_cast<std::size_t>(i)] == 0.0);
  }
}

TEST_CASE("the planted shifts of a design instance bound its optimum", "[schedule][family]") {
  // smooth: the demand is exactly the planted coverage, so the planted cost is the fixed cost
  // times the planted shifts (6-16 of them).
  const auto fam = family::standard_family();
  std::set<double> fixed_costs;
  for (const auto& p : fam) {
    if (!p.design) continue;
    const double planted = family::planted_cost(p);
    CHECK(planted > 0.0);
    fixed_costs.insert(p.fixed_cost);
    const auto m = family::generate(p);
    for (const auto& t : m.templates) CHECK(t.fixed_cost == p.fixed_cost);
    if (p.shape == "smooth") {
      CHECK(std::fmod(planted, p.fixed_cost) == 0.0);
      CHECK(planted / p.fixed_cost >= 6.0);
      CHECK(planted / p.fixed_cost <= 16.0);
    }
  }
  // Fixed costs of one, two and four agent-intervals of deviation (15 each).
  CHECK(fixed_costs == std::set<double>{15.0, 30.0, 60.0});
  CHECK(std::isnan(family::planted_cost(fam.front())));
}
