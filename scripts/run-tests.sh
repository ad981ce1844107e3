#!/usr/bin/env bash
# Fresh machine → installed, built, and the whole test suite run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup-debian.sh"
# The format gate first: it takes seconds and names the files to fix.
"$root/scripts/check-format.sh"
"$root/scripts/build.sh"
build=${TWB_BUILD_DIR:-$root/build}
# The bundled sample (a test opens it); without the Debian archive that test skips.
"$root/scripts/fetch-samples.sh" "$build/samples" ||
  echo "run-tests: the bundled samples could not be fetched; the sample test will skip" >&2
export QT_QPA_PLATFORM=offscreen
ctest --test-dir "$build" --output-on-failure -j "$(nproc)"
