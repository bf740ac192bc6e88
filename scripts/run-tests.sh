#!/usr/bin/env bash
# README command (2): the whole test suite. Sets the machine up first (scripts/setup.sh), then
#   1. Release build: C++ tests, CLI tests, header check, installed-package consumer, bench smoke;
#   2. Debug build with ASan+UBSan and warnings as errors: the C++ tests again;
#   3. Debug build with ThreadSanitizer: only wfm_tests, only the tests that use threads;
#   4. libFuzzer (clang): one target per file reader, WFM_FUZZ_SECONDS (default 20) each;
#   5. the Python package (pip install .) and its pytest suite (with the hypothesis bad-input
#      suite and the 8-thread test, python-bindings/tests/test_hardening_*.py).
# Exits non-zero when any test fails.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
scripts/setup.sh
export PATH="$here/.venv/bin:$PATH"
cmake --workflow --preset ci-release
cmake --workflow --preset ci-asan
scripts/run-sanitizers.sh
WFM_REQUIRE_BROWSER=1 python -m pytest -q python-bindings/tests  # the report's browser test too
echo "[wfm] all test suites passed"
