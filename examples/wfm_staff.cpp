// wfm-staff: required agents per interval from a CSV of intervals (Erlang C or Erlang A).
//
//   wfm-staff examples/data/sample_week.csv --sl 0.8 --target 20 --shrinkage 0.3 --summary
//
// Input columns: start (YYYY-MM-DD HH:MM), volume [calls per interval], aht_s [s], and
// optionally patience_s (mean patience [s]; empty or "inf" = no abandonment). Output, per
// interval: start,volume,aht_s,agents,scheduled_agents,sl,asa_s,abandon,occupancy,status.
// Exit codes: 0 done, 2 bad input or flags (the message names the file, line and column; no
// output is written).
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <limits>
#include <optional>
#include <string>
#include <vector>
#include <wfm/core/calendar.hpp>
#include <wfm/core/csv.hpp>
#include <wfm/core/error.hpp>
#include <wfm/core/units.hpp>
#include <wfm/queueing/staffing.hpp>

namespace q = wfm::queueing;

namespace {

struct Intervals {
  std::vector<std::int64_t> start;  // [s since 1970-01-01, local wall clock]
  std::vector<double> volume, aht, patience;
  bool has_patience = false;
};

Intervals read_intervals(const std::string& path) {
  const wfm::CsvTable t = wfm::read_csv(path);
  const std::size_t c_start = t.column("start"), c_vol = t.column("volume"),
                    c_aht = t.column("aht_s");
  const auto c_pat = t.find_column("patience_s");
  Intervals in;
  in.has_patience = c_pat.has_value();
  for (std::size_t r = 0; r < t.row_count(); ++r) {
    const std::int64_t s = t.timestamp(r, c_start);
    if (!in.start.empty() && s <= in.start.back())
      t.fail(r, c_start, "start times must increase from row to row");
    const double v = t.number(r, c_vol), h = t.number(r, c_aht);
    if (v < 0.0) t.fail(r, c_vol, fmt::format("volume must be >= 0 [calls], got {}", v));
    if (h < 0.0 || (v > 0.0 && h == 0.0))
      t.fail(r, c_aht, fmt::format("aht_s must be > 0 [s] when volume > 0, got {}", h));
    double p = std::numeric_limits<double>::infinity();
    if (c_pat && !t.text(r, *c_pat).empty() && t.text(r, *c_pat) != "inf") {
      p = t.number(r, *c_pat);
      if (p <= 0.0) t.fail(r, *c_pat, fmt::format("patience_s must be > 0 [s], got {}", p));
    }
    in.start.push_back(s);
    in.volume.push_back(v);
    in.aht.push_back(h);
    in.patience.push_back(p);
  }
  if (in.start.empty()) wfm::detail::throw_invalid(path, "no intervals (only a header)");
  return in;
}

// The interval length [s]: the smallest gap between consecutive starts (closed periods are
// simply absent, so larger gaps are allowed).
double infer_interval_length(const Intervals& in, const std::string& path) {
  std::int64_t gap = std::numeric_limits<std::int64_t>::max();
  for (std::size_t i = 1; i < in.start.size(); ++i) gap = std::min(gap, in.start[i] - in.start[i - 1]);
  if (in.start.size() < 2)
    wfm::detail::throw_invalid(path, "one interval only: give --interval-minutes");
  return static_cast<double>(gap);
}

// Every start lies a whole number of intervals after the previous one (closed periods are
// absent rows, never overlaps or half intervals).
void check_spacing(const Intervals& in, double len, const std::string& path) {
  for (std::size_t i = 1; i < in.start.size(); ++i) {
    const auto gap = static_cast<double>(in.start[i] - in.start[i - 1]);
    if (gap < len || std::fmod(gap, len) != 0.0)
      wfm::detail::throw_invalid(
          fmt::format("{}, line {}, column 'start'", path, wfm::CsvTable::line_of(i)),
          fmt::format("starts {:g} min after the previous interval, not a multiple of the "
                      "interval length {:g} min",
                      gap / 60.0, len / 60.0));
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"wfm-staff: required agents per interval (Erlang C or Erlang A) from a CSV of "
               "intervals with columns start, volume [calls], aht_s [s] and optionally "
               "patience_s [s]. Without --sl/--asa/--abandon/--occupancy the goal is 80 % "
               "answered within 20 s. Exit code 2 on bad input; nothing is written then."};
  std::string input, output = "-", model_name, definition = "answered_within", over = "all";
  std::optional<double> interval_minutes, sl, asa, abandon, occupancy;
  double target = 20.0, shrinkage = 0.0, tolerance = 1e-6;
  std::int64_t max_agents = 1'000'000;
  bool fractional = false, summary = false;
  app.add_option("input", input, "CSV of intervals: start,volume,aht_s[,patience_s]")->required();
  app.add_option("-o,--output", output, "output CSV file; '-' = standard output")
      ->capture_default_str();
  app.add_option("--model", model_name,
                 "erlang_c (no abandonment) or erlang_a (needs patience_s); default: erlang_a "
                 "when the input has patience_s, else erlang_c")
      ->check(CLI::IsMember({"erlang_c", "erlang_a"}));
  app.add_option("--interval-minutes", interval_minutes,
                 "interval length [min]; default: inferred from the spacing of 'start'");
  app.add_option("--sl", sl, "service level goal: fraction in (0, 1) answered within --target");
  app.add_option("--target", target, "target time t of the service level [s]")
      ->capture_default_str();
  app.add_option("--definition", definition,
                 "service level definition: answered_within | wait_within | "
                 "virtual_wait_within | answered_given_answered")
      ->capture_default_str();
  app.add_option("--asa", asa, "goal: average speed of answer <= this [s]");
  app.add_option("--asa-over", over, "ASA averaged over 'all' callers or 'answered' only")
      ->capture_default_str();
  app.add_option("--abandon", abandon, "goal: P(abandon) <= this fraction in (0, 1]");
  app.add_option("--occupancy", occupancy, "goal: agent occupancy <= this fraction in (0, 1]");
  app.add_option("--shrinkage", shrinkage,
                 "fraction of paid time not on calls, in [0, 1): scheduled = agents / (1 - s)")
      ->capture_default_str();
  app.add_option("--max-agents", max_agents, "largest staffing tried per interval [agents]; "
                 "beyond it the interval is 'infeasible'")->capture_default_str();
  app.add_flag("--fractional", fractional, "real-valued required agents (continuous extension)");
  app.add_option("--tolerance", tolerance, "precision of --fractional [agents]")
      ->capture_default_str();
  app.add_flag("--summary", summary, "print a summary of the plan on standard error");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }

  try {
    const Intervals in = read_intervals(input);
    const std::string model =
        !model_name.empty() ? model_name : (in.has_patience ? "erlang_a" : "erlang_c");
    if (model == "erlang_a" && !in.has_patience)
      wfm::detail::throw_invalid(input, "--model erlang_a needs a patience_s column");
    double len = 0.0;
    if (interval_minutes) {
      wfm::detail::require_positive("--interval-minutes", "the interval length [min]",
                                    *interval_minutes);
      len = wfm::minutes(*interval_minutes);
    } else {
      len = infer_interval_length(in, input);
    }
    check_spacing(in, len, input);
    q::StaffingGoal goal{.service_level = sl, .target_time = target,
                         .definition = q::parse_service_level_definition(definition, "--definition"),
                         .max_asa = asa, .asa_over = q::parse_asa_over(over, "--asa-over"),
                         .max_abandon = abandon, .max_occupancy = occupancy};
    if (!sl && !asa && !abandon && !occupancy) goal.service_level = 0.8;
    // Check the flags here so that errors name them (the library names the goal's fields).
    if (sl) wfm::detail::require_open_unit("--sl", "the service level", *sl);
    wfm::detail::require_nonnegative("--target", "the target time [s]", target);
    if (asa) wfm::detail::require_positive("--asa", "the ASA goal [s]", *asa);
    if (abandon && !(*abandon > 0.0 && *abandon <= 1.0))
      wfm::detail::throw_invalid("--abandon", "must be in (0, 1]", *abandon);
    if (occupancy && !(*occupancy > 0.0 && *occupancy <= 1.0))
      wfm::detail::throw_invalid("--occupancy", "must be in (0, 1]", *occupancy);
    if (!(shrinkage >= 0.0 && shrinkage < 1.0))
      wfm::detail::throw_invalid("--shrinkage", "must be in [0, 1)", shrinkage);
    goal.validate("wfm-staff: goal");
    const q::PlanOptions opt{.staffing = {.max_agents = max_agents, .fractional = fractional,
                                          .tolerance = tolerance}};
    const std::vector<double> none;
    const q::HorizonPlan plan = q::plan_horizon(in.volume, in.aht, len,
                                                model == "erlang_a" ? in.patience : none, goal,
                                                shrinkage, opt);

    std::string csv = "start,volume,aht_s,agents,scheduled_agents,sl,asa_s,abandon,occupancy,status\n";
    for (std::size_t i = 0; i < plan.size(); ++i)
      csv += fmt::format("{},{},{},{},{:.4f},{:.6f},{:.3f},{:.6f},{:.6f},{}\n",
                         wfm::format_timestamp(in.start[i]), in.volume[i], in.aht[i],
                         plan.agents_required[i], plan.agents_required_gross[i], plan.service_level[i],
                         plan.asa_s[i], plan.abandon_rate[i],
                         plan.occupancy[i], wfm::to_string(plan.status[i]));
    wfm::write_file_atomic(output, csv);

    if (summary) {
      double volume = 0.0, agent_s = 0.0, sched_s = 0.0, sl_w = 0.0, asa_w = 0.0, ab_w = 0.0;
      std::size_t peak = 0;
      for (std::size_t i = 0; i < plan.size(); ++i) {
        volume += in.volume[i];
        agent_s += plan.agents_required[i] * len;
        sched_s += plan.agents_required_gross[i] * len;
        sl_w += in.volume[i] * plan.service_level[i];
        asa_w += in.volume[i] * plan.asa_s[i];
        ab_w += in.volume[i] * plan.abandon_rate[i];
        if (plan.agents_required[i] > plan.agents_required[peak]) peak = i;
      }
      const double w = volume > 0.0 ? volume : 1.0;
      std::vector<std::string> goal_text;
      if (goal.service_level)
        goal_text.push_back(fmt::format("SL >= {:g} within {:g} s ({})", *goal.service_level,
                                        target, q::to_string(goal.definition)));
      if (asa) goal_text.push_back(fmt::format("ASA <= {:g} s (over {})", *asa, over));
      if (abandon) goal_text.push_back(fmt::format("P(abandon) <= {:g}", *abandon));
      if (occupancy) goal_text.push_back(fmt::format("occupancy <= {:g}", *occupancy));
      fmt::print(stderr,
                 "wfm-staff: {} intervals of {:g} min, model {}, goal: {}\n"
                 "  total volume            {:.0f} calls\n"
                 "  peak agents             {:g} at {}\n"
                 "  agent-hours required    {:.1f}\n"
                 "  agent-hours scheduled   {:.1f} (shrinkage {:g})\n"
                 "  weighted SL             {:.4f} (within {:g} s, {})\n"
                 "  weighted ASA            {:.2f} s (over {})\n"
                 "  weighted abandon        {:.4f}\n"
                 "  intervals infeasible    {}\n",
                 plan.size(), len / 60.0, model,
                 fmt::join(goal_text, ", "),
                 volume, plan.agents_required[peak], wfm::format_timestamp(in.start[peak]),
                 agent_s / 3600.0, sched_s / 3600.0, shrinkage, sl_w / w, target,
                 q::to_string(goal.definition), asa_w / w, q::to_string(goal.asa_over), ab_w / w,
                 plan.infeasible_count());
    }
    return 0;
  } catch (const wfm::InvalidArgument& e) {
    fmt::print(stderr, "wfm-staff: error: {}\n", e.what());
    return 2;
  }
}
