#!/usr/bin/env bash
# The ThreadSanitizer and fuzzing steps of scripts/run-tests.sh (issue 14), kept cheap:
#   - tsan: Debug + -fsanitize=thread, builds only wfm_tests from the test files whose cases start
#     threads (tests/CMakeLists.txt finds them by the tags below) and runs those cases:
#     concurrent schedule solves (CBC), simulation replications, plan_horizon over TBB, the
#     forecast batch;
#   - fuzz: clang + libFuzzer, one target per file reader (CSV, model JSON, .dzn), each run for
#     WFM_FUZZ_SECONDS seconds (default 20) from the seed corpus in fuzz/corpus/.
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
    corpus="build/fuzz/corpus_$reader"
    mkdir -p "$corpus"
    echo "[wfm fuzz] $reader: ${WFM_FUZZ_SECONDS:-20} s"
    log="build/fuzz/$reader.log"
    if ! build/fuzz/fuzz/wfm_fuzz_$reader -max_total_time="${WFM_FUZZ_SECONDS:-20}" -max_len=4096 \
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
