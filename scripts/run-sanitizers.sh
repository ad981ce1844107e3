#!/usr/bin/env bash
# Builds the project with AddressSanitizer and UndefinedBehaviorSanitizer (CMake preset
# "sanitize", folder build-asan/) and runs the test suite under them.
#
#   scripts/run-sanitizers.sh                 the whole suite
#   scripts/run-sanitizers.sh -R 'tst_csv'    ctest arguments select tests (-R, -E, -L ...)
#
# It is not part of .ci/run: a cold sanitizer build and the suite under it take longer than
# CI's 90 minutes on a 2-core machine (README, "Sanitizers", has the measured run). Any error
# of either sanitizer stops the test that meets it (halt_on_error, -fno-sanitize-recover), so a
# passing test is a clean one. Leaks are checked; tests/sanitizers/lsan.supp lists the leaks
# inside Debian's uninstrumented libraries, never the project's own.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-asan
export CCACHE_BASEDIR=$root
export CCACHE_SLOPPINESS=${CCACHE_SLOPPINESS:-pch_defines,time_macros,include_file_mtime,include_file_ctime}
start=$(date +%s)
cmake --preset sanitize -S "$root" >/dev/null
cmake --build "$build" -j "$(nproc)"
built=$(date +%s)
echo "run-sanitizers: built in $((built - start)) s"

supp=$root/tests/sanitizers
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=0:check_initialization_order=1"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$supp/ubsan.supp"
export QT_QPA_PLATFORM=offscreen
# Qt Test stops a test function after 5 minutes; under the sanitizers some take longer.
export QTEST_FUNCTION_TIMEOUT=2400000
status=0
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" "$@" || status=$?
echo "run-sanitizers: tests ran in $(($(date +%s) - built)) s, exit $status"
exit $status
