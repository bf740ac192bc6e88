#include <cmath>
#include <limits>
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
  CHECK_THROWS_WITH(make_model({.name = "general_patience", .patience = 120.0,
                                .patience_distribution = "gamma"},
                               rate, 300.0),
                    Contains("gamma"));
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
