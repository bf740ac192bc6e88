// wfm-capacity: a capacity plan weeks to months ahead: weekly demand -> paid FTE required ->
// the least-cost hiring plan (integer programme), with optional what-if scenarios.
//
//   wfm-capacity --demand examples/data/capacity_demand.csv
//                --profile examples/data/sample_week.csv --cohorts examples/data/capacity_cohorts.csv
//                --classes examples/data/capacity_classes.csv -o plan.csv --what-if whatif.csv
//
// Exit codes: 0 plan found, 2 bad input (nothing written), 3 the goal cannot be met in some
// weeks (the plan, with those weeks named on stderr, is written), 4 time limit without a plan.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <iostream>
#include <limits>
#include <string>
#include <vector>
#include <wfm/capacity/capacity.hpp>
#include <wfm/core/csv.hpp>
#include <wfm/core/error.hpp>

#include "cli_common.hpp"

namespace cap = wfm::capacity;

namespace {

double nonneg(const wfm::CsvTable& t, std::size_t r, std::size_t c) {
  const double x = t.number(r, c);
  if (!(x >= 0.0) || x == std::numeric_limits<double>::infinity())
    t.fail(r, c, fmt::format("must be finite and >= 0, got {}", x));
  return x;
}

int whole(const wfm::CsvTable& t, std::size_t r, std::size_t c) {
  const double x = nonneg(t, r, c);
  if (x != std::floor(x) || x > 1e6) t.fail(r, c, fmt::format("must be a whole number <= 1e6, got {}", x));
  return static_cast<int>(x);
}

// week,volume,aht_s[,leave][,max_temps]  or  week,fte_required[,leave][,max_temps]
void read_demand(const std::string& path, cap::CapacityInput& in) {
  const wfm::CsvTable t = wfm::read_csv(path);
  const std::size_t c_week = t.column("week");
  const auto c_req = t.find_column("fte_required");
  const auto c_leave = t.find_column("leave"), c_temps = t.find_column("max_temps");
  const std::size_t c_vol = c_req ? 0 : t.column("volume"), c_aht = c_req ? 0 : t.column("aht_s");
  for (std::size_t r = 0; r < t.row_count(); ++r) {
    if (whole(t, r, c_week) != static_cast<int>(r))
      t.fail(r, c_week, fmt::format("weeks must be 0, 1, 2, ... in order; expected {}", r));
    if (c_req) {
      in.hiring.fte_required.push_back(nonneg(t, r, *c_req));
    } else {
      in.demand.volume.push_back(nonneg(t, r, c_vol));
      const double h = t.number(r, c_aht);
      if (!(h > 0.0) || h > 1e6) t.fail(r, c_aht, fmt::format("must be in (0, 1e6] s, got {}", h));
      in.demand.aht_s.push_back(h);
    }
    if (c_leave) {
      const double l = t.number(r, *c_leave);
      if (!(l >= 0.0 && l <= 1.0)) t.fail(r, *c_leave, fmt::format("a fraction in [0, 1], got {}", l));
      in.hiring.supply.leave.push_back(l);
    }
    if (c_temps) in.hiring.max_temps.push_back(nonneg(t, r, *c_temps));
  }
  if (t.row_count() == 0) wfm::detail::throw_invalid(path, "no weeks (only a header)");
}

// The shares of a representative week: the 'volume' column of an interval CSV, normalised.
std::vector<double> read_profile(const std::string& path) {
  const wfm::CsvTable t = wfm::read_csv(path);
  const std::size_t c = t.column("volume");
  std::vector<double> v;
  double sum = 0.0;
  for (std::size_t r = 0; r < t.row_count(); ++r) sum += v.emplace_back(nonneg(t, r, c));
  if (!(sum > 0.0)) wfm::detail::throw_invalid(path, "the profile's volumes sum to 0");
  for (double& x : v) x /= sum;
  return v;
}

std::string plan_csv(const cap::CapacityPlan& p, const cap::CapacityInput& in) {
  const cap::Requirement& q = p.requirement;
  const cap::HiringPlan& h = p.hiring;
  std::string csv = "week,volume,aht_s,agent_time_s,fte_productive_required";
  for (const auto& n : q.shrinkage_names) csv += ",shrinkage_" + n;
  csv += ",shrinkage,scheduling_efficiency,fte_required,hires,leavers,headcount,headcount_training,"
         "headcount_ramp,headcount_tenured,fte_paid,fte_available,overtime,temps,fte_gap,cost\n";
  for (std::size_t w = 0; w < h.fte_required.size(); ++w) {
    const bool given = in.demand.volume.empty();
    csv += fmt::format("{},{},{},{:.1f},{:.4f}", w, given ? "" : fmt::format("{:g}", in.demand.volume[w]),
                       given ? "" : fmt::format("{:g}", in.demand.aht_s.size() == 1 ? in.demand.aht_s[0] : in.demand.aht_s[w]),
                       q.agent_time_s[w], q.fte_productive_required[w]);
    for (const auto& col : q.shrinkage_by_category) csv += fmt::format(",{:.4f}", col[w]);
    const auto& s = h.supply;
    csv += fmt::format(",{:.4f},{:.4f},{:.4f},{:g},{:.4f},{:.4f},{:.4f},{:.4f},{:.4f},{:.4f},{:.4f},"
                       "{:.4f},{:.4f},{:.4f},{:.2f}\n",
                       q.shrinkage[w], q.scheduling_efficiency, h.fte_required[w], s.hires[w],
                       s.leavers[w], s.headcount[w], s.headcount_training[w], s.headcount_ramp[w],
                       s.headcount_tenured[w], s.fte_paid[w], s.fte_available[w], h.overtime[w],
                       h.temps[w], h.fte_gap[w], h.cost_week[w]);
  }
  return csv;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"wfm-capacity: weekly capacity plan. Demand (week,volume [contacts per week],aht_s "
               "[s], or week,fte_required [FTE]; optional leave [fraction], max_temps [FTE]) -> paid "
               "FTE required (queueing per interval of --profile at the goal, scheduling "
               "efficiency, shrinkage by category) -> least-cost hiring plan (integer programme). "
               "Exit codes: 0 ok, 2 bad input (nothing written), 3 weeks that cannot be covered "
               "(named on stderr; the plan is written), 4 time limit."};
  cap::CapacityInput in;
  auto& d = in.demand;
  auto& hp = in.hiring;
  std::string demand, profile, cohorts, classes, output = "-", what_if;
  double brk = 0.0, meet = 0.0, train = 0.0, absn = 0.0, hol = 0.0, sl = 0.8;
  double time_limit = 30.0;
  app.add_option("--demand", demand, "CSV, one row per week (see above)")->required();
  app.add_option("--profile", profile, "CSV of a representative week's intervals with a 'volume' "
                 "column (e.g. examples/data/sample_week.csv); needed with volume demand");
  app.add_option("--interval-length", d.interval_length_s, "length of the profile's intervals [s]")->capture_default_str();
  app.add_option("--cohorts", cohorts, "CSV tenure_weeks,headcount [FTE]: staff at week 0")->required();
  app.add_option("--classes", classes, "CSV start_week,min_size,max_size [people]: hiring classes");
  app.add_option("--service-level", sl, "goal: fraction answered within --target-time")->capture_default_str();
  app.add_option("--target-time", d.goal.target_time, "[s]")->capture_default_str();
  app.add_option("--patience", d.patience_s, "mean patience [s] (Erlang A); default inf = Erlang C");
  for (auto [flag, var] : {std::pair{"--shrinkage-breaks", &brk}, {"--shrinkage-meetings", &meet},
                           {"--shrinkage-training", &train}, {"--shrinkage-absence", &absn},
                           {"--shrinkage-holidays", &hol}})
    app.add_option(flag, *var, "share of paid time, a fraction in [0, 1)")->capture_default_str();
  app.add_option("--scheduling-efficiency", d.scheduling_efficiency, "paid / required hours, >= 1")->capture_default_str();
  app.add_option("--fte-week", d.fte_week_s, "paid time of one FTE per week [s]")->capture_default_str();
  app.add_option("--attrition", hp.supply.attrition, "weekly attrition rate by week of tenure, "
                 "fractions in [0, 1); the last holds afterwards")->delimiter(',')->capture_default_str();
  app.add_option("--training-weeks", hp.supply.training_weeks, "paid, unproductive weeks of a hire")->capture_default_str();
  app.add_option("--ramp", hp.supply.ramp, "productivity by week after training, fractions")->delimiter(',');
  app.add_option("--salary", hp.costs.salary, "[currency per FTE-week]")->capture_default_str();
  app.add_option("--hire-cost", hp.costs.hire_cost, "[currency per hire]")->capture_default_str();
  app.add_option("--training-cost", hp.costs.training_cost, "[currency per hire]")->capture_default_str();
  app.add_option("--overtime-cost", hp.costs.overtime, "[currency per FTE-week]")->capture_default_str();
  app.add_option("--temp-cost", hp.costs.temp, "[currency per FTE-week]")->capture_default_str();
  app.add_option("--understaffing-cost", hp.costs.understaffing, "penalty [currency per FTE-week short]")->capture_default_str();
  app.add_option("--max-overtime", hp.max_overtime, "overtime at most this fraction of available FTE")->capture_default_str();
  app.add_option("--gap-tolerance", hp.gap_tolerance, "shortfall at most this fraction of fte_required")->capture_default_str();
  app.add_option("--time-limit", time_limit, "of the integer programme [s]")->capture_default_str();
  app.add_option("-o,--output", output, "plan CSV, one row per week; '-' = stdout")->capture_default_str();
  app.add_option("--what-if", what_if, "also write the what-if table (volume +-10 %, AHT +5 %, "
                 "attrition x2, largest class cancelled) to this CSV");
  return wfm::cli::run("wfm-capacity", app, argc, argv, [&] {
    read_demand(demand, in);
    if (!d.volume.empty()) {
      if (profile.empty()) wfm::detail::throw_invalid("--profile", "needed when the demand gives volume");
      d.profile = read_profile(profile);
    }
    d.goal.service_level = sl;
    for (auto [name, v] : {std::pair{"breaks", brk}, {"meetings", meet}, {"training", train},
                           {"absence", absn}, {"holidays", hol}})
      d.shrinkage.push_back({name, {v}});
    wfm::CsvTable tc = wfm::read_csv(cohorts);
    for (std::size_t r = 0; r < tc.row_count(); ++r)
      hp.supply.cohorts.push_back({whole(tc, r, tc.column("tenure_weeks")), nonneg(tc, r, tc.column("headcount"))});
    if (!classes.empty()) {
      wfm::CsvTable t = wfm::read_csv(classes);
      const std::size_t cs = t.column("start_week"), c0 = t.column("min_size"), c1 = t.column("max_size");
      for (std::size_t r = 0; r < t.row_count(); ++r) {
        const int s = whole(t, r, cs);
        if (s >= static_cast<int>(std::max(d.volume.size(), hp.fte_required.size())))
          t.fail(r, cs, fmt::format("class starts after the plan's last week, got {}", s));
        hp.classes.push_back({s, whole(t, r, c0), whole(t, r, c1)});
        if (hp.classes.back().max_size < hp.classes.back().min_size)
          t.fail(r, c1, "max_size must be >= min_size");
      }
    }
    const cap::CapacityPolicy policy{.time_limit_s = time_limit};
    const cap::CapacityPlan plan = cap::plan_capacity(in, policy);
    const cap::HiringPlan& h = plan.hiring;
    std::string wcsv;
    if (!what_if.empty()) {
      wcsv = "scenario,status,fte_required,hires,class_size,cost,lower_bound,fte_gap,weeks_short\n";
      for (const auto& r : cap::compare_scenarios(in, cap::standard_scenarios(h), policy))
        wcsv += fmt::format("{},{},{:.2f},{:g},\"{}\",{:.0f},{:.0f},{:.3f},{}\n", r.name,
                            wfm::to_string(r.status), r.fte_required_mean, r.hires,
                            fmt::join(r.class_size, " "), r.cost, r.lower_bound, r.fte_gap_max, r.weeks_short);
    }
    if (wfm::has_result(h.status) || h.status == wfm::Status::infeasible) {
      wfm::OutputSet outputs;  // both files or neither
      outputs.add(output, plan_csv(plan, in));
      if (!what_if.empty()) outputs.add(what_if, std::move(wcsv));
      outputs.commit();
    }
    std::cerr << fmt::format("status       {}\nclass sizes  {}\ncost         {:.0f}\nlower bound  {:.0f}\ngap          {:.2e}\n",
                             wfm::to_string(h.status), fmt::join(h.class_size, " "), h.cost,
                             h.lower_bound, h.gap);
    std::cerr << fmt::format("cost parts   salaries {:.0f}, hiring+training {:.0f}, overtime {:.0f}, "
                             "temps {:.0f}, understaffing {:.0f}\n",
                             h.salary_cost, h.hiring_cost, h.overtime_cost, h.temp_cost,
                             h.understaffing_cost);
    if (!h.message.empty()) std::cerr << "message      " << h.message << "\n";
    return wfm::exit_code_for(h.status);
  });
}
