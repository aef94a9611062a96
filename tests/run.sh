#!/usr/bin/env bash
# Builds and runs every test: the Release build (unit and end-to-end tests, including the real pre-commit
# framework), then the whole suite again under AddressSanitizer and UndefinedBehaviorSanitizer, then the
# rule examples (`keygate rules --test`) and keygate's own scan of this repository.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

echo "== Release build and tests"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DKEYGATE_BUILD_TESTS=ON >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

echo "== ASan+UBSan build and tests"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKEYGATE_SANITIZE=ON -DKEYGATE_BUILD_TESTS=ON >/dev/null
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs" -E 'e2e_precommit_framework'

echo "== Rule examples and self-scan"
build/keygate rules --test
build/keygate scan .
echo "== All tests passed"
