#include <filesystem>
#include <fstream>
#include <wfm/core/error.hpp>
#include <wfm/schedule/schedule.hpp>

#include "schedule/support.hpp"
#include "support/catch.hpp"
#include "support/data.hpp"

using namespace wfm::schedule;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;

using wfm::test::require_checked;

TEST_CASE("model JSON: fields, start ranges, errors naming the field", "[schedule][io]") {
  const char* text = R"({"interval_minutes": 30, "cyclic": false, "demand": [1, 2, 2, 1],
    "over_cost": 0.5,
    "shift_templates": [{"name": "S", "length": 2, "paid": 2, "cost": 2.0,
                         "starts": {"from": 0, "to": 2},
                         "breaks": [], "max_agents": 5}]})";
  const CoverageModel m = parse_model_json(text, "mem.json");
  CHECK(m.interval_length == 1800.0);
  CHECK(m.requirement == std::vector<double>{1, 2, 2, 1});
  REQUIRE(m.templates.size() == 1);
  CHECK(m.templates[0].starts == std::vector<int>{0, 1, 2});
  CHECK(m.templates[0].max_agents == 5);
  CHECK(m.cover.over_cost == 0.5);
  CHECK_THROWS_WITH(parse_model_json(R"({"demand": [1], "shift_templates": [{"starts": [0]}]})", "x.json"),
                    Contains("x.json") && Contains("shift_templates[0].length"));
  CHECK_THROWS_WITH(parse_model_json(R"({"demand": [1, "a"], "shift_templates": []})", "y.json"),
                    Contains("demand[1]"));
  CHECK_THROWS_WITH(parse_model_json("{", "z.json"), Contains("not valid JSON"));
  // Found by the fuzz target (fuzz/corpus/model_json/number_overflow.json): a number beyond
  // double's range is nlohmann's out_of_range 406, not a parse_error, and escaped as terminate.
  CHECK_THROWS_AS(parse_model_json(R"({"demand": [9e99999]})", "o.json"), wfm::InvalidArgument);
  CHECK_THROWS_WITH(parse_model_json(R"({"demand": [9e99999]})", "o.json"),
                    Contains("o.json") && Contains("not valid JSON"));
  const Schedule s = solve(m, {.time_limit = 5.0});
  require_checked(m, s);
  CHECK(s.cost == 6.0);  // one shift at each of starts 0, 1, 2 covers 1,2,2,1 exactly
  const std::string js = schedule_to_json(m, s);
  CHECK_THAT(js, Contains("\"status\"") && Contains("\"coverage\""));
  CHECK_THAT(schedule_to_csv(m, s), Contains("template,start,end,agents,breaks"));
  CHECK_THAT(coverage_to_csv(m, s), Contains("timestamp,agents_required,agents,under,over"));
}

TEST_CASE("msd .dzn: templates per distinct shift, soft cover, fixed cost", "[schedule][io]") {
  const char* text =
      "interval = 360;\ndays = 1;\ndemand = [0, 2, 2, 0];\nshiftTypes = 1;\nminStart = [1];\n"
      "maxStart = [1];\nminLength = [2];\nmaxLength = [3];\nminDuties = 0;\nmaxDuties = 5;\n"
      "avgMinutes = 0;\nweightUnderCover = 1;\nweightOverCover = 2;\nweightDutiesPerWeek = 0;\n"
      "weightShiftInstances = 60;\n";
  const CoverageModel m = parse_msd_dzn(text, "mem.dzn");
  CHECK(m.cyclic);
  CHECK_FALSE(m.cover.hard_cover);
  CHECK(m.cover.under_cost == 360.0);
  CHECK(m.cover.over_cost == 720.0);
  REQUIRE(m.templates.size() == 2);  // (start 1, length 2) and (start 1, length 3)
  CHECK(m.templates[0].fixed_cost == 60.0);
  const Schedule s = solve(m, {.time_limit = 5.0});
  require_checked(m, s);
  CHECK(s.cost == 60.0);  // two agents on the length-2 shift: no deviation, one shift used
  CHECK_THROWS_WITH(parse_msd_dzn("interval = 60;\ndays = 1;\ndemand = [1];\n", "bad.dzn"),
                    Contains("demand"));
}

TEST_CASE("requirement CSV", "[schedule][io]") {
  const auto dir = std::filesystem::temp_directory_path() / "wfm_schedule_io_test";
  std::filesystem::create_directories(dir);
  const auto p = (dir / "req.csv").string();
  std::ofstream(p) << "interval,agents\n0,1\n1,2.5\n";
  CHECK(read_requirement_csv(p) == std::vector<double>{1.0, 2.5});
  std::ofstream(p) << "interval,agents\n0,1\n1,-2\n";
  CHECK_THROWS_WITH(read_requirement_csv(p), Contains("line 3"));
  std::filesystem::remove_all(dir);
}

// Reference LP bounds: ../shared/data/sched/README.md (LP of the implicit-break model).
TEST_CASE("cc instances: LP bound as published", "[schedule][io][shared]") {
  WFM_REQUIRE_SHARED_DATA("sched/cc/cc-day-s.json");
  const std::pair<const char*, double> cases[] = {{"cc-day-s", 10273.8}, {"cc-247-s", 11482.3}};
  for (auto [name, lp] : cases) {
    const CoverageModel m = read_model_json(wfm::test::shared_data(std::string("sched/cc/") + name + ".json").string());
    CHECK(m.num_intervals() == 672);
    const Schedule s = solve_lp(m, {.time_limit = 120.0});
    CHECK(s.status == wfm::Status::optimal);
    CHECK_THAT(s.lp_bound, WithinAbs(lp, 0.05));
  }
}

TEST_CASE("cc-day-s: a checked schedule within 2 % in a short run", "[schedule][io][shared]") {
  WFM_REQUIRE_SHARED_DATA("sched/cc/cc-day-s.json");
  const CoverageModel m = read_model_json(wfm::test::shared_data("sched/cc/cc-day-s.json").string());
  const Schedule s = solve(m, {.time_limit = 3.0, .use_cbc = false});
  require_checked(m, s);
  CHECK(s.cost >= 10273.8);  // the published LP bound
  CHECK(s.cost <= 1.02 * 10273.8);
}

TEST_CASE("msd RandomExample1: checked, never below the known optimum 480", "[schedule][io][shared]") {
  WFM_REQUIRE_SHARED_DATA("sched/msd/DataSet1/RandomExample1.dzn");
  const CoverageModel m = read_msd_dzn(wfm::test::shared_data("sched/msd/DataSet1/RandomExample1.dzn").string());
  const Schedule s = solve(m, {.time_limit = 3.0});
  require_checked(m, s);
  CHECK(s.cost >= 480.0 - 1e-9);  // proven optimum (README)
  CHECK(s.lower_bound <= 480.0 + 1e-9);
}

// Long runs: the targets of the issue (see bench/RESULTS.md for the numbers).
TEST_CASE("msd instances reach their known optimum", "[schedule][io][shared][.slow]") {
  WFM_REQUIRE_SHARED_DATA("sched/msd");
  const std::pair<const char*, double> cases[] = {{"DataSet1/RandomExample1", 480},
                                                  {"DataSet1/RandomExample2", 300},
                                                  {"DataSet2/RandomExample26", 1020},
                                                  {"DataSet3/RandomExample23", 8280}};
  for (auto [name, opt] : cases) {
    const CoverageModel m = read_msd_dzn(wfm::test::shared_data(std::string("sched/msd/") + name + ".dzn").string());
    const Schedule s = solve(m, {.time_limit = 60.0});
    INFO(name);
    require_checked(m, s);
    CHECK_THAT(s.cost, WithinAbs(opt, 1e-6));
  }
}

TEST_CASE("cc instances within 0.5 % of the LP bound in 10 s", "[schedule][io][shared][.slow]") {
  WFM_REQUIRE_SHARED_DATA("sched/cc");
  for (const char* name : {"cc-day-s", "cc-day-m", "cc-day-l", "cc-247-s", "cc-247-m", "cc-247-l"}) {
    const CoverageModel m = read_model_json(wfm::test::shared_data(std::string("sched/cc/") + name + ".json").string());
    const Schedule s = solve(m, {.time_limit = 10.0});
    INFO(name << " cost " << s.cost << " lp " << s.lp_bound);
    require_checked(m, s);
    CHECK(s.cost <= 1.005 * s.lp_bound);
  }
}
