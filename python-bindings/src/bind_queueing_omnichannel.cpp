// wfm.queueing, omnichannel part: chat with concurrency, Erlang X, and models by name
// (chat_concurrency.hpp, erlang_x.hpp, model_registry.hpp). Kept apart from bind_queueing.cpp
// so the two can change independently; it adds to the same submodule, with the same rules:
// keyword-only arguments with units, the GIL released around every search and loop.
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <wfm/queueing/backlog.hpp>
#include <wfm/queueing/chat_concurrency.hpp>
#include <wfm/queueing/erlang_x.hpp>
#include <wfm/queueing/general_patience.hpp>
#include <wfm/queueing/model_registry.hpp>

#include "bindings.hpp"

namespace wfm::python {
namespace {

namespace q = wfm::queueing;
using namespace pybind11::literals;

void bind_chat(py::module_& m) {
  py::class_<q::ChatMetrics>(m, "ChatMetrics", "Every metric of a chat queue at one staffing.")
      .def_readonly("wait_probability", &q::ChatMetrics::wait_probability,
                    "P(every chat slot busy on arrival)")
      .def_readonly("service_level", &q::ChatMetrics::service_level)
      .def_readonly("asa_s", &q::ChatMetrics::asa_s, "ASA [s]")
      .def_readonly("abandon_rate", &q::ChatMetrics::abandon_rate)
      .def_readonly("queue_length", &q::ChatMetrics::queue_length, "E[chats waiting]")
      .def_readonly("occupancy", &q::ChatMetrics::occupancy, "E[chats in progress] / (n m)")
      .def_readonly("mean_concurrency", &q::ChatMetrics::mean_concurrency,
                    "E[chats in progress] / E[agents holding a chat]")
      .def_property_readonly("status",
                             [](const q::ChatMetrics& x) { return std::string(to_string(x.status)); })
      .def_readonly("message", &q::ChatMetrics::message);

  def_queue_model_methods(py::class_<q::ChatConcurrency>(
      m, "ChatConcurrency",
      "Chat with concurrency (exact birth-death chain): agents hold up to m chats; a chat "
      "takes handle_time_by_concurrency[j-1] [s] when its agent holds j; customers abandon "
      "after an exponential patience. m = 1 is Erlang A. Real-valued agents interpolate.")
      .def(py::init<double, std::vector<double>, double>(), py::kw_only(),
           py::arg("arrival_rate"), py::arg("handle_time_by_concurrency"), py::arg("patience"),
           "arrival_rate [1/s] >= 0; handle_time_by_concurrency [s], one per concurrency "
           "1..m, each > 0; patience (mean) [s] > 0 and finite."))
      .def("mean_queue_length", &q::ChatConcurrency::mean_queue_length, py::arg("agents"))
      .def_property_readonly("arrival_rate", &q::ChatConcurrency::arrival_rate, "[1/s]")
      .def_property_readonly("patience", &q::ChatConcurrency::patience, "mean [s]")
      .def_property_readonly("max_concurrency", &q::ChatConcurrency::max_concurrency)
      .def_property_readonly("handle_time_by_concurrency",
                             &q::ChatConcurrency::handle_time_by_concurrency, "[s]");
}

void bind_erlang_x(py::module_& m) {
  py::class_<q::ErlangXMetrics>(m, "ErlangXMetrics", "Every metric of Erlang X at one staffing.")
      .def_readonly("effective_arrival_rate", &q::ErlangXMetrics::effective_arrival_rate,
                    "attempts incl. redials [1/s]")
      .def_readonly("blocking_rate", &q::ErlangXMetrics::blocking_rate, "per attempt")
      .def_readonly("abandon_rate", &q::ErlangXMetrics::abandon_rate, "per attempt")
      .def_readonly("wait_probability", &q::ErlangXMetrics::wait_probability, "per attempt")
      .def_readonly("service_level", &q::ErlangXMetrics::service_level, "per attempt")
      .def_readonly("customer_service_level", &q::ErlangXMetrics::customer_service_level)
      .def_readonly("lost_rate", &q::ErlangXMetrics::lost_rate, "per fresh customer")
      .def_readonly("asa_s", &q::ErlangXMetrics::asa_s, "[s]")
      .def_readonly("queue_length", &q::ErlangXMetrics::queue_length)
      .def_readonly("occupancy", &q::ErlangXMetrics::occupancy)
      .def_readonly("iterations", &q::ErlangXMetrics::iterations)
      .def_property_readonly(
          "status", [](const q::ErlangXMetrics& x) { return std::string(to_string(x.status)); })
      .def_readonly("message", &q::ErlangXMetrics::message);

  def_redial_model_methods(py::class_<q::ErlangX>(
      m, "ErlangX",
      "Erlang X: finite lines (busy signals), exponential patience, redials with probability "
      "redial_probability after a busy signal or an abandonment (Poisson redial fixed point, "
      "solved by bracketing). lines = agents and no redials is Erlang B; many lines and no "
      "redials is Erlang A.")
      .def(py::init<double, double, double, std::int64_t, double>(), py::kw_only(),
           py::arg("arrival_rate"), py::arg("handle_time"), py::arg("patience"),
           py::arg("lines"), py::arg("redial_probability") = 0.0,
           "arrival_rate (fresh) [1/s] >= 0, handle_time [s] > 0, patience (mean) [s] > 0, "
           "lines >= 1, redial_probability in [0, 1)."));
}

}  // namespace

void bind_general_patience(py::module_& m) {
  using PD = q::PatienceDistribution;
  py::class_<PD>(m, "PatienceDistribution",
                 "A law of patience [s]: build with exponential(mean), deterministic(value), "
                 "lognormal(mean, cv), weibull(mean, k), gamma(mean, k) (Erlang-k), "
                 "piecewise_hazard(knots, hazard) or from_survival(times, survival) (an "
                 "estimated survival curve, e.g. wfm.kpi's Kaplan-Meier).")
      .def_static("exponential", &PD::exponential, py::arg("mean"))
      .def_static("deterministic", &PD::deterministic, py::arg("value"))
      .def_static("lognormal", &PD::lognormal, py::arg("mean"), py::arg("cv"))
      .def_static("weibull", &PD::weibull, py::arg("mean"), py::arg("k"))
      .def_static("gamma", &PD::gamma, py::arg("mean"), py::arg("k"))
      .def_static("piecewise_hazard", &PD::piecewise_hazard, py::arg("knots"), py::arg("hazard"),
                  "knots t_1 < ... < t_m [s], hazard h_0 .. h_m [1/s] (h_i on [t_i, t_{i+1}))")
      .def_static("from_survival", &PD::from_survival, py::arg("times"), py::arg("survival"),
                  py::arg("tail_hazard") = std::numeric_limits<double>::quiet_NaN(),
                  "S(t_j) at times t_j [s], joined log-linearly; tail_hazard [1/s] beyond the "
                  "last time (default: the data's mean hazard)")
      .def_readonly("knots", &PD::knots, "[s] (piecewise_hazard)")
      .def_readonly("hazard", &PD::hazard, "[1/s] (piecewise_hazard)")
      .def("survival", &PD::survival, py::arg("x"), "P(patience > x)")
      .def("mean_truncated", &PD::mean_truncated, py::arg("x"), "E[min(patience, x)] [s]")
      .def_readonly("mean", &PD::mean, "[s]")
      .def_readonly("shape", &PD::shape, "lognormal cv, Weibull or gamma k");
  py::class_<q::GeneralPatienceMetrics>(m, "GeneralPatienceMetrics",
                                        "Every metric of M/M/n+G at one staffing.")
      .def_readonly("wait_probability", &q::GeneralPatienceMetrics::wait_probability)
      .def_readonly("service_level", &q::GeneralPatienceMetrics::service_level)
      .def_readonly("asa_s", &q::GeneralPatienceMetrics::asa_s, "[s]")
      .def_readonly("abandon_rate", &q::GeneralPatienceMetrics::abandon_rate)
      .def_readonly("queue_length", &q::GeneralPatienceMetrics::queue_length)
      .def_readonly("occupancy", &q::GeneralPatienceMetrics::occupancy)
      .def_property_readonly("status", [](const q::GeneralPatienceMetrics& x) {
        return std::string(to_string(x.status));
      })
      .def_readonly("message", &q::GeneralPatienceMetrics::message);
  def_queue_model_methods(py::class_<q::GeneralPatience>(
      m, "GeneralPatience",
      "M/M/n+G: Erlang A with a general patience law (Mandelbaum & Zeltyn's exact formulas, "
      "by quadrature). Exponential patience is Erlang A.")
      .def(py::init<double, double, PD>(), py::kw_only(), py::arg("arrival_rate"),
           py::arg("handle_time"), py::arg("patience"),
           "arrival_rate [1/s] >= 0, handle_time [s] > 0, patience: a PatienceDistribution."))
      .def_property_readonly("arrival_rate", &q::GeneralPatience::arrival_rate, "[1/s]")
      .def_property_readonly("handle_time", &q::GeneralPatience::handle_time, "[s]");
}

void backlog_into(py::dict& out, const q::BacklogResult& r) {
  out["handled"] = to_numpy(r.handled);
  out["backlog"] = to_numpy(r.backlog);
  out["oldest_age_s"] = to_numpy(r.oldest_age_s);
  out["within_deadline"] = to_numpy(r.within_deadline);
  out["occupancy"] = to_numpy(r.occupancy);
  out["within_deadline_total"] = r.within_deadline_total;
  out["carried_over"] = r.carried_over;
  out["pending"] = r.pending;
}

// The dict of a required_backlog_agents*() result; `per_day` adds day_within_deadline.
py::dict backlog_staffing_dict(const q::BacklogStaffing& s, bool per_day = false) {
  py::dict out;
  out["agents_required"] = to_numpy(s.agents_required);
  out["cumulative_agent_time_s"] = to_numpy(s.cumulative_agent_time_s);
  backlog_into(out, s.outcome);
  if (per_day) out["day_within_deadline"] = to_numpy(s.day_within_deadline);
  out["status"] = std::string(to_string(s.status));
  out["message"] = s.message;
  return out;
}

void bind_backlog(py::module_& m) {
  m.def(
      "evaluate_backlog",
      [](const py::object& volumes, double handle_time, double interval_length, double deadline,
         const py::object& agents) {
        const std::vector<double> v = doubles_of(volumes, "volumes");
        const std::vector<double> a = doubles_of(agents, "agents");
        q::BacklogResult r;
        {
          py::gil_scoped_release nogil;
          r = q::evaluate_backlog({v, handle_time, interval_length, deadline}, a);
        }
        py::dict out;
        backlog_into(out, r);
        return out;
      },
      py::kw_only(), py::arg("volumes"), py::arg("handle_time"), py::arg("interval_length"),
      py::arg("deadline"), py::arg("agents"),
      "Email / back office with a deadline (FIFO fluid backlog carried over between intervals; "
      "backlog.hpp). volumes [items per interval], handle_time [s per item], interval_length "
      "[s], deadline [s], agents [per interval, real]. Returns a dict: handled, backlog, "
      "oldest_age_s, within_deadline, occupancy (arrays per interval), within_deadline_total, "
      "carried_over, pending.");
  m.def(
      "required_backlog_agents",
      [](const py::object& volumes, double handle_time, double interval_length, double deadline,
         const std::optional<std::vector<bool>>& open) {
        const std::vector<double> v = doubles_of(volumes, "volumes");
        q::BacklogStaffing s;
        {
          py::gil_scoped_release nogil;
          s = q::required_backlog_agents({v, handle_time, interval_length, deadline},
                                         open.value_or(std::vector<bool>{}));
        }
        return backlog_staffing_dict(s);
      },
      py::kw_only(), py::arg("volumes"), py::arg("handle_time"), py::arg("interval_length"),
      py::arg("deadline"), py::arg("open") = py::none(),
      "The least agents per interval doing every item within `deadline` [s, a whole number of "
      "intervals], with agents only where `open` (working hours; None: all): just in time. "
      "Returns a dict: agents_required, cumulative_agent_time_s (the least agent time worked "
      "by the end of each interval), the evaluate_backlog() outcome at that staffing, status "
      "('ok' or 'infeasible': items arriving too close to a closing) and message.");
  m.def(
      "required_backlog_agents_share",
      [](const py::object& volumes, double handle_time, double interval_length, double deadline,
         double goal, const std::optional<std::vector<bool>>& open, double tolerance) {
        const std::vector<double> v = doubles_of(volumes, "volumes");
        q::BacklogStaffing s;
        {
          py::gil_scoped_release nogil;
          s = q::required_backlog_agents_share({v, handle_time, interval_length, deadline}, goal,
                                               open.value_or(std::vector<bool>{}), tolerance);
        }
        return backlog_staffing_dict(s);
      },
      py::kw_only(), py::arg("volumes"), py::arg("handle_time"), py::arg("interval_length"),
      py::arg("deadline"), py::arg("goal"), py::arg("open") = py::none(),
      py::arg("tolerance") = 1e-6,
      "The least level staffing (the same agents in every open interval) with which a share "
      ">= goal of the items is done within `deadline` [s] over the horizon, FIFO (the oldest "
      "items of the backlog built in the peaks slip). Same dict as required_backlog_agents().");
  m.def(
      "required_backlog_agents_share_per_day",
      [](const py::object& volumes, double handle_time, double interval_length, double deadline,
         double goal, std::int64_t intervals_per_day, const std::optional<std::vector<bool>>& open,
         double tolerance) {
        const std::vector<double> v = doubles_of(volumes, "volumes");
        if (intervals_per_day < 1)
          throw py::value_error("intervals_per_day must be >= 1, got " +
                                std::to_string(intervals_per_day));
        q::BacklogStaffing s;
        {
          py::gil_scoped_release nogil;
          s = q::required_backlog_agents_share_per_day(
              {v, handle_time, interval_length, deadline}, goal,
              static_cast<std::size_t>(intervals_per_day), open.value_or(std::vector<bool>{}),
              tolerance);
        }
        return backlog_staffing_dict(s, true);
      },
      py::kw_only(), py::arg("volumes"), py::arg("handle_time"), py::arg("interval_length"),
      py::arg("deadline"), py::arg("goal"), py::arg("intervals_per_day"),
      py::arg("open") = py::none(), py::arg("tolerance") = 1e-6,
      "A level per day (days of intervals_per_day intervals) such that every day's arrivals "
      "meet the share goal within `deadline` [s], FIFO; a day's late items are its own (see "
      "backlog.hpp for the definition). The dict of required_backlog_agents_share() plus "
      "day_within_deadline.");
}

void bind_queueing_omnichannel(py::module_& root) {
  py::module_ m = root.attr("queueing");
  bind_chat(m);
  bind_erlang_x(m);
  bind_backlog(m);
  bind_general_patience(m);
  const char* required_doc =
      "The smallest number of agents meeting every criterion of `goal` (see the ErlangA "
      "overload).";
  def_required_agents<q::ChatConcurrency>(m, required_doc);
  def_required_agents<q::ErlangX>(m, required_doc);
  def_required_agents<q::GeneralPatience>(m, required_doc);
  m.def("model_names", [] {
    std::vector<std::string> out;
    for (auto n : q::model_names()) out.emplace_back(n);
    return out;
  }, "Names of the models plan_horizon(model=...) and wfm-staff --model know.");
  m.def(
      "plan_horizon",
      [](const std::string& model, const py::object& volumes, const py::object& handle_times,
         double interval_length, const q::StaffingGoal& goal, double patience,
         std::vector<double> handle_time_factors, std::int64_t lines, double redial_probability,
         const std::string& patience_distribution, double patience_shape, double shrinkage, std::int64_t max_agents, bool fractional, double tolerance,
         int threads, std::int64_t reserve, double outbound_handle_time, double redial_delay,
         const std::optional<q::PatienceDistribution>& patience_law) {
        const std::vector<double> v = doubles_of(volumes, "volumes");
        const std::vector<double> h = doubles_of(handle_times, "handle_times");
        q::ModelSpec spec{.name = model, .patience = patience,
                                .handle_time_factors = std::move(handle_time_factors),
                                .lines = lines, .redial_probability = redial_probability,
                                .redial_delay = redial_delay,
                                .patience_distribution = patience_distribution,
                                .patience_shape = patience_shape, .reserve = reserve,
                                .outbound_handle_time = outbound_handle_time};
        spec.patience_law = patience_law;
        const q::PlanOptions opt{.staffing = {.max_agents = max_agents,
                                              .fractional = fractional,
                                              .tolerance = tolerance},
                                 .threads = threads};
        q::HorizonPlan plan;
        {
          py::gil_scoped_release nogil;
          plan = q::plan_horizon(spec, v, h, interval_length, goal, shrinkage, opt);
        }
        return horizon_plan_dict(plan);
      },
      py::kw_only(), py::arg("model"), py::arg("volumes"), py::arg("handle_times"),
      py::arg("interval_length"), py::arg("goal"),
      py::arg("patience") = std::numeric_limits<double>::infinity(),
      py::arg("handle_time_factors") = std::vector<double>{}, py::arg("lines") = 0,
      py::arg("redial_probability") = 0.0, py::arg("patience_distribution") = "exponential",
      py::arg("patience_shape") = 1.0, py::arg("shrinkage") = 0.0,
      py::arg("max_agents") = 1'000'000, py::arg("fractional") = false,
      py::arg("tolerance") = 1e-6, py::arg("threads") = 0, py::arg("reserve") = 0,
      py::arg("outbound_handle_time") = 0.0, py::arg("redial_delay") = 0.0,
      py::arg("patience_law") = py::none(),
      "Staff every interval with a model by name (model_names()): 'erlang_c', 'erlang_a', "
      "'chat' (handle_time_factors: h_j / h_1 per concurrency j, the interval's AHT is h_1) or "
      "'erlang_x' (lines, redial_probability; redial_delay [s] > 0: the exact retrial "
      "chain, 0: the Poisson fixed point) or 'general_patience' (patience_distribution: "
      "exponential, deterministic, lognormal, weibull, gamma; patience_shape: lognormal cv, "
      "Weibull or gamma k; or piecewise_hazard / estimated with patience_law, a "
      "PatienceDistribution of its own mean, which `patience` does not change) or 'blending' "
      "(reserve: idle agents kept for inbound; outbound_handle_time [s], 0: the inbound "
      "AHT). patience: mean [s]. Same result as the "
      "patience-based overload.");
}

}  // namespace wfm::python
