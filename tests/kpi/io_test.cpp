#include <wfm/queueing/definitions.hpp>
// (keep: definitions.hpp first, see tests/simulation/validation_test.cpp)
#include <wfm/kpi/io.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <wfm/core/vocabulary.hpp>
#include <wfm/core/error.hpp>

#include "support/catch.hpp"

using namespace wfm::kpi;
using Catch::Matchers::Contains;

namespace {
std::string write_temp(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}
const std::string header =
    "arrival,outcome,wait_s,talk_s,hold_s,acw_s,customer,transferred,csat,queue\n";
}  // namespace

TEST_CASE("contact log CSV: columns, flags, queue filter", "[kpi][io]") {
  const std::string path = write_temp(
      "wfm_kpi_io_1.csv",
      header + "2026-03-02 08:05:00,answered,10,100,,20,A,yes,5,sales\n"
               "2026-03-02 08:01:00,abandoned,4,,,,,,,sales\n"
               "2026-03-02 08:02:00,answered,0,50,0,0,\"B, Ltd\",0,,service\n");
  ContactKpiAccumulator all(ContactKpiOptions{});
  CHECK(read_contact_log(path, all) == 3);
  const ContactKpis k = all.finish();
  REQUIRE(k.intervals.size() == 1);
  CHECK(k.overall.volume == 3);
  CHECK(k.overall.aht_s == 85.0);  // (100 + 0 + 20 + 50) / 2: an empty hold_s is 0
  CHECK(k.overall.transfer_rate == 0.5);
  CHECK(k.overall.short_abandoned == 1);
  ContactKpiAccumulator sales(ContactKpiOptions{});
  CHECK(read_contact_log(path, sales, {.queue = "sales"}) == 2);
  CHECK(sales.finish().overall.volume == 2);
}

TEST_CASE("contact log CSV: bad rows name file, line and column", "[kpi][io]") {
  ContactKpiAccumulator acc(ContactKpiOptions{});
  const auto fails = [&](const std::string& row, const std::string& what) {
    const std::string path = write_temp("wfm_kpi_io_2.csv", header + row);
    CHECK_THROWS_WITH(read_contact_log(path, acc), Contains(path + ", line 2") && Contains(what));
  };
  fails("2026-03-02 08:00,lost,1,1,,,,,,\n", "column 'outcome'");
  fails("2026-03-02 08:00,answered,-1,1,,,,,,\n", "column 'wait_s'");
  fails("2026-03-02 08:00,answered,1,,,,,,,\n", "column 'talk_s'");
  fails("2026-03-02 25:00,answered,1,1,,,,,,\n", "column 'arrival'");
  fails("2026-03-02 08:00,answered,1,1,,,,maybe,,\n", "column 'transferred'");
  fails("2026-03-02 08:00,answered,1e9,1,,,,,,\n", "max_duration_s");
  CHECK_THROWS_WITH(read_contact_log(write_temp("wfm_kpi_io_3.csv", "arrival,wait_s\n"), acc),
                    Contains("outcome"));
}

TEST_CASE("interval KPI CSV: every column is in the vocabulary", "[kpi][io]") {
  ContactKpiAccumulator acc(ContactKpiOptions{});
  Contact c;
  c.arrival = 1772438400;  // 2026-03-02 08:00
  c.talk_s = 10.0;
  acc.add(c);
  acc.add_staffed_time(c.arrival, 900.0, 1.0);
  const ContactKpis k = acc.finish();
  std::istringstream csv(to_csv(k));
  std::string head, row;
  std::getline(csv, head);
  std::getline(csv, row);
  CHECK(row.rfind("2026-03-02 08:00,900,1,1,0,", 0) == 0);
  std::istringstream cols(head);
  std::string col;
  while (std::getline(cols, col, ',')) {
    INFO(col);
    if (col.rfind("service_level_", 0) == 0) {  // service_level_<definition>_<t>s
      bool known = false;
      for (const auto& key : k.service_levels) known = known || col == service_level_column(key);
      CHECK(known);
      CHECK(wfm::in_vocabulary("service_level"));
    } else {
      CHECK(wfm::in_vocabulary(col));
    }
  }
}
