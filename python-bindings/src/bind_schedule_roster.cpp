// wfm.schedule rostering for named agents (mirrors wfm/schedule/roster.hpp).
#include <wfm/schedule/schedule.hpp>

#include "bindings.hpp"

namespace wfm::python {

using namespace wfm::schedule;

namespace {

/// The roster's assignments as columns (agent, day, template_index, start_s, end_s, paid_s,
/// breaks) for wfm.schedule.roster_frame.
py::dict assignment_columns(const RosterResult& r) {
  py::list agent, day, tmpl, start, end, paid, breaks;
  for (const AgentRoster& a : r.agents)
    for (const RosterAssignment& x : a.assignments) {
      agent.append(a.agent);
      day.append(x.day);
      tmpl.append(x.template_index);
      start.append(x.start_s);
      end.append(x.end_s);
      paid.append(x.paid_s);
      py::list br;
      for (const auto& b : x.breaks) br.append(py::make_tuple(b.start, b.length));
      breaks.append(br);
    }
  py::dict out;
  out["agent"] = agent;
  out["day"] = day;
  out["template_index"] = tmpl;
  out["start_s"] = start;
  out["end_s"] = end;
  out["paid_s"] = paid;
  out["breaks"] = breaks;
  return out;
}

}  // namespace

void bind_schedule_roster(py::module_& root) {
  py::module_ m = root.attr("schedule");

  py::class_<DayWindow>(m, "DayWindow", "A window of one day [s from that day's midnight]; latest_end_s <= earliest_start_s: day off.")
      .def(py::init([](double earliest_start_s, double latest_end_s) { return DayWindow{earliest_start_s, latest_end_s}; }),
           py::kw_only(), py::arg("earliest_start_s") = 0.0, py::arg("latest_end_s") = 2 * 86400.0)
      .def_readwrite("earliest_start_s", &DayWindow::earliest_start_s)
      .def_readwrite("latest_end_s", &DayWindow::latest_end_s);

  py::class_<Contract>(m, "Contract", "An agent's contract: weekly paid time [s], days, rest [s], allowed template indices.")
      .def(py::init<>())
      .def_readwrite("min_week_s", &Contract::min_week_s)
      .def_readwrite("max_week_s", &Contract::max_week_s)
      .def_readwrite("max_days_per_week", &Contract::max_days_per_week)
      .def_readwrite("max_consecutive_days", &Contract::max_consecutive_days)
      .def_readwrite("min_rest_s", &Contract::min_rest_s)
      .def_readwrite("templates", &Contract::templates);

  py::class_<Preferences>(m, "Preferences", "Preferred start window [s from midnight] and days wished off.")
      .def(py::init<>())
      .def_readwrite("start_from_s", &Preferences::start_from_s)
      .def_readwrite("start_to_s", &Preferences::start_to_s)
      .def_readwrite("days_off", &Preferences::days_off);

  py::class_<Agent>(m, "Agent", "A named agent with contract, availability per day and preferences.")
      .def(py::init([](std::string id, std::string skill) {
             Agent a;
             a.id = std::move(id);
             a.skill = std::move(skill);
             return a;
           }),
           py::kw_only(), py::arg("id"), py::arg("skill") = "")
      .def_readwrite("id", &Agent::id)
      .def_readwrite("skill", &Agent::skill)
      .def_readwrite("contract", &Agent::contract)
      .def_readwrite("availability", &Agent::availability)
      .def_readwrite("preferences", &Agent::preferences);

  py::class_<RosterAssignment>(m, "RosterAssignment", "One shift an agent works; times [s] from the horizon start.")
      .def_readonly("day", &RosterAssignment::day)
      .def_readonly("template_index", &RosterAssignment::template_index)
      .def_readonly("start", &RosterAssignment::start)
      .def_readonly("break_offsets", &RosterAssignment::break_offsets)
      .def_readonly("start_s", &RosterAssignment::start_s)
      .def_readonly("end_s", &RosterAssignment::end_s)
      .def_readonly("paid_s", &RosterAssignment::paid_s);

  py::class_<AgentRoster>(m, "AgentRoster", "An agent's shifts and fairness measures.")
      .def_readonly("agent", &AgentRoster::agent)
      .def_readonly("assignments", &AgentRoster::assignments)
      .def_readonly("week_paid_s", &AgentRoster::week_paid_s)
      .def_readonly("weekends_off", &AgentRoster::weekends_off)
      .def_readonly("nights", &AgentRoster::nights)
      .def_readonly("preferences_granted", &AgentRoster::preferences_granted)
      .def_readonly("preferences_stated", &AgentRoster::preferences_stated);

  py::class_<UnassignedShift>(m, "UnassignedShift", "An agent-shift no agent works, and why.")
      .def_readonly("shift", &UnassignedShift::shift)
      .def_readonly("coverage_lost_s", &UnassignedShift::coverage_lost_s)
      .def_readonly("reason", &UnassignedShift::reason);

  py::class_<Shortfall>(m, "Shortfall", "An agent below the weekly minimum.")
      .def_readonly("agent", &Shortfall::agent)
      .def_readonly("week", &Shortfall::week)
      .def_readonly("paid_s", &Shortfall::paid_s)
      .def_readonly("min_s", &Shortfall::min_s);

  py::class_<RosterResult>(m, "RosterResult", "A roster: status, per-agent shifts, unassigned shifts, shortfalls, measures.")
      .def_readonly("status", &RosterResult::status)
      .def_readonly("message", &RosterResult::message)
      .def_readonly("agents", &RosterResult::agents)
      .def_readonly("unassigned", &RosterResult::unassigned)
      .def_readonly("shortfalls", &RosterResult::shortfalls)
      .def_readonly("conflicts", &RosterResult::conflicts)
      .def_readonly("days", &RosterResult::days)
      .def_readonly("weeks", &RosterResult::weeks)
      .def_readonly("shifts", &RosterResult::shifts)
      .def_readonly("coverage_lost_s", &RosterResult::coverage_lost_s)
      .def_readonly("preferences_granted", &RosterResult::preferences_granted)
      .def_readonly("preferences_stated", &RosterResult::preferences_stated)
      .def_readonly("soft_cost", &RosterResult::soft_cost)
      .def_readonly("min_weekends_off", &RosterResult::min_weekends_off)
      .def_readonly("max_weekends_off", &RosterResult::max_weekends_off)
      .def_readonly("min_nights", &RosterResult::min_nights)
      .def_readonly("max_nights", &RosterResult::max_nights)
      .def_readonly("moves", &RosterResult::moves)
      .def_readonly("seconds", &RosterResult::seconds, "wall time [s]")
      .def_readonly("cpu_seconds", &RosterResult::cpu_seconds, "process CPU time [s]")
      .def("__repr__", [](const RosterResult& r) {
        return "RosterResult(status=" + std::string(to_string(r.status)) + ", shifts=" + std::to_string(r.shifts) +
               ", unassigned=" + std::to_string(r.unassigned.size()) + ", preferences_granted=" +
               std::to_string(r.preferences_granted) + "/" + std::to_string(r.preferences_stated) + ")";
      });

  py::class_<RosterCheck>(m, "RosterCheck", "What the independent roster checker found.")
      .def_readonly("valid", &RosterCheck::valid)
      .def_readonly("complete", &RosterCheck::complete)
      .def_readonly("consistent", &RosterCheck::consistent)
      .def_readonly("problems", &RosterCheck::problems)
      .def_readonly("coverage_lost_s", &RosterCheck::coverage_lost_s)
      .def_readonly("unassigned", &RosterCheck::unassigned);

  m.def(
      "make_roster",
      [](const CoverageModel& model, const Schedule& s, const std::vector<Agent>& agents, double time_limit,
         std::uint64_t seed, bool cpu_time, int first_weekday) {
        RosterOptions o;
        o.time_limit = time_limit;
        o.seed = seed;
        o.cpu_time = cpu_time;
        o.first_weekday = first_weekday;
        py::gil_scoped_release nogil;
        return make_roster(model, s, agents, o);
      },
      py::arg("model"), py::arg("schedule"), py::arg("agents"), py::kw_only(), py::arg("time_limit") = 10.0,
      py::arg("seed") = 0, py::arg("cpu_time") = false, py::arg("first_weekday") = 0,
      "Deal the schedule's agent-shifts to named agents (see wfm/schedule/roster.hpp).");
  m.def("check_roster", &check_roster, py::arg("model"), py::arg("schedule"), py::arg("agents"), py::arg("roster"),
        py::arg("tol") = 1e-6, "Independent check of every hard rule of a roster.");
  m.def(
      "to_roster",
      [](const CoverageModel& model, const RosterResult& r) {
        // The same dict as to_roster(model, schedule): the simulator's staffing, one agent a shift.
        return roster_dict(to_roster(model, r));
      },
      py::arg("model"), py::arg("roster"));
  m.def("_roster_columns", &assignment_columns, py::arg("roster"));
  m.def(
      "roster_to_csv",
      [](const CoverageModel& model, const RosterResult& r) {
        return roster_to_csv(model, r, IntervalGrid::naive(0, static_cast<std::int64_t>(model.interval_length),
                                                           model.requirement.size()));
      },
      py::arg("model"), py::arg("roster"), "CSV agent,template,start,end,breaks (naive grid from 1970-01-01 00:00).");
}

}  // namespace wfm::python
