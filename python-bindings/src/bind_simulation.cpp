#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>

#include <wfm/simulation/simulation.hpp>

#include "bindings.hpp"

namespace wfm::python {

using namespace wfm::simulation;

namespace {

std::vector<double> to_vector(const std::optional<dense_array<double>>& a, const char* name) {
  if (!a) return {};
  const auto s = as_span(*a, name);
  return {s.begin(), s.end()};
}

Roster roster_from_python(const py::sequence& shifts, double horizon_length, bool cyclic) {
  Roster r;
  r.horizon_length = horizon_length;
  r.cyclic = cyclic;
  std::size_t i = 0;
  for (const py::handle& it : shifts) {
    const std::string name = fmt::format("roster[{}]", i++);
    if (!py::isinstance<py::dict>(it))
      throw py::value_error(name + " must be a dict with start, end, agents, breaks");
    const auto d = it.cast<py::dict>();
    ShiftSpan s;
    s.start = number(item(d, "start", name), name + ".start");
    s.end = number(item(d, "end", name), name + ".end");
    s.agents = d.contains("agents") ? whole_number(d["agents"], name + ".agents") : 1;
    if (d.contains("breaks")) {
      if (!py::isinstance<py::sequence>(d["breaks"]))
        throw py::value_error(name + ".breaks must be a list of (start_s, length_s) pairs");
      std::size_t k = 0;
      for (const py::handle& b : d["breaks"].cast<py::sequence>()) {
        const std::string bn = fmt::format("{}.breaks[{}]", name, k++);
        if (!py::isinstance<py::sequence>(b) || py::len(b) != 2)
          throw py::value_error(bn + " must be a (start_s, length_s) pair");
        const auto pair = b.cast<py::sequence>();
        s.breaks.push_back({number(pair[0], bn + ".start"), number(pair[1], bn + ".length")});
      }
    }
    r.shifts.push_back(std::move(s));
  }
  return r;
}

std::vector<std::pair<std::string, const Estimate*>> named(const Measures& m,
                                                           const SimulationResult& r) {
  std::vector<std::pair<std::string, const Estimate*>> out{
      {"volume", &m.volume},
      {"answered", &m.answered},
      {"abandoned", &m.abandoned},
      {"unserved", &m.unserved},
      {"abandon_rate", &m.abandon_rate},
      {"asa_s", &m.asa_s},
      {"asa_answered_s", &m.asa_answered_s},
      {"occupancy", &m.occupancy}};
  if (r.multi_contact)
    out.insert(out.end(), {{"blocking_rate", &m.blocking_rate},
                           {"effective_arrival_rate", &m.effective_arrival_rate},
                           {"lost_rate", &m.lost_rate},
                           {"customer_service_level", &m.customer_service_level},
                           {"outbound_throughput", &m.outbound_throughput}});
  // Vocabulary: the first series is `service_level`, the others
  // `service_level_<definition>_<t>s` (wfm/core/vocabulary.hpp).
  for (std::size_t i = 0; i < r.service_levels.size(); ++i)
    out.emplace_back(i == 0 ? std::string("service_level")
                            : fmt::format("service_level_{}_{:g}s",
                                          queueing::to_string(r.service_levels[i].definition),
                                          r.service_levels[i].target_time),
                     &m.service_level[i]);
  return out;
}

py::dict columns(const SimulationResult& r) {
  py::dict out;
  if (r.intervals.empty()) return out;
  const auto names = named(r.intervals[0], r);
  for (std::size_t c = 0; c < names.size(); ++c) {
    std::vector<double> v, lo, hi;
    for (const auto& m : r.intervals) {
      const auto e = named(m, r)[c].second;
      v.push_back(e->value);
      lo.push_back(e->value - e->half_width);
      hi.push_back(e->value + e->half_width);
    }
    out[py::str(names[c].first)] = to_numpy(v);
    out[py::str(names[c].first + "_lower")] = to_numpy(lo);
    out[py::str(names[c].first + "_upper")] = to_numpy(hi);
  }
  return out;
}

py::dict measures_dict(const Measures& m, const SimulationResult& r) {
  py::dict out;
  for (const auto& [name, e] : named(m, r)) {
    out[py::str(name)] = e->value;
    out[py::str(name + "_lower")] = e->value - e->half_width;
    out[py::str(name + "_upper")] = e->value + e->half_width;
  }
  return out;
}

py::list keys_list(const std::vector<ServiceLevelKey>& keys) {
  py::list out;
  for (const auto& k : keys)
    out.append(py::make_tuple(std::string(queueing::to_string(k.definition)), k.target_time));
  return out;
}

std::vector<ServiceLevelKey> keys_from(const py::sequence& keys) {
  std::vector<ServiceLevelKey> out;
  for (const py::handle& k : keys) {
    const auto pair = k.cast<py::tuple>();
    out.push_back({queueing::parse_service_level_definition(pair[0].cast<std::string>(),
                                                            "service_levels"),
                   pair[1].cast<double>()});
  }
  return out;
}

/// ReplicationSums as a pickle state: its fields, values as a flat numpy array.
py::tuple sums_state(const ReplicationSums& s) {
  return py::make_tuple(s.first_replication, s.replications, s.intervals, s.target_times,
                        keys_list(s.service_levels), to_numpy(s.values), s.events, s.contact);
}

ReplicationSums sums_from_state(const py::tuple& t) {
  // 7 fields before multi-contact scenarios; the 8th says whether rows carry their extras.
  if (t.size() != 7 && t.size() != 8)
    throw py::value_error("ReplicationSums: a pickle state has 7 or 8 fields");
  ReplicationSums s;
  s.first_replication = t[0].cast<std::int64_t>();
  s.replications = t[1].cast<int>();
  s.intervals = t[2].cast<int>();
  s.target_times = t[3].cast<std::vector<double>>();
  s.service_levels = keys_from(t[4].cast<py::sequence>());
  const auto v = as_span(t[5].cast<dense_array<double>>(), "ReplicationSums.values");
  s.values.assign(v.begin(), v.end());
  s.events = t[6].cast<std::uint64_t>();
  s.contact = t.size() == 8 && t[7].cast<bool>();
  return s;
}

}  // namespace

void bind_simulation(py::module_& root) {
  auto m = root.def_submodule(
      "simulation",
      "Discrete-event simulation of one FCFS queue over a horizon of intervals. Times in "
      "seconds, rates per second, fractions in [0, 1].");

  py::enum_<DistributionKind>(m, "DistributionKind")
      .value("none", DistributionKind::none)
      .value("exponential", DistributionKind::exponential)
      .value("lognormal", DistributionKind::lognormal)
      .value("empirical", DistributionKind::empirical);

  py::class_<Distribution>(m, "Distribution", "A duration distribution [s].")
      .def_static("none", &Distribution::none, "Callers who never abandon (patience only).")
      .def_static("exponential", &Distribution::exponential, py::kw_only(), py::arg("mean"),
                  "Exponential with the given mean [s].")
      .def_static("lognormal", &Distribution::lognormal, py::kw_only(), py::arg("mean"),
                  py::arg("cv"), "Lognormal with the given mean [s] and coefficient of variation.")
      .def_static(
          "empirical",
          [](dense_array<double> sample) {
            const auto s = as_span(sample, "sample");
            return Distribution::empirical({s.begin(), s.end()});
          },
          py::kw_only(), py::arg("sample"), "Uniform draws from a sample of durations [s].")
      .def_readonly("kind", &Distribution::kind)
      .def_property_readonly("mean", &Distribution::mean, "[s]")
      .def_readonly("cv", &Distribution::cv)
      .def("__repr__", [](const Distribution& d) {
        return fmt::format("Distribution.{}(mean={:g}, cv={:g})", to_string(d.kind), d.mean_value,
                           d.cv);
      });

  py::class_<Estimate>(m, "Estimate", "A value and the half-width of its 95 % CI.")
      .def_readonly("value", &Estimate::value)
      .def_readonly("half_width", &Estimate::half_width)
      .def("__repr__", [](const Estimate& e) {
        return fmt::format("Estimate({:.6g} +- {:.3g})", e.value, e.half_width);
      });

  py::class_<Measures>(m, "Measures", "Measures of one interval or of the whole horizon.")
      .def_readonly("volume", &Measures::volume, "offered contacts")
      .def_readonly("answered", &Measures::answered)
      .def_readonly("abandoned", &Measures::abandoned)
      .def_readonly("unserved", &Measures::unserved)
      .def_readonly("abandon_rate", &Measures::abandon_rate)
      .def_readonly("asa_s", &Measures::asa_s, "[s] over all offered contacts")
      .def_readonly("asa_answered_s", &Measures::asa_answered_s, "[s] over answered contacts")
      .def_readonly("occupancy", &Measures::occupancy)
      .def_readonly("service_level", &Measures::service_level)
      .def_readonly("blocking_rate", &Measures::blocking_rate,
                    "attempts finding every line busy / attempts (multi-contact scenarios)")
      .def_readonly("effective_arrival_rate", &Measures::effective_arrival_rate,
                    "[1/s] attempts, redials included (multi-contact scenarios)")
      .def_readonly("lost_rate", &Measures::lost_rate,
                    "fresh customers finally lost / fresh customers (multi-contact scenarios)")
      .def_readonly("customer_service_level", &Measures::customer_service_level,
                    "fresh customers answered at the first attempt within target_times[0] "
                    "(multi-contact scenarios)")
      .def_readonly("outbound_throughput", &Measures::outbound_throughput,
                    "[1/s] outbound jobs completed (multi-contact scenarios)");

  py::class_<ReplicationSums>(
      m, "ReplicationSums",
      "Per replication and interval, the sums every estimate is reduced from (simulate with "
      "keep_sums=True); merge() combines runs of consecutive replications. Picklable.")
      .def_readonly("first_replication", &ReplicationSums::first_replication)
      .def_readonly("replications", &ReplicationSums::replications)
      .def_readonly("intervals", &ReplicationSums::intervals)
      .def_readonly("target_times", &ReplicationSums::target_times, "[s]")
      .def_readonly("events", &ReplicationSums::events)
      .def_readonly("contact", &ReplicationSums::contact,
                    "rows carry the multi-contact fields (blocked, customers, lost, "
                    "customer_within, outbound_done, outbound_busy [s], duration [s])")
      .def_property_readonly(
          "service_levels", [](const ReplicationSums& s) { return keys_list(s.service_levels); },
          "(definition, target_time [s]) of the estimates' service-level entries")
      .def_property_readonly(
          "values",
          [](const ReplicationSums& s) {
            auto a = to_numpy(s.values);
            return a.reshape({static_cast<py::ssize_t>(s.replications),
                              static_cast<py::ssize_t>(s.intervals),
                              static_cast<py::ssize_t>(s.fields())});
          },
          "(replications, intervals, fields) array: offered, answered, abandoned, unserved "
          "[contacts], wait_answered, wait_all, busy, available [s], then per target time: "
          "answered within, abandoned with patience within, abandoned with virtual wait within")
      .def(py::pickle(&sums_state, &sums_from_state))
      .def("__repr__", [](const ReplicationSums& s) {
        return fmt::format("ReplicationSums(first_replication={}, replications={}, intervals={})",
                           s.first_replication, s.replications, s.intervals);
      });

  py::class_<SimulationResult>(m, "SimulationResult")
      .def("__repr__",
           [](const SimulationResult& r) {
             return fmt::format("SimulationResult(intervals={}, replications={}, events={}, "
                                "volume={:.6g}, service_level[0]={:.4g} +- {:.2g})",
                                r.intervals.size(), r.replications, r.events,
                                r.total.volume.value,
                                r.total.service_level.empty() ? 0.0 : r.total.service_level[0].value,
                                r.total.service_level.empty() ? 0.0
                                                              : r.total.service_level[0].half_width);
           })
      .def_readonly("status", &SimulationResult::status)
      .def_readonly("message", &SimulationResult::message)
      .def_readonly("replications", &SimulationResult::replications)
      .def_readonly("multi_contact", &SimulationResult::multi_contact)
      .def_readonly("events", &SimulationResult::events)
      .def_readonly("intervals", &SimulationResult::intervals)
      .def_readonly("total", &SimulationResult::total)
      .def_readonly("replication_totals", &SimulationResult::replication_totals)
      .def_property_readonly(
          "sums",
          [](const SimulationResult& r) -> std::optional<ReplicationSums> {
            if (r.sums.replications == 0) return std::nullopt;
            return r.sums;
          },
          "The ReplicationSums of the run (simulate with keep_sums=True), else None.")
      .def_property_readonly(
          "service_levels",
          [](const SimulationResult& r) {
            std::vector<std::pair<std::string, double>> out;
            for (const auto& k : r.service_levels)
              out.emplace_back(std::string(queueing::to_string(k.definition)), k.target_time);
            return out;
          },
          "(definition, target_time [s]) of each Measures.service_level entry")
      .def("columns", &columns,
           "Per-interval measures as {name: numpy array}, named as in wfm.vocabulary(); each has "
           "'<name>_lower' / '<name>_upper' partners (95 % confidence interval).")
      .def(
          "total_dict", [](const SimulationResult& r) { return measures_dict(r.total, r); },
          "Whole-horizon measures as {name: float}, with '<name>_lower' / '<name>_upper'.")
      .def(
          "replication_dicts",
          [](const SimulationResult& r) {
            py::list out;
            for (const auto& mm : r.replication_totals) out.append(measures_dict(mm, r));
            return out;
          },
          "Per replication, the whole-horizon measures (needs keep_replications=True).");

  py::class_<SimulatedQueueOptions>(m, "SimulatedQueueOptions")
      .def(py::init([](double horizon, double warmup, int replications, std::uint64_t seed,
                       int threads) {
             return SimulatedQueueOptions{horizon, warmup, replications, seed, threads};
           }),
           py::kw_only(), py::arg("horizon") = 100000.0, py::arg("warmup") = 10000.0,
           py::arg("replications") = 10, py::arg("seed") = 1, py::arg("threads") = 0,
           "horizon and warmup [s] per replication.")
      .def_readonly("horizon", &SimulatedQueueOptions::horizon)
      .def_readonly("warmup", &SimulatedQueueOptions::warmup)
      .def_readonly("replications", &SimulatedQueueOptions::replications)
      .def_readonly("seed", &SimulatedQueueOptions::seed)
      .def_readonly("threads", &SimulatedQueueOptions::threads);

  using nogil = py::call_guard<py::gil_scoped_release>;
  py::class_<SimulatedQueue>(m, "SimulatedQueue",
                             "A stationary queue evaluated by simulation, queried like "
                             "wfm.queueing.ErlangC/ErlangA (GIL released).")
      .def(py::init<double, Distribution, Distribution, SimulatedQueueOptions>(), py::kw_only(),
           py::arg("arrival_rate"), py::arg("handle_time"),
           py::arg("patience") = Distribution::none(),
           py::arg("options") = SimulatedQueueOptions{}, "arrival_rate [1/s].")
      .def("evaluate", &SimulatedQueue::evaluate, py::arg("agents"),
           py::arg("target_times") = std::vector<double>{20.0}, nogil(),
           "All measures for a whole number of agents; target_times [s].")
      .def(
          "service_level",
          [](const SimulatedQueue& q, double agents, double target_time, const std::string& d) {
            const auto def = queueing::parse_service_level_definition(d, "definition");
            py::gil_scoped_release release;
            return q.service_level(agents, target_time, def);
          },
          py::arg("agents"), py::arg("target_time"), py::arg("definition") = "answered_within",
          "Fraction meeting target_time [s] under the named definition.")
      .def(
          "average_speed_of_answer",
          [](const SimulatedQueue& q, double agents, const std::string& over) {
            const auto o = queueing::parse_asa_over(over, "over");
            py::gil_scoped_release release;
            return q.average_speed_of_answer(agents, o);
          },
          py::arg("agents"), py::arg("over") = "all", "ASA [s] over 'all' or 'answered' calls.")
      .def("abandon_probability", &SimulatedQueue::abandon_probability, py::arg("agents"),
           nogil())
      .def("occupancy", &SimulatedQueue::occupancy, py::arg("agents"), nogil());

  m.def(
      "simulate",
      [](double interval_length, dense_array<double> arrival_rate, const Distribution& handle_time,
         const Distribution& patience, std::optional<dense_array<double>> agents,
         std::optional<py::object> roster, std::optional<double> roster_horizon_length,
         std::optional<dense_array<double>> handle_time_mean,
         std::optional<dense_array<double>> patience_mean, double busyness_cv,
         double busyness_period_length, bool cyclic,
         std::optional<dense_array<double>> arrival_times, int replications, std::uint64_t seed,
         int threads, double warmup, std::vector<double> target_times,
         std::vector<std::string> definitions, bool keep_replications,
         std::int64_t first_replication, bool keep_sums,
         std::optional<dense_array<double>> handle_time_factors, bool balance_chats,
         std::int64_t lines, double redial_probability, const Distribution& redial_delay,
         const Distribution& outbound_handle_time, int reserve) {
        Scenario s;
        s.handle_time_factors = to_vector(handle_time_factors, "handle_time_factors");
        s.balance_chats = balance_chats;
        s.lines = lines;
        s.redial_probability = redial_probability;
        s.redial_delay = redial_delay;
        s.outbound_handle_time = outbound_handle_time;
        s.reserve = reserve;
        s.interval_length = interval_length;
        s.arrival_rate = to_vector(arrival_rate, "arrival_rate");
        s.handle_time = handle_time;
        s.patience = patience;
        s.handle_time_mean = to_vector(handle_time_mean, "handle_time_mean");
        s.patience_mean = to_vector(patience_mean, "patience_mean");
        s.busyness.cv = busyness_cv;
        s.busyness.period_length = busyness_period_length;
        s.cyclic = cyclic;
        s.arrival_times = to_vector(arrival_times, "arrival_times");
        if (agents.has_value() == roster.has_value())
          throw py::value_error("give exactly one of agents= and roster=");
        if (agents) {
          const auto a = as_span(*agents, "agents");
          std::vector<int> staff;
          for (std::size_t i = 0; i < a.size(); ++i) {
            if (!(a[i] >= 0.0) || a[i] != std::floor(a[i]) || a[i] > 1e7)
              throw py::value_error(fmt::format("agents[{}] must be a whole number >= 0, got {}",
                                                i, a[i]));
            staff.push_back(static_cast<int>(a[i]));
          }
          s.staffing = std::move(staff);
        } else {
          // A roster is a list of shift dicts, or the dict wfm.schedule.to_roster returns
          // ({"shifts": [...], "horizon_length": s, "cyclic": bool}).
          if (py::isinstance<py::dict>(*roster)) {
            const auto d = roster->cast<py::dict>();
            if (!d.contains("shifts"))
              throw py::value_error("roster: a dict roster needs a 'shifts' list");
            if (!roster_horizon_length && d.contains("horizon_length"))
              roster_horizon_length = number(d["horizon_length"], "roster.horizon_length");
            if (d.contains("cyclic")) cyclic = cyclic || d["cyclic"].cast<bool>();
            s.cyclic = cyclic;
            if (!py::isinstance<py::sequence>(d["shifts"]))
              throw py::value_error("roster.shifts must be a list of shift dicts");
            s.staffing = roster_from_python(d["shifts"].cast<py::sequence>(),
                                            roster_horizon_length.value_or(s.horizon_length()),
                                            cyclic);
          } else {
            if (!py::isinstance<py::sequence>(*roster))
              throw py::value_error("roster must be a list of shift dicts or a to_roster() dict");
            s.staffing = roster_from_python(roster->cast<py::sequence>(),
                                            roster_horizon_length.value_or(s.horizon_length()),
                                            cyclic);
          }
        }
        RunOptions o;
        o.replications = replications;
        o.seed = seed;
        o.threads = threads;
        o.warmup = warmup;
        o.target_times = std::move(target_times);
        o.definitions.clear();
        for (const auto& d : definitions)
          o.definitions.push_back(queueing::parse_service_level_definition(d, "definitions"));
        o.keep_replications = keep_replications;
        o.first_replication = first_replication;
        o.keep_sums = keep_sums;
        py::gil_scoped_release nogil;
        return simulate(s, o);
      },
      py::kw_only(), py::arg("interval_length"), py::arg("arrival_rate"),
      py::arg("handle_time"), py::arg("patience") = Distribution::none(),
      py::arg("agents") = py::none(), py::arg("roster") = py::none(),
      py::arg("roster_horizon_length") = py::none(), py::arg("handle_time_mean") = py::none(),
      py::arg("patience_mean") = py::none(), py::arg("busyness_cv") = 0.0,
      py::arg("busyness_period_length") = 86400.0, py::arg("cyclic") = false,
      py::arg("arrival_times") = py::none(), py::arg("replications") = 100,
      py::arg("seed") = 1, py::arg("threads") = 0, py::arg("warmup") = 0.0,
      py::arg("target_times") = std::vector<double>{20.0},
      py::arg("definitions") = std::vector<std::string>{"answered_within", "wait_within",
                                                        "virtual_wait_within",
                                                        "answered_given_answered"},
      py::arg("keep_replications") = false, py::arg("first_replication") = 0,
      py::arg("keep_sums") = false, py::arg("handle_time_factors") = py::none(),
      py::arg("balance_chats") = true, py::arg("lines") = 0, py::arg("redial_probability") = 0.0,
      py::arg("redial_delay") = Distribution::exponential(60.0),
      py::arg("outbound_handle_time") = Distribution::none(), py::arg("reserve") = 0,
      R"(Simulates a scenario by independent replications (GIL released).

interval_length [s]; arrival_rate [1/s] per interval; handle_time and patience are
Distribution objects (per-interval means [s] via handle_time_mean / patience_mean rescale
them); staffing is either agents (one int per interval) or roster (a list of
{"start": s, "end": s, "agents": n, "breaks": [(start_s, length_s), ...]}, times in seconds
from the horizon start, or the dict wfm.schedule.to_roster returns). busyness_cv: a Poisson-gamma daily factor. warmup [s] is simulated
but not counted. target_times [s]; definitions: names of wfm queueing service-level
definitions. Results are identical for any number of threads. first_replication: the call
runs replications first_replication, first_replication + 1, ...; replication i draws its
random numbers from (seed, i) whichever call runs it. keep_sums: keep the per-replication sums
(result.sums) that merge() combines.

Multi-contact features (wfm::simulation::Scenario documents each): handle_time_factors
(chat: h_j / h_1 at concurrency j = 1..m; each agent holds up to m contacts), balance_chats
(keep agents' loads within one, as the ChatConcurrency model assumes), lines (0: no limit;
an attempt finding that many contacts in the system is blocked), redial_probability and
redial_delay (a Distribution [s]) after a busy signal or abandonment, outbound_handle_time
(a Distribution [s]: infinite outbound work for blending) with reserve (agents kept idle for
inbound). The result then also carries blocking_rate, effective_arrival_rate [1/s], lost_rate,
customer_service_level and outbound_throughput [1/s].)");

  m.def(
      "merge",
      [](const std::vector<ReplicationSums>& parts, bool keep_replications) {
        py::gil_scoped_release nogil;
        return merge(parts, keep_replications);
      },
      py::arg("parts"), py::kw_only(), py::arg("keep_replications") = false,
      R"(The SimulationResult of one simulate() call over all the replications of parts:
ReplicationSums of runs of consecutive replications (simulate with keep_sums=True and
first_replication), in replication order. Equal, bit for bit, to that call's result (GIL
released). Raises ValueError if the parts do not fit together.)");
}

}  // namespace wfm::python
