// wfm._core.kpi: contact-log KPIs, patience from censored waits, handle-time fits; adherence,
// conformance and measured shrinkage from agent schedules and states.
#include <cmath>
#include <optional>
#include <string>

#include <wfm/kpi/kpi.hpp>

#include "bindings.hpp"

namespace wfm::python {

using namespace wfm::kpi;

namespace {

ContactKpiOptions make_options(std::int64_t interval_length_s, double short_abandon_s,
                               const std::vector<double>& target_times_s,
                               const std::vector<std::string>& definitions,
                               double fcr_window_days) {
  ContactKpiOptions o;
  o.interval_length_s = interval_length_s;
  o.short_abandon_s = short_abandon_s;
  o.target_times_s = target_times_s;
  if (!definitions.empty()) {
    o.definitions.clear();
    for (const auto& d : definitions)
      o.definitions.push_back(queueing::parse_service_level_definition(d, "definitions"));
  }
  o.fcr_window_days = fcr_window_days;
  return o;
}

// A column of the contact log: as long as `arrival` (bindings.hpp's column()).
template <class T>
std::span<const T> optional_span(const std::optional<dense_array<T>>& a, const char* name,
                                 std::size_t n) {
  return column(a, name, n, "arrival");
}

// Plan versus actual as {timestamp, the columns (vocabulary names), "overall": {...}}.
py::dict plan_vs_actual_dict(const PlanVsActual& r) {
  py::dict d;
  d["timestamp"] = to_numpy(r.timestamp);
  for (const auto& [name, col] : r.columns()) d[py::str(std::string(name))] = to_numpy(*col);
  py::dict o;
  o["wape"] = r.wape;
  o["volume"] = r.total_volume;
  o["planned_volume"] = r.total_planned_volume;
  o["service_level"] = r.overall_service_level;
  o["planned_service_level"] = r.overall_planned_service_level;
  o["service_level_gap"] = r.overall_service_level_gap;
  o["unplanned_volume"] = r.unplanned_volume;
  d["overall"] = o;
  return d;
}

// An optional column as a vector (empty when absent), as long as the table's timestamps.
std::vector<double> column_vector(const std::optional<dense_array<double>>& a, const char* name,
                                  std::size_t n, const char* first) {
  const auto s = column(a, name, n, first);
  return {s.begin(), s.end()};
}

py::dict columns(const ContactKpis& k) {
  py::dict d;
  const std::size_t n = k.intervals.size();
  auto col = [&](const char* name, auto get) {
    std::vector<double> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = get(k.intervals[i]);
    d[name] = to_numpy(v);
  };
  std::vector<std::int64_t> t(n);
  for (std::size_t i = 0; i < n; ++i) t[i] = k.intervals[i].timestamp;
  d["timestamp"] = to_numpy(t);
  col("volume", [](const IntervalKpis& r) { return r.volume; });
  col("answered", [](const IntervalKpis& r) { return r.answered; });
  col("abandoned", [](const IntervalKpis& r) { return r.abandoned; });
  col("short_abandoned", [](const IntervalKpis& r) { return r.short_abandoned; });
  col("abandon_rate", [](const IntervalKpis& r) { return r.abandon_rate; });
  col("abandon_rate_net", [](const IntervalKpis& r) { return r.abandon_rate_net; });
  col("aht_s", [](const IntervalKpis& r) { return r.aht_s; });
  col("asa_s", [](const IntervalKpis& r) { return r.asa_s; });
  col("asa_all_s", [](const IntervalKpis& r) { return r.asa_all_s; });
  for (std::size_t j = 0; j < k.service_levels.size(); ++j) {
    std::vector<double> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = k.intervals[i].service_level[j];
    d[py::str(service_level_column(k.service_levels[j]))] = to_numpy(v);
  }
  col("transfer_rate", [](const IntervalKpis& r) { return r.transfer_rate; });
  col("fcr_rate", [](const IntervalKpis& r) { return r.fcr_rate; });
  col("fcr_count", [](const IntervalKpis& r) { return r.fcr_count; });
  col("csat_mean", [](const IntervalKpis& r) { return r.csat_mean; });
  col("csat_count", [](const IntervalKpis& r) { return r.csat_count; });
  col("patience_s", [](const IntervalKpis& r) { return r.patience_s; });
  col("busy_s", [](const IntervalKpis& r) { return r.busy_s; });
  if (k.has_occupancy) {
    col("staffed_s", [](const IntervalKpis& r) { return r.staffed_s; });
    col("occupancy", [](const IntervalKpis& r) { return r.occupancy; });
  }
  return d;
}

py::dict overall(const ContactKpis& k) {
  const IntervalKpis& o = k.overall;
  py::dict d;
  d["volume"] = o.volume;
  d["answered"] = o.answered;
  d["abandoned"] = o.abandoned;
  d["short_abandoned"] = o.short_abandoned;
  d["abandon_rate"] = o.abandon_rate;
  d["abandon_rate_net"] = o.abandon_rate_net;
  d["aht_s"] = o.aht_s;
  d["asa_s"] = o.asa_s;
  d["asa_all_s"] = o.asa_all_s;
  for (std::size_t j = 0; j < k.service_levels.size(); ++j)
    d[py::str(service_level_column(k.service_levels[j]))] = o.service_level[j];
  d["transfer_rate"] = o.transfer_rate;
  d["fcr_rate"] = o.fcr_rate;
  d["fcr_count"] = o.fcr_count;
  d["csat_mean"] = o.csat_mean;
  d["csat_count"] = o.csat_count;
  d["patience_s"] = o.patience_s;
  d["busy_s"] = o.busy_s;
  if (k.has_occupancy) {
    d["staffed_s"] = o.staffed_s;
    d["occupancy"] = o.occupancy;
  }
  return d;
}

// Adherence rows (intervals, days or agents) as numpy columns under the vocabulary names.
py::dict adherence_columns(const std::vector<AdherenceRow>& rows, bool by_agent) {
  py::dict d;
  using R = AdherenceRow;
  if (by_agent)
    d["agent"] = column_of(rows, &R::agent);
  else
    d["timestamp"] = column_of(rows, &R::timestamp);
  d["scheduled_s"] = column_of(rows, &R::scheduled_s);
  d["adherent_s"] = column_of(rows, &R::adherent_s);
  d["work_scheduled_s"] = column_of(rows, &R::work_scheduled_s);
  d["worked_s"] = column_of(rows, &R::worked_s);
  d["adherence"] = column_of(rows, &R::adherence);
  d["conformance"] = column_of(rows, &R::conformance);
  return d;
}

py::dict adherence_tables(const AdherenceResult& r) {
  py::dict out;
  out["intervals"] = adherence_columns(r.intervals, false);
  out["days"] = adherence_columns(r.days, false);
  out["agents"] = adherence_columns(r.agents, true);
  out["overall"] = adherence_columns({r.overall}, true);
  using E = AdherenceException;
  py::dict ex;
  ex["agent"] = column_of(r.exceptions, &E::agent);
  ex["start"] = column_of(r.exceptions, &E::from);
  ex["end"] = column_of(r.exceptions, &E::to);
  ex["activity"] = column_of(r.exceptions, &E::activity);
  ex["state"] = column_of(r.exceptions, &E::state);
  out["exceptions"] = ex;
  py::dict sh;
  sh["state"] = column_of(r.shrinkage_by_state, &ShrinkageCategory::state);
  sh["time_in_state_s"] = column_of(r.shrinkage_by_state, &ShrinkageCategory::seconds);
  sh["shrinkage"] = column_of(r.shrinkage_by_state, &ShrinkageCategory::shrinkage);
  out["shrinkage_by_state"] = sh;
  out["shrinkage"] = r.shrinkage;
  out["unknown_agents"] = r.unknown_agents;
  return out;
}

AdherenceOptions adherence_options(double grace_s, std::int64_t interval_length_s,
                                   double max_state_s,
                                   const std::vector<std::string>& work_activities,
                                   const std::vector<std::string>& work_states) {
  AdherenceOptions o;
  o.grace_s = grace_s;
  o.interval_length_s = interval_length_s;
  o.max_state_s = max_state_s;
  o.work_activities = work_activities;
  o.work_states = work_states;
  return o;
}

}  // namespace

void bind_kpi(py::module_& root) {
  py::module_ m = root.def_submodule("kpi", "Measured KPIs from contact logs (wfm::kpi).");

  py::class_<KaplanMeier>(m, "KaplanMeier", "Kaplan-Meier estimate of P(patience > t).")
      .def_property_readonly("time", [](const KaplanMeier& k) { return to_numpy(k.time); })
      .def_property_readonly("survival", [](const KaplanMeier& k) { return to_numpy(k.survival); })
      .def_property_readonly("at_risk", [](const KaplanMeier& k) { return to_numpy(k.at_risk); })
      .def_property_readonly("events", [](const KaplanMeier& k) { return to_numpy(k.events); })
      .def_readonly("restricted_mean_s", &KaplanMeier::restricted_mean_s)
      .def_readonly("median_s", &KaplanMeier::median_s)
      .def_readonly("largest_wait_s", &KaplanMeier::largest_wait_s)
      .def("at", &KaplanMeier::at, py::arg("t"), "S(t) [t in s]");
  py::class_<PatienceEstimate>(m, "PatienceEstimate")
      .def_readonly("patience_s", &PatienceEstimate::patience_s)
      .def_readonly("abandoned", &PatienceEstimate::abandoned)
      .def_readonly("censored", &PatienceEstimate::censored)
      .def_readonly("total_wait_s", &PatienceEstimate::total_wait_s)
      .def_readonly("kaplan_meier", &PatienceEstimate::kaplan_meier)
      .def_property_readonly(
          "status", [](const PatienceEstimate& p) { return std::string(to_string(p.status)); })
      .def_readonly("message", &PatienceEstimate::message)
      .def("__repr__", [](const PatienceEstimate& p) {
        return "PatienceEstimate(patience_s=" + std::to_string(p.patience_s) +
               ", abandoned=" + std::to_string(p.abandoned) + ")";
      });
  py::class_<LognormalFit>(m, "LognormalFit")
      .def_readonly("mu", &LognormalFit::mu)
      .def_readonly("sigma", &LognormalFit::sigma)
      .def_readonly("mean_s", &LognormalFit::mean_s)
      .def_readonly("cv", &LognormalFit::cv)
      .def_readonly("sample_mean_s", &LognormalFit::sample_mean_s)
      .def_readonly("count", &LognormalFit::count)
      .def_readonly("zero_count", &LognormalFit::zero_count)
      .def_readonly("ks_statistic", &LognormalFit::ks_statistic)
      .def_readonly("ks_p_value", &LognormalFit::ks_p_value)
      .def_readonly("ks_sample", &LognormalFit::ks_sample)
      .def_property_readonly("status",
                             [](const LognormalFit& f) { return std::string(to_string(f.status)); })
      .def_readonly("message", &LognormalFit::message);
  py::class_<ContactKpis>(m, "ContactKpis", "Interval KPIs of a contact log.")
      .def_readonly("interval_length_s", &ContactKpis::interval_length_s)
      .def_readonly("has_occupancy", &ContactKpis::has_occupancy)
      .def_readonly("patience", &ContactKpis::patience)
      .def_readonly("handle_time", &ContactKpis::handle_time)
      .def_property_readonly("handle_time_sample",
                             [](const ContactKpis& k) { return to_numpy(k.handle_time_sample); })
      .def_readonly("rows", &ContactKpis::rows)
      .def("columns", &columns, "per-interval columns (vocabulary names) as numpy arrays")
      .def("overall", &overall, "whole-log KPIs as a dict");

  m.def(
      "contact_kpis",
      [](const dense_array<std::int64_t>& arrival, const dense_array<std::uint8_t>& answered,
         const dense_array<double>& wait_s, const std::optional<dense_array<double>>& talk_s,
         const std::optional<dense_array<double>>& hold_s,
         const std::optional<dense_array<double>>& acw_s,
         const std::optional<dense_array<std::uint64_t>>& customer,
         const std::optional<dense_array<std::uint8_t>>& transferred,
         const std::optional<dense_array<double>>& csat,
         const std::optional<dense_array<std::int64_t>>& staffed_start,
         const std::optional<dense_array<double>>& staffed_agents, std::int64_t interval_length_s,
         double short_abandon_s, const std::vector<double>& target_times_s,
         const std::vector<std::string>& definitions, double fcr_window_days) {
        const auto t = as_span(arrival, "arrival");
        const std::size_t n = t.size();
        const auto ans = optional_span(std::optional(answered), "answered", n);
        const auto w = optional_span(std::optional(wait_s), "wait_s", n);
        const auto ta = optional_span(talk_s, "talk_s", n), ho = optional_span(hold_s, "hold_s", n),
                   ac = optional_span(acw_s, "acw_s", n), cs = optional_span(csat, "csat", n);
        const auto cu = optional_span(customer, "customer", n);
        const auto tr = optional_span(transferred, "transferred", n);
        const auto ss = staffed_start ? as_span(*staffed_start, "staffed_start")
                                      : std::span<const std::int64_t>{};
        const auto sv = staffed_agents ? as_span(*staffed_agents, "staffed_agents")
                                       : std::span<const double>{};
        if (ss.size() != sv.size())
          throw py::value_error("staffed_start and staffed_agents must have the same length");
        ContactKpiAccumulator acc(make_options(interval_length_s, short_abandon_s, target_times_s,
                                               definitions, fcr_window_days));
        py::gil_scoped_release nogil;
        for (std::size_t i = 0; i < n; ++i) {
          Contact c;
          c.arrival = t[i];
          c.outcome = ans[i] ? Outcome::answered : Outcome::abandoned;
          c.wait_s = w[i];
          if (ans[i]) {
            c.talk_s = ta.empty() || std::isnan(ta[i]) ? 0.0 : ta[i];
            c.hold_s = ho.empty() || std::isnan(ho[i]) ? 0.0 : ho[i];
            c.acw_s = ac.empty() || std::isnan(ac[i]) ? 0.0 : ac[i];
          }
          if (!cu.empty()) c.customer = cu[i];
          if (!tr.empty()) c.transferred = tr[i] != 0;
          if (!cs.empty()) c.csat = cs[i];
          try {
            acc.add(c);
          } catch (const InvalidArgument& e) {  // name the row
            throw InvalidArgument("row " + std::to_string(i) + ": " + e.what());
          }
        }
        for (std::size_t i = 0; i < ss.size(); ++i)
          acc.add_staffed_time(ss[i], static_cast<double>(interval_length_s), sv[i]);
        return acc.finish();
      },
      py::kw_only(), py::arg("arrival"), py::arg("answered"), py::arg("wait_s"),
      py::arg("talk_s") = py::none(), py::arg("hold_s") = py::none(),
      py::arg("acw_s") = py::none(), py::arg("customer") = py::none(),
      py::arg("transferred") = py::none(), py::arg("csat") = py::none(),
      py::arg("staffed_start") = py::none(), py::arg("staffed_agents") = py::none(),
      py::arg("interval_length_s") = 900, py::arg("short_abandon_s") = 5.0,
      py::arg("target_times_s") = std::vector<double>{20.0},
      py::arg("definitions") = std::vector<std::string>{}, py::arg("fcr_window_days") = 7.0,
      "KPIs of a contact log given as arrays (arrival: int64 wall-clock seconds since "
      "1970-01-01; durations in s; csat NaN = no score; customer 0 = unknown; staffed_agents: "
      "agents on the phones from each staffed_start for one interval).");
  m.def(
      "read_contact_log",
      [](const std::string& path, const std::optional<std::string>& agents,
         std::int64_t interval_length_s, double short_abandon_s,
         const std::vector<double>& target_times_s, const std::vector<std::string>& definitions,
         double fcr_window_days, const std::string& queue) {
        ContactKpiAccumulator acc(make_options(interval_length_s, short_abandon_s, target_times_s,
                                               definitions, fcr_window_days));
        py::gil_scoped_release nogil;
        read_contact_log(path, acc, {.queue = queue});
        if (agents) read_staffing(*agents, acc, interval_length_s);
        return acc.finish();
      },
      py::arg("path"), py::kw_only(), py::arg("agents") = py::none(),
      py::arg("interval_length_s") = 900, py::arg("short_abandon_s") = 5.0,
      py::arg("target_times_s") = std::vector<double>{20.0},
      py::arg("definitions") = std::vector<std::string>{}, py::arg("fcr_window_days") = 7.0,
      py::arg("queue") = "",
      "KPIs of a contact-log CSV, streamed (columns: see wfm-kpi --help).");
  m.def(
      "estimate_patience",
      [](const dense_array<double>& waits_s, const dense_array<std::uint8_t>& abandoned) {
        return estimate_patience(as_span(waits_s, "waits_s"), as_span(abandoned, "abandoned"));
      },
      py::kw_only(), py::arg("waits_s"), py::arg("abandoned"),
      "Mean patience [s] from censored waits: exponential MLE and Kaplan-Meier.");
  m.def(
      "fit_lognormal",
      [](const dense_array<double>& h) { return fit_lognormal(as_span(h, "handle_times_s")); },
      py::arg("handle_times_s"), "Lognormal MLE with the Kolmogorov-Smirnov statistic.");
  m.def(
      "adherence",
      [](const dense_array<std::int64_t>& schedule_start,
         const dense_array<std::int64_t>& schedule_end,
         const std::vector<std::string>& schedule_agent,
         const std::vector<std::string>& schedule_activity,
         const dense_array<std::int64_t>& state_timestamp,
         const std::vector<std::string>& state_agent, const std::vector<std::string>& state,
         double grace_s, std::int64_t interval_length_s, double max_state_s,
         const std::vector<std::string>& work_activities,
         const std::vector<std::string>& work_states) {
        const auto a = as_span(schedule_start, "schedule_start");
        const auto b = as_span(schedule_end, "schedule_end");
        const auto t = as_span(state_timestamp, "state_timestamp");
        if (b.size() != a.size() || schedule_agent.size() != a.size() ||
            schedule_activity.size() != a.size())
          throw py::value_error("schedule columns must have the same length");
        if (state_agent.size() != t.size() || state.size() != t.size())
          throw py::value_error("state columns must have the same length");
        std::vector<ScheduledActivity> sched(a.size());
        for (std::size_t i = 0; i < a.size(); ++i)
          sched[i] = {schedule_agent[i], a[i], b[i], schedule_activity[i]};
        std::vector<StateRecord> states(t.size());
        for (std::size_t i = 0; i < t.size(); ++i) states[i] = {t[i], state_agent[i], state[i]};
        const AdherenceOptions o = adherence_options(grace_s, interval_length_s, max_state_s,
                                                     work_activities, work_states);
        AdherenceResult r;
        {
          py::gil_scoped_release nogil;
          r = adherence(std::move(sched), std::move(states), o);
        }
        return adherence_tables(r);
      },
      py::kw_only(), py::arg("schedule_start"), py::arg("schedule_end"),
      py::arg("schedule_agent"), py::arg("schedule_activity"), py::arg("state_timestamp"),
      py::arg("state_agent"), py::arg("state"), py::arg("grace_s") = 60.0,
      py::arg("interval_length_s") = 900, py::arg("max_state_s") = 12.0 * 3600.0,
      py::arg("work_activities") = std::vector<std::string>{"shift", "work"},
      py::arg("work_states") = std::vector<std::string>{"available", "on_contact", "acw"},
      "Adherence, conformance, exceptions and measured shrinkage (wfm::kpi::adherence) as a "
      "dict of column dicts (times: int64 wall-clock seconds since 1970-01-01).");
  m.def(
      "read_adherence",
      [](const std::string& schedule_path, const std::string& states_path, double grace_s,
         std::int64_t interval_length_s, double max_state_s,
         const std::vector<std::string>& work_activities,
         const std::vector<std::string>& work_states) {
        const AdherenceOptions o = adherence_options(grace_s, interval_length_s, max_state_s,
                                                     work_activities, work_states);
        AdherenceResult r;
        {
          py::gil_scoped_release nogil;
          r = read_adherence(schedule_path, states_path, o);
        }
        return adherence_tables(r);
      },
      py::arg("schedule_path"), py::arg("states_path"), py::kw_only(),
      py::arg("grace_s") = 60.0, py::arg("interval_length_s") = 900,
      py::arg("max_state_s") = 12.0 * 3600.0,
      py::arg("work_activities") = std::vector<std::string>{"shift", "work"},
      py::arg("work_states") = std::vector<std::string>{"available", "on_contact", "acw"},
      "adherence() of a schedule CSV (agent,start,end,activity) and a state log CSV "
      "(timestamp,agent,state); errors name the file and line.");
  m.def(
      "plan_vs_actual",
      [](const dense_array<std::int64_t>& plan_timestamp,
         const dense_array<double>& planned_volume,
         const dense_array<double>& planned_service_level,
         const std::optional<dense_array<double>>& planned_aht_s,
         const std::optional<dense_array<double>>& agents_required,
         const std::optional<dense_array<double>>& agents,
         const dense_array<std::int64_t>& actual_timestamp, const dense_array<double>& volume,
         const dense_array<double>& service_level, const std::optional<dense_array<double>>& aht_s,
         const std::optional<dense_array<double>>& asa_s,
         const std::optional<dense_array<double>>& abandon_rate,
         const std::optional<dense_array<double>>& occupancy) {
        PlanIntervals p;
        const auto pt = as_span(plan_timestamp, "plan_timestamp");
        const std::size_t n = pt.size();
        p.timestamp.assign(pt.begin(), pt.end());
        p.planned_volume = column_vector(planned_volume, "planned_volume", n, "plan_timestamp");
        p.planned_service_level =
            column_vector(planned_service_level, "planned_service_level", n, "plan_timestamp");
        p.planned_aht_s = column_vector(planned_aht_s, "planned_aht_s", n, "plan_timestamp");
        p.agents_required = column_vector(agents_required, "agents_required", n, "plan_timestamp");
        p.agents = column_vector(agents, "agents", n, "plan_timestamp");
        MeasuredIntervals a;
        const auto at = as_span(actual_timestamp, "actual_timestamp");
        const std::size_t m = at.size();
        a.timestamp.assign(at.begin(), at.end());
        a.volume = column_vector(volume, "volume", m, "actual_timestamp");
        a.service_level = column_vector(service_level, "service_level", m, "actual_timestamp");
        a.aht_s = column_vector(aht_s, "aht_s", m, "actual_timestamp");
        a.asa_s = column_vector(asa_s, "asa_s", m, "actual_timestamp");
        a.abandon_rate = column_vector(abandon_rate, "abandon_rate", m, "actual_timestamp");
        a.occupancy = column_vector(occupancy, "occupancy", m, "actual_timestamp");
        return plan_vs_actual_dict(plan_vs_actual(p, a));
      },
      py::kw_only(), py::arg("plan_timestamp"), py::arg("planned_volume"),
      py::arg("planned_service_level"), py::arg("planned_aht_s") = py::none(),
      py::arg("agents_required") = py::none(), py::arg("agents") = py::none(),
      py::arg("actual_timestamp"), py::arg("volume"), py::arg("service_level"),
      py::arg("aht_s") = py::none(), py::arg("asa_s") = py::none(),
      py::arg("abandon_rate") = py::none(), py::arg("occupancy") = py::none(),
      "wfm::kpi::plan_vs_actual on columns (timestamps: int64 wall-clock seconds since "
      "1970-01-01): a dict of the output columns and 'overall'.");
  m.def("customer_key", &customer_key, py::arg("id"), "64-bit key of a customer id (never 0).");
}

}  // namespace wfm::python
