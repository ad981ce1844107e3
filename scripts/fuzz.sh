#!/usr/bin/env bash
# Runs one libFuzzer harness of fuzz/ for a while and reports what it did.
#
#   scripts/fuzz.sh --list               the harnesses (folders of fuzz/corpus, fuzz/regressions)
#   scripts/fuzz.sh NAME SECONDS [ARGS]  builds build-fuzz/ if needed (clang, ccache), then fuzzes
#                                        NAME for SECONDS, extra ARGS go to libFuzzer
#
# The seed corpus (fuzz/corpus/NAME) and the kept regressions (fuzz/regressions/NAME) are copied
# to build-fuzz/work/NAME/corpus, which the fuzzer grows, so the repository's corpus is not
# flooded; crash, leak and timeout inputs land in build-fuzz/work/NAME/artifacts. Limits:
# -rss_limit_mb=2048 (also the largest single allocation), -timeout=10 s per input. Runs under
# `nice -n 15`. Needs scripts/setup-fuzz.sh. TWB_FUZZ_BUILD overrides the build folder.
#
# Sanitizer options: a C++ allocation of an absurd size still stops the run (operator new
# reports it); a malloc() inside a C library (HDF5 trusting a corrupted header) returns null as
# it does outside ASan and the library reports an error (allocator_may_return_null=1). Leaks and
# undefined behaviour that are known and reported are listed in fuzz/lsan.supp, fuzz/ubsan.supp.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${TWB_FUZZ_BUILD:-$root/build-fuzz}"

list() {
  sed -n 's/^twb_add_fuzzer(\([a-z0-9]*\) .*/\1/p' "$root/fuzz/CMakeLists.txt"
}

usage() {
  echo "usage: scripts/fuzz.sh NAME SECONDS [libFuzzer args]   or   scripts/fuzz.sh --list" >&2
  exit 2
}

[ $# -ge 1 ] || usage
if [ "$1" = "--list" ]; then
  list
  exit 0
fi
[ $# -ge 2 ] || usage
name="$1"
seconds="$2"
shift 2
if ! list | grep -qx "$name"; then
  echo "fuzz.sh: no harness '$name'; harnesses: $(list | tr '\n' ' ')" >&2
  exit 2
fi
[[ "$seconds" =~ ^[0-9]+$ ]] || usage

if [ ! -f "$build/build.ninja" ]; then
  compiler="$(command -v clang++-14 || command -v clang++ || true)"
  if [ -z "$compiler" ]; then
    echo "fuzz.sh: clang is missing; run scripts/setup-fuzz.sh" >&2
    exit 1
  fi
  cmake -S "$root/fuzz" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER="$compiler" >/dev/null
fi
nice -n 15 cmake --build "$build" --target "fuzz_$name"

work="$build/work/$name"
mkdir -p "$work/corpus" "$work/artifacts"
for seeds in "$root/fuzz/corpus/$name" "$root/fuzz/regressions/$name"; do
  if [ -d "$seeds" ]; then
    find "$seeds" -maxdepth 1 -type f ! -name '*.md' -exec cp -n {} "$work/corpus/" \;
  fi
done

log="$work/fuzz-$(date +%Y%m%d-%H%M%S).log"
echo "fuzz.sh: $name for $seconds s, corpus $work/corpus, log $log"
status=0
(
  cd "$work"
  ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}" \
    LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$root/fuzz/lsan.supp}" \
    UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1:suppressions=$root/fuzz/ubsan.supp}" \
    nice -n 15 "$build/fuzz_$name" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
    -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$@" "$work/corpus"
) >"$log" 2>&1 || status=$?

# The last status line ("#N ... cov: C ft: F corp: ...") and libFuzzer's final statistics.
last="$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)"
execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)"
if [ -z "$execs" ]; then # -fork=N prints no final statistics: "#N: cov: ..." counts them
  execs="$(sed -n 's/^#\([0-9]*\):* .*/\1/p' <<<"$last")"
  rate="$(sed -n 's/.*exec\/s:* \([0-9]*\).*/\1/p' <<<"$last")"
fi
echo "fuzz.sh: $name: exit $status, executions ${execs:-?} (${rate:-?}/s)"
echo "fuzz.sh: $name: last status: ${last:-none}"
if grep -qE '^==[0-9]+== ?ERROR|runtime error:|^SUMMARY:|ALARM: working on the last Unit' "$log"; then
  echo "fuzz.sh: $name: FINDING (replay each input with $build/fuzz_$name FILE):"
  grep -E '^==[0-9]+== ?ERROR|runtime error:|^SUMMARY:|ALARM|Test unit written' "$log" | head -n 20
fi
if [ -n "$(ls -A "$work/artifacts")" ]; then
  echo "fuzz.sh: $name: inputs in $work/artifacts:"
  ls -l "$work/artifacts"
fi
exit "$status"
