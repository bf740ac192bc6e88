#pragma once
/// \file
/// The tuning of solve()'s search in one place (issue 15): a SearchPolicy holds the few
/// instance-independent knobs, and plan_search() turns them into the plan for one instance
/// by rules that follow from the instance itself (its size in integer columns, its shift
/// lengths, whether it has fixed costs, its root LP's fractional columns, the time limit). No
/// field names or assumes a particular benchmark week; the incumbent's slack steers the
/// neighbourhoods at run time (windows are centred where coverage differs from the requirement).
///
/// Phases of solve() (solver.hpp): LP relaxation -> dive (first incumbent; every candidate
/// schedule then gets drops and single-agent moves) -> template-set search (fixed-cost models)
/// -> early CBC (small, fixed-cost or nearly integral models) -> large-neighbourhood rounds
/// (Shaw 1998; RINS-like sub-MIPs, Danna, Rothberg & Le Pape 2005, Math. Program. 102:71-90)
/// -> final CBC with the incumbent as start.

#include <cstddef>
#include <wfm/schedule/model.hpp>

namespace wfm::schedule {

/// Instance-independent knobs of the search. Defaults were measured on the shared weeks and
/// the generated family of bench/schedule_family.hpp (bench/RESULTS.md, issue 15).
struct SearchPolicy {
  /// Solve a separable model (no fixed cost, template or headcount limit) whose intervals fall
  /// into independent blocks (blocks.hpp: e.g. the days of a centre with opening hours) block by
  /// block, each in a share of the time limit proportional to its integer columns (of what is
  /// left: a block proven optimal early leaves its time to the next). Exact: the optimum and
  /// the LP bound are sums over the blocks. Each block gets the whole search, whose CBC runs
  /// and neighbourhoods then work on a small model (bench/RESULTS.md, issue 15: the small
  /// opening-hours weeks f18 / f27 went from 1.61 / 1.40 % to 0.80 / 1.03 % above the LP bound
  /// at 10 s of CPU, with early_cbc_share_acyclic).
  bool decompose = true;
  /// The dives fix columns up to this priority class (0: shifts crossing the wrap of a cyclic
  /// week, 1: fixed-cost switches and other side columns, 2: shift counts); break placements
  /// (class 3) are spread by largest remainder instead, which is faster.
  int dive_max_priority = 2;
  /// The first dive (the first schedule) stops after the work this share of the time limit
  /// buys (first_dive_iterations(): simplex iterations, counted, not timed); the LP point it
  /// reached, its columns rounded so far, is then rounded to the nearest integers like the
  /// root LP (round_breaks, repair, drops and moves: a few hundredths of a second). Each
  /// re-solve of a large cyclic LP after a rounding step costs 0.1-1 s of dual simplex
  /// (the shared 24/7 week cc-247-s: 26 re-solves, 2.9 s of the 10; bench/RESULTS.md, issue 15,
  /// session 14), time that the neighbourhood rounds use better. 1: the dive runs to the end.
  double first_dive_share = 0.1;
  /// Work rate of CLP's dual simplex in the dives [simplex iterations x nonzeros of the LP's
  /// matrix per CPU second]: the first dive's cap in iterations is first_dive_share x time
  /// limit x this / nonzeros. An iteration's work grows with the matrix (pricing and the pivot
  /// row run over its columns); measured on full first dives of the 24/7 weeks (bench/
  /// RESULTS.md, issue 15, session 15; load average 3-4): 4.1-4.7e8 on those whose dive takes
  /// over a second at 10 s (cc-247-s / m 4.6e8, f00 4.2e8, f09 4.1e8), 2.6-7.9e8 over 13 weeks
  /// (per iteration alone: 4.8-13.9 thousand per second). A cap in iterations, unlike the CPU
  /// timer it replaces, stops the dive at the same LP point on every run of a seed; a machine
  /// faster or slower than this one dives a longer or shorter share of its time, not a different
  /// amount of work. (HiGHS counts its own iterations: the same rule, not measured.)
  double lp_work_per_second = 4.0e8;
  /// Backstop of the first dive: it also stops, by the timer, after this multiple of
  /// first_dive_share of the limit, so that a slow or loaded machine cannot spend the limit in
  /// the dive. Far above the iteration cap (about 1x at the rate above), it is the only path by
  /// which the timer, not the seed, decides where the first dive stops. Engines that count no
  /// iterations stop at the share itself (the backstop is then 1).
  double first_dive_backstop = 3.0;
  /// Rate at which CBC 2.10 handles whole models [integer columns per CPU second]: CBC runs on
  /// the whole model (early or final) only when the model has at most this many integer
  /// columns per second of time limit, or its root LP is nearly integral (cbc_fractional_columns
  /// below); larger models spend the time in the LNS, whose sub-MIPs are small. (The shared cc-day weeks, 8k integer columns, are solved or proven by CBC
  /// within 10 s; CBC finds no schedule of the 24/7 weeks, 21k columns, in 120 s.) Cyclic
  /// (24/7) models, whose circular-ones LP is far more fractional, get whole-model CBC only
  /// when they are small (early_cbc_fraction below): on the family's small 24/7 weeks a final
  /// CBC quarter at 10 s cost up to 0.3 points of gap against the LNS (f00, f12).
  double cbc_columns_per_second = 1500.0;
  /// A cyclic week whose root LP has at most this many fractional integer columns is "nearly
  /// integral": CBC runs on it whole whatever its size, early (right after the dive, with
  /// early_cbc_share of the remaining time and the incumbent as MIP start) and again, with the
  /// rest, once the LNS stalls (SearchPlan::cbc_whole_model). CBC's branch and bound branches on
  /// fractional columns, and its root cuts and heuristics round a near-integral point; its cost
  /// there is the root LP's re-solves, not the model's size. Measured on the family's 18 24/7
  /// weeks at 10 s (bench/RESULTS.md, issue 15, session 15, branch sched15j): CBC alone proves
  /// the 9 weeks with 0-287 fractional columns of 1680-20832 (f05, 20832 columns, 78
  /// fractional: in 0.4 s) and proves none of the 9 with 544-1775 (f01 544, f10 678 and f16 646
  /// end at 0.56 %, 1.88 % and without a schedule); the bound lies between the two groups. The
  /// size rule alone kept the medium fragmented weeks f05 / f14 from CBC at 10 s (both ended
  /// worse than CBC alone). Acyclic models (opening hours, solved block by block) keep the size
  /// rule: there the rule fired on the day blocks of f18 (about 1.4 s each), and their early CBC
  /// runs ended f18 at 1.24-1.48 % against 0.73-0.87 % without it. 0 switches the rule off.
  std::size_t cbc_fractional_columns = 400;
  /// Models with at most this share of the above (columns <= share x rate x limit) are
  /// "small": CBC runs early, before the LNS, with early_cbc_share of the remaining time.
  double early_cbc_fraction = 0.2;
  double early_cbc_share = 0.5;
  /// Acyclic hard-cover models that CBC can take whole (cbc_columns_per_second): CBC runs early
  /// with this share of the remaining time, in one run. Its search tree is cumulative and every
  /// restart loses it, and under hard cover the neighbourhoods' schedules need repair (added
  /// shifts) where CBC's stay feasible: on the days of the family's small hard-cover
  /// opening-hours week (f18, one block a day, see `decompose`) one long CBC run ended
  /// 0.77-0.80 % above the LP bound (3 seeds) against 1.7-1.9 % with early_cbc_share. Under
  /// soft cover every neighbourhood's schedule is feasible and the LNS does better: the same
  /// week with soft cover (f27) ended 1.06-1.17 % with early_cbc_share, 1.35-1.48 % with this
  /// one, so soft-cover models keep early_cbc_share (bench/RESULTS.md, issue 15). Re-measured
  /// in session 12 with the capped windows: f18 0.77 % at seeds 1-3 against 1.07-1.34 % with
  /// 0.5; f21 0.045 % (proven) against 0.087 %; f27 (soft) 1.32-1.45 % with it, 0.87-1.08 %
  /// without.
  double early_cbc_share_acyclic = 0.9;
  /// Fixed-cost models (shift design): the heuristics do not branch on template switches, so
  /// CBC gets this share of the remaining time right after the dive, whatever the size.
  double early_cbc_share_fixed_cost = 0.9;
  /// Fixed-cost models: share of the time limit kept for the final CBC run, which polishes the
  /// early run's result. (Other models run the final CBC only once the LNS stalls, below.)
  double final_cbc_share_fixed_cost = 0.05;
  /// Fixed-cost models: the search over the set of templates used (close one or swap one, re-solve
  /// the LP, dive; solver.cpp) runs right after the first schedule until it reaches a local
  /// optimum (0.1-2 s on the public msd sets), at most until this share of the limit.
  double template_search_share = 0.2;
  /// Template-set search: a template of the incumbent is swapped for each of this many nearest
  /// unused templates (nearest start and end).
  int template_swap_neighbours = 8;
  /// Fixed-cost models: rounds of cuts after the template-set search, before CBC. Each round
  /// adds the violated flow-cover forms of the step rows (at most one per step row;
  /// formulation.cpp, separate_step_covers) to a copy of the model and re-solves its LP; the
  /// rounds end when none is violated, once the bound proves the incumbent, after this many,
  /// or after step_cover_share of the time limit. The LP bound is the last round's; the first
  /// dive and template search keep the LP without the cuts and run first (step_cover_search
  /// then searches again on the LP with them): with the rounds before them (their time taken
  /// from the template search) RandomExample27 / 28 / 21 ended 10 s at 405-495 / 405-420 /
  /// 6045-6150 against 390 / 390 / 6000 (bench/RESULTS.md, issue 15, session 14). 0 switches
  /// them off.
  int step_cover_rounds = 30;
  /// Cap on the rounds' time. They end earlier when the bound proves the incumbent, when no cut
  /// is violated or on step_cover_min_gain; on the public msd sets at 10 s they end by
  /// themselves in 0.01-1.3 s (bench/RESULTS.md, issue 15, session 15): with a cap of 0.1 the
  /// LP bound of RandomExample28 stopped at 293.6, with the cap not binding it reaches 300, its
  /// optimum.
  double step_cover_share = 0.5;
  /// The cut rounds also end after a round that raised the LP bound by less than this share
  /// of it (its cuts are kept).
  double step_cover_min_gain = 1e-4;
  /// The whole-model CBC runs get the model with the cuts.
  bool step_cover_cbc = true;
  /// After the cut rounds: a dive on the LP with the cuts, then the template-set search again,
  /// its dives on that LP, until a local optimum or template_search_share of the limit more.
  /// Once the cuts have closed most of the LP gap, the LP's switches point at a better set of
  /// templates than the plain LP's (RandomExample28 at 10 s: 390 without, 300 proven with;
  /// bench/RESULTS.md, issue 15, session 15). Before the first template search the cuts cost
  /// it its time (session 14), hence after it.
  bool step_cover_search = true;
  /// Every k-th LNS round is a CBC sub-MIP on a narrow window; the others dive on a wide one.
  int cbc_round_period = 3;
  /// Window widths in multiples of the longest shift (the span over which one shift's start
  /// moves coverage): dive windows, CBC windows; each round draws a factor in [0.5, 1.5].
  /// With CBC, on cyclic (24/7) weeks, both narrow by the same factor where the CBC window
  /// would free more integer columns than a sub-MIP handles in its limit (cbc_columns_per_second x
  /// SearchPlan::sub_mip_seconds; a window of w intervals frees w x integer columns per
  /// interval), but not below the shortest shift (window_narrowing()). Dense models, many
  /// columns per interval, get more and cheaper rounds: the shared 24/7 week cc-247-s (32
  /// columns per interval) had 24-27 rounds of 0.05-0.5 s in 10 s, 3 sweeps of its week
  /// (bench/RESULTS.md, issue 15, session 14). Not on acyclic models: the sub-MIP limit of a
  /// one-day block of an opening-hours week is a 25th of the block's time, which would narrow
  /// its windows to the shortest shift (f27 at solver seed 0: 0.703 -> 0.726 % above the bound).
  double dive_window_shifts = 3.0;
  double cbc_window_shifts = 1.5;
  /// Windows cover at most this share of the horizon: a window over nearly all of it fixes
  /// almost nothing, so its sub-problem is the whole model again (a dive round is the first
  /// dive repeated, a CBC round a whole-model CBC run with a sub-MIP's time limit). Binds on
  /// short horizons, e.g. the one-day blocks of an opening-hours week (`decompose`).
  double max_window_share = 0.5;
  /// CBC sub-MIP limit = time limit / this (about this many CBC rounds fit in a run), within
  /// [min_sub_mip_seconds, max_sub_mip_seconds].
  double sub_mip_rounds = 25.0;
  double min_sub_mip_seconds = 0.05;
  double max_sub_mip_seconds = 1.0;
  /// Passes of the single-agent move search (IntState::improve_moves in solver.cpp) run on
  /// every candidate schedule after the drops; 0 switches it off. Moves reach
  /// SearchPlan::move_reach.
  int move_passes = 3;
  /// Stall rule of the LNS. The LNS has stalled when the rounds since its last gain (or since
  /// the windows last grew) reach the patience: at least stall_sweeps sweeps of the horizon (a
  /// sweep = SearchPlan::sweep_rounds, the rounds whose windows together span it once), and so
  /// many that, at the gain rate of the LNS so far (Laplace's rule of succession: p = (gains +
  /// 1) / (rounds + 1)), a run of rounds without a gain that long has probability below
  /// stall_probability ((1 - p)^k < q, i.e. k >= ln q / ln(1 - p)). Gains thin out as the
  /// incumbent improves, so the rate of the whole run, not of its first rounds, is the
  /// measure (with the early rate the small 24/7 week f01 grew its windows after 24 rounds and
  /// lost against the LNS it had, 0.63 against 0.49 % above the LP bound). On a stall the
  /// windows and the sub-MIP limit grow by stall_window_growth if it is > 1 (windows up to
  /// max_window_share of the horizon, the limit up to max_sub_mip_seconds); stalled with the
  /// widest windows (or no growth), a model that CBC takes whole
  /// (SearchPlan::cbc_whole_model) ends the LNS and leaves the rest of the time to a CBC run on
  /// the whole model with the incumbent as MIP start (a hard-cover model within CBC's rate for
  /// the time left gets a share of it: stall_cbc_share). Only then: a CBC run restarts its tree
  /// from nothing, and while the LNS still gains it does better with the time (the small soft-
  /// cover opening-hours week f27 at solver seeds 0-2: 0.87 / 0.88 / 1.08 % above the LP bound
  /// with a final CBC quarter of the time, 0.70 / 0.79 / 0.88 % with the LNS to the end;
  /// bench/RESULTS.md, issue 15, session 13).
  double stall_sweeps = 2.0;
  double stall_probability = 0.05;
  /// Growth of the windows on a stall (1: none). Off by default: on the family's small 24/7
  /// weeks at solver seeds 0-3 (bench/RESULTS.md, issue 15, session 13) a growth of 2 was
  /// triggered in 11 of 12 runs and changed 8: better by 0.1-0.25 points on f01 (3 seeds),
  /// worse by 0.03-0.2 points on f10 and f00 (5; f10 at seed 2 went from 0.84 to 1.04 % above
  /// the LP bound): the wider windows' slower rounds cost more than they find.
  double stall_window_growth = 1.0;
  /// A stall of a hard-cover model that CBC does not take whole, when the time left covers its
  /// integer columns at cbc_columns_per_second (lns_stall.hpp, cbc_takes_rest), starts one CBC
  /// run on the whole model with the incumbent as MIP start and stall_cbc_share of the time
  /// left; the LNS resumes after it. Measured on the small hard-cover 24/7 week f01 (bench/
  /// RESULTS.md, issue 15, session 14; CBC alone 0.562 % above the LP bound on the standard
  /// week at every seed, 0.782 % on the unseen one of family seed 16): without it 0.53-0.77 %
  /// over solver seeds 0-3; with CBC taking all the time left 0.42-0.49 %, but 0.853 % on the
  /// unseen week, which stalled after 1.3 s with gains still to come; with half of it 0.39-0.56
  /// % and 0.640 %.
  bool stall_cbc_hard_cover = true;
  double stall_cbc_share = 0.5;
  /// CBC is not started with less time than this for its run [s] (an early run with a share
  /// of 0 is no run: with a near-zero limit CBC's result depended on the machine's load).
  double min_seconds_for_cbc = 0.05;
};

/// What the rules give for one instance and time limit (see plan_search()).
struct SearchPlan {
  std::size_t integer_columns = 0;  ///< x (shift) + break-placement + fixed-cost switch columns
  int longest_shift = 1;            ///< [intervals]
  int shortest_shift = 1;           ///< [intervals]
  bool fixed_costs = false;         ///< some template has a fixed cost
  bool cbc_whole_model = false;     ///< CBC may run on the whole model (size vs time limit, or near_integral)
  bool near_integral = false;       ///< root LP within SearchPolicy::cbc_fractional_columns
  bool early_cbc = false;           ///< CBC right after the dive
  double early_cbc_share = 0.0;     ///< of the remaining time
  double lns_share = 1.0;           ///< LNS runs until this share of the time limit
  int dive_window = 1;              ///< [intervals] before the random factor
  int cbc_window = 1;               ///< [intervals] before the random factor
  double sub_mip_seconds = 0.0;     ///< limit of one CBC sub-MIP [s]
  int window_cap = 2;               ///< [intervals] widest window (SearchPolicy::max_window_share)
  /// Rounds whose windows together span the horizon once: horizon / mean window width, the
  /// mean over one period of SearchPolicy::cbc_round_period rounds (CBC rounds only with CBC).
  int sweep_rounds = 1;
  /// Guided windows are centred this many intervals before the drawn centre, so that the
  /// shifts starting in the window cover it: half the shortest shift (a shift of length L
  /// covers the centre when it starts in the L intervals before it; centring on L/2 of the
  /// most restrictive, shortest template keeps most of its starts useful).
  int window_lead = 0;
  /// [intervals] An agent moves to starts at most this far from its own: half the shortest
  /// shift (a move by L/2 still shares half of its span with the old shift, and a longer move
  /// is a drop plus an add, which improve() and soft_fill() try).
  int move_reach = 0;
};

/// Integer columns of Aykin's implicit model of `model` (one per shift start, one per break
/// placement of each start, one switch per template with a fixed cost).
[[nodiscard]] std::size_t integer_columns(const CoverageModel& model) noexcept;

/// Checks every field (shares and fractions in [0, 1], widths, rounds and periods > 0).
/// \throws InvalidArgument naming the field and the value.
void validate(const SearchPolicy& policy);

/// Factor (in (0, 1]) on the window widths of `plan` (SearchPolicy::cbc_window_shifts): 1
/// unless the CBC window of cbc_window_shifts x the longest shift (at most `window_cap`
/// intervals) frees more integer columns than cbc_columns_per_second x plan.sub_mip_seconds;
/// then the width that frees that many, at least the shortest shift, over the CBC width.
/// Reads plan.integer_columns, longest_shift, shortest_shift and sub_mip_seconds.
[[nodiscard]] double window_narrowing(const CoverageModel& model, const SearchPolicy& policy,
                                      const SearchPlan& plan, double window_cap);

/// Simplex iterations the first dive may spend on an LP with `lp_nonzeros` matrix entries within
/// `time_limit` [s]: first_dive_share x time_limit x lp_work_per_second / lp_nonzeros (at least
/// 1), rounded down (SearchPolicy::lp_work_per_second). 0: the dive stops before its first
/// re-solve, and the first schedule is the root LP rounded.
[[nodiscard]] long long first_dive_iterations(const SearchPolicy& policy, std::size_t lp_nonzeros,
                                              double time_limit);

/// The plan of the search for `model` with `time_limit` [s] (use_cbc false: no CBC at all);
/// `fractional_columns`: integer columns with a fractional value in the root LP's solution
/// (SearchPolicy::cbc_fractional_columns; the default, unknown, never counts as near-integral).
/// \throws InvalidArgument on a bad policy (validate()).
[[nodiscard]] SearchPlan plan_search(const CoverageModel& model, const SearchPolicy& policy,
                                     double time_limit, bool use_cbc = true,
                                     std::size_t fractional_columns = static_cast<std::size_t>(-1));

}  // namespace wfm::schedule
