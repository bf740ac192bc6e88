#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <wfm/core/error.hpp>
#include <wfm/queueing/model_registry.hpp>

#include "support/catch.hpp"

using namespace wfm::queueing;
using Catch::Matchers::Contains;

TEST_CASE("model registry: names build the models they name", "[queueing][registry]") {
  CHECK(model_names().size() == 6);
  const double rate = 120.0 / 3600.0;
  // blending: the reserve and the outbound handle time (0: the inbound AHT) reach the model
  const AnyQueueModel blend = make_model({.name = "blending", .reserve = 3}, rate, 300.0);
  REQUIRE(std::holds_alternative<Blending>(blend));
  CHECK(std::get<Blending>(blend).reserve() == 3);
  CHECK(std::get<Blending>(blend).outbound_handle_time() == 300.0);
  CHECK(std::get<Blending>(make_model(
            {.name = "blending", .reserve = 1, .outbound_handle_time = 600.0}, rate, 300.0))
            .outbound_handle_time() == 600.0);
  CHECK(std::holds_alternative<ErlangC>(make_model({.name = "erlang_c"}, rate, 300.0)));
  CHECK(std::holds_alternative<ErlangC>(make_model({.name = "erlang_a"}, rate, 300.0)));
  CHECK(std::holds_alternative<ErlangA>(
      make_model({.name = "erlang_a", .patience = 120.0}, rate, 300.0)));
  const AnyQueueModel chat = make_model(
      {.name = "chat", .patience = 120.0, .handle_time_factors = {1.0, 1.4, 1.8}}, rate, 300.0);
  REQUIRE(std::holds_alternative<ChatConcurrency>(chat));
  CHECK(std::get<ChatConcurrency>(chat).handle_time_by_concurrency() ==
        std::vector<double>{300.0, 420.0, 540.0});
  CHECK(std::holds_alternative<ErlangX>(make_model(
      {.name = "erlang_x", .patience = 120.0, .lines = 10, .redial_probability = 0.3}, rate,
      300.0)));
  const AnyQueueModel g = make_model({.name = "general_patience", .patience = 120.0,
                                      .patience_distribution = "lognormal",
                                      .patience_shape = 0.5},
                                     rate, 300.0);
  REQUIRE(std::holds_alternative<GeneralPatience>(g));
  CHECK(std::get<GeneralPatience>(g).patience().kind == PatienceDistribution::Kind::lognormal);
  const AnyQueueModel k = make_model({.name = "general_patience", .patience = 120.0,
                                      .patience_distribution = "gamma", .patience_shape = 4.0},
                                     rate, 300.0);
  REQUIRE(std::holds_alternative<GeneralPatience>(k));
  CHECK(std::get<GeneralPatience>(k).patience().kind == PatienceDistribution::Kind::gamma);
  CHECK_THROWS_WITH(make_model({.name = "general_patience", .patience = 120.0,
                                .patience_distribution = "pareto"},
                               rate, 300.0),
                    Contains("pareto"));
  CHECK_THROWS_WITH(make_model({.name = "erlang_z"}, rate, 300.0), Contains("erlang_z"));
  CHECK_THROWS_AS(make_model({.name = "chat", .patience = 120.0, .handle_time_factors = {2.0}},
                             rate, 300.0),
                  wfm::InvalidArgument);
}

// The registry's horizon plan equals required_agents on each interval's own model.
TEST_CASE("model registry: plan_horizon staffs a chat queue per interval",
          "[queueing][registry]") {
  const ModelSpec spec{.name = "chat", .patience = 120.0, .handle_time_factors = {1.0, 1.4, 1.8}};
  const std::vector<double> volumes{0.0, 30.0, 60.0, 120.0};  // per 30 minutes
  const std::vector<double> aht{300.0};
  const StaffingGoal goal{.service_level = 0.8, .target_time = 60.0};
  const HorizonPlan plan = plan_horizon(spec, volumes, aht, 1800.0, goal, 0.25);
  REQUIRE(plan.size() == 4);
  CHECK(plan.agents_required[0] == 0.0);
  CHECK(plan.agents_required[2] == 6.0);  // 120 chats per hour: the worked example of chat_concurrency.hpp
  for (std::size_t i = 1; i < 4; ++i) {
    const StaffingResult r = required_agents(spec, volumes[i] / 1800.0, 300.0, goal);
    CHECK(plan.agents_required[i] == r.agents_required);
    CHECK(plan.agents_required_gross[i] == r.agents_required / 0.75);
    CHECK(plan.service_level[i] >= 0.8);
  }
  CHECK(plan.agents_required[3] > plan.agents_required[2]);
  CHECK_THROWS_AS(plan_horizon(spec, volumes, aht, 0.0, goal), wfm::InvalidArgument);
  const std::vector<double> bad{1.0, -1.0};
  CHECK_THROWS_AS(plan_horizon(spec, bad, aht, 1800.0, goal), wfm::InvalidArgument);
}

// Patience per interval replaces spec.patience: each interval equals the plan of a spec with
// that interval's patience alone (the model is rebuilt per interval, nothing is shared).
TEST_CASE("model registry: plan_horizon with a patience per interval", "[queueing][registry]") {
  const ModelSpec spec{.name = "general_patience", .patience_distribution = "deterministic"};
  const std::vector<double> volumes{60.0, 60.0}, aht{300.0}, patience{30.0, 240.0};
  const StaffingGoal goal{.service_level = 0.8, .target_time = 60.0};
  const HorizonPlan plan = plan_horizon(spec, volumes, aht, 1800.0, patience, goal);
  for (std::size_t i = 0; i < 2; ++i) {
    ModelSpec one = spec;
    one.patience = patience[i];
    CHECK(plan.agents_required[i] == required_agents(one, 60.0 / 1800.0, 300.0, goal).agents_required);
  }
  const std::vector<double> wrong{30.0, 60.0, 90.0};
  CHECK_THROWS_AS(plan_horizon(spec, volumes, aht, 1800.0, wrong, goal), wfm::InvalidArgument);
}

// A law of its own (patience_distribution piecewise_hazard or estimated, spec.patience_law):
// the mean patience per interval is unused, every interval takes the law. The laws are the
// rows of examples/data/staff_patience_hazard.csv and staff_patience_survival.csv, the traffic
// that of staff_hour.csv (120 contacts in an hour, AHT 300 s): the numbers wfm-staff prints for
// them (cli:staff:model_general_piecewise_hazard, cli:staff:model_general_estimated).
TEST_CASE("model registry: general_patience with a law of its own", "[queueing][registry]") {
  const double inf = std::numeric_limits<double>::infinity();
  const StaffingGoal goal{.service_level = 0.8, .target_time = 60.0};
  const std::vector<double> volumes{120.0, 0.0}, aht{300.0};
  struct Case {
    std::string name;
    PatienceDistribution law;
    double mean, service_level;  // the CLI's patience_s and service_level (6 decimals)
  };
  // Mean of the piecewise-exponential law: int_0^inf G = (1 - e^-0.12) / 0.004
  // + e^-0.12 (1 - e^-0.72) / 0.008 + e^-0.84 / 0.016 (G = exp(-int h), by hand).
  const double hazard_mean = (1.0 - std::exp(-0.12)) / 0.004 +
                             std::exp(-0.12) * (1.0 - std::exp(-0.72)) / 0.008 +
                             std::exp(-0.84) / 0.016;
  const std::vector<Case> cases{
      {"piecewise_hazard", PatienceDistribution::piecewise_hazard({30.0, 120.0}, {0.004, 0.008, 0.016}),
       hazard_mean, 0.829791},
      {"estimated",
       PatienceDistribution::from_survival({15.0, 30.0, 60.0, 120.0, 180.0},
                                           {0.95, 0.88, 0.75, 0.55, 0.42}),
       207.500358, 0.807871}};
  for (const Case& c : cases) {
    INFO(c.name);
    const ModelSpec spec{.name = "general_patience", .patience_distribution = c.name,
                         .patience_law = c.law};
    CHECK(c.law.mean == Approx(c.mean).epsilon(1e-8));
    const std::vector<double> patience{inf, 50.0};  // unused: the law has its own mean
    const HorizonPlan plan = plan_horizon(spec, volumes, aht, 3600.0, patience, goal);
    const GeneralPatience model(120.0 / 3600.0, 300.0, c.law);
    REQUIRE(plan.agents_required[0] == 11.0);
    CHECK(model.service_level(10.0, 60.0) < 0.8);  // 11 is the least staffing meeting the goal
    CHECK(plan.service_level[0] == Approx(model.service_level(11.0, 60.0)).epsilon(1e-12));
    CHECK(plan.service_level[0] == Approx(c.service_level).margin(5e-7));
    CHECK(plan.agents_required[1] == 0.0);
  }
  // The law only with its names, and its names only with a law.
  const PatienceDistribution law = cases[0].law;
  CHECK_THROWS_WITH(make_model({.name = "general_patience", .patience = 120.0,
                                .patience_distribution = "gamma", .patience_law = law},
                               0.01, 300.0),
                    Contains("patience_law is set, so patience_distribution must be piecewise_hazard or "
                             "estimated, got 'gamma'"));
  CHECK_THROWS_WITH(make_model({.name = "general_patience",
                                .patience_distribution = "estimated"}, 0.01, 300.0),
                    Contains("estimated needs patience_law"));
}
