#!/usr/bin/env bash
# README command (2): the whole test suite. Sets the machine up first (scripts/setup.sh), then
#   1. Release build: C++ tests, CLI tests, header check, installed-package consumer, bench smoke;
#   2. the Python package, built by pip in that same build directory (only the pybind11 module
#      is new), and its pytest suite (with the hypothesis bad-input suite and the 8-thread test,
#      python-bindings/tests/test_hardening_*.py, and the report's browser test);
#   3. Debug build with ASan+UBSan and warnings as errors: the C++ and CLI tests again;
#   4. Debug build with ThreadSanitizer: only wfm_tests, only the tests that use threads;
#   5. libFuzzer (clang): one target per file reader, a fixed seed and WFM_FUZZ_RUNS inputs each
#      (repeatable; WFM_FUZZ_SECONDS=N explores at random instead).
# Each step prints its wall time. Exits non-zero when any test fails.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
t0=$SECONDS
step() {  # step <name> <command...>: run one step and report its time
  local name=$1 start=$SECONDS
  shift
  echo "[wfm] == $name"
  "$@"
  echo "[wfm] == $name: $((SECONDS - start)) s (total $((SECONDS - t0)) s)"
}
step "set-up" env WFM_SKIP_PIP_INSTALL=1 scripts/setup.sh
export PATH="$here/.venv/bin:$PATH"
step "release build and tests" cmake --workflow --preset ci-release
step "python package" env CMAKE_GENERATOR=Ninja python -m pip install -q --no-build-isolation \
  -C build-dir=build/release "$here"
step "python tests" env WFM_REQUIRE_BROWSER=1 python -m pytest -q python-bindings/tests
step "asan build and tests" cmake --workflow --preset ci-asan
step "tsan and fuzz" scripts/run-sanitizers.sh
echo "[wfm] all test suites passed in $((SECONDS - t0)) s"
