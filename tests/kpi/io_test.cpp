#include <wfm/queueing/definitions.hpp>
// (keep: definitions.hpp first, see tests/simulation/validation_test.cpp)
#include <wfm/kpi/io.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <wfm/core/calendar.hpp>
#include <wfm/core/vocabulary.hpp>
#include <wfm/core/error.hpp>

#include "support/catch.hpp"
#include "support/data.hpp"

using namespace wfm::kpi;
using Catch::Matchers::Contains;

namespace {
using wfm::test::write_temp;
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

TEST_CASE("contact log CSV: arrival times of the same date read fast, checked as ever",
          "[kpi][io]") {
  // Same date (the time of day parsed alone), HH:MM and HH:MM:SS, 'T', a new date, a date
  // before: intervals as wfm::parse_timestamp gives them.
  const std::string path = write_temp(
      "wfm_kpi_io_4.csv", header + "2026-03-02 08:00:00,answered,1,10,,,,,,\n"
                                   "2026-03-02 08:16,answered,1,10,,,,,,\n"
                                   "2026-03-02 23:59:59,answered,1,10,,,,,,\n"
                                   "2026-03-03T00:00:01,answered,1,10,,,,,,\n"
                                   "2026-03-03 00:14:59,answered,1,10,,,,,,\n"
                                   "2026-03-01 12:00,answered,1,10,,,,,,\n");
  ContactKpiAccumulator acc(ContactKpiOptions{});
  CHECK(read_contact_log(path, acc) == 6);
  const ContactKpis k = acc.finish();
  std::vector<std::string> at;
  for (const auto& r : k.intervals) at.push_back(wfm::format_timestamp(r.timestamp));
  // (00:15 holds only the busy time of the 00:14:59 contact: answered after 1 s, 10 s long.)
  CHECK(at == std::vector<std::string>{"2026-03-01 12:00", "2026-03-02 08:00", "2026-03-02 08:15",
                                       "2026-03-02 23:45", "2026-03-03 00:00",
                                       "2026-03-03 00:15"});
  REQUIRE(k.intervals.size() == 6);
  CHECK(k.intervals[4].volume == 2);
  CHECK(k.intervals[5].busy_s == 10.0);
  // A bad time of day after a good row of the same date is still an error naming the row.
  for (const char* bad : {"2026-03-02 08:60", "2026-03-02 24:00:00", "2026-03-02 08:0x",
                          "2026-03-02 08:00:61", "2026-03-02 08-00"}) {
    const std::string p = write_temp("wfm_kpi_io_5.csv",
                                     header + "2026-03-02 08:00,answered,1,10,,,,,,\n" + bad +
                                         ",answered,1,10,,,,,,\n");
    ContactKpiAccumulator a(ContactKpiOptions{});
    INFO(bad);
    CHECK_THROWS_WITH(read_contact_log(p, a), Contains("line 3, column 'arrival'"));
  }
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

// The hand-computed agent of tests/kpi/adherence_test.cpp, as CSV files in shuffled order.
namespace {
const std::string schedule_csv =
    "activity,agent,start,end\n"  // any column order
    "break,a1,2026-03-02 10:00,2026-03-02 10:15\n"
    "shift,a1,2026-03-02 08:00,2026-03-02 12:00\n";
const std::string states_csv =
    "timestamp,agent,state\n"
    "2026-03-02 10:20,a1,available\n2026-03-02 07:58,a1,available\n"
    "2026-03-02 09:00,a1,offline\n2026-03-02 08:30,a1,on_contact\n"
    "2026-03-02 10:02,a1,break\n2026-03-02 09:10,a1,available\n"
    "2026-03-02 12:05,a1,offline\n2026-03-02 08:00,\"a,2\",available\n";
}  // namespace

TEST_CASE("adherence from CSV: the hand-computed agent and the CSV outputs", "[kpi][io]") {
  const std::string s = write_temp("wfm_kpi_sched_1.csv", schedule_csv);
  const std::string t = write_temp("wfm_kpi_states_1.csv", states_csv);
  const AdherenceResult r = read_adherence(s, t);
  REQUIRE(r.agents.size() == 2);
  CHECK(r.agents[0].agent == "a,2");  // no schedule: unknown, its time unscheduled
  CHECK(r.agents[1].adherence == 0.9375);  // (14,400 - 900) / 14,400, see adherence_test.cpp
  CHECK(r.unknown_agents == std::vector<std::string>{"a,2"});
  const std::string agents = agent_adherence_to_csv(r);
  CHECK(agents.rfind("agent,scheduled_s,adherent_s,work_scheduled_s,worked_s,adherence,"
                     "conformance\n\"a,2\",0,0,0,",
                     0) == 0);
  CHECK_THAT(agents, Contains("\na1,14400,13500,13500,13140,0.9375,0.9733333333\n"));
  CHECK(exceptions_to_csv(r) ==
        "agent,start,end,activity,state\n"
        "a1,2026-03-02 09:00,2026-03-02 09:10,shift,offline\n"
        "a1,2026-03-02 10:01,2026-03-02 10:02,break,available\n"
        "a1,2026-03-02 10:16,2026-03-02 10:20,shift,break\n");
  // 1,080 s on break and 600 s offline of 14,400 s scheduled (adherence_test.cpp).
  CHECK(shrinkage_to_csv(r) ==
        "state,time_in_state_s,shrinkage\nbreak,1080,0.075\noffline,600,0.04166666667\n");
  const std::string days = adherence_to_csv(r.days, wfm::seconds_per_day);
  CHECK(days.rfind("timestamp,interval_length_s,scheduled_s,", 0) == 0);
  CHECK_THAT(days, Contains("\n2026-03-02 00:00,86400,14400,13500,13500,"));
  // Every header is in the vocabulary.
  for (const std::string& csv : {agents, exceptions_to_csv(r), shrinkage_to_csv(r), days,
                                 adherence_to_csv(r.intervals, 900)}) {
    std::istringstream cols(csv.substr(0, csv.find('\n')));
    std::string col;
    while (std::getline(cols, col, ',')) {
      INFO(col);
      CHECK(wfm::in_vocabulary(col));
    }
  }
}

TEST_CASE("adherence from CSV: bad rows name file, line and column", "[kpi][io]") {
  const std::string s = write_temp("wfm_kpi_sched_2.csv", schedule_csv);
  const std::string t = write_temp("wfm_kpi_states_2.csv", states_csv);
  const auto sched_fails = [&](const std::string& text, const std::string& what) {
    const std::string p = write_temp("wfm_kpi_sched_3.csv", text);
    CHECK_THROWS_WITH(read_adherence(p, t), Contains(p + ", line ") && Contains(what));
  };
  sched_fails(schedule_csv + "shift,a1,2026-03-02 13:00,2026-03-02 13:00\n",
              "line 4, column 'end': end 2026-03-02 13:00 is not after start");
  sched_fails("agent,start,end,activity\n,2026-03-02 08:00,2026-03-02 09:00,shift\n",
              "line 2, column 'agent': must not be empty");
  sched_fails("agent,start,end,activity\na1,2026-03-02 08:00,2026-03-02 8h,shift\n",
              "line 2, column 'end'");
  // An overlap found inside adherence(): "schedule[i]" becomes the file and line.
  const std::string overlap =
      write_temp("wfm_kpi_sched_4.csv", "agent,start,end,activity\n"
                                        "a1,2026-03-02 08:00,2026-03-02 12:00,shift\n"
                                        "a1,2026-03-02 11:00,2026-03-02 13:00,shift\n");
  CHECK_THROWS_WITH(read_adherence(overlap, t),
                    Contains(overlap + ", line 3: overlaps " + overlap + ", line 2 of agent"));
  const std::string bad = write_temp("wfm_kpi_states_3.csv",
                                     states_csv + "2026-03-02 09:00,a1,break\n");
  CHECK_THROWS_WITH(read_adherence(s, bad),
                    Contains(bad + ", line 10: agent 'a1' has two states") &&
                        Contains(bad + ", line 4)"));
  const std::string empty_state =
      write_temp("wfm_kpi_states_4.csv", "timestamp,agent,state\n2026-03-02 09:00,a1, \n");
  CHECK_THROWS_WITH(read_adherence(s, empty_state), Contains("line 2, column 'state'"));
  CHECK_THROWS_WITH(read_adherence(s, write_temp("wfm_kpi_states_5.csv", "timestamp,state\n")),
                    Contains("agent"));
}
