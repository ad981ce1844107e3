#!/usr/bin/env bash
# Configures and builds the project into build/ (Release, Ninja, ccache).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TWB_BUILD_DIR:-$root/build}
export CCACHE_BASEDIR=$root
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j "$(nproc)"
