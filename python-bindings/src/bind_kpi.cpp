// wfm._core.kpi: contact-log KPIs, patience from censored waits, handle-time fits.
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

template <class T>
std::span<const T> optional_span(const std::optional<dense_array<T>>& a, const char* name,
                                 std::size_t n) {
  if (!a) return {};
  const auto s = as_span(*a, name);
  if (s.size() != n)
    throw py::value_error(std::string(name) + " must have the length of arrival (" +
                          std::to_string(n) + "), got " + std::to_string(s.size()));
  return s;
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
  m.def("customer_key", &customer_key, py::arg("id"), "64-bit key of a customer id (never 0).");
}

}  // namespace wfm::python
