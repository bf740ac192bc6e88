#!/usr/bin/env bash
# The ThreadSanitizer and fuzzing steps of scripts/run-tests.sh (issue 14), kept cheap:
#   - tsan: Debug + -fsanitize=thread, builds only wfm_tests from the test files whose cases start
#     threads (tests/CMakeLists.txt finds them by the tags below) and runs those cases:
#     concurrent schedule solves (CBC), simulation replications, plan_horizon over TBB, the
#     forecast batch;
#   - fuzz: clang + libFuzzer, one target per file reader (CSV, model JSON, .dzn), from the seed
#     corpus in fuzz/corpus/ (crash inputs found so far are kept there as regression seeds).
#     By default a fixed seed and WFM_FUZZ_RUNS inputs (default 60000, ~15 s each) in a fresh
#     working corpus, so that CI is repeatable: a red build is a regression, not a new draw.
#     WFM_FUZZ_SECONDS=N explores instead: random seed, N seconds, corpus kept in build/fuzz/.
# Environment: WFM_SKIP_TSAN=1 / WFM_SKIP_FUZZ=1 skip a step.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"

if [[ ${WFM_SKIP_TSAN:-0} != 1 ]]; then
  cmake --preset tsan >/dev/null
  cmake --build --preset tsan
  # TBB (Debian, not instrumented) hands work to its own threads: its internals are suppressed.
  TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$here/scripts/tsan.supp" \
    build/tsan/tests/wfm_tests "[threads],[determinism],[plan],[batch]"
fi

if [[ ${WFM_SKIP_FUZZ:-0} != 1 ]]; then
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz
  for reader in csv model_json dzn; do
    if [[ -n ${WFM_FUZZ_SECONDS:-} ]]; then
      corpus="build/fuzz/corpus_$reader"
      budget=(-max_total_time="$WFM_FUZZ_SECONDS")
    else
      corpus=$(mktemp -d)
      budget=(-seed=1 -runs="${WFM_FUZZ_RUNS:-60000}")
    fi
    mkdir -p "$corpus"
    echo "[wfm fuzz] $reader: ${budget[*]}"
    log="build/fuzz/$reader.log"
    if ! build/fuzz/fuzz/wfm_fuzz_$reader "${budget[@]}" -max_len=4096 \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "$corpus" "fuzz/corpus/$reader" \
        >"$log" 2>&1; then
      tail -50 "$log" >&2
      echo "[wfm fuzz] $reader: failure (crash input saved as crash-* in $here)" >&2
      exit 1
    fi
    grep -E "^stat::number_of_executed_units" "$log" || true
  done
fi
echo "[wfm] sanitizer steps passed"
