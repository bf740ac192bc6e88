// wfm.schedule: shift scheduling with breaks (mirrors wfm::schedule).
#include <limits>
#include <wfm/schedule/schedule.hpp>

#include "bindings.hpp"

namespace wfm::python {

using namespace wfm::schedule;

namespace {

std::string repr_schedule(const Schedule& s) {
  return "Schedule(status=" + std::string(to_string(s.status)) + ", cost=" + std::to_string(s.cost) +
         ", lower_bound=" + std::to_string(s.lower_bound) + ", gap=" + std::to_string(s.gap) +
         ", headcount=" + std::to_string(s.headcount) + ")";
}

}  // namespace

py::dict roster_dict(const wfm::Roster& r) {
  py::list shifts;
  for (const auto& s : r.shifts) {
    py::list br;
    for (const auto& b : s.breaks) br.append(py::make_tuple(b.start, b.length));
    py::dict d;
    d["start"] = s.start;
    d["end"] = s.end;
    d["agents"] = s.agents;
    d["breaks"] = br;
    shifts.append(d);
  }
  py::dict out;
  out["horizon_length"] = r.horizon_length;
  out["cyclic"] = r.cyclic;
  out["shifts"] = shifts;
  return out;
}

void bind_schedule(py::module_& root) {
  auto m = root.def_submodule(
      "schedule",
      "Shift scheduling: shifts and breaks covering a requirement at least cost. Lengths, starts "
      "and offsets in intervals; interval_length in seconds.");

  // SolveStatus is now wfm.Status (one status type for every module); the old name stays as an
  // alias of the same class so that existing Python code keeps working.
  m.attr("SolveStatus") = root.attr("Status");
  m.attr("Progress") = root.attr("Progress");

  py::class_<BreakWindow>(m, "BreakWindow", "A break: length [intervals], offset window from the shift start [intervals].")
      .def(py::init([](int length, int earliest_offset, int latest_offset) {
             return BreakWindow{length, earliest_offset, latest_offset};
           }),
           py::kw_only(), py::arg("length") = 1, py::arg("earliest_offset") = 0, py::arg("latest_offset") = 0)
      .def_readwrite("length", &BreakWindow::length)
      .def_readwrite("earliest_offset", &BreakWindow::earliest_offset)
      .def_readwrite("latest_offset", &BreakWindow::latest_offset)
      .def("__repr__", [](const BreakWindow& b) {
        return "BreakWindow(length=" + std::to_string(b.length) + ", earliest_offset=" +
               std::to_string(b.earliest_offset) + ", latest_offset=" + std::to_string(b.latest_offset) + ")";
      });

  py::class_<ShiftTemplate>(m, "ShiftTemplate", "A kind of shift; lengths and starts in intervals.")
      .def(py::init([](std::string name, int length, double cost, std::vector<int> starts,
                       std::vector<BreakWindow> breaks, double paid_length, int max_agents_per_start,
                       int max_agents, double fixed_cost) {
             ShiftTemplate t;
             t.name = std::move(name);
             t.length = length;
             t.cost = cost;
             t.starts = std::move(starts);
             t.breaks = std::move(breaks);
             t.paid_length = paid_length;
             t.max_agents_per_start = max_agents_per_start;
             t.max_agents = max_agents;
             t.fixed_cost = fixed_cost;
             return t;
           }),
           py::kw_only(), py::arg("name") = "", py::arg("length"), py::arg("cost"), py::arg("starts"),
           py::arg("breaks") = std::vector<BreakWindow>{}, py::arg("paid_length") = -1.0,
           py::arg("max_agents_per_start") = -1, py::arg("max_agents") = -1, py::arg("fixed_cost") = 0.0)
      .def_readwrite("name", &ShiftTemplate::name)
      .def_readwrite("length", &ShiftTemplate::length)
      .def_readwrite("paid_length", &ShiftTemplate::paid_length)
      .def_readwrite("cost", &ShiftTemplate::cost)
      .def_readwrite("starts", &ShiftTemplate::starts)
      .def_readwrite("breaks", &ShiftTemplate::breaks)
      .def_readwrite("max_agents_per_start", &ShiftTemplate::max_agents_per_start)
      .def_readwrite("max_agents", &ShiftTemplate::max_agents)
      .def_readwrite("fixed_cost", &ShiftTemplate::fixed_cost);

  py::class_<CoverageModel>(m, "CoverageModel", "A shift-scheduling problem (see wfm::schedule::CoverageModel).")
      .def(py::init([](dense_array<double> requirement, std::vector<ShiftTemplate> templates,
                       double interval_length, bool cyclic, bool hard_cover, double under_cost,
                       double over_cost, int min_headcount, int max_headcount) {
             CoverageModel c;
             const auto r = as_span(requirement, "requirement");
             c.requirement.assign(r.begin(), r.end());
             c.templates = std::move(templates);
             c.interval_length = interval_length;
             c.cyclic = cyclic;
             c.cover.hard_cover = hard_cover;
             c.cover.under_cost = under_cost;
             c.cover.over_cost = over_cost;
             c.min_headcount = min_headcount;
             c.max_headcount = max_headcount;
             validate(c);
             return c;
           }),
           py::kw_only(), py::arg("requirement"), py::arg("templates"), py::arg("interval_length") = 900.0,
           py::arg("cyclic") = false, py::arg("hard_cover") = true, py::arg("under_cost") = 0.0,
           py::arg("over_cost") = 0.0, py::arg("min_headcount") = 0, py::arg("max_headcount") = -1,
           "requirement: agents per interval; interval_length [s]; under/over_cost per agent-interval.")
      .def_property_readonly("requirement", [](const CoverageModel& c) { return to_numpy(c.requirement); })
      .def_readonly("templates", &CoverageModel::templates)
      .def_readonly("interval_length", &CoverageModel::interval_length)
      .def_readonly("cyclic", &CoverageModel::cyclic)
      .def_property_readonly("hard_cover", [](const CoverageModel& c) { return c.cover.hard_cover; })
      .def_property_readonly("under_cost", [](const CoverageModel& c) { return c.cover.under_cost; })
      .def_property_readonly("over_cost", [](const CoverageModel& c) { return c.cover.over_cost; })
      .def_property_readonly("num_intervals", &CoverageModel::num_intervals);

  py::class_<ShiftAssignment>(m, "ShiftAssignment", "agents working template_index from interval start.")
      .def_readonly("template_index", &ShiftAssignment::template_index)
      .def_readonly("start", &ShiftAssignment::start)
      .def_readonly("agents", &ShiftAssignment::agents)
      .def_readonly("break_agents", &ShiftAssignment::break_agents)
      .def("__repr__", [](const ShiftAssignment& a) {
        return "ShiftAssignment(template_index=" + std::to_string(a.template_index) +
               ", start=" + std::to_string(a.start) + ", agents=" + std::to_string(a.agents) + ")";
      });

  py::class_<Schedule>(m, "Schedule", "Result of solve(): schedule, coverage, cost, bound, gap, status.")
      .def_readonly("status", &Schedule::status)
      .def_readonly("shifts", &Schedule::shifts)
      .def_property_readonly("coverage", [](const Schedule& s) { return to_numpy(s.coverage); })
      .def_property_readonly("under", [](const Schedule& s) { return to_numpy(s.under); })
      .def_property_readonly("over", [](const Schedule& s) { return to_numpy(s.over); })
      .def_readonly("cost", &Schedule::cost)
      .def_readonly("shift_cost", &Schedule::shift_cost)
      .def_readonly("penalty_cost", &Schedule::penalty_cost)
      .def_readonly("fixed_cost", &Schedule::fixed_cost)
      .def_readonly("lower_bound", &Schedule::lower_bound)
      .def_readonly("lp_bound", &Schedule::lp_bound)
      .def_readonly("gap", &Schedule::gap, "relative gap, fraction")
      .def_readonly("headcount", &Schedule::headcount)
      .def_readonly("paid_intervals", &Schedule::paid_intervals)
      .def_readonly("paid_hours", &Schedule::paid_hours, "[h]")
      .def_readonly("uncoverable", &Schedule::uncoverable)
      .def_readonly("message", &Schedule::message)
      .def_readonly("seconds", &Schedule::seconds, "wall time [s]")
      .def_readonly("lp_integral", &Schedule::lp_integral)
      .def("__repr__", &repr_schedule);

  py::class_<CheckReport>(m, "CheckReport", "What check_schedule() recomputed.")
      .def_readonly("valid", &CheckReport::valid)
      .def_readonly("consistent", &CheckReport::consistent)
      .def_readonly("message", &CheckReport::message)
      .def_readonly("cost", &CheckReport::cost)
      .def_readonly("headcount", &CheckReport::headcount)
      .def_property_readonly("coverage", [](const CheckReport& r) { return to_numpy(r.coverage); });


  m.def(
      "solve",
      [](const CoverageModel& model, double time_limit, double mip_gap, std::uint64_t seed,
         bool use_cbc, int lns_iterations, bool cpu_time, py::object progress,
         const std::string& engine) {
        SolveOptions o;
        o.cpu_time = cpu_time;
        o.engine = engine_from_string(engine);
        o.time_limit = time_limit;
        o.mip_gap = mip_gap;
        o.seed = seed;
        o.use_cbc = use_cbc;
        o.lns_iterations = lns_iterations;
        if (!progress.is_none())
          o.progress = [progress](const wfm::Progress& p) {
            py::gil_scoped_acquire gil;
            py::object r = progress(p);
            return r.is_none() || static_cast<bool>(py::bool_(r));  // truthiness, never a cast error
          };
        py::gil_scoped_release nogil;
        return solve(model, o);
      },
      py::arg("model"), py::kw_only(), py::arg("time_limit") = 10.0, py::arg("mip_gap") = 1e-6,
      py::arg("seed") = 0, py::arg("use_cbc") = true, py::arg("lns_iterations") = -1,
      py::arg("cpu_time") = false, py::arg("progress") = py::none(), py::arg("engine") = "clp_cbc",
      "Solve: LP bound, heuristics, CBC. time_limit [s]; mip_gap fraction; progress(Progress) -> "
      "bool (False stops); engine: 'clp_cbc', 'highs' or 'clp_highs' (HiGHS only in a build "
      "with WFM_WITH_HIGHS, else ValueError).");
  m.def(
      "solve_lp",
      [](const CoverageModel& model, double time_limit, const std::string& engine) {
        SolveOptions o;
        o.time_limit = time_limit;
        o.engine = engine_from_string(engine);
        py::gil_scoped_release nogil;
        return solve_lp(model, o);
      },
      py::arg("model"), py::kw_only(), py::arg("time_limit") = 60.0, py::arg("engine") = "clp_cbc",
      "LP relaxation only (lp_bound, lower_bound, lp_integral). time_limit [s].");
  m.def("highs_available", &highs_available,
        "True when this build has the HiGHS engine (-DWFM_WITH_HIGHS=ON).");
  m.def("check_schedule", &check_schedule, py::arg("model"), py::arg("schedule"), py::arg("tol") = 1e-6,
        "Recompute coverage and cost from the shifts independently of the solver.");
  m.def("to_roster", [](const CoverageModel& model, const Schedule& s) { return roster_dict(to_roster(model, s)); },
        py::arg("model"), py::arg("schedule"),
        "The schedule as a roster dict: shifts with start/end [s], agents, breaks (start [s], length [s]).");
  py::class_<AgentShift>(m, "AgentShift", "One agent's shift: template_index, start [interval].")
      .def_readonly("template_index", &AgentShift::template_index)
      .def_readonly("start", &AgentShift::start);
  py::class_<Tour>(m, "Tour", "A weekly line: first_day of the working block, shift per day (-1: none), paid [s].")
      .def_readonly("first_day", &Tour::first_day)
      .def_readonly("shift", &Tour::shift)
      .def_readonly("paid", &Tour::paid);
  py::class_<TourPlan>(m, "TourPlan", "Weekly lines built from a schedule.")
      .def_readonly("status", &TourPlan::status)
      .def_readonly("days", &TourPlan::days)
      .def_readonly("shifts", &TourPlan::shifts)
      .def_readonly("tours", &TourPlan::tours)
      .def_readonly("idle_days", &TourPlan::idle_days)
      .def_readonly("paid_violations", &TourPlan::paid_violations)
      .def_readonly("message", &TourPlan::message);
  m.def(
      "build_tours",
      [](const CoverageModel& model, const Schedule& s, int working_days, double min_paid,
         double max_paid, bool same_start, double time_limit) {
        TourOptions o;
        o.working_days = working_days;
        o.min_paid = min_paid;
        o.max_paid = max_paid;
        o.same_start = same_start;
        o.time_limit = time_limit;
        py::gil_scoped_release nogil;
        return build_tours(model, s, o);
      },
      py::arg("model"), py::arg("schedule"), py::kw_only(), py::arg("working_days") = 5,
      py::arg("min_paid") = 0.0, py::arg("max_paid") = std::numeric_limits<double>::infinity(),
      py::arg("same_start") = true, py::arg("time_limit") = 5.0,
      "Weekly lines with consecutive days off; min_paid/max_paid weekly paid time [s].");
  py::class_<GlobalServiceResult>(m, "GlobalServiceResult",
                                  "Global service level schedule and the per-interval comparison.")
      .def_readonly("schedule", &GlobalServiceResult::schedule)
      .def_property_readonly("service_level", [](const GlobalServiceResult& r) { return to_numpy(r.service_level); })
      .def_readonly("global_service_level", &GlobalServiceResult::global_service_level)
      .def_readonly("min_service_level", &GlobalServiceResult::min_service_level)
      .def_readonly("per_interval", &GlobalServiceResult::per_interval)
      .def_readonly("per_interval_global_service_level", &GlobalServiceResult::per_interval_global_service_level)
      .def_readonly("saving", &GlobalServiceResult::saving, "fraction of the per-interval cost");
  m.def(
      "solve_global_service_level",
      [](const CoverageModel& model, dense_array<double> arrival_rate, double handle_time,
         double fraction, double target_time, double floor, double time_limit) {
        const auto r = as_span(arrival_rate, "arrival_rate");
        std::vector<double> rate(r.begin(), r.end());
        SolveOptions o;
        o.time_limit = time_limit;
        py::gil_scoped_release nogil;
        return solve_global_service_level(model, rate, handle_time,
                                          {.fraction = fraction, .target_time = target_time, .floor = floor}, o);
      },
      py::arg("model"), py::kw_only(), py::arg("arrival_rate"), py::arg("handle_time"),
      py::arg("fraction") = 0.8, py::arg("target_time") = 20.0, py::arg("floor") = 0.0,
      py::arg("time_limit") = 10.0,
      "Minimise cost s.t. the volume-weighted Erlang C service level >= fraction, every interval "
      ">= floor. arrival_rate [1/s] per interval, handle_time and target_time [s].");
  m.def("read_model_json", &read_model_json, py::arg("path"));
  m.def("parse_model_json", &parse_model_json, py::arg("text"), py::arg("source") = "<string>");
  m.def("read_msd_dzn", &read_msd_dzn, py::arg("path"));
  m.def("schedule_to_json", &schedule_to_json, py::arg("model"), py::arg("schedule"));
  m.def(
      "schedule_to_csv",
      [](const CoverageModel& model, const Schedule& s) { return schedule_to_csv(model, s); },
      py::arg("model"), py::arg("schedule"),
      "CSV template,start,end,agents,breaks (times on a naive grid from 1970-01-01 00:00).");
  m.def(
      "coverage_to_csv",
      [](const CoverageModel& model, const Schedule& s) { return coverage_to_csv(model, s); },
      py::arg("model"), py::arg("schedule"),
      "CSV timestamp,agents_required,agents,under,over (naive grid from 1970-01-01 00:00).");
}

}  // namespace wfm::python
