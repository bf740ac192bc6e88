// The randomized audit's reference rows (tests/data/queueing/audit_omnichannel.py, seed 1212:
// mpmath at 50 digits, independent of the library's code; see its docstring and the README
// there): chat with concurrency, Erlang X, M/M/n+G and blending at operating points the other
// tables do not cover -- 1 .. 10,000 agents, loads 0.3 .. 1.3, patience 1 s .. 1e5 s with
// lambda x patience up to ~1e6, targets up to hours, m = 1 .. 4 with non-monotone handle-time
// vectors, N = n .. n + 3,000 lines, redial probabilities near 0 and near 1, reserve 0 .. n + 2.
// One file for the four models (rather than a case in each model's test) because the rows come
// from one generator run.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include <wfm/queueing/blending.hpp>
#include <wfm/queueing/chat_concurrency.hpp>
#include <wfm/queueing/erlang_x.hpp>
#include <wfm/queueing/general_patience.hpp>
#include <wfm/queueing/retrial.hpp>

#include "queueing/reference.hpp"
#include "support/catch.hpp"

using namespace wfm::queueing;

namespace {

std::vector<double> numbers(const std::string& text) {
  std::vector<double> out;
  std::istringstream in(text);
  for (std::string word; in >> word;) out.push_back(std::stod(word));
  return out;
}

/// Compares every metric column the row fills (an empty cell: not part of the model). Values
/// below 1e-280 may be returned as anything below 1e-280 (they cannot be represented to full
/// precision; README of tests/data/queueing); values below 1e-5 may also be within abs_floor:
/// the double-precision references (blending, retrial) carry ~1e-16 absolute, as the audit
/// that wrote the rows allowed.
struct RowChecker {
  const wfm::test::ReferenceTable& ref;
  std::size_t row;
  double tolerance;
  wfm::test::WorstError& worst;
  double abs_floor = 0.0;
  void operator()(const char* col, double got) const {
    if (ref.text(row, col).empty()) return;
    const double want = ref(row, col);
    const bool floor_ok = (std::fabs(want) < 1e-5 && std::fabs(got - want) < abs_floor) ||
                          (std::fabs(want) < 1e-280 && std::fabs(got) < 1e-280);
    const double err = floor_ok ? 0.0 : wfm::test::relative_error(got, want);
    const std::string at = ref.text(row, "source") + " " + col;
    worst.update(err, at);
    INFO(at << ": got " << got << ", expected " << want);
    CHECK(err <= tolerance);
  }
};

PatienceDistribution law_of(const wfm::test::ReferenceTable& ref, std::size_t i) {
  const std::string law = ref.text(i, "law");
  const double mean = ref(i, "patience"), shape = ref(i, "shape");
  if (law == "exponential") return PatienceDistribution::exponential(mean);
  if (law == "deterministic") return PatienceDistribution::deterministic(mean);
  if (law == "lognormal") return PatienceDistribution::lognormal(mean, shape);
  if (law == "weibull") return PatienceDistribution::weibull(mean, shape);
  if (law == "gamma") return PatienceDistribution::gamma(mean, shape);
  const std::vector<double> a = numbers(ref.text(i, "knots_or_times"));
  const std::vector<double> b = numbers(ref.text(i, "hazard_or_survival"));
  if (law == "piecewise") return PatienceDistribution::piecewise_hazard(a, b);
  return PatienceDistribution::from_survival(a, b);
}

/// The metrics every audited model fills, and its status.
template <class Metrics>
void check_common(const RowChecker& check, const Metrics& m) {
  CHECK(m.status == wfm::Status::ok);
  check("wait_probability", m.wait_probability);
  check("abandon_rate", m.abandon_rate);
  check("service_level", m.service_level);
  check("queue_length", m.queue_length);
}

/// The metrics of the models with lines and redials (Erlang X, its retrial chain).
template <class Metrics>
void check_lines(const RowChecker& check, const Metrics& m) {
  check_common(check, m);
  check("effective_arrival_rate", m.effective_arrival_rate);
  check("blocking_rate", m.blocking_rate);
  check("lost_rate", m.lost_rate);
}

/// Runs check_row(ref, i, check) on every row of the audit table `file` (at least 20 rows)
/// and reports the worst relative error of `model`.
template <class CheckRow>
void audit(const char* file, const char* model, double tolerance, double abs_floor,
           CheckRow check_row) {
  const wfm::test::ReferenceTable ref(file);
  REQUIRE(ref.size() >= 20);
  wfm::test::WorstError worst;
  for (std::size_t i = 0; i < ref.size(); ++i)
    check_row(ref, i, RowChecker{ref, i, tolerance, worst, abs_floor});
  WARN(model << " vs audit rows: worst relative error " << worst.value << " at "
             << worst.where);
}

using Table = wfm::test::ReferenceTable;

}  // namespace

TEST_CASE("Chat concurrency matches the randomized audit's mpmath rows to 1e-10",
          "[queueing][chat][audit]") {
  audit("audit_chat.csv", "ChatConcurrency", 1e-10, 0.0,
        [](const Table& ref, std::size_t i, const RowChecker& check) {
          const ChatConcurrency q(ref(i, "arrival_rate"),
                                  numbers(ref.text(i, "handle_time_by_concurrency")),
                                  ref(i, "patience"));
          check_common(check, q.metrics(ref(i, "agents"), ref(i, "target_time")));
        });
}

TEST_CASE("Erlang X matches the randomized audit's mpmath rows to 1e-10",
          "[queueing][erlang_x][audit]") {
  audit("audit_erlang_x.csv", "ErlangX", 1e-10, 0.0,
        [](const Table& ref, std::size_t i, const RowChecker& check) {
          const ErlangX q(ref(i, "arrival_rate"), ref(i, "handle_time"), ref(i, "patience"),
                          static_cast<std::int64_t>(ref(i, "lines")),
                          ref(i, "redial_probability"));
          check_lines(check, q.metrics(ref(i, "agents"), ref(i, "target_time")));
        });
}

TEST_CASE("M/M/n+G matches the randomized audit's mpmath rows to 1e-10",
          "[queueing][general_patience][audit]") {
  audit("audit_general_patience.csv", "GeneralPatience", 1e-10, 0.0,
        [](const Table& ref, std::size_t i, const RowChecker& check) {
          const GeneralPatience q(ref(i, "arrival_rate"), ref(i, "handle_time"), law_of(ref, i));
          check_common(check, q.metrics(ref(i, "agents"), ref(i, "target_time")));
        });
}

// The blending reference is a dense double-precision solve of the two-dimensional chain (see
// the generator), so its rows are good to ~1e-13, and the test asks 1e-9.
TEST_CASE("Blending matches the randomized audit's rows to 1e-9", "[queueing][blending][audit]") {
  audit("audit_blending.csv", "Blending", 1e-9, 1e-15,
        [](const Table& ref, std::size_t i, const RowChecker& check) {
          const Blending q(ref(i, "arrival_rate"), ref(i, "handle_time"),
                           ref(i, "outbound_handle_time"), ref(i, "patience"),
                           static_cast<std::int64_t>(ref(i, "reserve")));
          const BlendingMetrics m = q.metrics(ref(i, "agents"), ref(i, "target_time"));
          check_common(check, m);
          check("occupancy", m.occupancy);
          check("outbound_throughput", m.outbound_throughput);
        });
}

// The audit's two Erlang X findings (seed 1212, points 10 and 15): pi_N far below the chain
// engine's window (tail tolerance 1e-15) came back as 0. Reference: the audit's mpmath chain
// at 50 digits (blocking = pi_N of the chain 0 .. N at the fixed-point attempt rate).
TEST_CASE("Erlang X: blocking far below the chain's window is not rounded to 0",
          "[queueing][erlang_x][audit]") {
  const ErlangX a(1.345602439985171, 293.7, 9.830191282782174, 575, 0.9994668743602905);
  CHECK(wfm::test::relative_error(a.metrics(463, 43.876217898495646).blocking_rate,
                                  4.6849399594200616e-81) <= 1e-10);
  const ErlangX b(4.229205100328173, 293.7, 690.0590417833199, 3314, 0.00023445762629722888);
  CHECK(wfm::test::relative_error(b.metrics(1184, 30.877491793692506).blocking_rate,
                                  8.6823119938861458e-248) <= 1e-10);
}

// The exact retrial chain against the audit's own sparse solve of the (k, j) generator written
// from retrial.hpp's transitions (double precision, orbit bound where P(j = J) < 1e-25); the
// library stops its orbit at P(j = J) <= 1e-12, so the test asks 1e-8.
TEST_CASE("Erlang X retrial chain matches the randomized audit's rows to 1e-8",
          "[queueing][retrial][audit]") {
  audit("audit_retrial.csv", "ErlangXRetrial", 1e-8, 1e-15,
        [](const Table& ref, std::size_t i, const RowChecker& check) {
          const ErlangXRetrial q(ref(i, "arrival_rate"), ref(i, "handle_time"),
                                 ref(i, "patience"), static_cast<std::int64_t>(ref(i, "lines")),
                                 ref(i, "redial_probability"), ref(i, "redial_delay"));
          check_lines(check, q.metrics(ref(i, "agents"), ref(i, "target_time")));
        });
}
